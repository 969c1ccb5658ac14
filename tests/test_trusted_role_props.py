"""MediaLiveTrustedRole's wiring is the declarative TRUSTED_ROLE_PROPS table (issue 13, item 3; typed in issue 22):
one hop from a prop to its catalog rows, resource kinds and parser, checked against the constructor and the catalog
at import."""

from __future__ import annotations

import ast
import inspect
import re
import textwrap
from dataclasses import fields, replace

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.resources import IAM_ROLE, S3_BUCKET
from medialive_iam_constructs.trusted_role import (
    TRUSTED_ROLE_PROPS,
    MediaLiveTrustedRole,
    PropGrant,
    TrustedRoleProp,
    WorkflowProps,
    check_props_table,
)


def test_every_entry_names_a_prop_rows_kinds_and_a_parser():
    params = inspect.signature(MediaLiveTrustedRole.__init__).parameters
    for f in TRUSTED_ROLE_PROPS:
        assert f.prop.split(".")[0] in params, f.prop
        assert callable(f.parser) and not isinstance(f.parser, str), f.prop
        used = set()
        for rid in f.rows:
            row = catalog.ROWS[rid]
            assert row.table == "trusted" and row.grants, rid
            used |= {k for g in row.grants for k in g.kinds}
        assert set(f.kinds) <= used, f.prop


def test_every_trusted_row_with_grants_has_a_feature():
    wired = {r for f in TRUSTED_ROLE_PROPS for r in f.rows}
    granting = {r.id for r in catalog.TRUSTED_ROWS if r.grants}
    assert granting == wired, sorted(granting ^ wired)


def test_a_grant_is_a_named_tuple():
    assert PropGrant._fields == ("rows", "bindings", "hook", "prop")


def _init_body() -> list[ast.stmt]:
    (func,) = ast.parse(textwrap.dedent(inspect.getsource(MediaLiveTrustedRole.__init__))).body
    return func.body[1:]  # after the docstring


def test_init_wires_through_the_table_only():
    """No feature prop is read in __init__ but to build WorkflowProps, each once as ``prop=prop`` (what the
    table's parsers read); no ``locals()``, no parser looked up by name."""
    feature_props = {f.name for f in fields(WorkflowProps)}
    reads: dict[str, int] = {}
    passed: dict[str, int] = {}
    for stmt in _init_body():
        for node in ast.walk(stmt):
            if isinstance(node, ast.Name) and node.id in feature_props:
                reads[node.id] = reads.get(node.id, 0) + 1
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "WorkflowProps":
                for kw in node.keywords:
                    if isinstance(kw.value, ast.Name) and kw.arg == kw.value.id:
                        passed[kw.arg] = passed.get(kw.arg, 0) + 1
            assert not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("locals", "getattr", "vars"))
    assert reads == passed == dict.fromkeys(feature_props, 1)


def test_init_is_short():
    """Issue 22: the constructor validates its props and composes rows; the def line through its last statement,
    the docstring left out, is under 60 lines."""
    lines, start = inspect.getsourcelines(MediaLiveTrustedRole.__init__)
    doc = ast.get_docstring(ast.parse(textwrap.dedent("".join(lines))).body[0], clean=False)
    assert doc is not None
    assert len(lines) - (doc.count("\n") + 1) < 60


def test_the_table_as_shipped_passes_its_check():
    check_props_table(TRUSTED_ROLE_PROPS, MediaLiveTrustedRole.__init__)


def _broken(**change) -> tuple[TrustedRoleProp, ...]:
    return (replace(TRUSTED_ROLE_PROPS[1], **change),) + TRUSTED_ROLE_PROPS[2:]


@pytest.mark.parametrize("change, message", [
    ({"prop": "source_bucket"}, "source_bucket: not a parameter of the constructor and a field of WorkflowProps"),
    ({"value": lambda p: p.destination_buckets},
     "source_buckets: its value does not read WorkflowProps.source_buckets"),
    ({"value": lambda p: p.no_such_prop}, "source_buckets: its value does not read WorkflowProps.source_buckets"),
    ({"rows": ("T18.read", "T99")}, "source_buckets: row 'T99' is not in catalog.TRUSTED_ROWS"),
    ({"rows": ("S1",)}, "source_buckets: row 'S1' is not in catalog.TRUSTED_ROWS"),
    ({"rows": ("T1",)}, "source_buckets: row 'T1' grants nothing"),
    ({"kinds": (S3_BUCKET, "bucket")}, "source_buckets: kind 'bucket' is not in catalog.ALL_KINDS"),
    ({"kinds": (S3_BUCKET, IAM_ROLE)}, "source_buckets: kind 'role' is taken by none of its rows' grants"),
    ({"parser": "_bucket_grants"}, "source_buckets: parser '_bucket_grants' is not callable"),
])
def test_a_broken_table_fails_with_the_mismatch(change, message):
    with pytest.raises(RuntimeError, match="TRUSTED_ROLE_PROPS does not match") as e:
        check_props_table(_broken(**change), MediaLiveTrustedRole.__init__)
    assert message in str(e.value)


def test_a_props_field_must_keep_the_constructors_default():
    def init() -> None:  # stands for a constructor whose logging is off by default (WorkflowProps: None, on)
        raise AssertionError("never called")

    signature = inspect.signature(MediaLiveTrustedRole.__init__)
    params = [p.replace(default=False) if p.name == "logging" else p for p in signature.parameters.values()]
    init.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError, match=re.escape("WorkflowProps.logging: default None is not the constructor's")):
        check_props_table(TRUSTED_ROLE_PROPS, init)
