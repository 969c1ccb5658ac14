"""``MediaLiveOperatorGroup``: an IAM group of non-administrator MediaLive users, in one of the guide's
tiers (setup-user-step-2, reference §5) or a custom set of catalog rows, under the simple or complex
trusted-entity option (reference §6).

Everything the group may do comes from catalog rows (``catalog/tiers.py`` for the tiers,
``catalog/activities.py`` for the actions); this module validates the props, binds the resources the
rows need (trusted roles, the parameter path, the notification name prefix, channels) and hands the
statements to the packer, which makes customer managed policies within IAM's quotas. It never spells an
action name.
"""

from __future__ import annotations

import jsii
from dataclasses import replace
from typing import TYPE_CHECKING, Mapping, Sequence

from aws_cdk import Names
from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:  # loaded only where console users are created: importing them costs ~0.2 s per process
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_secretsmanager as secretsmanager

    from .trusted_role import MediaLiveTrustedRole

from . import catalog
from .catalog.model import Grant, Row
from .catalog.activities import (
    CREDENTIAL_READS,
    PATH_READS,
    TAG_KEYS_KEY,
    TAG_IN_REQUEST,
    TAG_ON_CREATE,
    TAG_SCOPED_KINDS,
    TAG_WRITE_ACTIONS,
    UNSCOPABLE_CREDENTIAL_READS,
    UNSCOPABLE_ROWS,
)
from .catalog.resources import IAM_ROLE, IAM_USER, ML_CHANNEL, Kind
from .catalog.opt_ins import OPT_INS, TAG_SCOPE_OPT_INS, opt_in_rows
from .catalog.tiers import (
    FORBIDDEN_BY_OPTION,
    TIER_NEVER,
    OperatorTier,
    TrustedEntityOption,
    tier_rows,
)
from ._console_users import check_console_users, create_console_users
from ._readonly import ReadOnlyAfterInit
from .errors import MediaLiveIamError, describe
from ._rows import record_rows
from ._unique_names import ensure_unique_names
from .nag import acknowledge
from .packing import PrincipalQuotaValidation, create_managed_policies
from .scopes import (
    DEFAULT_WIZARD_STACK_PREFIX,
    check_operator_props,
    operator_bindings,
    operator_rows,
    operator_values,
    opt_in_statements,
    split_stack_rows,
)
from .statements import Statement, render_kind, row_statements
from ._synth_checks import add_check
from .tokens import is_token, stack_of
from .validation import check_name, check_path, check_tag, check_users, parse_arn, parse_enum

__all__ = ["MediaLiveOperatorGroup", "OperatorTier", "TrustedEntityOption"]

#: The complex option's row: pass the given roles to MediaLive.
_PASS_ROLE_ROW = "S32"
#: Words in the default policy names (the guide: names start with ``medialive``).
_TIER_WORDS = {
    OperatorTier.BASIC: "BasicUser",
    OperatorTier.READ_WRITE: "ReadWriteUser",
    OperatorTier.ADVANCED: "AdvancedUser",
    None: "CustomUser",
}
#: Fixed on purpose: a managed policy's Description cannot change without replacing the policy, and a
#: named policy cannot be replaced in place. Rows are traced by the statement Sids instead.
_POLICY_DESCRIPTION = "MediaLive operator group permissions (medialive-iam-constructs); Sids name the catalog rows."


def _role_arn(item) -> str | None:
    """The ARN of an ``iam.IRole``, of a construct exposing ``role`` (``MediaLiveTrustedRole``), or None."""
    arn = getattr(item, "role_arn", None)
    if isinstance(arn, str):
        return arn
    inner = getattr(item, "role", None)
    arn = getattr(inner, "role_arn", None)
    return arn if isinstance(arn, str) else None


def _role_path(item) -> str | None:
    """The IAM path of a role given to ``trusted_roles`` when known at synth, else None."""
    role = getattr(item, "role", item)
    child = getattr(getattr(role, "node", None), "default_child", None)
    if child is not None:
        path = getattr(child, "path", None)
        return "/" if path is None else (path if isinstance(path, str) and not is_token(path) else None)
    arn = item if isinstance(item, str) else getattr(role, "role_arn", None)
    if isinstance(arn, str) and not is_token(arn) and ":role/" in arn:
        rest = arn.split(":role/", 1)[1]
        return "/" + rest.rpartition("/")[0] + "/" if "/" in rest else "/"
    return None


def _describe_role(item) -> str:
    return repr(item) if isinstance(item, str) else f"role {getattr(item, 'node', None) and item.node.path}"


def _tag_scoped_rows(row_ids: Sequence[str], *, credential_listing: bool) -> list[Row]:
    """The rows of a tag-scoped group: each grant's creating actions (TAG_ON_CREATE) and credential reads
    (CREDENTIAL_READS) in grants of their own, so that tag scoping can condition a new resource on the request's
    tags, a credential read on the resource's tags, and leave the grant's other actions as the row has them; the
    reads IAM cannot scope that return every resource's credentials (UNSCOPABLE_CREDENTIAL_READS) left out unless
    ``credential_listing``, and the reads authorized on a path (PATH_READS) always."""
    out = []
    for row in catalog.rows(row_ids):
        grants: list[Grant] = []
        for g in row.grants:
            actions = [a for a in g.actions if a not in PATH_READS
                       and (credential_listing or a not in UNSCOPABLE_CREDENTIAL_READS)]
            creates = tuple(a for a in actions if a in TAG_ON_CREATE)
            reads = tuple(a for a in actions if a in CREDENTIAL_READS and a not in creates)
            rest = tuple(a for a in actions if a not in creates and a not in reads)
            grants += [replace(g, actions=part) for part in (creates, reads, rest) if part]
        out.append(replace(row, grants=tuple(grants)))
    return out


def _tag_conditions(tag: tuple[str, str], roles_by_path: bool):
    """Conditions per (row, grant, kind) of a tag-scoped group (issue 11 d). With ``pass_roles_by_path`` the roles it
    passes must carry its tag too: a path holds every team's workflow roles."""
    key, value = tag

    def conditions(row: Row, grant: Grant, kind: Kind | None) -> Mapping | None:
        if kind is IAM_ROLE and roles_by_path:
            return {"StringEquals": {f"aws:ResourceTag/{key}": value}}
        # tags the request sets (an update that takes tags): the group's key only with the group's value
        request_tag = ({"StringEqualsIfExists": {f"aws:RequestTag/{key}": value}}
                       if any(a in TAG_IN_REQUEST for a in grant.actions) else {})
        if kind is not None and grant.actions and all(CREDENTIAL_READS.get(a) is kind for a in grant.actions):
            return {"StringEquals": {f"aws:ResourceTag/{key}": value}}  # a read that returns the resource's secret
        if kind is None and grant.actions and all(TAG_ON_CREATE.get(a) in TAG_SCOPED_KINDS for a in grant.actions):
            return {"StringEquals": {f"aws:RequestTag/{key}": value}}  # a create SAR gives no resource type
        if kind not in TAG_SCOPED_KINDS:
            return request_tag or None
        if grant.actions and all(TAG_ON_CREATE.get(a) is kind for a in grant.actions):
            return {"StringEquals": {f"aws:RequestTag/{key}": value}}  # the resource the request creates
        out: dict = {"StringEquals": {f"aws:ResourceTag/{key}": value}, **request_tag}
        if any(a in TAG_WRITE_ACTIONS for a in grant.actions):
            out["ForAllValues:StringNotEqualsIgnoreCase"] = {TAG_KEYS_KEY: [key]}
        return out

    return conditions


@jsii.implements(iam.IGrantable)
class MediaLiveOperatorGroup(ReadOnlyAfterInit, Construct):
    """An IAM group for MediaLive operators, with customer managed policies built from catalog rows.

    :param tier: ``BASIC``, ``READ_WRITE`` or ``ADVANCED`` (reference §5). ``None`` makes a custom category
        of exactly ``rows``.
    :param rows: the rows of a custom category (only when ``tier`` is None); base ids (``S3``) stand for
        all their parts.
    :param add_rows: rows added to the tier's; a row the tier must never get (``TIER_NEVER``) or that the
        trusted-entity option forbids (``FORBIDDEN_BY_OPTION``) is an error.
    :param remove_rows: rows taken away (a known row the group does not have is ignored).
    :param trusted_entity: ``COMPLEX`` (default: users pass only the roles they are given, S32) or
        ``SIMPLE`` (users create, choose and update ``MediaLiveAccessRole``, S29-S31).
    :param trusted_roles: complex option: the roles (``iam.IRole``, ``MediaLiveTrustedRole`` or role ARNs)
        the group may pass to MediaLive.
    :param pass_roles_by_path: complex option: pass any role under this IAM path (``/medialive/``) to
        MediaLive; the policy does not grow with the number of roles.
    :param group_name: explicit group name (1-128 characters); default: generated by CloudFormation from
        the stack name and the construct's logical id.
    :param path: IAM path of the group and its managed policies.
    :param policy_name_prefix: names of the managed policies (``prefix``, ``prefix2``...). Default
        ``MediaLive<Tier>Access-<region>-<construct path and hash>``, unique per stack, construct and region.
    :param parameter_path: Parameter Store path of password parameters (S41), starts and ends with ``/``.
    :param notification_prefix: name prefix of the EventBridge rules (S26) and SNS topics (S40).
    :param resource_tag: ``(key, value)``: tag scoping (issue 11 d). Every operation on a channel, input, input
        security group or multiplex requires ``aws:ResourceTag/<key> = value`` on it; creating one requires the
        request to tag it so (``aws:RequestTag``); with ``pass_roles_by_path`` the roles it passes must carry the
        tag too (a path holds every team's roles); ``CreateTags``/``DeleteTags`` act only on the group's own
        resources and never on the key itself (``aws:TagKeys``); ``BatchStart``/``BatchStop``/``BatchDelete``,
        which IAM cannot scope, are not granted (see ``allow_batch_operations``); reads that return a resource's
        credentials (MediaPackage v1 ``DescribeChannel``) only on resources with the tag, and
        ``mediapackage:ListChannels`` not at all (see ``mediapackage_channel_listing``).
    :param channel_tag: the earlier name of ``resource_tag`` (same meaning since 0.2: it now scopes inputs, input
        security groups and multiplexes too; docs/upgrading.md). Give one of the two.
    :param allow_batch_operations: with tag scoping, still grant the batch rows S3.run/S3.delete. Their cost: IAM
        cannot scope them, so the group can batch start, stop or delete every channel, input and multiplex of the
        account.
    :param mediapackage_channel_listing: with tag scoping, still grant ``mediapackage:ListChannels`` (S21, S22: the
        console's MediaPackage v1 dropdown). Its cost: IAM cannot scope it (no resource type), and it returns every
        v1 channel of the account and region with its HLS ingest user names and passwords, so the group could push
        content into another team's live channel. Off (default): a tag-scoped group reads a v1 channel, and its
        credentials, only with ``mediapackage:DescribeChannel`` on channels that carry its tag; operators type the
        channel id where the dropdown stays empty (issue 20, finding 8).
    :param channel_arns: limit the channel-scoped operations (view, update, delete, schedule, run, class, tags) to
        these channels. It cannot scope what IAM does not tie to a channel ARN: creating channels, inputs, input
        security groups and multiplexes, and the batch operations, stay as the tier grants them (docs/operator-groups.md).
    :param workflow_wizard: grant the workflow wizard's rows (S15, S16, S20, S22, S23; ADVANCED or a custom
        category only). Off by default: CloudFormation is scoped to stacks named ``workflow_wizard_stack_prefix*``
        and never reaches CDKToolkit, this stack or a StackSet instance (S15.guard), but the wizard's CloudFront,
        MediaConnect, MediaPackage and MediaStore deletes reach every resource of those kinds in the account.
    :param workflow_wizard_stack_prefix: name prefix of the wizard's stacks (default ``MediaLiveWorkflow-``).
    :param notification_endpoints: SNS endpoints (or patterns) the group may subscribe the notification topics
        to, besides e-mail (S40.endpoints); default none: e-mail subscriptions only.
    :param allow_device_transfer: grant S4.transfer/S36.transfer, ``medialive:TransferInputDevice`` (ADVANCED or a
        custom category). Off by default: IAM cannot limit the account a device is transferred to, so the group
        could send any Link device of the account, and its feed, to any other AWS account.
    :param medialive_anywhere: grant MediaLive Anywhere's rows for the tier (N1 viewing for BASIC, N2 channel
        placement groups from READ_WRITE, N3 networks, clusters, nodes and SDI sources for ADVANCED; all three for a
        custom category). The same prop as on ``RestrictedAdmin``.
    :param workflow_monitor_deploy: grant W4, deploying a workflow monitor signal map's monitoring (ADVANCED or a
        custom category only). Off by default. CloudFormation only on stacks named ``workflow_monitor_stack_prefix*``
        (never CDKToolkit, this stack or a StackSet instance, S15.guard), without a service role, with templates of
        CloudWatch alarms and EventBridge rules only; alarm and rule writes only through CloudFormation
        (``aws:CalledVia``), alarm actions and rule targets only this account's SNS topics, rules for media events
        only. Its cost (docs/threat-model.md): a stack under the prefix made outside the library with a service role
        runs ``UpdateStack`` under that stored role; AWS documents none of the names workflow monitor uses.
    :param workflow_monitor_stack_prefix: name prefix of workflow monitor's CloudFormation stacks; required with
        ``workflow_monitor_deploy`` (AWS does not document it: read it from the stacks of a first deployment).
    :param simple_role_write_equals_iam_admin: simple option only: also grant S29/S31, creating and rewriting
        ``MediaLiveAccessRole`` from the console. This EQUALS IAM ADMINISTRATION: whoever may create that role
        writes its trust policy and inline policy, and can make it trust themselves with any permission. Prefer
        the ``MediaLiveAccessRole`` construct, which creates the role in the stack.
    :param users: existing users to add to the group.
    :param console_users: names of IAM users to create, with console access only: a generated initial
        password in Secrets Manager (never in the template), reset required at first sign-in, no access keys.
    :param user_path: IAM path of the created users (default: ``path``).
    :param password_encryption_key: KMS key of the initial-password secrets; default: a key created here
        (with rotation) when ``console_users`` are given.
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
        tier: OperatorTier | str | None = None,
        rows: Sequence[str] = (),
        add_rows: Sequence[str] = (),
        remove_rows: Sequence[str] = (),
        trusted_entity: TrustedEntityOption | str = TrustedEntityOption.COMPLEX,
        trusted_roles: Sequence[iam.IRole | MediaLiveTrustedRole | str] = (),
        pass_roles_by_path: str | None = None,
        group_name: str | None = None,
        path: str = "/medialive/",
        policy_name_prefix: str | None = None,
        parameter_path: str = "/medialive/",
        notification_prefix: str = "medialive",
        notification_endpoints: Sequence[str] = (),
        resource_tag: tuple[str, str] | None = None,
        channel_tag: tuple[str, str] | None = None,
        allow_batch_operations: bool = False,
        mediapackage_channel_listing: bool = False,
        channel_arns: Sequence[str] = (),
        workflow_wizard: bool = False,
        workflow_wizard_stack_prefix: str = DEFAULT_WIZARD_STACK_PREFIX,
        medialive_anywhere: bool = False,
        workflow_monitor_deploy: bool = False,
        workflow_monitor_stack_prefix: str | None = None,
        simple_role_write_equals_iam_admin: bool = False,
        allow_device_transfer: bool = False,
        users: Sequence[iam.IUser] = (),
        console_users: Sequence[str] = (),
        user_path: str | None = None,
        password_encryption_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, id)
        ensure_unique_names(self)
        tier = parse_enum(self, "tier", tier, OperatorTier) if tier is not None else None
        option = parse_enum(self, "trusted_entity", trusted_entity, TrustedEntityOption)
        self.tier: OperatorTier | None = tier
        self.trusted_entity: TrustedEntityOption = option

        # --- validate, then compose -----------------------------------------------------------------
        for prop, value in (("trusted_roles", trusted_roles), ("channel_arns", channel_arns),
                            ("console_users", console_users)):
            if isinstance(value, str):
                raise MediaLiveIamError(describe(self), prop, f"{value!r} is a string, not a list",
                                        f"write {prop}=[{value!r}]")
        if resource_tag is not None and channel_tag is not None:
            raise MediaLiveIamError(describe(self), "channel_tag", "both resource_tag and channel_tag are given",
                                    "give resource_tag only (channel_tag is its earlier name)")
        tag = resource_tag if resource_tag is not None else channel_tag
        tag_prop = "resource_tag" if resource_tag is not None else "channel_tag"
        tag_scope_opted = {"allow_batch_operations": allow_batch_operations,
                           "mediapackage_channel_listing": mediapackage_channel_listing}
        for entry in TAG_SCOPE_OPT_INS:  # catalog/opt_ins.py: what tag scoping leaves out, given back
            if tag_scope_opted[entry.prop] and tag is None:
                raise MediaLiveIamError(describe(self), entry.prop, f"given without tag scoping: a group without "
                                        f"resource_tag gets {entry.title} anyway",
                                        f"drop {entry.prop}, or give resource_tag")
        opted = {"workflow_wizard": workflow_wizard,
                 "simple_role_write_equals_iam_admin": simple_role_write_equals_iam_admin,
                 "medialive_anywhere": medialive_anywhere,
                 "workflow_monitor_deploy": workflow_monitor_deploy,
                 "allow_device_transfer": allow_device_transfer}
        self.rows: tuple[str, ...] = self._resolve_rows(tier, option, rows, add_rows, remove_rows, opted)
        if tag is not None and not allow_batch_operations:
            self.rows = tuple(r for r in self.rows if r not in UNSCOPABLE_ROWS)
        role_arns = self._role_bindings(tier, option, trusted_roles, pass_roles_by_path)
        check_name(self, "group_name", group_name, "group")
        check_path(self, "path", path)
        check_path(self, "path", path, policy=True)
        user_path = path if user_path is None else user_path
        check_path(self, "user_path", user_path)
        #: IAM path of the users created with ``console_users`` or ``MediaLiveConsoleUsers``.
        self.user_path: str = user_path
        check_operator_props(self, parameter_path=parameter_path, notification_prefix=notification_prefix,
                             notification_endpoints=notification_endpoints)
        if tag is not None:
            if isinstance(tag, str) or len(tag) != 2:
                raise MediaLiveIamError(describe(self), tag_prop, f"{tag!r} is not a (key, value) pair",
                                        f"give {tag_prop}=('Department', 'news')")
            check_tag(self, tag_prop, *tag)
        stack = stack_of(self)
        for arn in channel_arns:
            parts = parse_arn(self, "channel_arns", arn, service="medialive", partition=stack.partition)
            if parts and (not parts["resource"].startswith("channel:") or "*" in arn or "?" in arn):
                raise MediaLiveIamError(
                    describe(self), "channel_arns", f"{arn!r} is not the ARN of one MediaLive channel",
                    "give arn:<partition>:medialive:<region>:<account>:channel:<id> without wildcards",
                )
        user_names = check_console_users(self, console_users)
        prefix = self._policy_prefix(tier, policy_name_prefix)

        self.rows = tuple(operator_rows(self.rows, notification_endpoints))
        bindings = operator_bindings(self, parameter_path=parameter_path, notification_prefix=notification_prefix)
        if role_arns:
            bindings[IAM_ROLE] = role_arns
        if channel_arns:
            bindings[ML_CHANNEL] = list(channel_arns)

        # The opt-ins that make CloudFormation stacks (catalog/opt_ins.py) bind their own stack prefixes, apart.
        main_rows, stacked = split_stack_rows(self.rows, opted)
        statement_kw = dict(
            # the roles and channels the app lists change on day 2: their statements are packed last (D15)
            volatile_kinds=[k for k, listed in ((IAM_ROLE, trusted_roles), (ML_CHANNEL, channel_arns)) if listed],
            kind_conditions=_tag_conditions(tag, pass_roles_by_path is not None) if tag is not None else None,
            values=operator_values(notification_prefix=notification_prefix,
                                   notification_endpoints=notification_endpoints),
        )

        def scoped(rows):
            return _tag_scoped_rows(rows, credential_listing=mediapackage_channel_listing) if tag is not None else rows

        statements = row_statements(self, scoped(main_rows), bindings=bindings, **statement_kw)
        statements += opt_in_statements(
            self, [(o, scoped(rows_)) for o, rows_ in stacked], bindings=bindings, **statement_kw,
            prefixes={"workflow_wizard_stack_prefix": workflow_wizard_stack_prefix,
                      "workflow_monitor_stack_prefix": workflow_monitor_stack_prefix})
        if stacked:
            self.rows = self.rows + ("S15.guard",)
        if user_names:
            # A9: a console user created here must be able to replace its initial password (forced reset at
            # first sign-in): iam:ChangePassword on its own user only (policy variable aws:username).
            own_user = render_kind(self, IAM_USER, UserNameWithPath=user_path[1:] + "${aws:username}")
            statements += row_statements(self, ["A9"], bindings={IAM_USER: [own_user]})
            self.rows = self.rows + ("A9",)

        # --- the group, its policies, its users --------------------------------------------------------
        #: The IAM group.
        self.group = iam.Group(self, "Group", group_name=group_name, path=path)
        record_rows(self.group.node.default_child, self.rows)
        #: The statements the group's policies hold (a ``RestrictedAdmin`` checks it holds them too).
        self.statements: tuple[Statement, ...] = tuple(statements)
        #: The customer managed policies attached to the group (``Policy1``..``PolicyN``).
        self.managed_policies: tuple[iam.ManagedPolicy, ...] = tuple(create_managed_policies(
            self, statements, principal_kind="group", name_prefix=prefix, path=path, groups=[self.group],
            prop="rows", description=_POLICY_DESCRIPTION,
        ))
        add_check(stack_of(self), PrincipalQuotaValidation(self, self.group.node.default_child, "group"))

        for user in check_users(self, "users", users):
            self.group.add_user(user)
        #: The users this construct created (``console_users``).
        self.users: tuple[iam.User, ...] = ()
        #: Initial console password of each created user, by user name (``Secret.secret_value`` never
        #: appears in the template: CloudFormation resolves a dynamic reference at deploy).
        self.initial_password_secrets: dict[str, secretsmanager.Secret] = {}
        #: The KMS key of the initial-password secrets (None without ``console_users``).
        self.password_encryption_key: kms.IKey | None = password_encryption_key
        if user_names:
            self._create_console_users(user_names, user_path, password_encryption_key)
        elif not users:
            self._acknowledge_empty_group()
        self._seal()

    # --- rows ---------------------------------------------------------------------------------------

    def _expand(self, prop: str, ids: Sequence[str]) -> tuple[str, ...]:
        if isinstance(ids, str):
            raise MediaLiveIamError(describe(self), prop, f"{ids!r} is a string, not a list of row ids",
                                    f"write {prop}=[{ids!r}]")
        out: list[str] = []
        for rid in ids:
            try:
                expanded = catalog.expand([rid])
            except KeyError:
                raise MediaLiveIamError(
                    describe(self), prop, f"unknown catalog row {rid!r}",
                    "use a row id of the non-administrator table (S1..S42, F3, parts such as S3.run), "
                    "see docs/operator-groups.md",
                ) from None
            for r in expanded:
                if catalog.ROWS[r].table != "user":
                    raise MediaLiveIamError(
                        describe(self), prop, f"row {r} belongs to the {catalog.ROWS[r].table} table, not to "
                        "non-administrator users", "operator groups take S and F rows; roles MediaLive assumes "
                        "are MediaLiveTrustedRole's (T rows), administrators the restricted admin's (A rows)",
                    )
            out.extend(expanded)
        return tuple(dict.fromkeys(out))

    def _resolve_rows(self, tier, option, rows, add_rows, remove_rows, opted: Mapping[str, bool]) -> tuple[str, ...]:
        given = self._expand("rows", rows)
        added = self._expand("add_rows", add_rows)
        removed = set(self._expand("remove_rows", remove_rows))
        extra = opt_in_rows(opted, tier)
        if tier is not None and given:
            raise MediaLiveIamError(
                describe(self), "rows", f"rows are given together with tier {tier.name}",
                "use add_rows/remove_rows to adjust a tier, or tier=None for a custom category of exactly `rows`",
            )
        if tier is None and not given and not added:
            raise MediaLiveIamError(describe(self), "rows", "neither a tier nor rows are given",
                                    "give tier=OperatorTier.BASIC (READ_WRITE, ADVANCED) or the rows of a custom category")
        if tier is not None:
            never = [r for r in added if r in TIER_NEVER[tier]]
            if never:
                raise MediaLiveIamError(
                    describe(self), "add_rows", f"tier {tier.name} must never get {', '.join(never)} "
                    f"({'; '.join(catalog.ROWS[r].title for r in never)})",
                    "choose a higher tier, or a custom category (tier=None, rows=[...]) if this group really needs it",
                )
        for opt_in in OPT_INS:  # catalog/opt_ins.py: one entry per opt-in
            behind = [r for r in given + added if r in opt_in.rows]
            if behind and not opted[opt_in.prop]:
                raise MediaLiveIamError(
                    describe(self), "add_rows" if behind[0] in added else "rows",
                    f"{', '.join(behind)} are granted only with {opt_in.prop}=True (docs/threat-model.md says what "
                    "they cost)", f"set {opt_in.prop}=True if this group really needs them, or drop the rows",
                )
            if not opted[opt_in.prop]:
                continue
            if opt_in.option is not None and option is not opt_in.option:
                raise MediaLiveIamError(describe(self), opt_in.prop, f"{opt_in.title} belong to the "
                                        f"{opt_in.option.value} option", f"drop it, or use trusted_entity={opt_in.option.name}")
            if tier is not None and tier not in opt_in.tier_rows:
                raise MediaLiveIamError(
                    describe(self), opt_in.prop, f"tier {tier.name} must never get {opt_in.title}",
                    f"use tier {' or '.join(t.name for t in opt_in.tier_rows)}, or a custom category (tier=None, rows=[...])",
                )
        forbidden = [r for r in given + added if r in FORBIDDEN_BY_OPTION[option]]
        if forbidden:
            why = ("the complex option must not list, create or change roles (reference §6)"
                   if option is TrustedEntityOption.COMPLEX else
                   "the simple option uses MediaLiveAccessRole only; S32 passes administrator-made roles")
            raise MediaLiveIamError(
                describe(self), "add_rows" if tier is not None or forbidden[0] in added else "rows",
                f"{', '.join(forbidden)} contradict trusted_entity={option.name}: {why}",
                "remove the row, or choose the other trusted_entity option",
            )
        base = tier_rows(tier, option) if tier is not None else ()
        granted = [r for r in dict.fromkeys(base + given + added + extra) if r not in removed]
        if not granted:
            raise MediaLiveIamError(describe(self), "remove_rows", "every row is removed", "keep at least one row")
        return tuple(granted)

    # --- trusted-entity roles -------------------------------------------------------------------------

    def _role_bindings(self, tier, option, trusted_roles, pass_roles_by_path) -> list[str]:
        given = bool(list(trusted_roles)) or pass_roles_by_path is not None
        needs = _PASS_ROLE_ROW in self.rows
        if pass_roles_by_path is not None and not isinstance(trusted_roles, str):
            for item in trusted_roles:
                role_path = _role_path(item)
                if role_path is not None and role_path.startswith(pass_roles_by_path):
                    raise MediaLiveIamError(
                        describe(self), "trusted_roles", f"{_describe_role(item)} lies under pass_roles_by_path "
                        f"{pass_roles_by_path!r}, which already lets the group pass every role there: listing it "
                        "suggests trusted_roles was meant to limit the group to it, and it does not",
                        "give trusted_roles (these roles only) or pass_roles_by_path (every role under the path); "
                        "together only for roles outside the path",
                    )
        if given and option is TrustedEntityOption.SIMPLE:
            raise MediaLiveIamError(
                describe(self), "trusted_roles", "trusted roles are given with trusted_entity=SIMPLE, where every "
                "channel uses MediaLiveAccessRole (S29-S31)",
                "drop trusted_roles/pass_roles_by_path, or use trusted_entity=COMPLEX (the default) to pass them",
            )
        if given and not needs:
            who = f"tier {tier.name}" if tier is not None else "this custom category"
            raise MediaLiveIamError(
                describe(self), "trusted_roles", f"trusted roles are given but {who} does not pass roles "
                f"({_PASS_ROLE_ROW} is not granted{': BASIC operators create no channels' if tier is OperatorTier.BASIC else ''})",
                "drop trusted_roles/pass_roles_by_path" + ("" if tier is OperatorTier.BASIC else f", or add {_PASS_ROLE_ROW}"),
            )
        if needs and not given:
            raise MediaLiveIamError(
                describe(self), "trusted_roles", "trusted_entity=COMPLEX: the group creates channels and must pass a "
                f"trusted-entity role to MediaLive ({_PASS_ROLE_ROW}), but neither trusted_roles nor pass_roles_by_path "
                "is given",
                "give the roles an administrator made for the workflows (MediaLiveTrustedRole, iam.IRole or role ARNs), "
                "or pass_roles_by_path='/medialive/', or use trusted_entity=SIMPLE",
            )
        stack = stack_of(self)
        arns: list[str] = []
        for item in trusted_roles:
            arn = item if isinstance(item, str) else _role_arn(item)
            if arn is None:
                raise MediaLiveIamError(describe(self), "trusted_roles", f"{item!r} is neither a role nor a role ARN",
                                        "give iam.IRole objects, MediaLiveTrustedRole constructs or role ARNs")
            parts = parse_arn(self, "trusted_roles", arn, service="iam", partition=stack.partition)
            if parts is not None:
                if not parts["resource"].startswith("role/") or "*" in arn or "?" in arn:
                    raise MediaLiveIamError(
                        describe(self), "trusted_roles", f"{arn!r} is not the ARN of one IAM role",
                        "give arn:<partition>:iam::<account>:role/<path/name> without wildcards "
                        "(use pass_roles_by_path for all roles under a path)",
                    )
                if not is_token(stack.account) and parts["account"] != stack.account:
                    raise MediaLiveIamError(
                        describe(self), "trusted_roles", f"{arn!r} is in account {parts['account']}, the stack in "
                        f"{stack.account}", "iam:PassRole passes roles of the caller's own account only",
                    )
                name = parts["resource"].rsplit("/", 1)[-1]
            else:
                name = getattr(item, "role_name", None) or getattr(getattr(item, "role", None), "role_name", None)
            if isinstance(name, str) and not is_token(name) and name == catalog.SIMPLE_ROLE_NAME:
                raise MediaLiveIamError(
                    describe(self), "trusted_roles", f"the complex option's roles must not be named "
                    f"{catalog.SIMPLE_ROLE_NAME} (reference §6: that name belongs to the simple option's console role)",
                    "pass the per-workflow roles an administrator made, or use trusted_entity=SIMPLE",
                )
            arns.append(arn)
        if pass_roles_by_path is not None:
            check_path(self, "pass_roles_by_path", pass_roles_by_path)
            if pass_roles_by_path == "/" or "*" in pass_roles_by_path or "?" in pass_roles_by_path:
                raise MediaLiveIamError(
                    describe(self), "pass_roles_by_path", f"{pass_roles_by_path!r} would let the group pass every "
                    "role of the account (or a wildcard pattern) to MediaLive",
                    "give the dedicated path of the MediaLive roles, e.g. '/medialive/'",
                )
            arns.append(render_kind(self, IAM_ROLE, RoleNameWithPath=pass_roles_by_path[1:] + "*"))
        return list(dict.fromkeys(arns))

    # --- names --------------------------------------------------------------------------------------

    def _policy_prefix(self, tier, explicit: str | None) -> str:
        if explicit is not None:
            check_name(self, "policy_name_prefix", explicit, "policy")
            check_name(self, "policy_name_prefix", explicit + "10", "policy")  # room for Policy10's suffix
            return explicit
        unique = Names.unique_resource_name(self, max_length=64, separator="-")
        return f"MediaLive{_TIER_WORDS[tier]}Access-{stack_of(self).region}-{unique}"

    # --- users --------------------------------------------------------------------------------------

    def _create_console_users(self, names: list[str], user_path: str, key: kms.IKey | None) -> None:
        self.users, self.initial_password_secrets, self.password_encryption_key = create_console_users(
            self, self.group, names, user_path, key, self.rows)

    def _acknowledge_empty_group(self) -> None:
        reason = ("Operators join this group after deploy: the restricted administrator adds IAM users to operator "
                  "groups (reference §1.1, §5; setup-users Step 6), so the group has no members in this template. "
                  f"Its permissions are the rows {', '.join(self.rows[:4])}...; give users= or console_users= to "
                  "add members here instead.")
        for finding in ("HIPAA.Security-IAMGroupHasUsers", "PCI.DSS.321-IAMGroupHasUsers"):
            acknowledge(self.group, finding, reason)

