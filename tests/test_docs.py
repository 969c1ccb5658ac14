"""Generated docs stay current."""

from pathlib import Path

from medialive_iam_constructs.catalog.__main__ import render

ROOT = Path(__file__).resolve().parent.parent


def test_catalog_doc_is_current():
    assert (ROOT / "docs" / "catalog.md").read_text() == render(), (
        "docs/catalog.md is out of date: run `.venv/bin/python -m medialive_iam_constructs.catalog > docs/catalog.md`"
    )
