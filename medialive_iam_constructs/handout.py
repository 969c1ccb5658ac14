"""Step 6 for any app: who can do what, row by row, and the role ARNs each group may pass.

The guide's Step 6 asks the administrator to tell each group what it may do and which role ARNs to choose. This
module renders that handout from a synthesized template alone, from what the constructs record: the catalog rows
of every group and role (``medialive-iam:rows`` metadata), the roles each group's PassRole statements name, and
the tags its statements' conditions require (``aws:ResourceTag/<key>``: a tag-scoped row says on which tag, and
``partly`` with what it grants untagged when not every statement of the row carries the tag). ARNs
carry the stack's account, region and partition where its environment (in the cloud assembly's manifest) fixes
them, placeholders (``<AWS::AccountId>``) where the stack is environment-agnostic. It
ships with the package and needs no evaluator; the repository's tests prove, through the IAM evaluator, that what
it says matches what the policies do (``tests/test_handout.py``).

It is also the renderer of the repository's ``docs/permissions.md``: given the decisions an IAM evaluator made for
each group and catalog row (:func:`evaluated_groups` takes them from a ``decide`` hook, which the dev tool
``tools.permissions_doc`` supplies), :func:`render` writes the evaluated handout instead: the matrix of rows by
groups, each group's roles and duties, the trusted-entity roles and a diagram.

Usage on your own cloud assembly (the package's command, :mod:`medialive_iam_constructs.cli`; ``python -m
medialive_iam_constructs.handout`` runs the same)::

    cdk synth
    medialive-iam handout cdk.out [--stack MyStack] [--format terminal] [--write handout.md]
"""

from __future__ import annotations

import fnmatch
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from . import catalog
from ._rows import sid_rows
from .assembly import find_stack, pseudo_parameters
from .principals import DEFAULT_ACCOUNT, PrincipalPolicies, TemplatePrincipals
from .template import Placeholders, listed, policy_holders, statements
from .testing import rows_of

__all__ = ["EvaluatedGroup", "GroupHandout", "evaluated_groups", "group_handouts", "load_stack",
           "pass_role_targets", "render", "render_terminal", "render_text", "tag_scopes", "main"]

_TYPES = {"AWS::IAM::Group": "group", "AWS::IAM::Role": "role"}


class GroupHandout:
    """One principal's part of the handout. ``scopes``: for each tag-scoped row, on what (:func:`tag_scopes`);
    ``pass_tags``: for each role ARN it may pass, the tags the role must carry (``"Team=news"``), if any."""

    def __init__(self, logical_id: str, kind: str, name: str, rows: tuple[str, ...], passable: tuple[str, ...],
                 scopes: Mapping[str, str] | None = None, pass_tags: Mapping[str, str] | None = None):
        """
        :param logical_id: the principal's logical id in the template.
        :param kind: ``group`` or ``role``.
        :param name: its name (``GroupName`` / ``RoleName``, else the logical id).
        :param rows: the catalog rows it was given (its ``medialive-iam:rows`` metadata).
        :param passable: the roles it may pass to MediaLive.
        :param scopes: for each tag-scoped row, on what (:func:`tag_scopes`).
        :param pass_tags: for each role ARN it may pass, the tags the role must carry, if any.
        """
        self.logical_id, self.kind, self.name, self.rows, self.passable = logical_id, kind, name, rows, passable
        self.scopes, self.pass_tags = dict(scopes or {}), dict(pass_tags or {})


_TAG_KEY = re.compile(r"aws:(ResourceTag|RequestTag)/(.+)", re.IGNORECASE)
_TAG_OPERATORS = ("StringEquals", "StringEqualsIgnoreCase", "StringLike")


def _tags(statement: Mapping[str, Any], which: str) -> tuple[str, ...]:
    """The tags (``"Team=news"``, values of one key joined by ``or``) a statement's conditions require on the
    resource (``which="ResourceTag"``) or in the request (``"RequestTag"``), read from the policy alone (an
    ``...IfExists`` operator requires nothing)."""
    out = []
    for operator, block in (statement.get("Condition") or {}).items():
        if operator not in _TAG_OPERATORS or not isinstance(block, Mapping):
            continue
        for key, values in block.items():
            m = _TAG_KEY.fullmatch(str(key))
            if m and m.group(1).lower() == which.lower():
                out.append(f"{m.group(2)}=" + " or ".join(str(v) for v in listed(values)))
    return tuple(sorted(out))


def _resource_kind(resource: str) -> str:
    """``channels`` for ``arn:...:medialive:...:channel:*``, ``input security groups``, ``roles``, ``mediapackage
    channels``: the resource type an ARN (or pattern) names, in words."""
    if resource == "*":
        return "any resource"
    parts = re.sub(r"<[^<>]*>", lambda m: m.group(0).replace(":", "_"), resource).split(":", 5)  # <AWS::Partition>
    if len(parts) < 6:
        return "resources"
    service, kind = parts[2], re.split(r"[:/]", parts[5])[0]
    words = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind).replace("-", " ").replace("_", " ").lower() or "resource"
    plural = words if words.endswith("s") else words + ("es" if words.endswith("x") else "s")
    return plural if service in ("medialive", "iam") else f"{service} {plural}"


#: An action that only reads (``List*``, ``Describe*``, ``Get*``, ``BatchGet*``): on ``*`` it names no resource, so
#: a tag condition could not limit it anyway; any other action on ``*`` writes.
_READ_ACTION = re.compile(r"[^:]*:(List|Describe|Get|BatchGet)", re.IGNORECASE)
#: At most this many untagged actions are named; more are counted.
_NAMED_ACTIONS = 3


def _untagged(statement: Mapping[str, Any], text: Callable[[Any], str]) -> dict[str, set[str]]:
    """What an Allow statement without a tag condition grants that a tag cannot limit: for each resource kind it
    names, its actions; on ``*``, its actions that write (a read on ``*`` names no resource)."""
    if _tags(statement, "ResourceTag") or _tags(statement, "RequestTag"):
        return {}
    actions = {str(a) for a in listed(statement.get("Action", []))}
    out: dict[str, set[str]] = {}
    for resource in (text(r) for r in listed(statement.get("Resource", []))):
        acts = actions if resource != "*" else {a for a in actions if not _READ_ACTION.match(a)}
        if acts:
            out.setdefault(_resource_kind(resource), set()).update(acts)
    return out


def _tag_list(tags: Iterable[str]) -> str:
    return " and ".join(f"`{t}`" for t in sorted(tags))


def tag_scopes(policy_statements: Iterable[Mapping[str, Any]], text: Callable[[Any], str] = str) -> dict[str, str]:
    """For each catalog row (named by the statements' Sids) that a tag condition limits, on what, as the handout
    prints it after "yes": ``only channels, inputs tagged Team=news; creates them only tagged Team=news`` when every
    Allow statement of the row that names a resource or writes carries the condition, else ``partly: tagged
    Team=news for channels; untagged: input devices (11 actions), any resource (medialive:BatchStart)``: what the
    row's statements grant without it (a statement merged for several rows counts for each). Read from the policy
    conditions (``aws:ResourceTag/<key>``, ``aws:RequestTag/<key>``), never from the constructs."""
    kinds: dict[str, set[str]] = {}
    tags: dict[str, set[str]] = {}
    creates: dict[str, set[str]] = {}
    loose: dict[str, dict[str, set[str]]] = {}
    for st in policy_statements:
        if st.get("Effect") != "Allow":
            continue
        on, made, untagged = _tags(st, "ResourceTag"), _tags(st, "RequestTag"), _untagged(st, text)
        for row in sid_rows(str(st.get("Sid", ""))):
            if on:
                kinds.setdefault(row, set()).update(_resource_kind(text(r)) for r in listed(st.get("Resource", [])))
                tags.setdefault(row, set()).update(on)
            if made:
                creates.setdefault(row, set()).update(made)
            for kind, actions in untagged.items():
                loose.setdefault(row, {}).setdefault(kind, set()).update(actions)
    out = {}
    for row in sorted(set(tags) | set(creates)):
        partly = row in loose
        parts = []
        if row in tags:
            on = ", ".join(sorted(kinds[row]))
            parts.append(f"partly: tagged {_tag_list(tags[row])} for {on}" if partly
                         else f"only {on} tagged {_tag_list(tags[row])}")
        if row in creates:
            lead = "partly: " if partly and not parts else ""
            parts.append(f"{lead}creates them only tagged {_tag_list(creates[row])}")
        if partly:
            parts.append("untagged: " + ", ".join(
                f"{kind} ({', '.join(sorted(acts)) if len(acts) <= _NAMED_ACTIONS else f'{len(acts)} actions'})"
                for kind, acts in sorted(loose[row].items(), key=lambda k: (k[0] == "any resource", k[0]))))
        out[row] = "; ".join(parts)
    return out


def pass_role_targets(policy_statements: Iterable[Mapping[str, Any]]) -> list[Any]:
    """The resources of the Allow statements that name ``iam:PassRole`` (IAM compares actions case-insensitively):
    the roles, or role patterns, the statements let a principal pass. The one PassRole extractor of the handouts."""
    return [r for s in policy_statements if s.get("Effect") == "Allow"
            and any(str(a).lower() == "iam:passrole" for a in listed(s.get("Action", [])))
            for r in listed(s.get("Resource", []))]


def _passable(policy_statements: Iterable[Mapping[str, Any]], text: Callable[[Any], str] = str) -> tuple[str, ...]:
    return tuple(sorted({text(r) for r in pass_role_targets(policy_statements)}))


def _pass_tags(policy_statements: Iterable[Mapping[str, Any]], text: Callable[[Any], str]) -> dict[str, str]:
    """For each role ARN an Allow ``iam:PassRole`` statement names with a resource tag condition, those tags."""
    out: dict[str, str] = {}
    for st in policy_statements:
        tags = _tags(st, "ResourceTag")
        if tags and pass_role_targets([st]):
            out.update({text(r): " and ".join(f"`{t}`" for t in tags) for r in listed(st.get("Resource", []))})
    return out


def group_handouts(template: Mapping[str, Any], *, environment: str | None = None) -> list[GroupHandout]:
    """Every group and role the constructs made, with its rows, what it may pass and the tags that scope it, in name
    order. ``environment`` (``aws://ACCOUNT/REGION``, the stack's in the cloud assembly's manifest): ARNs are written
    with its account, region and partition where it knows them, else with ``<AWS::AccountId>``... placeholders."""
    resources = template.get("Resources") or {}
    text = Placeholders(fallback=lambda v: json.dumps(v, sort_keys=True), roles=resources,
                        pseudo=pseudo_parameters(environment)).render
    held = policy_holders(template)
    out = []
    for logical_id, rows in rows_of(dict(template)).items():
        res = resources[logical_id]
        kind = _TYPES.get(res.get("Type"), "principal")
        props = res.get("Properties") or {}
        name = props.get("GroupName") or props.get("RoleName") or logical_id
        own = statements(held.get(logical_id, {}).values())
        out.append(GroupHandout(logical_id, kind, text(name), rows, _passable(own, text), tag_scopes(own, text),
                                _pass_tags(own, text)))
    return sorted(out, key=lambda h: (h.kind, h.name))


# --------------------------------------------------------------------------------------------------
# With decisions: the evaluated handout (docs/permissions.md)
# --------------------------------------------------------------------------------------------------

#: A decision per catalog row id: ``yes``, ``no``, ``partly``; for a guard rail ``enforced`` or ``not enforced``.
Decisions = Mapping[str, str]
MARK = {"yes": "✅ yes", "no": "❌ no", "partly": "◐ partly", "enforced": "🛡 enforced", "not enforced": "⚠ NOT enforced"}

#: Duties the guide asks the administrator to hand out (Step 6), each with the rows that carry it.
DUTIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("starts and stops channels", ("S10",)),
    ("creates and changes channels and inputs", ("S1",)),
    ("creates password parameters (Parameter Store)", ("S41",)),
    ("sets up email notifications (EventBridge rules, SNS topics)", ("S26", "S40")),
    ("sets channel-log retention", ("S28",)),
    ("buys reservations", ("S14",)),
    ("runs the workflow wizard", ("S15", "S16", "S20", "S22", "S23")),
    ("creates the simple option's MediaLiveAccessRole", ("S29",)),
    ("creates operator users and adds them to groups", ("A1", "A4")),
    ("creates per-workflow trusted roles", ("A5",)),
)


@dataclass(frozen=True)
class EvaluatedGroup:
    """One group of the evaluated handout: its policies as the template resolves them (in the evaluator's test
    account), the role ARNs it may pass, and the decision made for each catalog row."""

    #: the group's logical id in the template
    logical_id: str
    #: its name as the template resolves it
    name: str
    #: the names of the policies it holds
    policies: tuple[str, ...]
    #: their statements, resolved
    statements: tuple[Mapping[str, Any], ...]
    #: the role ARNs it may pass to MediaLive
    role_arns: tuple[str, ...]
    #: the decision made for each catalog row
    decisions: Decisions


def evaluated_groups(template: Mapping[str, Any],
                     decide: Callable[[PrincipalPolicies, Sequence[Mapping[str, Any]]], Decisions]
                     ) -> list[EvaluatedGroup]:
    """Every group of the template (by logical id), with ``decide(policies, statements)``: the decision per catalog
    row an evaluator made for the group (``tools.permissions_doc`` asks the IAM evaluator)."""
    principals = TemplatePrincipals(template)
    out = []
    for lid, res in sorted((template.get("Resources") or {}).items()):
        if res.get("Type") != "AWS::IAM::Group":
            continue
        pol = principals.policies_for(lid)
        held = tuple(statements(p.document for p in pol.identity_policies))
        out.append(EvaluatedGroup(lid, pol.name, tuple(p.name for p in pol.identity_policies), held, _passable(held),
                                  decide(pol, held)))
    return out


def _trusted_roles(template: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(logical id, ARN, services it may use) for each role MediaLive may assume."""
    principals = TemplatePrincipals(template)
    out = []
    for lid, res in sorted(template.get("Resources", {}).items()):
        if res.get("Type") != "AWS::IAM::Role":
            continue
        trust = res.get("Properties", {}).get("AssumeRolePolicyDocument", {})
        services = {str(principals.resolve(s)) for st in statements([trust])
                    for s in listed((st.get("Principal") or {}).get("Service", []))}
        if "medialive.amazonaws.com" not in services:
            continue
        pol = principals.policies_for(lid)
        used = sorted({a.split(":")[0] for s in statements(p.document for p in pol.identity_policies)
                       for a in listed(s.get("Action", []))})
        out.append((lid, principals.arn_of(lid), used))
    return out


def _node_id(text: str) -> str:
    return re.sub(r"\W", "_", text)


def _evaluated_rows(views: Sequence[EvaluatedGroup]) -> list[Any]:
    return [r for r in catalog.ALL_ROWS if any(r.id in v.decisions for v in views)]


def _render_evaluated(template: Mapping[str, Any], views: Sequence[EvaluatedGroup], *, title: str,
                      display_account: str | None) -> str:
    """docs/permissions.md: the matrix, each group's roles and duties, and a mermaid diagram."""
    def show(arn: str) -> str:
        return arn.replace(DEFAULT_ACCOUNT, display_account) if display_account else arn

    rows = _evaluated_rows(views)
    names = [v.name for v in views]
    lines = [
        f"# Who can do what: {title}",
        "",
        "Generated by `bash scripts/main.sh` from the synthesized sample app (`cdk.out`), not from the construct",
        "inputs: every action of every catalog row was evaluated for each group by the IAM evaluator",
        "(iam-simulate). A test fails when this file is out of date. ✅ every action allowed, ❌ none,",
        "◐ some; for guard-rail rows (A8, explicit denies) 🛡 the guarded actions are not allowed.",
        "Row ids: `docs/catalog.md`.",
        "",
        "## Activities by group",
        "",
        "| Row | Activity | " + " | ".join(f"`{n}`" for n in names) + " |",
        "|---|---|" + "---|" * len(names),
    ]
    for r in rows:
        lines.append(f"| {r.id} | {r.title} | " + " | ".join(MARK[v.decisions.get(r.id, 'no')] for v in views) + " |")
    lines += ["", "## Per group (hand this to its members)", ""]
    for v in views:
        duties = [d for d, ids in DUTIES if all(v.decisions.get(i) == "yes" for i in ids if i in v.decisions)
                  and any(i in v.decisions for i in ids)]
        cannot = [f"{r.id} {r.title}" for r in rows if v.decisions.get(r.id) == "no" and r.table == "user"]
        lines += [f"### `{v.name}`", "", f"Policies: {', '.join(f'`{p}`' for p in v.policies)}", ""]
        by_scope: dict[str, list[str]] = {}
        for row_id, scope in tag_scopes(v.statements).items():
            by_scope.setdefault(scope, []).append(row_id)
        if by_scope:
            lines += ["Tag-scoped (read from the policies' conditions): "
                      + "; ".join(f"{', '.join(ids)}: {scope}" for scope, ids in by_scope.items()) + ".", ""]
        if v.role_arns:
            lines += ["Trusted-entity roles you may choose (type the ARN in the channel's IAM role section):", ""]
            lines += [f"- `{show(a)}`" for a in v.role_arns] + [""]
        else:
            lines += ["Trusted-entity roles: none (this group creates no channels).", ""]
        lines += ["Duties: " + ("; ".join(duties) if duties else "none beyond watching channels") + ".", ""]
        if cannot:
            lines += [f"Cannot ({len(cannot)} activities): " + "; ".join(cannot) + ".", ""]
    roles = _trusted_roles(template)
    lines += ["## Trusted-entity roles", "", "| Role | ARN | Services it may use |", "|---|---|---|"]
    lines += [f"| `{lid}` | `{show(arn)}` | {', '.join(svc)} |" for lid, arn, svc in roles]
    lines += ["", "## Diagram", "", "```mermaid", "flowchart LR"]
    role_ids = {arn: lid for lid, arn, _ in roles}
    for v in views:
        lines.append(f"  {v.logical_id}[\"group {v.name}\"]")
        for p in v.policies:
            pid = _node_id(p)
            lines.append(f"  {v.logical_id} --> {pid}([\"{p}\"])")
        for arn in v.role_arns:
            target = next((lid for a, lid in role_ids.items() if fnmatch.fnmatch(a, arn)), None)
            if target:
                lines.append(f"  {v.logical_id} -. PassRole .-> {target}")
    for lid, arn, services in roles:
        lines.append(f"  {lid}{{{{\"role {arn.split(':role', 1)[1]}\"}}}}")
        for s in services:
            lines.append(f"  {lid} --> svc_{_node_id(s)}[{s}]")
    lines += ["```", ""]
    return "\n".join(lines)


def render_terminal(views: Sequence[EvaluatedGroup]) -> str:
    """The evaluated handout as a compact matrix for the terminal: one line per row, one column per group."""
    rows = _evaluated_rows(views)
    short = {"yes": "Y", "no": ".", "partly": "~", "enforced": "D", "not enforced": "!"}
    codes = [chr(ord("a") + i) for i in range(len(views))]
    lines = [f"  {c} = {v.name}" for c, v in zip(codes, views)]
    lines += ["", f"{'row':<14} " + " ".join(codes), "-" * (15 + 2 * len(views))]
    for r in rows:
        lines.append(f"{r.id:<14} " + " ".join(short[v.decisions.get(r.id, 'no')] for v in views) + f"  {r.title[:70]}")
    lines.append("Y allowed, . denied, ~ partly, D guard rail holds (not allowed), ! guard rail broken;")
    lines.append("evaluated by iam-simulate on the synthesized template")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# The handout
# --------------------------------------------------------------------------------------------------


def render(template: Mapping[str, Any], *, title: str, environment: str | None = None,
           evaluated: Sequence[EvaluatedGroup] | None = None, display_account: str | None = None) -> str:
    """The handout as Markdown: one table per principal, one line per catalog row with its title and source.

    ``evaluated`` (:func:`evaluated_groups`, decisions from an evaluator): the evaluated handout instead, one column
    per group, the evaluator's test account shown as ``display_account`` in ARNs."""
    if evaluated is not None:
        return _render_evaluated(template, evaluated, title=title, display_account=display_account)
    lines = [f"# Who can do what: {title}", ""]
    if environment:
        lines += [f"Environment: `{environment}`.", ""]
    lines += ["Rendered from the catalog rows the constructs recorded in the template (`medialive-iam:rows`); row ids",
              "are those of AWS's tables (docs/catalog.md). Guard rails (explicit denies) are marked as such; a row",
              "its policies limit by tag says on which tag (read from their `aws:ResourceTag` conditions); `partly`",
              "when some of its statements grant without the tag, and what they grant untagged.", ""]
    for h in group_handouts(template, environment=environment):
        lines += [f"## {h.kind} `{h.name}`", ""]
        if h.passable:
            lines += ["Role ARNs it may choose for its channels (passed to MediaLive only):", ""]
            lines += [f"- `{arn}`" + (f" (only roles tagged {h.pass_tags[arn]})" if arn in h.pass_tags else "")
                      for arn in h.passable] + [""]
        lines += ["| Row | May | Activity |", "|---|---|---|"]
        lines += [f"| {row_id} | {may} | {title} |" for row_id, may, title in _row_lines(h)]
        lines.append("")
    return "\n".join(lines)


def _row_lines(h: GroupHandout) -> list[tuple[str, str, str]]:
    """``(row, may, activity)`` of each of ``h``'s rows, as both renderers print them: ``yes`` (with the tag a
    condition limits it to), ``partly: ...`` (a tag limits some of it, :func:`tag_scopes`),
    ``guard rail`` (explicit denies) or ``?`` (a row this version's catalog lacks)."""
    out = []
    for row_id in h.rows:
        row = catalog.ROWS.get(row_id)
        if row is None:
            out.append((row_id, "?", "(not in this version's catalog)"))
            continue
        guard = row.grants and all(g.effect == "Deny" for g in row.grants)
        scope = h.scopes.get(row_id, "")
        may = scope if scope.startswith("partly") else "yes" + (f", {scope}" if scope else "")
        out.append((row_id, "guard rail" if guard else may, row.title))
    return out


def render_text(template: Mapping[str, Any], *, title: str, environment: str | None = None) -> str:
    """The handout of :func:`render` as plain text for a terminal: per principal its role ARNs and its rows."""
    lines = [f"Who can do what: {title}" + (f" ({environment})" if environment else "")]
    for h in group_handouts(template, environment=environment):
        lines += ["", f"{h.kind} {h.name}"]
        lines += [f"  may pass {arn}" + (f" (only roles tagged {h.pass_tags[arn]})" if arn in h.pass_tags else "")
                  for arn in h.passable]
        lines += [f"  {row_id:<16} {may:<10} {title}" for row_id, may, title in _row_lines(h)]
    return "\n".join(lines)


def load_stack(out: Path, stack: str) -> tuple[dict, str | None]:
    """The template of ``stack`` (name or display name, stages and nested stacks included) in a cloud assembly, and
    its environment."""
    found = find_stack(out, stack, error=lambda message: SystemExit(f"medialive_iam_constructs.handout: {message}"))
    return dict(found.template), found.environment or None


def main(argv: list[str] | None = None) -> int:
    """``python -m medialive_iam_constructs.handout CDK_OUT [--stack NAME]``: ``medialive-iam handout`` (the
    package's command, :mod:`medialive_iam_constructs.cli`), kept for the command lines that call it."""
    from .cli import main as cli_main

    return cli_main(["handout", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    sys.exit(main())
