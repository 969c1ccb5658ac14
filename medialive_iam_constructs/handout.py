"""Step 6 for any app: who can do what, row by row, and the role ARNs each group may pass.

The guide's Step 6 asks the administrator to tell each group what it may do and which role ARNs to choose. This
module renders that handout from a synthesized template alone, from what the constructs record: the catalog rows
of every group and role (``medialive-iam:rows`` metadata) and the roles each group's PassRole statements name. It
ships with the package and needs no evaluator; the repository's tests prove, through the IAM evaluator, that what
it says matches what the policies do (``tests/test_handout.py``).

Usage on your own cloud assembly::

    cdk synth
    python -m medialive_iam_constructs.handout cdk.out --stack MyStack [--write handout.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Mapping

from . import catalog
from .testing import rows_of

__all__ = ["GroupHandout", "group_handouts", "load_stack", "render", "main"]

_TYPES = {"AWS::IAM::Group": "group", "AWS::IAM::Role": "role"}


class GroupHandout:
    """One principal's part of the handout."""

    def __init__(self, logical_id: str, kind: str, name: str, rows: tuple[str, ...], passable: tuple[str, ...]):
        self.logical_id, self.kind, self.name, self.rows, self.passable = logical_id, kind, name, rows, passable


def _text(value: Any, resources: Mapping[str, Any]) -> str:
    """A template value as text: literals kept, pseudo parameters as ``<AWS::...>``, a role's ARN by its name."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping):
        if "Ref" in value:
            return f"<{value['Ref']}>"
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return sep.join(_text(p, resources) for p in parts)
        if "Fn::GetAtt" in value:
            target, attribute = value["Fn::GetAtt"]
            props = (resources.get(target) or {}).get("Properties") or {}
            name = props.get("RoleName")
            if attribute == "Arn" and isinstance(name, str):
                return f"arn:<AWS::Partition>:iam::<AWS::AccountId>:role{props.get('Path', '/')}{name}"
            return f"<{target}.{attribute}>"
    return json.dumps(value, sort_keys=True)


def _passable(template: Mapping[str, Any], logical_id: str) -> tuple[str, ...]:
    """The role ARNs (or patterns) the principal's managed policies let it pass to MediaLive."""
    resources = template.get("Resources") or {}
    out: dict[str, None] = {}
    for res in resources.values():
        if res.get("Type") != "AWS::IAM::ManagedPolicy":
            continue
        props = res.get("Properties") or {}
        attached = [r.get("Ref") for r in (props.get("Groups") or []) + (props.get("Roles") or []) if isinstance(r, dict)]
        if logical_id not in attached:
            continue
        for s in props.get("PolicyDocument", {}).get("Statement", []):
            actions = s.get("Action") if isinstance(s.get("Action"), list) else [s.get("Action")]
            if s.get("Effect") != "Allow" or "iam:PassRole" not in actions:
                continue
            targets = s.get("Resource") if isinstance(s.get("Resource"), list) else [s.get("Resource")]
            for t in targets:
                out.setdefault(_text(t, resources), None)
    return tuple(sorted(out))


def group_handouts(template: Mapping[str, Any]) -> list[GroupHandout]:
    """Every group and role the constructs made, with its rows and what it may pass, in name order."""
    resources = template.get("Resources") or {}
    out = []
    for logical_id, rows in rows_of(dict(template)).items():
        res = resources[logical_id]
        kind = _TYPES.get(res.get("Type"), "principal")
        props = res.get("Properties") or {}
        name = props.get("GroupName") or props.get("RoleName") or logical_id
        out.append(GroupHandout(logical_id, kind, _text(name, resources), rows, _passable(template, logical_id)))
    return sorted(out, key=lambda h: (h.kind, h.name))


def render(template: Mapping[str, Any], *, title: str, environment: str | None = None) -> str:
    """The handout as Markdown: one table per principal, one line per catalog row with its title and source."""
    lines = [f"# Who can do what: {title}", ""]
    if environment:
        lines += [f"Environment: `{environment}`.", ""]
    lines += ["Rendered from the catalog rows the constructs recorded in the template (`medialive-iam:rows`); row ids",
              "are those of AWS's tables (docs/catalog.md). Guard rails (explicit denies) are marked as such.", ""]
    for h in group_handouts(template):
        lines += [f"## {h.kind} `{h.name}`", ""]
        if h.passable:
            lines += ["Role ARNs it may choose for its channels (passed to MediaLive only):", ""]
            lines += [f"- `{arn}`" for arn in h.passable] + [""]
        lines += ["| Row | May | Activity |", "|---|---|---|"]
        for row_id in h.rows:
            row = catalog.ROWS.get(row_id)
            if row is None:
                lines.append(f"| {row_id} | ? | (not in this version's catalog) |")
                continue
            guard = row.grants and all(g.effect == "Deny" for g in row.grants)
            lines.append(f"| {row_id} | {'guard rail' if guard else 'yes'} | {row.title} |")
        lines.append("")
    return "\n".join(lines)


def load_stack(out: Path, stack: str) -> tuple[dict, str | None]:
    """The template of ``stack`` (name or display name, stages included) in a cloud assembly, and its environment."""
    def walk(directory: Path):
        manifest = json.loads((directory / "manifest.json").read_text())
        for name, art in manifest.get("artifacts", {}).items():
            if art.get("type") == "aws:cloudformation:stack" and stack in (name, art.get("displayName")):
                env = art.get("environment", "")
                return json.loads((directory / art["properties"]["templateFile"]).read_text()), env or None
            if art.get("type") == "cdk:cloud-assembly":
                found = walk(directory / art["properties"]["directoryName"])
                if found:
                    return found
        return None

    found = walk(out)
    if not found:
        raise SystemExit(f"medialive_iam_constructs.handout: no stack {stack!r} in {out}")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m medialive_iam_constructs.handout",
                                     description="Step 6 handout of a synthesized stack: rows per group, role ARNs")
    parser.add_argument("out", type=Path, help="cloud assembly directory (cdk.out)")
    parser.add_argument("--stack", required=True, help="stack name or display name (Stage/Stack)")
    parser.add_argument("--write", type=Path, help="write the Markdown here (default: print it)")
    args = parser.parse_args(argv)
    template, environment = load_stack(args.out, args.stack)
    text = render(template, title=args.stack, environment=environment)
    if args.write:
        args.write.write_text(text)
        print(f"handout: wrote {args.write}")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
