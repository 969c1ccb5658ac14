"""Prop checks that raise :class:`MediaLiveIamError` at synth, before anything is created.

Rules come from the IAM API (botocore service model, reference §7.2) and S3's bucket naming rules.
Values that are CDK tokens (unknown until deploy) are not checked as strings.
"""

from __future__ import annotations

import re
from typing import Mapping, Sized

from .catalog import SIMPLE_ROLE_NAME
from .errors import MediaLiveIamError, describe
from .tokens import is_token

_NAME = re.compile(r"^[\w+=,.@-]+$")
_PATH = re.compile(r"^(/|/[\u0021-\u007E]+/)$")
_POLICY_PATH = re.compile(r"^((/[A-Za-z0-9\.,\+@=_-]+)*)/$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_ARN = re.compile(r"^arn:(?P<partition>aws[a-z-]*):(?P<service>[a-z0-9-]+):(?P<region>[a-z0-9-]*):(?P<account>\d{12}|aws|):(?P<resource>.+)$")
_SSM_NAME = re.compile(r"^[A-Za-z0-9_./-]+$")

NAME_LIMITS = {"role": 64, "user": 64, "group": 128, "policy": 128}


def check_name(scope, prop: str, value: str | None, kind: str) -> None:
    """IAM names: ``[\\w+=,.@-]``, 1..64 (role, user) or 1..128 (group, policy) characters."""
    if value is None or is_token(value):
        return
    limit = NAME_LIMITS[kind]
    if not 1 <= len(value) <= limit:
        raise MediaLiveIamError(
            describe(scope), prop, f"{kind} name {value!r} has {len(value)} characters; IAM allows 1 to {limit}",
            f"use a shorter name (at most {limit} characters)",
        )
    if not _NAME.match(value):
        bad = sorted({c for c in value if not re.match(r"[\w+=,.@-]", c)})
        raise MediaLiveIamError(
            describe(scope), prop, f"{kind} name {value!r} has characters IAM does not allow: {''.join(bad)!r}",
            "use only letters, digits and + = , . @ _ -",
        )


def check_path(scope, prop: str, value: str | None, *, policy: bool = False) -> None:
    """IAM paths: ``/`` or ``/a/b/``, at most 512 characters; policy paths are stricter."""
    if value is None or is_token(value):
        return
    pattern = _POLICY_PATH if policy else _PATH
    if len(value) > 512 or not pattern.match(value):
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is not a valid IAM {'policy ' if policy else ''}path",
            "a path starts and ends with '/', e.g. '/medialive/' (at most 512 characters"
            + (", letters, digits and . , + @ = _ - between the slashes)" if policy else ", printable ASCII)"),
        )


def check_bucket_name(scope, prop: str, value: str) -> None:
    """S3 general purpose bucket naming rules."""
    if is_token(value):
        return
    problem = None
    if not 3 <= len(value) <= 63:
        problem = f"has {len(value)} characters (3 to 63 allowed)"
    elif not _BUCKET.match(value):
        problem = "may hold only lowercase letters, digits, '.' and '-', and must begin and end with a letter or digit"
    elif ".." in value:
        problem = "has two adjacent periods"
    elif _IPV4.match(value):
        problem = "is formatted as an IP address"
    elif value.startswith(("xn--", "sthree-", "amzn-s3-demo-")) or value.endswith(("-s3alias", "--ol-s3", "--x-s3", ".mrap")):
        problem = "uses a prefix or suffix S3 reserves"
    if problem:
        raise MediaLiveIamError(describe(scope), prop, f"bucket name {value!r} {problem}", "give the name of an existing S3 bucket")


def check_prefix(scope, prop: str, value: str | None) -> None:
    """Key prefixes and name prefixes are literal: a ``*`` or ``?`` would widen the grant."""
    if value is None or is_token(value):
        return
    if "*" in value or "?" in value:
        raise MediaLiveIamError(
            describe(scope), prop, f"prefix {value!r} contains a wildcard ('*' or '?')",
            "give a literal prefix; the construct appends the '*' itself",
        )


def check_key_prefix(scope, prop: str, prefix: str | None) -> None:
    """An S3 key prefix (T18, T19): S3 keys never start with '/'; a prefix without a trailing '/' also matches its
    siblings (``live`` covers ``live2/``), which may be meant: a warning, not an error."""
    if prefix is None or is_token(prefix):
        return
    if prefix.startswith("/"):
        raise MediaLiveIamError(
            describe(scope), prop, f"key prefix {prefix!r} starts with '/': S3 keys do not, so it matches no object",
            f"write {prefix.lstrip('/')!r}",
        )
    if prefix and not prefix.endswith("/"):
        from aws_cdk import Annotations

        Annotations.of(scope).add_warning_v2(
            "medialive-iam:prefix-without-slash",
            f"{describe(scope)}: {prop}: key prefix {prefix!r} has no trailing '/', so it also grants keys such as "
            f"{prefix + '2/...'!r}. Fix: write {prefix + '/'!r} if you mean the folder (or keep it if the siblings "
            "are meant).",
        )


def parse_arn(scope, prop: str, value: str, *, service: str | None = None, partition: str | None = None) -> dict | None:
    """Checks an ARN's form (and service / partition when known); returns its parts, or None for a token."""
    if is_token(value):
        return None
    m = _ARN.match(value)
    if not m:
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is not an ARN",
            "give an ARN of the form arn:<partition>:<service>:<region>:<account>:<resource>",
        )
    parts = m.groupdict()
    if service and parts["service"] != service:
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is a {parts['service']} ARN, not a {service} ARN",
            f"give the ARN of a {service} resource",
        )
    if partition and not is_token(partition) and parts["partition"] != partition:
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is in partition {parts['partition']!r}, the stack is in {partition!r}",
            "give an ARN in the stack's partition (a role cannot be granted resources of another partition)",
        )
    return parts


def check_parameter_name(scope, prop: str, value: str) -> None:
    """SSM parameter names and path prefixes: letters, digits and ``_ . - /``; paths start with ``/``."""
    if is_token(value):
        return
    if not value or not _SSM_NAME.match(value) or len(value) > 2048:
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is not a Parameter Store name or path",
            "use letters, digits and _ . - /, e.g. '/medialive/news/'",
        )


def check_ssm_path(scope, prop: str, value: str) -> None:
    """A parameter path prefix: starts and ends with ``/``."""
    if is_token(value):
        return
    check_parameter_name(scope, prop, value)
    if not value.startswith("/") or not value.endswith("/"):
        raise MediaLiveIamError(
            describe(scope), prop, f"parameter path {value!r} must start and end with '/'",
            f"write it as '/{value.strip('/')}/'",
        )


_NOTIFICATION_PREFIX = re.compile(r"^[A-Za-z0-9_-]+$")
_TAG_KEY = re.compile(r"^[\w .:/=+@-]+$")
_TAG_VALUE = re.compile(r"^[\w .:/=+@-]*$")


def check_notification_prefix(scope, prop: str, value: str) -> None:
    """A name prefix shared by EventBridge rule names (letters, digits, ``. - _``, 64) and SNS topic names
    (letters, digits, ``- _``, 256): letters, digits, ``-`` and ``_``, 1 to 48 characters (room for a suffix)."""
    if is_token(value):
        return
    check_prefix(scope, prop, value)
    if not value or len(value) > 48 or not _NOTIFICATION_PREFIX.match(value):
        raise MediaLiveIamError(
            describe(scope), prop, f"name prefix {value!r} is not valid for both EventBridge rules and SNS topics",
            "use 1 to 48 letters, digits, '-' or '_' (e.g. 'medialive')",
        )


def check_tag(scope, prop: str, key: str, value: str) -> None:
    """A resource tag used in ``aws:ResourceTag/<key>``: key 1..128 characters, not ``aws:``; value 0..256."""
    if is_token(key) or is_token(value):
        raise MediaLiveIamError(
            describe(scope), prop, "the tag key and value must be known at synth (they become a condition key)",
            "give literal strings",
        )
    if not 1 <= len(key) <= 128 or not _TAG_KEY.match(key) or key.lower().startswith("aws:") or "*" in key:
        raise MediaLiveIamError(
            describe(scope), prop, f"tag key {key!r} is not a valid tag key",
            "use 1 to 128 letters, digits, spaces and _ . : / = + - @, not starting with 'aws:'",
        )
    if len(value) > 256 or not _TAG_VALUE.match(value):
        raise MediaLiveIamError(
            describe(scope), prop, f"tag value {value!r} is not a valid tag value",
            "use at most 256 letters, digits, spaces and _ . : / = + - @",
        )


def check_identifier(scope, prop: str, value: str, what: str, *, extra: str = "", starts_with: str | None = None,
                     max_len: int = 256) -> None:
    """A resource name or id that goes into an ARN (channel id, container name, subnet id, secret name):
    letters, digits, ``_ . -`` plus ``extra``; never a wildcard or an ARN separator, which would widen the grant."""
    if is_token(value):
        return
    pattern = re.compile(r"^[A-Za-z0-9_.\-" + re.escape(extra) + r"]+$")
    problem = None
    if not isinstance(value, str) or not value:
        problem = f"{what} {value!r} is empty or not a string"
    elif len(value) > max_len:
        problem = f"{what} {value!r} has {len(value)} characters (at most {max_len})"
    elif not pattern.match(value):
        problem = f"{what} {value!r} has characters that do not belong in it (wildcards, ':' or spaces)"
    elif starts_with and not value.startswith(starts_with):
        problem = f"{what} {value!r} does not start with {starts_with!r}"
    if problem:
        allowed = "letters, digits, _ . -" + (" " + " ".join(extra) if extra else "")
        raise MediaLiveIamError(
            describe(scope), prop, problem,
            f"give the literal {what} ({allowed}" + (f", starting with {starts_with!r}" if starts_with else "")
            + ") or its ARN",
        )


def check_one_partition(scope, seen: Mapping[str, str]) -> None:
    """The ARNs given to one construct (``seen``: each partition with the first prop naming it) are in one
    partition: a role lives in one. Names the last of those props."""
    if len(seen) > 1:
        raise MediaLiveIamError(
            describe(scope), sorted(seen.values())[-1],
            f"the ARNs given are in several partitions ({', '.join(sorted(seen))})",
            "a role lives in one partition: give every ARN in the stack's partition",
        )


def partition_of_region(region: str) -> str | None:
    """The partition of a concrete region (``cn-north-1`` -> ``aws-cn``); None for a token or an unknown region."""
    if is_token(region):
        return None
    from aws_cdk import region_info

    return region_info.RegionInfo.get(region).partition



def parse_enum(scope, prop: str, value, enum_cls):
    """An enum member from the member, its name (``"READ_WRITE"``) or its value (``"read_write"``), in either case;
    anything else is a :class:`MediaLiveIamError` listing the valid values."""
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        for member in enum_cls:
            if value.upper() == member.name or value.lower() == member.value:
                return member
    names = ", ".join(m.name for m in enum_cls)
    raise MediaLiveIamError(
        describe(scope), prop, f"{value!r} is not a {enum_cls.__name__}",
        f"use one of {names} ({enum_cls.__name__}.{next(iter(enum_cls)).name} or the string "
        f"{next(iter(enum_cls)).name!r} / {next(iter(enum_cls)).value!r})",
    )


def user_path_of(user) -> str | None:
    """The IAM path of an ``iam.IUser`` when it is known at synth: the ``Path`` of a user created in the app, or
    the path in a literal user ARN (``iam.User.from_user_arn``); None otherwise (``from_user_name``, tokens)."""
    child = getattr(getattr(user, "node", None), "default_child", None)
    path = getattr(child, "path", None) if child is not None else None
    if isinstance(path, str) and not is_token(path):
        return path
    if child is not None:
        return "/" if path is None else None  # created here without a path: IAM's default "/"
    arn = getattr(user, "user_arn", None)
    if isinstance(arn, str) and not is_token(arn):
        m = _ARN.match(arn)
        if m and m.group("resource").startswith("user/"):
            return "/" + m.group("resource")[len("user/"):].rpartition("/")[0].strip("/") + "/" \
                if "/" in m.group("resource")[len("user/"):] else "/"
    return None


def check_role_name(scope, prop: str, value: str | None) -> None:
    """The name of a role this library creates for a workflow: an IAM role name (:func:`check_name`), and not
    ``MediaLiveAccessRole`` in any case (IAM names are case-insensitive): reserved for the simple option's console
    role (reference §6)."""
    check_name(scope, prop, value, "role")
    if value is not None and not is_token(value) and value.lower() == SIMPLE_ROLE_NAME.lower():
        raise MediaLiveIamError(
            describe(scope), prop,
            f"{value!r} is reserved for the simple option's console role (reference §6)",
            "choose another name that includes 'medialive' and no sensitive data (e.g. 'medialiveWorkflow15'), "
            "or use MediaLiveAccessRole for the simple option",
        )


def check_managed_policy(scope, prop: str, given, policy) -> None:
    """A permissions boundary: ``policy`` (what ``given`` resolves to, e.g. a ``MediaLivePermissionsBoundary``'s
    ``.policy``) is None or an ``iam.IManagedPolicy``."""
    if policy is not None and not hasattr(policy, "managed_policy_arn"):
        raise MediaLiveIamError(describe(scope), prop, f"{given!r} is not a policy",
                                "give a MediaLivePermissionsBoundary or an iam.IManagedPolicy")


def check_description(scope, prop: str, value: str | None, *, max_len: int = 1000) -> None:
    """An IAM role description: at most ``max_len`` characters (IAM: 1,000)."""
    if value is not None and not is_token(value) and len(value) > max_len:
        raise MediaLiveIamError(describe(scope), prop, f"has {len(value)} characters",
                                f"use at most {max_len:,} characters")


def check_max_managed_policies(scope, prop: str, value: int, principal_kind: str) -> None:
    """How many managed policies a principal of ``principal_kind`` (``"role"``) may hold: 1 to IAM's quota raised
    to its maximum (reference §7.1)."""
    from .packing import MAX_MANAGED_POLICIES, MAX_MANAGED_POLICIES_ADJUSTED  # packing checks names with this module

    default, maximum = MAX_MANAGED_POLICIES[principal_kind], MAX_MANAGED_POLICIES_ADJUSTED[principal_kind]
    if not 1 <= value <= maximum:
        raise MediaLiveIamError(describe(scope), prop, f"{value} is out of range",
                                f"IAM allows {default} managed policies per {principal_kind} by default, "
                                f"up to {maximum} by quota increase")


def check_role_grants_something(scope, prop: str, grants: Sized) -> None:
    """A workflow role with no grant at all (logging off, no feature) is a mistake, not a least-privilege role."""
    if not grants:
        raise MediaLiveIamError(
            describe(scope), prop,
            "the role would grant nothing: logging is off and no feature (buckets, channels, inputs, "
            "parameters, secrets, VPC, feeds) is declared",
            "keep logging=True or declare the resources the workflow uses",
        )


def check_users(scope, prop: str, users) -> list:
    """``users=`` of a group: a list of ``iam.IUser`` whose literal names are valid IAM user names (an imported
    ``iam.User.from_user_name(..., 'bad name')`` fails here, not at deploy)."""
    if isinstance(users, str) or not all(hasattr(u, "user_name") for u in users):
        raise MediaLiveIamError(describe(scope), prop, f"{users!r} is not a list of iam.IUser",
                                "give iam.User objects (iam.User.from_user_name(self, 'Alice', 'alice') for existing users)")
    out = list(users)
    for user in out:
        check_name(scope, prop, user.user_name, "user")
    return out
