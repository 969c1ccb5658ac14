"""Generated docs stay current."""

from pathlib import Path

from medialive_iam_constructs.catalog.__main__ import render

ROOT = Path(__file__).resolve().parent.parent


def test_catalog_doc_is_current():
    assert (ROOT / "docs" / "catalog.md").read_text() == render(), (
        "docs/catalog.md is out of date: run `.venv/bin/python -m medialive_iam_constructs.catalog > docs/catalog.md`"
    )


def test_getting_started_example_synthesizes():
    """The getting-started example, run as written: it synthesizes with the four nag packs clean."""
    import re

    import aws_cdk as cdk

    from tools.lint.nag import nag_findings

    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "docs" / "getting-started.md").read_text(), re.S)
    namespace: dict = {}
    exec(blocks[0], namespace)  # the stack class
    app = cdk.App()
    stack = namespace["MediaLiveIam"](app, "MediaLiveIam", env=cdk.Environment(account="111122223333", region="us-west-2"))
    assert nag_findings(app, stack) == []


def test_package_readme_example_synthesizes(tmp_path):
    """The package description's example, run as written (its app.synth() included, into tmp_path), guard
    registered: no error."""
    import re

    text = (ROOT / "docs" / "package-readme.md").read_text()
    (block,) = re.findall(r"```python\n(.*?)```", text, re.S)
    assert "scripts/" not in text.split("\n## ", 1)[0], "the description does not start with the repo's dev scripts"
    assert block.count("cdk.App()") == 1
    exec(block.replace("cdk.App()", f"cdk.App(outdir={str(tmp_path)!r})"), {})
    assert list(tmp_path.glob("*.template.json"))
