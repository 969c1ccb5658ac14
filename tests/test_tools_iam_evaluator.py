"""Tests of the test-only IAM evaluator (iam_evaluator): template resolution + iam-simulate decisions.

All decisions come from @cloud-copilot/iam-simulate through one node process per session (the
``tools.iam_evaluator`` fixture of iam_evaluator.pytest_plugin). The templates are synthesized by aws-cdk-lib.
"""

from __future__ import annotations


from tools.iam_evaluator.project_node import use_project_node  # noqa: E402

use_project_node()

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from tools.iam_evaluator import (
    EvaluationError,
    Evaluator,
    TemplateEvaluator,
    TemplatePrincipals,
    TemplateResolutionError,
    principal_policies,
)
from tests.helpers import logical_id

ACCOUNT = "111122223333"
REGION = "us-west-2"
CHANNEL = f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:1234567"
OTHER_ACCOUNT_CHANNEL = f"arn:aws:medialive:{REGION}:444455556666:channel:1234567"
FLOW = f"arn:aws:mediaconnect:{REGION}:{ACCOUNT}:flow:1-abcdef:live"
OTHER_FLOW = f"arn:aws:mediaconnect:{REGION}:{ACCOUNT}:flow:1-zzzzzz:other"
PARAM = f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/key"


def new_stack() -> cdk.Stack:
    app = cdk.App()
    return cdk.Stack(
        app,
        "EvalTest",
        env=cdk.Environment(account=ACCOUNT, region=REGION),
        synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False),
    )


@pytest.fixture(scope="module")
def world():
    """One stack exercising every attachment route; returns (template, {name: logical id})."""
    stack = new_stack()
    ids: dict[str, str] = {}

    # Role passed to MediaLive (with a Path, to check GetAtt Arn resolution).
    access_role = iam.Role(
        stack, "ChannelAccessRole", path="/medialive/",
        assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"),
    )
    ids["access_role"] = logical_id(stack, access_role)

    operators = iam.Group(stack, "Operators")
    ids["operators"] = logical_id(stack, operators)
    operators.add_to_policy(iam.PolicyStatement(
        actions=["medialive:StartChannel", "medialive:StopChannel", "medialive:DeleteChannel"],
        resources=[cdk.Fn.sub("arn:${AWS::Partition}:medialive:${AWS::Region}:${AWS::AccountId}:channel:*")],
    ))
    operators.add_to_policy(iam.PolicyStatement(
        effect=iam.Effect.DENY, actions=["medialive:DeleteChannel"], resources=["*"],
    ))
    operators.add_to_policy(iam.PolicyStatement(
        actions=["iam:PassRole"], resources=[access_role.role_arn],
        conditions={"StringEquals": {"iam:PassedToService": "medialive.amazonaws.com"}},
    ))
    operators.add_to_policy(iam.PolicyStatement(
        actions=["medialive:UpdateChannel"], resources=["*"],
        conditions={"StringEquals": {"aws:ResourceTag/team": "blue"}},
    ))

    # Users who only get permissions through the group: User.Groups and AWS::IAM::UserToGroupAddition.
    alice = iam.User(stack, "Alice", groups=[operators])
    ids["alice"] = logical_id(stack, alice)
    bob = iam.User(stack, "Bob", user_name="bob")
    ids["bob"] = logical_id(stack, bob)
    iam.CfnUserToGroupAddition(stack, "BobToOperators", group_name=operators.group_name, users=[bob.user_name])
    carol = iam.User(stack, "Carol")  # member of nothing
    ids["carol"] = logical_id(stack, carol)

    # Customer managed policies: ManagedPolicy(groups=[...]) and group.add_managed_policy(...).
    viewers = iam.Group(stack, "Viewers", group_name="viewers", path="/media/")
    ids["viewers"] = logical_id(stack, viewers)
    iam.ManagedPolicy(stack, "DescribePolicy", groups=[viewers], statements=[iam.PolicyStatement(
        actions=["medialive:DescribeChannel"], resources=["*"],
    )])
    list_policy = iam.ManagedPolicy(stack, "ListPolicy", managed_policy_name="list-channels", statements=[
        iam.PolicyStatement(actions=["medialive:ListChannels"], resources=["*"]),
    ])
    viewers.add_managed_policy(list_policy)

    # AWS managed policy, by ARN with ${AWS::Partition}.
    ssm_readers = iam.Group(stack, "SsmReaders")
    ids["ssm_readers"] = logical_id(stack, ssm_readers)
    ssm_readers.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AmazonSSMReadOnlyAccess"))

    # A role whose identity policy allows more than its permissions boundary.
    boundary = iam.ManagedPolicy(stack, "Boundary", statements=[iam.PolicyStatement(
        actions=["s3:GetObject"], resources=["arn:aws:s3:::media-bucket/*"],
    )])
    bounded = iam.Role(stack, "BoundedRole", assumed_by=iam.AccountRootPrincipal(), permissions_boundary=boundary)
    ids["bounded"] = logical_id(stack, bounded)
    bounded.add_to_policy(iam.PolicyStatement(actions=["s3:*"], resources=["*"]))

    # MediaLive's own role, using actions missing from iam-data.
    flow_role = iam.Role(stack, "FlowRole", role_name="flow-role",
                         assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    ids["flow_role"] = logical_id(stack, flow_role)
    flow_role.add_to_policy(iam.PolicyStatement(
        actions=["mediaconnect:ManagedDescribeFlow", "mediaconnect:ManagedAddOutput"],
        resources=[f"arn:aws:mediaconnect:{REGION}:{ACCOUNT}:flow:1-abcdef:*"],
    ))
    flow_role.add_to_policy(iam.PolicyStatement(
        effect=iam.Effect.DENY, actions=["mediaconnect:ManagedRemoveOutput"], resources=["*"],
    ))
    flow_role.add_to_policy(iam.PolicyStatement(actions=["mediaconnect:Managed*"], resources=["*"]))

    template = Template.from_stack(stack).to_json()
    return template, ids


@pytest.fixture(scope="module")
def te(world, iam_evaluator: Evaluator) -> TemplateEvaluator:
    return TemplateEvaluator(world[0], iam_evaluator)


# ---- decisions -----------------------------------------------------------------------------------


def test_allow_through_group_policy(te, world):
    ids = world[1]
    assert te.decide(ids["operators"], "medialive:StartChannel", CHANNEL) == "Allowed"
    assert te.allowed(ids["operators"], "medialive:StopChannel", CHANNEL)


def test_implicit_deny_action_not_granted(te, world):
    assert te.decide(world[1]["operators"], "medialive:CreateChannel", "*") == "ImplicitlyDenied"


def test_implicit_deny_resource_outside_pattern(te, world):
    assert te.decide(world[1]["operators"], "medialive:StartChannel", OTHER_ACCOUNT_CHANNEL) == "ImplicitlyDenied"
    assert not te.allowed(world[1]["operators"], "medialive:StartChannel", OTHER_ACCOUNT_CHANNEL)


def test_explicit_deny_overrides_allow(te, world):
    assert te.decide(world[1]["operators"], "medialive:DeleteChannel", CHANNEL) == "ExplicitlyDenied"


def test_pass_role_only_to_the_right_service(te, world):
    ids = world[1]
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/medialive/{ids['access_role']}"
    group = ids["operators"]
    ok = {"iam:PassedToService": "medialive.amazonaws.com"}
    assert te.decide(group, "iam:PassRole", role_arn, ok) == "Allowed"
    assert te.decide(group, "iam:PassRole", role_arn, {"iam:PassedToService": "ec2.amazonaws.com"}) == "ImplicitlyDenied"
    assert te.decide(group, "iam:PassRole", role_arn) == "ImplicitlyDenied"
    other_role = f"arn:aws:iam::{ACCOUNT}:role/medialive/SomeOtherRole"
    assert te.decide(group, "iam:PassRole", other_role, ok) == "ImplicitlyDenied"
    # The context key really reached the condition (it was not dropped as inapplicable).
    assert te.result(group, "iam:PassRole", role_arn, ok).ignored_context_keys == ()


def test_resource_tag_condition(te, world):
    group = world[1]["operators"]
    assert te.decide(group, "medialive:UpdateChannel", CHANNEL, {"aws:ResourceTag/team": "blue"}) == "Allowed"
    assert te.decide(group, "medialive:UpdateChannel", CHANNEL, {"aws:ResourceTag/team": "red"}) == "ImplicitlyDenied"
    assert te.decide(group, "medialive:UpdateChannel", CHANNEL) == "ImplicitlyDenied"


def test_ignored_context_keys_are_reported(te, world, iam_evaluator):
    group = world[1]["operators"]
    result = te.result(group, "medialive:StartChannel", CHANNEL, {"iam:PassedToService": "x"})
    assert result.result == "Allowed"
    assert result.ignored_context_keys == ("iam:PassedToService",)
    with pytest.raises(EvaluationError, match="ignored context keys"):
        iam_evaluator.check(te.policies(group), "medialive:StartChannel", CHANNEL, {"iam:PassedToService": "x"},
                            strict_context=True)


def test_user_via_user_groups(te, world):
    ids = world[1]
    pp = te.policies(ids["alice"])
    assert pp.groups == (ids["operators"],)
    assert pp.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/{ids['alice']}"
    assert te.decide(ids["alice"], "medialive:StartChannel", CHANNEL) == "Allowed"
    assert te.decide(ids["alice"], "medialive:DeleteChannel", CHANNEL) == "ExplicitlyDenied"


def test_user_via_user_to_group_addition(te, world):
    ids = world[1]
    assert te.policies(ids["bob"]).groups == (ids["operators"],)
    assert te.decide(ids["bob"], "medialive:StartChannel", CHANNEL) == "Allowed"
    assert te.decide(ids["carol"], "medialive:StartChannel", CHANNEL) == "ImplicitlyDenied"
    assert te.policies(ids["carol"]).identity_policies == ()


def test_group_principal_is_a_synthetic_member(te, world):
    pp = te.policies(world[1]["viewers"])
    assert pp.arn == f"arn:aws:iam::{ACCOUNT}:group/media/viewers"
    assert pp.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/test-member-of-viewers"


def test_managed_policies_via_groups_prop_and_add_managed_policy(te, world):
    group = world[1]["viewers"]
    sources = sorted(p.source.split(" ")[0] for p in te.policies(group).identity_policies)
    assert sources == ["AWS::IAM::ManagedPolicy", "AWS::IAM::ManagedPolicy"]
    assert te.decide(group, "medialive:DescribeChannel", CHANNEL) == "Allowed"  # ManagedPolicy(groups=[...])
    assert te.decide(group, "medialive:ListChannels", "*") == "Allowed"  # group.add_managed_policy
    assert te.decide(group, "medialive:StartChannel", CHANNEL) == "ImplicitlyDenied"


def test_aws_managed_policy_arn(te, world):
    group = world[1]["ssm_readers"]
    assert [p.name for p in te.policies(group).identity_policies] == ["aws-managed:AmazonSSMReadOnlyAccess"]
    assert te.decide(group, "ssm:GetParameter", PARAM) == "Allowed"
    assert te.decide(group, "ssm:PutParameter", PARAM) == "ImplicitlyDenied"


def test_permissions_boundary_limits_role(te, world):
    role = world[1]["bounded"]
    assert te.policies(role).permissions_boundary is not None
    assert te.decide(role, "s3:GetObject", "arn:aws:s3:::media-bucket/a.ts") == "Allowed"
    assert te.decide(role, "s3:PutObject", "arn:aws:s3:::media-bucket/a.ts") == "ImplicitlyDenied"
    assert te.decide(role, "s3:GetObject", "arn:aws:s3:::other-bucket/a.ts") == "ImplicitlyDenied"


def test_decide_with_foreign_role_and_boundary(te):
    admin_ish = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}]
    boundary = [{"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "s3:GetObject",
        "Resource": {"Fn::Sub": "arn:${AWS::Partition}:s3:::media-${AWS::AccountId}/*"},
    }]}]
    obj = f"arn:aws:s3:::media-{ACCOUNT}/x"
    assert te.decide_with(admin_ish, boundary, "s3:GetObject", obj) == "Allowed"
    assert te.decide_with(admin_ish, boundary, "s3:DeleteObject", obj) == "ImplicitlyDenied"
    assert te.decide_with(admin_ish, boundary, "s3:GetObject", "arn:aws:s3:::elsewhere/x") == "ImplicitlyDenied"
    assert te.decide_with(admin_ish, None, "s3:DeleteObject", obj) == "Allowed"
    # The boundary also binds actions evaluated by the unsafe engine (absent from iam-data).
    everything = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}]
    assert te.decide_with(everything, None, "mediaconnect:ManagedAddOutput", FLOW) == "Allowed"
    assert te.decide_with(everything, boundary, "mediaconnect:ManagedAddOutput", FLOW) == "ImplicitlyDenied"


def test_misspelled_action_raises(te, world):
    with pytest.raises(EvaluationError, match="invalid.action"):
        te.decide(world[1]["operators"], "medialive:StartChanel", CHANNEL)
    with pytest.raises(EvaluationError, match="invalid.service"):
        te.decide(world[1]["operators"], "medialiv:StartChannel", CHANNEL)
    # An unknown Managed* action is not let through the unsafe path.
    with pytest.raises(EvaluationError, match="invalid.action"):
        te.decide(world[1]["flow_role"], "mediaconnect:ManagedAddOutputs", FLOW)


def test_invalid_policy_raises(iam_evaluator):
    bad = [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Actions": "s3:*", "Resource": "*"}]}]
    for action in ("s3:GetObject", "mediaconnect:ManagedAddOutput"):
        with pytest.raises(EvaluationError, match="policy.errors"):
            iam_evaluator.evaluate(identity_policies=bad, action=action, resource="arn:aws:s3:::b/k",
                                   principal=f"arn:aws:iam::{ACCOUNT}:role/r")


def test_mediaconnect_managed_actions_use_the_unsafe_engine(te, world):
    role = world[1]["flow_role"]
    result = te.result(role, "mediaconnect:ManagedAddOutput", FLOW)
    assert (result.result, result.unsafe) == ("Allowed", True)
    assert te.decide(role, "mediaconnect:ManagedDescribeFlow", FLOW) == "Allowed"
    assert te.decide(role, "mediaconnect:ManagedRemoveOutput", FLOW) == "ExplicitlyDenied"
    # Known actions still go through the validated engine.
    assert te.result(role, "mediaconnect:DescribeFlow", FLOW).unsafe is False
    # The role's `mediaconnect:Managed*` statement does not grant the public DescribeFlow.
    assert te.decide(role, "mediaconnect:DescribeFlow", FLOW) == "ImplicitlyDenied"


def test_mediaconnect_managed_action_resource_scoping(iam_evaluator):
    doc = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": "mediaconnect:ManagedAddOutput",
        "Resource": f"arn:aws:mediaconnect:{REGION}:{ACCOUNT}:flow:1-abcdef:*"}]}
    principal = f"arn:aws:iam::{ACCOUNT}:role/r"
    results = iam_evaluator.evaluate_many([
        dict(identity_policies=[doc], action="mediaconnect:ManagedAddOutput", resource=FLOW, principal=principal),
        dict(identity_policies=[doc], action="mediaconnect:ManagedAddOutput", resource=OTHER_FLOW, principal=principal),
    ])
    assert [r.result for r in results] == ["Allowed", "ImplicitlyDenied"]
    assert all(r.unsafe for r in results)


def test_many_queries_one_process(iam_evaluator, te, world):
    pp = te.policies(world[1]["operators"])
    requests = [
        dict(identity_policies=pp.identity_policies, action="medialive:StartChannel",
             resource=f"arn:aws:medialive:{REGION}:{acct}:channel:{i}", principal=pp.principal_arn)
        for i in range(250) for acct in (ACCOUNT, "444455556666")
    ]
    results = iam_evaluator.evaluate_many(requests)
    assert [r.result for r in results] == ["Allowed", "ImplicitlyDenied"] * 250


# ---- template resolution -------------------------------------------------------------------------


def test_intrinsics_resolution():
    stack = new_stack()
    role = iam.Role(stack, "R", role_name="named", path="/p/", assumed_by=iam.AccountRootPrincipal())
    unnamed = iam.Role(stack, "U", assumed_by=iam.AccountRootPrincipal())
    mp = iam.ManagedPolicy(stack, "MP", path="/mp/", statements=[
        iam.PolicyStatement(actions=["s3:GetObject"], resources=["*"])])
    template = Template.from_stack(stack).to_json()
    tp = TemplatePrincipals(template)
    rid, uid, mid = logical_id(stack, role), logical_id(stack, unnamed), logical_id(stack, mp)
    assert tp.resolve({"Fn::GetAtt": [rid, "Arn"]}) == f"arn:aws:iam::{ACCOUNT}:role/p/named"
    assert tp.resolve(stack.resolve(unnamed.role_name)) == uid
    assert tp.resolve({"Ref": mid}) == f"arn:aws:iam::{ACCOUNT}:policy/mp/{mid}"
    assert tp.resolve(stack.resolve(role.role_arn)) == f"arn:aws:iam::{ACCOUNT}:role/p/named"
    assert tp.resolve({"Fn::Sub": "${AWS::Partition}:${AWS::Region}:${AWS::AccountId}:${AWS::URLSuffix}:${AWS::StackName}"}) \
        == f"aws:{REGION}:{ACCOUNT}:amazonaws.com:TestStack"
    assert tp.resolve({"Fn::Sub": f"${{{rid}}}|${{{rid}.Arn}}|${{!Literal}}"}) \
        == f"named|arn:aws:iam::{ACCOUNT}:role/p/named|${{Literal}}"
    assert tp.resolve({"Fn::Sub": ["a-${X}", {"X": {"Ref": "AWS::Region"}}]}) == f"a-{REGION}"
    assert tp.resolve({"Fn::Select": [1, {"Fn::Split": [":", {"Fn::Join": [":", ["a", {"Ref": "AWS::AccountId"}]]}]}]}) \
        == ACCOUNT
    assert TemplatePrincipals(template, partition="aws-cn").resolve({"Ref": "AWS::URLSuffix"}) == "amazonaws.com.cn"


def test_unresolvable_intrinsics_raise():
    stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())
    role.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[cdk.Fn.import_value("Other-Bucket")]))
    template = Template.from_stack(stack).to_json()
    with pytest.raises(TemplateResolutionError, match="Fn::ImportValue"):
        principal_policies(template, logical_id(stack, role))
    tp = TemplatePrincipals(template)
    with pytest.raises(TemplateResolutionError, match="NoSuchThing"):
        tp.resolve({"Ref": "NoSuchThing"})
    with pytest.raises(TemplateResolutionError, match="not an IAM Role, User or Group"):
        tp.policies_for(logical_id(stack, role.node.find_child("DefaultPolicy")))
