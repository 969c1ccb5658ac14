"""Converters: what a construct's props accept (CDK L2 objects, ARNs, names, ids, paths, prefixes, (group, channel)
pairs) turned into the ARNs its grants bind, one function per kind of input, shared by every construct, so that the
same kind of prop takes the same forms on every construct.

Pure functions: each checks a value (with :mod:`~medialive_iam_constructs.validation`) and returns ARNs, or raises a
:class:`~.errors.MediaLiveIamError` naming the construct, the prop and the fix. ``scope`` is read only for that name,
for the stack's partition, region and account, and for warnings. State shared by the props of one construct call
(the partitions of the ARNs seen) is a :class:`Partitions` the caller creates and passes in.

Sections: ARNs in general; IAM principals (users, roles, groups, boundaries); what operators reach by name (password
parameters, notifications, stacks, channels); the workflow resources of ``MediaLiveTrustedRole`` (T6-T23).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple, Sequence

from constructs import IConstruct

from . import validation as v
from .catalog import resources as kinds
from .catalog.resources import Kind
from .errors import MediaLiveIamError, describe
from .statements import render_kind
from .tokens import is_token, stack_of

if TYPE_CHECKING:
    from aws_cdk import aws_iam as iam

#: IAM's policy variable for the caller's user name: ``user/<path>${aws:username}`` is the caller's own user (A9).
OWN_USER = "${aws:username}"

_MPV2_CHANNEL_RESOURCE = re.compile(r"channelGroup/([^/]+)/channel/([^/]+)")


# --- ARNs ----------------------------------------------------------------------------------------------------------

@dataclass
class Partitions:
    """The partitions of the ARNs one construct call was given (a role lives in one partition: see
    :func:`~.validation.check_one_partition`). Create one per construct call and pass it to every converter.

    :param expected: the partition of the stack's region when the region is known (CDK keeps ``Stack.partition`` a
        token even then), else None: any one partition is accepted.
    :param seen: each partition named by an ARN, with the first prop that named it.
    :param region: the stack's region when it is known, else None: an ARN naming another region fails.
    """

    expected: str | None
    seen: dict[str, str] = field(default_factory=dict)
    region: str | None = None

    @classmethod
    def of(cls, scope: IConstruct) -> Partitions:
        """Nothing seen yet; ``expected`` and ``region`` from ``scope``'s stack's region."""
        region = stack_of(scope).region
        return cls(v.partition_of_region(region), region=None if is_token(region) else region)


def is_arn(value: Any) -> bool:
    """A string that is an ARN or a token (an ARN known at deploy); anything else is a name or id."""
    return isinstance(value, str) and (value.startswith("arn:") or is_token(value))


def arn_parts(scope: IConstruct, prop: str, value: str, service: str, resource_prefix: str | None = None, *,
              partitions: Partitions | None = None, one: tuple[str, str] | None = None) -> dict | None:
    """``value`` checked as the ARN of one ``service`` resource whose resource part starts with ``resource_prefix``,
    in the expected partition and region and without wildcards; its parts (None for a token). Its partition is added
    to ``partitions.seen`` (without ``partitions``: checked against the stack's region, recorded nowhere).

    :param one: ``(what, fix)``: a resource of another type or a wildcard is then one error, ``... is not the ARN of
        one <what>`` with ``fix`` (the roles and channels of operator groups: ``("IAM role", "give arn:...")``).
    """
    partitions = partitions if partitions is not None else Partitions.of(scope)
    parts = v.parse_arn(scope, prop, value, service=service, partition=partitions.expected, region=partitions.region)
    if parts is None:
        return None
    resource = parts["resource"]
    other_type = bool(resource_prefix) and not resource.startswith(resource_prefix)
    wildcard = "*" in resource or "?" in resource
    if one is not None and (other_type or wildcard):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not the ARN of one {one[0]}", one[1])
    if other_type:
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is not a {service} {resource_prefix.rstrip(':/')} ARN",
            f"give an ARN whose resource part starts with {resource_prefix!r}",
        )
    if wildcard:
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} contains a wildcard",
                                "name each resource; the construct never widens a grant with wildcards")
    partitions.seen.setdefault(parts["partition"], prop)
    return parts


def arn_or_identifier(scope: IConstruct, prop: str, value: str, *, service: str, resource_prefix: str, what: str,
                      max_len: int, kind: Kind, identifier: str, partitions: Partitions | None = None) -> str:
    """A resource given by its ARN (checked by :func:`arn_parts`) or by its identifier (checked, then rendered as
    ``kind`` in the stack's partition, region and account, the identifier filled in as ``identifier``)."""
    if is_arn(value):
        arn_parts(scope, prop, value, service, resource_prefix, partitions=partitions)
        return value
    v.check_identifier(scope, prop, value, what, max_len=max_len)
    return render_kind(scope, kind, **{identifier: value})


# --- IAM principals: users, roles, groups, boundaries (operator groups, RestrictedAdmin, MediaLiveTrustedRole) ------

def under_path(scope: IConstruct, kind: Kind, path: str, name: str = "*") -> str:
    """The ARN of the IAM ``kind`` (role, user, group, policy) ``name`` under ``path``: ``...:role/medialive/*``
    (A1-A8 on users, roles and policies under the administrator's paths; S32 with ``pass_roles_by_path``)."""
    (identifier,) = kind.identifier_names
    return render_kind(scope, kind, **{identifier: path[1:] + name})


def own_user_arn(scope: IConstruct, path: str) -> str:
    """A9: the caller's own user under ``path`` (``...:user/<path>${aws:username}``)."""
    return under_path(scope, kinds.IAM_USER, path, OWN_USER)


def role_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """The ARN of one IAM role of the stack's account and partition, given as an ``iam.IRole``, a construct exposing
    ``.role`` (``MediaLiveTrustedRole``) or a role ARN without wildcards (S32, A7)."""
    arn = value if isinstance(value, str) else _role_attribute(value, "role_arn")
    if arn is None:
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is neither a role nor a role ARN",
                                "give iam.IRole objects, MediaLiveTrustedRole constructs or role ARNs")
    parts = arn_parts(scope, prop, arn, "iam", "role/", partitions=partitions, one=(
        "IAM role", "give arn:<partition>:iam::<account>:role/<path/name> without wildcards "
        "(use pass_roles_by_path for all roles under a path)"))
    _own_account(scope, prop, arn, parts, "iam:PassRole passes roles of the caller's own account only")
    return arn


def user_arn(scope: IConstruct, prop: str, value: Any) -> str | None:
    """The ARN of an ``iam.IUser`` a group adds, checked when it is literal (``iam.User.from_user_arn``) as the ARN of
    one IAM user of the stack's account and partition; None for a token. Security review: a membership names the
    user only, so another account's ``alice`` added this account's ``alice``."""
    arn = getattr(value, "user_arn", None)
    if not isinstance(arn, str) or is_token(arn):
        return None
    parts = arn_parts(scope, prop, arn, "iam", "user/", one=(
        "IAM user", "give arn:<partition>:iam::<account>:user/<path/name> without wildcards, or the user's name"))
    _own_account(scope, prop, arn, parts, "give a user of the stack's account: a group's members are users of its "
                 "own account, and IAM would add this account's user of that name")
    return arn


def _own_account(scope: IConstruct, prop: str, arn: str, parts: dict | None, why: str) -> None:
    """The ARN (``parts``, None for a token) names the stack's account when both are known; ``why`` is the fix."""
    account = stack_of(scope).account
    if parts is not None and not is_token(account) and parts["account"] != account:
        raise MediaLiveIamError(describe(scope), prop, f"{arn!r} is in account {parts['account']}, the stack in {account}",
                                why)


def _role_attribute(value: Any, name: str) -> str | None:
    """The string attribute ``name`` (``role_arn``, ``role_name``) of an ``iam.IRole`` or of the ``.role`` of a
    construct (``MediaLiveTrustedRole``), or None."""
    found = getattr(value, name, None)
    if isinstance(found, str):
        return found
    found = getattr(getattr(value, "role", None), name, None)
    return found if isinstance(found, str) else None


def role_name(value: Any, arn: str) -> str | None:
    """The name of the role ``role_arn`` converted ``value`` to: the last part of a literal ARN, else the
    ``role_name`` of the role (or of its ``.role``); a token or None when unknown."""
    if not is_token(arn):
        return arn.rsplit("/", 1)[-1]
    name = _role_attribute(value, "role_name")
    if name is None or not is_token(name):
        return name
    # a role made in this app: its CfnRole holds the literal name (role_name is a Ref token)
    literal = getattr(v.role_child(value), "role_name", None)
    return literal if isinstance(literal, str) else name


def app_role(scope: IConstruct, arn: Any) -> Any:
    """The ``iam.CfnRole`` of the app whose ARN the token ``arn`` is (``{"Fn::GetAtt": [<logical id>, "Arn"]}``:
    a role made in the app, given as its ``role_arn`` or re-imported with ``iam.Role.from_role_arn``), preferring
    ``scope``'s stack; None for a literal ARN or a token of anything else (a parameter, an import)."""
    if not is_token(arn):
        return None
    from aws_cdk import aws_iam as iam

    from .tokens import stack_tokens

    stack = stack_of(scope)
    resolved = stack_tokens(stack).resolve(arn)
    target = resolved.get("Fn::GetAtt") if isinstance(resolved, dict) and len(resolved) == 1 else None
    if not (isinstance(target, list) and len(target) == 2 and target[1] == "Arn"):
        return None
    found = [node for node in scope.node.root.node.find_all() if isinstance(node, iam.CfnRole)
             and stack_tokens(stack_of(node)).resolve(node.logical_id) == target[0]]
    found.sort(key=lambda node: stack_of(node) is not stack)
    return found[0] if found else None


def role_identity(scope: IConstruct, value: Any, arn: str) -> tuple[str | None, str | None]:
    """``(name, path)`` of the role ``role_arn`` converted ``value`` to, each None when unknown at synth: from a
    literal ARN, from the role's ``CfnRole`` when the app makes it (an ``iam.Role``, a construct's ``.role``, or its
    ``role_arn`` token, also re-imported: :func:`app_role`); a name IAM generates is None."""
    child = v.role_child(value)
    cfn = child if child is not None and hasattr(child, "role_name") and hasattr(child, "path") else None
    cfn = cfn if cfn is not None else app_role(scope, arn)
    if cfn is None:
        name = role_name(value, arn)
        return (None if is_token(name) else name), v.role_path_of(value if not isinstance(value, str) else arn)
    name, path = cfn.role_name, cfn.path
    return (name if isinstance(name, str) and not is_token(name) else None,
            "/" if path is None else (path if isinstance(path, str) and not is_token(path) else None))


def pass_role_arns(scope: IConstruct, trusted_roles: Iterable[Any], pass_roles_by_path: str | None, *,
                   partitions: Partitions | None = None) -> list[str]:
    """S32: the roles an operator group passes to MediaLive, each ARN once: ``trusted_roles`` (:func:`role_arn`, never
    the simple option's console role) and every role under ``pass_roles_by_path``."""
    arns: list[str] = []
    for value in trusted_roles:
        arn = role_arn(scope, "trusted_roles", value, partitions=partitions)
        v.check_complex_role_name(scope, "trusted_roles", role_identity(scope, value, arn)[0],
                                  simple_role=_is_simple_role(value))
        arns.append(arn)
    if pass_roles_by_path is not None:
        v.check_pass_roles_path(scope, "pass_roles_by_path", pass_roles_by_path)
        arns.append(under_path(scope, kinds.IAM_ROLE, pass_roles_by_path))
    return list(dict.fromkeys(arns))


def _is_simple_role(value: Any) -> bool:
    """A ``MediaLiveAccessRole`` or ``MediaLiveConsoleRole`` (the simple option's role, whatever ARN it carries)."""
    from .trusted_role import MediaLiveAccessRole, MediaLiveConsoleRole

    return isinstance(value, (MediaLiveAccessRole, MediaLiveConsoleRole))


def group_of(value: Any) -> iam.IGroup:
    """The ``iam.IGroup`` given as itself or as a construct's ``.group`` (``MediaLiveOperatorGroup``)."""
    group = getattr(value, "group", value)
    if not hasattr(group, "group_arn"):
        raise TypeError(f"{value!r} is neither an iam.IGroup nor an object with a .group attribute")
    return group


def operator_group_of(scope: IConstruct, prop: str, value: Any) -> Any:
    """The ``MediaLiveOperatorGroup`` behind ``value`` (the construct or its ``.group``). A group made otherwise is
    refused: the administrator creates users and adds them to its groups (A1, A4), so it holds whatever they hold,
    and what a group made elsewhere holds cannot be checked (second review: a plain group with S29/S31, or with
    policies under the administrator's policy path)."""
    if _is_operator_group(value):
        return value
    owner = _owner(group_of(value), "group", _is_operator_group)
    if owner is not None:
        return owner
    raise MediaLiveIamError(
        describe(scope), prop,
        f"{describe(group_of(value))} is not a MediaLiveOperatorGroup: the administrator adds users of its own to its "
        "groups (A1, A4), so it would hold whatever this group holds, which cannot be checked",
        "pass MediaLiveOperatorGroup constructs; manage groups made elsewhere outside the RestrictedAdmin",
    )


def permissions_boundary(scope: IConstruct, prop: str, value: Any, *,
                         own_policy: bool = False) -> tuple[Any, iam.IManagedPolicy | None]:
    """A permissions boundary given as a ``MediaLivePermissionsBoundary``, an ``iam.IManagedPolicy`` or None: the
    ``MediaLivePermissionsBoundary`` (None for any other policy) and the policy (None for None).

    :param own_policy: a ``MediaLivePermissionsBoundary``'s own ``.policy`` stands for the construct
        (``MediaLiveTrustedRole``, issue 21: the policy alone used to skip the synth-time check of the role's grants
        against the namespaces); without it, that policy is a plain policy (``RestrictedAdmin.boundary`` is None).
    """
    construct = _boundary_construct(value, own_policy)
    policy = construct.policy if construct is not None else value
    if policy is not None and not hasattr(policy, "managed_policy_arn"):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not a policy",
                                "give a MediaLivePermissionsBoundary or an iam.IManagedPolicy")
    return construct, policy


def _boundary_construct(value: Any, own_policy: bool) -> Any:
    """The ``MediaLivePermissionsBoundary`` ``value`` is, or (``own_policy``) whose ``.policy`` it is; else None."""
    if _is_boundary(value):
        return value
    return _owner(value, "policy", _is_boundary) if own_policy else None


def _is_boundary(value: Any) -> bool:
    """A ``MediaLivePermissionsBoundary`` (its statements and namespaces; restricted_admin.py imports this module)."""
    return hasattr(value, "statements") and hasattr(value, "namespaces")


def _is_operator_group(value: Any) -> bool:
    """A ``MediaLiveOperatorGroup`` (its rows and statements; operator_group.py imports this module)."""
    return hasattr(value, "rows") and hasattr(value, "statements")


def _owner(part: Any, attribute: str, is_owner: Callable[[Any], bool]) -> Any:
    """The construct that made ``part`` and holds it as ``attribute`` (an operator group's ``.group``, a boundary's
    ``.policy``), when ``is_owner`` says it is one of this library's; else None."""
    try:
        owner = part.node.scope
    except Exception:  # noqa: BLE001 - what is outside the construct tree (AWS managed policies, None) has no scope
        return None
    return owner if is_owner(owner) and getattr(owner, attribute, None) is part else None


# --- what operators reach by name: password parameters, notifications, stacks, channels (S15, S26, S40, S41, W4) --

def parameter_arns(scope: IConstruct, parameter_path: str) -> list[str]:
    """S41: the password parameters under ``parameter_path`` (``/medialive/`` -> ``parameter/medialive/*``)."""
    return [render_kind(scope, kinds.SSM_PARAMETER, ParameterNameWithoutLeadingSlash=parameter_path[1:] + "*")]


def notification_arns(scope: IConstruct, notification_prefix: str) -> dict[Kind, list[str]]:
    """S26, S40: the EventBridge rules and SNS topics whose names start with ``notification_prefix``."""
    return {
        kinds.EVENTS_RULE: [render_kind(scope, kinds.EVENTS_RULE, RuleName=notification_prefix + "*")],
        kinds.SNS_TOPIC: [render_kind(scope, kinds.SNS_TOPIC, TopicName=notification_prefix + "*")],
    }


def notification_values(notification_prefix: str, notification_endpoints: Sequence[str]) -> dict[str, Any]:
    """The values of the catalog's ``${NotificationPrefix}`` and ``${NotificationEndpoints}`` (S26, S40.endpoints)."""
    return {"NotificationPrefix": notification_prefix, "NotificationEndpoints": list(notification_endpoints)}


def stack_arns(scope: IConstruct, stack_prefix: str) -> list[str]:
    """S15, W4: the CloudFormation stacks whose names start with ``stack_prefix`` (``stack/<prefix>*/*``)."""
    return [render_kind(scope, kinds.CFN_STACK, StackName=stack_prefix + "*")]


def channel_arn(scope: IConstruct, prop: str, value: str, *, partitions: Partitions | None = None) -> str:
    """The ARN of one MediaLive channel of the stack's partition, region and account (when known), without wildcards
    (the channel-scoped rows of ``channel_arns``). MediaLive has no resource policies: another account's channel is
    never reachable."""
    parts = arn_parts(scope, prop, value, "medialive", "channel:", partitions=partitions, one=(
        "MediaLive channel", "give arn:<partition>:medialive:<region>:<account>:channel:<id> without wildcards"))
    _own_account(scope, prop, value, parts, "give a channel of the stack's account: MediaLive has no resource "
                 "policies, so no grant reaches another account's channel")
    return value


def channel_arns(scope: IConstruct, prop: str, values: Iterable[str], *, partitions: Partitions | None = None
                 ) -> list[str]:
    """:func:`channel_arn` of each value."""
    return [channel_arn(scope, prop, value, partitions=partitions) for value in values]


# --- workflow resources (MediaLiveTrustedRole, T6-T23) -------------------------------------------------------------

class BucketArns(NamedTuple):
    """What one S3 location grants on (T18, T19): the bucket (``s3:ListBucket``) and its objects."""

    #: The bucket's ARN.
    bucket: str
    #: Its objects under the key prefix (``arn:...:bucket/prefix*``; ``bucket/*`` without a prefix).
    objects: str
    #: The key pattern ``prefix*`` the listing is limited to, or None (no prefix: the whole bucket).
    prefix_pattern: str | None


def bucket_arns(scope: IConstruct, prop: str, bucket: Any, prefix: str | None = None, *,
                partitions: Partitions | None = None, warn_siblings: bool = True) -> BucketArns:
    """An S3 bucket, as an ``s3.IBucket``, a bucket name or a bucket ARN, optionally narrowed to a literal key
    ``prefix`` (checked as ``<prop>.prefix``; ``warn_siblings``: see ``validation.check_key_prefix``) (T18, T19)."""
    v.check_prefix(scope, f"{prop}.prefix", prefix)
    v.check_key_prefix(scope, f"{prop}.prefix", prefix, warn_siblings=warn_siblings)
    pattern = f"{prefix or ''}*"
    if isinstance(bucket, str):
        if bucket.startswith("arn:"):
            parts = arn_parts(scope, prop, bucket, "s3", partitions=partitions)
            bucket = parts["resource"] if parts else bucket
        v.check_bucket_name(scope, prop, bucket)
        bucket_arn = render_kind(scope, kinds.S3_BUCKET, BucketName=bucket)
        objects_arn = render_kind(scope, kinds.S3_OBJECT, BucketName=bucket, ObjectName=pattern)
    elif hasattr(bucket, "bucket_arn"):
        name = getattr(bucket, "bucket_name", None)
        if isinstance(name, str) and not is_token(name):  # s3.Bucket.from_bucket_name(...) takes any string
            v.check_bucket_name(scope, prop, name)
        bucket_arn = bucket.bucket_arn
        objects_arn = bucket.arn_for_objects(pattern)
    else:
        raise MediaLiveIamError(describe(scope), prop, f"{bucket!r} is neither an IBucket nor a bucket name",
                                "give an s3.IBucket, a bucket name or S3Location(bucket, prefix)")
    return BucketArns(bucket_arn, objects_arn, pattern if prefix else None)


def mediapackage_channel_arn(scope: IConstruct, prop: str, value: str, *, partitions: Partitions | None = None) -> str:
    """A MediaPackage v1 channel, by id or ARN (T14)."""
    return arn_or_identifier(scope, prop, value, service="mediapackage", resource_prefix="channels/",
                             what="MediaPackage channel id", max_len=128, kind=kinds.MP_CHANNEL,
                             identifier="ChannelIdentifier", partitions=partitions)


def mediapackage_v2_channel_arns(scope: IConstruct, prop: str, value: Any, *,
                                 partitions: Partitions | None = None) -> tuple[Any, Any]:
    """A MediaPackage v2 channel, as its ARN or a ``(channel group, channel)`` pair: (the channel's ARN, its
    channel group's ARN) (T15). A token ARN's group is cut from it at deploy (``Fn.select``/``Fn.split``)."""
    if isinstance(value, (tuple, list)) and len(value) == 2:
        group, name = value
        v.check_identifier(scope, prop, group, "channel group name", max_len=256)
        v.check_identifier(scope, prop, name, "channel name", max_len=256)
        return (render_kind(scope, kinds.MPV2_CHANNEL, ChannelGroupName=group, ChannelName=name),
                render_kind(scope, kinds.MPV2_CHANNEL_GROUP, ChannelGroupName=group))
    if is_arn(value):
        parts = arn_parts(scope, prop, value, "mediapackagev2", "channelGroup/", partitions=partitions)
        if parts is None:
            from aws_cdk import Fn

            return value, Fn.select(0, Fn.split("/channel/", value))
        if not _MPV2_CHANNEL_RESOURCE.fullmatch(parts["resource"]):
            raise MediaLiveIamError(
                describe(scope), prop, f"{value!r} is not a MediaPackage v2 channel ARN",
                "give arn:...:mediapackagev2:<region>:<account>:channelGroup/<group>/channel/<name>",
            )
        return value, value[: value.index("/channel/")]
    raise MediaLiveIamError(describe(scope), prop, f"{value!r} is neither an ARN nor a (group, channel) pair",
                            "give the channel's ARN or ('<channel group>', '<channel>')")


def mediastore_objects_arn(scope: IConstruct, prop: str, value: str, *, partitions: Partitions | None = None) -> str:
    """Every object of a MediaStore container, given by name or ARN (T16)."""
    if is_arn(value):
        arn_parts(scope, prop, value, "mediastore", "container/", partitions=partitions)
        return f"{value}/*"
    v.check_identifier(scope, prop, value, "MediaStore container name", max_len=255)
    return render_kind(scope, kinds.MS_OBJECT, ContainerName=value, ObjectPath="*")


def parameter_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """A Parameter Store parameter, as an ``ssm.IStringParameter``, a name (``/medialive/news/pw``) or an ARN
    (T23)."""
    if hasattr(value, "parameter_arn"):
        literal_arn(scope, prop, value.parameter_arn, "ssm", "parameter/", partitions=partitions)
        return value.parameter_arn
    if not isinstance(value, str):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not a parameter",
                                "give an ssm.IStringParameter, a parameter name or its ARN")
    if is_arn(value):
        arn_parts(scope, prop, value, "ssm", "parameter/", partitions=partitions)
        return value
    v.check_parameter_name(scope, prop, value)
    v.check_prefix(scope, prop, value)
    return render_kind(scope, kinds.SSM_PARAMETER, ParameterNameWithoutLeadingSlash=value.lstrip("/"))


def parameter_path_arn(scope: IConstruct, prop: str, value: str) -> str:
    """Every parameter under a literal path (``/medialive/news/``) (T23)."""
    v.check_prefix(scope, prop, value)
    v.check_ssm_path(scope, prop, value)
    return render_kind(scope, kinds.SSM_PARAMETER, ParameterNameWithoutLeadingSlash=value.lstrip("/") + "*")


def key_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """A customer managed KMS key, as a ``kms.IKey`` or its ARN (T23.kms)."""
    if hasattr(value, "key_arn"):
        literal_arn(scope, prop, value.key_arn, "kms", "key/", partitions=partitions)
        return value.key_arn
    if is_arn(value):
        arn_parts(scope, prop, value, "kms", "key/", partitions=partitions)
        return value
    raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not a KMS key",
                            "give a kms.IKey or the key's ARN (arn:...:kms:<region>:<account>:key/<id>)")


def secret_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """A Secrets Manager secret, as a ``secretsmanager.ISecret``, a name or an ARN (T20, T21). A name or a partial
    ARN (without the 6-character suffix Secrets Manager appends) gets ``-??????`` (E21). A name that ends with what
    looks like that suffix fails or warns (:func:`~.validation.check_secret_name`); an ARN whose end may or may not be
    it warns (:func:`~.validation.check_secret_arn_suffix`); an ``ISecret`` says which it is."""
    if hasattr(value, "secret_arn"):
        full = value.secret_full_arn
        arn = full if full is not None else value.secret_arn
        literal_arn(scope, prop, arn, "secretsmanager", "secret:", partitions=partitions)
        return full if full is not None else f"{value.secret_arn}-??????"
    if not isinstance(value, str):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not a secret",
                                "give a secretsmanager.ISecret, a secret name or its ARN")
    if is_arn(value):
        parts = arn_parts(scope, prop, value, "secretsmanager", "secret:", partitions=partitions)
        if parts is None:
            return value  # a token
        name = parts["resource"][len("secret:"):]
        if v.secret_suffix(name) is not None:
            v.check_secret_arn_suffix(scope, prop, value, name)
            return value  # a complete ARN (with the 6-character suffix)
        return f"{value}-??????"  # a partial ARN (E21)
    v.check_identifier(scope, prop, value, "secret name", extra="/+=@", max_len=512)
    v.check_secret_name(scope, prop, value)
    return render_kind(scope, kinds.SECRET, SecretId=f"{value}-??????")


def literal_arn(scope: IConstruct, prop: str, arn: Any, service: str, resource_prefix: str, *,
                partitions: Partitions | None = None) -> None:
    """The ARN a CDK object carries (``Secret.from_secret_complete_arn``, ``Key.from_key_arn``), checked as a string
    ARN is (:func:`arn_parts`: partition, region) when it is literal; a token (a resource of the app) is not."""
    if isinstance(arn, str) and arn.startswith("arn:"):
        arn_parts(scope, prop, arn, service, resource_prefix, partitions=partitions)


def inference_feed_arn(scope: IConstruct, prop: str, value: str, *, partitions: Partitions | None = None) -> str:
    """An AWS Elemental Inference feed, by id or ARN (T10)."""
    return arn_or_identifier(scope, prop, value, service="elemental-inference", resource_prefix="feed/",
                             what="Elemental Inference feed id", max_len=128, kind=kinds.INFERENCE_FEED,
                             identifier="Id", partitions=partitions)


def _ec2_arn(scope: IConstruct, prop: str, value: Any, *, kind: Kind, identifier: str, resource_prefix: str,
             id_prefix: str, attribute: str | None, partitions: Partitions | None) -> str:
    """An EC2 resource, as its id (``<id_prefix>...``), its ARN or a CDK object carrying the id as ``attribute``."""
    if attribute and not isinstance(value, str) and hasattr(value, attribute):
        value = getattr(value, attribute)
    if not isinstance(value, str):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not an id or ARN",
                                f"give the {id_prefix}... id, its ARN or the CDK object")
    if value.startswith("arn:"):
        arn_parts(scope, prop, value, "ec2", resource_prefix, partitions=partitions)
        return value
    v.check_identifier(scope, prop, value, f"{id_prefix.rstrip('-')} id", starts_with=id_prefix, max_len=64)
    return render_kind(scope, kind, **{identifier: value})


def subnet_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """A subnet, as an ``ec2.ISubnet``, an id (``subnet-...``) or an ARN (T6-T8)."""
    return _ec2_arn(scope, prop, value, kind=kinds.EC2_SUBNET, identifier="SubnetId", resource_prefix="subnet/",
                    id_prefix="subnet-", attribute="subnet_id", partitions=partitions)


def security_group_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """A security group, as an ``ec2.ISecurityGroup``, an id (``sg-...``) or an ARN (T6-T8)."""
    return _ec2_arn(scope, prop, value, kind=kinds.EC2_SECURITY_GROUP, identifier="SecurityGroupId",
                    resource_prefix="security-group/", id_prefix="sg-", attribute="security_group_id",
                    partitions=partitions)


def elastic_ip_arn(scope: IConstruct, prop: str, value: Any, *, partitions: Partitions | None = None) -> str:
    """An Elastic IP, as an allocation id (``eipalloc-...``) or an ARN (T9)."""
    return _ec2_arn(scope, prop, value, kind=kinds.EC2_ELASTIC_IP, identifier="AllocationId",
                    resource_prefix="elastic-ip/", id_prefix="eipalloc-", attribute=None, partitions=partitions)
