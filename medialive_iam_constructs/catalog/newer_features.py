"""MediaLive features the production-IAM chapter does not cover, row by row (issue 13): workflow monitor
(``W`` rows), MediaLive Anywhere (``N`` rows), other MediaLive actions of the Service Authorization Reference
(``M`` rows) and the MediaPackage v2 destination dropdown (``S21.v2``).

Each prefix names its source, so a row id says where it comes from:

* ``W1``..``W4``: *Workflow monitor IAM policies* (:data:`WORKFLOW_MONITOR_IAM`) and *Deploying templates to the
  signal map* (:data:`WORKFLOW_MONITOR_DEPLOY`); the action names and resource types from SAR (:data:`SAR_MEDIALIVE`).
* ``N1``..``N4``: *Requirements for MediaLive Anywhere* (:data:`ANYWHERE_REQUIREMENTS`, configuration and runtime
  actions) and *Creating the instance role* (:data:`ANYWHERE_INSTANCE_ROLE`, the nodes' own role).
* ``M1``..``M4``: actions SAR lists (:data:`SAR_MEDIALIVE`) that no MediaLive IAM page assigns to a persona; the
  tier is this library's decision, recorded in the row's notes ([inferred]).

Where AWS's page grants on ``*`` (workflow monitor's CloudFormation, CloudWatch and EventBridge statements), the
security rule of this library wins: see ``W4``.
"""

from __future__ import annotations

from .activities import _a, ml
from .model import Grant, Row
from .resources import (
    CFN_STACK,
    CW_ALARM,
    ML_CHANNEL,
    ML_CHANNEL_PLACEMENT_GROUP,
    ML_CLUSTER,
    ML_CW_ALARM_TEMPLATE,
    ML_CW_ALARM_TEMPLATE_GROUP,
    ML_EB_RULE_TEMPLATE,
    ML_EB_RULE_TEMPLATE_GROUP,
    ML_INPUT,
    ML_NETWORK,
    ML_NODE,
    ML_SDI_SOURCE,
    ML_SIGNAL_MAP,
    MPV2_CHANNEL,
    MPV2_CHANNEL_GROUP,
)

#: AWS's pages the rows come from (cited in each row's ``source``).
WORKFLOW_MONITOR_IAM = "https://docs.aws.amazon.com/medialive/latest/ug/monitor-with-workflow-monitor-configure-getting-started-IAM.html"
WORKFLOW_MONITOR_DEPLOY = "https://docs.aws.amazon.com/medialive/latest/ug/monitor-with-workflow-monitor-configure-deploy.html"
ANYWHERE_REQUIREMENTS = "https://docs.aws.amazon.com/medialive/latest/ug/requirements-for-emla.html"
ANYWHERE_INSTANCE_ROLE = "https://docs.aws.amazon.com/medialive/latest/ug/emla-deploy-instance-role.html"
ANYWHERE_FAS = "https://docs.aws.amazon.com/medialive/latest/ug/emla-deploy-users-ecs-permissions.html"
SAR_MEDIALIVE = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmedialive.html"
SAR_MEDIAPACKAGEV2 = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselementalmediapackagev2.html"

#: CloudFormation's page on forward access sessions: the calls a stack makes carry the caller's credentials and
#: the FAS condition keys (aws:ViaAWSService, aws:CalledVia).
CLOUDFORMATION_FAS = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/fas-requests-and-permission-evaluation.html"

#: The media services whose events workflow monitor's EventBridge rule templates watch (W4 events:source).
WORKFLOW_MONITOR_EVENT_SOURCES = ("aws.medialive", "aws.mediaconnect", "aws.mediapackage")
#: What a monitor deployment's stack holds ("Amazon CloudWatch and Amazon EventBridge resources are created",
#: WORKFLOW_MONITOR_DEPLOY): the only types W4's CreateStack/UpdateStack accept (cloudformation:ResourceTypes).
WORKFLOW_MONITOR_RESOURCE_TYPES = ("AWS::CloudWatch::Alarm", "AWS::Events::Rule")
#: A write made by CloudFormation on the caller's behalf (a stack's resource), never a direct call (W4).
VIA_CLOUDFORMATION = {"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}}

_S = "user"

FEATURE_USER_ROWS: tuple[Row, ...] = (
    # --- workflow monitor ------------------------------------------------------------------------------
    Row("W1", "Workflow monitor: view signal maps, alarm and event templates and their groups", WORKFLOW_MONITOR_IAM, (
        Grant(ml("ListSignalMaps", "ListCloudWatchAlarmTemplateGroups", "ListCloudWatchAlarmTemplates",
                 "ListEventBridgeRuleTemplateGroups", "ListEventBridgeRuleTemplates")),
        Grant(ml("GetSignalMap"), (ML_SIGNAL_MAP,)),
        Grant(ml("GetCloudWatchAlarmTemplateGroup"), (ML_CW_ALARM_TEMPLATE_GROUP,)),
        Grant(ml("GetCloudWatchAlarmTemplate"), (ML_CW_ALARM_TEMPLATE,)),
        Grant(ml("GetEventBridgeRuleTemplateGroup"), (ML_EB_RULE_TEMPLATE_GROUP,)),
        Grant(ml("GetEventBridgeRuleTemplate"), (ML_EB_RULE_TEMPLATE,)),
    ), _S, ("The page's operator policy grants medialive:Get*/List* on '*'; spelled out here as SAR's workflow-monitor "
            f"reads ({SAR_MEDIALIVE}), each on its resource type. BASIC: watching a workflow is what BASIC does.",)),
    Row("W2", "Workflow monitor: create, rediscover, update and delete signal maps", WORKFLOW_MONITOR_IAM, (
        Grant(ml("CreateSignalMap", "StartUpdateSignalMap", "DeleteSignalMap"), (ML_SIGNAL_MAP,)),
    ), _S, ("[inferred] READ_WRITE: a signal map is the operational view of one workflow (the page's administrator "
            "policy grants medialive:* on '*'). Discovery reads the mapped resources with the caller's own read "
            "permissions (S2, S8, S21, S21.v2).",)),
    Row("W3", "Workflow monitor: create, update and delete CloudWatch alarm templates, EventBridge rule templates and their groups",
        WORKFLOW_MONITOR_IAM, (
        Grant(ml("CreateCloudWatchAlarmTemplateGroup", "UpdateCloudWatchAlarmTemplateGroup",
                 "DeleteCloudWatchAlarmTemplateGroup"), (ML_CW_ALARM_TEMPLATE_GROUP,)),
        Grant(ml("CreateCloudWatchAlarmTemplate", "UpdateCloudWatchAlarmTemplate"),
              (ML_CW_ALARM_TEMPLATE, ML_CW_ALARM_TEMPLATE_GROUP)),
        Grant(ml("DeleteCloudWatchAlarmTemplate"), (ML_CW_ALARM_TEMPLATE,)),
        Grant(ml("CreateEventBridgeRuleTemplateGroup", "UpdateEventBridgeRuleTemplateGroup",
                 "DeleteEventBridgeRuleTemplateGroup"), (ML_EB_RULE_TEMPLATE_GROUP,)),
        Grant(ml("CreateEventBridgeRuleTemplate", "UpdateEventBridgeRuleTemplate"),
              (ML_EB_RULE_TEMPLATE, ML_EB_RULE_TEMPLATE_GROUP)),
        Grant(ml("DeleteEventBridgeRuleTemplate"), (ML_EB_RULE_TEMPLATE,)),
    ), _S, ("[inferred] ADVANCED: templates are the set-up of monitoring (what alarms and which notification targets "
            "every deployment gets), like S26/S40. SAR: creating or updating a template needs its group's ARN too.",)),
    Row("W4", "Workflow monitor: deploy and delete a signal map's monitoring (a CloudFormation stack of CloudWatch alarms and EventBridge rules)",
        WORKFLOW_MONITOR_DEPLOY, (
        Grant(ml("StartMonitorDeployment", "StartDeleteMonitorDeployment"), (ML_SIGNAL_MAP,)),
        Grant(_a("cloudformation", "DescribeStacks", "DescribeStackEvents", "DescribeStackResources"), (CFN_STACK,),
              must_bind=True),
        Grant(_a("cloudformation", "CreateStack", "UpdateStack"), (CFN_STACK,), must_bind=True, conditions={
            "Null": {"cloudformation:RoleArn": "true", "cloudformation:ResourceTypes": "false"},
            "ForAllValues:StringEquals": {"cloudformation:ResourceTypes": list(WORKFLOW_MONITOR_RESOURCE_TYPES)},
        }),
        Grant(_a("cloudformation", "DeleteStack"), (CFN_STACK,), must_bind=True,
              conditions={"Null": {"cloudformation:RoleArn": "true"}}),
        Grant(_a("cloudwatch", "DescribeAlarms"), (CW_ALARM,)),
        Grant(_a("cloudwatch", "PutMetricAlarm"), (CW_ALARM,), conditions={
            **VIA_CLOUDFORMATION,
            "ForAllValues:ArnLike": {"cloudwatch:AlarmActions": ["arn:${Partition}:sns:${Region}:${Account}:*"]},
        }),
        Grant(_a("cloudwatch", "DeleteAlarms"), (CW_ALARM,), conditions=VIA_CLOUDFORMATION),
        Grant(_a("events", "PutRule"), conditions={
            **VIA_CLOUDFORMATION,
            "ForAllValues:StringEquals": {"events:source": list(WORKFLOW_MONITOR_EVENT_SOURCES)},
            "Null": {"events:source": "false"},
        }, star_reason="the names of the rules workflow monitor creates are not documented; PutRule only through "
                       "CloudFormation (aws:CalledVia) and for the media services' events (events:source)"),
        Grant(_a("events", "PutTargets"), conditions={
            **VIA_CLOUDFORMATION,
            "ForAllValues:ArnLike": {"events:TargetArn": ["arn:${Partition}:sns:${Region}:${Account}:*"]},
            "Null": {"events:TargetArn": "false"},
        }, star_reason="the names of the rules workflow monitor creates are not documented; targets only through "
                       "CloudFormation (aws:CalledVia) and only SNS topics of this account and region (events:TargetArn)"),
        Grant(_a("events", "DeleteRule", "RemoveTargets"), conditions=VIA_CLOUDFORMATION,
              star_reason="the names of the rules workflow monitor creates are not documented; only through "
                          "CloudFormation (aws:CalledVia), which deletes only the rules of its own stacks"),
        Grant(_a("events", "DescribeRule"),
              star_reason="the names of the rules workflow monitor creates are not documented"),
    ), _S, (f"Deviation: the page's administrator policy ({WORKFLOW_MONITOR_IAM}) grants cloudformation Create/Update/"
            "DeleteStack, cloudwatch Put*/Delete* and events Put*/Delete* on '*'. Workflow monitor deploys the "
            "monitoring as a CloudFormation stack under the caller's own permissions (forward access sessions); AWS "
            "documents neither the stack's name nor those of its alarms and rules. Opt-in (workflow_monitor_deploy=True, "
            "with workflow_monitor_stack_prefix): CloudFormation only on stack/<prefix>*/*, without a service role, "
            "with templates of CloudWatch alarms and EventBridge rules only (cloudformation:ResourceTypes), never on "
            "CDKToolkit or the app's stacks (S15.guard). Alarm and rule writes only through CloudFormation "
            "(aws:CalledVia = cloudformation.amazonaws.com, which CloudFormation sets on the calls it makes with the "
            f"caller's credentials: {CLOUDFORMATION_FAS}), so no existing alarm or rule (another team's, a security "
            "finding's) can be changed, re-targeted or deleted by a direct call; new rules watch only MediaLive, "
            "MediaConnect and MediaPackage events; rule targets and alarm actions only this account's SNS topics. "
            "Cost (docs/threat-model.md): a stack under the prefix that someone outside the library created with a "
            "service role runs UpdateStack under that role (no IAM key shows a stack's stored role).",)),
    # --- MediaLive Anywhere ------------------------------------------------------------------------------
    Row("N1", "MediaLive Anywhere: view networks, clusters, nodes, SDI sources and channel placement groups",
        ANYWHERE_REQUIREMENTS, (
        Grant(ml("ListNetworks", "ListClusters", "ListNodes", "ListSdiSources", "ListChannelPlacementGroups")),
        Grant(ml("DescribeNetwork"), (ML_NETWORK,)),
        Grant(ml("DescribeCluster"), (ML_CLUSTER,)),
        Grant(ml("DescribeNode"), (ML_NODE,)),
        Grant(ml("DescribeSdiSource"), (ML_SDI_SOURCE,)),
        Grant(ml("DescribeChannelPlacementGroup"), (ML_CHANNEL_PLACEMENT_GROUP,)),
    ), _S, ("The page's 'View networks, clusters, nodes, and SDI sources' row. ListChannelPlacementGroups and "
            "DescribeChannelPlacementGroup [inferred] from SAR: a channel on Anywhere is placed in a group. Opt-in "
            "(medialive_anywhere=True) from BASIC up.",)),
    Row("N2", "MediaLive Anywhere: create, update and delete channel placement groups (run channels on a cluster)",
        ANYWHERE_REQUIREMENTS, (
        Grant(ml("CreateChannelPlacementGroup"), (ML_CHANNEL_PLACEMENT_GROUP, ML_CLUSTER)),
        Grant(ml("UpdateChannelPlacementGroup", "DeleteChannelPlacementGroup"), (ML_CHANNEL_PLACEMENT_GROUP,)),
    ), _S, ("The page's runtime actions: channels that run on MediaLive Anywhere are created in a channel placement "
            "group of a cluster. Opt-in (medialive_anywhere=True) from READ_WRITE up.",)),
    Row("N3", "MediaLive Anywhere: create, modify and delete networks, clusters, nodes and SDI sources",
        ANYWHERE_REQUIREMENTS, (
        Grant(ml("CreateNetwork", "UpdateNetwork", "DeleteNetwork"), (ML_NETWORK,)),
        Grant(ml("CreateCluster", "UpdateCluster", "DeleteCluster", "CreateNodeRegistrationScript"), (ML_CLUSTER,)),
        Grant(ml("CreateNode"), (ML_NODE, ML_CLUSTER)),
        Grant(ml("UpdateNode", "UpdateNodeState", "DeleteNode"), (ML_NODE,)),
        Grant(ml("CreateSdiSource", "UpdateSdiSource", "DeleteSdiSource"), (ML_SDI_SOURCE,)),
    ), _S, ("The page's configuration actions. CreateNodeRegistrationScript and UpdateNodeState [inferred] from SAR: "
            "registering a node runs the script; a node is put in or out of service by its state. Opt-in "
            "(medialive_anywhere=True) for ADVANCED and the administrator. Not granted: the ECS forward-access-session "
            f"policies of {ANYWHERE_FAS} (ecs:CreateCluster, RegisterTaskDefinition, CreateService, and iam:PassRole "
            "on '*') and PassRole of the cluster's instance role: the security rule (PassRole only on named roles, "
            "only to their service) wins; an administrator attaches them where clusters are created.")),
    # --- other MediaLive actions of SAR --------------------------------------------------------------------
    Row("M1", "Restart a running channel's pipelines", SAR_MEDIALIVE, (
        Grant(ml("RestartChannelPipelines"), (ML_CHANNEL,)),
    ), _S, ("[inferred] No MediaLive IAM page assigns it. READ_WRITE: an operation on a running channel that interrupts "
            "its output (BASIC only starts and stops, S10).",)),
    Row("M2", "List the MediaLive channel engine versions", SAR_MEDIALIVE, (
        Grant(ml("ListVersions")),
    ), _S, ("[inferred] No MediaLive IAM page assigns it; a read (List, no resource type) shown with channels: BASIC.",)),
    Row("M3", "Create a partner input (the second input of a pair for a standard channel)", SAR_MEDIALIVE, (
        Grant(ml("CreatePartnerInput"), (ML_INPUT,)),
    ), _S, ("[inferred] Creating an input (S1): READ_WRITE. With tag scoping, the input the request names must carry "
            "the group's tag (aws:ResourceTag); it is not a TAG_ON_CREATE action, so the grant fails closed if "
            "MediaLive authorizes it on the new input.",)),
    # --- MediaPackage v2 destination dropdown -------------------------------------------------------------
    Row("S21.v2", "MediaPackage v2 channel groups and channels in the console's output-group dropdown", SAR_MEDIAPACKAGEV2, (
        Grant(_a("mediapackagev2", "ListChannelGroups")),
        Grant(_a("mediapackagev2", "ListChannels", "GetChannelGroup"), (MPV2_CHANNEL_GROUP,)),
        Grant(_a("mediapackagev2", "GetChannel"), (MPV2_CHANNEL, MPV2_CHANNEL_GROUP)),
    ), _S, ("[inferred] S21 covers MediaPackage v1 only; a v2 destination is chosen from channel groups and their "
            "channels. READ_WRITE, as S21.",)),
)

#: The administrator only: MediaLive's account configuration (the KMS key of the account's MediaLive secrets).
FEATURE_ADMIN_ROWS: tuple[Row, ...] = (
    Row("M4", "View and change MediaLive's account configuration", SAR_MEDIALIVE, (
        Grant(ml("DescribeAccountConfiguration", "UpdateAccountConfiguration")),
    ), "admin", ("[inferred] Account-wide (SAR: no resource type): the administrator only, never an operator tier.",)),
)

#: The nodes' own role (MediaLive Anywhere): no construct of this library creates it.
FEATURE_NODE_ROWS: tuple[Row, ...] = (
    Row("N4", "MediaLive Anywhere node agent: poll for work and report state changes (the nodes' instance role)",
        ANYWHERE_INSTANCE_ROLE, (
        Grant(ml("PollAnywhere", "SubmitAnywhereStateChange")),
    ), "node", ("The page's MediaLiveAnywhereAccess policy, attached to the instance role that Systems Manager assumes "
                "on each node; its Resource names the account's clusters, SAR gives the two actions no resource type "
                "('*'). Its second statement (iam:PassRole of MediaLiveAccessRole) and the two AWS managed policies "
                "of the page are not in this row. No construct grants N4: it documents where the node agent's calls "
                "belong.",)),
)
