"""``MediaLiveOperatorGroup``: an IAM group of non-administrator MediaLive users, in one of the guide's
tiers (setup-user-step-2, reference §5) or a custom set of catalog rows, under the simple or complex
trusted-entity option (reference §6).

Everything the group may do comes from catalog rows (``catalog/tiers.py`` for the tiers and
:func:`~medialive_iam_constructs.catalog.tiers.group_rows` for a group's rows, ``catalog/activities.py`` for the
actions); this module checks the props (:mod:`~medialive_iam_constructs.validation`), binds the resources the rows
need (trusted roles, the parameter path, the notification name prefix, channels:
:mod:`~medialive_iam_constructs.converters`) and hands the statements to the packer, which makes customer managed
policies within IAM's quotas. It never spells an action name.
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
)
from .catalog.resources import IAM_ROLE, ML_CHANNEL, Kind
from .catalog.opt_ins import DEFAULT_WIZARD_STACK_PREFIX
from .catalog.tiers import OperatorTier, TrustedEntityOption, group_rows
from ._console_users import add_members, check_console_users
from ._group import attach_policies, principal_group
from ._readonly import ReadOnlyAfterInit
from ._unique_names import ensure_unique_names
from .converters import channel_arns as to_channel_arns, pass_role_arns
from .scopes import OperatorProps, password_statements
from .statements import Statement
from .tokens import stack_of
from .validation import (
    check_group_rows,
    check_list,
    check_name,
    check_path,
    check_tag_pair,
    check_tag_scope,
    check_trusted_roles,
    check_users,
    parse_enum,
)

__all__ = ["MediaLiveOperatorGroup", "OperatorTier", "TrustedEntityOption"]

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
#: Why a group made without ``users`` or ``console_users`` has no members (the HIPAA/PCI 'group has users' findings).
_NO_MEMBERS_REASON = (
    "Operators join this group after deploy: the restricted administrator adds IAM users to operator groups "
    "(reference §1.1, §5; setup-users Step 6), so the group has no members in this template. Its permissions are "
    "the rows {rows}...; give users= or console_users= to add members here instead."
)


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

    #: The guide's tier (None: a custom category of exactly ``rows``).
    tier: OperatorTier | None
    #: The trusted-entity option (reference §6).
    trusted_entity: TrustedEntityOption
    #: Every catalog row the group's policies come from, in order (also in the group's template metadata).
    rows: tuple[str, ...]
    #: IAM path of the users created with ``console_users`` or ``MediaLiveConsoleUsers``.
    user_path: str
    #: The IAM group.
    group: iam.Group
    #: The statements the group's policies hold (a ``RestrictedAdmin`` checks it holds them too).
    statements: tuple[Statement, ...]
    #: The customer managed policies attached to the group (``Policy1``..``PolicyN``).
    managed_policies: tuple[iam.ManagedPolicy, ...]
    #: The users this construct created (``console_users``).
    users: tuple[iam.User, ...]
    #: Initial console password of each created user, by user name (``Secret.secret_value`` never
    #: appears in the template: CloudFormation resolves a dynamic reference at deploy).
    initial_password_secrets: dict[str, secretsmanager.Secret]
    #: The KMS key of the initial-password secrets (None without ``console_users``).
    password_encryption_key: kms.IKey | None

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
        self.tier = tier = parse_enum(self, "tier", tier, OperatorTier) if tier is not None else None
        self.trusted_entity = option = parse_enum(self, "trusted_entity", trusted_entity, TrustedEntityOption)
        for prop, value in (("trusted_roles", trusted_roles), ("channel_arns", channel_arns),
                            ("console_users", console_users)):
            check_list(self, prop, value)
        tag = check_tag_scope(self, resource_tag, channel_tag, {
            "allow_batch_operations": allow_batch_operations,
            "mediapackage_channel_listing": mediapackage_channel_listing})
        opted = {"workflow_wizard": workflow_wizard, "medialive_anywhere": medialive_anywhere,
                 "simple_role_write_equals_iam_admin": simple_role_write_equals_iam_admin,
                 "workflow_monitor_deploy": workflow_monitor_deploy, "allow_device_transfer": allow_device_transfer}
        check_group_rows(self, tier, option, rows=rows, add_rows=add_rows, remove_rows=remove_rows, opted=opted)
        composed = group_rows(tier, option, rows=rows, add_rows=add_rows, remove_rows=remove_rows, opted=opted,
                              tag_scoped=tag is not None, allow_batch_operations=allow_batch_operations,
                              notification_endpoints=bool(notification_endpoints), console_users=bool(console_users))
        self.rows = composed.ids
        check_trusted_roles(self, tier, option, self.rows, trusted_roles, pass_roles_by_path)
        role_arns = pass_role_arns(self, trusted_roles, pass_roles_by_path)
        check_name(self, "group_name", group_name, "group")
        check_path(self, "path", path)
        check_path(self, "path", path, policy=True)
        self.user_path = path if user_path is None else user_path
        check_path(self, "user_path", self.user_path)
        ops = OperatorProps(parameter_path=parameter_path, notification_prefix=notification_prefix,
                            notification_endpoints=notification_endpoints,
                            workflow_wizard_stack_prefix=workflow_wizard_stack_prefix,
                            workflow_monitor_stack_prefix=workflow_monitor_stack_prefix)
        ops.check(self)
        if tag is not None:
            check_tag_pair(self, *tag)
        channels = to_channel_arns(self, "channel_arns", channel_arns)
        user_names = check_console_users(self, console_users)
        prefix = _policy_prefix(self, tier, policy_name_prefix)

        listed = {IAM_ROLE: role_arns, ML_CHANNEL: channels}
        statements = ops.statements(
            self, composed, bindings={**ops.bindings(self), **{kind: arns for kind, arns in listed.items() if arns}},
            scoped=(lambda ids: _tag_scoped_rows(ids, credential_listing=mediapackage_channel_listing))
            if tag is not None else None,
            # the roles and channels the app lists change on day 2: their statements are packed last (D15)
            volatile_kinds=[k for k, listed in ((IAM_ROLE, trusted_roles), (ML_CHANNEL, channel_arns)) if listed],
            kind_conditions=_tag_conditions(tag[1], pass_roles_by_path is not None) if tag is not None else None,
        ) + password_statements(self, composed, self.user_path)
        self.group = principal_group(self, group_name=group_name, path=path, rows=self.rows)
        self.statements = tuple(statements)
        self.managed_policies = attach_policies(self, self.group, statements, name_prefix=prefix, path=path,
                                                description=_POLICY_DESCRIPTION)
        self.users, self.initial_password_secrets, self.password_encryption_key = add_members(
            self, self.group, check_users(self, "users", users), user_names, self.user_path, password_encryption_key,
            self.rows, empty_reason=_NO_MEMBERS_REASON.format(rows=", ".join(self.rows[:4])))
        self._seal()


def _policy_prefix(scope: Construct, tier: OperatorTier | None, explicit: str | None) -> str:
    """The policies' name prefix: ``explicit`` (room left for ``Policy10``'s suffix), or
    ``MediaLive<Tier>Access-<region>-<construct path and hash>``, unique per stack, construct and region."""
    if explicit is not None:
        check_name(scope, "policy_name_prefix", explicit, "policy")
        check_name(scope, "policy_name_prefix", explicit + "10", "policy")  # room for Policy10's suffix
        return explicit
    unique = Names.unique_resource_name(scope, max_length=64, separator="-")
    return f"MediaLive{_TIER_WORDS[tier]}Access-{stack_of(scope).region}-{unique}"
