"""medialive_iam_constructs/_rows.py: ``record_rows`` writes the catalog rows a principal was given into its
CloudFormation resource's ``Metadata`` under ``ROWS_METADATA_KEY``, the exact set the testing kit reads (Sids
cannot be: the packer merges and splits statements).

(Which rows each construct records is tested through the kit in tests/test_testing.py.)"""

from __future__ import annotations

from aws_cdk import aws_iam as iam

from medialive_iam_constructs import MediaLiveConsoleUsers, MediaLiveOperatorGroup, OperatorTier, RestrictedAdmin
from medialive_iam_constructs._rows import ROWS_METADATA_KEY, record_rows
from tests.helpers import new_stack, template_of


def test_the_metadata_key_is_the_documented_one():
    assert ROWS_METADATA_KEY == "medialive-iam:rows"


def test_rows_are_written_as_a_list_in_the_order_given():
    _, stack = new_stack()
    group = iam.CfnGroup(stack, "Group")
    record_rows(group, ("S3.run", "S10", "S2"))  # a tuple, in no sorted order: kept as given
    assert template_of(stack)["Resources"]["Group"]["Metadata"] == {"medialive-iam:rows": ["S3.run", "S10", "S2"]}


def test_no_rows_are_recorded_as_an_empty_list_not_left_out():
    _, stack = new_stack()
    role = iam.CfnRole(stack, "Role", assume_role_policy_document={"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "medialive.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
    record_rows(role, [])
    assert template_of(stack)["Resources"]["Role"]["Metadata"] == {"medialive-iam:rows": []}


def test_other_metadata_of_the_resource_is_kept_and_a_second_record_replaces_the_first():
    _, stack = new_stack()
    group = iam.CfnGroup(stack, "Group")
    group.add_metadata("cdk_nag", {"rules_to_suppress": []})
    record_rows(group, ["S2"])
    record_rows(group, ["S2", "S10"])
    assert template_of(stack)["Resources"]["Group"]["Metadata"] == {
        "cdk_nag": {"rules_to_suppress": []}, "medialive-iam:rows": ["S2", "S10"]}


def test_only_principals_carry_rows_never_their_policies_or_users():
    """The console users construct records row A9 on its password-change group; the users, the group's inline
    policy, the operator group's and the administrator's managed policies carry no rows."""
    _, stack = new_stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops])
    MediaLiveConsoleUsers(stack, "Users", users={"alice": ops})
    resources = template_of(stack)["Resources"]
    recorded = [(r["Type"], r["Metadata"][ROWS_METADATA_KEY]) for r in resources.values()
                if ROWS_METADATA_KEY in r.get("Metadata", {})]
    assert sorted(recorded) == sorted([
        ("AWS::IAM::Group", list(ops.rows)),
        ("AWS::IAM::Group", list(admin.rows)),
        ("AWS::IAM::Group", ["A9"]),
    ])
    assert {r["Type"] for r in resources.values()} >= {"AWS::IAM::User", "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"}
