"""The role MediaLive assumes (the "trusted entity", reference §1.4, §2, §6), in both of AWS's options.

* :class:`MediaLiveTrustedRole`, the complex option (recommended for production): one role per workflow,
  granting only the trusted-entity rows (T5..T23) the workflow declares, each scoped to the resources it names.
* :class:`MediaLiveAccessRole`, the simple option: the console's ``MediaLiveAccessRole`` exactly as its
  "Create role from template" button makes it (reference §2.3): broad, everything on ``*``.

Both are built from the catalog: the construct never spells an action name. Statements come from
:func:`~medialive_iam_constructs.statements.row_statements` and become customer managed policies through
:func:`~medialive_iam_constructs.packing.create_managed_policies` (complex option) or the console template
(simple option). See ``docs/trusted-role.md``.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence, Union

import jsii
from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct

from . import catalog
from . import converters as c
from .catalog.admin import UNBOUNDED_POLICY_PATH
from .catalog.console_template import (
    CONSOLE_INLINE_POLICY_NAME,
    CONSOLE_TEMPLATE_MANAGED_POLICIES,
    CONSOLE_TEMPLATE_STATEMENTS,
)
from .catalog import resources as kinds
from .catalog.tiers import PASS_ROLE_ROW  # the row whose grant is "pass a trusted-entity role to MediaLive"
from .converters import Partitions
from .errors import MediaLiveIamError, describe
from ._rows import record_rows
from ._unique_names import ensure_unique_names, warn_console_made_name
from .nag import SIMPLE_ROLE_INLINE_FINDINGS, acknowledge_console_role  # noqa: F401 (re-exported)
from .packing import PrincipalQuotaValidation, create_managed_policies
from .statements import (ANY_REGION, ConditionHook, Statement, enis_in_subnets, listing_under_prefix, medialive_trust_principal,
                         render_kind, row_statements)
from ._synth_checks import add_check
from .tokens import is_token, stack_of
from . import validation as v

__all__ = ["MediaLiveAccessRole", "MediaLiveConsoleRole", "MediaLiveTrustedRole", "S3Location", "VpcAccess"]

#: Reserved for the simple option (reference §2.2, §6): complex-option roles must have another name.
RESERVED_ROLE_NAME = catalog.SIMPLE_ROLE_NAME
DEFAULT_PATH = "/medialive/"
#: IAM path of the workflow roles' managed policies: RestrictedAdmin's default ``policy_path``, so the
#: administrator maintains them (A6), and apart from the operator groups' ``/medialive/`` (issue 11 f).
DEFAULT_POLICY_PATH = "/medialive/trusted-entity/"
@dataclass(frozen=True)
class S3Location:
    """An S3 bucket, optionally narrowed to a key prefix.

    :param bucket: an ``IBucket`` or a bucket name.
    :param prefix: a literal key prefix (``"live/news/"``); objects under it are granted (``prefix*``) and
        ``s3:ListBucket`` is limited to it with the ``s3:prefix`` condition. No wildcards: the construct appends
        the ``*`` itself. ``None`` (default) grants the whole bucket.
    :param setting: set by ``channels=`` (the channel's path and setting it was read from, named in errors); not
        compared. Leave it out.
    """

    bucket: Any
    prefix: str | None = None
    #: Where a channel names it (``Stack/Channel: destinations[0].settings[0].url``), for a location read from a
    #: channel (``channels=``): its prefix is the key MediaLive writes under, no sibling warning. None: given.
    setting: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class VpcAccess:
    """Where MediaLive may create its network interfaces (ENIs).

    :param subnets: ``ISubnet`` objects, subnet ids (``subnet-...``) or subnet ARNs.
    :param security_groups: ``ISecurityGroup`` objects, ids (``sg-...``) or ARNs.
    :param elastic_ip_allocations: VPC delivery only (T9): allocation ids (``eipalloc-...``) or ARNs of the
        Elastic IPs MediaLive may associate with its ENIs.
    """

    subnets: Sequence[Any]
    security_groups: Sequence[Any]
    elastic_ip_allocations: Sequence[str] = field(default_factory=tuple)


BucketLike = Union[Any, str, S3Location]
#: (channel group name, channel name) or an ARN.
MediaPackageV2Channel = Union[str, tuple]


@dataclass(frozen=True)
class WorkflowProps:
    """The props of :class:`MediaLiveTrustedRole` that turn on rows, as given (see the constructor for each):
    what :data:`TRUSTED_ROLE_PROPS`' parsers read. Defaults as the constructor's (checked at import)."""

    logging: bool | None = None
    source_buckets: Sequence[BucketLike] = ()
    destination_buckets: Sequence[BucketLike] = ()
    thumbnail_buckets: Sequence[BucketLike] = ()
    mediapackage_channels: Sequence[str] = ()
    mediapackage_v2_channels: Sequence[MediaPackageV2Channel] = ()
    mediaconnect_inputs: bool = False
    mediastore_source_containers: Sequence[str] = ()
    mediastore_destination_containers: Sequence[str] = ()
    password_parameters: Sequence[Any] = ()
    password_parameter_paths: Sequence[str] = ()
    parameter_keys: Sequence[Any] = ()
    srt_secrets: Sequence[Any] = ()
    srt_input_secrets: Sequence[Any] = ()
    irdeto_secrets: Sequence[Any] = ()
    vpc_inputs: VpcAccess | None = None
    vpc_delivery: VpcAccess | None = None
    inference_feeds: Sequence[str] = ()

    @classmethod
    def from_channels(cls, scope: IConstruct, channels: Sequence[Any], *, given: "WorkflowProps | None" = None
                      ) -> "WorkflowProps":
        """What ``channels`` (alpha ``Channel``/``Input``, ``CfnChannel``/``CfnInput``) use, added to ``given``: the
        props ``MediaLiveTrustedRole(channels=...)`` grants (``channels.workflow_props_from_channels``; errors name
        ``scope``)."""
        from .channels import workflow_props_from_channels

        return workflow_props_from_channels(scope, channels, given=given)


class PropGrant(NamedTuple):
    """What one prop of :class:`MediaLiveTrustedRole` grants: catalog rows, scoped to the resources it names."""

    #: The trusted-entity rows (``catalog/trusted_entity.py``).
    rows: tuple[str, ...]
    #: For each resource kind, the ARNs the rows' grants are scoped to (empty: they take no resource it names).
    bindings: Mapping[kinds.Kind, Sequence[str]]
    #: Conditions added per grant (the ``s3:prefix`` of a listing), or None.
    hook: ConditionHook | None
    #: The prop it comes from (named in errors and in the statements' provenance).
    prop: str


#: ``parser(role, entry, props, partitions)``: checks the entry's value and returns its grants.
Parser = Callable[[IConstruct, "TrustedRoleProp", WorkflowProps, Partitions], list[PropGrant]]


@dataclass(frozen=True)
class TrustedRoleProp:
    """One prop of :class:`MediaLiveTrustedRole` and what it turns on.

    :param prop: the constructor prop (``source_buckets``); a dotted name (``vpc_delivery.elastic_ip_allocations``)
        is a field of another prop's value.
    :param rows: the trusted-entity catalog rows it grants (``catalog/trusted_entity.py``).
    :param kinds: the resource kinds its values are bound to (``catalog/resources.py``); empty: the rows' grants
        take no resource the workflow names.
    :param parser: the function that checks the value and returns the grants (:data:`Parser`).
    :param value: reads the prop's value from :class:`WorkflowProps` (for a dotted prop, the value before the dot).
    :param input_feature: MediaLive assumes the role for inputs too (the trust policy adds ``input:*``).
    """

    prop: str
    rows: tuple[str, ...]
    kinds: tuple[kinds.Kind, ...]
    parser: Parser
    value: Callable[[WorkflowProps], Any]
    input_feature: bool = False


# --- TRUSTED_ROLE_PROPS' parsers (role, entry, props, partitions) -> grants ---------------------------------------

def _logging_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                    partitions: Partitions) -> list[PropGrant]:
    """T5: on unless ``logging=False`` (None, the default, is on)."""
    return [PropGrant(entry.rows, {}, None, entry.prop)] if entry.value(props) is not False else []


def _flag_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                 partitions: Partitions) -> list[PropGrant]:
    """A switch (T5, T11/T12): its rows, on the resources the catalog names."""
    return [PropGrant(entry.rows, {}, None, entry.prop)] if entry.value(props) else []


def _arn_per_value(convert: Callable[..., str], scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                   partitions: Partitions) -> list[PropGrant]:
    """A list whose values ``convert`` turns into one ARN each, of the entry's one kind."""
    (kind,) = entry.kinds
    arns = [convert(scope, entry.prop, value, partitions=partitions) for value in entry.value(props)]
    return [PropGrant(entry.rows, {kind: arns}, None, entry.prop)] if arns else []


def _bucket_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                   partitions: Partitions) -> list[PropGrant]:
    """One grant per bucket or :class:`S3Location` (T18, T19), the listing limited to its prefix."""
    grants = []
    for value in entry.value(props):
        location = value if isinstance(value, S3Location) else S3Location(value)
        prop = entry.prop if location.setting is None else f"{entry.prop} (from {location.setting})"
        arns = c.bucket_arns(scope, prop, location.bucket, location.prefix, partitions=partitions,
                             warn_siblings=location.setting is None)
        hook = partial(listing_under_prefix, arns.prefix_pattern) if arns.prefix_pattern is not None else None
        grants.append(PropGrant(entry.rows, {kinds.S3_BUCKET: [arns.bucket], kinds.S3_OBJECT: [arns.objects]}, hook, entry.prop))
    return grants


def _mediapackage_v2_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                            partitions: Partitions) -> list[PropGrant]:
    """The channels and, once each, their channel groups (T15)."""
    pairs = [c.mediapackage_v2_channel_arns(scope, entry.prop, value, partitions=partitions)
             for value in entry.value(props)]
    if not pairs:
        return []
    bindings = {kinds.MPV2_CHANNEL: [channel for channel, _ in pairs], kinds.MPV2_CHANNEL_GROUP: _unique(g for _, g in pairs)}
    return [PropGrant(entry.rows, bindings, None, entry.prop)]


def _parameter_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                      partitions: Partitions) -> list[PropGrant]:
    """``password_parameters`` and ``password_parameter_paths`` bound in one grant (T23)."""
    arns = [c.parameter_arn(scope, entry.prop, value, partitions=partitions) for value in entry.value(props)]
    arns += [c.parameter_path_arn(scope, "password_parameter_paths", path) for path in props.password_parameter_paths]
    return [PropGrant(entry.rows, {kinds.SSM_PARAMETER: arns}, None, entry.prop)] if arns else []


def _key_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                partitions: Partitions) -> list[PropGrant]:
    """The KMS keys of SecureString password parameters (T23.kms): only with those parameters."""
    if entry.value(props) and not props.password_parameters and not props.password_parameter_paths:
        raise MediaLiveIamError(
            describe(scope), entry.prop, "KMS keys given without any password parameter",
            "name the parameters (password_parameters or password_parameter_paths) the keys encrypt, or drop "
            "parameter_keys",
        )
    return _arn_per_value(c.key_arn, scope, entry, props, partitions)


def _vpc_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                partitions: Partitions) -> list[PropGrant]:
    """A :class:`VpcAccess` (T6/T7 inputs, T8 delivery): its subnets and security groups, ENIs in those subnets."""
    access = entry.value(props)
    if access is None:
        return []
    if entry.input_feature and access.elastic_ip_allocations:
        raise MediaLiveIamError(
            describe(scope), f"{entry.prop}.elastic_ip_allocations",
            "Elastic IPs apply to VPC output delivery (T9), not to VPC inputs",
            "move them to vpc_delivery=VpcAccess(..., elastic_ip_allocations=[...])",
        )
    if not list(access.subnets) or not list(access.security_groups):
        raise MediaLiveIamError(
            describe(scope), entry.prop, "a VPC feature needs at least one subnet and one security group",
            "give VpcAccess(subnets=[...], security_groups=[...]) with the ones MediaLive's ENIs use",
        )
    subnets = _unique(c.subnet_arn(scope, f"{entry.prop}.subnets", s, partitions=partitions) for s in access.subnets)
    groups = _unique(c.security_group_arn(scope, f"{entry.prop}.security_groups", g, partitions=partitions)
                     for g in access.security_groups)
    bindings = {kinds.EC2_SUBNET: subnets, kinds.EC2_SECURITY_GROUP: groups,
                kinds.EC2_NETWORK_INTERFACE: [render_kind(scope, kinds.EC2_NETWORK_INTERFACE)]}
    return [PropGrant(entry.rows, bindings, partial(enis_in_subnets, tuple(subnets)), entry.prop)]


def _elastic_ip_grants(scope: IConstruct, entry: TrustedRoleProp, props: WorkflowProps,
                       partitions: Partitions) -> list[PropGrant]:
    """VPC delivery's Elastic IPs (T9), associated with MediaLive's ENIs."""
    access = entry.value(props)
    if access is None or not access.elastic_ip_allocations:
        return []
    eips = [c.elastic_ip_arn(scope, entry.prop, a, partitions=partitions) for a in access.elastic_ip_allocations]
    bindings = {kinds.EC2_ELASTIC_IP: eips, kinds.EC2_NETWORK_INTERFACE: [render_kind(scope, kinds.EC2_NETWORK_INTERFACE)]}
    return [PropGrant(entry.rows, bindings, None, entry.prop)]


_S3 = (kinds.S3_BUCKET, kinds.S3_OBJECT)
_VPC = (kinds.EC2_SUBNET, kinds.EC2_SECURITY_GROUP, kinds.EC2_NETWORK_INTERFACE)

#: The wiring of :class:`MediaLiveTrustedRole`, in the order the policies list the grants: adding a feature is one
#: catalog row and one entry here (and the prop with its docstring, and its field of :class:`WorkflowProps`).
#: Checked against the constructor and the catalog at import (:func:`check_props_table`).
TRUSTED_ROLE_PROPS: tuple[TrustedRoleProp, ...] = (
    TrustedRoleProp("logging", ("T5",), (), _logging_grants, lambda p: p.logging),
    TrustedRoleProp("source_buckets", ("T18.read",), _S3, _bucket_grants, lambda p: p.source_buckets),
    TrustedRoleProp("destination_buckets", ("T18.write",), _S3, _bucket_grants, lambda p: p.destination_buckets),
    TrustedRoleProp("thumbnail_buckets", ("T19",), (kinds.S3_OBJECT,), _bucket_grants, lambda p: p.thumbnail_buckets),
    TrustedRoleProp("mediapackage_channels", ("T14",), (kinds.MP_CHANNEL,),
                    partial(_arn_per_value, c.mediapackage_channel_arn), lambda p: p.mediapackage_channels),
    TrustedRoleProp("mediapackage_v2_channels", ("T15",), (kinds.MPV2_CHANNEL, kinds.MPV2_CHANNEL_GROUP),
                    _mediapackage_v2_grants, lambda p: p.mediapackage_v2_channels),
    TrustedRoleProp("mediaconnect_inputs", ("T11", "T12"), (), _flag_grants, lambda p: p.mediaconnect_inputs,
                    input_feature=True),
    TrustedRoleProp("mediastore_source_containers", ("T16.read",), (kinds.MS_OBJECT,),
                    partial(_arn_per_value, c.mediastore_objects_arn), lambda p: p.mediastore_source_containers),
    TrustedRoleProp("mediastore_destination_containers", ("T16.write",), (kinds.MS_OBJECT,),
                    partial(_arn_per_value, c.mediastore_objects_arn), lambda p: p.mediastore_destination_containers),
    # password_parameters and password_parameter_paths bind one grant together
    TrustedRoleProp("password_parameters", ("T23",), (kinds.SSM_PARAMETER,), _parameter_grants,
                    lambda p: p.password_parameters),
    TrustedRoleProp("parameter_keys", ("T23.kms",), (kinds.KMS_KEY,), _key_grants, lambda p: p.parameter_keys),
    TrustedRoleProp("srt_secrets", ("T20",), (kinds.SECRET,), partial(_arn_per_value, c.secret_arn), lambda p: p.srt_secrets),
    TrustedRoleProp("srt_input_secrets", ("T20.input",), (kinds.SECRET,), partial(_arn_per_value, c.secret_arn),
                    lambda p: p.srt_input_secrets),
    TrustedRoleProp("irdeto_secrets", ("T21",), (kinds.SECRET,), partial(_arn_per_value, c.secret_arn),
                    lambda p: p.irdeto_secrets),
    TrustedRoleProp("vpc_inputs", ("T6", "T7"), _VPC, _vpc_grants, lambda p: p.vpc_inputs, input_feature=True),
    TrustedRoleProp("vpc_delivery", ("T8",), _VPC, _vpc_grants, lambda p: p.vpc_delivery),
    TrustedRoleProp("vpc_delivery.elastic_ip_allocations", ("T9",), (kinds.EC2_ELASTIC_IP, kinds.EC2_NETWORK_INTERFACE),
                    _elastic_ip_grants, lambda p: p.vpc_delivery),
    TrustedRoleProp("inference_feeds", ("T10",), (kinds.INFERENCE_FEED,), partial(_arn_per_value, c.inference_feed_arn),
                    lambda p: p.inference_feeds),
)
_INPUT_PROPS = frozenset(entry.prop for entry in TRUSTED_ROLE_PROPS if entry.input_feature)
_TRUSTED_ORDER = {r.id: i for i, r in enumerate(catalog.TRUSTED_ROWS)}


def workflow_grants(scope: IConstruct, props: WorkflowProps) -> list[PropGrant]:
    """Every prop's grants, in :data:`TRUSTED_ROLE_PROPS`' order. A role that grants nothing, or whose ARNs are in
    several partitions, fails."""
    partitions = Partitions.of(scope)
    grants = [g for entry in TRUSTED_ROLE_PROPS for g in entry.parser(scope, entry, props, partitions)]
    v.check_role_grants_something(scope, "logging", grants)
    v.check_one_partition(scope, partitions.seen)
    return grants


def grant_statements(scope: IConstruct, grants: Iterable[PropGrant]) -> list[Statement]:
    """The catalog's statements for the grants, bound to their resources."""
    return [statement for g in grants
            for statement in row_statements(scope, g.rows, bindings=g.bindings, extra_conditions=g.hook, prop=g.prop)]


def granted_rows(grants: Iterable[PropGrant]) -> tuple[str, ...]:
    """The rows granted, in catalog order."""
    return tuple(sorted(catalog.expand(r for g in grants for r in g.rows), key=_TRUSTED_ORDER.__getitem__))


def serves_inputs(grants: Iterable[PropGrant]) -> bool:
    """MediaLive assumes the role for inputs too (a grant of an ``input_feature`` prop: T6/T7, T11/T12)."""
    return any(g.prop in _INPUT_PROPS for g in grants)



@jsii.implements(iam.IGrantable)
class _MediaLiveRole(Construct):
    """What both trusted-entity constructs expose: the role, its ARN and name, a PassRole grant to MediaLive only,
    and ``iam.IGrantable`` (``grant_principal`` is the role), so CDK's own grants accept the construct
    (``bucket.grant_read(role)``). A grant made so adds statements outside the catalog:
    :class:`~medialive_iam_constructs.guard.MediaLiveIamGuard` reports them."""

    _role: iam.Role

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The role (``iam.IGrantable``): ``bucket.grant_read(trusted_role)`` grants to it."""
        return self._role

    @property
    def role_name(self) -> str:
        """The role's name (a token when CloudFormation generates it)."""
        return self._role.role_name

    @property
    def assume_role_action(self) -> str:
        """As ``iam.Role.assume_role_action`` (``iam.IPrincipal``): the action that assumes the role."""
        return self._role.assume_role_action

    @property
    def policy_fragment(self) -> iam.PrincipalPolicyFragment:
        """As ``iam.Role.policy_fragment`` (``iam.IPrincipal``): the role as a principal in a resource policy."""
        return self._role.policy_fragment

    @property
    def principal_account(self) -> str | None:
        """As ``iam.Role.principal_account`` (``iam.IPrincipal``): the role's account."""
        return self._role.principal_account

    def add_to_principal_policy(self, statement: iam.PolicyStatement) -> iam.AddToPrincipalPolicyResult:
        """As ``iam.Role.add_to_principal_policy``: the statement goes to the role's default policy, outside the
        catalog (the guard reports it)."""
        return self._role.add_to_principal_policy(statement)

    def grant(self, grantee: iam.IGrantable, *actions: str) -> iam.Grant:
        """As ``iam.Role.grant``: ``actions`` on this role to ``grantee``. Prefer :meth:`grant_pass_role`."""
        return self._role.grant(grantee, *actions)

    @property
    def role(self) -> iam.Role:
        """The IAM role (pass it as ``role=`` to ``aws_medialive_alpha.Channel``)."""
        return self._role

    @property
    def role_arn(self) -> str:
        """The role's ARN (pass it as ``role_arn`` of ``CfnChannel`` / ``CfnInput``)."""
        return self._role.role_arn

    def grant_pass_role(self, grantee: iam.IGrantable) -> iam.Grant:
        """Let ``grantee`` pass this role to MediaLive, and to nothing else (S30/S32): ``iam:PassRole`` on this
        role's ARN only, with ``iam:PassedToService = medialive.amazonaws.com``."""
        return _grant_pass_role(self, grantee, self._role.role_arn)


class MediaLiveTrustedRole(_MediaLiveRole):
    """The role MediaLive assumes for one workflow (complex option, reference §6): only what it declares.

    Each prop turns on one or more trusted-entity rows of the catalog (reference §1.4) scoped to the resources
    it names; :attr:`rows` lists the rows granted. The policies are customer managed (``Policy1``, ``Policy2``...;
    no inline policy) and fit IAM's quotas. The trust policy lets ``medialive.amazonaws.com`` assume the role
    only for channels (and, with input features, inputs) of this account and region.

    Pass :attr:`role` as ``role=`` of ``aws_medialive_alpha.Channel`` (which then grants nothing itself), or
    :attr:`role_arn` as ``role_arn`` of ``CfnChannel`` / ``CfnInput``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        role_name: str | None = None,
        path: str = DEFAULT_PATH,
        policy_path: str | None = None,
        description: str | None = None,
        permissions_boundary: Any = None,
        logging: bool | None = None,
        source_buckets: Sequence[BucketLike] = (),
        destination_buckets: Sequence[BucketLike] = (),
        thumbnail_buckets: Sequence[BucketLike] = (),
        mediapackage_channels: Sequence[str] = (),
        mediapackage_v2_channels: Sequence[MediaPackageV2Channel] = (),
        mediaconnect_inputs: bool = False,
        mediastore_source_containers: Sequence[str] = (),
        mediastore_destination_containers: Sequence[str] = (),
        password_parameters: Sequence[Any] = (),
        password_parameter_paths: Sequence[str] = (),
        parameter_keys: Sequence[Any] = (),
        srt_secrets: Sequence[Any] = (),
        srt_input_secrets: Sequence[Any] = (),
        irdeto_secrets: Sequence[Any] = (),
        vpc_inputs: VpcAccess | None = None,
        vpc_delivery: VpcAccess | None = None,
        inference_feeds: Sequence[str] = (),
        channels: Sequence[Any] = (),
        confused_deputy_conditions: bool = True,
        max_managed_policies: int = 10,
    ) -> None:
        """
        :param role_name: physical role name (default: generated by CloudFormation). 1-64 characters
            ``[\\w+=,.@-]``; must not be ``MediaLiveAccessRole`` (reserved for the simple option). When given, the
            managed policies are named ``<role_name>-policy``, ``<role_name>-policy2``...
        :param path: IAM path of the role (default ``/medialive/``).
        :param policy_path: IAM path of its managed policies. Default ``/medialive/trusted-entity/`` (the
            restricted administrator's ``policy_path``: the administrator maintains them, A6) for a role whose
            ``permissions_boundary`` is a ``MediaLivePermissionsBoundary`` (or its ``.policy``);
            ``/medialive-unbounded/`` for one without a boundary or with another policy, a path no
            ``RestrictedAdmin`` manages (a policy the administrator could rewrite must never reach a role no
            MediaLive boundary caps). Without a boundary any other path fails at synth; with another policy it warns.
            When ``role_name`` is given the policies are named ``<role_name>-trusted-entity``,
            ``...-trusted-entity2`` (``<role_name>-unbounded``... under ``/medialive-unbounded/``).
        :param description: role description (default: lists the rows granted).
        :param permissions_boundary: the role's permissions boundary: a ``MediaLivePermissionsBoundary`` (then
            every grant of the role is checked against the boundary's namespaces at synth, and one outside fails
            with the fix) or any ``iam.IManagedPolicy``.
        :param logging: T5, channel logs to CloudWatch Logs (log group ``ElementalMediaLive``). On by default
            (None); with ``channels``, None follows the channels' ``logLevel`` (T5 when one of them logs).
        :param source_buckets: T18 read: ``IBucket``, bucket name, or :class:`S3Location` (bucket + key prefix).
        :param destination_buckets: T18 read/write, same forms.
        :param thumbnail_buckets: T19 ``PutObject`` for input thumbnails, same forms.
        :param mediapackage_channels: T14, MediaPackage v1 channel ids or ARNs (``DescribeChannel``).
        :param mediapackage_v2_channels: T15, MediaPackage v2 channel ARNs or ``(channel_group, channel)`` pairs.
        :param mediaconnect_inputs: T11/T12, MediaConnect inputs (``Managed*`` actions, on ``*`` by necessity, E14).
        :param mediastore_source_containers: T16 read, container names or ARNs (MediaStore: end of support
            2025-11-13; kept for existing workflows).
        :param mediastore_destination_containers: T16 read/write, same forms.
        :param password_parameters: T23, Parameter Store parameters holding passwords: ``IStringParameter``,
            names (``/medialive/news/pw``) or ARNs.
        :param password_parameter_paths: T23, path prefixes (``/medialive/news/``): every parameter below.
        :param parameter_keys: T23.kms, customer managed KMS keys (``IKey`` or key ARN) of SecureString parameters.
        :param srt_secrets: T20, Secrets Manager secrets with the passphrases of SRT **outputs** (caller or
            listener destinations): ``ISecret``, names or ARNs.
        :param srt_input_secrets: T20.input, secrets with the decryption passphrases of SRT **inputs** (caller or
            listener sources), same forms.
        :param irdeto_secrets: T21, secrets with Irdeto watermarking licences, same forms.
        :param vpc_inputs: T6/T7, CDI, RTP and RTMP-push VPC inputs: the subnets and security groups of the ENIs.
        :param vpc_delivery: T8 (and T9 with ``elastic_ip_allocations``), output delivery through your VPC.
        :param inference_feeds: T10, AWS Elemental Inference feed ids or ARNs.
        :param channels: the channels the role serves (``aws_medialive_alpha.Channel`` or ``aws_medialive.CfnChannel``;
            their inputs are read through their input attachments): the props above are derived from what they name
            (:func:`~medialive_iam_constructs.channels.workflow_props_from_channels`) and added to those given. A
            setting the library cannot read (an unresolvable token, a kind of destination no row covers) fails with
            the channel, the setting and the fix. See docs/trusted-role.md, "Derive the role from the channel".
        :param confused_deputy_conditions: add ``aws:SourceAccount`` and ``aws:SourceArn`` to the trust policy
            (default). Turning them off is weaker: any MediaLive resource of any account could then make
            MediaLive assume the role if it learns the ARN.
        :param max_managed_policies: managed policies the role may hold (IAM default quota 10; up to 25 if the
            account's quota was raised). Synth fails with the fix when the workflow needs more.
        """
        super().__init__(scope, id)
        boundary, boundary_policy, policy_path = _check_role_props(
            self, role_name=role_name, path=path, policy_path=policy_path, description=description,
            permissions_boundary=permissions_boundary, max_managed_policies=max_managed_policies)
        #: The props the role grants: those given and, with ``channels``, what the channels name.
        self.workflow_props = _with_channels(self, WorkflowProps(
            logging=logging, source_buckets=source_buckets, destination_buckets=destination_buckets,
            thumbnail_buckets=thumbnail_buckets, mediapackage_channels=mediapackage_channels,
            mediapackage_v2_channels=mediapackage_v2_channels, mediaconnect_inputs=mediaconnect_inputs,
            mediastore_source_containers=mediastore_source_containers, password_parameters=password_parameters,
            mediastore_destination_containers=mediastore_destination_containers, parameter_keys=parameter_keys,
            password_parameter_paths=password_parameter_paths, srt_secrets=srt_secrets,
            srt_input_secrets=srt_input_secrets, irdeto_secrets=irdeto_secrets,
            vpc_inputs=vpc_inputs, vpc_delivery=vpc_delivery, inference_feeds=inference_feeds), channels)
        grants = workflow_grants(self, self.workflow_props)
        self._grants: tuple[PropGrant, ...] = tuple(grants)
        statements = grant_statements(self, grants)
        self._rows: tuple[str, ...] = granted_rows(grants)
        self._check_boundary(statements, boundary)
        self._role = iam.Role(self, "Role", role_name=role_name, path=path, permissions_boundary=boundary_policy,
                              description=_role_description(description, self._rows),
                              assumed_by=medialive_trust_principal(self, confused_deputy_conditions, serves_inputs(grants)))
        record_rows(self._role.node.default_child, self._rows)
        self._policies = _workflow_policies(self, self._role, statements, role_name=role_name, path=policy_path,
                                            max_policies=max_managed_policies)
        _serve(self, channels)

    # --- public API --------------------------------------------------------------------------------

    @property
    def managed_policies(self) -> list[iam.ManagedPolicy]:
        """The customer managed policies attached to the role (construct ids ``Policy1``, ``Policy2``...)."""
        return list(self._policies)

    @property
    def rows(self) -> tuple[str, ...]:
        """The trusted-entity catalog rows granted (``("T5", "T18.read", ...)``), in catalog order."""
        return self._rows

    # --- helpers: boundary ---------------------------------------------------------------------------

    def _check_boundary(self, statements: list[Statement], boundary: Any) -> None:
        """Every grant falls inside the ``MediaLivePermissionsBoundary`` (None: a role without one, or with another
        policy, has nothing to check)."""
        if boundary is None:
            return
        from aws_cdk import Annotations

        from .namespaces import uncovered

        outside, unverifiable = uncovered(self, statements, boundary.statements)
        if outside:
            shown = "; ".join(f"{a} on {r} ({rows})" for rows, a, r in outside[:4])
            raise MediaLiveIamError(
                describe(self), "permissions_boundary",
                f"{len(outside)} grant(s) fall outside the boundary {describe(boundary)}, so the channel could not use "
                f"them: {shown}{' ...' if len(outside) > 4 else ''}",
                "declare the resources in the boundary's MediaLiveNamespaces (bucket_names/bucket_prefixes, "
                "secret_prefix, parameter_path, mediapackage_v2_channel_groups, elastic_ip_allocations, ...), or name "
                "resources inside its namespaces",
            )
        if unverifiable:
            Annotations.of(self).add_warning_v2(
                "medialive-iam:boundary-unverified",
                f"{len(unverifiable)} grant(s) cannot be checked against the boundary {describe(boundary)} at synth "
                f"(a resource this app creates, or a region or account named literally in a stack without env), e.g. "
                f"{unverifiable[0][1]} on {unverifiable[0][2]} ({unverifiable[0][0]}); make sure their names fall "
                "inside its namespaces and the stack deploys where they live.",
            )


def _check_role_props(role: MediaLiveTrustedRole, *, role_name: str | None, path: str, policy_path: str | None,
                      description: str | None, permissions_boundary: Any, max_managed_policies: int) -> tuple:
    """The props that do not turn on rows, checked in order: (the MediaLive boundary construct or None, the boundary
    policy, the managed policies' path)."""
    ensure_unique_names(role)
    v.check_role_name(role, "role_name", role_name)
    v.check_path(role, "path", path)
    boundary, boundary_policy = c.permissions_boundary(role, "permissions_boundary", permissions_boundary,
                                                       own_policy=True)
    policy_path = _policy_path(role, policy_path, boundary=boundary_policy, medialive_boundary=boundary is not None)
    v.check_description(role, "description", description)
    v.check_max_managed_policies(role, "max_managed_policies", max_managed_policies, "role")
    return boundary, boundary_policy, policy_path


def _with_channels(role: MediaLiveTrustedRole, props: WorkflowProps, channels: Sequence[Any]) -> WorkflowProps:
    """``props`` and, with ``channels``, what the channels name (``channels.workflow_props_from_channels``)."""
    if not channels:
        return props
    return WorkflowProps.from_channels(role, channels, given=props)


def _serve(role: MediaLiveTrustedRole, channels: Sequence[Any]) -> None:
    """The channels named by the role's literal ARN are created after it; the app's channels whose ``roleArn`` is
    this role are checked against it at synth (``channels.register_role``)."""
    from .channels import depend_on_role, register_role

    depend_on_role(role, channels)
    register_role(role)


def _role_description(description: str | None, rows: Sequence[str]) -> str:
    """The description given, or one listing the rows granted."""
    return description or f"Role MediaLive assumes for one workflow (complex option); rows {', '.join(rows)}"


#: The workflow roles' managed policies' description (fixed: changing it replaces a named policy).
_POLICY_DESCRIPTION = "Permissions MediaLive uses through its trusted-entity role; statement Sids name the catalog rows"


def _workflow_policies(scope: Construct, role: iam.Role, statements: list[Statement], *, role_name: str | None,
                       path: str, max_policies: int) -> list[iam.ManagedPolicy]:
    """The role's customer managed policies (``Policy1``, ``Policy2``...), at most ``max_policies`` of them, and the
    synth-time recount of every managed policy attached to the role in the stack."""
    policies = create_managed_policies(
        scope, statements, principal_kind="role", name_prefix=_policy_name_prefix(role_name, path), path=path,
        roles=[role], max_policies=max_policies, prop="max_managed_policies", description=_POLICY_DESCRIPTION,
    )
    add_check(stack_of(scope), PrincipalQuotaValidation(scope, role.node.default_child, "role", max_policies))
    return policies


def _policy_name_prefix(role_name: str | None, policy_path: str) -> str | None:
    """``<role_name>-trusted-entity`` (``<role_name>-unbounded`` under ``/medialive-unbounded/``) for a role with a
    literal name; None (names generated by CloudFormation) otherwise."""
    if not role_name or is_token(role_name):
        return None
    return f"{role_name}-{'unbounded' if policy_path.startswith(UNBOUNDED_POLICY_PATH) else 'trusted-entity'}"


def _policy_path(scope: Construct, policy_path: str | None, *, boundary: Any, medialive_boundary: bool) -> str:
    """The managed policies' path: given, or the default. ``DEFAULT_POLICY_PATH`` (the administrator maintains them,
    A6) only for a role capped by a ``MediaLivePermissionsBoundary``; ``UNBOUNDED_POLICY_PATH`` for a role without a
    boundary or with another one (AdministratorAccess, another app's policy), whose content no MediaLive namespace
    caps: IAM's policy-version actions have no key for what a policy is attached to, so a ``RestrictedAdmin`` of this
    or another app whose ``policy_path`` covers them could rewrite them (A6) and pass the role to MediaLive (A7)
    (issue 20, finding 4). A role without a boundary keeps them there: another path fails. A role with another
    boundary may name a path (a MediaLive boundary imported from another app), with a warning."""
    if policy_path is None:
        return DEFAULT_POLICY_PATH if medialive_boundary else UNBOUNDED_POLICY_PATH
    v.check_path(scope, "policy_path", policy_path, policy=True)
    if is_token(policy_path) or policy_path.startswith(UNBOUNDED_POLICY_PATH) or medialive_boundary:
        return policy_path
    if boundary is None:
        raise MediaLiveIamError(
            describe(scope), "policy_path",
            f"{policy_path!r} for a role without a permissions boundary: a RestrictedAdmin whose policy_path covers it "
            "could rewrite these policies (A6) and pass the role to MediaLive (A7), and no boundary caps what they say",
            "give permissions_boundary= (a MediaLivePermissionsBoundary), or leave policy_path out: a role without a "
            f"boundary keeps its policies under {UNBOUNDED_POLICY_PATH!r}, which no RestrictedAdmin manages",
        )
    from aws_cdk import Annotations

    Annotations.of(scope).add_warning_v2(
        "medialive-iam:policy-path-other-boundary",
        f"{describe(scope)}: policy_path: {policy_path!r} with a permissions boundary that is not a "
        "MediaLivePermissionsBoundary of this app: a RestrictedAdmin whose policy_path covers it may rewrite these "
        "policies, capped only by that boundary. Fix: pass the MediaLivePermissionsBoundary construct, or leave "
        f"policy_path out ({UNBOUNDED_POLICY_PATH!r}, which no RestrictedAdmin manages).",
    )
    return policy_path


def _unique(values: Iterable[str]) -> list[str]:
    """Each value once, in order."""
    return list(dict.fromkeys(values))


def _grant_pass_role(scope: Construct, grantee: iam.IGrantable, role_arn: str) -> iam.Grant:
    """``iam:PassRole`` of ``role_arn`` to MediaLive only, from catalog row S32."""
    (stmt,) = row_statements(scope, [PASS_ROLE_ROW], bindings={kinds.IAM_ROLE: [role_arn]}, prop="grant_pass_role")
    return iam.Grant.add_to_principal(
        grantee=grantee,
        actions=list(stmt.actions),
        resource_arns=list(stmt.resources),
        conditions=stmt.condition_block or None,
    )


def _fill_partition(value: Any, partition: str) -> Any:
    if isinstance(value, str):
        return value.replace("${Partition}", partition)
    if isinstance(value, dict):
        return {k: _fill_partition(x, partition) for k, x in value.items()}
    if isinstance(value, (list, tuple)):
        return [_fill_partition(x, partition) for x in value]
    return value


class MediaLiveAccessRole(_MediaLiveRole):
    """The simple option's ``MediaLiveAccessRole``, created by the stack (so that no operator needs S29/S31, which
    equal IAM administration: issue 11 a).

    By default it is the console's "Create role from template" result (reference §2.3): inline policy
    ``MediaLiveCustomPolicy`` (S3, MediaStore, CloudWatch Logs, MediaConnect, EC2 and MediaPackage actions, all on
    ``*``) plus the AWS managed ``AmazonSSMReadOnlyAccess``. That copy is broad by design: a channel that uses it
    can read every S3 object, every MediaStore object and every Parameter Store parameter (SecureString values
    included) of the account and send them to any destination the channel's creator names (docs/threat-model.md,
    finding g). Give ``namespaces`` for the scoped variant: the trusted-entity rows T5-T23 within the app's
    MediaLive namespaces, as ``MediaLivePermissionsBoundary`` (customer managed policies, no inline policy).

    The trust policy lets ``medialive.amazonaws.com`` assume the role only for channels and inputs of this account
    (``aws:SourceAccount``, ``aws:SourceArn``): a deviation from the console template (docs/deviations.md),
    ``confused_deputy_conditions=False`` restores the template's plain trust. The role name is always
    ``MediaLiveAccessRole`` (one per account, serving every region: the console looks for this name), so
    ``aws:SourceArn`` names channels and inputs of every region of the account by default (``regions``).
    Production workflows should use :class:`MediaLiveTrustedRole`.

    An account that used the console already has this role: creating it again fails at deploy with
    ``EntityAlreadyExists``. Synth warns (``medialive-iam:console-name``) unless ``adopt_existing`` says what to do;
    reference the console's role instead with :meth:`from_console_role` (docs/adopting.md).

    :param confused_deputy_conditions: add ``aws:SourceAccount`` / ``aws:SourceArn`` to the trust policy (default).
    :param namespaces: scope the role to the app's ``MediaLiveNamespaces`` instead of the console template's ``*``.
    :param regions: the regions whose channels and inputs may make MediaLive assume the role (``aws:SourceArn``).
        Default: every region of the account (``arn:<partition>:medialive:*:<account>:channel:*``; the account and
        partition stay pinned), as the console's role serves every region and this role is deployed once per
        account. Name regions (``["us-east-1", "eu-west-1"]``) to narrow it; a channel of another region then cannot
        start with this role.
    :param adopt_existing: the account already has ``MediaLiveAccessRole`` (made by the console) and this stack takes
        it over with ``cdk import`` (docs/adopting.md): the role is kept when the stack is deleted (``DeletionPolicy:
        Retain``, which CloudFormation's import requires) and the console-name warning is not given. Deploying
        without the import fails with ``EntityAlreadyExists``.
    """

    def __init__(self, scope: Construct, id: str, *, confused_deputy_conditions: bool = True,
                 namespaces: Any = None, regions: Sequence[str] | None = None, adopt_existing: bool = False) -> None:
        super().__init__(scope, id)
        ensure_unique_names(self)
        stack = stack_of(self)
        regions = v.check_regions(self, "regions", regions, stack.region)
        principal = medialive_trust_principal(self, confused_deputy_conditions, input_features=True,
                                              regions=regions or [ANY_REGION])
        #: The rows the role's policies come from: the console template (None) or T5-T23 in the namespaces.
        self.namespaces = namespaces
        if namespaces is not None:
            from .namespaces import namespace_statements

            statements = namespace_statements(self, namespaces, prop="namespaces")
            self._role = iam.Role(self, "Role", role_name=catalog.SIMPLE_ROLE_NAME, assumed_by=principal,
                                  description="MediaLive simple option, scoped to the app's MediaLive namespaces")
            self._policies = create_managed_policies(
                self, statements, principal_kind="role", name_prefix=None, path="/", roles=[self._role],
                prop="namespaces", description="MediaLiveAccessRole, scoped variant: rows T5-T23 within the app's namespaces",
            )
            self._adopt(adopt_existing)
            return
        statements = _fill_partition([dict(s) for s in CONSOLE_TEMPLATE_STATEMENTS], stack.partition)
        self._policies = []
        self._role = iam.Role(
            self,
            "Role",
            role_name=catalog.SIMPLE_ROLE_NAME,
            assumed_by=principal,
            inline_policies={
                CONSOLE_INLINE_POLICY_NAME: iam.PolicyDocument.from_json(
                    {"Version": "2012-10-17", "Statement": statements}
                )
            },
            managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name(n) for n in CONSOLE_TEMPLATE_MANAGED_POLICIES],
        )
        acknowledge_console_role(self._role, statements)
        self._adopt(adopt_existing)

    def _adopt(self, adopt_existing: bool) -> None:
        """``adopt_existing``: the role is kept when the stack goes (import needs a DeletionPolicy); otherwise the
        console-name warning, with the two fixes."""
        if adopt_existing:
            from aws_cdk import RemovalPolicy

            self._role.apply_removal_policy(RemovalPolicy.RETAIN)
            return
        warn_console_made_name(
            self, "role_name", "role", catalog.SIMPLE_ROLE_NAME,
            "reference the console's role with MediaLiveAccessRole.from_console_role(scope, id) instead of creating "
            "it, or take it over: MediaLiveAccessRole(..., adopt_existing=True), then `cdk import`")

    @staticmethod
    def from_console_role(scope: Construct, id: str, *, role_arn: str | None = None) -> "MediaLiveConsoleRole":
        """The ``MediaLiveAccessRole`` the console made, referenced: nothing is created or changed
        (:class:`MediaLiveConsoleRole`)."""
        return MediaLiveConsoleRole(scope, id, role_arn=role_arn)

    @property
    def managed_policies(self) -> list[iam.ManagedPolicy]:
        """The customer managed policies of the scoped variant (empty for the console copy)."""
        return list(self._policies)


class MediaLiveConsoleRole(_MediaLiveRole):
    """The simple option's ``MediaLiveAccessRole`` that the MediaLive console made in the account, referenced by the
    app: nothing is created, nothing of the role changes (an immutable ``iam.IRole``: CDK grants to it add nothing;
    the guard does not see it). What a role the stack makes is checked for applies to it too: it is this account's
    role named ``MediaLiveAccessRole`` at path ``/``, ``grant_pass_role`` passes it to MediaLive only (S30/S32), a
    ``trusted_entity=SIMPLE`` operator group passes it by name (S30), and a ``COMPLEX`` group refuses it in
    ``trusted_roles`` (reference §6). Its trust policy and policies are the console's (no confused-deputy condition,
    everything on ``*``): take it over with ``MediaLiveAccessRole(adopt_existing=True)`` and ``cdk import`` to manage
    them in code (docs/adopting.md).

    :param role_arn: the role's ARN; default: ``MediaLiveAccessRole`` at path ``/`` in the stack's account and
        partition. An ARN of another account, another name or another path fails, and so does a token that is not
        the ARN of a role the app makes (a parameter, an import: what it names cannot be checked at synth).
    """

    def __init__(self, scope: Construct, id: str, *, role_arn: str | None = None) -> None:
        super().__init__(scope, id)
        if role_arn is None:
            self._role = iam.Role.from_role_name(self, "Role", catalog.SIMPLE_ROLE_NAME, mutable=False)
            return
        arn = c.role_arn(self, "role_arn", role_arn)
        if is_token(arn) and c.app_role(self, arn) is None:
            raise MediaLiveIamError(
                describe(self), "role_arn", f"{arn!r} is a token that is not the ARN of a role this app makes: its "
                f"account, name and path cannot be checked at synth (it could be any role, of any account)",
                f"give the literal ARN (arn:<partition>:iam::<account>:role/{catalog.SIMPLE_ROLE_NAME}), or leave "
                "role_arn out for the stack's account")
        name, path = c.role_identity(self, role_arn, arn)
        if name is None or name.lower() != catalog.SIMPLE_ROLE_NAME.lower() or path != "/":
            raise MediaLiveIamError(
                describe(self), "role_arn", f"{arn!r} is not the console's role: the console makes "
                f"{catalog.SIMPLE_ROLE_NAME} at path / (reference §2.2)",
                "give the ARN of MediaLiveAccessRole, or leave role_arn out; pass a per-workflow role of the complex "
                "option to a COMPLEX group's trusted_roles instead")
        self._role = iam.Role.from_role_arn(self, "Role", arn, mutable=False)


def check_props_table(table: Sequence[TrustedRoleProp], init: Callable[..., None]) -> None:
    """``table`` (:data:`TRUSTED_ROLE_PROPS`) against the constructor ``init`` and the catalog: every prop names a
    parameter of ``init`` and a field of :class:`WorkflowProps` (with ``init``'s default), and its ``value`` reads
    that field; every row is a row of ``catalog.TRUSTED_ROWS`` with grants; every kind is a known ``kinds.Kind`` that one of
    the rows' grants takes; every parser is callable. Raises ``RuntimeError`` listing every mismatch (run at import)."""
    params = inspect.signature(init).parameters
    probes = {f.name: object() for f in fields(WorkflowProps)}
    probe = WorkflowProps(**probes)
    problems = [f"WorkflowProps.{f.name}: default {f.default!r} is not the constructor's"
                for f in fields(WorkflowProps) if f.name not in params or params[f.name].default != f.default]
    for entry in table:
        name = entry.prop.split(".")[0]
        if name not in params or name not in probes:
            problems.append(f"{entry.prop}: not a parameter of the constructor and a field of WorkflowProps")
        elif _read(entry, probe) is not probes[name]:
            problems.append(f"{entry.prop}: its value does not read WorkflowProps.{name}")
        rows = [catalog.ROWS[r] for r in entry.rows if r in _TRUSTED_ORDER]
        problems += [f"{entry.prop}: row {r!r} is not in catalog.TRUSTED_ROWS"
                     for r in entry.rows if r not in _TRUSTED_ORDER]
        problems += [f"{entry.prop}: row {r.id!r} grants nothing" for r in rows if not r.grants]
        taken = {k for r in rows for g in r.grants for k in g.kinds}
        problems += [f"{entry.prop}: kind {k!r} is not in catalog.ALL_KINDS"
                     for k in entry.kinds if k not in catalog.ALL_KINDS]
        problems += [f"{entry.prop}: kind {k.sar_name!r} is taken by none of its rows' grants"
                     for k in entry.kinds if k in catalog.ALL_KINDS and k not in taken]
        if not callable(entry.parser):
            problems.append(f"{entry.prop}: parser {entry.parser!r} is not callable")
    if problems:
        raise RuntimeError("TRUSTED_ROLE_PROPS does not match MediaLiveTrustedRole or the catalog:\n  "
                           + "\n  ".join(problems))


def _read(entry: TrustedRoleProp, props: WorkflowProps) -> Any:
    try:
        return entry.value(props)
    except AttributeError:  # reads something WorkflowProps does not have
        return None


check_props_table(TRUSTED_ROLE_PROPS, MediaLiveTrustedRole.__init__)
