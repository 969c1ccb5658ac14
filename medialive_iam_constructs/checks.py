"""The guard's and the quota checks, once, on the values both a synth and a cloud assembly give.

The rules of :class:`~medialive_iam_constructs.guard.MediaLiveIamGuard` (MediaLive roles the restricted
administrator cannot maintain, grants outside the catalog) and of the synth-time quota checks
(:class:`~medialive_iam_constructs.packing.PrincipalQuotaValidation`, :class:`~medialive_iam_constructs.scale.
StackResourceLimit`, :class:`~medialive_iam_constructs.scale.RolesPerAccountLimit`) are written here on resolved
template values (``{"Ref": "BoundaryPolicy..."}``, policy documents, ``Groups``/``Roles``/``Users`` lists): the
Aspect and the validations feed them from constructs (``stack.resolve``), :func:`check_assembly` (the ``medialive-iam
check`` command) feeds them from the templates of a cloud assembly someone else synthesized. Same rule, same
message, two sources; the rules take plain values, never a construct.

What a template cannot tell, :func:`check_assembly` reads from what the constructs record in it: a library principal
is a group or role with ``medialive-iam:rows`` metadata; a restricted administrator is such a group given row A5,
its permissions boundary and role path are the ``iam:PermissionsBoundary`` condition and the role ARN of its A5
statement; a principal's own policies are those whose every Sid names rows it was given (``_rows.sid_rows``);
the simple option's console role is the role named ``MediaLiveAccessRole`` (``catalog.SIMPLE_ROLE_NAME``). Construct
paths come from the ``aws:cdk:path`` metadata (``cdk synth`` writes it), else a resource is named by stack and
logical id. A role's quota of managed policies can be raised to 25: pass ``role_quota``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from . import catalog
from .template import WorstCase, listed, statements

__all__ = [
    "INLINE_BUDGET", "MANAGED_POLICY_MAX_CHARS", "MAX_MANAGED_POLICIES", "MAX_MANAGED_POLICIES_ADJUSTED",
    "MAX_RESOURCES_PER_STACK", "DEFAULT_ROLES_PER_ACCOUNT", "ENV_AGNOSTIC",
    "AdminScope", "AssemblyReport", "Finding", "attachment_table", "check_assembly", "document_size",
    "extra_managed_policy_warnings", "outside_catalog_warning", "principal_quota_errors", "principal_usage",
    "resource_limit_errors", "role_errors", "roles_per_account_errors",
]

_MEDIALIVE = catalog.MEDIALIVE_SERVICE

#: IAM quotas (reference §7.1).
MANAGED_POLICY_MAX_CHARS = 6144
MAX_MANAGED_POLICIES = {"group": 10, "role": 10, "user": 10}
MAX_MANAGED_POLICIES_ADJUSTED = {"group": 10, "role": 25, "user": 20}
INLINE_BUDGET = {"user": 2048, "group": 5120, "role": 10240}
#: CloudFormation quota: resources per stack.
MAX_RESOURCES_PER_STACK = 500
#: IAM quota: roles per account (default; adjustable in Service Quotas up to 5,000).
DEFAULT_ROLES_PER_ACCOUNT = 1000
#: The key under which stacks without an account (environment-agnostic) are counted together.
ENV_AGNOSTIC = "environment-agnostic (the account of your credentials or each StackSet member)"

#: The fixes the quota checks give when their caller names none.
RESOURCES_FIX = "spread the resources over more stacks"
ROLES_PER_ACCOUNT_FIX = ("spread the workflows over more accounts, or raise the account's 'Roles per account' "
                         "quota in Service Quotas and the limit with it")

_WORST_CASE = WorstCase()
#: Every white-space code point (the largest is U+3000), for str.translate.
_WHITE_SPACE = {c: None for c in range(0x3001) if chr(c).isspace()}


def document_size(document: Any) -> int:
    """Characters IAM counts for a policy document (a resolved template value): white space excluded."""
    text = json.dumps(_WORST_CASE.render(document), separators=(",", ":"))
    return len(text.translate(_WHITE_SPACE))


@dataclass(frozen=True)
class Finding:
    """One result of a check: ``error`` (synth fails) or ``warning``; ``code`` is the warning's id
    (``medialive-iam-guard:outside-catalog``), ``subject`` what it is reported on (a construct path)."""

    level: str
    subject: str
    message: str
    code: str | None = None


# --- the guard: MediaLive roles the restricted administrator cannot maintain -----------------------------------------

@dataclass(frozen=True)
class AdminScope:
    """What the guard needs of a restricted administrator: its path, its role boundary (resolved) and role path."""

    name: str
    boundary: Any
    role_path: str


def _same(a: Any, b: Any) -> bool:
    return a is not None and json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def role_errors(role: str, boundary: Any, path: str, admins: Sequence[AdminScope]) -> list[str]:
    """The guard's errors for the MediaLive role ``role`` (its boundary and path as resolved values) in an app with
    the restricted administrators ``admins`` (A5, A8.create)."""
    errors = []
    if not any(_same(boundary, a.boundary) for a in admins):
        names = ", ".join(a.name for a in admins)
        errors.append(
            f"medialive-iam-guard: the MediaLive role {role} (trusts {_MEDIALIVE}) does not carry the "
            f"permissions boundary of the restricted administrator ({names}): the boundary does not cap it and "
            "the administrator cannot maintain it (A5, A8.create). Fix: give it permissions_boundary= the "
            "administrator's boundary (MediaLiveTrustedRole(permissions_boundary=admin.boundary or the "
            "MediaLivePermissionsBoundary you passed to RestrictedAdmin)).")
    role_paths = sorted({a.role_path for a in admins})
    if not any(path.startswith(p) for p in role_paths):
        errors.append(
            f"medialive-iam-guard: the MediaLive role {role} has path {path!r}, outside the restricted "
            f"administrator's role_path {' or '.join(map(repr, role_paths))}: the administrator can neither pass "
            f"nor maintain it. Fix: create it with path={role_paths[0]!r} (MediaLiveTrustedRole's default).")
    return errors


def trusts_medialive(trust_policy: Any) -> bool:
    """Whether a (resolved) trust policy names MediaLive."""
    return _MEDIALIVE in json.dumps(trust_policy)


# --- the guard: grants to the library's principals outside the catalog ----------------------------------------------

def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


def _statement_text(s: dict) -> str:
    def many(v: Any) -> str:
        items = v if isinstance(v, list) else [v]
        return ", ".join(_text(i) for i in items)

    return f"{s.get('Effect', 'Allow')} {many(s.get('Action', []))} on {many(s.get('Resource', []))}"


def is_pass_role_row(s: Mapping[str, Any]) -> bool:
    """The statement ``grant_pass_role`` writes: row S32, ``iam:PassRole`` to MediaLive only."""
    return (s.get("Effect") == "Allow" and s.get("Action") == "iam:PassRole"
            and s.get("Condition") == {"StringEquals": {"iam:PassedToService": _MEDIALIVE}})


def principal_name(kind: str, path: str, what: str) -> str:
    """How the guard names a library principal: ``the role of App/News (MediaLiveTrustedRole)``."""
    return f"the {kind} of {path} ({what})"


def outside_catalog_warning(principal: str, policy_path: str, document: Any) -> str | None:
    """The guard's warning for a policy (``policy_path``, its resolved ``document``) that the library principal
    ``principal`` gets from other code; None when it only holds row S32's PassRole statement."""
    held = (document or {}).get("Statement", []) if isinstance(document, dict) else []
    held = [s for s in held if not is_pass_role_row(s)]
    if not held:
        return None
    shown = "; ".join(_statement_text(s) for s in held) or _text(document)
    return (f"medialive-iam-guard: {principal} gets statements outside the catalog from "
            f"{policy_path}: {shown}. They are not in docs/catalog.md nor in the construct's rows; prefer the "
            "construct's props (e.g. MediaLiveTrustedRole(destination_buckets=...)), or keep the grant knowingly.")


def extra_managed_policy_warnings(principal: str, arns: Iterable[Any], own_arns: Sequence[Any],
                                  allowed: Iterable[str]) -> list[str]:
    """The guard's warnings for the managed policy ARNs of a library principal that are neither its own nor
    ``allowed`` (names of the console template's managed policies)."""
    allowed = set(allowed)
    extra = [a for a in arns if not any(name in json.dumps(a) for name in allowed)]
    return [f"medialive-iam-guard: {principal} has the managed policy {_text(arn)} attached "
            "outside the catalog (docs/catalog.md does not account for it)."
            for arn in extra if arn not in own_arns]


OUTSIDE_CATALOG = "medialive-iam-guard:outside-catalog"
EXTRA_MANAGED_POLICY = "medialive-iam-guard:extra-managed-policy"


# --- quotas -------------------------------------------------------------------------------------------------------

#: ``{principal reference (canonical JSON of its Ref): {"managed": policies attached, "inline": characters}}``
AttachmentTable = dict[str, dict[str, int]]


def attachment_table(policies: Iterable[tuple[bool, Any, Mapping[str, Any]]]) -> AttachmentTable:
    """For every principal the policies name: managed policies attached and inline characters. ``policies``:
    ``(managed, document, {"groups": [...], "roles": [...], "users": [...]})`` with resolved values (the
    document of a managed policy is not read)."""
    table: AttachmentTable = {}
    for managed, document, targets in policies:
        size = 0 if managed else document_size(document)
        for prop in ("groups", "roles", "users"):
            value = targets.get(prop)
            for ref in value if isinstance(value, list) else []:
                entry = table.setdefault(json.dumps(ref, sort_keys=True), {"managed": 0, "inline": 0})
                entry["managed" if managed else "inline"] += 1 if managed else size
    return table


def principal_usage(ref: Any, managed_arns: Any, inline_policies: Any, table: AttachmentTable) -> tuple[int, int]:
    """(managed policies attached, inline characters) of the principal whose ``Ref`` is ``ref``: its own
    ``ManagedPolicyArns`` and ``Policies`` and what the stack's policies attach to it (``table``)."""
    found = table.get(json.dumps(ref, sort_keys=True), {"managed": 0, "inline": 0})
    attached = len(managed_arns if isinstance(managed_arns, list) else []) + found["managed"]
    inline = found["inline"]
    for inline_policy in inline_policies if isinstance(inline_policies, list) else []:
        inline += document_size(inline_policy.get("PolicyDocument", inline_policy))
    return attached, inline


def principal_quota_errors(owner: str, kind: str, attached: int, inline: int, quota: int) -> list[str]:
    """IAM's quotas of one principal: managed policies attached (``quota``) and the inline budget of its kind."""
    errors = []
    if attached > quota:
        errors.append(
            f"{owner}: the {kind} has {attached} managed policies attached, over IAM's quota "
            f"of {quota}. Fix: attach fewer policies (each of ours holds up to {MANAGED_POLICY_MAX_CHARS} "
            "characters), or merge your own statements into one policy."
        )
    budget = INLINE_BUDGET[kind]
    if inline > budget:
        errors.append(
            f"{owner}: the {kind}'s inline policies total {inline} characters, over IAM's "
            f"budget of {budget}. Fix: use customer managed policies instead of add_to_policy / inline policies."
        )
    return errors


def resource_limit_errors(stack: str, count: int, limit: int, fix: str) -> list[str]:
    """CloudFormation's resources-per-stack quota."""
    if count <= limit:
        return []
    return [f"{stack} (Stack): the stack has {count} CloudFormation resources, over the quota of "
            f"{limit} per stack. Fix: {fix}"]


def roles_per_account_errors(where: str, prop: str, table: Mapping[str, Mapping[str, int]], limit: int,
                             fix: str) -> list[str]:
    """IAM's roles-per-account quota over ``{account: {stack path: roles}}``."""
    errors = []
    for account, per_stack in sorted(table.items()):
        total = sum(per_stack.values())
        if total > limit:
            spread = ", ".join(f"{path} {n}" for path, n in sorted(per_stack.items()))
            errors.append(
                f"{where} (RolesPerAccountLimit): {prop}: account {account} would "
                f"hold {total} IAM roles from this app ({spread}), over the quota of {limit} roles per "
                f"account (roles the account already has count too). Fix: {fix}")
    return errors


# --- the same checks over a cloud assembly ----------------------------------------------------------------------------

_KINDS = {"AWS::IAM::Group": "group", "AWS::IAM::Role": "role", "AWS::IAM::User": "user"}
_POLICIES = {"AWS::IAM::ManagedPolicy": True, "AWS::IAM::Policy": False}


@dataclass
class QuotaLine:
    """One line of the quota report."""

    stack: str
    subject: str
    used: int
    quota: int
    unit: str


@dataclass
class AssemblyReport:
    """What :func:`check_assembly` found: the findings, and the quota report (how close each stack and principal is)."""

    stacks: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    quotas: list[QuotaLine] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


class _Stack:
    """One template of the assembly as the checks read it."""

    def __init__(self, label: str, template: Mapping[str, Any]) -> None:
        self.label = label
        self.resources: Mapping[str, Any] = template.get("Resources") or {}

    def props(self, lid: str) -> Mapping[str, Any]:
        return (self.resources.get(lid) or {}).get("Properties") or {}

    def of_type(self, *types: str) -> list[tuple[str, Mapping[str, Any]]]:
        return [(lid, r) for lid, r in self.resources.items() if isinstance(r, dict) and r.get("Type") in types]

    def path(self, lid: str, drop: int = 1) -> str:
        """The construct path of a resource: its ``aws:cdk:path`` without the last ``drop`` parts (1: the L2 of
        an L1 ``Resource``; 2: the L2's scope), else ``stack/logical id``."""
        path = ((self.resources.get(lid) or {}).get("Metadata") or {}).get("aws:cdk:path")
        if not isinstance(path, str):
            return f"{self.label}/{lid}"
        parts = path.split("/")
        return "/".join(parts[:-drop]) if len(parts) > drop else path

    def rows(self, lid: str) -> tuple[str, ...]:
        from ._rows import ROWS_METADATA_KEY

        return tuple(((self.resources.get(lid) or {}).get("Metadata") or {}).get(ROWS_METADATA_KEY) or ())


def _role_path_of(resource: Any) -> str | None:
    """``/medialive/`` from a role ARN (pattern) ``arn:...:role/medialive/*`` written as text."""
    from .template import Symbolic

    text = Symbolic(opaque=True).render(resource)
    if not isinstance(text, str) or ":role/" not in text:
        return None
    rest = text.split(":role/", 1)[1]
    return "/" + rest.rsplit("/", 1)[0] + "/" if "/" in rest else "/"


def _admins(stacks: Sequence[_Stack]) -> list[AdminScope]:
    """The restricted administrators: groups given row A5, with the boundary and role path of their A5 statement."""
    from ._rows import sid_rows

    out = []
    for st in stacks:
        for lid, _ in st.of_type("AWS::IAM::Group"):
            if "A5" not in st.rows(lid):
                continue
            boundary, path = None, None
            for _, pol in st.of_type("AWS::IAM::ManagedPolicy"):
                if {"Ref": lid} not in listed((pol.get("Properties") or {}).get("Groups", [])):
                    continue
                for s in statements([(pol.get("Properties") or {}).get("PolicyDocument") or {}]):
                    if s.get("Effect") == "Allow" and "A5" in sid_rows(str(s.get("Sid", ""))):
                        condition = (s.get("Condition") or {}).get("StringEquals") or {}
                        boundary = condition.get("iam:PermissionsBoundary", boundary)
                        path = path or next(filter(None, map(_role_path_of, listed(s.get("Resource", [])))), None)
            out.append(AdminScope(st.path(lid, 2), boundary, path or "/medialive/"))
    return out


def _own_policy(st: _Stack, lid: str, principal_rows: set[str]) -> bool:
    """A policy the construct made for its principal (its managed policies; the console users' password policy, A9):
    every statement's Sid names rows the principal was given."""
    from ._rows import sid_rows

    held = statements([st.props(lid).get("PolicyDocument") or {}])
    return bool(held) and all(set(sid_rows(str(s.get("Sid", "")))) and set(sid_rows(str(s.get("Sid", ""))))
                              <= principal_rows for s in held)


def _guard(stacks: Sequence[_Stack], chosen: Sequence[_Stack], report: AssemblyReport) -> None:
    admins = _admins(stacks)
    for st in chosen:
        console = {lid for lid, r in st.of_type("AWS::IAM::Role")
                   if st.props(lid).get("RoleName") == catalog.SIMPLE_ROLE_NAME}
        library = [(lid, r) for lid, r in st.of_type("AWS::IAM::Group", "AWS::IAM::Role")
                   if st.rows(lid) or lid in console]
        if admins:
            for lid, _ in st.of_type("AWS::IAM::Role"):
                props = st.props(lid)
                if lid in console or not trusts_medialive(props.get("AssumeRolePolicyDocument")):
                    continue
                # a library role is reported on its construct (the Role's parent), as the Aspect does
                subject = st.path(lid, 2 if st.rows(lid) else 1)
                path = str(props["Path"]) if isinstance(props.get("Path"), str) else "/"
                for message in role_errors(subject, props.get("PermissionsBoundary"), path, admins):
                    report.findings.append(Finding("error", subject, message))
        for lid, res in library:
            kind = _KINDS[res["Type"]]
            subject = st.path(lid, 2)
            name = principal_name(kind, subject, f"{res['Type']} {lid}")
            # the console role records no rows: its own policy is the one whose Sids all name catalog rows
            rows = (set(catalog.ROWS) if not st.rows(lid) else
                    set(catalog.expand(st.rows(lid))) if _known(st.rows(lid)) else set(st.rows(lid)))
            own = [{"Ref": plid} for plid, _ in st.of_type(*_POLICIES) if _own_policy(st, plid, rows)]
            for plid, pol in st.of_type(*_POLICIES):
                props = st.props(plid)
                if {"Ref": lid} not in listed(props.get("Groups", [])) + listed(props.get("Roles", [])) \
                        or {"Ref": plid} in own:
                    continue
                warning = outside_catalog_warning(name, st.path(plid), props.get("PolicyDocument"))
                if warning:
                    report.findings.append(Finding("warning", subject, warning, OUTSIDE_CATALOG))
            allowed = ()
            if lid in console:
                from .catalog.console_template import CONSOLE_TEMPLATE_MANAGED_POLICIES
                allowed = tuple(CONSOLE_TEMPLATE_MANAGED_POLICIES)
            for message in extra_managed_policy_warnings(name, listed(st.props(lid).get("ManagedPolicyArns", [])),
                                                         own, allowed):
                report.findings.append(Finding("warning", subject, message, EXTRA_MANAGED_POLICY))


def _known(rows: Sequence[str]) -> bool:
    try:
        catalog.expand(rows)
        return True
    except KeyError:
        return False


def _quotas(stacks: Sequence[tuple[_Stack, str]], chosen: Sequence[_Stack], report: AssemblyReport, *,
            role_quota: int, roles_per_account: int) -> None:
    for st in chosen:
        count = len(st.resources)
        report.quotas.append(QuotaLine(st.label, "resources", count, MAX_RESOURCES_PER_STACK, "resources"))
        for message in resource_limit_errors(st.label, count, MAX_RESOURCES_PER_STACK, RESOURCES_FIX):
            report.findings.append(Finding("error", st.label, message))
        table = attachment_table(
            (managed, st.props(lid).get("PolicyDocument"),
             {p.lower(): st.props(lid).get(p) for p in ("Groups", "Roles", "Users")})
            for lid, r in st.resources.items() if isinstance(r, dict)
            for managed in [_POLICIES.get(str(r.get("Type")))] if managed is not None)
        for lid, res in st.of_type(*_KINDS):
            kind = _KINDS[res["Type"]]
            props = st.props(lid)
            attached, inline = principal_usage({"Ref": lid}, props.get("ManagedPolicyArns"), props.get("Policies"),
                                               table)
            quota = role_quota if kind == "role" else MAX_MANAGED_POLICIES[kind]
            owner = f"{st.path(lid)} ({res['Type']} {lid})"
            report.quotas.append(QuotaLine(st.label, f"{kind} {lid}: managed policies", attached, quota, "policies"))
            if inline:
                report.quotas.append(QuotaLine(st.label, f"{kind} {lid}: inline policies", inline,
                                               INLINE_BUDGET[kind], "characters"))
            for message in principal_quota_errors(owner, kind, attached, inline, quota):
                report.findings.append(Finding("error", owner, message))
        for lid, _ in st.of_type("AWS::IAM::ManagedPolicy"):
            size = document_size(st.props(lid).get("PolicyDocument") or {})
            report.quotas.append(QuotaLine(st.label, f"managed policy {lid}", size, MANAGED_POLICY_MAX_CHARS,
                                           "characters"))
            if size > MANAGED_POLICY_MAX_CHARS:
                report.findings.append(Finding("error", st.path(lid), (
                    f"{st.path(lid)} (AWS::IAM::ManagedPolicy {lid}): the policy has {size} characters, over IAM's "
                    f"quota of {MANAGED_POLICY_MAX_CHARS}. Fix: split its statements over more managed policies.")))
    per_account: dict[str, dict[str, int]] = {}
    for st, account in stacks:
        roles = len(st.of_type("AWS::IAM::Role"))
        if roles:
            per_account.setdefault(account, {})[st.label] = roles
    for account, per_stack in sorted(per_account.items()):
        report.quotas.append(QuotaLine("app", f"IAM roles in account {account}", sum(per_stack.values()),
                                       roles_per_account, "roles"))
    for message in roles_per_account_errors("app", "roles per account", per_account, roles_per_account,
                                            ROLES_PER_ACCOUNT_FIX):
        report.findings.append(Finding("error", "app", message))


def check_assembly(directory: str | Path, stack: str | None = None, *, role_quota: int = MAX_MANAGED_POLICIES["role"],
                   roles_per_account: int = DEFAULT_ROLES_PER_ACCOUNT) -> AssemblyReport:
    """The guard's findings and the quota report for the cloud assembly in ``directory`` (every stack, stages and
    nested stacks included; ``stack``: that one only, found as :func:`~medialive_iam_constructs.assembly.find_stack`
    finds it, with its nested stacks). The restricted administrators and the roles per account are looked for in the
    whole assembly. ``ValueError`` when the directory is no cloud assembly or the stack is not in it."""
    from .assembly import find_stack, stacks as assembly_stacks

    found = assembly_stacks(directory)
    chosen = found
    if stack is not None:
        top = find_stack(directory, stack)
        chosen = [s for s in found if s.artifact_id == top.artifact_id
                  or s.artifact_id.startswith(top.artifact_id + "/")]
    every = {s.artifact_id: _Stack(s.display_name, s.template) for s in found}
    picked = [every[s.artifact_id] for s in chosen]
    report = AssemblyReport(stacks=[s.display_name for s in chosen])
    _guard(list(every.values()), picked, report)
    _quotas([(every[s.artifact_id], s.account or ENV_AGNOSTIC) for s in found], picked, report,
            role_quota=role_quota, roles_per_account=roles_per_account)
    return report
