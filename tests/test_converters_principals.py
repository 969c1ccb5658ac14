"""The converters of ``converters.py`` that the operator groups and the restricted administrator share (sections
``IAM principals`` and ``what operators reach by name``): what a prop is given -> the ARNs its rows bind, each
converter alone."""

from __future__ import annotations

import re

import pytest
from aws_cdk import Stack, Token
from aws_cdk import aws_iam as iam
from constructs import Construct

from medialive_iam_constructs import (
    MediaLiveIamError,
    MediaLiveOperatorGroup,
    MediaLivePermissionsBoundary,
    MediaLiveTrustedRole,
    OperatorTier,
)
from medialive_iam_constructs import converters as c
from medialive_iam_constructs.catalog.resources import EVENTS_RULE, IAM_GROUP, IAM_POLICY, IAM_ROLE, IAM_USER, SNS_TOPIC
from tests.helpers import ACCOUNT, REGION, new_stack

ROLE = f"arn:aws:iam::{ACCOUNT}:role/medialive/News"


@pytest.fixture()
def scope():
    _, stack = new_stack()
    return Construct(stack, "X")


def text(scope, value):
    """A rendered ARN (or a list or dict of them) with the stack's partition written out (the test stack's
    account and region are literal, its partition is ``AWS::Partition``)."""
    if isinstance(value, str):
        return value.replace(Stack.of(scope).partition, "aws")
    if isinstance(value, list):
        return [text(scope, v) for v in value]
    return {k: text(scope, v) for k, v in value.items()}


def raises(prop: str, problem: str):
    return pytest.raises(MediaLiveIamError, match=rf"^Test/X \(Construct\): {re.escape(prop)}: .*{re.escape(problem)}")


# --- paths, prefixes, values ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,expected", [
    (IAM_ROLE, f"arn:aws:iam::{ACCOUNT}:role/medialive/*"),
    (IAM_USER, f"arn:aws:iam::{ACCOUNT}:user/medialive/*"),
    (IAM_GROUP, f"arn:aws:iam::{ACCOUNT}:group/medialive/*"),
    (IAM_POLICY, f"arn:aws:iam::{ACCOUNT}:policy/medialive/*"),
])
def test_under_path(scope, kind, expected):
    assert text(scope, c.under_path(scope, kind, "/medialive/")) == expected
    assert text(scope, c.under_path(scope, kind, "/", "Name")) == expected.replace("medialive/*", "Name")


def test_own_user_arn(scope):
    assert text(scope, c.own_user_arn(scope, "/medialive-admin/")) == (
        f"arn:aws:iam::{ACCOUNT}:user/medialive-admin/${{aws:username}}")
    assert text(scope, c.own_user_arn(scope, "/")) == f"arn:aws:iam::{ACCOUNT}:user/${{aws:username}}"


def test_parameter_and_notification_arns(scope):
    assert text(scope, c.parameter_arns(scope, "/medialive/news/")) == [
        f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/news/*"]
    assert text(scope, c.notification_arns(scope, "news")) == {
        EVENTS_RULE: [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/news*"],
        SNS_TOPIC: [f"arn:aws:sns:{REGION}:{ACCOUNT}:news*"],
    }
    assert c.notification_values("news", ("https://h.example.com/*",)) == {
        "NotificationPrefix": "news", "NotificationEndpoints": ["https://h.example.com/*"]}


def test_stack_arns(scope):
    assert text(scope, c.stack_arns(scope, "MediaLiveWorkflow-")) == [
        f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/MediaLiveWorkflow-*/*"]


# --- roles (S32, A7) --------------------------------------------------------------------------------------

def test_role_arn_of_each_form(scope):
    role = iam.Role(scope, "Made", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    trusted = MediaLiveTrustedRole(scope, "Trusted")
    assert c.role_arn(scope, "trusted_roles", ROLE) == ROLE
    assert c.role_arn(scope, "trusted_roles", role) == role.role_arn
    assert c.role_arn(scope, "trusted_roles", trusted) == trusted.role.role_arn
    assert c.role_arn(scope, "trusted_roles", iam.Role.from_role_arn(scope, "Imported", ROLE)) == ROLE


@pytest.mark.parametrize("value,problem", [
    (42, "42 is neither a role nor a role ARN"),
    ("medialive/News", "is not an ARN"),
    (f"arn:aws:iam::{ACCOUNT}:user/medialive/News", "is not the ARN of one IAM role"),
    (f"arn:aws:iam::{ACCOUNT}:role/medialive/*", "is not the ARN of one IAM role"),
    ("arn:aws:iam::444455556666:role/medialive/News", "is in account 444455556666, the stack in 111122223333"),
    (f"arn:aws:s3:::{ACCOUNT}", "is a s3 ARN, not a iam ARN"),
])
def test_role_arn_refuses(scope, value, problem):
    with raises("trusted_roles", problem):
        c.role_arn(scope, "trusted_roles", value)


def test_role_name(scope):
    named = iam.Role.from_role_name(scope, "Named", "Workflow")  # a literal name, an ARN made of tokens
    assert c.role_name(ROLE, ROLE) == "News"
    assert c.role_name(named, named.role_arn) == "Workflow"
    assert c.role_name(type("Trusted", (), {"role": named})(), named.role_arn) == "Workflow"
    assert c.role_name(object(), Token.as_string({"Ref": "Role"})) is None


def test_app_role_and_role_identity(scope):
    """Security review: a role the app makes, given by its GetAtt token ARN (also re-imported), is its CfnRole, whose
    literal name and path are read; a token of anything else, and a literal ARN, are not an app role."""
    stack = Stack.of(scope)
    named = iam.Role(stack, "Named", assumed_by=iam.AccountRootPrincipal(), role_name="medialiveNews", path="/ops/")
    unnamed = iam.Role(stack, "Unnamed", assumed_by=iam.AccountRootPrincipal())
    again = iam.Role.from_role_arn(stack, "Again", named.role_arn)
    assert c.app_role(scope, named.role_arn).node.path == "Test/Named/Resource"
    assert c.app_role(scope, again.role_arn).node.path == "Test/Named/Resource"
    assert c.app_role(scope, ROLE) is None and c.app_role(scope, Token.as_string({"Ref": "P"})) is None
    assert c.role_identity(scope, named.role_arn, named.role_arn) == ("medialiveNews", "/ops/")
    assert c.role_identity(scope, again, again.role_arn) == ("medialiveNews", "/ops/")
    assert c.role_identity(scope, unnamed, unnamed.role_arn) == (None, "/")
    assert c.role_identity(scope, ROLE, ROLE) == ("News", "/medialive/")
    imported = iam.Role.from_role_arn(stack, "Imported", Token.as_string({"Ref": "P"}))
    assert c.role_identity(scope, imported, imported.role_arn) == (None, None)


def test_user_arn(scope):
    """Security review (LOW): an existing user's literal ARN of another account or partition is refused (a
    membership names the user only: IAM would add this account's user of that name)."""
    stack = Stack.of(scope)
    own = iam.User.from_user_arn(stack, "Own", f"arn:aws:iam::{ACCOUNT}:user/medialive/alice")
    assert c.user_arn(scope, "existing_users", own) == f"arn:aws:iam::{ACCOUNT}:user/medialive/alice"
    assert c.user_arn(scope, "existing_users", iam.User.from_user_name(stack, "ByName", "bob")) is None
    with raises("existing_users", "is in account 999999999999"):
        c.user_arn(scope, "existing_users", iam.User.from_user_arn(stack, "Other", "arn:aws:iam::999999999999:user/a"))
    with raises("existing_users", "is in partition 'aws-cn'"):
        c.user_arn(scope, "existing_users", iam.User.from_user_arn(stack, "Cn", f"arn:aws-cn:iam::{ACCOUNT}:user/a"))
    with raises("users", "is not the ARN of one IAM user"):
        c.user_arn(scope, "users", iam.User.from_user_arn(stack, "Star", f"arn:aws:iam::{ACCOUNT}:user/*"))


def test_pass_role_arns(scope):
    arns = c.pass_role_arns(scope, [ROLE, ROLE], "/medialive-other/")
    assert text(scope, arns) == [ROLE, f"arn:aws:iam::{ACCOUNT}:role/medialive-other/*"]
    assert c.pass_role_arns(scope, [], None) == []
    with raises("trusted_roles", "must not be named MediaLiveAccessRole"):
        c.pass_role_arns(scope, [f"arn:aws:iam::{ACCOUNT}:role/MediaLiveAccessRole"], None)
    with raises("pass_roles_by_path", "'/' would let the group pass every role"):
        c.pass_role_arns(scope, [ROLE], "/")


# --- channels ---------------------------------------------------------------------------------------------

CHANNEL = f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:1234567"


def test_channel_arns(scope):
    token = Token.as_string({"Ref": "Channel"})
    assert c.channel_arns(scope, "channel_arns", [CHANNEL, token]) == [CHANNEL, token]
    assert c.channel_arn(scope, "channel_arns", CHANNEL) == CHANNEL


@pytest.mark.parametrize("value,problem", [
    (f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:*", "is not the ARN of one MediaLive channel"),
    (f"arn:aws:medialive:{REGION}:{ACCOUNT}:input:1", "is not the ARN of one MediaLive channel"),
    (f"arn:aws:mediapackage:{REGION}:{ACCOUNT}:channels/1", "is a mediapackage ARN, not a medialive ARN"),
    ("1234567", "is not an ARN"),
])
def test_channel_arn_refuses(scope, value, problem):
    with raises("channel_arns", problem):
        c.channel_arns(scope, "channel_arns", [CHANNEL, value])


def test_role_and_channel_arns_are_checked_against_the_stacks_partition():
    """Issue 23 (item 5): an operator group's roles and channels get the trusted role's check (``arn_parts`` against
    the region's partition); they were taken in any partition before. An environment-agnostic stack takes any one."""
    import aws_cdk as cdk

    china = Construct(cdk.Stack(cdk.App(), "Cn", env=cdk.Environment(account=ACCOUNT, region="cn-north-1")), "X")
    for convert, prop, arn in ((c.role_arn, "trusted_roles", ROLE), (c.channel_arn, "channel_arns", CHANNEL)):
        with pytest.raises(MediaLiveIamError, match="is in partition 'aws', the stack is in 'aws-cn'"):
            convert(china, prop, arn)
        assert convert(china, prop, arn.replace("arn:aws:", "arn:aws-cn:").replace(REGION, "cn-north-1")).startswith(
            "arn:aws-cn:")
    agnostic = Construct(cdk.Stack(cdk.App(), "Any"), "X")
    assert c.role_arn(agnostic, "trusted_roles", ROLE) == ROLE


# --- groups and boundaries (RestrictedAdmin) ----------------------------------------------------------------

def test_group_of(scope):
    group = iam.Group(scope, "G")
    assert c.group_of(group) is group
    assert c.group_of(type("WithGroup", (), {"group": group})()) is group
    with pytest.raises(TypeError, match="is neither an iam.IGroup nor an object with a .group attribute"):
        c.group_of(object())


def test_operator_group_of(scope):
    ops = MediaLiveOperatorGroup(scope, "Ops", tier=OperatorTier.BASIC)
    assert c.operator_group_of(scope, "operator_groups", ops) is ops
    assert c.operator_group_of(scope, "operator_groups", ops.group) is ops
    for plain in (iam.Group(scope, "Plain"), iam.Group.from_group_name(scope, "Imported", "ops")):
        with raises("operator_groups", "is not a MediaLiveOperatorGroup"):
            c.operator_group_of(scope, "operator_groups", plain)


def test_permissions_boundary(scope):
    boundary = MediaLivePermissionsBoundary(scope, "Boundary", path="/medialive-admin/")
    assert c.permissions_boundary(scope, "permissions_boundary", boundary) == (boundary, boundary.policy)
    assert c.permissions_boundary(scope, "permissions_boundary", boundary.policy) == (None, boundary.policy)
    imported = iam.ManagedPolicy.from_managed_policy_arn(scope, "I", f"arn:aws:iam::{ACCOUNT}:policy/medialive-admin/B")
    assert c.permissions_boundary(scope, "permissions_boundary", imported) == (None, imported)
    with raises("permissions_boundary", "'boundary' is not a policy"):
        c.permissions_boundary(scope, "permissions_boundary", "boundary")
    ops = MediaLiveOperatorGroup(scope, "Ops", tier=OperatorTier.BASIC)
    with raises("permissions_boundary", "is not a policy"):
        c.permissions_boundary(scope, "permissions_boundary", ops)
