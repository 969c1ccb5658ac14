"""The opt-ins a team turns on hold as tightly as the default (issue 20): each finding of the attack on the opt-ins
as a test through the IAM evaluator, on the operator group and on the administrator that take the opt-in."""

from __future__ import annotations

import pytest
from iam_evaluator import TemplateEvaluator

from medialive_iam_constructs import RestrictedAdmin
from medialive_iam_constructs.catalog.tiers import OperatorTier
from medialive_iam_constructs.operator_group import MediaLiveOperatorGroup
from tests.helpers import ACCOUNT, REGION, new_stack, template_of

ROLE = f"arn:aws:iam::{ACCOUNT}:role/medialive/workflow-a"
OTHER_ACCOUNT = "999988887777"
VIA_CFN = {"aws:CalledVia": ["cloudformation.amazonaws.com"]}
MONITOR_TYPES = ["AWS::CloudWatch::Alarm", "AWS::Events::Rule"]
TOPIC = f"arn:aws:sns:{REGION}:{ACCOUNT}:medialive-alerts"
EXISTING_RULE = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/SecurityHubFindingsToSOC"
ALARM = f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:billing-guard"


def stack_arn(name: str) -> str:
    return f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{name}/0000"


class Persona:
    def __init__(self, template: dict, logical_id: str, evaluator) -> None:
        self.id, self.te = logical_id, TemplateEvaluator(template, evaluator)

    def decide(self, action: str, resource: str, context: dict | None = None) -> str:
        return self.te.decide(self.id, action, resource, context)


@pytest.fixture(scope="module")
def monitor(iam_evaluator) -> dict[str, Persona]:
    """ADVANCED and the administrator with workflow monitor deployments (W4)."""
    _, stack = new_stack("MonitorOptIn")
    kw = dict(workflow_monitor_deploy=True, workflow_monitor_stack_prefix="MediaLiveMonitor-")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], **kw)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops], **kw)
    template = template_of(stack)
    return {name: Persona(template, stack.get_logical_id(c.group.node.default_child), iam_evaluator)
            for name, c in (("advanced", ops), ("admin", admin))}


PERSONAS = ["advanced", "admin"]


# --- finding 1: EventBridge writes reached every rule of the account ---------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
def test_monitor_cannot_retarget_an_existing_rule(monitor, persona):
    """Failed before: PutTargets on any rule (a security-findings rule) to a same-account topic was Allowed."""
    p = monitor[persona]
    context = {"events:TargetArn": [TOPIC]}
    assert p.decide("events:PutTargets", EXISTING_RULE, context) != "Allowed"
    assert p.decide("events:PutRule", EXISTING_RULE, {"events:source": ["aws.medialive"]}) != "Allowed"
    assert p.decide("events:DeleteRule", EXISTING_RULE) != "Allowed"
    assert p.decide("events:RemoveTargets", EXISTING_RULE) != "Allowed"


@pytest.mark.parametrize("persona", PERSONAS)
def test_monitor_rules_still_deploy_through_cloudformation(monitor, persona):
    p = monitor[persona]
    rule = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/MediaLiveMonitor-sm1-Rule-ABC"
    assert p.decide("events:PutRule", rule, {**VIA_CFN, "events:source": ["aws.medialive"]}) == "Allowed"
    assert p.decide("events:PutTargets", rule, {**VIA_CFN, "events:TargetArn": [TOPIC]}) == "Allowed"
    assert p.decide("events:DeleteRule", rule, VIA_CFN) == "Allowed"
    # and even through CloudFormation, never another account's topic or another service's events
    assert p.decide("events:PutTargets", rule, {**VIA_CFN, "events:TargetArn": [TOPIC.replace(ACCOUNT, OTHER_ACCOUNT)]}) \
        != "Allowed"
    assert p.decide("events:PutRule", rule, {**VIA_CFN, "events:source": ["aws.securityhub"]}) != "Allowed"


# --- finding 2: alarm actions were unconditioned ------------------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action_arn", [
    f"arn:aws:sns:{REGION}:{OTHER_ACCOUNT}:exfil",
    f"arn:aws:automate:{REGION}:ec2:terminate",
    f"arn:aws:swf:{REGION}:{ACCOUNT}:action/actions/AWS_EC2.InstanceId.Reboot/1.0",
])
def test_monitor_alarm_actions_only_this_accounts_topics(monitor, persona, action_arn):
    """Failed before: PutMetricAlarm with any alarm action (another account's topic, EC2 terminate) was Allowed."""
    p = monitor[persona]
    assert p.decide("cloudwatch:PutMetricAlarm", ALARM, {**VIA_CFN, "cloudwatch:AlarmActions": [action_arn]}) \
        != "Allowed"
    assert p.decide("cloudwatch:PutMetricAlarm", ALARM, {**VIA_CFN, "cloudwatch:AlarmActions": [TOPIC]}) == "Allowed"


@pytest.mark.parametrize("persona", PERSONAS)
def test_monitor_cannot_change_or_delete_existing_alarms_directly(monitor, persona):
    """Failed before: DeleteAlarms and PutMetricAlarm on every alarm of the account, called directly."""
    p = monitor[persona]
    assert p.decide("cloudwatch:DeleteAlarms", ALARM) != "Allowed"
    assert p.decide("cloudwatch:PutMetricAlarm", ALARM) != "Allowed"
    assert p.decide("cloudwatch:DescribeAlarms", ALARM) == "Allowed"


# --- finding 3: CreateStack/UpdateStack took any template --------------------------------------------------------

@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["cloudformation:CreateStack", "cloudformation:UpdateStack"])
def test_monitor_stacks_hold_only_alarms_and_rules(monitor, persona, action):
    """Failed before: any template (an IAM role, a Lambda function) on a stack under the prefix, and a stack's stored
    role then ran it. Now the request must name its resource types (cloudformation:ResourceTypes), all of them
    CloudWatch alarms and EventBridge rules."""
    p, stack = monitor[persona], stack_arn("MediaLiveMonitor-sm1")
    assert p.decide(action, stack, {"cloudformation:ResourceTypes": MONITOR_TYPES}) == "Allowed"
    assert p.decide(action, stack) != "Allowed"
    assert p.decide(action, stack, {"cloudformation:ResourceTypes": [*MONITOR_TYPES, "AWS::IAM::Role"]}) != "Allowed"
    assert p.decide(action, stack, {"cloudformation:ResourceTypes": ["AWS::Lambda::Function"]}) != "Allowed"
    assert p.decide(action, stack, {"cloudformation:ResourceTypes": MONITOR_TYPES,
                                    "cloudformation:RoleArn": f"arn:aws:iam::{ACCOUNT}:role/deploy"}) != "Allowed"
