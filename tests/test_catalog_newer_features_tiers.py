"""Issue 13: workflow monitor (W), MediaLive Anywhere (N), other MediaLive actions (M) and the MediaPackage v2
dropdown (S21.v2) in the tiers, the opt-ins and tag scoping, proven through the IAM evaluator."""

from __future__ import annotations

import pytest
from tools.iam_evaluator import TemplateEvaluator

from medialive_iam_constructs import MediaLiveIamError, RestrictedAdmin, catalog
from medialive_iam_constructs.catalog.tiers import OperatorTier, TrustedEntityOption, tier_rows
from medialive_iam_constructs.operator_group import MediaLiveOperatorGroup
from tests.helpers import ACCOUNT, REGION, assert_cfn_lint_clean, assert_nag_clean, new_stack, template_of

ROLE = f"arn:aws:iam::{ACCOUNT}:role/medialive/workflow-a"
ML = f"arn:aws:medialive:{REGION}:{ACCOUNT}:"
NEWS = {"aws:ResourceTag/Department": "news"}
SPORTS = {"aws:ResourceTag/Department": "sports"}


def stack_arn(name: str) -> str:
    return f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/{name}/0000"


class Built:
    def __init__(self, stack, construct, evaluator):
        self.stack, self.construct = stack, construct
        self.template = template_of(stack)
        self.id = stack.get_logical_id(construct.group.node.default_child)
        self.te = TemplateEvaluator(self.template, evaluator)

    def decide(self, action, resource, context=None):
        return self.te.decide(self.id, action, resource, context)


def group(evaluator, tier, name="Ops", **kw):
    app, stack = new_stack(name)
    if tier is not OperatorTier.BASIC and "trusted_roles" not in kw:
        kw["trusted_roles"] = [ROLE]
    g = MediaLiveOperatorGroup(stack, "Operators", tier=tier, **kw)
    return app, Built(stack, g, evaluator)


@pytest.fixture(scope="module")
def anywhere(iam_evaluator):
    return {t: group(iam_evaluator, t, f"Anywhere{t.name.title().replace('_', '')}", medialive_anywhere=True)[1]
            for t in OperatorTier}


@pytest.fixture(scope="module")
def plain(iam_evaluator):
    return {t: group(iam_evaluator, t, f"Plain{t.name.title().replace('_', '')}")[1] for t in OperatorTier}


# --- tiers ------------------------------------------------------------------------------------------

def test_workflow_monitor_reads_basic_operations_read_write_setup_advanced(plain):
    signal_map = ML + "signal-map:sm-1"
    template = ML + "cloudwatch-alarm-template:t-1"
    group_ = ML + "cloudwatch-alarm-template-group:g-1"
    b, rw, adv = plain[OperatorTier.BASIC], plain[OperatorTier.READ_WRITE], plain[OperatorTier.ADVANCED]
    for built in (b, rw, adv):
        assert built.decide("medialive:GetSignalMap", signal_map) == "Allowed"
        assert built.decide("medialive:ListSignalMaps", "*") == "Allowed"
        assert built.decide("medialive:ListVersions", "*") == "Allowed"
    assert b.decide("medialive:CreateSignalMap", signal_map) == "ImplicitlyDenied"
    assert b.decide("medialive:RestartChannelPipelines", ML + "channel:1") == "ImplicitlyDenied"
    for built in (rw, adv):
        assert built.decide("medialive:CreateSignalMap", signal_map) == "Allowed"
        assert built.decide("medialive:RestartChannelPipelines", ML + "channel:1") == "Allowed"
        assert built.decide("medialive:CreatePartnerInput", ML + "input:1") == "Allowed"
        assert built.decide("mediapackagev2:ListChannels", f"arn:aws:mediapackagev2:{REGION}:{ACCOUNT}:channelGroup/g") == "Allowed"
    assert rw.decide("medialive:CreateCloudWatchAlarmTemplate", template) == "ImplicitlyDenied"
    assert adv.decide("medialive:CreateCloudWatchAlarmTemplate", template) == "Allowed"
    assert adv.decide("medialive:CreateCloudWatchAlarmTemplateGroup", group_) == "Allowed"
    for built in (b, rw, adv):  # deployments are opt-in; account configuration is the administrator's
        assert built.decide("medialive:StartMonitorDeployment", signal_map) == "ImplicitlyDenied"
        assert built.decide("medialive:UpdateAccountConfiguration", "*") == "ImplicitlyDenied"
        assert built.decide("medialive:CreateCluster", ML + "cluster:c") == "ImplicitlyDenied"


def test_tiers_stay_monotonic_with_every_opt_in():
    for option in TrustedEntityOption:
        for kw in ({}, {"medialive_anywhere": True}):
            b, rw, adv = (set(tier_rows(t, option, **kw)) for t in OperatorTier)
            assert b <= rw | {"S30"} and rw <= adv, (option, kw)


# --- MediaLive Anywhere -----------------------------------------------------------------------------

def test_anywhere_is_opt_in_and_follows_the_tier(anywhere, plain):
    cluster, node = ML + "cluster:c-1", ML + "node:c-1/n-1"
    cpg = ML + "channelPlacementGroup:c-1/p-1"
    for t in OperatorTier:
        assert plain[t].decide("medialive:DescribeCluster", cluster) == "ImplicitlyDenied", t
        assert anywhere[t].decide("medialive:DescribeCluster", cluster) == "Allowed", t
        assert anywhere[t].decide("medialive:ListNodes", "*") == "Allowed", t
    assert anywhere[OperatorTier.BASIC].decide("medialive:CreateChannelPlacementGroup", cpg) == "ImplicitlyDenied"
    assert anywhere[OperatorTier.READ_WRITE].decide("medialive:CreateChannelPlacementGroup", cpg) == "Allowed"
    assert anywhere[OperatorTier.READ_WRITE].decide("medialive:CreateCluster", cluster) == "ImplicitlyDenied"
    assert anywhere[OperatorTier.ADVANCED].decide("medialive:CreateCluster", cluster) == "Allowed"
    assert anywhere[OperatorTier.ADVANCED].decide("medialive:CreateNode", node) == "Allowed"
    assert anywhere[OperatorTier.ADVANCED].decide("medialive:CreateNodeRegistrationScript", cluster) == "Allowed"
    # the nodes' own calls (N4) belong to the instance role, never to people
    assert anywhere[OperatorTier.ADVANCED].decide("medialive:PollAnywhere", "*") == "ImplicitlyDenied"


def test_anywhere_rows_need_the_opt_in():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match="medialive_anywhere=True"):
        MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], add_rows=["N3"])
    with pytest.raises(MediaLiveIamError, match="must never get"):
        MediaLiveOperatorGroup(stack, "Ops2", tier=OperatorTier.BASIC, add_rows=["N3"], medialive_anywhere=True)


def test_account_configuration_is_the_administrators_only(iam_evaluator):
    app, stack = new_stack("AdminIssue13")
    _, stack2 = new_stack()
    with pytest.raises(MediaLiveIamError, match="admin table"):
        MediaLiveOperatorGroup(stack2, "Ops", tier=None, rows=["M4"])
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops], medialive_anywhere=True)
    te = TemplateEvaluator(template_of(stack), iam_evaluator)
    gid = stack.get_logical_id(admin.group.node.default_child)
    assert te.decide(gid, "medialive:UpdateAccountConfiguration", "*") == "Allowed"
    assert te.decide(gid, "medialive:DeleteCluster", ML + "cluster:c") == "Allowed"
    assert set(tier_rows(OperatorTier.ADVANCED, TrustedEntityOption.COMPLEX, medialive_anywhere=True)) <= set(admin.rows)


# --- tag scoping of the new kinds ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def tagged(iam_evaluator):
    return group(iam_evaluator, OperatorTier.ADVANCED, "TaggedIssue13", resource_tag=("Department", "news"),
                 medialive_anywhere=True)[1]


@pytest.mark.parametrize("action,resource", [
    ("medialive:CreateSignalMap", "signal-map:new"),
    ("medialive:CreateCluster", "cluster:new"),
    ("medialive:CreateNetwork", "network:new"),
    ("medialive:CreateSdiSource", "sdiSource:new"),
    ("medialive:CreateCloudWatchAlarmTemplateGroup", "cloudwatch-alarm-template-group:new"),
    ("medialive:CreateEventBridgeRuleTemplate", "eventbridge-rule-template:new"),
])
def test_tag_scope_creates_new_kinds_only_with_its_tag(tagged, action, resource):
    assert tagged.decide(action, ML + resource, {"aws:RequestTag/Department": "news"}) == "Allowed"
    assert tagged.decide(action, ML + resource, {"aws:RequestTag/Department": "sports"}) == "ImplicitlyDenied"
    assert tagged.decide(action, ML + resource) == "ImplicitlyDenied"


@pytest.mark.parametrize("action,resource", [
    ("medialive:DeleteSignalMap", "signal-map:1"),
    ("medialive:DeleteCluster", "cluster:1"),
    ("medialive:UpdateNodeState", "node:1/2"),
    ("medialive:DeleteChannelPlacementGroup", "channelPlacementGroup:1/2"),
    ("medialive:GetCloudWatchAlarmTemplate", "cloudwatch-alarm-template:1"),
    ("medialive:CreateNodeRegistrationScript", "cluster:1"),
])
def test_tag_scope_reaches_only_its_own_new_kinds(tagged, action, resource):
    assert tagged.decide(action, ML + resource, NEWS) == "Allowed"
    assert tagged.decide(action, ML + resource, SPORTS) == "ImplicitlyDenied"


def test_tag_scope_template_joins_only_its_own_group(tagged):
    """Creating an alarm template in a group: the new template by its request tag, the group by its resource tag."""
    assert tagged.decide("medialive:CreateCloudWatchAlarmTemplate", ML + "cloudwatch-alarm-template-group:g",
                         NEWS) == "Allowed"
    assert tagged.decide("medialive:CreateCloudWatchAlarmTemplate", ML + "cloudwatch-alarm-template-group:g",
                         SPORTS) == "ImplicitlyDenied"


# --- workflow monitor deployments (W4) ----------------------------------------------------------------

@pytest.fixture(scope="module")
def deployer(iam_evaluator):
    app, built = group(iam_evaluator, OperatorTier.ADVANCED, "MonitorDeploy", workflow_monitor_deploy=True,
                       workflow_monitor_stack_prefix="MediaLiveMonitor-", workflow_wizard=True)
    return app, built


def test_monitor_deploy_is_opt_in_with_a_stack_prefix(deployer, plain):
    _, built = deployer
    types = {"cloudformation:ResourceTypes": ["AWS::CloudWatch::Alarm", "AWS::Events::Rule"]}
    via_cfn = {"aws:CalledVia": ["cloudformation.amazonaws.com"]}
    assert built.decide("medialive:StartMonitorDeployment", ML + "signal-map:1") == "Allowed"
    assert built.decide("cloudformation:CreateStack", stack_arn("MediaLiveMonitor-sm1"), types) == "Allowed"
    assert built.decide("cloudformation:UpdateStack", stack_arn("MediaLiveMonitor-sm1"), types) == "Allowed"
    assert built.decide("cloudformation:CreateStack", stack_arn("MediaLiveMonitor-sm1"),
                        {**types, "cloudformation:RoleArn": f"arn:aws:iam::{ACCOUNT}:role/deploy"}) == "ImplicitlyDenied"
    # the wizard keeps its own prefix; neither reaches CDKToolkit or the app's own stack
    assert built.decide("cloudformation:DeleteStack", stack_arn("MediaLiveWorkflow-x")) == "Allowed"
    assert built.decide("cloudformation:UpdateStack", stack_arn("MediaLiveWorkflow-x"), types) == "ImplicitlyDenied"
    assert built.decide("cloudformation:DeleteStack", stack_arn("billing")) == "ImplicitlyDenied"
    assert built.decide("cloudformation:DeleteStack", stack_arn("CDKToolkit")) == "ExplicitlyDenied"
    assert built.decide("cloudformation:UpdateStack", stack_arn("MonitorDeploy"), types) == "ExplicitlyDenied"
    # rules (made by CloudFormation) watch media events only, target only this account's topics
    assert built.decide("events:PutRule", "*", {**via_cfn, "events:source": ["aws.mediaconnect"]}) == "Allowed"
    assert built.decide("events:PutRule", "*", {**via_cfn, "events:source": ["aws.iam"]}) == "ImplicitlyDenied"
    assert built.decide("events:PutTargets", "*", {
        **via_cfn, "events:TargetArn": [f"arn:aws:sns:{REGION}:{ACCOUNT}:alerts"]}) == "Allowed"
    assert built.decide("events:PutTargets", "*", {
        **via_cfn, "events:TargetArn": [f"arn:aws:sns:{REGION}:999988887777:alerts"]}) == "ImplicitlyDenied"
    assert plain[OperatorTier.ADVANCED].decide("cloudformation:CreateStack", stack_arn("MediaLiveMonitor-x"), types) \
        == "ImplicitlyDenied"


def test_monitor_deploy_is_nag_and_lint_clean(deployer):
    app, built = deployer
    assert_nag_clean(app, built.stack)
    assert_cfn_lint_clean(built.template)


def test_monitor_deploy_needs_advanced_and_a_prefix():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match="workflow_monitor_stack_prefix"):
        MediaLiveOperatorGroup(stack, "A", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], workflow_monitor_deploy=True)
    with pytest.raises(MediaLiveIamError, match="must never get workflow monitor"):
        MediaLiveOperatorGroup(stack, "B", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE],
                               workflow_monitor_deploy=True, workflow_monitor_stack_prefix="MediaLiveMonitor-")
    with pytest.raises(MediaLiveIamError, match="CDKToolkit"):
        MediaLiveOperatorGroup(stack, "C", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE],
                               workflow_monitor_deploy=True, workflow_monitor_stack_prefix="CDK")


def test_same_opt_in_props_on_groups_and_the_admin():
    import inspect

    group_params = inspect.signature(MediaLiveOperatorGroup.__init__).parameters
    admin_params = inspect.signature(RestrictedAdmin.__init__).parameters
    for prop in ("medialive_anywhere", "workflow_monitor_deploy", "workflow_monitor_stack_prefix", "workflow_wizard"):
        assert prop in group_params and prop in admin_params, prop


def test_quotas_with_every_opt_in():
    """ADVANCED and the administrator with every opt-in stay within 10 policies of 6,144 characters."""
    app, stack = new_stack("Quotas13")
    kw = dict(medialive_anywhere=True, workflow_wizard=True, workflow_monitor_deploy=True,
              workflow_monitor_stack_prefix="MediaLiveMonitor-")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, pass_roles_by_path="/medialive/", **kw)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops], **kw)
    assert len(ops.managed_policies) <= 10 and len(admin.managed_policies) <= 10
    assert "M4" in admin.rows and "W4" in admin.rows and "N3" in admin.rows
    assert catalog.ROWS["M4"].table == "admin"
