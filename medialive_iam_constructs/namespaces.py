"""The MediaLive namespaces of an app, and the boundary built from them (issue 11 b).

A permissions boundary is the blast radius of every role the restricted administrator may create: no IAM
condition limits what a role's trust policy says, so whoever can create a role under the boundary can make it
trust anyone. :class:`MediaLiveNamespaces` therefore scopes the trusted-entity rows T5-T23 to the namespaces
the app declares (bucket names and name prefixes, a secret name prefix, a parameter path, KMS keys used through
Parameter Store only, named Elastic IPs, MediaPackage and MediaStore prefixes), as prefixes rather than
per-resource lists so that one policy of 6,144 characters holds any number of workflows.

:func:`uncovered` checks a workflow role's statements against such a boundary at synth: a grant the boundary
would cut fails there, not as a channel that cannot start.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from constructs import Construct

from . import catalog
from . import converters as c
from .catalog.model import Grant, Row
from .catalog import resources as kinds
from .catalog.trusted_entity import SAME_GRANTS_AS
from .errors import MediaLiveIamError, describe
from .statements import Statement, render_kind, row_statements, stack_env
from .template import Pseudo
from .tokens import is_token, stack_of, stack_tokens
from . import validation as v

__all__ = ["MediaLiveNamespaces", "namespace_statements", "uncovered"]

#: The trusted-entity rows with grants (T5-T23), in catalog order; a row whose grants are an older row's
#: (``SAME_GRANTS_AS``: T20.input, T20's secrets) is covered by that row's statement.
TRUSTED_GRANT_ROWS: tuple[str, ...] = tuple(
    r.id for r in catalog.TRUSTED_ROWS
    if r.grants and 5 <= int(r.base_id[1:]) <= 23 and r.id not in SAME_GRANTS_AS
)


@dataclass(frozen=True)
class MediaLiveNamespaces:
    """Where the app's MediaLive resources live. Every field has a default that matches the other constructs'
    defaults (``/medialive/`` parameters, ``medialive`` name prefixes).

    :param bucket_names: S3 buckets (names or ``IBucket`` with a literal name) MediaLive may read and write.
    :param bucket_prefixes: bucket name prefixes (``"medialive-"``): every bucket whose name starts so, in this
        account only (``aws:ResourceAccount``).
    :param secret_prefix: name prefix of the Secrets Manager secrets (SRT passphrases T20, licences T21).
    :param parameter_path: Parameter Store path of the password parameters (T23).
    :param kms_keys: customer managed KMS keys (ARNs or ``IKey``) MediaLive may decrypt with directly. Without
        them, ``kms:Decrypt`` works only through Parameter Store (``kms:ViaService``), for SecureString parameters.
    :param elastic_ip_allocations: the Elastic IPs (``eipalloc-...``) VPC delivery may associate (T9); none: no T9.
    :param mediapackage_channel_prefix: id prefix of MediaPackage v1 channels (T14); with its separator, so that
        ``medialive-`` does not also match ``medialiveprivate``.
    :param mediapackage_v2_channel_groups: MediaPackage v2 channel groups (T15): every channel in them.
    :param mediastore_container_prefix: name prefix of MediaStore containers (T16).
    :param vpcs: the VPCs (ids ``vpc-...``, ARNs or ``IVpc``) whose subnets MediaLive's network interfaces use (T6-T9).
        Given, every EC2 grant on network interfaces, subnets and security groups carries ``ec2:Vpc`` (issue 20:
        ``CreateNetworkInterfacePermission`` then reaches only the ENIs of those VPCs); none (default): the
        account's and region's, as before (docs/threat-model.md).
    """

    bucket_names: Sequence[Any] = ()
    bucket_prefixes: Sequence[str] = ("medialive-",)
    secret_prefix: str = "medialive/"
    parameter_path: str = "/medialive/"
    kms_keys: Sequence[Any] = ()
    elastic_ip_allocations: Sequence[str] = ()
    mediapackage_channel_prefix: str = "medialive-"
    mediapackage_v2_channel_groups: Sequence[str] = ("medialive",)
    mediastore_container_prefix: str = "medialive-"
    vpcs: Sequence[Any] = ()

    def check(self, scope: Construct, prop: str) -> None:
        """Raise :class:`MediaLiveIamError` for a namespace that would reach everything or is malformed."""
        for name, value in (("bucket_names", self.bucket_names), ("bucket_prefixes", self.bucket_prefixes),
                            ("kms_keys", self.kms_keys), ("elastic_ip_allocations", self.elastic_ip_allocations),
                            ("mediapackage_v2_channel_groups", self.mediapackage_v2_channel_groups),
                            ("vpcs", self.vpcs)):
            if isinstance(value, str):
                raise MediaLiveIamError(describe(scope), f"{prop}.{name}", f"{value!r} is a string, not a list",
                                        f"write {name}=[{value!r}]")
        for name in ("secret_prefix", "mediapackage_channel_prefix", "mediastore_container_prefix"):
            value = getattr(self, name)
            v.check_prefix(scope, f"{prop}.{name}", value)
            if not value:
                raise MediaLiveIamError(describe(scope), f"{prop}.{name}", "an empty prefix reaches every resource of "
                                        "its kind in the account", "give the prefix the app's resources share")
        for p in self.bucket_prefixes:
            v.check_prefix(scope, f"{prop}.bucket_prefixes", p)
            if is_token(p) or not re.fullmatch(r"[a-z0-9][a-z0-9.-]{2,}", p):
                raise MediaLiveIamError(
                    describe(scope), f"{prop}.bucket_prefixes", f"{p!r} is not a bucket name prefix of 3 or more "
                    "characters (lowercase letters, digits, '.', '-')", "give e.g. 'medialive-'",
                )
        for name in self.bucket_names:
            if isinstance(name, str):
                v.check_bucket_name(scope, f"{prop}.bucket_names", name)
        v.check_ssm_path(scope, f"{prop}.parameter_path", self.parameter_path)
        if self.parameter_path == "/":
            raise MediaLiveIamError(describe(scope), f"{prop}.parameter_path", "'/' reaches every parameter",
                                    "give the path of MediaLive's parameters, e.g. '/medialive/'")
        for group in self.mediapackage_v2_channel_groups:
            v.check_identifier(scope, f"{prop}.mediapackage_v2_channel_groups", group, "channel group name", max_len=256)
        for vpc in self.vpc_arns(scope):
            if not is_token(vpc) and not re.fullmatch(r"arn:[\w-]+:ec2:[\w-]*:[^:]*:vpc/vpc-[0-9a-f]{8,17}", vpc) \
                    and "${" not in vpc:
                raise MediaLiveIamError(describe(scope), f"{prop}.vpcs", f"{vpc!r} is not a VPC",
                                        "give VPC ids ('vpc-0abc...'), their ARNs or ec2.IVpc objects")
        self._check_arns(scope, prop)

    def _check_arns(self, scope: Construct, prop: str) -> None:
        """The keys, Elastic IPs and VPCs given as ARNs (or CDK objects with a literal ARN) go through the converters a
        trusted role's props use (issue 23): the right service and resource type, the stack's partition and region,
        one partition."""
        partitions = c.Partitions.of(scope)
        for key in self.kms_keys:
            c.key_arn(scope, f"{prop}.kms_keys", key, partitions=partitions)
        for allocation in self.elastic_ip_allocations:
            c.elastic_ip_arn(scope, f"{prop}.elastic_ip_allocations", allocation, partitions=partitions)
        for vpc in self.vpcs:
            c.literal_arn(scope, f"{prop}.vpcs", vpc, "ec2", "vpc/", partitions=partitions)
        v.check_one_partition(scope, partitions.seen)

    # --- ARNs -----------------------------------------------------------------------------------------

    def vpc_arns(self, scope: Construct) -> list[str]:
        """The ARNs of ``vpcs`` (an id is rendered in the stack's partition, region and account)."""
        out = []
        for vpc in self.vpcs:
            vpc = getattr(vpc, "vpc_id", vpc)
            if isinstance(vpc, str) and vpc.startswith("vpc-"):
                vpc = render_kind(scope, kinds.EC2_VPC, VpcId=vpc)
            if not isinstance(vpc, str):
                raise MediaLiveIamError(describe(scope), "namespaces.vpcs", f"{vpc!r} is not a VPC",
                                        "give VPC ids ('vpc-0abc...'), their ARNs or ec2.IVpc objects")
            out.append(vpc)
        return out

    def _bucket_names(self) -> list[str]:
        out = []
        for b in self.bucket_names:
            name = b if isinstance(b, str) else getattr(b, "bucket_name", None)
            if not isinstance(name, str):
                raise TypeError(f"{b!r} is neither a bucket name nor an IBucket")
            out.append(name)
        return out

    def bindings(self, scope: Construct) -> dict[kinds.Kind, list[str]]:
        """The namespaces as ARN patterns per resource kind, what the boundary's statements are bound to."""
        names = self._bucket_names()
        buckets = [render_kind(scope, kinds.S3_BUCKET, BucketName=n) for n in names]
        buckets += [render_kind(scope, kinds.S3_BUCKET, BucketName=p + "*") for p in self.bucket_prefixes]
        objects = [render_kind(scope, kinds.S3_OBJECT, BucketName=n, ObjectName="*") for n in names]
        objects += [render_kind(scope, kinds.S3_OBJECT, BucketName=p + "*", ObjectName="*") for p in self.bucket_prefixes]
        eips = [a if a.startswith("arn:") else render_kind(scope, kinds.EC2_ELASTIC_IP, AllocationId=a)
                for a in self.elastic_ip_allocations]
        out: dict[kinds.Kind, list[str]] = {
            kinds.S3_BUCKET: buckets,
            kinds.S3_OBJECT: objects,
            kinds.SSM_PARAMETER: [render_kind(scope, kinds.SSM_PARAMETER, ParameterNameWithoutLeadingSlash=self.parameter_path[1:] + "*")],
            kinds.SECRET: [render_kind(scope, kinds.SECRET, SecretId=self.secret_prefix + "*")],
            kinds.KMS_KEY: [render_kind(scope, kinds.KMS_KEY)],  # with kms:ViaService (see namespace_statements)
            kinds.EC2_ELASTIC_IP: eips,
            kinds.MP_CHANNEL: [render_kind(scope, kinds.MP_CHANNEL, ChannelIdentifier=self.mediapackage_channel_prefix + "*")],
            kinds.MPV2_CHANNEL: [render_kind(scope, kinds.MPV2_CHANNEL, ChannelGroupName=g, ChannelName="*")
                           for g in self.mediapackage_v2_channel_groups],
            kinds.MPV2_CHANNEL_GROUP: [render_kind(scope, kinds.MPV2_CHANNEL_GROUP, ChannelGroupName=g)
                                 for g in self.mediapackage_v2_channel_groups],
            kinds.MS_OBJECT: [render_kind(scope, kinds.MS_OBJECT, ContainerName=self.mediastore_container_prefix + "*", ObjectPath="*")],
        }
        # Residual (docs/threat-model.md): ENIs, subnets and security groups of this account and region; Inference
        # feeds (ids are generated); the log group is always ElementalMediaLive.
        for kind in (kinds.EC2_NETWORK_INTERFACE, kinds.EC2_SUBNET, kinds.EC2_SECURITY_GROUP, kinds.INFERENCE_FEED, kinds.LOG_GROUP, kinds.LOG_STREAM):
            out[kind] = kind.render_all(**stack_env(scope))
        return out


def namespace_statements(scope: Construct, namespaces: MediaLiveNamespaces,
                         rows: Sequence[str] = TRUSTED_GRANT_ROWS, *, prop: str = "namespaces") -> list[Statement]:
    """The trusted-entity ``rows`` scoped to ``namespaces``: the boundary's statements (and the scoped simple role's).

    T9 (associate Elastic IPs) is left out when no allocation is declared. S3 grants carry ``aws:ResourceAccount``
    (a bucket prefix must not reach another account's buckets); ``kms:Decrypt`` on any key of the account only
    through Parameter Store (``kms:ViaService``), on declared keys directly."""
    namespaces.check(scope, prop)
    rows = [r for r in rows if r != "T9" or namespaces.elastic_ip_allocations]
    env = stack_tokens(stack_of(scope)).env
    account = env["account"]
    kms_row = [r for r in rows if r == "T23.kms"]
    rows = [r for r in rows if r != "T23.kms"]

    vpcs = namespaces.vpc_arns(scope)

    def conditions(row: Row, grant: Grant) -> Mapping | None:
        if any(k in (kinds.S3_BUCKET, kinds.S3_OBJECT) for k in grant.kinds):
            return {"StringEquals": {"aws:ResourceAccount": account}}
        if vpcs and grant.kinds and all(k in (kinds.EC2_NETWORK_INTERFACE, kinds.EC2_SUBNET, kinds.EC2_SECURITY_GROUP)
                                        for k in grant.kinds):
            return {"ArnEquals": {"ec2:Vpc": vpcs}}  # ENIs, subnets, security groups of the app's VPCs only
        return None

    statements = row_statements(scope, rows, bindings=namespaces.bindings(scope), extra_conditions=conditions, prop=prop)
    if kms_row:
        statements += row_statements(
            scope, kms_row, bindings={kinds.KMS_KEY: [render_kind(scope, kinds.KMS_KEY)]}, prop=prop,
            extra_conditions=lambda row, grant: {"StringEquals": {"kms:ViaService": f"ssm.{env['region']}.amazonaws.com"}},
        )
        keys = [k if isinstance(k, str) else k.key_arn for k in namespaces.kms_keys]
        if keys:
            statements += row_statements(scope, kms_row, bindings={kinds.KMS_KEY: keys}, prop=prop)
    return statements


# --- coverage: does a boundary let a role's grants through? -------------------------------------------------

#: A resolved ARN as text with pseudo parameters kept as ``${Partition}``, ``${Region}``, ``${AccountId}`` (without
#: ':' so that an ARN's fields can still be split); None when it holds another intrinsic.
_FLAT = Pseudo()


def named_resources(stack: Any) -> dict[str, str]:
    """What :class:`~medialive_iam_constructs.template.Pseudo` may write for the resources ``stack`` creates with a
    literal name (issue 23, item 3: a bucket the app creates as ``medialive-src`` is inside a boundary of
    ``medialive-*``, and one it creates as ``other-src`` is not): a bucket's ``Ref`` (its name) and ``Arn``, a
    secret's ``Ref`` (its ARN, with the 6-character suffix left as ``??????``), a parameter's ``Ref`` (its name).
    A resource the stack names with a token, or leaves for CloudFormation to name, is not among them; except a role
    (``Arn``) with a literal path, whose generated name is written ``*`` (any name under the path: security review,
    an ``iam.Role`` outside the administrator's role path used to pass as unverifiable)."""
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_secretsmanager as sm
    from aws_cdk import aws_ssm as ssm

    tokens = stack_tokens(stack)
    flat: dict[str, str] = {}

    def add(key: str, value: str) -> None:
        rendered = _FLAT.render(tokens.resolve(value))
        if rendered is not None:
            flat[key] = rendered

    for node in stack.node.find_all():
        if isinstance(node, iam.CfnRole) and stack_of(node) is stack:
            path = "/" if node.path is None else node.path
            if _literal(path):
                name = node.role_name if _literal(node.role_name) else "*"
                add(f"{tokens.resolve(node.logical_id)}.Arn",
                    render_kind(stack, kinds.IAM_ROLE, RoleNameWithPath=path[1:] + name))
        elif isinstance(node, (s3.CfnBucket, sm.CfnSecret, ssm.CfnParameter)) and stack_of(node) is stack:
            lid = tokens.resolve(node.logical_id)
            if isinstance(node, s3.CfnBucket) and _literal(node.bucket_name):
                add(lid, node.bucket_name)
                add(f"{lid}.Arn", render_kind(stack, kinds.S3_BUCKET, BucketName=node.bucket_name))
            elif isinstance(node, sm.CfnSecret) and _literal(node.name):
                add(lid, render_kind(stack, kinds.SECRET, SecretId=f"{node.name}-??????"))
            elif isinstance(node, ssm.CfnParameter) and _literal(node.name):
                add(lid, node.name)
    return flat


def _literal(value: Any) -> bool:
    return isinstance(value, str) and not is_token(value)


def _action_matches(pattern: str, action: str) -> bool:
    return fnmatch.fnmatchcase(action.lower(), pattern.lower())


def _resource_covered(pattern: str, resource: str) -> bool:
    """Every ARN ``resource`` (itself possibly a pattern) stands for matches ``pattern``. Sound when ``pattern``'s
    only wildcard is ``*``: each ``*``/``?`` of ``resource`` must then be absorbed by a ``*`` of ``pattern``."""
    if "?" in pattern:
        return pattern == resource
    return fnmatch.fnmatchcase(resource, pattern.replace("[", "[[]"))


def _known_env(scope: Construct) -> dict[str, str]:
    """The stack's pseudo parameters (as :data:`_FLAT` spells them) that the app knows as literals: account and region
    from ``env``, the partition from ``enablePartitionLiterals`` or, without that flag (a test's ``cdk.App()`` does
    not read ``cdk.json``), from the region (``validation.partition_of_region``)."""
    env = stack_tokens(stack_of(scope)).env
    literal = {"${AccountId}": env["account"], "${Region}": env["region"],
               "${Partition}": env["partition"] if not is_token(env["partition"]) else v.partition_of_region(env["region"])}
    return {pseudo: value for pseudo, value in literal.items() if value is not None and not is_token(value)}


def _unify(pattern: str, resource: str) -> tuple[str, str, bool]:
    """Line up the pseudo parameters an environment-agnostic stack leaves in the ARN fields (partition, region,
    account) of ``pattern`` and ``resource``: where one side names a field literally and the other as
    ``${AWS::...}``, both take the literal. Returns ``(pattern, resource, assumed)``; ``assumed`` is True when a
    region or account was taken this way (the grant is inside the boundary only if the stack deploys there). A
    partition is never an assumption: a grant that names another partition than the deployment's reaches nothing,
    whatever the boundary says."""
    p, r = pattern.split(":", 5), resource.split(":", 5)
    if len(p) < 6 or len(r) < 6:
        return pattern, resource, False
    assumed = False
    for i, pseudo in ((1, "${Partition}"), (3, "${Region}"), (4, "${AccountId}")):
        if p[i] == r[i] or (p[i] != pseudo and r[i] != pseudo):
            continue
        literal = r[i] if p[i] == pseudo else p[i]
        if "${" in literal:
            continue
        p[i] = r[i] = literal
        assumed = assumed or i != 1
    return ":".join(p), ":".join(r), assumed


def _substitute(text: str, known: Mapping[str, str]) -> str:
    for pseudo, literal in known.items():
        text = text.replace(pseudo, literal)
    return text


def _display(text: str) -> str:
    """``text`` with the pseudo parameters left in it spelled as CloudFormation does (``${AWS::Partition}``)."""
    for name, pseudo in Pseudo.NAMES.items():
        text = text.replace(pseudo, "${" + name + "}")
    return text


def uncovered(scope: Construct, statements: Iterable[Statement], boundary: Iterable[Statement], *,
              unknown: list | None = None) -> tuple[list, list]:
    """``(outside, unverifiable)``: the (row, action, resource) of ``statements`` the ``boundary``'s Allow statements
    do not cover, and those the stack cannot check at synth: a resource that is a token of this stack (a bucket it
    creates), or one covered only if an environment-agnostic stack deploys in the region or account it names. With
    ``unknown`` (a list), the grants on a token resource go there instead of into ``unverifiable``.

    Pseudo parameters are compared as the deployment will see them: the stack's known account, region and
    partition (the partition from the region when ``enablePartitionLiterals`` is off) replace ``${AWS::...}`` on
    both sides, so ``Bucket.from_bucket_arn("arn:aws:s3:::b")`` and a boundary of ``arn:${AWS::Partition}:s3:::b``
    agree in an app without ``cdk.json``."""
    stack = stack_of(scope)
    tokens = stack_tokens(stack)
    known = _known_env(scope)
    flat_named: list[Pseudo] = []  # built on the first resource that needs it

    def text(value: Any) -> str | None:
        resolved = tokens.resolve(value)
        flat = _FLAT.render(resolved)
        if flat is None:
            if not flat_named:
                flat_named.append(Pseudo(named_resources(stack)))
            flat = flat_named[0].render(resolved)
        return None if flat is None else _substitute(flat, known)

    allows = []
    for b in boundary:
        if b.effect != "Allow":
            continue
        resources = [text(r) for r in b.resources]
        allows.append((b.actions, [r for r in resources if r is not None]))
    outside, unverifiable = [], []
    for s in statements:
        if s.effect != "Allow":
            continue
        for raw in s.resources:
            resource = text(raw)
            for action in s.actions:
                where = (",".join(sorted(s.rows)), action, raw)
                if resource is None:
                    (unverifiable if unknown is None else unknown).append(where)
                    continue
                verdict = None  # None: not covered; False: covered; True: covered only if deployed where it names
                for acts, pats in allows:
                    if not any(_action_matches(a, action) for a in acts):
                        continue
                    for p in pats:
                        pattern, res, assumed = _unify(p, resource)
                        if _resource_covered(pattern, res):
                            verdict = assumed if verdict is None else (verdict and assumed)
                    if verdict is False:
                        break
                if verdict is None:
                    outside.append((",".join(sorted(s.rows)), action, _display(resource)))
                elif verdict:
                    unverifiable.append(where)
    return outside, unverifiable
