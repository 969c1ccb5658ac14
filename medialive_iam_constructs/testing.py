"""A testing kit for apps built with these constructs: stable snapshots, and who gets which catalog rows.

Nothing here is needed to synthesize or deploy; it imports only aws-cdk-lib (and syrupy inside
:func:`snapshot_template` / :func:`json_snapshot`, for the tests that call them). ``docs/testing.md`` walks
through a test file from zero.

* :func:`normalized_template` -- a stack's template without what changes between synths for reasons that are
  not yours: asset hashes, the bootstrap-version parameter and rule, the ``AWS::CDK::Metadata`` resource and
  ``aws:cdk:path`` metadata. The constructs' own output is byte-identical on every synth.
* :func:`snapshot_template` / :func:`json_snapshot` -- that template compared with a syrupy snapshot, one JSON
  file per snapshot.
* :func:`rows_of` / :func:`assert_rows` -- the catalog rows (S1, T18.read, A4...) each group and role was given,
  read from the ``medialive-iam:rows`` metadata the constructs write on every principal they create.
* :func:`update_windows` -- whether a ``cdk deploy`` from one template to the next can leave a group, role or
  user without a permission it has before and after, for a moment (:mod:`medialive_iam_constructs.day2`).
"""

from __future__ import annotations

import copy
import json
import os
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Union

from aws_cdk import CfnResource, Stack
from aws_cdk.assertions import Template

from . import catalog
from ._rows import ROWS_METADATA_KEY
from .day2 import permission_atoms, update_windows

__all__ = [
    "ROWS_METADATA_KEY",
    "assert_rows",
    "json_snapshot",
    "normalized_template",
    "permission_atoms",
    "rows_of",
    "snapshot_template",
    "template_of",
    "update_windows",
]

#: A stack, an ``aws_cdk.assertions.Template``, a template as a dict, or the path of a ``.template.json`` file.
StackOrTemplate = Union[Stack, Template, Mapping[str, Any], str, os.PathLike]

#: What replaces a 64-hex-digit asset hash (S3Key ``<hash>.zip``, image tags, asset paths).
ASSET_HASH = "<asset hash>"
_HASH = re.compile(r"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")
#: Resource metadata keys that depend on where and how the app was synthesized, not on what it deploys.
VOLATILE_METADATA = ("aws:cdk:path", "aws:asset:path", "aws:asset:is-bundled", "aws:asset:property",
                     "aws:asset:dockerfile-path", "aws:asset:docker-build-args", "aws:asset:docker-build-target")


def template_of(stack_or_template: StackOrTemplate) -> dict:
    """The template as a new dict: synthesized from a stack, or copied from a Template, dict or file."""
    if isinstance(stack_or_template, Stack):
        return Template.from_stack(stack_or_template).to_json()
    if isinstance(stack_or_template, Template):
        return stack_or_template.to_json()
    if isinstance(stack_or_template, Mapping):
        return copy.deepcopy(dict(stack_or_template))
    if isinstance(stack_or_template, (str, os.PathLike)):
        return json.loads(Path(stack_or_template).read_text())
    raise TypeError(f"{stack_or_template!r} is not a Stack, a Template, a template dict or a template file")


def _without_hashes(value: Any) -> Any:
    if isinstance(value, str):
        return _HASH.sub(ASSET_HASH, value)
    if isinstance(value, list):
        return [_without_hashes(v) for v in value]
    if isinstance(value, dict):
        return {_without_hashes(k): _without_hashes(v) for k, v in value.items()}
    return value


def normalized_template(stack_or_template: StackOrTemplate) -> dict:
    """The template without its volatile parts, for snapshots and comparisons.

    Dropped: the ``BootstrapVersion`` parameter and ``CheckBootstrapVersion`` rule, ``AWS::CDK::Metadata``
    resources (and their ``CDKMetadataAvailable`` condition), the ``aws:cdk:path`` and ``aws:asset:*``
    resource metadata; asset hashes (64 hex digits, in ``S3Key`` and elsewhere) become ``<asset hash>``.
    Sections and ``Metadata`` blocks left empty are removed. Everything else is kept as synthesized.
    """
    template = template_of(stack_or_template)
    parameters = template.get("Parameters")
    if isinstance(parameters, dict):
        parameters.pop("BootstrapVersion", None)
    rules = template.get("Rules")
    if isinstance(rules, dict):
        rules.pop("CheckBootstrapVersion", None)
    resources = template.get("Resources")
    if isinstance(resources, dict):
        for logical_id in [k for k, v in resources.items() if isinstance(v, dict) and v.get("Type") == "AWS::CDK::Metadata"]:
            del resources[logical_id]
            conditions = template.get("Conditions")
            if isinstance(conditions, dict):
                conditions.pop("CDKMetadataAvailable", None)
        for resource in resources.values():
            metadata = resource.get("Metadata") if isinstance(resource, dict) else None
            if isinstance(metadata, dict):
                for key in VOLATILE_METADATA:
                    metadata.pop(key, None)
                if not metadata:
                    del resource["Metadata"]
    for section in ("Parameters", "Rules", "Conditions", "Resources", "Outputs", "Mappings"):
        if section in template and template[section] in ({}, None):
            del template[section]
    return _without_hashes(template)


# --- snapshots (syrupy) -----------------------------------------------------------------------------

def json_snapshot(snapshot: Any) -> Any:
    """syrupy's ``snapshot`` fixture with the JSON serializer: one ``__snapshots__/<test file>/<test>.json``
    per snapshot, a file a reviewer can read as the template it is. Needs syrupy (a test dependency)."""
    try:
        from syrupy.extensions.json import JSONSnapshotExtension
    except ImportError as e:  # pragma: no cover - depends on the user's environment
        raise ImportError("json_snapshot and snapshot_template need syrupy: pip install syrupy") from e
    return snapshot.use_extension(JSONSnapshotExtension)


def snapshot_template(snapshot: Any, stack_or_template: StackOrTemplate, *, name: str | None = None) -> None:
    """Compare the normalized template with its snapshot; raise ``AssertionError`` with syrupy's diff if it
    changed (``pytest --snapshot-update`` writes it instead: locally, after reading the diff; never in CI).

    :param snapshot: syrupy's ``snapshot`` fixture.
    :param name: the snapshot's name within the test (file ``<test>[<name>].json``); default: the stack's
        name when a stack is given (so one test can snapshot several stacks), else none (``<test>.json``).
    """
    if name is None and isinstance(stack_or_template, Stack):
        name = stack_or_template.stack_name
    assertion = json_snapshot(snapshot)
    if name is not None:
        assertion = assertion(name=name)
    if not assertion == normalized_template(stack_or_template):
        diff = assertion.get_assert_diff()
        which = f" {name!r}" if name else ""
        if diff and "does not exist" in diff[0]:
            raise AssertionError(f"the template has no snapshot{which} yet ({diff[0]}): create it locally with "
                                 "pytest --snapshot-update, review the file and commit it")
        raise AssertionError(f"the template differs from its snapshot{which} (- snapshot, + template):\n"
                             + "\n".join(diff))


# --- who gets which rows --------------------------------------------------------------------------------

def rows_of(stack_or_template: StackOrTemplate) -> dict[str, tuple[str, ...]]:
    """``{logical id: row ids}`` of every group and role that a construct of this library created (read from
    their ``medialive-iam:rows`` metadata), in the order the construct granted them."""
    template = template_of(stack_or_template)
    out = {}
    for logical_id, resource in (template.get("Resources") or {}).items():
        rows = ((resource or {}).get("Metadata") or {}).get(ROWS_METADATA_KEY)
        if rows is not None:
            out[logical_id] = tuple(rows)
    return out


_NAME_PROPERTIES = ("GroupName", "RoleName", "UserName")


def _logical_id_of(template: Mapping[str, Any], principal: Any) -> str:
    resources = template.get("Resources") or {}
    if not isinstance(principal, str):
        cfn = principal
        for attr in ("group", "role"):  # MediaLiveOperatorGroup / RestrictedAdmin, MediaLiveTrustedRole
            if not isinstance(cfn, CfnResource) and hasattr(cfn, attr):
                cfn = getattr(cfn, attr)
        if not isinstance(cfn, CfnResource):
            cfn = cfn.node.default_child
        return Stack.of(cfn).get_logical_id(cfn)
    if principal in resources:
        return principal
    named = [lid for lid, r in resources.items()
             if any((r.get("Properties") or {}).get(p) == principal for p in _NAME_PROPERTIES)]
    if len(named) == 1:
        return named[0]
    recorded = ", ".join(sorted(rows_of(template))) or "none"
    raise AssertionError(f"no {'single ' if named else ''}group or role with logical id or name {principal!r} "
                         f"in the template (principals with recorded rows: {recorded})")


def assert_rows(stack_or_template: StackOrTemplate, principal: Any, expected_rows: Iterable[str]) -> None:
    """Assert that ``principal`` was given exactly ``expected_rows`` (base ids such as ``S3`` stand for all
    their parts, ``S3.run`` and ``S3.delete``; order does not matter).

    :param principal: the logical id or the name (``GroupName``/``RoleName``) of a group or role, or the
        construct itself (``MediaLiveOperatorGroup``, ``RestrictedAdmin``, ``MediaLiveTrustedRole``, an
        ``iam.Group``/``iam.Role``).
    """
    template = template_of(stack_or_template)
    logical_id = _logical_id_of(template, principal)
    recorded = rows_of(template)
    if logical_id not in recorded:
        raise AssertionError(f"{logical_id} has no {ROWS_METADATA_KEY} metadata: it was not created by "
                             "MediaLiveOperatorGroup, RestrictedAdmin or MediaLiveTrustedRole")
    if isinstance(expected_rows, str):
        raise TypeError(f"expected_rows is a string; write [{expected_rows!r}]")
    try:
        want = set(catalog.expand(expected_rows))
    except KeyError as e:
        raise ValueError(f"unknown catalog row {e.args[0]!r} in expected_rows (row ids: docs/catalog.md)") from None
    got = set(recorded[logical_id])
    if want != got:
        order = {r.id: i for i, r in enumerate(catalog.ALL_ROWS)}
        ordered = lambda ids: ", ".join(sorted(ids, key=lambda r: order.get(r, len(order)))) or "none"  # noqa: E731
        raise AssertionError(f"{logical_id} ({principal if isinstance(principal, str) else type(principal).__name__}) "
                             f"has rows {ordered(got)}; missing: {ordered(want - got)}; "
                             f"not expected: {ordered(got - want)}")
