"""The opt-ins a team turns on hold as tightly as the default (issue 20): each finding of the attack on the opt-ins
as a test through the IAM evaluator, on the operator group and on the administrator that take the opt-in."""

from __future__ import annotations

import pytest
from tools.iam_evaluator import TemplateEvaluator

from medialive_iam_constructs import RestrictedAdmin
from medialive_iam_constructs.catalog.opt_ins import split_stack_rows
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


def _personas(evaluator, stack_name: str, **groups: dict) -> dict[str, Persona]:
    """One stack with a MediaLiveOperatorGroup per keyword (its props; tag-scoped to Team=news unless they say
    otherwise, passing ROLE unless BASIC), each group's persona by the keyword."""
    _, stack = new_stack(stack_name)
    made = {}
    for name, props in groups.items():
        props = {"resource_tag": ("Team", "news"), **props}
        if props.get("tier") is not OperatorTier.BASIC:
            props.setdefault("trusted_roles", [ROLE])
        made[name] = MediaLiveOperatorGroup(stack, name.title().replace("_", ""), **props)
    template = template_of(stack)
    return {n: Persona(template, stack.get_logical_id(g.group.node.default_child), evaluator) for n, g in made.items()}


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


# --- finding 4: a role without the boundary kept its policies where the administrator writes ----------------------

def _policy_arns(template: dict) -> list[str]:
    return [f"arn:aws:iam::{ACCOUNT}:policy{r['Properties']['Path']}{r['Properties']['ManagedPolicyName']}"
            for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]


@pytest.fixture(scope="module")
def admin_and_unbounded_role(iam_evaluator):
    """The administrator in one app, a workflow role made without a boundary in another app of the same account."""
    from medialive_iam_constructs import MediaLiveTrustedRole

    _, admin_stack = new_stack("AdminApp")
    ops = MediaLiveOperatorGroup(admin_stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE])
    admin = RestrictedAdmin(admin_stack, "Admin", operator_groups=[ops])
    _, role_stack = new_stack("PipelineApp")
    MediaLiveTrustedRole(role_stack, "Role", role_name="medialive-pipeline", source_buckets=["medialive-src"])
    persona = Persona(template_of(admin_stack), admin_stack.get_logical_id(admin.group.node.default_child), iam_evaluator)
    return persona, _policy_arns(template_of(role_stack))


@pytest.mark.parametrize("action", ["iam:CreatePolicyVersion", "iam:SetDefaultPolicyVersion", "iam:DeletePolicyVersion",
                                    "iam:DeletePolicy", "iam:TagPolicy"])
def test_admin_cannot_rewrite_the_policies_of_a_role_without_the_boundary(admin_and_unbounded_role, action):
    """Failed before: the role's policies sat under /medialive/trusted-entity/ (the admin's A6 path), Allowed."""
    admin, arns = admin_and_unbounded_role
    assert arns and all("/medialive-unbounded/" in a for a in arns)
    for arn in arns:
        assert admin.decide(action, arn) == "ExplicitlyDenied", arn


def test_admin_still_maintains_the_policies_of_bounded_roles(admin_and_unbounded_role):
    admin, _ = admin_and_unbounded_role
    arn = f"arn:aws:iam::{ACCOUNT}:policy/medialive/trusted-entity/medialive-news-trusted-entity"
    assert admin.decide("iam:CreatePolicyVersion", arn) == "Allowed"


def test_a_role_without_the_boundary_cannot_put_its_policies_under_another_path():
    from medialive_iam_constructs import MediaLiveIamError, MediaLiveTrustedRole

    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match="policy_path.*without a permissions boundary"):
        MediaLiveTrustedRole(stack, "Role", role_name="medialive-x", policy_path="/medialive/trusted-entity/",
                             source_buckets=["medialive-src"])


@pytest.mark.parametrize("path", ["/medialive-unbounded/", "/medialive-unbounded/team/"])
def test_the_administrator_never_manages_the_unbounded_path(path):
    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE])
    with pytest.raises(MediaLiveIamError, match="policy_path.*overlaps '/medialive-unbounded/'"):
        RestrictedAdmin(stack, "Admin", operator_groups=[ops], policy_path=path)


# --- finding 8: a tag-scoped team read another team's MediaPackage ingest credentials ------------------------------

MP_CHANNEL = f"arn:aws:mediapackage:{REGION}:{ACCOUNT}:channels/"
NEWS, SPORTS = {"aws:ResourceTag/Team": "news"}, {"aws:ResourceTag/Team": "sports"}


@pytest.fixture(scope="module")
def tagged(iam_evaluator) -> dict[str, Persona]:
    return _personas(iam_evaluator, "TagScopedMediaPackage", read_write=dict(tier=OperatorTier.READ_WRITE),
                     wizard=dict(tier=OperatorTier.ADVANCED, workflow_wizard=True),
                     listing=dict(tier=OperatorTier.READ_WRITE, mediapackage_channel_listing=True))


@pytest.mark.parametrize("persona", ["read_write", "wizard", "listing"])
def test_tag_scoped_team_reads_only_its_own_channels_credentials(tagged, persona):
    """Failed before: DescribeChannel (ingest user names and passwords) on every v1 channel of the account."""
    p = tagged[persona]
    assert p.decide("mediapackage:DescribeChannel", MP_CHANNEL + "sports-live", SPORTS) != "Allowed"
    assert p.decide("mediapackage:DescribeChannel", MP_CHANNEL + "untagged") != "Allowed"
    assert p.decide("mediapackage:DescribeChannel", MP_CHANNEL + "news-live", NEWS) == "Allowed"


@pytest.mark.parametrize("persona", ["read_write", "wizard"])
def test_tag_scoped_team_lists_no_channels_by_default(tagged, persona):
    """Failed before: ListChannels (every channel's credentials, no resource type to scope) was Allowed."""
    assert tagged[persona].decide("mediapackage:ListChannels", "*") != "Allowed"


def test_tag_scoped_listing_is_an_explicit_choice(tagged):
    from medialive_iam_constructs import MediaLiveIamError

    assert tagged["listing"].decide("mediapackage:ListChannels", "*") == "Allowed"
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match="mediapackage_channel_listing.*without tag scoping"):
        MediaLiveOperatorGroup(stack, "G", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE],
                               mediapackage_channel_listing=True)


# --- finding 5: organization mode's baseline runs as StackSet-<name>-<id>, which the guard did not name -----------

@pytest.mark.parametrize("prop", ["workflow_wizard_stack_prefix", "workflow_monitor_stack_prefix"])
@pytest.mark.parametrize("prefix", ["StackSet-", "Stack", "StackSet-MediaLiveIam"])
def test_a_stack_prefix_that_reaches_stack_set_instances_fails_at_synth(prop, prefix):
    """Failed before: accepted, and DeleteStack then reached the organization baseline in every member account."""
    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    kw = {"workflow_wizard": True} if prop == "workflow_wizard_stack_prefix" else {"workflow_monitor_deploy": True}
    if prop == "workflow_wizard_stack_prefix":
        kw["workflow_monitor_stack_prefix"] = None
    with pytest.raises(MediaLiveIamError, match=f"{prop}.*StackSet-"):
        MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], **{prop: prefix}, **kw)


@pytest.fixture(scope="module")
def wizard(iam_evaluator) -> dict[str, Persona]:
    _, stack = new_stack("WizardOptIn")
    kw = dict(workflow_wizard=True, workflow_monitor_deploy=True, workflow_monitor_stack_prefix="MediaLiveMonitor-")
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], **kw)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops], **kw)
    template = template_of(stack)
    return {name: Persona(template, stack.get_logical_id(c.group.node.default_child), iam_evaluator)
            for name, c in (("advanced", ops), ("admin", admin))}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["cloudformation:DeleteStack", "cloudformation:UpdateStack",
                                    "cloudformation:CreateChangeSet"])
def test_no_stack_set_instance_is_reachable(wizard, persona, action):
    """The guard names every StackSet instance explicitly, whatever the prefixes say (an explicit Deny holds even if
    a broader policy is attached later)."""
    arn = stack_arn("StackSet-MediaLiveIamBaseline-1a2b3c4d")
    assert wizard[persona].decide(action, arn) == "ExplicitlyDenied"


# --- finding 7: updates that carry tags re-tagged a team's resources with another team's tag ----------------------

ML = f"arn:aws:medialive:{REGION}:{ACCOUNT}:"


@pytest.fixture(scope="module")
def tag_updates(iam_evaluator) -> dict[str, Persona]:
    return _personas(iam_evaluator, "TagScopedUpdates", read_write=dict(tier=OperatorTier.READ_WRITE),
                     advanced=dict(tier=OperatorTier.ADVANCED, medialive_anywhere=True))


@pytest.mark.parametrize("persona, action, resource", [
    ("read_write", "medialive:UpdateInputSecurityGroup", ML + "inputSecurityGroup:1234"),
    ("read_write", "medialive:CreatePartnerInput", ML + "input:1234"),
    ("advanced", "medialive:UpdateCluster", ML + "cluster:c-1"),
    ("advanced", "medialive:UpdateNetwork", ML + "network:n-1"),
    ("advanced", "medialive:UpdateSdiSource", ML + "sdiSource:s-1"),
])
def test_tag_scoped_updates_keep_the_teams_tag(tag_updates, persona, action, resource):
    """Failed before: an update of the team's own resource could set Team=sports (the request's tags unconditioned)."""
    p = tag_updates[persona]
    assert p.decide(action, resource, {**NEWS, "aws:RequestTag/Team": "sports", "aws:TagKeys": ["Team"]}) != "Allowed"
    assert p.decide(action, resource, {**NEWS, "aws:RequestTag/Team": "news", "aws:TagKeys": ["Team"]}) == "Allowed"
    assert p.decide(action, resource, NEWS) == "Allowed"
    assert p.decide(action, resource, SPORTS) != "Allowed"


# --- attack review: the administrator holds whatever the groups it manages hold ---------------------------------

@pytest.mark.parametrize("group_kw, admin_kw, fix", [
    (dict(tier=OperatorTier.READ_WRITE, trusted_entity="simple", simple_role_write_equals_iam_admin=True),
     dict(trusted_entity="simple"), "outside the RestrictedAdmin"),
    (dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], allow_device_transfer=True), {},
     "allow_device_transfer=True"),
    (dict(tier=OperatorTier.ADVANCED, trusted_roles=[ROLE], medialive_anywhere=True), {}, "medialive_anywhere=True"),
])
def test_the_administrator_never_manages_a_group_that_holds_more(group_kw, admin_kw, fix):
    """Failed before: synthesized, and the administrator created a user, added it to the group and, through it,
    wrote MediaLiveAccessRole's trust (S29/S31) or transferred devices, which its own policies deny."""
    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    group = MediaLiveOperatorGroup(stack, "Writers", **group_kw)
    with pytest.raises(MediaLiveIamError, match=f"operator_groups.*Writers.*holds .*which the administrator does not.*{fix}"):
        RestrictedAdmin(stack, "Admin", operator_groups=[group], **admin_kw)


def test_the_administrator_manages_a_group_with_the_same_opt_in():
    _, stack = new_stack()
    group = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE],
                                   allow_device_transfer=True, medialive_anywhere=True)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[group], allow_device_transfer=True, medialive_anywhere=True)
    assert set(group.rows) - {"A9"} <= set(admin.rows)


@pytest.mark.parametrize("boundary", ["AdministratorAccess", "imported"])
def test_a_role_under_another_boundary_keeps_its_policies_apart(boundary):
    """Attack review: a role whose boundary is not a MediaLivePermissionsBoundary (AdministratorAccess, another
    app's policy) kept its policies under the administrator's path, which rewrote them. Failed before."""
    from aws_cdk import aws_iam as iam

    from medialive_iam_constructs import MediaLivePermissionsBoundary, MediaLiveTrustedRole

    _, stack = new_stack()
    policy = (iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess") if boundary == "AdministratorAccess"
              else iam.ManagedPolicy.from_managed_policy_name(stack, "B", "SomeBoundary"))
    MediaLiveTrustedRole(stack, "Weak", role_name="medialive-weak", permissions_boundary=policy,
                         source_buckets=["medialive-src"])
    ours = MediaLivePermissionsBoundary(stack, "Ours", path="/medialive-admin/")
    MediaLiveTrustedRole(stack, "ByPolicy", role_name="medialive-by-policy", permissions_boundary=ours.policy,
                         source_buckets=["medialive-src"])
    paths = {r["Properties"]["ManagedPolicyName"]: r["Properties"]["Path"]
             for r in template_of(stack)["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"
             and r["Properties"].get("Roles")}
    assert paths == {"medialive-weak-unbounded": "/medialive-unbounded/",
                     "medialive-by-policy-trusted-entity": "/medialive/trusted-entity/"}


# --- attack review: reservations and Elemental Inference feeds of another team ------------------------------------

@pytest.fixture(scope="module")
def tagged_advanced(iam_evaluator) -> Persona:
    return _personas(iam_evaluator, "TagScopedAdvanced", news=dict(tier=OperatorTier.ADVANCED))["news"]


@pytest.mark.parametrize("action, resource", [
    ("medialive:DescribeReservation", ML + "reservation:1234"),
    ("medialive:UpdateReservation", ML + "reservation:1234"),
    ("medialive:DeleteReservation", ML + "reservation:1234"),
    ("elemental-inference:GetFeed", f"arn:aws:elemental-inference:{REGION}:{ACCOUNT}:feed/f-1"),
    ("elemental-inference:DeleteFeed", f"arn:aws:elemental-inference:{REGION}:{ACCOUNT}:feed/f-1"),
])
def test_tag_scoped_team_keeps_to_its_reservations_and_feeds(tagged_advanced, action, resource):
    """Failed before: a tag-scoped ADVANCED team changed or deleted another team's reservations and feeds."""
    assert tagged_advanced.decide(action, resource, SPORTS) != "Allowed"
    assert tagged_advanced.decide(action, resource, NEWS) == "Allowed"


def test_tag_scoped_team_buys_and_creates_only_with_its_tag(tagged_advanced):
    offering, reservation = ML + "offering:87654321", ML + "reservation:*"
    for resource in (offering, reservation):
        assert tagged_advanced.decide("medialive:PurchaseOffering", resource, {"aws:RequestTag/Team": "news"}) == "Allowed"
    assert tagged_advanced.decide("medialive:PurchaseOffering", reservation, {"aws:RequestTag/Team": "sports"}) != "Allowed"
    assert tagged_advanced.decide("elemental-inference:CreateFeed", "*", {"aws:RequestTag/Team": "news"}) == "Allowed"
    assert tagged_advanced.decide("elemental-inference:CreateFeed", "*") != "Allowed"


def test_tag_scoped_team_reads_only_its_own_password_parameters(tagged_advanced):
    """Attack review: S41 gave a tag-scoped ADVANCED team the values of every parameter under the shared path.
    Failed before."""
    param = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/sports/rtmp-password"
    for action in ("ssm:GetParameter", "ssm:GetParameters", "ssm:GetParameterHistory"):
        assert tagged_advanced.decide(action, param, SPORTS) != "Allowed"
        assert tagged_advanced.decide(action, param, NEWS) == "Allowed"


# --- attack review: notification endpoint patterns that leave the host open ---------------------------------------

@pytest.mark.parametrize("endpoint", ["https://hooks.example.com*", "https://*.example.com/x", "*@example.com",
                                      "https://hooks.example.com"])
def test_endpoint_patterns_with_an_open_host_fail_at_synth(endpoint):
    """Failed before: accepted (the validator's own example '*@example.com' among them), and sns:Subscribe then
    reached https://hooks.example.com.evil.net/ or https://evil.net/?u=a@example.com."""
    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match="notification_endpoints"):
        MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE],
                               notification_endpoints=[endpoint])


@pytest.mark.parametrize("endpoint", ["https://hooks.example.com/*", "alerts@example.com",
                                      "https://hooks.example.com/medialive"])
def test_endpoints_with_a_fixed_host_pass(endpoint):
    _, stack = new_stack()
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE],
                           notification_endpoints=[endpoint])
    subscribe = [s for r in template_of(stack)["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"
                 for s in r["Properties"]["PolicyDocument"]["Statement"]
                 if s["Action"] == "sns:Subscribe" and "sns:Endpoint" in s.get("Condition", {}).get("StringLike", {})]
    assert [s["Condition"]["StringLike"]["sns:Endpoint"] for s in subscribe] == [[endpoint]]


def test_tag_scoped_team_reads_no_parameters_by_path(tagged_advanced):
    """Second review: a team created /medialive/sports tagged with its own tag, then GetParametersByPath on it read
    every parameter below (IAM checks the path's ARN only). Failed before: Allowed."""
    path = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/sports"
    assert tagged_advanced.decide("ssm:GetParametersByPath", path, NEWS) != "Allowed"


def test_endpoint_tokens_fail_at_synth():
    """Second review: a CfnParameter as endpoint skipped the host check (a deploy-time '*'). Failed before."""
    import aws_cdk as cdk

    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    endpoint = cdk.CfnParameter(stack, "Endpoint").value_as_string
    with pytest.raises(MediaLiveIamError, match="notification_endpoints.*token"):
        MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, trusted_roles=[ROLE],
                               notification_endpoints=[endpoint])


# --- second review: the administrator's grants cover its groups' bindings too --------------------------------------

@pytest.mark.parametrize("group_kw", [
    dict(parameter_path="/prod/"),
    dict(notification_prefix="soc"),
    dict(trusted_roles=[f"arn:aws:iam::{ACCOUNT}:role/service-role/PipelineDeployRole"]),
    dict(workflow_wizard=True, workflow_wizard_stack_prefix="Prod"),
    dict(pass_roles_by_path="/pipeline/"),
])
def test_the_administrator_never_manages_a_group_bound_wider(group_kw):
    """Second review: same rows, other bindings (a parameter path, a notification prefix, a role, a stack prefix):
    the administrator's user in the group read /prod/ parameters, deleted SOC rules, passed a pipeline role.
    Failed before: synthesized."""
    from medialive_iam_constructs import MediaLiveIamError

    _, stack = new_stack()
    kw = {"trusted_roles": [ROLE], **group_kw}
    if "pass_roles_by_path" in kw:
        kw.pop("trusted_roles")
    group = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.ADVANCED, **kw)
    admin_kw = {"workflow_wizard": True} if group_kw.get("workflow_wizard") else {}
    with pytest.raises(MediaLiveIamError, match="operator_groups.*the administrator's own do not cover"):
        RestrictedAdmin(stack, "Admin", operator_groups=[group], **admin_kw)


@pytest.mark.parametrize("prop", ["allow_batch_operations", "mediapackage_channel_listing"])
def test_what_tag_scoping_leaves_out_is_given_back_only_to_a_tag_scoped_group(prop):
    """Each entry of TAG_SCOPE_OPT_INS is refused without resource_tag (it would change nothing there)."""
    from medialive_iam_constructs import MediaLiveIamError
    from medialive_iam_constructs.catalog.opt_ins import TAG_SCOPE_OPT_INS

    assert prop in {e.prop for e in TAG_SCOPE_OPT_INS}
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match=f"{prop}: given without tag scoping"):
        MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.READ_WRITE, trusted_roles=[ROLE], **{prop: True})


# --- split_stack_rows: each opted stack-making opt-in's rows apart ---------------------------------------------------

def test_split_stack_rows_moves_each_opted_stack_opt_ins_rows_apart():
    rows = ["S2", "S15", "S16", "W4", "S40"]
    rest, stacked = split_stack_rows(rows, {"workflow_wizard": True, "workflow_monitor_deploy": True})
    assert rest == ("S2", "S40")  # every row of an opted stack-making opt-in goes with it (S16 too)
    assert [(o.prop, own) for o, own in stacked] == [("workflow_wizard", ("S15", "S16")),
                                                     ("workflow_monitor_deploy", ("W4",))]
    assert split_stack_rows(rows, {"workflow_wizard": False}) == (tuple(rows), ())
