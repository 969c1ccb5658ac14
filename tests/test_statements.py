"""medialive_iam_constructs/statements.py: catalog rows + the construct's resources -> ``Statement`` values.

``Statement`` is immutable and canonical (sorted actions, resources in the given order, conditions as canonical
JSON) so that the packer can merge and compare statements; ``row_statements`` renders rows with the construct's
bindings, condition hooks and placeholder values. (tests/test_packing.py checks the Sid of two rows, rendering S10
and the missing-binding and unknown-row errors.)"""

from __future__ import annotations

import dataclasses

import aws_cdk as cdk
import pytest

from medialive_iam_constructs import MediaLiveIamError
from medialive_iam_constructs.catalog.model import Grant, Row
from medialive_iam_constructs.catalog.resources import (
    CFN_STACK,
    EVENTS_RULE,
    IAM_ROLE,
    ML_CHANNEL,
    ML_INPUT,
    S3_BUCKET,
    S3_OBJECT,
    SNS_TOPIC,
)
from medialive_iam_constructs.statements import Statement, render_kind, row_statements, stack_env
from tests.helpers import ACCOUNT, REGION, new_stack

ROLE_A = f"arn:aws:iam::{ACCOUNT}:role/medialive/a"
ROLE_B = f"arn:aws:iam::{ACCOUNT}:role/medialive/b"
TO_MEDIALIVE = {"StringEquals": {"iam:PassedToService": "medialive.amazonaws.com"}}


def _partition_text(stack: cdk.Stack, value: str) -> str:
    resolved = stack.resolve(value)
    if isinstance(resolved, dict):
        return "".join(p if isinstance(p, str) else f"${{{p['Ref']}}}" for p in resolved["Fn::Join"][1])
    return resolved


# --- Statement ---------------------------------------------------------------------------------------------------

def test_of_sorts_actions_without_case_and_keeps_resources_in_the_given_order():
    s = Statement.of(["s3:PutObject", "ec2:describeSubnets", "S3:GetObject", "s3:PutObject"], ["arn:b", "arn:a", "arn:b"])
    assert s.actions == ("ec2:describeSubnets", "S3:GetObject", "s3:PutObject")
    assert s.resources == ("arn:b", "arn:a")  # not sorted: a resource may be a token string


def test_conditions_are_canonical_so_equal_statements_compare_and_hash_equal():
    a = Statement.of(["s3:GetObject"], ["*"], {"StringEquals": {"b": "1", "a": "2"}, "Bool": {"c": "true"}}, rows=["X"])
    b = Statement.of(["s3:GetObject"], ["*"], {"Bool": {"c": "true"}, "StringEquals": {"a": "2", "b": "1"}}, rows=["X"])
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a.condition_block == {"Bool": {"c": "true"}, "StringEquals": {"a": "2", "b": "1"}}
    assert Statement.of(["s3:GetObject"], ["*"]).conditions == "{}"
    assert a != dataclasses.replace(a, effect="Deny") and a != Statement.of(["s3:GetObject"], ["*"], rows=["Y"])


def test_a_statement_cannot_be_changed():
    s = Statement.of(["s3:GetObject"], ["*"])
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.actions = ("s3:PutObject",)


def test_the_sid_is_custom_without_rows_and_ends_with_the_packers_suffix():
    assert Statement.of(["s3:GetObject"], ["*"]).sid == "Custom"
    split = dataclasses.replace(Statement.of(["iam:PassRole"], ["*"], rows=["S32"]), sid_suffix="No2")
    assert split.sid == "S32No2"
    assert Statement.of(["s3:GetObject"], ["*"], rows=["T18.read", "T16.read"]).sid == "T16readT18read"


def test_to_json_writes_one_action_and_resource_as_strings_and_leaves_out_empty_conditions():
    one = Statement.of(["medialive:StartChannel"], ["arn:c"], rows=["S10"])
    assert one.to_json() == {"Sid": "S10", "Effect": "Allow", "Action": "medialive:StartChannel", "Resource": "arn:c"}
    two = Statement.of(["iam:PassRole", "iam:GetRole"], [ROLE_A, ROLE_B], TO_MEDIALIVE, effect="Deny", rows=["A5"])
    assert two.to_json() == {"Sid": "A5", "Effect": "Deny", "Action": ["iam:GetRole", "iam:PassRole"],
                             "Resource": [ROLE_A, ROLE_B], "Condition": TO_MEDIALIVE}


# --- the stack's environment and ARNs ------------------------------------------------------------------------------

def test_stack_env_and_render_kind_use_the_stacks_partition_region_and_account():
    _, stack = new_stack()
    env = stack_env(stack)
    assert (env["region"], env["account"]) == (REGION, ACCOUNT) and stack.resolve(env["partition"]) == {
        "Ref": "AWS::Partition"}
    assert _partition_text(stack, render_kind(stack, ML_CHANNEL, ChannelId="1234")) == \
        f"arn:${{AWS::Partition}}:medialive:{REGION}:{ACCOUNT}:channel:1234"
    assert _partition_text(stack, render_kind(stack, ML_CHANNEL)) == \
        f"arn:${{AWS::Partition}}:medialive:{REGION}:{ACCOUNT}:channel:*"


def test_an_environment_agnostic_stack_renders_deploy_time_region_and_account():
    stack = cdk.Stack(cdk.App(), "Anywhere")
    assert stack.resolve(render_kind(stack, SNS_TOPIC, TopicName="medialive*")) == {"Fn::Join": ["", [
        "arn:", {"Ref": "AWS::Partition"}, ":sns:", {"Ref": "AWS::Region"}, ":", {"Ref": "AWS::AccountId"},
        ":medialive*"]]}


# --- row_statements ------------------------------------------------------------------------------------------------

def test_bindings_replace_the_catalogs_resources_and_keep_the_rows_conditions():
    _, stack = new_stack()
    (s,) = row_statements(stack, ["S32"], bindings={IAM_ROLE: [ROLE_A, ROLE_B]})
    assert (s.actions, s.resources, s.condition_block, s.rows) == (("iam:PassRole",), (ROLE_A, ROLE_B), TO_MEDIALIVE,
                                                                    frozenset({"S32"}))
    assert s.volatile is False


def test_a_kind_bound_to_nothing_drops_the_grant_instead_of_widening_it():
    _, stack = new_stack()
    statements = row_statements(stack, ["T18.read"], bindings={S3_BUCKET: [], S3_OBJECT: ["arn:aws:s3:::media/*"]})
    assert [(s.actions, s.resources) for s in statements] == [(("s3:GetObject",), ("arn:aws:s3:::media/*",))]


def test_a_missing_binding_and_an_unknown_row_name_the_constructs_prop():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        row_statements(stack, ["S32"], prop="trusted_roles")
    assert info.value.prop == "trusted_roles" and info.value.construct == "Test (Stack)"
    assert "the catalog never grants them on '*'" in info.value.fix
    with pytest.raises(MediaLiveIamError) as info:
        row_statements(stack, ["S3.runn"], prop="add_rows")
    assert info.value.prop == "add_rows" and "docs/catalog.md" in info.value.fix


def test_a_base_id_stands_for_its_parts_and_a_row_object_is_taken_as_is():
    _, stack = new_stack()
    assert [set(s.rows) for s in row_statements(stack, ["S3"])] == [{"S3.run"}, {"S3.delete"}]
    own = Row("X1", "a row of the app", "test", (Grant(("s3:GetObject",), (S3_OBJECT,), must_bind=True),), "trusted")
    (s,) = row_statements(stack, [own], bindings={S3_OBJECT: ["arn:aws:s3:::media/*"]})
    assert (s.actions, s.resources, s.rows) == (("s3:GetObject",), ("arn:aws:s3:::media/*",), frozenset({"X1"}))


def test_a_deny_row_stays_a_deny():
    _, stack = new_stack()
    (s,) = row_statements(stack, ["S15.guard"], bindings={CFN_STACK: ["arn:s"]})
    assert s.effect == "Deny" and s.to_json()["Effect"] == "Deny"


def test_placeholders_are_filled_with_the_constructs_values_and_a_list_value_becomes_the_list():
    _, stack = new_stack()
    topics = {SNS_TOPIC: ["arn:aws:sns:us-west-2:111122223333:soc*"]}
    values = {"NotificationPrefix": "soc", "NotificationEndpoints": ["https://hooks.example.com/*", "a@example.com"]}
    (s,) = row_statements(stack, ["S40.endpoints"], bindings=topics, values=values)
    assert s.condition_block == {"StringLike": {"sns:Endpoint": ["https://hooks.example.com/*", "a@example.com"]}}
    (put_targets,) = [x for x in row_statements(stack, ["S26"], bindings={EVENTS_RULE: ["arn:r"]}, values=values)
                      if x.actions == ("events:PutTargets",)]
    (arn,) = put_targets.condition_block["ForAllValues:ArnLike"]["events:TargetArn"]
    assert _partition_text(stack, arn) == f"arn:${{AWS::Partition}}:sns:{REGION}:{ACCOUNT}:soc*"


def test_a_placeholder_without_a_value_raises():
    _, stack = new_stack()
    with pytest.raises(RuntimeError, match=r"no value for \['NotificationEndpoints'\] in row S40.endpoints"):
        row_statements(stack, ["S40.endpoints"], bindings={SNS_TOPIC: ["arn:t"]})


def test_extra_conditions_join_the_grants_and_may_not_repeat_a_key():
    _, stack = new_stack()
    tagged = {"StringEquals": {"aws:ResourceTag/team": "news"}}
    (s,) = row_statements(stack, ["S32"], bindings={IAM_ROLE: [ROLE_A]}, extra_conditions=lambda row, grant: tagged)
    assert s.condition_block == {"StringEquals": {"iam:PassedToService": "medialive.amazonaws.com",
                                                  "aws:ResourceTag/team": "news"}}
    with pytest.raises(ValueError, match="condition StringEquals iam:PassedToService given twice"):
        row_statements(stack, ["S32"], bindings={IAM_ROLE: [ROLE_A]}, extra_conditions=lambda row, grant: TO_MEDIALIVE)


def test_kind_conditions_split_a_grant_into_one_statement_per_kind():
    """S1's CreateChannel takes a channel and the inputs it attaches: a hook conditions each kind on its own."""
    _, stack = new_stack()
    channel, inp = ["arn:channel:*"], ["arn:input:*"]

    def hook(row, grant, kind):
        return {"StringEquals": {"aws:RequestTag/team": "news"}} if kind is ML_CHANNEL else (
            {"StringEquals": {"aws:ResourceTag/team": "news"}} if kind is ML_INPUT else None)

    statements = row_statements(stack, ["S1"], bindings={ML_CHANNEL: channel, ML_INPUT: inp}, kind_conditions=hook)
    create = [(s.resources, s.condition_block) for s in statements if s.actions == ("medialive:CreateChannel",)]
    assert create == [(("arn:channel:*",), {"StringEquals": {"aws:RequestTag/team": "news"}}),
                      (("arn:input:*",), {"StringEquals": {"aws:ResourceTag/team": "news"}})]
    (plain,) = [s for s in row_statements(stack, ["S1"], bindings={ML_CHANNEL: channel, ML_INPUT: inp})
                if s.actions == ("medialive:CreateChannel",)]
    assert plain.resources == ("arn:channel:*", "arn:input:*") and plain.conditions == "{}"


def test_statements_on_a_volatile_kind_are_marked_and_others_are_not():
    _, stack = new_stack()
    statements = row_statements(stack, ["S32", "S10"], bindings={IAM_ROLE: [ROLE_A]}, volatile_kinds=[IAM_ROLE])
    assert [(sorted(s.rows), s.volatile) for s in statements] == [(["S32"], True), (["S10"], False)]
