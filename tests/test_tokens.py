"""Tests of medialive_iam_constructs.tokens: token strings resolved on the Python side, once per distinct token."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs.tokens import StackTokens, is_token, stack_of, stack_tokens


def _stack(account: str | None = "111122223333", region: str = "us-west-2", app: cdk.App | None = None) -> cdk.Stack:
    env = cdk.Environment(account=account, region=region) if account else None
    return cdk.Stack(app or cdk.App(), "Tokens", env=env)


class _CountingStack:
    """A stack whose ``resolve`` calls (the jsii round trips) are counted."""

    def __init__(self, stack: cdk.Stack) -> None:
        self.stack, self.calls = stack, []

    def resolve(self, value):
        self.calls.append(value)
        return self.stack.resolve(value)

    def __getattr__(self, name):
        return getattr(self.stack, name)


def test_is_token_is_true_only_for_strings_holding_a_cdk_token():
    stack = _stack()
    assert is_token(cdk.Aws.ACCOUNT_ID) and is_token(iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal()).role_arn)
    assert is_token(f"arn:aws:s3:::{cdk.Aws.ACCOUNT_ID}-media/*")  # a token inside text
    for literal in ("arn:aws:s3:::media/*", "${Partition}", "$Token[x]", "", None, 5, [cdk.Aws.ACCOUNT_ID]):
        assert not is_token(literal), literal


def test_resolve_matches_what_cdk_renders():
    stack = _stack(account=None)  # env-agnostic: account and region are tokens too
    tokens = StackTokens(stack)
    values = [
        "arn:aws:s3:::media/*",
        cdk.Aws.PARTITION,
        f"arn:{cdk.Aws.PARTITION}:medialive:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:channel:*",
        f"{cdk.Aws.ACCOUNT_ID}{cdk.Aws.REGION}",  # two tokens, no text between
        [f"x-{cdk.Aws.REGION}", {"k": [cdk.Aws.ACCOUNT_ID, 3]}],
        None,
        7,
    ]
    for value in values:
        assert tokens.resolve(value) == stack.resolve(value), value
    assert tokens.resolve(cdk.Aws.PARTITION) == {"Ref": "AWS::Partition"}
    text = cdk.Token.as_string(cdk.Intrinsic("aws"))  # a token that resolves to text merges with the text around it
    assert tokens.resolve(f"arn:{text}:s3:::{cdk.Aws.ACCOUNT_ID}-{text}") == \
        {"Fn::Join": ["", ["arn:aws:s3:::", {"Ref": "AWS::AccountId"}, "-aws"]]}
    assert tokens.resolve(f"arn:{text}:s3:::media") == "arn:aws:s3:::media"
    assert tokens.resolve(f"arn:{cdk.Aws.PARTITION}:s3:::b") == {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b"]]}


def test_each_distinct_token_is_resolved_once():
    counting = _CountingStack(_stack(account=None))
    tokens = StackTokens(counting)
    for i in range(5):
        tokens.resolve([f"arn:{cdk.Aws.PARTITION}:s3:::b{i}", f"arn:{cdk.Aws.PARTITION}:iam::{cdk.Aws.ACCOUNT_ID}:role/r{i}"])
    tokens.resolve("no token here")
    assert sorted(counting.calls) == sorted([cdk.Aws.PARTITION, cdk.Aws.ACCOUNT_ID])


def test_env_is_the_stacks_partition_region_and_account_read_once():
    counting = _CountingStack(_stack(account="444455556666", region="eu-west-1"))
    tokens = StackTokens(counting)
    assert tokens.env is tokens.env
    assert tokens.env["account"] == "444455556666" and tokens.env["region"] == "eu-west-1"
    assert is_token(tokens.env["partition"])
    agnostic = StackTokens(_stack(account=None)).env
    assert is_token(agnostic["account"]) and is_token(agnostic["region"])


def test_one_resolver_per_stack_and_two_stacks_of_different_envs_resolve_differently():
    app = cdk.App()
    east = cdk.Stack(app, "East", env=cdk.Environment(account="111111111111", region="us-east-1"))
    west = cdk.Stack(app, "West", env=cdk.Environment(account="222222222222", region="us-west-2"))
    assert stack_tokens(east) is stack_tokens(east) and stack_tokens(east) is not stack_tokens(west)

    def channels(stack: cdk.Stack) -> str:
        return stack.format_arn(service="medialive", resource="channel", resource_name="*")

    east_arn, west_arn = stack_tokens(east).resolve(channels(east)), stack_tokens(west).resolve(channels(west))
    assert east_arn == east.resolve(channels(east)) and west_arn == west.resolve(channels(west))
    assert "us-east-1:111111111111" in str(east_arn) and "us-west-2:222222222222" in str(west_arn)
    assert stack_tokens(east).env["account"] != stack_tokens(west).env["account"]


def test_stack_of_finds_the_stack_of_a_construct():
    stack = _stack()
    role = iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())
    assert stack_of(role) is stack and stack_of(role.node.default_child) is stack
    with pytest.raises(RuntimeError, match="no Stack found"):
        stack_of(cdk.App())
