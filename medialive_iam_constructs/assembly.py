"""The one reader of cloud assemblies (``cdk.out``): every stack of the app with its template and environment.

A cloud assembly's ``manifest.json`` lists the app's stacks (``aws:cloudformation:stack`` artifacts) and, for each
``Stage``, a nested assembly (``cdk:cloud-assembly``, a directory with a manifest of its own). A ``NestedStack`` is
no artifact: its template is a file asset of its parent, which the parent's ``AWS::CloudFormation::Stack`` resource
names (``aws:asset:path`` metadata when the CLI synthesizes, else the asset hash at the end of its ``TemplateURL``,
which the parent's asset manifest maps to the file). :func:`stacks` reads them all, in the manifest's order, each
stack followed by its nested stacks. Pure Python: no CDK, no node.

Used by the handout's command line, the access checks (:mod:`medialive_iam_constructs.prove`) and the repository's
dev tools (the IAM evaluator's command line, the permissions document, the local deploys).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Mapping

from .template import Placeholders

__all__ = ["StackTemplate", "find_stack", "partition_of", "pseudo_parameters", "stacks"]

#: What the manifest says of an environment it does not know.
UNKNOWN_ENV = ("", "unknown-account", "unknown-region")
_PARTITION_PREFIXES = (("cn-", "aws-cn"), ("us-gov-", "aws-us-gov"), ("us-isob-", "aws-iso-b"),
                       ("us-iso-", "aws-iso"), ("eu-isoe-", "aws-iso-e"), ("us-isof-", "aws-iso-f"))
_NESTED_SUFFIX = " Nested Stack Template"
_ASSET_HASH = re.compile(r"([0-9a-f]{64})\.json$")


@dataclass(frozen=True)
class StackTemplate:
    """One stack of a cloud assembly."""

    #: the manifest's artifact id; a nested stack: its parent's, ``/`` and the logical id of its stack resource
    artifact_id: str
    #: the construct path (``Prod/MediaLiveIam``; a nested stack: its parent's and its own path under the parent)
    display_name: str
    #: the stack's CloudFormation name; None for a nested stack (CloudFormation names it)
    stack_name: str | None
    #: ``aws://ACCOUNT/REGION`` as the manifest writes it (a nested stack: its parent's); ``""`` when it has none
    environment: str
    template_file: Path
    #: a nested stack: the artifact id of the stack whose resource it is
    parent: str | None = None

    @cached_property
    def template(self) -> Mapping[str, Any]:
        """The template (read once)."""
        return json.loads(self.template_file.read_text())

    @property
    def account(self) -> str | None:
        """The account the stack is synthesized for; None when environment-agnostic."""
        return _environment_parts(self.environment)[0]

    @property
    def region(self) -> str | None:
        """The region the stack is synthesized for; None when environment-agnostic."""
        return _environment_parts(self.environment)[1]

    @property
    def pseudo_parameters(self) -> dict[str, str]:
        """:func:`pseudo_parameters` of the stack's environment."""
        return pseudo_parameters(self.environment)


def pseudo_parameters(environment: str | None) -> dict[str, str]:
    """The pseudo parameters an environment ``aws://ACCOUNT/REGION`` (as the manifest writes it) fixes:
    ``AWS::AccountId`` when the account is known, ``AWS::Region`` and ``AWS::Partition`` when the region is; none for
    an environment-agnostic stack (``aws://unknown-account/unknown-region``) or no environment."""
    account, region = _environment_parts(environment)
    out = {}
    if account is not None:
        out["AWS::AccountId"] = account
    if region is not None:
        out.update({"AWS::Region": region, "AWS::Partition": partition_of(region)})
    return out


def _environment_parts(environment: str | None) -> tuple[str | None, str | None]:
    """(account, region) of ``aws://ACCOUNT/REGION``, each None where the manifest does not know it."""
    match = re.fullmatch(r"aws://([^/]*)/(.*)", environment or "")
    parts = (match.group(1), match.group(2)) if match else ("", "")
    return tuple(None if value in UNKNOWN_ENV else value for value in parts)  # type: ignore[return-value]


def partition_of(region: str) -> str:
    """The partition of a region (``cn-north-1`` -> ``aws-cn``; an unknown region by its prefix, else ``aws``)."""
    from .validation import partition_of_region

    try:
        known = partition_of_region(region)
    except Exception:  # noqa: BLE001 - an unknown region: fall back to its prefix
        known = None
    return known or next((p for prefix, p in _PARTITION_PREFIXES if region.startswith(prefix)), "aws")


def _assets(directory: Path, artifacts: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    """Asset hash -> file asset entry, from every asset manifest of one assembly directory."""
    out: dict[str, Mapping[str, Any]] = {}
    for art in artifacts.values():
        if art.get("type") == "cdk:asset-manifest" and (art.get("properties") or {}).get("file"):
            path = directory / art["properties"]["file"]
            if path.is_file():
                out.update(json.loads(path.read_text()).get("files") or {})
    return out


_URL_TEXT = Placeholders(fallback=str)


def _nested(parent: StackTemplate, directory: Path, assets: Mapping[str, Mapping[str, Any]]) -> list[StackTemplate]:
    """The nested stacks of ``parent`` (and theirs), in the order of its template's resources."""
    out = []
    for lid, res in (parent.template.get("Resources") or {}).items():
        if res.get("Type") != "AWS::CloudFormation::Stack":
            continue
        path = (res.get("Metadata") or {}).get("aws:asset:path")
        if path:
            asset = next((a for a in assets.values() if (a.get("source") or {}).get("path") == path), {})
        else:
            match = _ASSET_HASH.search(_URL_TEXT.render((res.get("Properties") or {}).get("TemplateURL", "")))
            asset = assets.get(match.group(1), {}) if match else {}
            path = (asset.get("source") or {}).get("path")
        name = str(asset.get("displayName", "")).removesuffix(_NESTED_SUFFIX).rsplit("/", 1)[-1] or lid
        if not path or not (directory / path).is_file():
            continue  # a stack resource that is not a nested stack of this app (a template URL of its own)
        child = StackTemplate(f"{parent.artifact_id}/{lid}", f"{parent.display_name}/{name}", None,
                              parent.environment, directory / path, parent.artifact_id)
        out += [child, *_nested(child, directory, assets)]
    return out


def stacks(directory: str | Path) -> list[StackTemplate]:
    """Every stack of the cloud assembly in ``directory``: the manifest's stacks in its order, the stages' nested
    assemblies where the manifest lists them, each stack followed by its nested stacks. ``ValueError`` when the
    directory holds no ``manifest.json``."""
    directory = Path(directory)
    manifest_path = directory / "manifest.json"
    if not manifest_path.is_file():
        raise ValueError(f"{directory} is not a cloud assembly: no manifest.json (run `cdk synth` first)")
    artifacts = json.loads(manifest_path.read_text()).get("artifacts") or {}
    assets = _assets(directory, artifacts)
    out: list[StackTemplate] = []
    for artifact_id, art in artifacts.items():
        props = art.get("properties") or {}
        if art.get("type") == "aws:cloudformation:stack":
            stack = StackTemplate(artifact_id, art.get("displayName", artifact_id),
                                  props.get("stackName", artifact_id), str(art.get("environment", "")),
                                  directory / props["templateFile"])
            out += [stack, *_nested(stack, directory, assets)]
        elif art.get("type") == "cdk:cloud-assembly" and props.get("directoryName"):
            out += stacks(directory / props["directoryName"])
    return out


def find_stack(directory: str | Path, name: str | None = None, *,
               error: Callable[[str], Exception] = ValueError) -> StackTemplate:
    """The stack called ``name`` in the assembly: by artifact id, else display name (``Prod/MediaLiveIam``), else
    stack name; with no name, the only stack that is not nested. Raises ``error(message)`` when none or several
    match (the message lists the assembly's stacks)."""
    try:
        found = stacks(directory)
    except ValueError as e:
        raise error(str(e)) from None
    listed = ", ".join(f"{s.display_name} (stack name {s.stack_name})" if s.stack_name else s.display_name
                       for s in found) or "none"
    if name is None:
        top = [s for s in found if s.parent is None]
        if len(top) == 1:
            return top[0]
        raise error(f"the assembly {directory} has several stacks; choose one: {listed}")
    for key in ("artifact_id", "display_name", "stack_name"):
        matches = [s for s in found if getattr(s, key) == name]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise error(f"several stacks match {name!r} in {directory}; stacks: {listed}")
    raise error(f"no stack {name!r} in {directory}; stacks: {listed}")
