"""Tests of medialive_iam_constructs.principals: which policies apply to a group, user or role of a template.

Most tests read a hand-written template (no CDK); the two moved from tests/test_tools_iam_evaluator.py read a
synthesized one. Every document is resolved for one account and region (not the defaults).
"""

from __future__ import annotations

import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs.principals import (
    DEFAULT_ACCOUNT,
    TemplatePrincipals,
    TemplateResolutionError,
    aws_managed_policy,
    principal_policies,
)
from tests.helpers import logical_id, new_stack, template_of

ACCOUNT = "444455556666"
REGION = "eu-west-1"
ENV = {"account": ACCOUNT, "region": REGION}
READ_ONLY_SSM = "arn:aws:iam::aws:policy/AmazonSSMReadOnlyAccess"


def _doc(action: str, resource: object = "*") -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": action, "Resource": resource}]}


def _channel_arn() -> dict:
    return {"Fn::Sub": "arn:${AWS::Partition}:medialive:${AWS::Region}:${AWS::AccountId}:channel:*"}


def _template() -> dict:
    """Every attachment route: inline, AWS::IAM::Policy, customer managed (by Ref and by the policy's Groups),
    AWS managed, group membership (Groups and UserToGroupAddition) and a permissions boundary."""
    return {"Resources": {
        "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": _doc("medialive:*", _channel_arn())}},
        "RoleManaged": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": _doc("s3:GetObject", {"Fn::Sub": "arn:aws:s3:::media-${AWS::Region}/*"})}},
        "Access": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": "access", "Path": "/media/",
            "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": []},
            "Policies": [{"PolicyName": "Inline", "PolicyDocument": _doc("medialive:DescribeChannel", _channel_arn())}],
            "ManagedPolicyArns": [{"Ref": "RoleManaged"}, READ_ONLY_SSM],
            "PermissionsBoundary": {"Ref": "Boundary"}}},
        "Ops": {"Type": "AWS::IAM::Group", "Properties": {
            "GroupName": "ops",
            "Policies": [{"PolicyName": "GroupInline", "PolicyDocument": _doc("medialive:ListChannels")}]}},
        "OpsPolicy": {"Type": "AWS::IAM::Policy", "Properties": {
            "PolicyName": "OpsPolicy", "Groups": [{"Ref": "Ops"}],
            "PolicyDocument": _doc("medialive:StartChannel", _channel_arn())}},
        "Shared": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "Groups": [{"Ref": "Ops"}], "Users": [{"Ref": "Alice"}],
            "PolicyDocument": _doc("medialive:StopChannel", _channel_arn())}},
        "Alice": {"Type": "AWS::IAM::User", "Properties": {"UserName": "alice", "Groups": [{"Ref": "Ops"}]}},
        "Bob": {"Type": "AWS::IAM::User", "Properties": {}},
        "BobInOps": {"Type": "AWS::IAM::UserToGroupAddition", "Properties": {
            "GroupName": {"Ref": "Ops"}, "Users": [{"Ref": "Bob"}]}},
        "Bucket": {"Type": "AWS::S3::Bucket"},
    }}


def _names(principal) -> list[str]:
    return [p.name for p in principal.identity_policies]


CHANNELS = f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:*"


def test_a_role_gets_its_inline_managed_and_aws_managed_policies_and_its_boundary():
    role = principal_policies(_template(), "Access", **ENV)
    assert (role.kind, role.name, role.account) == ("role", "access", ACCOUNT)
    assert role.arn == role.principal_arn == f"arn:aws:iam::{ACCOUNT}:role/media/access"
    assert _names(role) == ["inline:Access:Inline", "managed:RoleManaged", "aws-managed:AmazonSSMReadOnlyAccess"]
    inline, managed, aws = role.identity_policies
    assert inline.document["Statement"][0]["Resource"] == CHANNELS
    assert managed.document["Statement"][0]["Resource"] == f"arn:aws:s3:::media-{REGION}/*"
    assert aws.document == aws_managed_policy(READ_ONLY_SSM) and "ssm:Get*" in str(aws.document)
    assert [p.name for p in role.permissions_boundary] == ["managed:Boundary"]
    assert role.permissions_boundary[0].document["Statement"][0]["Resource"] == CHANNELS
    assert role.groups == ()


def test_a_group_gets_inline_policy_and_managed_policies_and_is_asked_as_a_synthetic_member():
    group = principal_policies(_template(), "Ops", **ENV)
    assert (group.kind, group.name, group.arn) == ("group", "ops", f"arn:aws:iam::{ACCOUNT}:group/ops")
    assert group.principal_arn == f"arn:aws:iam::{ACCOUNT}:user/test-member-of-ops"
    assert _names(group) == ["inline:Ops:GroupInline", "policy:OpsPolicy", "managed:Shared"]
    assert group.identity_policies[1].document["Statement"][0]["Resource"] == CHANNELS
    assert group.identity_policies[1].source == "AWS::IAM::Policy OpsPolicy"
    assert group.permissions_boundary is None


def test_a_user_gets_the_policies_of_its_groups_once_and_has_no_boundary():
    principals = TemplatePrincipals(_template(), **ENV)
    alice, bob = principals.policies_for("Alice"), principals.policies_for("Bob")
    assert alice.groups == ("Ops",) and bob.groups == ("Ops",)  # Groups prop, UserToGroupAddition
    # Shared is attached to alice and to her group: one copy
    assert _names(alice) == ["managed:Shared", "inline:Ops:GroupInline", "policy:OpsPolicy"]
    assert _names(bob) == ["inline:Ops:GroupInline", "policy:OpsPolicy", "managed:Shared"]
    assert bob.name == "Bob" and bob.arn == f"arn:aws:iam::{ACCOUNT}:user/Bob"  # unnamed: the logical id
    assert alice.permissions_boundary is None and principals.policies_for("Alice") is alice  # cached
    assert principals.principals() == ["Access", "Ops", "Alice", "Bob"]


def test_the_default_environment_is_the_test_account():
    assert principal_policies(_template(), "Access").identity_policies[0].document["Statement"][0]["Resource"] == \
        f"arn:aws:medialive:us-west-2:{DEFAULT_ACCOUNT}:channel:*"


def test_an_aws_managed_policy_given_by_the_caller_is_used_and_an_unshipped_one_is_refused():
    template = _template()
    template["Resources"]["Access"]["Properties"]["ManagedPolicyArns"] = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"]
    with pytest.raises(TemplateResolutionError, match=r"AmazonS3FullAccess.* is not shipped .*managed_policies="):
        principal_policies(template, "Access", **ENV)
    given = principal_policies(template, "Access", managed_policies={"AmazonS3FullAccess": _doc("s3:*")}, **ENV)
    assert given.identity_policies[-1].name == "aws-managed:AmazonS3FullAccess"
    assert given.identity_policies[-1].document == _doc("s3:*") and "given" in given.identity_policies[-1].source


@pytest.mark.parametrize("change, message", [
    (lambda r: r["Ops"]["Properties"].update(PermissionsBoundary={"Ref": "Boundary"}),
     "group Ops cannot have a PermissionsBoundary"),
    (lambda r: r["OpsPolicy"].update(Condition="IsProd"), "OpsPolicy has a CloudFormation Condition"),
    (lambda r: r["Access"]["Properties"].update(ManagedPolicyArns=["arn:aws:iam::111122223333:policy/Elsewhere"]),
     "neither in the template nor an AWS managed policy"),
    (lambda r: r["Alice"]["Properties"].update(Groups=["nobody"]), "group 'nobody' .* is not defined in the template"),
])
def test_what_cannot_be_known_is_refused(change, message):
    template = _template()
    change(template["Resources"])
    principals = TemplatePrincipals(template, **ENV)
    with pytest.raises(TemplateResolutionError, match=message):
        for lid in principals.principals():
            principals.policies_for(lid)


def test_a_resource_that_is_no_principal_is_refused():
    with pytest.raises(TemplateResolutionError, match="Bucket is a AWS::S3::Bucket, not an IAM Role, User or Group"):
        principal_policies(_template(), "Bucket")


# ---- moved from tests/test_tools_iam_evaluator.py (synthesized templates) --------------------------------


def test_unknown_aws_managed_policy_raises():
    _, stack = new_stack()
    group = iam.Group(stack, "G")
    group.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AmazonS3FullAccess"))
    template = template_of(stack)
    with pytest.raises(TemplateResolutionError, match="AmazonS3FullAccess"):
        principal_policies(template, logical_id(stack, group))


def test_imported_group_membership_raises():
    _, stack = new_stack()
    user = iam.User(stack, "U", groups=[iam.Group.from_group_name(stack, "Ext", "external-group")])
    template = template_of(stack)
    with pytest.raises(TemplateResolutionError, match="external-group"):
        principal_policies(template, logical_id(stack, user))
