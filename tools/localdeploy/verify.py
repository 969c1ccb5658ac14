"""Compares the IAM resources of a synthesized CloudFormation template with what the IAM API reports.

Importable without the emulator (pure functions over a template dict, a logical->physical id map and a
boto3-compatible IAM client), so tests can run them against any IAM endpoint or a fake client:

    problems = verify_deployed(template, physical_ids, iam, "000000000000", "us-east-1")
    problems = verify_destroyed(template, physical_ids, iam, "000000000000", "us-east-1")

Both return a list of human-readable problems; an empty list means everything matched. Nothing is skipped
silently: an intrinsic that cannot be resolved, or a template IAM resource without a physical id, is a
problem too.

Covered: AWS::IAM::Group, ManagedPolicy, Role, User, UserToGroupAddition and Policy (inline policies on
roles/users/groups). Intrinsics are resolved by the package's one template reader
(:class:`medialive_iam_constructs.template.TemplateValues`, resources by their physical ids, conditions evaluated):
Ref (pseudo parameters, parameters' defaults, resources), Fn::GetAtt (Arn of roles/users/groups, PolicyArn;
RoleId/UserId/GroupId are not resolvable offline), Fn::Join, Fn::Sub, Fn::Select, Fn::Split,
Fn::If/Equals/Not/And/Or with template conditions.
"""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass, field
from typing import Any, Iterable

from medialive_iam_constructs.template import TemplateResolutionError, TemplateValues

GROUP = "AWS::IAM::Group"
MANAGED_POLICY = "AWS::IAM::ManagedPolicy"
ROLE = "AWS::IAM::Role"
USER = "AWS::IAM::User"
USER_TO_GROUP = "AWS::IAM::UserToGroupAddition"
INLINE_POLICY = "AWS::IAM::Policy"
IAM_TYPES = (GROUP, MANAGED_POLICY, ROLE, USER, USER_TO_GROUP, INLINE_POLICY)

#: An intrinsic the resolver cannot evaluate offline.
Unresolvable = TemplateResolutionError


class Resolver(TemplateValues):
    """The template's intrinsics as the deployed stack resolved them: resources by their physical ids, conditions
    evaluated (:class:`~medialive_iam_constructs.template.TemplateValues` with ``physical_ids`` and ``conditions``)."""

    def __init__(self, template: dict, physical_ids: dict[str, str], account: str, region: str,
                 partition: str = "aws", url_suffix: str = "amazonaws.com", stack_name: str = "stack"):
        super().__init__(template, account=account, region=region, partition=partition, stack_name=stack_name,
                         url_suffix=url_suffix, physical_ids=physical_ids, conditions=True)


# --------------------------------------------------------------------------------------------------------
# Expected state from the template
# --------------------------------------------------------------------------------------------------------


@dataclass
class Principal:
    kind: str  # role | user | group
    logical: str
    name: str
    props: dict
    managed: set[str] = field(default_factory=set)  # attached policy ARNs
    inline: dict[str, Any] = field(default_factory=dict)  # policy name -> document
    groups: set[str] = field(default_factory=set)  # for users
    members: set[str] = field(default_factory=set)  # for groups
    external: bool = False  # referenced by the stack but not created by it


@dataclass
class Expected:
    groups: dict[str, Principal] = field(default_factory=dict)
    roles: dict[str, Principal] = field(default_factory=dict)
    users: dict[str, Principal] = field(default_factory=dict)
    policies: dict[str, dict] = field(default_factory=dict)  # logical -> {arn, props}
    memberships: set[tuple[str, str]] = field(default_factory=set)  # (group, user)
    user_to_group_additions: int = 0
    inline_policy_resources: int = 0
    retained: list[str] = field(default_factory=list)


def _active(res: dict, resolver: Resolver) -> bool:
    cond = res.get("Condition")
    return True if cond is None else resolver.condition(cond)


def _iam_resources(template: dict) -> Iterable[tuple[str, dict]]:
    for logical, res in template.get("Resources", {}).items():
        if res.get("Type") in IAM_TYPES:
            yield logical, res


def build_expected(template: dict, resolver: Resolver, problems: list[str]) -> Expected:
    exp = Expected()
    by_logical: dict[str, Principal] = {}

    def safe(what: str, fn, default=None):
        try:
            return fn()
        except Unresolvable as exc:
            problems.append(f"{what}: cannot resolve ({exc})")
            return default

    live: list[tuple[str, dict]] = []
    for logical, res in _iam_resources(template):
        if not safe(f"{logical}: Condition", lambda: _active(res, resolver), True):
            continue
        if res["Type"] != USER_TO_GROUP and res["Type"] != INLINE_POLICY and logical not in resolver.physical_ids:
            problems.append(f"{res['Type']} {logical}: not in the deployed stack (no physical id)")
            continue
        if res.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate"):
            exp.retained.append(logical)
        live.append((logical, res))

    # principals first
    for logical, res in live:
        rtype, props = res["Type"], res.get("Properties", {})
        name = resolver.physical_ids.get(logical)
        if rtype in (GROUP, ROLE, USER):
            kind = {GROUP: "group", ROLE: "role", USER: "user"}[rtype]
            p = Principal(kind, logical, name, props)
            p.managed |= set(safe(f"{logical}.ManagedPolicyArns", lambda: resolver.resolve(props.get("ManagedPolicyArns", [])), []))
            for pol in safe(f"{logical}.Policies", lambda: resolver.resolve(props.get("Policies", [])), []):
                p.inline[pol["PolicyName"]] = pol["PolicyDocument"]
            if rtype == USER:
                p.groups |= set(safe(f"{logical}.Groups", lambda: resolver.resolve(props.get("Groups", [])), []))
            by_logical[logical] = p
            {GROUP: exp.groups, ROLE: exp.roles, USER: exp.users}[rtype][name] = p
        elif rtype == MANAGED_POLICY:
            exp.policies[logical] = {"arn": name, "props": props}

    def principal(kind: str, name: str) -> Principal | None:
        return {"group": exp.groups, "role": exp.roles, "user": exp.users}[kind].get(name)

    for logical, res in live:
        rtype, props = res["Type"], res.get("Properties", {})
        if rtype == MANAGED_POLICY:
            arn = resolver.physical_ids[logical]
            for key, kind in (("Groups", "group"), ("Roles", "role"), ("Users", "user")):
                for pname in safe(f"{logical}.{key}", lambda: resolver.resolve(props.get(key, [])), []):
                    p = principal(kind, pname)
                    if p is None:  # principal outside the stack: record a placeholder expectation
                        p = Principal(kind, "", pname, {}, external=True)
                        {"group": exp.groups, "role": exp.roles, "user": exp.users}[kind][pname] = p
                    p.managed.add(arn)
        elif rtype == INLINE_POLICY:
            exp.inline_policy_resources += 1
            doc = safe(f"{logical}.PolicyDocument", lambda: resolver.resolve(props.get("PolicyDocument")))
            pol_name = safe(f"{logical}.PolicyName", lambda: resolver.resolve(props.get("PolicyName")))
            for key, kind in (("Groups", "group"), ("Roles", "role"), ("Users", "user")):
                for pname in safe(f"{logical}.{key}", lambda: resolver.resolve(props.get(key, [])), []):
                    p = principal(kind, pname)
                    if p is None:
                        p = Principal(kind, "", pname, {}, external=True)
                        {"group": exp.groups, "role": exp.roles, "user": exp.users}[kind][pname] = p
                    p.inline[pol_name] = doc
        elif rtype == USER_TO_GROUP:
            exp.user_to_group_additions += 1
            group = safe(f"{logical}.GroupName", lambda: resolver.resolve(props.get("GroupName")))
            for user in safe(f"{logical}.Users", lambda: resolver.resolve(props.get("Users", [])), []):
                exp.memberships.add((group, user))
                if user in exp.users:
                    exp.users[user].groups.add(group)

    for user in exp.users.values():
        for group in user.groups:
            exp.memberships.add((group, user.name))
    for group, user in exp.memberships:
        if group in exp.groups:
            exp.groups[group].members.add(user)
    return exp


# --------------------------------------------------------------------------------------------------------
# IAM API helpers
# --------------------------------------------------------------------------------------------------------


def _code(exc: Exception) -> str:
    return getattr(exc, "response", {}).get("Error", {}).get("Code", "")


def _missing(exc: Exception) -> bool:
    return _code(exc) in ("NoSuchEntity", "NoSuchEntityException")


def _pages(iam, op: str, key: str, **kw) -> list:
    if iam.can_paginate(op):
        out: list = []
        for page in iam.get_paginator(op).paginate(**kw):
            out.extend(page.get(key, []))
        return out
    return getattr(iam, op)(**kw).get(key, [])


def normalize_document(doc: Any) -> Any:
    """Parse a policy document as the IAM API may return it (dict, JSON string, URL-encoded JSON)."""
    if isinstance(doc, str):
        try:
            return json.loads(doc)
        except ValueError:
            return json.loads(urllib.parse.unquote(doc))
    return doc


def _doc_diff(what: str, expected: Any, actual: Any) -> str | None:
    expected, actual = normalize_document(expected), normalize_document(actual)
    if expected == actual:
        return None
    return (f"{what}: document differs\n    expected {json.dumps(expected, sort_keys=True)}\n"
            f"    actual   {json.dumps(actual, sort_keys=True)}")


def _set_diff(what: str, expected: set, actual: set) -> list[str]:
    out = []
    if expected - actual:
        out.append(f"{what}: missing {sorted(expected - actual)}")
    if actual - expected:
        out.append(f"{what}: unexpected {sorted(actual - expected)}")
    return out


# --------------------------------------------------------------------------------------------------------
# verify_deployed / verify_destroyed
# --------------------------------------------------------------------------------------------------------


@dataclass
class Report:
    problems: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    retained: list[str] = field(default_factory=list)


def _check_principal(iam, p: Principal, resolver: Resolver, problems: list[str]) -> bool:
    kind, name = p.kind, p.name
    label = f"{kind} {name}" + (f" ({p.logical})" if p.logical else "")
    cap = kind.capitalize()
    try:
        entity = getattr(iam, f"get_{kind}")(**{f"{cap}Name": name})[cap]
    except Exception as exc:
        if _missing(exc):
            problems.append(f"{label}: does not exist")
            return False
        raise
    external = p.external
    if not external:
        want_path = resolver.resolve(p.props.get("Path", "/")) or "/"
        if entity.get("Path", "/") != want_path:
            problems.append(f"{label}: path {entity.get('Path')!r}, expected {want_path!r}")
        declared = p.props.get(f"{cap}Name")
        if declared is not None and resolver.resolve(declared) != entity[f"{cap}Name"]:
            problems.append(f"{label}: name {entity[f'{cap}Name']!r}, expected {resolver.resolve(declared)!r}")
        if kind == "role":
            diff = _doc_diff(f"{label} trust policy", resolver.resolve(p.props.get("AssumeRolePolicyDocument")),
                             entity.get("AssumeRolePolicyDocument"))
            if diff:
                problems.append(diff)
        if kind in ("role", "user"):
            want_pb = resolver.resolve(p.props.get("PermissionsBoundary")) if "PermissionsBoundary" in p.props else None
            have_pb = (entity.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
            if want_pb != have_pb:
                problems.append(f"{label}: permissions boundary {have_pb!r}, expected {want_pb!r}")
    # managed policy attachments (external principals: only what the stack attaches must be there)
    attached = {a["PolicyArn"] for a in _pages(iam, f"list_attached_{kind}_policies", "AttachedPolicies", **{f"{cap}Name": name})}
    if external:
        if p.managed - attached:
            problems.append(f"{label}: attached policies missing {sorted(p.managed - attached)}")
    else:
        problems.extend(_set_diff(f"{label}: attached managed policies", p.managed, attached))
    inline_names = set(_pages(iam, f"list_{kind}_policies", "PolicyNames", **{f"{cap}Name": name}))
    if external:
        if set(p.inline) - inline_names:
            problems.append(f"{label}: inline policies missing {sorted(set(p.inline) - inline_names)}")
    else:
        problems.extend(_set_diff(f"{label}: inline policies", set(p.inline), inline_names))
    for pol_name in sorted(set(p.inline) & inline_names):
        doc = getattr(iam, f"get_{kind}_policy")(**{f"{cap}Name": name, "PolicyName": pol_name})["PolicyDocument"]
        diff = _doc_diff(f"{label} inline policy {pol_name}", p.inline[pol_name], doc)
        if diff:
            problems.append(diff)
    if kind == "user":
        groups = {g["GroupName"] for g in _pages(iam, "list_groups_for_user", "Groups", UserName=name)}
        if external:
            if p.groups - groups:
                problems.append(f"{label}: not in groups {sorted(p.groups - groups)}")
        else:
            problems.extend(_set_diff(f"{label}: group memberships", p.groups, groups))
    if kind == "group":
        members = {u["UserName"] for u in _pages(iam, "get_group", "Users", GroupName=name)}
        if p.members - members:
            problems.append(f"{label}: members missing {sorted(p.members - members)}")
    return True


def _check_managed_policy(iam, logical: str, arn: str, props: dict, resolver: Resolver, problems: list[str]) -> bool:
    label = f"managed policy {arn} ({logical})"
    try:
        pol = iam.get_policy(PolicyArn=arn)["Policy"]
    except Exception as exc:
        if _missing(exc):
            problems.append(f"{label}: does not exist")
            return False
        raise
    if "ManagedPolicyName" in props and resolver.resolve(props["ManagedPolicyName"]) != pol["PolicyName"]:
        problems.append(f"{label}: name {pol['PolicyName']!r}, expected {resolver.resolve(props['ManagedPolicyName'])!r}")
    want_path = resolver.resolve(props.get("Path", "/")) or "/"
    if pol.get("Path", "/") != want_path:
        problems.append(f"{label}: path {pol.get('Path')!r}, expected {want_path!r}")
    want_desc = resolver.resolve(props.get("Description", "")) or ""
    if want_desc and pol.get("Description", "") != want_desc:
        problems.append(f"{label}: description {pol.get('Description')!r}, expected {want_desc!r}")
    version = iam.get_policy_version(PolicyArn=arn, VersionId=pol["DefaultVersionId"])["PolicyVersion"]
    diff = _doc_diff(f"{label} default version {pol['DefaultVersionId']}", resolver.resolve(props.get("PolicyDocument")),
                     version["Document"])
    if diff:
        problems.append(diff)
    # attachments from the policy's side as well
    want = {("group", g) for g in resolver.resolve(props.get("Groups", []))}
    want |= {("role", r) for r in resolver.resolve(props.get("Roles", []))}
    want |= {("user", u) for u in resolver.resolve(props.get("Users", []))}
    have: set[tuple[str, str]] = set()
    for key, kind, nkey in (("PolicyGroups", "group", "GroupName"), ("PolicyRoles", "role", "RoleName"),
                            ("PolicyUsers", "user", "UserName")):
        have |= {(kind, e[nkey]) for e in _pages(iam, "list_entities_for_policy", key, PolicyArn=arn)}
    if want - have:
        problems.append(f"{label}: not attached to {sorted(want - have)}")
    return True


def verify_deployed_report(template: dict, physical_ids: dict[str, str], iam_client, account: str, region: str) -> Report:
    report = Report()
    problems = report.problems
    resolver = Resolver(template, physical_ids, account, region)
    exp = build_expected(template, resolver, problems)
    report.retained = list(exp.retained)
    counts = {"groups": 0, "policies": 0, "roles": 0, "users": 0, "memberships": 0, "inline_policies": 0}
    for logical, info in exp.policies.items():
        try:
            if _check_managed_policy(iam_client, logical, info["arn"], info["props"], resolver, problems):
                counts["policies"] += 1
        except Unresolvable as exc:
            problems.append(f"managed policy {logical}: cannot resolve ({exc})")
    for kind, table in (("groups", exp.groups), ("roles", exp.roles), ("users", exp.users)):
        for p in table.values():
            try:
                if _check_principal(iam_client, p, resolver, problems) and not p.external:
                    counts[kind] += 1
                counts["inline_policies"] += len(p.inline)
            except Unresolvable as exc:
                problems.append(f"{p.kind} {p.name}: cannot resolve ({exc})")
    # memberships through the group's member list (covers UserToGroupAddition to users outside the stack)
    for group, user in sorted(exp.memberships):
        try:
            members = {u["UserName"] for u in _pages(iam_client, "get_group", "Users", GroupName=group)}
        except Exception as exc:
            if _missing(exc):
                problems.append(f"membership {user} in {group}: group does not exist")
                continue
            raise
        if user in members:
            counts["memberships"] += 1
        else:
            problems.append(f"membership {user} in {group}: missing")
    counts["user_to_group_additions"] = exp.user_to_group_additions
    report.counts = counts
    # de-duplicate while keeping order (a missing membership is reported from the user, group and membership)
    seen: set[str] = set()
    report.problems = [p for p in problems if not (p in seen or seen.add(p))]
    return report


def verify_deployed(template: dict, physical_ids: dict[str, str], iam_client, account: str, region: str) -> list[str]:
    """Problems found comparing the template's IAM resources with the IAM API; [] when all match."""
    return verify_deployed_report(template, physical_ids, iam_client, account, region).problems


def verify_destroyed_report(template: dict, physical_ids: dict[str, str], iam_client, account: str, region: str) -> Report:
    report = Report()
    problems = report.problems
    resolver = Resolver(template, physical_ids, account, region)
    checked = 0
    for logical, res in _iam_resources(template):
        rtype, props = res["Type"], res.get("Properties", {})
        if res.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate"):
            report.retained.append(logical)
            continue
        physical = physical_ids.get(logical)
        try:
            if rtype in (GROUP, ROLE, USER):
                if physical is None:
                    continue  # never deployed (reported by verify_deployed)
                kind = {GROUP: "group", ROLE: "role", USER: "user"}[rtype]
                cap = kind.capitalize()
                try:
                    getattr(iam_client, f"get_{kind}")(**{f"{cap}Name": physical})
                    problems.append(f"{kind} {physical} ({logical}): still exists after destroy")
                except Exception as exc:
                    if not _missing(exc):
                        raise
                checked += 1
            elif rtype == MANAGED_POLICY:
                if physical is None:
                    continue
                try:
                    iam_client.get_policy(PolicyArn=physical)
                    problems.append(f"managed policy {physical} ({logical}): still exists after destroy")
                except Exception as exc:
                    if not _missing(exc):
                        raise
                checked += 1
            elif rtype == USER_TO_GROUP:
                group = resolver.resolve(props.get("GroupName"))
                for user in resolver.resolve(props.get("Users", [])):
                    try:
                        members = {u["UserName"] for u in _pages(iam_client, "get_group", "Users", GroupName=group)}
                    except Exception as exc:
                        if _missing(exc):
                            continue
                        raise
                    if user in members:
                        problems.append(f"membership {user} in {group} ({logical}): still present after destroy")
                checked += 1
            elif rtype == INLINE_POLICY:
                name = resolver.resolve(props.get("PolicyName"))
                for key, kind in (("Groups", "group"), ("Roles", "role"), ("Users", "user")):
                    for pname in resolver.resolve(props.get(key, [])):
                        try:
                            names = _pages(iam_client, f"list_{kind}_policies", "PolicyNames",
                                           **{f"{kind.capitalize()}Name": pname})
                        except Exception as exc:
                            if _missing(exc):
                                continue
                            raise
                        if name in names:
                            problems.append(f"inline policy {name} on {kind} {pname} ({logical}): still present")
                checked += 1
        except Unresolvable as exc:
            problems.append(f"{rtype} {logical}: cannot resolve ({exc})")
    report.counts = {"checked_absent": checked}
    return report


def verify_destroyed(template: dict, physical_ids: dict[str, str], iam_client, account: str, region: str) -> list[str]:
    """Problems (IAM resources of the template still present) after a destroy; [] when all are gone."""
    return verify_destroyed_report(template, physical_ids, iam_client, account, region).problems


def iam_resource_ids(template: dict) -> list[str]:
    return [logical for logical, _ in _iam_resources(template)]
