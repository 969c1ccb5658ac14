"""Narrow cdk-nag acknowledgements, each on the construct that causes the finding and each citing the
catalog row (S.., T.., F.., A..) or doc error (E..) that forces it.

cdk-nag 3.x reports granular findings such as ``AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:...]``;
an acknowledgement must name that exact id (the bare rule id acknowledges nothing), so a future wildcard
is never covered by an old acknowledgement. :func:`acknowledge_wildcards` derives the ids from the
statements a managed policy holds, the way cdk-nag prints them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, Iterable

from aws_cdk import Acknowledgment, Validations
from constructs import IConstruct

from . import catalog
from .catalog.console_template import CONSOLE_INLINE_POLICY_NAME, CONSOLE_TEMPLATE_MANAGED_POLICIES
from .statements import Statement
from .template import Placeholders
from .tokens import StackTokens, stack_of, stack_tokens

CITATION = re.compile(r"\b(?:[STFAWNM]\d+[a-z]?(?:\.\w+)?|E\d+)\b")


def _checked(finding_id: str, reason: str) -> Acknowledgment:
    if "[" not in finding_id and not finding_id.startswith(("HIPAA", "PCI", "NIST")):
        raise ValueError(f"{finding_id!r}: acknowledge granular AwsSolutions findings by their exact id")
    if not CITATION.search(reason):
        raise ValueError(f"the reason for {finding_id} must cite a catalog row (S13, T18, A2) or doc error (E14)")
    return Acknowledgment(id=finding_id, reason=reason)


def acknowledge(construct: IConstruct, finding_id: str, reason: str) -> None:
    """Acknowledge one granular cdk-nag finding on ``construct``. The reason must cite a row or doc error."""
    Validations.of(construct).acknowledge(_checked(finding_id, reason))


#: Template values as cdk-nag prints them in finding ids.
_NAG_TEXT = Placeholders(fallback=str)


def nag_text(value: Any) -> str:
    """A resolved template value as cdk-nag prints it in finding ids (``{"Ref": "X"}`` -> ``<X>``)."""
    return _NAG_TEXT.render(value)


def _why_star(stmt: Statement) -> str:
    """Per action: the catalog's recorded reason, or SAR's lack of resource types."""
    reasons: dict[str, set[str]] = defaultdict(set)
    for rid in stmt.rows:
        row = catalog.ROWS.get(rid)
        for grant in row.grants if row else ():
            if grant.on_star and grant.star_reason:
                for action in set(grant.actions) & set(stmt.actions):
                    reasons[grant.star_reason].add(action)
    explained = {a for acts in reasons.values() for a in acts}
    parts = [f"{', '.join(sorted(acts))}: {why}" for why, acts in sorted(reasons.items())]
    rest = sorted(set(stmt.actions) - explained)
    if rest:
        parts.append(f"{', '.join(rest)}: no resource-level permissions in the Service Authorization Reference")
    return "; ".join(parts)


def _why_identifier_wildcard(stmt: Statement, text: str) -> str:
    tables = {catalog.ROWS[r].table for r in stmt.rows if r in catalog.ROWS}
    scope = "this account" + ("" if ":::" in text or ":iam::" in text else " and region")
    if tables == {"trusted"}:
        return (f"the identifier wildcard stays inside the resource the workflow names ({scope}); MediaLive "
                "creates what lies under it per channel, with names not known in advance")
    return f"the identifier wildcard scopes the grant to this resource type in {scope}: the persona works on all of them"


def acknowledge_wildcards(policy: IConstruct, statements: Iterable[Statement], tokens: StackTokens | None = None) -> None:
    """Acknowledge the AwsSolutions-IAM5 findings that ``statements`` cause on ``policy``, one per finding id
    (``tokens``: the resolver of the policy's stack, if the caller has it)."""
    if tokens is None:
        tokens = stack_tokens(stack_of(policy))
    reasons: dict[str, set[str]] = defaultdict(set)
    for stmt in statements:
        rows = ", ".join(sorted(stmt.rows)) or "custom statement"
        for resource in stmt.resources:
            text = nag_text(tokens.resolve(resource))
            if "*" not in text:
                continue
            if text == "*":
                why = _why_star(stmt)
            else:
                why = _why_identifier_wildcard(stmt, text)
            reasons[f"AwsSolutions-IAM5[Resource::{text}]"].add(f"{rows}: {why}")
        for action in stmt.actions:
            if "*" in action:
                reasons[f"AwsSolutions-IAM5[Action::{action}]"].add(f"{rows}: wildcard action from the catalog")
    acks = [_checked(finding, " | ".join(sorted(why))) for finding, why in sorted(reasons.items())]
    if acks:
        Validations.of(policy).acknowledge(*acks)  # one call for all of a policy's findings


#: The NIST 800-53 R5, HIPAA and PCI rules the console's inline policy breaks (acknowledged on MediaLiveAccessRole).
SIMPLE_ROLE_INLINE_FINDINGS = (
    "NIST.800.53.R5-IAMNoInlinePolicy",
    "HIPAA.Security-IAMNoInlinePolicy",
    "PCI.DSS.321-IAMNoInlinePolicy",
)


def acknowledge_console_role(role: IConstruct, statements: list[dict]) -> None:
    """The console copy of ``MediaLiveAccessRole`` (simple option): one acknowledgement per granular finding of its
    ``statements`` (the inline policy, partition filled in) and managed policies, on ``role``, citing the T rows."""
    tokens = stack_tokens(stack_of(role))
    broad = ("this is the simple option's MediaLiveAccessRole, broad by design: it reproduces the console "
             "template (reference §2.3) exactly; use MediaLiveTrustedRole for least privilege")
    reasons: dict[str, list[str]] = {}
    for name in CONSOLE_TEMPLATE_MANAGED_POLICIES:
        reasons[f"AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/{name}]"] = [
            f"T23: the console template attaches {name}"]
    for s in statements:
        actions = s["Action"] if isinstance(s["Action"], list) else [s["Action"]]
        lowered = {a.lower() for a in actions}
        services = "/".join(sorted({a.split(":", 1)[0] for a in actions}))
        rows = sorted({r.id for r in catalog.TRUSTED_ROWS if lowered & {x.lower() for x in r.actions}}, key=_row_key)
        resources = s["Resource"] if isinstance(s["Resource"], list) else [s["Resource"]]
        for resource in resources:
            text = nag_text(tokens.resolve(resource))
            if "*" in text:
                reasons.setdefault(f"AwsSolutions-IAM5[Resource::{text}]", []).append(
                    f"{', '.join(rows)}: {services} on {text}")
    inline = (f"T5, T6, T11, T14, T16, T18: the console template writes the inline policy "
              f"{CONSOLE_INLINE_POLICY_NAME} (reference §2.2, §2.3) and the console's Update button rewrites it")
    for finding in SIMPLE_ROLE_INLINE_FINDINGS:
        reasons[finding] = [inline]
    for finding, why in sorted(reasons.items()):
        acknowledge(role, finding, "; ".join(why) + "; " + broad)



def _row_key(row_id: str) -> tuple:
    m = re.match(r"[A-Z](\d+)(.*)", row_id)
    return (int(m.group(1)), m.group(2)) if m else (0, row_id)
