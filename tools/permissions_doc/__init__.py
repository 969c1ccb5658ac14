"""The guide's Step 6, automated: what each group may do, generated from the synthesized template.

The package's handout (:mod:`medialive_iam_constructs.handout`) renders the document; this dev tool only adds
the evaluated column: for every IAM group of the template and every catalog row (user rows S.., F3 and
administrator rows A..), each action of the row is sent to the IAM evaluator (``tools.iam_evaluator``:
iam-simulate) as the request a member would make:

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
from typing import Any, Iterable, Mapping, Sequence

from tools.iam_evaluator import DEFAULT_ACCOUNT, DEFAULT_PARTITION, DEFAULT_REGION, Evaluator, PrincipalPolicies
from medialive_iam_constructs import catalog
from medialive_iam_constructs._rows import sid_rows
from medialive_iam_constructs.catalog.model import Row
from medialive_iam_constructs.handout import EvaluatedGroup, evaluated_groups, render, render_terminal
from medialive_iam_constructs.template import listed

__all__ = ["GroupView", "evaluate_groups", "render_markdown", "render_terminal"]

SAMPLE_ID = "example"
_CONDITION_OPS = ("StringEquals", "StringLike", "ArnEquals", "ArnLike")

#: One group with its evaluated decisions (the package's handout type).
GroupView = EvaluatedGroup


def _matching_statement(statements: Iterable[Mapping[str, Any]], row: Row, action: str,
                        effect: str = "Allow") -> Mapping[str, Any] | None:
    for s in statements:
        if s.get("Effect") != effect or row.id not in sid_rows(s.get("Sid", "")):
            continue
        if any(fnmatch.fnmatch(action.lower(), a.lower()) for a in listed(s.get("Action", []))):
            return s
    return None


def _sample_for(row: Row, grant, action: str, statements: Sequence[Mapping[str, Any]]) -> tuple[str, dict]:
    effect = getattr(grant, "effect", "Allow")
    stmt = _matching_statement(statements, row, action, effect)
    context: dict[str, Any] = {}
    if stmt and effect == "Allow":
        for op, keys in (stmt.get("Condition") or {}).items():
            if op in _CONDITION_OPS:
                for key, val in keys.items():
                    context[key] = str(listed(val)[0]).replace("*", SAMPLE_ID)
    if grant.on_star:
        return "*", context
    kind = grant.kinds[0]
    fallback = kind.render(partition=DEFAULT_PARTITION, region=DEFAULT_REGION, account=DEFAULT_ACCOUNT,
                           **{n: SAMPLE_ID for n in kind.identifier_names if n not in grant.identifiers},
                           **grant.identifiers)
    if stmt:
        prefix = fallback.split(SAMPLE_ID)[0].split("*")[0]
        for res in listed(stmt.get("Resource", [])):
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
    rows = [r for r in (rows or catalog.ALL_ROWS) if r.table in ("user", "admin") and r.grants]

    def decide(pol: PrincipalPolicies, statements: Sequence[Mapping[str, Any]]) -> dict[str, str]:
        requests, index = [], []
        for row in rows:
            for grant in row.grants:
                for action in grant.actions:
                    resource, context = _sample_for(row, grant, action, statements)
                    requests.append(dict(identity_policies=pol.identity_policies, permission_boundaries=pol.permissions_boundary,
                                         action=action, resource=resource, principal=pol.principal_arn, context=context))
                    index.append(row.id)
        per_row: dict[str, list[str]] = {}
        for rid, result in zip(index, evaluator.evaluate_many(requests)):
            per_row.setdefault(rid, []).append(result.result)
        return {rid: _decision(catalog.ROWS[rid], v) for rid, v in per_row.items()}

    return evaluated_groups(template, decide)


def render_markdown(template: Mapping[str, Any], views: list[GroupView], *, title: str, display_account: str | None) -> str:
    """docs/permissions.md: the package's handout with the evaluated column (:func:`evaluate_groups`)."""
    return render(template, title=title, evaluated=views, display_account=display_account)
