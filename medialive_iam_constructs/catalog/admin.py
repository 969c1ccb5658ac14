"""Restricted administrator rows (``A`` ids): reconstructed, because AWS's table for
setting-up-restricted-admin is lost (reference §1.1). Each row cites the chapter text that assigns the
duty to "an administrator"; the IAM actions for user and role administration come from SAR (reference
§3.2 iam), since the chapter names none.

The restricted administrator also gets everything the ``ADVANCED`` tier has (S rows, the set-up duties
S14, S26, S28, S40, S41 included); those rows live in ``activities`` and ``trusted_entity``.

Values only the construct knows are written as placeholders that the construct fills:

* :data:`ROLE_BOUNDARY` in a condition: the ARN of the permissions boundary every role the administrator
  creates must carry (T5-T23, the :class:`~medialive_iam_constructs.restricted_admin.RestrictedAdmin`'s
  ``permissions_boundary``);
* :data:`USER_BOUNDARY` in a condition: the ARN of the boundary required on created users (only with
  ``require_user_boundary``);
* :data:`POLICY_PATH_ARN` in a condition: the ARN pattern of the policies under the MediaLive policy path.

Grants marked ``must_bind`` are scoped by the construct: users under its user path, the operator groups it
was given, roles under its role path, policies under its policy path, its own group and policies.
Rows with ``effect="Deny"`` (A8) are guard rails: explicit denials that hold even if someone later
attaches a broader policy to the administrators' group.

Which of these rows the administrator gets, which prop adds which, and what the construct binds each to is the
table :data:`ADMIN_TABLE`; :func:`admin_rows` composes it with the ``ADVANCED`` tier and the opt-ins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Mapping

from .activities import MEDIALIVE_SERVICE, SIMPLE_ROLE_NAME, _a
from .model import Grant, PrincipalRows, Row
from .resources import IAM_GROUP, IAM_POLICY, IAM_ROLE, IAM_USER

if TYPE_CHECKING:
    from .tiers import TrustedEntityOption

#: Placeholder for the trusted-role permissions boundary ARN (filled by the construct).
ROLE_BOUNDARY = "${MediaLiveRoleBoundaryArn}"
ROLE_BOUNDARY_KEY = "MediaLiveRoleBoundaryArn"
#: Placeholder for the user permissions boundary ARN (filled by the construct).
USER_BOUNDARY = "${MediaLiveUserBoundaryArn}"
USER_BOUNDARY_KEY = "MediaLiveUserBoundaryArn"
#: Placeholder for the ARN pattern of the policies under the MediaLive policy path (``...:policy/medialive/*``).
POLICY_PATH_ARN = "${MediaLivePolicyPathArn}"
POLICY_PATH_ARN_KEY = "MediaLivePolicyPathArn"
PLACEHOLDERS = (ROLE_BOUNDARY, USER_BOUNDARY, POLICY_PATH_ARN)
#: IAM path of the managed policies of a ``MediaLiveTrustedRole`` without a permissions boundary (issue 20,
#: finding 4): outside every path a ``RestrictedAdmin`` may manage (it refuses a ``policy_path`` that overlaps this
#: one, and A8.self denies it every policy write here), so no administrator rewrites a policy that no boundary
#: caps, whichever app made the role.
UNBOUNDED_POLICY_PATH = "/medialive-unbounded/"

_SRA = "SEED setting-up-restricted-admin"
_A = "admin"
_RECON = "[inferred] Reconstructed (reference §1.1): the chapter names no IAM action for this duty; actions from SAR."

_WITH_ROLE_BOUNDARY = {"StringEquals": {"iam:PermissionsBoundary": ROLE_BOUNDARY}}
_NOT_ROLE_BOUNDARY = {"StringNotEquals": {"iam:PermissionsBoundary": ROLE_BOUNDARY}}

ADMIN_ROWS: tuple[Row, ...] = (
    Row("A1", "Create, update and delete IAM users under the MediaLive user path", _SRA, (
        Grant(_a("iam", "CreateUser"), (IAM_USER,), must_bind=True),
        Grant(_a("iam", "UpdateUser", "DeleteUser", "GetUser", "TagUser", "UntagUser", "ListUserTags",
                 "ListGroupsForUser", "ListUserPolicies", "ListAttachedUserPolicies"), (IAM_USER,), must_bind=True),
        Grant(_a("iam", "ListUsers", "ListGroups")),
    ), _A, ("The page: the restricted administrator 'can create non-administrative users'.", _RECON,
            "List*Policies are read-only: DeleteUser fails while policies remain, so the administrator must see them.")),
    Row("A1.boundary", "Require a permissions boundary on the users the administrator creates", _SRA, (
        Grant(_a("iam", "PutUserPermissionsBoundary"), (IAM_USER,),
              conditions={"StringEquals": {"iam:PermissionsBoundary": USER_BOUNDARY}}, must_bind=True),
    ), _A, ("[inferred] Issue 5: optional (require_user_boundary). The construct adds the same condition to iam:CreateUser.",)),
    Row("A2", "Manage the console login profile (password) of users under the path", _SRA, (
        Grant(_a("iam", "CreateLoginProfile", "UpdateLoginProfile", "DeleteLoginProfile", "GetLoginProfile"),
              (IAM_USER,), must_bind=True),
    ), _A, (_RECON,)),
    Row("A3", "Manage access keys of users under the path (only when the construct allows it)", _SRA, (
        Grant(_a("iam", "CreateAccessKey", "UpdateAccessKey", "DeleteAccessKey", "ListAccessKeys",
                 "GetAccessKeyLastUsed"), (IAM_USER,), must_bind=True),
    ), _A, (_RECON, "Off by default: MediaLive's users work on the console (the chapter's procedures are console ones).")),
    Row("A4", "Add users to, and remove them from, the given operator groups only", _SRA, (
        Grant(_a("iam", "AddUserToGroup", "RemoveUserFromGroup", "GetGroup", "ListGroupPolicies",
                 "ListAttachedGroupPolicies"), (IAM_GROUP,), must_bind=True),
    ), _A, (_RECON, "iam:AddUserToGroup is scoped by group only: IAM has no condition key for the user being added, "
            "so any existing user can be put into a given operator group (bounded by that group's permissions).")),
    Row("A5", "Create, update and delete trusted-entity roles under the path, only with the MediaLive boundary", "SEED complex-scenario-identify-permissions", (
        Grant(_a("iam", "DeleteRole", "UpdateRole", "UpdateRoleDescription", "PutRolePolicy", "DeleteRolePolicy"),
              (IAM_ROLE,), conditions=_WITH_ROLE_BOUNDARY, must_bind=True),
        Grant(_a("iam", "AttachRolePolicy", "DetachRolePolicy"), (IAM_ROLE,), must_bind=True,
              conditions={**_WITH_ROLE_BOUNDARY, "ArnLike": {"iam:PolicyARN": POLICY_PATH_ARN}}),
        Grant(_a("iam", "TagRole", "UntagRole", "GetRole", "GetRolePolicy", "ListRolePolicies",
                 "ListAttachedRolePolicies", "ListRoleTags"), (IAM_ROLE,), must_bind=True),
        Grant(_a("iam", "ListRoles")),
    ), _A, ("Complex option (reference §6): 'An administrator creates the roles' in IAM, one per unique combination "
            "of policies, and gives users the list of role ARNs (Step 6), hence iam:ListRoles.", _RECON,
            "Every write is conditioned on iam:PermissionsBoundary = the library's boundary (T5-T23): the role "
            "must be created with it, and roles without it (made by someone else) cannot be changed.")),
    Row("A5.trust", "Create trusted-entity roles under the path and set their trust policy (only with the boundary)", "SEED complex-scenario-identify-permissions", (
        Grant(_a("iam", "CreateRole", "UpdateAssumeRolePolicy"), (IAM_ROLE,), conditions=_WITH_ROLE_BOUNDARY,
              must_bind=True),
    ), _A, ("The guide's administrator creates the roles on the console (complex option, step 2). No IAM condition "
            "limits what a trust policy says: a role created here may trust anyone, so the boundary (scoped to the "
            "app's namespaces) is its blast radius (docs/threat-model.md). RestrictedAdmin(allow_role_creation=False) "
            "leaves this row out for teams whose roles come only from code.",)),
    Row("A6", "Manage customer managed policies under the MediaLive policy path", "SEED complex-scenario-identify-permissions", (
        Grant(_a("iam", "CreatePolicy", "CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion",
                 "DeletePolicy", "GetPolicy", "GetPolicyVersion", "ListPolicyVersions", "ListEntitiesForPolicy",
                 "TagPolicy", "UntagPolicy", "ListPolicyTags"), (IAM_POLICY,), must_bind=True),
        Grant(_a("iam", "ListPolicies")),
    ), _A, ("Complex option step 1: design each policy, 'reuse managed policies where possible'.", _RECON,
            "Policies under this path can be attached only to roles carrying the boundary (A5), so their content "
            "is capped by T5-T23. Never keep policies of human principals under this path (the construct refuses "
            "operator groups whose policies are there).")),
    Row("A7", "Pass roles under the path to MediaLive only", "SEED complex-scenario-identify-permissions", (
        Grant(_a("iam", "PassRole"), (IAM_ROLE,), conditions={"StringEquals": {"iam:PassedToService": MEDIALIVE_SERVICE}},
              must_bind=True),
    ), _A, ("The administrator creates channels too (it has everything ADVANCED has, S32).",)),
    Row("A8.boundary", "Guard rail: never remove or replace a permissions boundary", _SRA, (
        Grant(_a("iam", "DeleteRolePermissionsBoundary"), (IAM_ROLE,), effect="Deny"),
        Grant(_a("iam", "DeleteUserPermissionsBoundary"), (IAM_USER,), effect="Deny"),
    ), _A, ("[inferred] Explicit Deny: 'less than full-access administrators' means the administrator must never "
            "lift the cap of a role or user. Denied on every role and user of the account.",)),
    Row("A8.create", "Guard rail: roles under the path only ever carry the MediaLive boundary", _SRA, (
        Grant(_a("iam", "CreateRole", "PutRolePermissionsBoundary"), (IAM_ROLE,), must_bind=True,
              conditions=_NOT_ROLE_BOUNDARY, effect="Deny"),
    ), _A, ("[inferred] Explicit Deny of CreateRole and PutRolePermissionsBoundary with another boundary, or none, "
            "on every role under the path (A5 allows them only with the boundary; this holds even if a broader "
            "policy is attached to the group later). MediaLiveAccessRole (simple option, S29) is outside the path.",)),
    Row("A8.self", "Guard rail: never change the administrators' own group, own policies or the boundary", _SRA, (
        Grant(_a("iam", "CreatePolicyVersion", "DeletePolicyVersion", "SetDefaultPolicyVersion", "DeletePolicy",
                 "TagPolicy", "UntagPolicy"), (IAM_POLICY,), must_bind=True, effect="Deny"),
        Grant(_a("iam", "AddUserToGroup", "RemoveUserFromGroup", "AttachGroupPolicy", "DetachGroupPolicy",
                 "PutGroupPolicy", "DeleteGroupPolicy", "UpdateGroup", "DeleteGroup"), (IAM_GROUP,), must_bind=True,
              effect="Deny"),
    ), _A, ("[inferred] Explicit Deny on the policies under the administrators' own policy path (its policies, the "
            "boundaries), under /medialive-unbounded/ (the policies of workflow roles made without the boundary, in "
            "any app: IAM's policy-version actions have no key for what a policy is attached to, so only the path "
            "tells them apart), on the operator groups' policies, and on its own group: editing any of them would "
            "lift every other limit.",)),
    Row("A8.assume", "Guard rail: never assume a role under the MediaLive role path", _SRA, (
        Grant(_a("sts", "AssumeRole"), (IAM_ROLE,), must_bind=True, effect="Deny"),
    ), _A, ("[inferred] A trust policy's content has no IAM condition key: a role the administrator creates may "
            "name the administrator as principal, and a same-account trust policy naming a user needs no identity "
            "permission. The explicit Deny closes that route to the roles' (boundary-capped) permissions.",)),
    Row("A8.access-role", "Guard rail: never create, rewrite, re-trust or assume MediaLiveAccessRole", _SRA, (
        Grant(_a("iam", "CreateRole", "DeleteRole", "UpdateRole", "UpdateRoleDescription", "UpdateAssumeRolePolicy",
                 "PutRolePolicy", "DeleteRolePolicy", "AttachRolePolicy", "DetachRolePolicy", "PutRolePermissionsBoundary",
                 "DeleteRolePermissionsBoundary", "TagRole", "UntagRole"), (IAM_ROLE,),
              {"RoleNameWithPath": SIMPLE_ROLE_NAME}, effect="Deny"),
        Grant(_a("sts", "AssumeRole"), (IAM_ROLE,), {"RoleNameWithPath": SIMPLE_ROLE_NAME}, effect="Deny"),
    ), _A, ("[inferred] Issue 11 a: the simple option's role sits outside the role path; whoever writes its trust or "
            "policy is account administrator. The stack creates it (MediaLiveAccessRole construct).",)),
    Row("A9", "Users change their own console password (forced reset at first sign-in)", "inferred", (
        Grant(_a("iam", "ChangePassword"), (IAM_USER,), must_bind=True),
        Grant(_a("iam", "GetAccountPasswordPolicy")),
    ), _A, ("[inferred] Part of the user boundary (require_user_boundary): a user created with a password to "
            "reset must be able to reset it within the boundary.",)),
)


#: A console user changes its own password (A9): the rows of the users a construct creates with a password.
PASSWORD_ROW = "A9"


@dataclass(frozen=True)
class AdminEntry:
    """One of the restricted administrator's own rows.

    :param row: the row id.
    :param binds: what ``RestrictedAdmin`` binds its grants to; rows that bind alike make their statements together,
        in the order of their first entry: ``managed`` (users under ``user_path``, the operator groups, roles under
        ``role_path``, policies under ``policy_path``), ``account`` (nothing: every role and user, the fixed
        ``MediaLiveAccessRole``), ``role_path`` (roles under ``role_path``), ``own`` (the administrators' own
        policies and group, the boundaries, the operator groups' policies).
    :param when: the ``RestrictedAdmin`` prop that adds it (``None``: always).
    """

    row: str
    binds: str
    when: str | None = None


#: The administrator's own rows, in the order it records them (after the ``ADVANCED`` tier's and the opt-ins').
ADMIN_TABLE: tuple[AdminEntry, ...] = (
    AdminEntry("A1", "managed"),
    AdminEntry("A1.boundary", "managed", when="require_user_boundary"),
    AdminEntry("A2", "managed"),
    AdminEntry("A3", "managed", when="allow_access_keys"),
    AdminEntry("A4", "managed"),
    AdminEntry("A5", "managed"),
    AdminEntry("A5.trust", "managed", when="allow_role_creation"),
    AdminEntry("A6", "managed"),
    AdminEntry("A7", "managed"),
    AdminEntry("M4", "managed"),
    AdminEntry("A8.boundary", "account"),
    AdminEntry("A8.create", "role_path"),
    AdminEntry("A8.self", "own"),
    AdminEntry("A8.assume", "role_path"),
    AdminEntry("A8.access-role", "account"),
)

#: The user boundary's rows beyond the ``ADVANCED`` tier's actions (``require_user_boundary``, A1.boundary): a user
#: changes its own password (``own_user``: its own user under the user path), and never assumes the administrator's
#: roles (the A8.assume guard rail).
USER_BOUNDARY_TABLE: tuple[AdminEntry, ...] = (
    AdminEntry(PASSWORD_ROW, "own_user"),
    AdminEntry("A8.assume", "role_path"),
)


@dataclass(frozen=True)
class AdminOptions:
    """What decides the restricted administrator's rows: ``RestrictedAdmin``'s props of the same names.

    :param trusted_entity: the trusted-entity option of its ``ADVANCED`` rows.
    :param opted: every opt-in it takes (``OptIn.admin``), on or off.
    :param notification_endpoints: an endpoint allowlist is given (S40.endpoints).
    :param console_users: it creates console users (A9).
    """

    trusted_entity: TrustedEntityOption
    opted: Mapping[str, bool] = field(default_factory=dict)
    notification_endpoints: bool = False
    allow_access_keys: bool = False
    allow_role_creation: bool = True
    require_user_boundary: bool = False
    console_users: bool = False


def admin_rows(options: AdminOptions) -> PrincipalRows:
    """The restricted administrator's rows: the ``ADVANCED`` tier's under its option with its opt-ins (S40.endpoints
    with an endpoint allowlist; the stack-making opt-ins' rows after the others), the entries of
    :data:`ADMIN_TABLE` its props turn on, S15.guard after a stack-making opt-in, A9 with console users."""
    from .opt_ins import OPT_INS, STACK_GUARD_ROW, split_stack_rows
    from .tiers import OperatorTier, endpoint_rows, tier_rows

    assert set(options.opted) == {o.prop for o in OPT_INS if o.admin}, "RestrictedAdmin takes every admin opt-in"
    tier = tier_rows(OperatorTier.ADVANCED, options.trusted_entity, **options.opted)
    main, stacked = split_stack_rows(endpoint_rows(tier, options.notification_endpoints), options.opted)
    entries = [e for e in ADMIN_TABLE if e.when is None or getattr(options, e.when)]
    own = tuple((b, tuple(e.row for e in entries if e.binds == b)) for b in dict.fromkeys(e.binds for e in entries))
    password = (PASSWORD_ROW,) if options.console_users else ()
    ids = (main + tuple(r for _, rows in stacked for r in rows) + tuple(e.row for e in entries)
           + ((STACK_GUARD_ROW,) if stacked else ()) + password)
    return PrincipalRows(ids, main, stacked, own, password)


def user_boundary_condition(row: Row, grant: Grant) -> Mapping | None:
    """With ``require_user_boundary`` (A1.boundary): A1 creates users only with the user boundary."""
    if row.id == "A1" and "iam:CreateUser" in grant.actions:
        return {"StringEquals": {"iam:PermissionsBoundary": USER_BOUNDARY}}
    return None
