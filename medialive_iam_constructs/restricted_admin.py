"""``RestrictedAdmin``: the guide's restricted administrator (setting-up-restricted-admin, reference §1.1),
and ``MediaLivePermissionsBoundary``, the boundary that caps every role the administrator creates.

The administrator has everything the ``ADVANCED`` tier has, plus the A rows of
:mod:`medialive_iam_constructs.catalog.admin`: IAM users under a path, their console passwords, membership
of the operator groups it is given, trusted-entity roles under a path that must carry the boundary,
customer managed policies under a policy path, PassRole to MediaLive only, and explicit Deny guard rails
(A8) that keep it from lifting its own limits. See ``docs/restricted-admin.md``. Which rows, with which prop, bound
to what, is the catalog's :data:`~medialive_iam_constructs.catalog.admin.ADMIN_TABLE`; the props are checked by
:mod:`~medialive_iam_constructs.validation` and bound by :mod:`~medialive_iam_constructs.converters`.
"""

from __future__ import annotations

import jsii
from typing import TYPE_CHECKING, Any, Sequence

from aws_cdk import CfnOutput, CfnResource
from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms

from . import catalog
from .catalog.admin import (
    POLICY_PATH_ARN_KEY,
    ROLE_BOUNDARY_KEY,
    UNBOUNDED_POLICY_PATH,
    USER_BOUNDARY_KEY,
    USER_BOUNDARY_TABLE,
    AdminOptions,
    admin_rows,
    user_boundary_condition,
)
from .catalog.model import PrincipalRows
from .catalog.opt_ins import DEFAULT_WIZARD_STACK_PREFIX
from .catalog.resources import IAM_GROUP, IAM_POLICY, IAM_ROLE, IAM_USER
from .catalog.tiers import OperatorTier, TrustedEntityOption, tier_rows
from .converters import group_of, operator_group_of, own_user_arn, permissions_boundary as to_boundary, under_path
from .namespaces import TRUSTED_GRANT_ROWS, MediaLiveNamespaces, namespace_statements
from .scopes import OperatorProps, password_statements
from ._console_users import add_members, check_console_users
from ._group import GroupConstruct, attach_policies, principal_group
from ._readonly import ReadOnlyAfterInit
from .errors import MediaLiveIamError, describe
from ._unique_names import ensure_unique_names
from .nag import acknowledge, nag_text
from .packing import MANAGED_POLICY_MAX_CHARS, create_managed_policies, pack, statement_resolver, value_key
from .statements import Statement, row_statements, stack_env
from .tokens import is_token, stack_of, stack_tokens
from ._synth_checks import add_check
from .validation import (
    check_admin_paths,
    check_admins_outside,
    check_boundary_path,
    check_boundary_props,
    check_console_user_path,
    check_groups_within,
    check_name,
    check_operator_groups,
    check_path,
    check_user_boundary_option,
    check_users,
    check_users_of_other_groups,
    parse_enum,
    user_path_of,
)

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
#: Why an administrators' group made without ``users`` or ``console_users`` has no members (HIPAA/PCI findings).
_NO_MEMBERS_REASON = (
    "Restricted administrators are added by a full-access administrator after deploy (setting-up-restricted-admin, "
    "A1: they cannot add themselves: A8.self); give users= to add them here instead."
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


@jsii.implements(iam.IGrantable)
class RestrictedAdmin(GroupConstruct):
    """The guide's restricted administrator: more than regular users, less than full-access administrators.

    :param operator_groups: the ``MediaLiveOperatorGroup`` s (or their ``.group``) the administrator may add users
        to and remove them from (A4). Their customer managed policies are protected by an explicit Deny (A8.self).
        The administrator creates users and adds them to these groups, so it holds whatever they hold: synth fails
        for a group made otherwise (what it holds cannot be checked), a group with a row the administrator lacks
        (give it the same opt-in), or a group whose grants reach resources the administrator's own do not (another
        parameter path, notification prefix, stack prefix, role path or role; a role unknown at synth). Any other
        group's users the app creates or adds must lie outside ``user_path`` (checked over the whole app at synth):
        the administrator could reset their passwords and hold what that group holds.
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

    #: The trusted-entity option of its ADVANCED rows (reference §6).
    trusted_entity: TrustedEntityOption
    #: IAM path of the roles the administrator creates and passes (A5, A7).
    role_path: str
    #: IAM path of the users the administrator manages (A1-A3).
    user_path: str
    #: IAM path of the administrator users created with ``console_users`` or ``MediaLiveConsoleUsers``.
    console_user_path: str
    #: The ``MediaLivePermissionsBoundary`` every role the administrator creates must carry (None when a plain
    #: ``iam.IManagedPolicy`` was given as ``permissions_boundary``).
    boundary: MediaLivePermissionsBoundary | None
    #: The role boundary policy (T5-T23).
    permissions_boundary: iam.IManagedPolicy
    #: The boundary users must be created with (``require_user_boundary``), else None.
    user_permissions_boundary: iam.ManagedPolicy | None
    #: Every catalog row the administrator's policies come from.
    rows: tuple[str, ...]

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
        self.trusted_entity = option = parse_enum(self, "trusted_entity", trusted_entity, TrustedEntityOption)
        self.role_path, self.user_path = role_path, user_path
        check_name(self, "group_name", group_name, "group")
        for prop, name in (("policy_name_prefix", policy_name_prefix), ("boundary_name", boundary_name),
                           ("user_boundary_name", user_boundary_name)):
            check_name(self, prop, name, "policy")
        check_boundary_props(self, boundary_name=boundary_name, boundary_namespaces=boundary_namespaces,
                             permissions_boundary=permissions_boundary)
        check_admin_paths(self, user_path=user_path, role_path=role_path, policy_path=policy_path,
                          admin_policy_path=admin_policy_path)
        ops = OperatorProps(parameter_path=parameter_path, notification_prefix=notification_prefix,
                            notification_endpoints=notification_endpoints,
                            workflow_wizard_stack_prefix=workflow_wizard_stack_prefix,
                            workflow_monitor_stack_prefix=workflow_monitor_stack_prefix)
        ops.check(self)
        admin_users = check_users(self, "users", users)
        check_admins_outside(self, "users", admin_users, user_path, admin_policy_path)
        console_names = check_console_users(self, console_users)
        self.console_user_path = admin_policy_path if console_user_path is None else console_user_path
        check_console_user_path(self, "console_user_path", self.console_user_path, user_path=user_path,
                                admin_policy_path=admin_policy_path, console_users=console_names)
        groups = [group_of(g) for g in operator_groups]
        policies = [(group, policy) for item, group in zip(operator_groups, groups)
                    for policy in getattr(item, "managed_policies", ()) or ()]
        check_operator_groups(self, "operator_groups", groups, policies, policy_path)
        self.boundary, self.permissions_boundary = self._role_boundary(
            permissions_boundary, boundary_name, admin_policy_path, boundary_namespaces)
        check_user_boundary_option(self, "require_user_boundary", require_user_boundary, option)
        self.user_permissions_boundary = self._user_boundary(
            option, user_boundary_name, admin_policy_path, ops.values) if require_user_boundary else None

        composed = admin_rows(AdminOptions(
            option, opted={"workflow_wizard": workflow_wizard, "medialive_anywhere": medialive_anywhere,
                           "allow_device_transfer": allow_device_transfer,
                           "workflow_monitor_deploy": workflow_monitor_deploy},
            notification_endpoints=bool(notification_endpoints), allow_access_keys=allow_access_keys,
            allow_role_creation=allow_role_creation, require_user_boundary=require_user_boundary,
            console_users=bool(console_names)))
        self.rows = composed.ids
        self.group = principal_group(self, group_name=group_name, path=admin_policy_path, rows=self.rows)
        statements = self._statements(composed, ops, groups, [p.managed_policy_arn for _, p in policies], policy_path,
                                      admin_policy_path)
        check_groups_within(self, "operator_groups", [operator_group_of(self, "operator_groups", g)
                                                      for g in operator_groups], self.rows, statements)
        self.managed_policies = attach_policies(
            self, self.group, statements + password_statements(self, composed, self.console_user_path),
            name_prefix=policy_name_prefix, path=admin_policy_path, description=_ADMIN_DESCRIPTION)
        self.users, self.initial_password_secrets, self.password_encryption_key = add_members(
            self, self.group, admin_users, console_names, self.console_user_path, password_encryption_key, self.rows,
            empty_reason=_NO_MEMBERS_REASON)
        add_check(self.node.root, _UsersOfOtherGroups(self, [*groups, self.group]))
        self._seal()

    # --- helpers ------------------------------------------------------------------------------------

    def _role_boundary(self, given: Any, name: str | None, path: str, namespaces: MediaLiveNamespaces | None
                       ) -> tuple[MediaLivePermissionsBoundary | None, iam.IManagedPolicy]:
        """The boundary every role the administrator creates must carry (T5-T23): ``given`` (a
        ``MediaLivePermissionsBoundary`` or an ``iam.IManagedPolicy`` under ``path``), or one made here."""
        if given is None:
            made = MediaLivePermissionsBoundary(
                self, "RoleBoundary", managed_policy_name=name or "MediaLiveTrustedRoleBoundary", path=path,
                namespaces=namespaces)
            return made, made.policy
        construct, policy = to_boundary(self, "permissions_boundary", given)
        check_boundary_path(self, "permissions_boundary", policy, path)
        return construct, policy

    def _statements(self, rows: PrincipalRows, ops: OperatorProps, groups: Sequence[iam.IGroup],
                    protected: list[str], policy_path: str, admin_policy_path: str) -> list[Statement]:
        """The statements of the ADVANCED tier's rows and the opt-ins' (bound as an operator group's, S32 to the
        roles under ``role_path``, A7), then of the administrator's own rows by what they bind
        (``AdminEntry.binds``); the operator groups' policies (``protected``) come and go (D15)."""
        role_arns = [under_path(self, IAM_ROLE, self.role_path)]
        values = {**ops.values, ROLE_BOUNDARY_KEY: self.permissions_boundary.managed_policy_arn,
                  POLICY_PATH_ARN_KEY: under_path(self, IAM_POLICY, policy_path)}
        if self.user_permissions_boundary is not None:
            values[USER_BOUNDARY_KEY] = self.user_permissions_boundary.managed_policy_arn
        complex_roles = {IAM_ROLE: role_arns} if self.trusted_entity is TrustedEntityOption.COMPLEX else {}
        statements = ops.statements(self, rows, bindings={**ops.bindings(self), **complex_roles}, values=values)
        bindings = {
            "managed": {IAM_USER: [under_path(self, IAM_USER, self.user_path)],
                        IAM_GROUP: [g.group_arn for g in groups], IAM_ROLE: role_arns,
                        IAM_POLICY: [under_path(self, IAM_POLICY, policy_path)]},
            "account": {},  # every role and user; MediaLiveAccessRole
            "role_path": {IAM_ROLE: role_arns},
            "own": {IAM_POLICY: [under_path(self, IAM_POLICY, p) for p in (admin_policy_path, UNBOUNDED_POLICY_PATH)]
                    + protected, IAM_GROUP: [self.group.group_arn]},
        }
        for binds, own in rows.own:
            statements += row_statements(
                self, own, prop="operator_groups", bindings=bindings[binds], values=values,
                extra_conditions=user_boundary_condition if USER_BOUNDARY_KEY in values else None,
                volatile_kinds=[IAM_POLICY] if binds == "own" and protected else ())
        return statements

    def _user_boundary(self, option, name, path, values) -> iam.ManagedPolicy:
        """ADVANCED's actions (IAM's kept on their resources, every other service's on ``*``: a boundary caps
        actions, the operator groups' policies scope resources), A9 and the A8.assume guard rail."""
        rows = tier_rows(OperatorTier.ADVANCED, option)
        scope = Construct(self, "UserBoundary")
        statements = []
        for s in row_statements(scope, rows, bindings=_wildcard_bindings(scope, rows), values=values):
            if not any(a.startswith("iam:") for a in s.actions):
                s = Statement.of(s.actions, ["*"], s.condition_block, effect=s.effect, rows=s.rows)
            statements.append(s)
        bindings = {"own_user": {IAM_USER: [own_user_arn(scope, self.user_path)]},
                    "role_path": {IAM_ROLE: [under_path(scope, IAM_ROLE, self.role_path)]}}
        for entry in USER_BOUNDARY_TABLE:
            statements += row_statements(scope, [entry.row], bindings=bindings[entry.binds])
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


class _UsersOfOtherGroups:
    """At synth, over the whole app (groups, users and the administrator are made in any order, in any stack): the
    users the app creates (``iam.CfnUser``: ``console_users``, ``MediaLiveConsoleUsers``, ``iam.User``) or adds
    (``iam.CfnUserToGroupAddition``: ``existing_users``, an imported user's ``users=``) under the administrator's
    ``user_path`` belong to none of the groups it does not manage (:func:`~.validation.check_users_of_other_groups`).
    A user added by name has the path of the imported user of that name (``iam.User.from_user_arn``), or of the user
    the app creates with that name; a bare name (``existing_users=['bob']``) has no path known at synth."""

    def __init__(self, admin: RestrictedAdmin, managed: Sequence[iam.IGroup]) -> None:
        self.admin, self.managed = admin, managed

    def validate(self) -> list[str]:
        groups: dict[tuple[str, str], iam.CfnGroup] = {}  # (stack path, logical id) -> group
        users: dict[tuple[str, str], iam.CfnUser] = {}
        additions: list[iam.CfnUserToGroupAddition] = []
        imported: dict[str, str | None] = {}  # user name (lower case) -> path
        exports: dict[str, tuple[str, Any]] = {}  # export name -> (stack path, value): a group of another stack
        for node in self.admin.node.root.node.find_all():
            if isinstance(node, CfnOutput) and _literal(node.export_name):
                exports[node.export_name] = (stack_of(node).node.path, stack_tokens(stack_of(node)).resolve(node.value))
            elif isinstance(node, iam.CfnGroup):
                groups[_key(node)] = node
            elif isinstance(node, iam.CfnUser):
                users[_key(node)] = node
            elif isinstance(node, iam.CfnUserToGroupAddition):
                additions.append(node)
            elif not isinstance(node, CfnResource) and isinstance(getattr(node, "user_name", None), str) \
                    and isinstance(getattr(node, "user_arn", None), str) and not is_token(node.user_name):
                imported[node.user_name.lower()] = user_path_of(node)
        managed = {_key(c) for c in (getattr(g.node, "default_child", None) for g in self.managed)
                   if isinstance(c, iam.CfnGroup)}
        managed |= {k for k, c in groups.items() if _password_change_group(c)}
        names = {c.group_name.lower() for k, c in groups.items() if k in managed and _literal(c.group_name)}
        for user in users.values():
            if _literal(user.user_name):
                imported.setdefault(user.user_name.lower(), _path(user))

        def foreign(stack_node, reference) -> str | None:
            """The group ``reference`` names (resolved in ``stack_node``'s stack), when it is not a managed one."""
            stack_path, value = stack_of(stack_node).node.path, stack_tokens(stack_of(stack_node)).resolve(reference)
            if isinstance(value, dict) and set(value) == {"Fn::ImportValue"} and value["Fn::ImportValue"] in exports:
                stack_path, value = exports[value["Fn::ImportValue"]]
            if isinstance(value, dict) and set(value) == {"Ref"}:
                key = (stack_path, value["Ref"])
                if key in managed:
                    return None
                group = groups.get(key)
                return _describe_group(group) if group is not None else f"Ref {value['Ref']}"
            if isinstance(value, str):
                return None if value.lower() in names else repr(value)
            return f"{value!r} (unknown at synth)"

        members = []
        for user in users.values():
            for reference in stack_of(user).resolve(user.groups) or ():  # a list token: CDK resolves it
                group = foreign(user, reference)
                if group is not None:
                    members.append((describe(user.node.scope), _path(user), group))
        for addition in additions:
            group = foreign(addition, addition.group_name)
            if group is None:
                continue
            for name in stack_of(addition).resolve(addition.users) or ():
                if isinstance(name, dict) and set(name) == {"Ref"}:
                    user = users.get((stack_of(addition).node.path, name["Ref"]))
                    if user is not None:
                        members.append((describe(user.node.scope), _path(user), group))
                elif isinstance(name, str):
                    members.append((repr(name), imported.get(name.lower()), group))
        return check_users_of_other_groups(self.admin, "user_path", members, self.admin.user_path)


def _password_change_group(group: iam.CfnGroup) -> bool:
    """The group ``MediaLiveConsoleUsers`` puts its users in for A9 alone (their own password): the administrator
    gains nothing by signing in as a member of it (console_users.py imports this module: checked by attribute)."""
    made = group.node.scope
    owned = getattr(made.node.scope, "password_change_group", None)
    return owned is not None and owned.node.path == made.node.path


def _describe_group(group: iam.CfnGroup) -> str:
    """The operator group (or the ``iam.Group``) that made ``group``."""
    made = group.node.scope
    owner = made.node.scope
    return describe(owner if hasattr(owner, "rows") and hasattr(owner, "statements") else made)


def _key(node: Any) -> tuple[str, str]:
    return stack_of(node).node.path, stack_tokens(stack_of(node)).resolve(node.logical_id)


def _literal(value: Any) -> bool:
    return isinstance(value, str) and not is_token(value)


def _path(user: iam.CfnUser) -> str | None:
    """The IAM path of a user the app creates (IAM's ``/`` without one), None when it is a token."""
    path = user.path
    return "/" if path is None else (path if _literal(path) else None)
