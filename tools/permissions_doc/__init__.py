"""The guide's Step 6, automated: what each group may do, generated from the synthesized template.

For every IAM group of the template and every catalog row (user rows S.., F3 and administrator rows A..),
each action of the row is sent to the IAM evaluator (``tools.iam_evaluator``: iam-simulate) as the request a
member would make:

* the resource: where the group's policies hold a statement traced to the row (its Sid carries the row
  ids) the statement's first resource for that kind, ``*`` identifiers replaced by ``example``; otherwise
  the catalog's resource kind in the test account with ``example`` identifiers;
* the context: the literal values of that statement's conditions (``iam:PassedToService``,
  ``aws:ResourceTag/...``), i.e. the request of a member who follows the rules.

A row is ``yes`` when every action is allowed, ``no`` when none is, ``partly`` otherwise. Nothing is read
from the construct inputs: the template is the only source, so the handout shows what was deployed.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from tools.iam_evaluator import DEFAULT_ACCOUNT, DEFAULT_PARTITION, DEFAULT_REGION, Evaluator, TemplatePrincipals
from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.model import Row

SAMPLE_ID = "example"
MARK = {"yes": "✅ yes", "no": "❌ no", "partly": "◐ partly", "enforced": "🛡 enforced", "not enforced": "⚠ NOT enforced"}
_CONDITION_OPS = ("StringEquals", "StringLike", "ArnEquals", "ArnLike")

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


def _alnum(row_id: str) -> str:
    return "".join(c for c in row_id if c.isalnum())


_TOKENS = sorted({_alnum(r.id) for r in catalog.ALL_ROWS}, key=len, reverse=True)


def sid_rows(sid: str) -> set[str]:
    """Row tokens in a Sid written by the packer (``F3S3run`` -> ``{"F3", "S3run"}``; ``S1No2`` -> ``{"S1"}``)."""
    sid = re.sub(r"No\d+$", "", sid or "")
    out, i = set(), 0
    while i < len(sid):
        for tok in _TOKENS:
            if sid.startswith(tok, i):
                out.add(tok)
                i += len(tok)
                break
        else:
            return out  # not one of ours
    return out


def _as_list(v: Any) -> list:
    return v if isinstance(v, list) else [v]


@dataclass(frozen=True)
class GroupView:
    logical_id: str
    name: str
    policies: tuple[str, ...]
    statements: tuple[dict, ...]
    role_arns: tuple[str, ...]
    decisions: Mapping[str, str]  # row id -> yes/no/partly


def _matching_statement(statements: Iterable[dict], row: Row, action: str, effect: str = "Allow") -> dict | None:
    tok = _alnum(row.id)
    for s in statements:
        if s.get("Effect") != effect or tok not in sid_rows(s.get("Sid", "")):
            continue
        if any(fnmatch.fnmatch(action.lower(), a.lower()) for a in _as_list(s.get("Action", []))):
            return s
    return None


def _sample_for(row: Row, grant, action: str, statements: list[dict]) -> tuple[str, dict]:
    effect = getattr(grant, "effect", "Allow")
    stmt = _matching_statement(statements, row, action, effect)
    context: dict[str, Any] = {}
    if stmt and effect == "Allow":
        for op, keys in (stmt.get("Condition") or {}).items():
            if op in _CONDITION_OPS:
                for key, val in keys.items():
                    context[key] = str(_as_list(val)[0]).replace("*", SAMPLE_ID)
    if grant.on_star:
        return "*", context
    kind = grant.kinds[0]
    fallback = kind.render(partition=DEFAULT_PARTITION, region=DEFAULT_REGION, account=DEFAULT_ACCOUNT,
                           **{n: SAMPLE_ID for n in kind.identifier_names if n not in grant.identifiers},
                           **grant.identifiers)
    if stmt:
        prefix = fallback.split(SAMPLE_ID)[0].split("*")[0]
        for res in _as_list(stmt.get("Resource", [])):
            if isinstance(res, str) and res.startswith(prefix[: max(len(prefix) - 1, 0)]):
                return res.replace("*", SAMPLE_ID), context
    return fallback.replace("*", SAMPLE_ID), context


def _decision(row: Row, results: list[str]) -> str:
    """yes / no / partly for a grant row; for a guard-rail row (Deny grants, evaluated on the guarded
    resources): enforced when no action is allowed."""
    if all(getattr(g, "effect", "Allow") == "Deny" for g in row.grants):
        return "enforced" if all(r != "Allowed" for r in results) else "not enforced"
    allowed = [r == "Allowed" for r in results]
    return "yes" if all(allowed) else "no" if not any(allowed) else "partly"


def evaluate_groups(template: Mapping[str, Any], evaluator: Evaluator, rows: Iterable[Row] | None = None) -> list[GroupView]:
    """For each group of the template: its policies, the role ARNs it may pass and a decision per row."""
    principals = TemplatePrincipals(template)
    rows = [r for r in (rows or catalog.ALL_ROWS) if r.table in ("user", "admin") and r.grants]
    views = []
    for lid, res in sorted(template.get("Resources", {}).items()):
        if res.get("Type") != "AWS::IAM::Group":
            continue
        pol = principals.policies_for(lid)
        statements = [s for p in pol.identity_policies for s in _as_list(p.document.get("Statement", []))]
        requests, index = [], []
        for row in rows:
            for grant in row.grants:
                for action in grant.actions:
                    resource, context = _sample_for(row, grant, action, statements)
                    requests.append(dict(identity_policies=pol.identity_policies, permission_boundaries=pol.permissions_boundary,
                                         action=action, resource=resource, principal=pol.principal_arn, context=context))
                    index.append(row.id)
        results = evaluator.evaluate_many(requests)
        per_row: dict[str, list[str]] = {}
        for rid, result in zip(index, results):
            per_row.setdefault(rid, []).append(result.result)
        decisions = {rid: _decision(catalog.ROWS[rid], v) for rid, v in per_row.items()}
        role_arns = sorted({
            r for s in statements if s.get("Effect") == "Allow"
            and any(a.lower() == "iam:passrole" for a in _as_list(s.get("Action", [])))
            for r in _as_list(s.get("Resource", []))
        })
        views.append(GroupView(lid, pol.name, tuple(p.name for p in pol.identity_policies), tuple(statements),
                               tuple(role_arns), decisions))
    return views


def _trusted_roles(template: Mapping[str, Any]) -> list[tuple[str, str, list[str]]]:
    """(logical id, ARN, services it may use) for each role MediaLive may assume."""
    principals = TemplatePrincipals(template)
    out = []
    for lid, res in sorted(template.get("Resources", {}).items()):
        if res.get("Type") != "AWS::IAM::Role":
            continue
        trust = res.get("Properties", {}).get("AssumeRolePolicyDocument", {})
        services = {str(principals.resolve(s)) for st in _as_list(trust.get("Statement", []))
                    for s in _as_list((st.get("Principal") or {}).get("Service", []))}
        if "medialive.amazonaws.com" not in services:
            continue
        pol = principals.policies_for(lid)
        used = sorted({a.split(":")[0] for p in pol.identity_policies for s in _as_list(p.document.get("Statement", []))
                       for a in _as_list(s.get("Action", []))})
        out.append((lid, principals.arn_of(lid), used))
    return out


def _node_id(text: str) -> str:
    return re.sub(r"\W", "_", text)


def render_markdown(template: Mapping[str, Any], views: list[GroupView], *, title: str, display_account: str | None) -> str:
    """docs/permissions.md: the matrix, each group's roles and duties, and a mermaid diagram."""
    def show(arn: str) -> str:
        return arn.replace(DEFAULT_ACCOUNT, display_account) if display_account else arn

    rows = [r for r in catalog.ALL_ROWS if any(r.id in v.decisions for v in views)]
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


def render_terminal(views: list[GroupView]) -> str:
    """A compact matrix for the terminal: one line per row, one column per group (legend above)."""
    rows = [r for r in catalog.ALL_ROWS if any(r.id in v.decisions for v in views)]
    short = {"yes": "Y", "no": ".", "partly": "~", "enforced": "D", "not enforced": "!"}
    codes = [chr(ord("a") + i) for i in range(len(views))]
    lines = [f"  {c} = {v.name}" for c, v in zip(codes, views)]
    lines += ["", f"{'row':<14} " + " ".join(codes), "-" * (15 + 2 * len(views))]
    for r in rows:
        lines.append(f"{r.id:<14} " + " ".join(short[v.decisions.get(r.id, 'no')] for v in views) + f"  {r.title[:70]}")
    lines.append("Y allowed, . denied, ~ partly, D guard rail holds (not allowed), ! guard rail broken;")
    lines.append("evaluated by iam-simulate on the synthesized template")
    return "\n".join(lines)
