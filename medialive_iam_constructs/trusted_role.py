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

import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence, Union

import jsii
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from constructs import Construct

from . import catalog
from .catalog.admin import UNBOUNDED_POLICY_PATH
from .catalog.console_template import (
    CONSOLE_INLINE_POLICY_NAME,
    CONSOLE_TEMPLATE_MANAGED_POLICIES,
    CONSOLE_TEMPLATE_STATEMENTS,
)
from .catalog.resources import (
    EC2_ELASTIC_IP,
    EC2_NETWORK_INTERFACE,
    EC2_SECURITY_GROUP,
    EC2_SUBNET,
    IAM_ROLE,
    INFERENCE_FEED,
    KMS_KEY,
    ML_CHANNEL,
    ML_INPUT,
    MP_CHANNEL,
    MPV2_CHANNEL,
    MPV2_CHANNEL_GROUP,
    MS_OBJECT,
    S3_BUCKET,
    S3_OBJECT,
    SECRET,
    SSM_PARAMETER,
    Kind,
)
from .errors import MediaLiveIamError, describe
from ._rows import record_rows
from ._unique_names import ensure_unique_names
from .nag import acknowledge, nag_text
from .packing import MAX_MANAGED_POLICIES, MAX_MANAGED_POLICIES_ADJUSTED, PrincipalQuotaValidation, create_managed_policies
from .statements import ConditionHook, Statement, render_kind, row_statements
from ._synth_checks import add_check
from .tokens import is_token, stack_of
from . import validation as v

__all__ = ["MediaLiveAccessRole", "MediaLiveTrustedRole", "S3Location", "VpcAccess"]

#: Reserved for the simple option (reference §2.2, §6): complex-option roles must have another name.
RESERVED_ROLE_NAME = catalog.SIMPLE_ROLE_NAME
DEFAULT_PATH = "/medialive/"
#: IAM path of the workflow roles' managed policies: RestrictedAdmin's default ``policy_path``, so the
#: administrator maintains them (A6), and apart from the operator groups' ``/medialive/`` (issue 11 f).
DEFAULT_POLICY_PATH = "/medialive/trusted-entity/"
#: The row whose grant is "pass a trusted-entity role to MediaLive" (complex option).
PASS_ROLE_ROW = "S32"
#: The NIST 800-53 R5, HIPAA and PCI rules the console's inline policy breaks (acknowledged on MediaLiveAccessRole).
SIMPLE_ROLE_INLINE_FINDINGS = (
    "NIST.800.53.R5-IAMNoInlinePolicy",
    "HIPAA.Security-IAMNoInlinePolicy",
    "PCI.DSS.321-IAMNoInlinePolicy",
)
_SECRET_SUFFIX = re.compile(r"-[A-Za-z0-9]{6}$")


@dataclass(frozen=True)
class S3Location:
    """An S3 bucket, optionally narrowed to a key prefix.

    :param bucket: an ``IBucket`` or a bucket name.
    :param prefix: a literal key prefix (``"live/news/"``); objects under it are granted (``prefix*``) and
        ``s3:ListBucket`` is limited to it with the ``s3:prefix`` condition. No wildcards: the construct appends
        the ``*`` itself. ``None`` (default) grants the whole bucket.
    """

    bucket: Any
    prefix: str | None = None


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

#: One feature's grant: (row ids, resources per kind, condition hook, the prop it comes from).
_Part = tuple[tuple[str, ...], dict[Kind, list[str]], Union[ConditionHook, None], str]


@dataclass(frozen=True)
class Feature:
    """One prop of :class:`MediaLiveTrustedRole` and what it turns on.

    :param prop: the constructor prop (``source_buckets``); a dotted name (``vpc_delivery.elastic_ip_allocations``)
        is a field of another prop's value.
    :param rows: the trusted-entity catalog rows it grants (``catalog/trusted_entity.py``).
    :param kinds: the resource kinds its values are bound to (``catalog/resources.py``); empty: the rows' grants
        take no resource the workflow names.
    :param parser: the method that checks the value and returns the grants (``_Part`` s); it gets the feature and
        the constructor's props.
    :param input_feature: MediaLive assumes the role for inputs too (the trust policy adds ``input:*``).
    """

    prop: str
    rows: tuple[str, ...]
    kinds: tuple[Kind, ...]
    parser: str
    input_feature: bool = False


_S3 = (S3_BUCKET, S3_OBJECT)
_VPC = (EC2_SUBNET, EC2_SECURITY_GROUP, EC2_NETWORK_INTERFACE)

#: The wiring of :class:`MediaLiveTrustedRole`, in the order the policies list the grants: adding a feature is one
#: catalog row and one entry here (and the prop with its docstring).
FEATURES: tuple[Feature, ...] = (
    Feature("logging", ("T5",), (), "_flag_parts"),
    Feature("source_buckets", ("T18.read",), _S3, "_s3_parts"),
    Feature("destination_buckets", ("T18.write",), _S3, "_s3_parts"),
    Feature("thumbnail_buckets", ("T19",), (S3_OBJECT,), "_s3_parts"),
    Feature("mediapackage_channels", ("T14",), (MP_CHANNEL,), "_mp_parts"),
    Feature("mediapackage_v2_channels", ("T15",), (MPV2_CHANNEL, MPV2_CHANNEL_GROUP), "_mpv2_parts"),
    Feature("mediaconnect_inputs", ("T11", "T12"), (), "_flag_parts", input_feature=True),
    Feature("mediastore_source_containers", ("T16.read",), (MS_OBJECT,), "_ms_parts"),
    Feature("mediastore_destination_containers", ("T16.write",), (MS_OBJECT,), "_ms_parts"),
    # password_parameters and password_parameter_paths bind one grant together
    Feature("password_parameters", ("T23",), (SSM_PARAMETER,), "_parameter_parts"),
    Feature("parameter_keys", ("T23.kms",), (KMS_KEY,), "_key_parts"),
    Feature("srt_secrets", ("T20",), (SECRET,), "_secret_parts"),
    Feature("irdeto_secrets", ("T21",), (SECRET,), "_secret_parts"),
    Feature("vpc_inputs", ("T6", "T7"), _VPC, "_vpc_parts", input_feature=True),
    Feature("vpc_delivery", ("T8",), _VPC, "_vpc_parts"),
    Feature("vpc_delivery.elastic_ip_allocations", ("T9",), (EC2_ELASTIC_IP, EC2_NETWORK_INTERFACE), "_eip_parts"),
    Feature("inference_feeds", ("T10",), (INFERENCE_FEED,), "_feed_parts"),
)


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
        return self._role.role_name

    @property
    def assume_role_action(self) -> str:
        return self._role.assume_role_action

    @property
    def policy_fragment(self) -> iam.PrincipalPolicyFragment:
        return self._role.policy_fragment

    @property
    def principal_account(self) -> str | None:
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
        logging: bool = True,
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
        irdeto_secrets: Sequence[Any] = (),
        vpc_inputs: VpcAccess | None = None,
        vpc_delivery: VpcAccess | None = None,
        inference_feeds: Sequence[str] = (),
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
        :param logging: T5, channel logs to CloudWatch Logs (log group ``ElementalMediaLive``). On by default.
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
        :param srt_secrets: T20, Secrets Manager secrets with SRT passphrases: ``ISecret``, names or ARNs.
        :param irdeto_secrets: T21, secrets with Irdeto watermarking licences, same forms.
        :param vpc_inputs: T6/T7, CDI, RTP and RTMP-push VPC inputs: the subnets and security groups of the ENIs.
        :param vpc_delivery: T8 (and T9 with ``elastic_ip_allocations``), output delivery through your VPC.
        :param inference_feeds: T10, AWS Elemental Inference feed ids or ARNs.
        :param confused_deputy_conditions: add ``aws:SourceAccount`` and ``aws:SourceArn`` to the trust policy
            (default). Turning them off is weaker: any MediaLive resource of any account could then make
            MediaLive assume the role if it learns the ARN.
        :param max_managed_policies: managed policies the role may hold (IAM default quota 10; up to 25 if the
            account's quota was raised). Synth fails with the fix when the workflow needs more.
        """
        _props = dict(locals())  # the feature props, read by FEATURES' parsers
        super().__init__(scope, id)
        ensure_unique_names(self)
        stack = stack_of(self)
        self._partitions: dict[str, str] = {}  # partition -> (first) prop naming it
        self._expected_partition = v.partition_of_region(stack.region)

        # --- validate names and paths ------------------------------------------------------------
        v.check_name(self, "role_name", role_name, "role")
        if role_name is not None and not is_token(role_name) and role_name.lower() == RESERVED_ROLE_NAME.lower():
            raise MediaLiveIamError(
                describe(self), "role_name",
                f"{role_name!r} is reserved for the simple option's console role (reference §6)",
                "choose another name that includes 'medialive' and no sensitive data (e.g. 'medialiveWorkflow15'), "
                "or use MediaLiveAccessRole for the simple option",
            )
        v.check_path(self, "path", path)
        boundary_construct = _boundary_construct(permissions_boundary)
        boundary_policy = boundary_construct.policy if boundary_construct is not None else permissions_boundary
        if boundary_policy is not None and not hasattr(boundary_policy, "managed_policy_arn"):
            raise MediaLiveIamError(describe(self), "permissions_boundary", f"{permissions_boundary!r} is not a policy",
                                    "give a MediaLivePermissionsBoundary or an iam.IManagedPolicy")
        policy_path = _policy_path(self, policy_path, boundary=boundary_policy,
                                   medialive_boundary=_is_medialive_boundary(permissions_boundary))
        if description is not None and not is_token(description) and len(description) > 1000:
            raise MediaLiveIamError(describe(self), "description", f"has {len(description)} characters",
                                    "use at most 1,000 characters")
        if not 1 <= max_managed_policies <= MAX_MANAGED_POLICIES_ADJUSTED["role"]:
            raise MediaLiveIamError(describe(self), "max_managed_policies", f"{max_managed_policies} is out of range",
                                    f"IAM allows {MAX_MANAGED_POLICIES['role']} managed policies per role by default, "
                                    f"up to {MAX_MANAGED_POLICIES_ADJUSTED['role']} by quota increase")

        # --- features -> (rows, bindings, condition hook): one entry of FEATURES per prop ------------
        parts: list[_Part] = []
        for feature in FEATURES:
            parts.extend(getattr(self, feature.parser)(feature, _props))

        if not parts:
            raise MediaLiveIamError(
                describe(self), "logging",
                "the role would grant nothing: logging is off and no feature (buckets, channels, inputs, "
                "parameters, secrets, VPC, feeds) is declared",
                "keep logging=True or declare the resources the workflow uses",
            )
        if len(self._partitions) > 1:
            raise MediaLiveIamError(
                describe(self), sorted(self._partitions.values())[-1],
                f"the ARNs given are in several partitions ({', '.join(sorted(self._partitions))})",
                "a role lives in one partition: give every ARN in the stack's partition",
            )

        statements: list[Statement] = []
        for row_ids, bindings, hook, prop in parts:
            statements.extend(row_statements(self, row_ids, bindings=bindings, extra_conditions=hook, prop=prop))
        granted = catalog.expand(r for row_ids, *_ in parts for r in row_ids)
        order = {r.id: i for i, r in enumerate(catalog.TRUSTED_ROWS)}
        self._rows: tuple[str, ...] = tuple(sorted(granted, key=order.__getitem__))
        if boundary_construct is not None:
            self._check_boundary(statements, boundary_construct)

        # --- the role and its policies -----------------------------------------------------------
        input_features = any(f.input_feature for f in FEATURES for part in parts if part[3] == f.prop)
        self._role = iam.Role(
            self,
            "Role",
            role_name=role_name,
            path=path,
            description=description
            or f"Role MediaLive assumes for one workflow (complex option); rows {', '.join(self._rows)}",
            assumed_by=self._principal(confused_deputy_conditions, input_features),
            permissions_boundary=boundary_policy,
        )
        record_rows(self._role.node.default_child, self._rows)
        self._policies = create_managed_policies(
            self,
            statements,
            principal_kind="role",
            name_prefix=(f"{role_name}-{'unbounded' if policy_path.startswith(UNBOUNDED_POLICY_PATH) else 'trusted-entity'}"
                         if role_name and not is_token(role_name) else None),
            path=policy_path,
            roles=[self._role],
            max_policies=max_managed_policies,
            prop="max_managed_policies",
            description="Permissions MediaLive uses through its trusted-entity role; statement Sids name the catalog rows",
        )
        add_check(stack, PrincipalQuotaValidation(self, self._role.node.default_child, "role", max_managed_policies))

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

    def _check_boundary(self, statements: list[Statement], boundary) -> None:
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

    # --- helpers: trust policy ---------------------------------------------------------------------

    def _principal(self, confused_deputy: bool, input_features: bool) -> iam.IPrincipal:
        return _medialive_principal(self, confused_deputy, input_features)


    # --- helpers: FEATURES' parsers (feature, props) -> grants ------------------------------------------

    def _flag_parts(self, f: Feature, props: dict) -> list[_Part]:
        return [(f.rows, {}, None, f.prop)] if props[f.prop] else []

    def _s3_parts(self, f: Feature, props: dict) -> list[_Part]:
        (row,) = f.rows
        return [self._s3_part(f.prop, row, entry) for entry in props[f.prop]]

    def _mp_parts(self, f: Feature, props: dict) -> list[_Part]:
        if not props[f.prop]:
            return []
        return [(f.rows, {MP_CHANNEL: [self._mp_channel(c) for c in props[f.prop]]}, None, f.prop)]

    def _mpv2_parts(self, f: Feature, props: dict) -> list[_Part]:
        if not props[f.prop]:
            return []
        channels, groups = [], []
        for c in props[f.prop]:
            channel_arn, group_arn = self._mpv2_channel(c)
            channels.append(channel_arn)
            groups.append(group_arn)
        return [(f.rows, {MPV2_CHANNEL: channels, MPV2_CHANNEL_GROUP: _unique(groups)}, None, f.prop)]

    def _ms_parts(self, f: Feature, props: dict) -> list[_Part]:
        containers = props[f.prop]
        if not containers:
            return []
        return [(f.rows, {MS_OBJECT: [self._ms_objects(f.prop, c) for c in containers]}, None, f.prop)]

    def _parameter_parts(self, f: Feature, props: dict) -> list[_Part]:
        params = [self._parameter(p) for p in props["password_parameters"]]
        params += [self._parameter_path(p) for p in props["password_parameter_paths"]]
        return [(f.rows, {SSM_PARAMETER: params}, None, f.prop)] if params else []

    def _key_parts(self, f: Feature, props: dict) -> list[_Part]:
        keys = props[f.prop]
        if not keys:
            return []
        if not props["password_parameters"] and not props["password_parameter_paths"]:
            raise MediaLiveIamError(
                describe(self), "parameter_keys", "KMS keys given without any password parameter",
                "name the parameters (password_parameters or password_parameter_paths) the keys encrypt, or drop "
                "parameter_keys",
            )
        return [(f.rows, {KMS_KEY: [self._key(k) for k in keys]}, None, f.prop)]

    def _secret_parts(self, f: Feature, props: dict) -> list[_Part]:
        secrets = props[f.prop]
        return [(f.rows, {SECRET: [self._secret(f.prop, s) for s in secrets]}, None, f.prop)] if secrets else []

    def _vpc_parts(self, f: Feature, props: dict) -> list[_Part]:
        access = props[f.prop]
        if access is None:
            return []
        if f.input_feature and access.elastic_ip_allocations:
            raise MediaLiveIamError(
                describe(self), "vpc_inputs.elastic_ip_allocations",
                "Elastic IPs apply to VPC output delivery (T9), not to VPC inputs",
                "move them to vpc_delivery=VpcAccess(..., elastic_ip_allocations=[...])",
            )
        return [self._vpc_part(f.prop, f.rows, access)]

    def _eip_parts(self, f: Feature, props: dict) -> list[_Part]:
        access = props["vpc_delivery"]
        if access is None or not access.elastic_ip_allocations:
            return []
        eips = [self._ec2_arn(f.prop, EC2_ELASTIC_IP, "AllocationId", "elastic-ip/", "eipalloc-", a)
                for a in access.elastic_ip_allocations]
        return [(f.rows, {EC2_ELASTIC_IP: eips, EC2_NETWORK_INTERFACE: [render_kind(self, EC2_NETWORK_INTERFACE)]},
                 None, f.prop)]

    def _feed_parts(self, f: Feature, props: dict) -> list[_Part]:
        feeds = props[f.prop]
        return [(f.rows, {INFERENCE_FEED: [self._feed(x) for x in feeds]}, None, f.prop)] if feeds else []

    # --- helpers: inputs -> ARNs -------------------------------------------------------------------

    def _arn(self, prop: str, value: str, service: str, resource_prefix: str | None = None) -> dict | None:
        parts = v.parse_arn(self, prop, value, service=service, partition=self._expected_partition)
        if parts is None:
            return None
        if resource_prefix and not parts["resource"].startswith(resource_prefix):
            raise MediaLiveIamError(
                describe(self), prop, f"{value!r} is not a {service} {resource_prefix.rstrip(':/')} ARN",
                f"give an ARN whose resource part starts with {resource_prefix!r}",
            )
        if "*" in parts["resource"] or "?" in parts["resource"]:
            raise MediaLiveIamError(describe(self), prop, f"{value!r} contains a wildcard",
                                    "name each resource; the construct never widens a grant with wildcards")
        self._partitions.setdefault(parts["partition"], prop)
        return parts

    @staticmethod
    def _is_arn(value: Any) -> bool:
        return isinstance(value, str) and (value.startswith("arn:") or is_token(value))

    def _s3_part(self, prop: str, row: str, entry: BucketLike):
        location = entry if isinstance(entry, S3Location) else S3Location(entry)
        prefix = location.prefix
        v.check_prefix(self, f"{prop}.prefix", prefix)
        self._check_key_prefix(f"{prop}.prefix", prefix)
        bucket = location.bucket
        pattern = f"{prefix or ''}*"
        if isinstance(bucket, str):
            if bucket.startswith("arn:"):
                parts = self._arn(prop, bucket, "s3")
                bucket = parts["resource"] if parts else bucket
            v.check_bucket_name(self, prop, bucket)
            bucket_arn = render_kind(self, S3_BUCKET, BucketName=bucket)
            objects_arn = render_kind(self, S3_OBJECT, BucketName=bucket, ObjectName=pattern)
        elif hasattr(bucket, "bucket_arn"):
            name = getattr(bucket, "bucket_name", None)
            if isinstance(name, str) and not is_token(name):  # s3.Bucket.from_bucket_name(...) takes any string
                v.check_bucket_name(self, prop, name)
            bucket_arn = bucket.bucket_arn
            objects_arn = bucket.arn_for_objects(pattern)
        else:
            raise MediaLiveIamError(describe(self), prop, f"{bucket!r} is neither an IBucket nor a bucket name",
                                    "give an s3.IBucket, a bucket name or S3Location(bucket, prefix)")
        hook = None
        if prefix:
            def hook(row_, grant, _p=pattern):
                # s3:ListBucket is on the bucket: limit the listing to the prefix.
                return {"StringLike": {"s3:prefix": [_p]}} if grant.kinds == (S3_BUCKET,) else None
        return ((row,), {S3_BUCKET: [bucket_arn], S3_OBJECT: [objects_arn]}, hook, prop)

    def _check_key_prefix(self, prop: str, prefix: str | None) -> None:
        """S3 keys never start with '/'; a prefix without a trailing '/' also matches its siblings (``live`` covers
        ``live2/``), which may be meant: a warning, not an error."""
        if prefix is None or is_token(prefix):
            return
        if prefix.startswith("/"):
            raise MediaLiveIamError(
                describe(self), prop, f"key prefix {prefix!r} starts with '/': S3 keys do not, so it matches no object",
                f"write {prefix.lstrip('/')!r}",
            )
        if prefix and not prefix.endswith("/"):
            from aws_cdk import Annotations

            Annotations.of(self).add_warning_v2(
                "medialive-iam:prefix-without-slash",
                f"{describe(self)}: {prop}: key prefix {prefix!r} has no trailing '/', so it also grants keys such as "
                f"{prefix + '2/...'!r}. Fix: write {prefix + '/'!r} if you mean the folder (or keep it if the siblings "
                "are meant).",
            )

    def _arn_or_identifier(self, prop: str, value: str, service: str, resource_prefix: str, what: str, max_len: int,
                           kind: Kind, identifier: str) -> str:
        """A resource given by ARN (checked) or by its identifier (checked, then rendered as ``kind``)."""
        if self._is_arn(value):
            self._arn(prop, value, service, resource_prefix)
            return value
        v.check_identifier(self, prop, value, what, max_len=max_len)
        return render_kind(self, kind, **{identifier: value})

    def _mp_channel(self, value: str) -> str:
        return self._arn_or_identifier("mediapackage_channels", value, "mediapackage", "channels/",
                                       "MediaPackage channel id", 128, MP_CHANNEL, "ChannelIdentifier")

    def _mpv2_channel(self, value: MediaPackageV2Channel) -> tuple[str, str]:
        prop = "mediapackage_v2_channels"
        if isinstance(value, (tuple, list)) and len(value) == 2:
            group, name = value
            v.check_identifier(self, prop, group, "channel group name", max_len=256)
            v.check_identifier(self, prop, name, "channel name", max_len=256)
            return (render_kind(self, MPV2_CHANNEL, ChannelGroupName=group, ChannelName=name),
                    render_kind(self, MPV2_CHANNEL_GROUP, ChannelGroupName=group))
        if isinstance(value, str) and self._is_arn(value):
            parts = self._arn(prop, value, "mediapackagev2", "channelGroup/")
            if parts is None:
                from aws_cdk import Fn
                return value, Fn.select(0, Fn.split("/channel/", value))
            m = re.fullmatch(r"channelGroup/([^/]+)/channel/([^/]+)", parts["resource"])
            if not m:
                raise MediaLiveIamError(describe(self), prop, f"{value!r} is not a MediaPackage v2 channel ARN",
                                        "give arn:...:mediapackagev2:<region>:<account>:channelGroup/<group>/channel/<name>")
            return value, value[: value.index("/channel/")]
        raise MediaLiveIamError(describe(self), prop, f"{value!r} is neither an ARN nor a (group, channel) pair",
                                "give the channel's ARN or ('<channel group>', '<channel>')")

    def _ms_objects(self, prop: str, value: str) -> str:
        if self._is_arn(value):
            self._arn(prop, value, "mediastore", "container/")
            return f"{value}/*"
        v.check_identifier(self, prop, value, "MediaStore container name", max_len=255)
        return render_kind(self, MS_OBJECT, ContainerName=value, ObjectPath="*")

    def _parameter(self, value: Any) -> str:
        prop = "password_parameters"
        if hasattr(value, "parameter_arn"):
            return value.parameter_arn
        if not isinstance(value, str):
            raise MediaLiveIamError(describe(self), prop, f"{value!r} is not a parameter",
                                    "give an ssm.IStringParameter, a parameter name or its ARN")
        if self._is_arn(value):
            self._arn(prop, value, "ssm", "parameter/")
            return value
        v.check_parameter_name(self, prop, value)
        v.check_prefix(self, prop, value)
        return render_kind(self, SSM_PARAMETER, ParameterNameWithoutLeadingSlash=value.lstrip("/"))

    def _parameter_path(self, value: str) -> str:
        prop = "password_parameter_paths"
        v.check_prefix(self, prop, value)
        v.check_ssm_path(self, prop, value)
        return render_kind(self, SSM_PARAMETER, ParameterNameWithoutLeadingSlash=value.lstrip("/") + "*")

    def _key(self, value: Any) -> str:
        prop = "parameter_keys"
        if hasattr(value, "key_arn"):
            return value.key_arn
        if isinstance(value, str) and self._is_arn(value):
            self._arn(prop, value, "kms", "key/")
            return value
        raise MediaLiveIamError(describe(self), prop, f"{value!r} is not a KMS key",
                                "give a kms.IKey or the key's ARN (arn:...:kms:<region>:<account>:key/<id>)")

    def _secret(self, prop: str, value: Any) -> str:
        if hasattr(value, "secret_arn"):
            full = value.secret_full_arn
            return full if full is not None else f"{value.secret_arn}-??????"
        if not isinstance(value, str):
            raise MediaLiveIamError(describe(self), prop, f"{value!r} is not a secret",
                                    "give a secretsmanager.ISecret, a secret name or its ARN")
        if self._is_arn(value):
            parts = self._arn(prop, value, "secretsmanager", "secret:")
            if parts is None or _SECRET_SUFFIX.search(parts["resource"]):
                return value  # a complete ARN (with the 6-character suffix), or a token
            return f"{value}-??????"  # a partial ARN (E21)
        v.check_identifier(self, prop, value, "secret name", extra="/+=@", max_len=512)
        return render_kind(self, SECRET, SecretId=f"{value}-??????")

    def _feed(self, value: str) -> str:
        return self._arn_or_identifier("inference_feeds", value, "elemental-inference", "feed/",
                                       "Elemental Inference feed id", 128, INFERENCE_FEED, "Id")

    def _ec2_arn(self, prop: str, kind: Kind, ident: str, resource_prefix: str, id_prefix: str, value: Any) -> str:
        attr = {"SubnetId": "subnet_id", "SecurityGroupId": "security_group_id"}.get(ident)
        if attr and not isinstance(value, str) and hasattr(value, attr):
            value = getattr(value, attr)
        if not isinstance(value, str):
            raise MediaLiveIamError(describe(self), prop, f"{value!r} is not an id or ARN",
                                    f"give the {id_prefix}... id, its ARN or the CDK object")
        if value.startswith("arn:"):
            self._arn(prop, value, "ec2", resource_prefix)
            return value
        v.check_identifier(self, prop, value, f"{id_prefix.rstrip('-')} id", starts_with=id_prefix, max_len=64)
        return render_kind(self, kind, **{ident: value})

    def _vpc_part(self, prop: str, rows: tuple[str, ...], access: VpcAccess):
        if not list(access.subnets) or not list(access.security_groups):
            raise MediaLiveIamError(
                describe(self), prop, "a VPC feature needs at least one subnet and one security group",
                "give VpcAccess(subnets=[...], security_groups=[...]) with the ones MediaLive's ENIs use",
            )
        subnets = _unique(self._ec2_arn(f"{prop}.subnets", EC2_SUBNET, "SubnetId", "subnet/", "subnet-", s)
                          for s in access.subnets)
        groups = _unique(self._ec2_arn(f"{prop}.security_groups", EC2_SECURITY_GROUP, "SecurityGroupId",
                                       "security-group/", "sg-", g) for g in access.security_groups)

        def hook(row, grant, _subnets=tuple(subnets)):
            # Grants on network interfaces alone (create permission, delete) are limited to ENIs in the given
            # subnets; CreateNetworkInterface is already limited by its subnet and security-group resources.
            if grant.kinds == (EC2_NETWORK_INTERFACE,):
                return {"ArnEquals": {"ec2:Subnet": list(_subnets)}}
            return None

        bindings = {
            EC2_SUBNET: subnets,
            EC2_SECURITY_GROUP: groups,
            EC2_NETWORK_INTERFACE: [render_kind(self, EC2_NETWORK_INTERFACE)],
        }
        return (rows, bindings, hook, prop)


def _boundary_construct(boundary: Any) -> Any:
    """The ``MediaLivePermissionsBoundary`` given as itself or as its ``.policy`` (issue 21: the policy alone used
    to skip the synth-time check of the role's grants against the namespaces); None for any other policy."""
    if boundary is None:
        return None
    if hasattr(boundary, "statements"):
        return boundary
    try:
        scope = boundary.node.scope
    except Exception:  # noqa: BLE001 - AWS managed policies have no construct node (DetachedConstructNodeAccess)
        return None
    return scope if hasattr(scope, "statements") and getattr(scope, "policy", None) is boundary else None


def _is_medialive_boundary(boundary: Any) -> bool:
    """A ``MediaLivePermissionsBoundary`` or its ``.policy``: a boundary whose namespaces the library wrote."""
    return _boundary_construct(boundary) is not None


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


def _medialive_principal(scope: Construct, confused_deputy: bool, input_features: bool) -> iam.IPrincipal:
    """``medialive.amazonaws.com``, with ``aws:SourceAccount`` and ``aws:SourceArn`` (this account's channels, and
    inputs when the role serves input features) unless ``confused_deputy`` is off."""
    if not confused_deputy:
        return iam.ServicePrincipal(catalog.MEDIALIVE_SERVICE)
    source_arns = [render_kind(scope, ML_CHANNEL)]
    if input_features:
        # MediaLive assumes an input's role when it creates/deletes a MediaConnect or VPC input (T6/T7,
        # T11/T12); the official alpha L2 conditions input roles on input:* the same way.
        source_arns.append(render_kind(scope, ML_INPUT))
    return iam.ServicePrincipal(
        catalog.MEDIALIVE_SERVICE,
        conditions={
            "StringEquals": {"aws:SourceAccount": stack_of(scope).account},
            "ArnLike": {"aws:SourceArn": source_arns[0] if len(source_arns) == 1 else source_arns},
        },
    )


def _unique(values: Iterable[str]) -> list[str]:
    out: dict[str, None] = {}
    for value in values:
        out.setdefault(value, None)
    return list(out)


def _grant_pass_role(scope: Construct, grantee: iam.IGrantable, role_arn: str) -> iam.Grant:
    """``iam:PassRole`` of ``role_arn`` to MediaLive only, from catalog row S32."""
    (stmt,) = row_statements(scope, [PASS_ROLE_ROW], bindings={IAM_ROLE: [role_arn]}, prop="grant_pass_role")
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
    ``MediaLiveAccessRole`` (one per account; the console looks for this name). Production workflows should use
    :class:`MediaLiveTrustedRole`.

    :param confused_deputy_conditions: add ``aws:SourceAccount`` / ``aws:SourceArn`` to the trust policy (default).
    :param namespaces: scope the role to the app's ``MediaLiveNamespaces`` instead of the console template's ``*``.
    """

    def __init__(self, scope: Construct, id: str, *, confused_deputy_conditions: bool = True,
                 namespaces: Any = None) -> None:
        super().__init__(scope, id)
        ensure_unique_names(self)
        stack = stack_of(self)
        principal = _medialive_principal(self, confused_deputy_conditions, input_features=True)
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
        self._acknowledge(stack, statements)

    @property
    def managed_policies(self) -> list[iam.ManagedPolicy]:
        """The customer managed policies of the scoped variant (empty for the console copy)."""
        return list(self._policies)

    def _acknowledge(self, stack: Stack, statements: list[dict]) -> None:
        """One acknowledgement per granular finding, on the role that causes it, citing the T rows."""
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
                text = nag_text(stack.resolve(resource))
                if "*" in text:
                    reasons.setdefault(f"AwsSolutions-IAM5[Resource::{text}]", []).append(
                        f"{', '.join(rows)}: {services} on {text}")
        inline = (f"T5, T6, T11, T14, T16, T18: the console template writes the inline policy "
                  f"{CONSOLE_INLINE_POLICY_NAME} (reference §2.2, §2.3) and the console's Update button rewrites it")
        for finding in SIMPLE_ROLE_INLINE_FINDINGS:
            reasons[finding] = [inline]
        for finding, why in sorted(reasons.items()):
            acknowledge(self._role, finding, "; ".join(why) + "; " + broad)



def _row_key(row_id: str) -> tuple:
    m = re.match(r"[A-Z](\d+)(.*)", row_id)
    return (int(m.group(1)), m.group(2)) if m else (0, row_id)
