"""``_group.py``: the IAM group an operator group and the restricted administrator each make."""

from __future__ import annotations

from constructs import Construct

from medialive_iam_constructs._group import attach_policies, principal_group
from medialive_iam_constructs._rows import ROWS_METADATA_KEY
from medialive_iam_constructs.statements import Statement
from tests.helpers import new_stack, template_of


def test_principal_group_records_its_rows():
    _, stack = new_stack()
    scope = Construct(stack, "Ops")
    group = principal_group(scope, group_name="Ops", path="/medialive/", rows=("S2", "A9"))
    assert group.node.id == "Group" and group.node.scope is scope
    resource = template_of(stack)["Resources"][stack.get_logical_id(group.node.default_child)]
    assert resource["Properties"] == {"GroupName": "Ops", "Path": "/medialive/"}
    assert resource["Metadata"][ROWS_METADATA_KEY] == ["S2", "A9"]


def test_attach_policies_packs_the_statements_onto_the_group():
    _, stack = new_stack()
    scope = Construct(stack, "Ops")
    group = principal_group(scope, group_name=None, path="/medialive/", rows=("S2",))
    statements = [Statement.of(["medialive:DescribeChannel"], ["*"], rows=["S2"])]
    (policy,) = attach_policies(scope, group, statements, name_prefix="medialiveOps", path="/medialive/",
                                description="Ops")
    props = template_of(stack)["Resources"][stack.get_logical_id(policy.node.default_child)]["Properties"]
    assert props["ManagedPolicyName"] == "medialiveOps" and props["Path"] == "/medialive/"
    assert props["Groups"] == [{"Ref": stack.get_logical_id(group.node.default_child)}]
    assert props["PolicyDocument"]["Statement"] == [
        {"Sid": "S2", "Effect": "Allow", "Action": "medialive:DescribeChannel", "Resource": "*"}]
