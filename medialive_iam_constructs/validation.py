"""Prop checks that raise :class:`MediaLiveIamError` at synth, before anything is created.

Rules come from the IAM API (botocore service model, reference §7.2) and S3's bucket naming rules.
Values that are CDK tokens (unknown until deploy) are not checked as strings.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Sized

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


def check_key_prefix(scope, prop: str, prefix: str | None, *, warn_siblings: bool = True) -> None:
    """An S3 key prefix (T18, T19): S3 keys never start with '/'; a prefix without a trailing '/' also matches its
    siblings (``live`` covers ``live2/``), which may be meant: a warning, not an error (``warn_siblings=False``: a
    prefix read from a channel's URL, the start of every key MediaLive writes there)."""
    if prefix is None or is_token(prefix):
        return
    if prefix.startswith("/"):
        raise MediaLiveIamError(
            describe(scope), prop, f"key prefix {prefix!r} starts with '/': S3 keys do not, so it matches no object",
            f"write {prefix.lstrip('/')!r}",
        )
    if prefix and not prefix.endswith("/") and warn_siblings:
        from aws_cdk import Annotations

        Annotations.of(scope).add_warning_v2(
            "medialive-iam:prefix-without-slash",
            f"{describe(scope)}: {prop}: key prefix {prefix!r} has no trailing '/', so it also grants keys such as "
            f"{prefix + '2/...'!r}. Fix: write {prefix + '/'!r} if you mean the folder (or keep it if the siblings "
            "are meant).",
        )


def parse_arn(scope, prop: str, value: str, *, service: str | None = None, partition: str | None = None,
              region: str | None = None) -> dict | None:
    """Checks an ARN's form (and service / partition / region when known); returns its parts, or None for a token.

    ``region``: the stack's concrete region. An ARN that names another region fails (a global ARN, with an empty
    region field, never does): the constructs grant to principals of the stack's region (a trusted role's trust
    policy admits channels of its stack's region only; an operator group's other rows name its stack's region)."""
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
    if region and not is_token(region) and parts["region"] and parts["region"] != region:
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is in region {parts['region']!r}, the stack in {region!r}: this "
            f"construct's grants serve {region} (what it grants there would not reach that {parts['service']} "
            "resource, and the resource would not be used from there)",
            f"give the ARN of the resource in {region}; if the workflow really runs in {parts['region']}, define this "
            f"construct in a stack of that region (cdk.Stack(..., env=cdk.Environment(region={parts['region']!r})): "
            "one stack per region)",
        )
    return parts


#: The six characters Secrets Manager appends to a secret's name in its ARN (``medialive/srt-AbCdEf``), E21.
_SECRET_SUFFIX = re.compile(r"-([A-Za-z0-9]{6})$")
#: A capitalised word or code (``Backup``, ``Prod01``): a name may end so; a random suffix rarely does.
_WORD = re.compile(r"[A-Z]?[a-z0-9]{5,6}|[A-Z0-9]{6}")
#: The warning id of a secret name or ARN whose ending may or may not be the console's suffix (acknowledgeable).
SECRET_SUFFIX_WARNING = "medialive-iam:secret-suffix-ambiguous"


def secret_suffix(name: str) -> str | None:
    """What the end of a secret name says about Secrets Manager's random six-character suffix (E21):
    ``"surely"`` when the name ends with ``-`` and six letters and digits that mix lower and upper case the way no
    chosen word does (``srt-AbCdEf``, ``srt-x7Qp2M``: 9 in 10 of the suffixes Secrets Manager draws from
    [A-Za-z0-9]),
    ``"maybe"`` when it ends with ``-`` and six letters or digits of one case or a capitalised word (``srt-backup``,
    ``srt-prod01``, ``srt-Backup``: a real name may end so, and 1 in 10 random suffixes looks so), else None."""
    m = _SECRET_SUFFIX.search(name)
    if not m:
        return None
    six = m.group(1)
    mixed = any(c.islower() for c in six) and any(c.isupper() for c in six)
    return "surely" if mixed and not _WORD.fullmatch(six) else "maybe"


def check_secret_name(scope, prop: str, name: str) -> None:
    """A secret given by name (T20, T21) that ends with what looks like the six-character suffix Secrets Manager
    appends in the ARN (copied from the console): granted as ``name-??????`` it would match no secret. Surely a
    suffix (mixed case): an error; maybe one: a warning (acknowledge it, or say which it is with an ``ISecret``)."""
    if is_token(name):
        return
    kind = secret_suffix(name)
    if kind is None:
        return
    base = name[: -7]
    problem = (f"secret name {name!r} ends with {name[-7:]!r}, which looks like the six characters Secrets Manager "
               f"appends to the name in a secret's ARN (the console shows them): it is granted as {name + '-??????'!r}, "
               "which matches no secret if they are that suffix")
    fix = (f"give the name without them ({base!r}) or the complete ARN; if the secret's name really ends so, pass "
           f"secretsmanager.Secret.from_secret_name_v2(scope, id, {name!r})")
    if kind == "surely":
        raise MediaLiveIamError(describe(scope), prop, problem, fix)
    _warn(scope, SECRET_SUFFIX_WARNING, prop, problem, fix + f" or acknowledge this warning "
          f"(Annotations.of(construct).acknowledge_warning({SECRET_SUFFIX_WARNING!r}))")


def check_secret_arn_suffix(scope, prop: str, arn: str, name: str) -> None:
    """A secret ARN (T20, T21) is complete when its name ends with the six-character suffix (granted as it is), partial
    otherwise (granted as ``arn-??????``, E21). An ending that may be either (:func:`secret_suffix` ``"maybe"``) is
    taken as the suffix, with a warning: a partial ARN of a name that ends so would match no secret."""
    if secret_suffix(name) != "maybe":
        return
    _warn(scope, SECRET_SUFFIX_WARNING, prop,
          f"{arn!r} is taken as a complete secret ARN ({name[-7:]!r} as the six characters Secrets Manager appends); "
          "if it is a partial ARN whose name ends so, the grant matches no secret",
          "say which it is: secretsmanager.Secret.from_secret_complete_arn(...) or from_secret_partial_arn(...), or "
          f"acknowledge this warning (Annotations.of(construct).acknowledge_warning({SECRET_SUFFIX_WARNING!r}))")


def _warn(scope, warning_id: str, prop: str, problem: str, fix: str) -> None:
    """A synth warning that names the construct, the prop and the fix, as an error would."""
    from aws_cdk import Annotations

    Annotations.of(scope).add_warning_v2(warning_id, f"{describe(scope)}: {prop}: {problem}. Fix: {fix}.")


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


_REGION = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d$")


def check_regions(scope, prop: str, regions, stack_region: str) -> list[str] | None:
    """``regions=`` of a role's confused-deputy condition: None, ``["*"]`` (every region of the account) or region
    names (``us-east-1``) of one partition, the stack's when its region is known. Returns them as a list (None as
    given)."""
    if regions is None:
        return None
    check_list(scope, prop, regions)
    out = list(dict.fromkeys(regions))
    if not out:
        raise MediaLiveIamError(describe(scope), prop, "no region given: no channel could make MediaLive assume the role",
                                "leave regions out (every region of the account) or name the channels' regions")
    if "*" in out and len(out) > 1:
        raise MediaLiveIamError(describe(scope), prop, f"{out!r} mixes '*' (every region) with region names",
                                "give ['*'] or the region names")
    expected = partition_of_region(stack_region)
    for region in out:
        if region == "*" or is_token(region):
            continue
        if not isinstance(region, str) or not _REGION.match(region):
            raise MediaLiveIamError(describe(scope), prop, f"{region!r} is not a region name",
                                    "give region names such as 'us-east-1', or '*' for every region")
        partition = partition_of_region(region)
        if expected is not None and partition is not None and partition != expected:
            raise MediaLiveIamError(
                describe(scope), prop, f"{region!r} is in partition {partition}, the stack in {expected}: an IAM role "
                "lives in one partition, so no channel there can use it", "deploy a role in that partition's account")
    return out


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


# --- principals and channels (operator groups, admin) ---


def check_list(scope, prop: str, value) -> None:
    """A list prop (roles, channel ARNs, user names, endpoints) given as one string, which Python would iterate
    character by character."""
    if isinstance(value, str):
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} is a string, not a list",
                                f"write {prop}=[{value!r}]")


def check_exclusive(scope, prop: str, value, other, *, problem: str, fix: str) -> None:
    """Two props that contradict each other: ``value`` (of ``prop``) and ``other`` must not both be given."""
    if value is not None and other is not None:
        raise MediaLiveIamError(describe(scope), prop, problem, fix)


def check_dedicated_path(scope, prop: str, value: str, *, would: str, fix: str) -> None:
    """A path or prefix that scopes a grant names a part of the account of its own: not ``/``, not a pattern
    (``would``: what such a value would let the principal do)."""
    if value == "/" or "*" in value or "?" in value:
        raise MediaLiveIamError(describe(scope), prop, f"{value!r} would {would}", fix)


def check_parameter_path(scope, prop: str, value: str) -> None:
    """S41: the Parameter Store path of MediaLive's password parameters, ``/medialive/`` (never ``/``)."""
    check_ssm_path(scope, prop, value)
    check_dedicated_path(scope, prop, value, would="scope the password parameters (S41) to every parameter of the "
                         "account", fix="give the path that holds MediaLive's password parameters, e.g. '/medialive/'")


def check_notification_endpoints(scope, prop: str, endpoints) -> None:
    """S40.endpoints: the endpoints notification topics may be subscribed to: literal, or patterns with a fixed host."""
    check_list(scope, prop, endpoints)
    for endpoint in endpoints:
        if is_token(endpoint):
            raise MediaLiveIamError(
                describe(scope), prop, f"{endpoint!r} is known only at deploy (a token), so its "
                "host cannot be checked: a deploy-time '*' would allow subscriptions to any endpoint",
                "give the endpoints as literal strings",
            )
        if not isinstance(endpoint, str) or not endpoint.strip() or endpoint.strip("*?") == "":
            raise MediaLiveIamError(
                describe(scope), prop, f"{endpoint!r} would allow subscriptions to any endpoint",
                "give exact endpoints or patterns with a fixed host, e.g. 'https://hooks.example.com/*' or "
                "'alerts@example.com'",
            )
        problem = _open_host(endpoint)
        if problem:
            raise MediaLiveIamError(
                describe(scope), prop, f"{endpoint!r} {problem} (sns:Endpoint is matched as text)",
                "fix the host and end it with '/' before any wildcard ('https://hooks.example.com/*'), and give e-mail "
                "addresses without wildcards ('alerts@example.com')",
            )


def _open_host(endpoint: str) -> str | None:
    """Why a pattern of ``notification_endpoints`` reaches hosts or addresses it does not name, or None (attack
    review: ``https://hooks.example.com*`` matched ``https://hooks.example.com.evil.net/``, ``*@example.com`` matched
    ``https://evil.net/?u=a@example.com``)."""
    if "://" in endpoint:
        host, slash, _ = endpoint.split("://", 1)[1].partition("/")
        if any(c in host for c in "*?") or not slash:
            return "leaves the host open: the pattern also matches other hosts"
        return None
    if any(c in endpoint for c in "*?"):
        return "is a pattern that is not an https URL: it also matches URLs and other addresses that contain it"
    return None


def check_operator_props(scope, *, parameter_path: str, notification_prefix: str, notification_endpoints) -> None:
    """The props an operator group and the restricted administrator bind alike: ``parameter_path`` (S41),
    ``notification_prefix`` (S26, S40) and ``notification_endpoints`` (S40.endpoints)."""
    check_parameter_path(scope, "parameter_path", parameter_path)
    check_notification_prefix(scope, "notification_prefix", notification_prefix)
    check_notification_endpoints(scope, "notification_endpoints", notification_endpoints)


def check_stack_prefix(scope, opt_in, prefix: str | None) -> None:
    """S15, W4: the name prefix of an opt-in's CloudFormation stacks (``opt_in.stack_prefix_prop``) is given and
    reaches neither CDKToolkit, the construct's own stack, nor StackSet instances (S15.guard)."""
    from .catalog.opt_ins import CDK_TOOLKIT_STACK, STACK_SET_INSTANCE_PREFIX
    from .tokens import stack_of

    prop = opt_in.stack_prefix_prop
    if prefix is None:
        raise MediaLiveIamError(
            describe(scope), prop,
            f"{opt_in.prop}=True needs the name prefix of its CloudFormation stacks, which AWS does not document",
            f"give {prop}= the prefix of the stacks a first deployment creates (CloudFormation console), or drop "
            f"{opt_in.prop}",
        )
    stack_name = stack_of(scope).stack_name
    problem = None
    if not isinstance(prefix, str) or not prefix or is_token(prefix):
        problem = "an empty prefix would reach every stack of the account"
    elif any(c in prefix for c in "*?/:"):
        problem = f"{prefix!r} contains a wildcard or separator"
    elif CDK_TOOLKIT_STACK.lower().startswith(prefix.lower()) or (
            not is_token(stack_name) and stack_name.lower().startswith(prefix.lower())):
        problem = f"{prefix!r} also matches the stack {CDK_TOOLKIT_STACK!r} or this app's stack {stack_name!r}"
    elif _overlap(prefix.lower(), STACK_SET_INSTANCE_PREFIX.lower()):
        problem = (f"{prefix!r} overlaps {STACK_SET_INSTANCE_PREFIX!r}, the names of the stacks StackSets run in the "
                   "account (the organization baseline's among them)")
    if problem:
        example = (f"e.g. {opt_in.default_stack_prefix!r}" if opt_in.default_stack_prefix
                   else "as a first deployment names them")
        raise MediaLiveIamError(describe(scope), prop, problem, f"give the prefix of {opt_in.title}'s stacks, {example}")


def _overlap(a: str, b: str) -> bool:
    """Two paths or name prefixes overlap when some name starts with both."""
    return a.startswith(b) or b.startswith(a)


def check_tag_scope(scope, resource_tag, channel_tag, opted) -> tuple[str, tuple[str, str]] | None:
    """Tag scoping of an operator group (issue 11 d): ``(prop, (key, value))`` of the tag given as ``resource_tag`` or
    its earlier name ``channel_tag`` (never both), or None; the props that give back what tag scoping leaves out
    (``opted``: ``TAG_SCOPE_OPT_INS`` on or off) only with a tag."""
    from .catalog.opt_ins import TAG_SCOPE_OPT_INS

    check_exclusive(scope, "channel_tag", resource_tag, channel_tag, problem="both resource_tag and channel_tag are "
                    "given", fix="give resource_tag only (channel_tag is its earlier name)")
    prop, tag = ("resource_tag", resource_tag) if resource_tag is not None else ("channel_tag", channel_tag)
    for entry in TAG_SCOPE_OPT_INS:  # catalog/opt_ins.py: what tag scoping leaves out, given back
        if opted[entry.prop] and tag is None:
            raise MediaLiveIamError(describe(scope), entry.prop, f"given without tag scoping: a group without "
                                    f"resource_tag gets {entry.title} anyway", f"drop {entry.prop}, or give resource_tag")
    return None if tag is None else (prop, tag)


def check_tag_pair(scope, prop: str, tag) -> tuple[str, str]:
    """A ``(key, value)`` tag whose key and value are valid tags (:func:`check_tag`)."""
    if isinstance(tag, str) or len(tag) != 2:
        raise MediaLiveIamError(describe(scope), prop, f"{tag!r} is not a (key, value) pair",
                                f"give {prop}=('Department', 'news')")
    check_tag(scope, prop, *tag)
    return tag


def check_row_ids(scope, prop: str, ids) -> tuple[str, ...]:
    """Row ids of the non-administrator table (S and F rows; a base id stands for its parts), expanded."""
    from . import catalog

    if isinstance(ids, str):
        raise MediaLiveIamError(describe(scope), prop, f"{ids!r} is a string, not a list of row ids",
                                f"write {prop}=[{ids!r}]")
    out: list[str] = []
    for rid in ids:
        try:
            expanded = catalog.expand([rid])
        except KeyError:
            raise MediaLiveIamError(
                describe(scope), prop, f"unknown catalog row {rid!r}",
                "use a row id of the non-administrator table (S1..S42, F3, parts such as S3.run), "
                "see docs/operator-groups.md",
            ) from None
        for r in expanded:
            if catalog.ROWS[r].table != "user":
                raise MediaLiveIamError(
                    describe(scope), prop, f"row {r} belongs to the {catalog.ROWS[r].table} table, not to "
                    "non-administrator users", "operator groups take S and F rows; roles MediaLive assumes "
                    "are MediaLiveTrustedRole's (T rows), administrators the restricted admin's (A rows)",
                )
        out.extend(expanded)
    return tuple(dict.fromkeys(out))


def check_group_rows(scope, tier, option, *, rows, add_rows, remove_rows, opted) -> None:
    """An operator group's ``tier``, ``rows``, ``add_rows``, ``remove_rows`` and opt-ins agree: rows with a tier or
    neither, no row the tier must never get (``TIER_NEVER``), an opt-in's rows only with the opt-in, and the opt-in
    only on its tiers and option, no row the trusted-entity option forbids, at least one row left."""
    from . import catalog
    from .catalog.opt_ins import OPT_INS
    from .catalog.tiers import FORBIDDEN_BY_OPTION, TIER_NEVER, TrustedEntityOption, granted_rows

    given, added = check_row_ids(scope, "rows", rows), check_row_ids(scope, "add_rows", add_rows)
    removed = check_row_ids(scope, "remove_rows", remove_rows)
    if tier is not None and given:
        raise MediaLiveIamError(
            describe(scope), "rows", f"rows are given together with tier {tier.name}",
            "use add_rows/remove_rows to adjust a tier, or tier=None for a custom category of exactly `rows`",
        )
    if tier is None and not given and not added:
        raise MediaLiveIamError(describe(scope), "rows", "neither a tier nor rows are given",
                                "give tier=OperatorTier.BASIC (READ_WRITE, ADVANCED) or the rows of a custom category")
    never = [r for r in added if tier is not None and r in TIER_NEVER[tier]]
    if never:
        raise MediaLiveIamError(
            describe(scope), "add_rows", f"tier {tier.name} must never get {', '.join(never)} "
            f"({'; '.join(catalog.ROWS[r].title for r in never)})",
            "choose a higher tier, or a custom category (tier=None, rows=[...]) if this group really needs it",
        )
    for opt_in in OPT_INS:  # catalog/opt_ins.py: one entry per opt-in
        behind = [r for r in given + added if r in opt_in.rows]
        if behind and not opted[opt_in.prop]:
            raise MediaLiveIamError(
                describe(scope), "add_rows" if behind[0] in added else "rows",
                f"{', '.join(behind)} are granted only with {opt_in.prop}=True (docs/threat-model.md says what "
                "they cost)", f"set {opt_in.prop}=True if this group really needs them, or drop the rows",
            )
        if not opted[opt_in.prop]:
            continue
        if opt_in.option is not None and option is not opt_in.option:
            raise MediaLiveIamError(describe(scope), opt_in.prop, f"{opt_in.title} belong to the "
                                    f"{opt_in.option.value} option", f"drop it, or use trusted_entity={opt_in.option.name}")
        if tier is not None and tier not in opt_in.tier_rows:
            raise MediaLiveIamError(
                describe(scope), opt_in.prop, f"tier {tier.name} must never get {opt_in.title}",
                f"use tier {' or '.join(t.name for t in opt_in.tier_rows)}, or a custom category (tier=None, rows=[...])",
            )
    forbidden = [r for r in given + added if r in FORBIDDEN_BY_OPTION[option]]
    if forbidden:
        why = ("the complex option must not list, create or change roles (reference §6)"
               if option is TrustedEntityOption.COMPLEX else
               "the simple option uses MediaLiveAccessRole only; S32 passes administrator-made roles")
        raise MediaLiveIamError(
            describe(scope), "add_rows" if tier is not None or forbidden[0] in added else "rows",
            f"{', '.join(forbidden)} contradict trusted_entity={option.name}: {why}",
            "remove the row, or choose the other trusted_entity option",
        )
    if not granted_rows(tier, option, rows=given, add_rows=added, remove_rows=removed, opted=opted):
        raise MediaLiveIamError(describe(scope), "remove_rows", "every row is removed", "keep at least one row")


def role_child(value: Any) -> Any:
    """The L1 resource (``CfnRole``) of a role the app makes, given as an ``iam.Role`` or a construct's ``.role``;
    None for an ARN or an imported role (no default child)."""
    return getattr(getattr(getattr(value, "role", value), "node", None), "default_child", None)


def role_path_of(value) -> str | None:
    """The IAM path of a role (``iam.IRole``, a construct's ``.role``, a role ARN) when known at synth, else None."""
    role = getattr(value, "role", value)
    child = role_child(value)
    if child is not None:
        path = getattr(child, "path", None)
        return "/" if path is None else (path if isinstance(path, str) and not is_token(path) else None)
    arn = value if isinstance(value, str) else getattr(role, "role_arn", None)
    if isinstance(arn, str) and not is_token(arn) and ":role/" in arn:
        rest = arn.split(":role/", 1)[1]
        return "/" + rest.rpartition("/")[0] + "/" if "/" in rest else "/"
    return None


def policy_path_of(policy) -> str | None:
    """The IAM path of a managed policy when known at synth (``path`` of one made here, or a literal ARN)."""
    path = getattr(policy, "path", None)
    if isinstance(path, str) and not is_token(path):
        return path
    arn = getattr(policy, "managed_policy_arn", None)
    if isinstance(arn, str) and not is_token(arn) and ":policy/" in arn:
        rest = arn.split(":policy/", 1)[1]
        return "/" + rest.rpartition("/")[0].strip("/") + "/" if "/" in rest else "/"
    return None


def _describe_role(value) -> str:
    return repr(value) if isinstance(value, str) else f"role {getattr(value, 'node', None) and value.node.path}"


def check_trusted_roles(scope, tier, option, rows, trusted_roles, pass_roles_by_path: str | None) -> None:
    """The roles an operator group passes (S32) agree with its rows and option: given exactly when the group passes
    roles (complex option, S32 among ``rows``), never with the simple option, and no listed role under
    ``pass_roles_by_path`` (which passes it already)."""
    from .catalog.tiers import PASS_ROLE_ROW, OperatorTier, TrustedEntityOption

    given = bool(list(trusted_roles)) or pass_roles_by_path is not None
    needs = PASS_ROLE_ROW in rows
    for item in trusted_roles if pass_roles_by_path is not None else ():
        role_path = role_path_of(item)
        if role_path is not None and role_path.startswith(pass_roles_by_path):
            raise MediaLiveIamError(
                describe(scope), "trusted_roles", f"{_describe_role(item)} lies under pass_roles_by_path "
                f"{pass_roles_by_path!r}, which already lets the group pass every role there: listing it "
                "suggests trusted_roles was meant to limit the group to it, and it does not",
                "give trusted_roles (these roles only) or pass_roles_by_path (every role under the path); "
                "together only for roles outside the path",
            )
    if given and option is TrustedEntityOption.SIMPLE:
        raise MediaLiveIamError(
            describe(scope), "trusted_roles", "trusted roles are given with trusted_entity=SIMPLE, where every "
            "channel uses MediaLiveAccessRole (S29-S31)",
            "drop trusted_roles/pass_roles_by_path, or use trusted_entity=COMPLEX (the default) to pass them",
        )
    if given and not needs:
        who = f"tier {tier.name}" if tier is not None else "this custom category"
        raise MediaLiveIamError(
            describe(scope), "trusted_roles", f"trusted roles are given but {who} does not pass roles "
            f"({PASS_ROLE_ROW} is not granted{': BASIC operators create no channels' if tier is OperatorTier.BASIC else ''})",
            "drop trusted_roles/pass_roles_by_path" + ("" if tier is OperatorTier.BASIC else f", or add {PASS_ROLE_ROW}"),
        )
    if needs and not given:
        raise MediaLiveIamError(
            describe(scope), "trusted_roles", "trusted_entity=COMPLEX: the group creates channels and must pass a "
            f"trusted-entity role to MediaLive ({PASS_ROLE_ROW}), but neither trusted_roles nor pass_roles_by_path "
            "is given",
            "give the roles an administrator made for the workflows (MediaLiveTrustedRole, iam.IRole or role ARNs), "
            "or pass_roles_by_path='/medialive/', or use trusted_entity=SIMPLE",
        )


#: The warning id of a role under a tag-scoped group's ``pass_roles_by_path`` without the group's tag key.
UNTAGGED_ROLE_WARNING = "medialive-iam:role-without-group-tag"


def check_passable_roles(scope, tag: tuple[str, str], pass_roles_by_path: str, roles) -> list[str]:
    """A tag-scoped group with ``pass_roles_by_path`` passes only roles tagged ``key=value`` (S32 carries
    ``aws:ResourceTag/<key>``, a case-insensitive key). ``roles``: ``(name, path, tags, listed)`` of the roles of the
    app in the group's account (``tags`` None when unknown, ``listed``: in ``trusted_roles``). A listed role without
    the tag: an error (returned as text, for a synth-time validation); a role under the path without the key at all:
    a warning (it may be meant for a group without tag scoping); a role with another value: another team's."""
    key, value = tag
    errors = []
    for name, path, tags, listed in roles:
        if tags is None:
            continue
        found = next((v for k, v in tags.items() if k.lower() == key.lower()), None)
        if found == value:
            continue
        add = f"Tags.of(role).add({key!r}, {value!r})"
        has = "no tag " + repr(key) if found is None else f"the tag {key}={found!r}"
        if listed:
            errors.append(str(MediaLiveIamError(
                describe(scope), "trusted_roles", f"the role {name} has {has}, and this tag-scoped group passes only "
                f"roles tagged {key}={value!r} (S32 with pass_roles_by_path carries aws:ResourceTag/{key}): its "
                "operators could not choose it for a channel", f"tag the role: {add}, or drop it from trusted_roles")))
        elif found is None and path is not None and path.startswith(pass_roles_by_path):
            _warn(scope, UNTAGGED_ROLE_WARNING, "pass_roles_by_path",
                  f"the role {name} lies under {pass_roles_by_path!r} without the tag {key!r}: this tag-scoped group "
                  f"passes only roles tagged {key}={value!r} (S32 carries aws:ResourceTag/{key}), so its operators "
                  "cannot choose it for a channel",
                  f"tag the role if this group's channels use it: {add}; if it serves a group without tag scoping, "
                  f"acknowledge this warning (Annotations.of(group).acknowledge_warning({UNTAGGED_ROLE_WARNING!r}))")
    return errors


def check_complex_role_name(scope, prop: str, name: str | None, *, simple_role: bool = False) -> None:
    """The complex option's roles are never named ``MediaLiveAccessRole``, the simple option's console role (§6),
    nor the simple option's role construct whatever its ARN (``simple_role``: ``MediaLiveAccessRole``,
    ``MediaLiveConsoleRole``, security review: a token ARN hid the name)."""
    if simple_role or (isinstance(name, str) and not is_token(name) and name.lower() == SIMPLE_ROLE_NAME.lower()):
        raise MediaLiveIamError(
            describe(scope), prop, f"the complex option's roles must not be named "
            f"{SIMPLE_ROLE_NAME} (reference §6: that name belongs to the simple option's console role)",
            "pass the per-workflow roles an administrator made, or use trusted_entity=SIMPLE",
        )


def check_pass_roles_path(scope, prop: str, value: str) -> None:
    """``pass_roles_by_path``: the dedicated IAM path of the MediaLive roles (S32), never ``/`` nor a pattern."""
    check_path(scope, prop, value)
    check_dedicated_path(scope, prop, value,
                         would="let the group pass every role of the account (or a wildcard pattern) to MediaLive",
                         fix="give the dedicated path of the MediaLive roles, e.g. '/medialive/'")


def check_admin_paths(scope, *, user_path: str, role_path: str, policy_path: str, admin_policy_path: str) -> None:
    """The restricted administrator's IAM paths: valid, each a part of the account of its own (A1-A7), and
    ``policy_path`` (A6) apart from ``admin_policy_path`` (A8.self) and from the unbounded roles' policies."""
    from .catalog.admin import UNBOUNDED_POLICY_PATH

    for prop, value in (("user_path", user_path), ("role_path", role_path)):
        check_path(scope, prop, value)
    for prop, value in (("policy_path", policy_path), ("admin_policy_path", admin_policy_path)):
        check_path(scope, prop, value, policy=True)
    for prop, value in (("user_path", user_path), ("role_path", role_path), ("policy_path", policy_path),
                        ("admin_policy_path", admin_policy_path)):
        check_dedicated_path(scope, prop, value, would="scope the administrator to every IAM entity of the account",
                             fix="give a dedicated path, e.g. '/medialive/'")
    if _overlap(policy_path, admin_policy_path):
        raise MediaLiveIamError(
            describe(scope), "policy_path", f"{policy_path!r} overlaps admin_policy_path {admin_policy_path!r}: the "
            "administrator could edit its own policies or the boundary", "use two separate paths",
        )
    if _overlap(policy_path, UNBOUNDED_POLICY_PATH):
        raise MediaLiveIamError(
            describe(scope), "policy_path", f"{policy_path!r} overlaps {UNBOUNDED_POLICY_PATH!r}, where the roles "
            "without a permissions boundary keep their policies: the administrator could rewrite a policy no "
            "boundary caps and pass its role to MediaLive", "give the administrator a policy_path of its own "
            "(default '/medialive/trusted-entity/')",
        )


def check_admins_outside(scope, prop: str, users, user_path: str, admin_policy_path: str) -> None:
    """The administrators' own users never sit under ``user_path``, whose users they manage (A1-A3)."""
    for user in users:
        known_path = user_path_of(user)
        if known_path is not None and known_path.startswith(user_path):
            raise MediaLiveIamError(
                describe(scope), prop, f"user {user.node.path} is under user_path {user_path!r}, the path of the "
                "users the administrators manage (A1-A3): an administrator there could reset another's password "
                "or delete their user", f"create the administrators under another path, e.g. {admin_policy_path!r} "
                "(console_users= does)",
            )


def check_users_of_other_groups(scope, prop: str, members, user_path: str) -> list[str]:
    """Security review (HIGH): no user of the app under the administrator's ``user_path`` belongs to a group it does
    not manage. It manages every user there (A1-A3: passwords, keys, deletion), so it could sign in as one and hold
    what that group holds (S29/S31 of a simple-option group it is refused). ``members``: ``(user, path, group)`` of
    each membership of a user the app creates or adds in a group the administrator does not manage (``path`` None
    when unknown at synth). Returns the errors as text (a synth-time validation)."""
    return [str(MediaLiveIamError(
        describe(scope), prop, f"user {user} is under {user_path!r} and in the group {group}, which this "
        "administrator does not manage: it manages every user under that path (A1-A3) and could reset this one's "
        "password and sign in as them, holding what that group holds",
        f"create that group's users under a path of their own (MediaLiveOperatorGroup(user_path='/medialive-ops/'), "
        f"iam.User(path=...)), outside {user_path!r}; or add the group to operator_groups if the administrator may "
        "hold what it holds")) for user, path, group in members if path is not None and path.startswith(user_path)]


def check_console_user_path(scope, prop: str, value: str, *, user_path: str, admin_policy_path: str,
                            console_users) -> None:
    """The path of the administrators a ``RestrictedAdmin`` creates (``console_users``): never under ``user_path``."""
    check_path(scope, prop, value)
    if console_users and value.startswith(user_path):
        raise MediaLiveIamError(
            describe(scope), prop, f"{value!r} is under user_path {user_path!r}, the path "
            "of the users the administrators manage (A1-A3)", f"use another path, e.g. {admin_policy_path!r} (the default)",
        )


def check_operator_groups(scope, prop: str, groups, policies, policy_path: str) -> None:
    """The operator groups a ``RestrictedAdmin`` manages (A4): at least one, and none keeping its policies
    (``policies``: (group, policy) pairs) under ``policy_path``, where the administrator edits policies (A6)."""
    if not groups:
        raise MediaLiveIamError(
            describe(scope), prop, "no operator group given: the administrator could add users to none",
            "give the MediaLiveOperatorGroup (or iam.Group) objects its users may join",
        )
    for group, policy in policies:
        path = getattr(policy, "path", None)
        if isinstance(path, str) and not is_token(path) and path.startswith(policy_path):
            raise MediaLiveIamError(
                describe(scope), "policy_path",
                f"the operator group {describe(group)} keeps its policies under {path!r}, inside policy_path "
                f"{policy_path!r}: the administrator could rewrite an operator group's policy and join it",
                "give the administrator a policy_path of its own (default '/medialive/trusted-entity/')",
            )


def check_boundary_props(scope, *, boundary_name, boundary_namespaces, permissions_boundary) -> None:
    """``boundary_name`` and ``boundary_namespaces`` describe the boundary a ``RestrictedAdmin`` creates: neither
    with a ``permissions_boundary`` given."""
    check_exclusive(
        scope, "boundary_name", boundary_name, permissions_boundary, problem="given together with "
        "permissions_boundary: boundary_name names the boundary this construct creates, and it creates none when one "
        "is passed", fix="name the boundary you pass (MediaLivePermissionsBoundary(managed_policy_name=...)), or drop "
        "permissions_boundary")
    check_exclusive(
        scope, "boundary_namespaces", boundary_namespaces, permissions_boundary, problem="given together with "
        "permissions_boundary, which has its own", fix="declare the namespaces on the MediaLivePermissionsBoundary "
        "you pass, or drop permissions_boundary")


def check_boundary_path(scope, prop: str, policy, admin_policy_path: str) -> None:
    """A given role boundary lies under ``admin_policy_path``, where the administrator cannot edit it (A8.self); a
    warning when its path is not known at synth."""
    known = policy_path_of(policy)
    if known is None:
        from aws_cdk import Annotations

        Annotations.of(scope).add_warning_v2(
            "medialive-iam:boundary-path-unknown",
            f"the path of {prop} {policy.managed_policy_arn!r} is not known at synth; "
            f"make sure it lies under admin_policy_path {admin_policy_path!r}, where the administrator cannot "
            "edit it (A8.self)",
        )
    elif not known.startswith(admin_policy_path):
        raise MediaLiveIamError(
            describe(scope), prop,
            f"the boundary's path {known!r} is outside admin_policy_path {admin_policy_path!r}, "
            "where the administrator could edit it",
            f"create the MediaLivePermissionsBoundary with path={admin_policy_path!r}",
        )


def check_user_boundary_option(scope, prop: str, require_user_boundary: bool, option) -> None:
    """The user boundary (A1.boundary) fits one policy only with the complex option."""
    from .catalog.tiers import TrustedEntityOption

    if require_user_boundary and option is not TrustedEntityOption.COMPLEX:
        raise MediaLiveIamError(
            describe(scope), prop, "the user boundary (ADVANCED's actions, A9, A8.assume) "
            "does not fit one policy of 6,144 characters with the simple option's role rows S29-S31",
            "use trusted_entity=COMPLEX (the default) with require_user_boundary, or attach your own boundary",
        )


#: The warning id of an operator group's grant the administrator covers only if an env-agnostic stack deploys where
#: the grant's ARN points.
GROUP_UNVERIFIED_WARNING = "medialive-iam:operator-group-unverified"


def check_groups_within(scope, prop: str, groups, rows, statements) -> None:
    """The administrator holds, through a user of its own, whatever any of its operator groups holds. Refused at
    synth: a group with a row the administrator lacks (an opt-in it was not given, S29/S31 which it never gets), or
    with a grant on resources the administrator's own grants do not cover (another parameter path, notification
    prefix, stack prefix, role path or role: second review), or on a resource unknown at synth (a token of nothing
    the app names: security review); a warning for a grant covered only if an env-agnostic stack deploys in the
    account or region it names. Conditions are not compared: a group's grants are
    those of its rows, and the rows are compared first. A group's own A9 (its console users' passwords) is not
    the administrator's to hold."""
    from .catalog.admin import PASSWORD_ROW
    from .catalog.opt_ins import OPT_INS
    from .namespaces import uncovered  # namespaces validates its own props here: imported when first needed

    held = set(rows)
    for group in groups:
        extra = [r for r in group.rows if r not in held and r != PASSWORD_ROW]
        if extra:
            props = [o.prop for o in OPT_INS if set(extra) & set(o.rows)]
            fix = (f"give the RestrictedAdmin the same opt-in ({', '.join(f'{p}=True' for p in props)}) if it may "
                   "hold them, or manage that group outside the RestrictedAdmin" if props else
                   "manage that group outside the RestrictedAdmin, or drop the rows from it")
            raise MediaLiveIamError(
                describe(scope), prop,
                f"the operator group {describe(group)} holds {', '.join(extra)}, which the administrator does not: it "
                "creates users and adds them to its groups (A1, A4), so it would hold them through a user of its own",
                fix,
            )
        own = [st for st in group.statements if not set(st.rows) <= {PASSWORD_ROW}]
        unknown: list = []
        outside, assumed = uncovered(scope, own, statements, unknown=unknown)
        # security review: grants on a token no resource of the app names (an imported role) were dropped unchecked
        for grants, what, fix in (
            (outside, "reaches {n} grant(s) the administrator's own do not cover", "give the group and the "
             "RestrictedAdmin the same parameter_path, notification_prefix, stack prefixes and role path (or roles "
             "under it), or manage that group outside the RestrictedAdmin"),
            (unknown, "holds {n} grant(s) on resources unknown at synth (a token that is no resource this app "
             "names)", "give the group literal role ARNs or roles this app makes with a literal path (under the "
             "administrator's role path), or manage that group outside the RestrictedAdmin"),
        ):
            if grants:
                shown = "; ".join(f"{a} on {r} ({rows})" for rows, a, r in grants[:3])
                raise MediaLiveIamError(
                    describe(scope), prop, f"the operator group {describe(group)} {what.format(n=len(grants))}, and "
                    f"the administrator would hold them through a user of its own: {shown}"
                    f"{' ...' if len(grants) > 3 else ''}", fix)
        if assumed:
            _warn(scope, GROUP_UNVERIFIED_WARNING, prop,
                  f"{len(assumed)} grant(s) of the operator group {describe(group)} are covered by the administrator's "
                  f"own only if this stack (without env) deploys in the account and region they name, e.g. "
                  f"{assumed[0][1]} on {assumed[0][2]} ({assumed[0][0]})",
                  "give the stack an env (account and region), or make sure it deploys where the group's ARNs point")
