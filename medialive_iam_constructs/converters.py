"""Converters: what a construct is given (a role, an ARN, a path, a group) -> the resources and ARNs its rows bind."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from constructs import IConstruct

from .catalog.resources import CFN_STACK, EVENTS_RULE, IAM_ROLE, IAM_USER, SNS_TOPIC, SSM_PARAMETER, Kind
from .errors import MediaLiveIamError, describe
from .statements import render_kind
from .tokens import is_token, stack_of
from .validation import check_complex_role_name, check_pass_roles_path, parse_arn

if TYPE_CHECKING:
    from aws_cdk import aws_iam as iam

# --- principals and channels (operator groups, admin) ---

#: IAM's policy variable for the caller's user name: ``user/<path>${aws:username}`` is the caller's own user (A9).
OWN_USER = "${aws:username}"


def under_path(scope: IConstruct, kind: Kind, path: str, name: str = "*") -> str:
    """The ARN of the IAM ``kind`` (role, user, group, policy) ``name`` under ``path``: ``...:role/medialive/*``
    (A1-A8 on users, roles and policies under the administrator's paths; S32 with ``pass_roles_by_path``)."""
    (identifier,) = kind.identifier_names
    return render_kind(scope, kind, **{identifier: path[1:] + name})


def own_user_arn(scope: IConstruct, path: str) -> str:
    """A9: the caller's own user under ``path`` (``...:user/<path>${aws:username}``)."""
    return under_path(scope, IAM_USER, path, OWN_USER)


def parameter_arns(scope: IConstruct, parameter_path: str) -> list[str]:
    """S41: the password parameters under ``parameter_path`` (``/medialive/`` -> ``parameter/medialive/*``)."""
    return [render_kind(scope, SSM_PARAMETER, ParameterNameWithoutLeadingSlash=parameter_path[1:] + "*")]


def notification_arns(scope: IConstruct, notification_prefix: str) -> dict[Kind, list[str]]:
    """S26, S40: the EventBridge rules and SNS topics whose names start with ``notification_prefix``."""
    return {
        EVENTS_RULE: [render_kind(scope, EVENTS_RULE, RuleName=notification_prefix + "*")],
        SNS_TOPIC: [render_kind(scope, SNS_TOPIC, TopicName=notification_prefix + "*")],
    }


def notification_values(notification_prefix: str, notification_endpoints: Sequence[str]) -> dict[str, Any]:
    """The values of the catalog's ``${NotificationPrefix}`` and ``${NotificationEndpoints}`` (S26, S40.endpoints)."""
    return {"NotificationPrefix": notification_prefix, "NotificationEndpoints": list(notification_endpoints)}


def stack_arns(scope: IConstruct, stack_prefix: str) -> list[str]:
    """S15, W4: the CloudFormation stacks whose names start with ``stack_prefix`` (``stack/<prefix>*/*``)."""
    return [render_kind(scope, CFN_STACK, StackName=stack_prefix + "*")]


def role_arn(scope: IConstruct, prop: str, value: Any) -> str:
    """The ARN of one IAM role of the stack's account, given as an ``iam.IRole``, a construct exposing ``.role``
    (``MediaLiveTrustedRole``) or a role ARN without wildcards (S32, A7)."""
    arn = value if isinstance(value, str) else _attribute_arn(value)
    if arn is None:
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is neither a role nor a role ARN",
                                "give iam.IRole objects, MediaLiveTrustedRole constructs or role ARNs")
    stack = stack_of(scope)
    parts = parse_arn(scope, prop, arn, service="iam", partition=stack.partition)
    if parts is not None:
        if not parts["resource"].startswith("role/") or "*" in arn or "?" in arn:
            raise MediaLiveIamError(
                describe(scope), prop, f"{arn!r} is not the ARN of one IAM role",
                "give arn:<partition>:iam::<account>:role/<path/name> without wildcards "
                "(use pass_roles_by_path for all roles under a path)",
            )
        if not is_token(stack.account) and parts["account"] != stack.account:
            raise MediaLiveIamError(
                describe(scope), prop, f"{arn!r} is in account {parts['account']}, the stack in {stack.account}",
                "iam:PassRole passes roles of the caller's own account only",
            )
    return arn


def _attribute_arn(value: Any) -> str | None:
    """The ARN of an ``iam.IRole`` or of a construct exposing ``role`` (``MediaLiveTrustedRole``), or None."""
    arn = getattr(value, "role_arn", None)
    if isinstance(arn, str):
        return arn
    arn = getattr(getattr(value, "role", None), "role_arn", None)
    return arn if isinstance(arn, str) else None


def role_name(value: Any, arn: str) -> str | None:
    """The name of the role ``role_arn`` converted ``value`` to: the last part of a literal ARN, else the
    ``role_name`` of the role (or of its ``.role``); a token or None when unknown."""
    if not is_token(arn):
        return arn.rsplit("/", 1)[-1]
    return getattr(value, "role_name", None) or getattr(getattr(value, "role", None), "role_name", None)


def pass_role_arns(scope: IConstruct, trusted_roles: Iterable[Any], pass_roles_by_path: str | None) -> list[str]:
    """S32: the roles an operator group passes to MediaLive, each ARN once: ``trusted_roles`` (:func:`role_arn`, never
    the simple option's console role) and every role under ``pass_roles_by_path``."""
    arns: list[str] = []
    for value in trusted_roles:
        arn = role_arn(scope, "trusted_roles", value)
        check_complex_role_name(scope, "trusted_roles", role_name(value, arn))
        arns.append(arn)
    if pass_roles_by_path is not None:
        check_pass_roles_path(scope, "pass_roles_by_path", pass_roles_by_path)
        arns.append(under_path(scope, IAM_ROLE, pass_roles_by_path))
    return list(dict.fromkeys(arns))


def channel_arn(scope: IConstruct, prop: str, value: str) -> str:
    """The ARN of one MediaLive channel, without wildcards (the channel-scoped rows of ``channel_arns``)."""
    parts = parse_arn(scope, prop, value, service="medialive", partition=stack_of(scope).partition)
    if parts and (not parts["resource"].startswith("channel:") or "*" in value or "?" in value):
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is not the ARN of one MediaLive channel",
            "give arn:<partition>:medialive:<region>:<account>:channel:<id> without wildcards",
        )
    return value


def channel_arns(scope: IConstruct, prop: str, values: Iterable[str]) -> list[str]:
    """:func:`channel_arn` of each value."""
    return [channel_arn(scope, prop, value) for value in values]


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
    if hasattr(value, "rows") and hasattr(value, "statements"):
        return value
    try:
        owner = group_of(value).node.scope
    except Exception:  # noqa: BLE001 - imported groups (Group.from_group_name) have no construct scope to read
        owner = None
    if hasattr(owner, "rows") and hasattr(owner, "statements") and getattr(owner, "group", None) is group_of(value):
        return owner
    raise MediaLiveIamError(
        describe(scope), prop,
        f"{describe(group_of(value))} is not a MediaLiveOperatorGroup: the administrator adds users of its own to its "
        "groups (A1, A4), so it would hold whatever this group holds, which cannot be checked",
        "pass MediaLiveOperatorGroup constructs; manage groups made elsewhere outside the RestrictedAdmin",
    )


def permissions_boundary(scope: IConstruct, prop: str, value: Any) -> tuple[Any, iam.IManagedPolicy]:
    """A permissions boundary given as a ``MediaLivePermissionsBoundary`` or an ``iam.IManagedPolicy``: the
    ``MediaLivePermissionsBoundary`` (None for a policy, its own ``.policy`` included) and the policy."""
    construct = value if hasattr(value, "statements") and hasattr(value, "namespaces") else None
    policy = construct.policy if construct is not None else value
    if not hasattr(policy, "managed_policy_arn"):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is not a policy",
                                "give a MediaLivePermissionsBoundary or an iam.IManagedPolicy")
    return construct, policy
