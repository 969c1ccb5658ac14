"""``RestrictedAdmin``: the guide's restricted administrator (setting-up-restricted-admin, reference §1.1),
and ``MediaLivePermissionsBoundary``, the boundary that caps every role the administrator creates.

The administrator has everything the ``ADVANCED`` tier has, plus the A rows of
:mod:`medialive_iam_constructs.catalog.admin`: IAM users under a path, their console passwords, membership
of the operator groups it is given, trusted-entity roles under a path that must carry the boundary,
customer managed policies under a policy path, PassRole to MediaLive only, and explicit Deny guard rails
(A8) that keep it from lifting its own limits. See ``docs/restricted-admin.md``.
"""

from __future__ import annotations

import jsii
from dataclasses import replace
from typing import TYPE_CHECKING, Mapping, Sequence

from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_secretsmanager as secretsmanager

from . import catalog
from .catalog.admin import (
    POLICY_PATH_ARN_KEY,
    ROLE_BOUNDARY_KEY,
    UNBOUNDED_POLICY_PATH,
    USER_BOUNDARY,
    USER_BOUNDARY_KEY,
)
from .catalog.model import Grant, Row
from .catalog.resources import IAM_GROUP, IAM_POLICY, IAM_ROLE, IAM_USER
from .catalog.opt_ins import OPT_INS
from .catalog.tiers import OperatorTier, TrustedEntityOption, tier_rows
from .namespaces import TRUSTED_GRANT_ROWS, MediaLiveNamespaces, namespace_statements, uncovered
from .scopes import (
    DEFAULT_WIZARD_STACK_PREFIX,
    check_operator_props,
    operator_bindings,
    operator_rows,
    operator_values,
    opt_in_statements,
    split_stack_rows,
)
from ._console_users import check_console_users, create_console_users
from ._readonly import ReadOnlyAfterInit
from .errors import MediaLiveIamError, describe
from ._rows import record_rows
from ._unique_names import ensure_unique_names
from .nag import acknowledge, nag_text
from .packing import (
    MANAGED_POLICY_MAX_CHARS,
    PrincipalQuotaValidation,
    create_managed_policies,
    pack,
    statement_resolver,
    value_key,
)
from .statements import Statement, render_kind, row_statements, stack_env
from ._synth_checks import add_check
from .tokens import is_token, stack_of, stack_tokens
from .validation import check_name, check_path, check_users, parse_enum, user_path_of

#: The trusted-entity rows whose grants make up the role boundary (reference §1.4).
BOUNDARY_ROWS: tuple[str, ...] = TRUSTED_GRANT_ROWS

_BOUNDARY_DESCRIPTION = (
    "Permissions boundary of MediaLive trusted-entity roles: at most what MediaLive needs at run time "
    "(rows T5-T23 of the trusted-entity table), within the app's MediaLive namespaces."
)
_USER_BOUNDARY_DESCRIPTION = (
    "Permissions boundary of the MediaLive users the restricted administrator creates: at most the ADVANCED "
    "operator tier (any resource of this account), plus changing their own password (A9)."
)
_ADMIN_DESCRIPTION = "MediaLive restricted administrator (setting-up-restricted-admin; rows of the ADVANCED tier and A1-A8)."


def _wildcard_bindings(scope: Construct, row_ids: Sequence[str]) -> dict:
    """Every kind the rows use, rendered with ``*`` identifiers (SAR defaults kept: log group ElementalMediaLive)."""
    kinds = {k for r in catalog.rows(row_ids) for g in r.grants for k in g.kinds}
    return {k: k.render_all(**stack_env(scope)) for k in kinds}


def _one_policy(scope: Construct, statements: list[Statement], *, name: str | None, path: str, prop: str,
                description: str, id_prefix: str) -> iam.ManagedPolicy:
    """A single customer managed policy (a boundary is exactly one policy), or a clear error."""
    return create_managed_policies(
        scope, statements, principal_kind="role", name_prefix=name, path=path, max_policies=1, prop=prop,
        description=description, id_prefix=id_prefix,
    )[0]


class MediaLivePermissionsBoundary(ReadOnlyAfterInit, Construct):
    """A customer managed policy that caps a MediaLive trusted-entity role at T5-T23 within the app's namespaces.

    No IAM condition limits what a role's trust policy says, so the boundary is the blast radius of every role
    created under it (issue 11 b): its grants reach only the buckets, secrets, parameters, KMS use, Elastic IPs,
    MediaPackage and MediaStore resources that ``namespaces`` declares (:class:`MediaLiveNamespaces`; its defaults
    are the library's: ``/medialive/`` parameters, ``medialive/`` secrets, ``medialive-`` buckets). An identity
    policy on the role still decides which of them the role really gets; a ``MediaLiveTrustedRole`` given this
    boundary fails at synth when one of its grants falls outside it.

    :param managed_policy_name: the policy's name (default: generated).
    :param path: its IAM path; under ``RestrictedAdmin``'s ``admin_policy_path``, where the administrator cannot
        edit it.
    :param namespaces: the app's MediaLive namespaces (default ``MediaLiveNamespaces()``).
    """

    def __init__(self, scope: Construct, id: str, *, managed_policy_name: str | None = None, path: str = "/",
                 namespaces: MediaLiveNamespaces | None = None) -> None:
        super().__init__(scope, id)
        check_name(self, "managed_policy_name", managed_policy_name, "policy")
        check_path(self, "path", path, policy=True)
        #: The namespaces the boundary reaches.
        self.namespaces: MediaLiveNamespaces = namespaces or MediaLiveNamespaces()
        #: The IAM path of the boundary policy.
        self.path: str = path
        statements = namespace_statements(self, self.namespaces)
        #: The trusted-entity rows the boundary allows (T9 only with declared Elastic IPs).
        self.rows: tuple[str, ...] = tuple(r for r in BOUNDARY_ROWS if any(r in s.rows for s in statements))
        #: The boundary's statements (what :func:`~medialive_iam_constructs.namespaces.uncovered` checks roles against).
        self.statements: tuple[Statement, ...] = tuple(statements)
        #: The boundary policy.
        self.policy: iam.ManagedPolicy = _one_policy(
            self, statements, name=managed_policy_name, path=path, prop="permissions_boundary",
            description=_BOUNDARY_DESCRIPTION, id_prefix="Policy",
        )
        self._seal()


def _group_of(item) -> iam.IGroup:
    group = getattr(item, "group", item)
    if not hasattr(group, "group_arn"):
        raise TypeError(f"{item!r} is neither an iam.IGroup nor an object with a .group attribute")
    return group


def _policy_path(policy: object) -> str | None:
    """The IAM path of a managed policy when known at synth (``path`` of one made here, or a literal ARN)."""
    path = getattr(policy, "path", None)
    if isinstance(path, str) and not is_token(path):
        return path
    arn = getattr(policy, "managed_policy_arn", None)
    if isinstance(arn, str) and not is_token(arn) and ":policy/" in arn:
        return "/" + arn.split(":policy/", 1)[1].rpartition("/")[0].strip("/") + "/" if "/" in arn.split(":policy/", 1)[1] else "/"
    return None


def _overlap(a: str, b: str) -> bool:
    """Two IAM paths overlap when the ARN pattern ``<path>*`` of one covers names under the other."""
    return a.startswith(b) or b.startswith(a)


#: Rows a managed group may hold beyond the administrator's: a console user's own password (A9).
_OWN_ROWS = ("A9",)


def _operator_group(scope: Construct, item: object) -> object:
    """The ``MediaLiveOperatorGroup`` behind ``item`` (the construct or its ``.group``). A group made otherwise is
    refused: the administrator creates users and adds them to its groups (A1, A4), so it holds whatever they hold,
    and what a group made elsewhere holds cannot be checked (second review: a plain group with S29/S31, or with
    policies under the administrator's policy path)."""
    if hasattr(item, "rows") and hasattr(item, "statements"):
        return item
    try:
        owner = _group_of(item).node.scope
    except Exception:  # noqa: BLE001 - imported groups (Group.from_group_name) have no construct scope to read
        owner = None
    if hasattr(owner, "rows") and hasattr(owner, "statements") and getattr(owner, "group", None) is _group_of(item):
        return owner
    raise MediaLiveIamError(
        describe(scope), "operator_groups",
        f"{describe(_group_of(item))} is not a MediaLiveOperatorGroup: the administrator adds users of its own to its "
        "groups (A1, A4), so it would hold whatever this group holds, which cannot be checked",
        "pass MediaLiveOperatorGroup constructs; manage groups made elsewhere outside the RestrictedAdmin",
    )


def _check_groups_within(scope: Construct, groups: Sequence[object], admin_rows: Sequence[str],
                         admin_statements: Sequence[Statement]) -> None:
    """The administrator holds, through a user of its own, whatever any of its operator groups holds. Refused at
    synth: a group with a row the administrator lacks (an opt-in it was not given, S29/S31 which it never gets), or
    with a grant on resources the administrator's own grants do not cover (another parameter path, notification
    prefix, stack prefix, role path or role: second review). Conditions are not compared: a group's grants are
    those of its rows, and the rows are compared first."""
    held = set(admin_rows)
    for group in groups:
        extra = [r for r in group.rows if r not in held and r not in _OWN_ROWS]
        if extra:
            props = [o.prop for o in OPT_INS if set(extra) & set(o.rows)]
            fix = (f"give the RestrictedAdmin the same opt-in ({', '.join(f'{p}=True' for p in props)}) if it may "
                   "hold them, or manage that group outside the RestrictedAdmin" if props else
                   "manage that group outside the RestrictedAdmin, or drop the rows from it")
            raise MediaLiveIamError(
                describe(scope), "operator_groups",
                f"the operator group {describe(group)} holds {', '.join(extra)}, which the administrator does not: it "
                "creates users and adds them to its groups (A1, A4), so it would hold them through a user of its own",
                fix,
            )
        own = [st for st in group.statements if not set(st.rows) <= set(_OWN_ROWS)]
        outside, _ = uncovered(scope, own, admin_statements)
        if outside:
            shown = "; ".join(f"{a} on {r} ({rows})" for rows, a, r in outside[:3])
            raise MediaLiveIamError(
                describe(scope), "operator_groups",
                f"the operator group {describe(group)} reaches {len(outside)} grant(s) the administrator's own do not "
                f"cover, and the administrator would hold them through a user of its own: {shown}"
                f"{' ...' if len(outside) > 3 else ''}",
                "give the group and the RestrictedAdmin the same parameter_path, notification_prefix, stack prefixes "
                "and role path (or roles under it), or manage that group outside the RestrictedAdmin",
            )


@jsii.implements(iam.IGrantable)
class RestrictedAdmin(ReadOnlyAfterInit, Construct):
    """The guide's restricted administrator: more than regular users, less than full-access administrators.

    :param operator_groups: the ``MediaLiveOperatorGroup`` s (or their ``.group``) the administrator may add users
        to and remove them from (A4). Their customer managed policies are protected by an explicit Deny (A8.self).
        The administrator creates users and adds them to these groups, so it holds whatever they hold: synth fails
        for a group made otherwise (what it holds cannot be checked), a group with a row the administrator lacks
        (give it the same opt-in), or a group whose grants reach resources the administrator's own do not (another
        parameter path, notification prefix, stack prefix, role path or role).
    :param trusted_entity: ``COMPLEX`` (default) or ``SIMPLE``: selects the trusted-entity rows of the
        ADVANCED tier (reference §6).
    :param group_name: name of the administrators' group (the guide's ``MediaLiveAdministrators``).
    :param policy_name_prefix: names of the administrators' policies (``MediaLiveAdminAccess``,
        ``MediaLiveAdminAccess2``...).
    :param user_path: IAM path of the users the administrator manages (A1-A3).
    :param role_path: IAM path of the trusted-entity roles it creates and passes (A5, A7).
    :param policy_path: IAM path of the customer managed policies it manages for those roles (A6). Must not
        overlap ``admin_policy_path`` nor the path of any operator group's policies: policies under it are
        editable by the administrator.
    :param admin_policy_path: IAM path of the administrators' own policies, the boundaries and its group;
        denied to the administrator (A8.self).
    :param parameter_path: Parameter Store path of password parameters (S41).
    :param notification_prefix: name prefix of EventBridge rules (S26) and SNS topics (S40).
    :param notification_endpoints: SNS endpoints (or patterns) besides e-mail that notification topics may be
        subscribed to (S40.endpoints); as on ``MediaLiveOperatorGroup``.
    :param allow_access_keys: also manage access keys of users under the path (A3).
    :param allow_role_creation: create roles under ``role_path`` and set their trust policies (A5.trust), always with
        the boundary. ``True`` (default) is the guide's administrator, who creates roles on the console; no IAM
        condition limits what a trust policy says, so such a role may trust anyone, within the boundary's
        namespaces. ``False`` for teams whose roles come only from code: no ``iam:CreateRole`` or
        ``iam:UpdateAssumeRolePolicy`` at all (the administrator still maintains those roles' policies).
    :param workflow_wizard: also grant the workflow wizard's rows, as ``MediaLiveOperatorGroup(workflow_wizard=True)``.
    :param workflow_wizard_stack_prefix: name prefix of the wizard's stacks (default ``MediaLiveWorkflow-``).
    :param allow_device_transfer: also transfer Link devices to other accounts (S4.transfer, S36.transfer), as on
        ``MediaLiveOperatorGroup``; off by default.
    :param medialive_anywhere: also grant MediaLive Anywhere's rows (N1-N3), as
        ``MediaLiveOperatorGroup(medialive_anywhere=True)`` on ADVANCED.
    :param workflow_monitor_deploy: also grant W4 (deploy a signal map's monitoring), as on ``MediaLiveOperatorGroup``;
        needs ``workflow_monitor_stack_prefix``.
    :param workflow_monitor_stack_prefix: name prefix of workflow monitor's CloudFormation stacks.
    :param boundary_namespaces: the namespaces of the boundary this construct creates (ignored with
        ``permissions_boundary``, which has its own: giving both is an error).
    :param require_user_boundary: users may only be created with ``user_permissions_boundary`` (A1.boundary);
        see docs/restricted-admin.md for the trade-off.
    :param users: existing IAM users to add to the administrators' group. None may live under ``user_path``
        (the administrators would manage each other's passwords and keys there): an error when the path is known.
    :param console_users: names of administrator users to create, as ``MediaLiveOperatorGroup(console_users=...)``
        does (one-time initial password in Secrets Manager, reset at first sign-in), under ``console_user_path``.
    :param console_user_path: IAM path of those users (default ``admin_policy_path``); never ``user_path``.
    :param password_encryption_key: KMS key of their initial-password secrets (default: a key created here).
    :param boundary_name: name of the role boundary policy this construct creates (default
        ``MediaLiveTrustedRoleBoundary``); not with ``permissions_boundary``.
    :param user_boundary_name: name of the user boundary policy (``require_user_boundary``).
    :param permissions_boundary: an existing ``MediaLivePermissionsBoundary`` or ``iam.IManagedPolicy`` to use
        instead of creating one (so roles created in the same stack before the administrator can carry it), as
        ``MediaLiveTrustedRole(permissions_boundary=...)`` accepts. Its path must lie under ``admin_policy_path``,
        where the administrator cannot edit it (A8.self); for an imported policy whose path is unknown at synth,
        a warning says so. :attr:`boundary` is the construct, or None for a plain policy.
    """

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The group (``iam.IGrantable``): CDK's grants (``bucket.grant_read(construct)``) grant to it; such
        statements are outside the catalog and :class:`~medialive_iam_constructs.guard.MediaLiveIamGuard` reports them."""
        return self.group

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        operator_groups: Sequence[iam.IGroup | object],
        trusted_entity: TrustedEntityOption | str = TrustedEntityOption.COMPLEX,
        group_name: str = "MediaLiveAdministrators",
        policy_name_prefix: str = "MediaLiveAdminAccess",
        user_path: str = "/medialive/",
        role_path: str = "/medialive/",
        policy_path: str = "/medialive/trusted-entity/",
        admin_policy_path: str = "/medialive-admin/",
        parameter_path: str = "/medialive/",
        notification_prefix: str = "medialive",
        notification_endpoints: Sequence[str] = (),
        allow_access_keys: bool = False,
        allow_role_creation: bool = True,
        workflow_wizard: bool = False,
        workflow_wizard_stack_prefix: str = DEFAULT_WIZARD_STACK_PREFIX,
        allow_device_transfer: bool = False,
        medialive_anywhere: bool = False,
        workflow_monitor_deploy: bool = False,
        workflow_monitor_stack_prefix: str | None = None,
        boundary_namespaces: MediaLiveNamespaces | None = None,
        require_user_boundary: bool = False,
        users: Sequence[iam.IUser] = (),
        console_users: Sequence[str] = (),
        console_user_path: str | None = None,
        password_encryption_key: kms.IKey | None = None,
        boundary_name: str | None = None,
        user_boundary_name: str = "MediaLiveUserBoundary",
        permissions_boundary: MediaLivePermissionsBoundary | iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        ensure_unique_names(self)
        option = parse_enum(self, "trusted_entity", trusted_entity, TrustedEntityOption)
        self.trusted_entity: TrustedEntityOption = option
        #: IAM path of the roles the administrator creates and passes (A5, A7).
        self.role_path: str = role_path
        #: IAM path of the users the administrator manages (A1-A3).
        self.user_path: str = user_path

        # --- validate ---------------------------------------------------------------------------------
        check_name(self, "group_name", group_name, "group")
        check_name(self, "policy_name_prefix", policy_name_prefix, "policy")
        check_name(self, "boundary_name", boundary_name, "policy")
        if boundary_name is not None and permissions_boundary is not None:
            raise MediaLiveIamError(
                describe(self), "boundary_name", "given together with permissions_boundary: boundary_name names the "
                "boundary this construct creates, and it creates none when one is passed",
                "name the boundary you pass (MediaLivePermissionsBoundary(managed_policy_name=...)), or drop "
                "permissions_boundary",
            )
        check_name(self, "user_boundary_name", user_boundary_name, "policy")
        for prop, value in (("user_path", user_path), ("role_path", role_path)):
            check_path(self, prop, value)
        for prop, value in (("policy_path", policy_path), ("admin_policy_path", admin_policy_path)):
            check_path(self, prop, value, policy=True)
        for prop, value in (("user_path", user_path), ("role_path", role_path), ("policy_path", policy_path),
                            ("admin_policy_path", admin_policy_path)):
            if value == "/" or "*" in value or "?" in value:
                raise MediaLiveIamError(
                    describe(self), prop, f"{value!r} would scope the administrator to every IAM entity of the account",
                    "give a dedicated path, e.g. '/medialive/'",
                )
        if _overlap(policy_path, admin_policy_path):
            raise MediaLiveIamError(
                describe(self), "policy_path", f"{policy_path!r} overlaps admin_policy_path {admin_policy_path!r}: the "
                "administrator could edit its own policies or the boundary", "use two separate paths",
            )
        if _overlap(policy_path, UNBOUNDED_POLICY_PATH):
            raise MediaLiveIamError(
                describe(self), "policy_path", f"{policy_path!r} overlaps {UNBOUNDED_POLICY_PATH!r}, where the roles "
                "without a permissions boundary keep their policies: the administrator could rewrite a policy no "
                "boundary caps and pass its role to MediaLive", "give the administrator a policy_path of its own "
                "(default '/medialive/trusted-entity/')",
            )
        check_operator_props(self, parameter_path=parameter_path, notification_prefix=notification_prefix,
                             notification_endpoints=notification_endpoints)
        admin_users = check_users(self, "users", users)
        for user in admin_users:
            known_path = user_path_of(user)
            if known_path is not None and known_path.startswith(user_path):
                raise MediaLiveIamError(
                    describe(self), "users", f"user {user.node.path} is under user_path {user_path!r}, the path of the "
                    "users the administrators manage (A1-A3): an administrator there could reset another's password "
                    "or delete their user", f"create the administrators under another path, e.g. {admin_policy_path!r} "
                    "(console_users= does)",
                )
        console_names = check_console_users(self, console_users)
        console_user_path = admin_policy_path if console_user_path is None else console_user_path
        check_path(self, "console_user_path", console_user_path)
        #: IAM path of the administrator users created with ``console_users`` or ``MediaLiveConsoleUsers``.
        self.console_user_path: str = console_user_path
        if console_names and console_user_path.startswith(user_path):
            raise MediaLiveIamError(
                describe(self), "console_user_path", f"{console_user_path!r} is under user_path {user_path!r}, the path "
                "of the users the administrators manage (A1-A3)", f"use another path, e.g. {admin_policy_path!r} (the default)",
            )
        if permissions_boundary is not None and boundary_namespaces is not None:
            raise MediaLiveIamError(
                describe(self), "boundary_namespaces", "given together with permissions_boundary, which has its own",
                "declare the namespaces on the MediaLivePermissionsBoundary you pass, or drop permissions_boundary",
            )
        if not list(operator_groups):
            raise MediaLiveIamError(
                describe(self), "operator_groups", "no operator group given: the administrator could add users to none",
                "give the MediaLiveOperatorGroup (or iam.Group) objects its users may join",
            )
        groups = [_group_of(g) for g in operator_groups]
        protected_policies: list[str] = []
        for item in operator_groups:
            for policy in getattr(item, "managed_policies", ()) or ():
                path = getattr(policy, "path", None)
                if isinstance(path, str) and not is_token(path) and path.startswith(policy_path):
                    raise MediaLiveIamError(
                        describe(self), "policy_path",
                        f"the operator group {describe(_group_of(item))} keeps its policies under {path!r}, inside policy_path "
                        f"{policy_path!r}: the administrator could rewrite an operator group's policy and join it",
                        "give the administrator a policy_path of its own (default '/medialive/trusted-entity/')",
                    )
                protected_policies.append(policy.managed_policy_arn)

        # --- the boundaries -------------------------------------------------------------------------------
        #: The boundary every role the administrator creates must carry (T5-T23).
        #: The ``MediaLivePermissionsBoundary`` every role the administrator creates must carry (None when a plain
        #: ``iam.IManagedPolicy`` was given as ``permissions_boundary``).
        self.boundary: MediaLivePermissionsBoundary | None
        if permissions_boundary is None:
            self.boundary = MediaLivePermissionsBoundary(
                self, "RoleBoundary", managed_policy_name=boundary_name or "MediaLiveTrustedRoleBoundary",
                path=admin_policy_path, namespaces=boundary_namespaces)
            boundary_policy: iam.IManagedPolicy = self.boundary.policy
        else:
            self.boundary = permissions_boundary if isinstance(permissions_boundary, MediaLivePermissionsBoundary) else None
            boundary_policy = self.boundary.policy if self.boundary is not None else permissions_boundary
            if not hasattr(boundary_policy, "managed_policy_arn"):
                raise MediaLiveIamError(describe(self), "permissions_boundary", f"{permissions_boundary!r} is not a policy",
                                        "give a MediaLivePermissionsBoundary or an iam.IManagedPolicy")
            known = _policy_path(boundary_policy)
            if known is None:
                from aws_cdk import Annotations

                Annotations.of(self).add_warning_v2(
                    "medialive-iam:boundary-path-unknown",
                    f"the path of permissions_boundary {boundary_policy.managed_policy_arn!r} is not known at synth; "
                    f"make sure it lies under admin_policy_path {admin_policy_path!r}, where the administrator cannot "
                    "edit it (A8.self)",
                )
            elif not known.startswith(admin_policy_path):
                raise MediaLiveIamError(
                    describe(self), "permissions_boundary",
                    f"the boundary's path {known!r} is outside admin_policy_path {admin_policy_path!r}, "
                    "where the administrator could edit it",
                    f"create the MediaLivePermissionsBoundary with path={admin_policy_path!r}",
                )
        #: The role boundary policy.
        self.permissions_boundary: iam.IManagedPolicy = boundary_policy
        #: The boundary users must be created with (``require_user_boundary``), else None.
        self.user_permissions_boundary: iam.ManagedPolicy | None = None
        if require_user_boundary:
            if option is not TrustedEntityOption.COMPLEX:
                raise MediaLiveIamError(
                    describe(self), "require_user_boundary", "the user boundary (ADVANCED's actions, A9, A8.assume) "
                    "does not fit one policy of 6,144 characters with the simple option's role rows S29-S31",
                    "use trusted_entity=COMPLEX (the default) with require_user_boundary, or attach your own boundary",
                )
            self.user_permissions_boundary = self._user_boundary(
                option, user_boundary_name, admin_policy_path, user_path, role_path,
                operator_values(notification_prefix=notification_prefix, notification_endpoints=notification_endpoints))

        # --- rows and statements --------------------------------------------------------------------------
        opted = {"workflow_wizard": workflow_wizard, "medialive_anywhere": medialive_anywhere,
                 "allow_device_transfer": allow_device_transfer, "workflow_monitor_deploy": workflow_monitor_deploy}
        assert set(opted) == {o.prop for o in OPT_INS if o.admin}, "RestrictedAdmin takes every admin opt-in"
        tier, stacked = split_stack_rows(
            operator_rows(tier_rows(OperatorTier.ADVANCED, option, **opted), notification_endpoints), opted)
        admin = ["A1", "A2", "A4", "A5"] + (["A5.trust"] if allow_role_creation else []) + ["A6", "A7", "M4"]
        if allow_access_keys:
            admin.insert(2, "A3")
        if require_user_boundary:
            admin.insert(1, "A1.boundary")
        guards = ["A8.boundary", "A8.create", "A8.self", "A8.assume", "A8.access-role"]
        if stacked:
            guards.append("S15.guard")
        #: Every catalog row the administrator's policies come from.
        self.rows: tuple[str, ...] = (tuple(tier) + tuple(r for _, own in stacked for r in own) + tuple(admin)
                                      + tuple(guards)
                                      + (("A9",) if console_names else ()))

        self.group = iam.Group(self, "Group", group_name=group_name, path=admin_policy_path)
        record_rows(self.group.node.default_child, self.rows)

        role_arns = [render_kind(self, IAM_ROLE, RoleNameWithPath=role_path[1:] + "*")]
        user_arns = [render_kind(self, IAM_USER, UserNameWithPath=user_path[1:] + "*")]
        tier_bindings = operator_bindings(self, parameter_path=parameter_path, notification_prefix=notification_prefix)
        if option is TrustedEntityOption.COMPLEX:  # S32: the roles it passes are the ones it makes (A7)
            tier_bindings[IAM_ROLE] = role_arns
        values = {
            **operator_values(notification_prefix=notification_prefix, notification_endpoints=notification_endpoints),
            ROLE_BOUNDARY_KEY: self.permissions_boundary.managed_policy_arn,
            POLICY_PATH_ARN_KEY: render_kind(self, IAM_POLICY, PolicyNameWithPath=policy_path[1:] + "*"),
        }
        if self.user_permissions_boundary is not None:
            values[USER_BOUNDARY_KEY] = self.user_permissions_boundary.managed_policy_arn

        def user_boundary_condition(row: Row, grant: Grant) -> Mapping | None:
            if require_user_boundary and row.id == "A1" and "iam:CreateUser" in grant.actions:
                return {"StringEquals": {"iam:PermissionsBoundary": USER_BOUNDARY}}
            return None

        statements = row_statements(self, tier, bindings=tier_bindings, values=values)
        statements += opt_in_statements(self, stacked, bindings=tier_bindings, values=values, prefixes={
            "workflow_wizard_stack_prefix": workflow_wizard_stack_prefix,
            "workflow_monitor_stack_prefix": workflow_monitor_stack_prefix})
        statements += row_statements(self, admin, prop="operator_groups", extra_conditions=user_boundary_condition,
                                     values=values, bindings={
            IAM_USER: user_arns,
            IAM_GROUP: [g.group_arn for g in groups],
            IAM_ROLE: role_arns,
            IAM_POLICY: [render_kind(self, IAM_POLICY, PolicyNameWithPath=policy_path[1:] + "*")],
        })
        statements += row_statements(self, ["A8.boundary", "A8.access-role"])  # every role and user; MediaLiveAccessRole
        statements += row_statements(self, ["A8.create", "A8.assume"], bindings={IAM_ROLE: role_arns}, values=values)
        statements += row_statements(self, ["A8.self"], bindings={
            IAM_POLICY: [render_kind(self, IAM_POLICY, PolicyNameWithPath=p[1:] + "*")
                         for p in (admin_policy_path, UNBOUNDED_POLICY_PATH)]
            + protected_policies,
            IAM_GROUP: [self.group.group_arn],
        }, volatile_kinds=[IAM_POLICY] if protected_policies else ())  # the groups' policies come and go (D15)
        _check_groups_within(self, [_operator_group(self, g) for g in operator_groups], self.rows, statements)
        if console_names:  # A9: the created administrators replace their initial password (as operator groups' users)
            own_user = render_kind(self, IAM_USER, UserNameWithPath=console_user_path[1:] + "${aws:username}")
            statements += row_statements(self, ["A9"], bindings={IAM_USER: [own_user]})

        # --- the group, its policies, its users -------------------------------------------------------
        #: The administrators' customer managed policies (under ``admin_policy_path``).
        self.managed_policies: tuple[iam.ManagedPolicy, ...] = tuple(create_managed_policies(
            self, statements, principal_kind="group", name_prefix=policy_name_prefix, path=admin_policy_path,
            groups=[self.group], prop="rows", description=_ADMIN_DESCRIPTION,
        ))
        add_check(stack_of(self), PrincipalQuotaValidation(self, self.group.node.default_child, "group"))
        for user in admin_users:
            self.group.add_user(user)
        #: The administrator users this construct created (``console_users``).
        self.users: tuple[iam.User, ...] = ()
        #: Initial console password of each created user, by user name.
        self.initial_password_secrets: dict[str, secretsmanager.Secret] = {}
        #: The KMS key of the initial-password secrets (None without ``console_users``).
        self.password_encryption_key: kms.IKey | None = password_encryption_key
        if console_names:
            self.users, self.initial_password_secrets, self.password_encryption_key = create_console_users(
                self, self.group, console_names, console_user_path, password_encryption_key, self.rows)
        if not admin_users and not console_names:
            reason = ("Restricted administrators are added by a full-access administrator after deploy "
                      "(setting-up-restricted-admin, A1: they cannot add themselves: A8.self); give users= to add "
                      "them here instead.")
            for finding in ("HIPAA.Security-IAMGroupHasUsers", "PCI.DSS.321-IAMGroupHasUsers"):
                acknowledge(self.group, finding, reason)
        self._seal()

    # --- helpers ------------------------------------------------------------------------------------

    def _user_boundary(self, option, name, path, user_path, role_path, values) -> iam.ManagedPolicy:
        """ADVANCED's actions (IAM's kept on their resources, every other service's on ``*``: a boundary caps
        actions, the operator groups' policies scope resources), A9 and the A8.assume guard rail."""
        rows = tier_rows(OperatorTier.ADVANCED, option)
        scope = Construct(self, "UserBoundary")
        statements = []
        for s in row_statements(scope, rows, bindings=_wildcard_bindings(scope, rows), values=values):
            if not any(a.startswith("iam:") for a in s.actions):
                s = Statement.of(s.actions, ["*"], s.condition_block, effect=s.effect, rows=s.rows)
            statements.append(s)
        statements += row_statements(scope, ["A9"], bindings={
            IAM_USER: [render_kind(scope, IAM_USER, UserNameWithPath=user_path[1:] + "${aws:username}")]})
        statements += row_statements(scope, ["A8.assume"], bindings={
            IAM_ROLE: [render_kind(scope, IAM_ROLE, RoleNameWithPath=role_path[1:] + "*")]})
        chunks = pack(statements, statement_resolver(scope), key=value_key(scope))
        if len(chunks) != 1:
            raise MediaLiveIamError(
                describe(self), "require_user_boundary",
                f"the user boundary needs {len(chunks)} policies of {MANAGED_POLICY_MAX_CHARS} characters; a boundary is one",
                "set require_user_boundary=False, or attach your own boundary to the users",
            )
        policy = iam.ManagedPolicy(
            scope, "Policy1", managed_policy_name=name, path=path, description=_USER_BOUNDARY_DESCRIPTION,
            document=iam.PolicyDocument(statements=[iam.PolicyStatement.from_json(s.to_json()) for s in chunks[0]]),
        )
        tokens = stack_tokens(stack_of(scope))
        findings = sorted({f"AwsSolutions-IAM5[Resource::{nag_text(tokens.resolve(r))}]"
                           for st in chunks[0] if st.effect == "Allow" for r in st.resources
                           if "*" in nag_text(tokens.resolve(r))})
        for finding in findings:
            acknowledge(policy, finding,
                        "A1.boundary: a permissions boundary caps actions (the ADVANCED rows' actions, S1-S42; IAM's on "
                        "their own resource kind); the operator groups' policies scope the resources, and the "
                        "effective permission is the intersection of both.")
        return policy
