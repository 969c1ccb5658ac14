"""Quota-safe packing: sizes at the edge, lossless merges, deterministic order, synth-time quota errors."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Template

from medialive_iam_constructs import MediaLiveIamError, QuotaExceededError
from medialive_iam_constructs.packing import (
    MANAGED_POLICY_MAX_CHARS,
    PrincipalQuotaValidation,
    create_managed_policies,
    document_size,
    merge,
    pack,
)
from medialive_iam_constructs.statements import Statement, row_statements

ENV = cdk.Environment(account="111122223333", region="us-west-2")


def _stack():
    return cdk.Stack(cdk.App(), "T", env=ENV)


def _literal(s: Statement) -> dict:
    return s.to_json()


def _doc(*stmts: Statement) -> dict:
    return {"Version": "2012-10-17", "Statement": [s.to_json() for s in stmts]}


def _sized(total: int) -> Statement:
    """A one-statement policy whose document is exactly ``total`` characters."""
    base = Statement.of(["s3:GetObject"], ["arn:aws:s3:::b/"], rows=["T18.read"])
    pad = total - document_size(_doc(base))
    return Statement.of(["s3:GetObject"], ["arn:aws:s3:::b/" + "k" * pad], rows=["T18.read"])


def test_size_ignores_white_space():
    doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "a:B", "Resource": "x y"}]}
    assert document_size(doc) == len(json.dumps(doc, separators=(",", ":"))) - 1


def test_size_counts_pseudo_parameters_at_their_longest():
    joined = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b"]]}
    assert document_size({"R": joined}) == document_size({"R": "arn:" + "x" * 10 + ":s3:::b"})


def test_policy_of_exactly_the_limit_fits_in_one():
    stmt = _sized(MANAGED_POLICY_MAX_CHARS)
    assert document_size(_doc(stmt)) == MANAGED_POLICY_MAX_CHARS
    assert pack([stmt], _literal) == [[stmt]]


def test_one_character_over_the_limit_is_an_error_for_a_single_resource():
    stmt = _sized(MANAGED_POLICY_MAX_CHARS + 1)
    with pytest.raises(ValueError, match="alone exceeds 6144"):
        pack([stmt], _literal)


def test_two_statements_that_together_pass_the_limit_are_split():
    a = _sized(MANAGED_POLICY_MAX_CHARS // 2)
    b = Statement.of(["s3:PutObject"], ["arn:aws:s3:::c/" + "z" * (MANAGED_POLICY_MAX_CHARS // 2)], rows=["T19"])
    chunks = pack([a, b], _literal)
    assert len(chunks) == 2
    assert all(document_size(_doc(*c)) <= MANAGED_POLICY_MAX_CHARS for c in chunks)


def test_oversized_statement_is_split_by_resources_losslessly():
    arns = [f"arn:aws:iam::111122223333:role/medialive/workflow-{i:04d}" for i in range(300)]
    stmt = Statement.of(["iam:PassRole"], arns, {"StringEquals": {"iam:PassedToService": "medialive.amazonaws.com"}},
                        rows=["S32"])
    chunks = pack([stmt], _literal)
    assert len(chunks) >= 3
    got = sorted(r for c in chunks for s in c for r in s.resources)
    assert got == sorted(arns)
    assert all(document_size(_doc(*c)) <= MANAGED_POLICY_MAX_CHARS for c in chunks)


def test_merge_is_lossless_and_deterministic():
    a = Statement.of(["medialive:StartChannel"], ["arn:c"], rows=["S10"])
    b = Statement.of(["medialive:StopChannel"], ["arn:c"], rows=["S10"])
    c = Statement.of(["medialive:StartChannel"], ["arn:d"], rows=["S10"])
    cond = Statement.of(["medialive:StartChannel"], ["arn:c"], {"StringEquals": {"aws:ResourceTag/t": "x"}}, rows=["S10"])
    merged = merge([b, a, c, cond])
    assert merge([cond, c, a, b]) == merged
    flat = {(act, res, s.conditions) for s in merged for act in s.actions for res in s.resources}
    original = {(act, res, s.conditions) for s in (a, b, c, cond) for act in s.actions for res in s.resources}
    # merging by resources then by actions may only combine pairs that were all granted
    assert original <= flat
    assert {x for x in flat if x[2] != "{}"} == {x for x in original if x[2] != "{}"}
    assert len(merged) == 3


def test_sid_traces_rows():
    s = Statement.of(["a:B"], ["*"], rows=["S3.run", "F3"])
    assert s.sid == "F3S3run"


def test_group_policies_split_and_attached():
    stack = _stack()
    group = iam.Group(stack, "G")
    arns = [f"arn:aws:iam::111122223333:role/medialive/w{i:04d}" for i in range(400)]
    stmts = [Statement.of(["iam:PassRole"], arns, rows=["S32"])]
    policies = create_managed_policies(stack, stmts, principal_kind="group", name_prefix="MediaLiveTest", groups=[group])
    assert 2 <= len(policies) <= 10
    template = Template.from_stack(stack).to_json()
    docs = [r["Properties"] for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert sorted(d["ManagedPolicyName"] for d in docs)[0] == "MediaLiveTest"
    assert all(document_size(d["PolicyDocument"]) <= MANAGED_POLICY_MAX_CHARS for d in docs)
    assert all(d["Groups"] == [{"Ref": stack.get_logical_id(group.node.default_child)}] for d in docs)


def test_group_over_ten_policies_fails_with_construct_prop_and_fix():
    stack = _stack()
    group = iam.Group(stack, "G")
    arns = [f"arn:aws:iam::111122223333:role/medialive/w{i:05d}" for i in range(2000)]
    with pytest.raises(QuotaExceededError) as e:
        create_managed_policies(stack, [Statement.of(["iam:PassRole"], arns, rows=["S32"])],
                                principal_kind="group", name_prefix=None, groups=[group], prop="trusted_roles")
    msg = str(e.value)
    assert "T (Stack)" in msg and "trusted_roles" in msg and "quota of 10 per group" in msg and "Fix:" in msg


def test_synth_time_validation_counts_policies_attached_elsewhere():
    app = cdk.App()
    stack = cdk.Stack(app, "T", env=ENV)
    group = iam.Group(stack, "G")
    group.node.add_validation(PrincipalQuotaValidation(group, group.node.default_child, "group"))
    for i in range(11):
        iam.ManagedPolicy(stack, f"P{i}", groups=[group], statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"arn:aws:s3:::b{i}/*"])])
    with pytest.raises(Exception, match="11 managed policies attached, over IAM's quota of 10"):
        app.synth()


def test_synth_time_validation_checks_inline_budget():
    app = cdk.App()
    stack = cdk.Stack(app, "T", env=ENV)
    user = iam.User(stack, "U")
    user.node.add_validation(PrincipalQuotaValidation(user, user.node.default_child, "user"))
    user.add_to_policy(iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"arn:aws:s3:::bucket-{i:03d}/*" for i in range(80)]))
    with pytest.raises(Exception, match="over IAM's budget of 2048"):
        app.synth()


def test_every_construct_of_a_stack_is_checked_in_its_one_validation():
    """The library's synth-time checks of a stack run together (one validation per stack, _synth_checks.py): each
    construct over a quota is still reported, by name, with the others; a user's inline policy (the batched
    resolve of documents and attachments) counts against its group, and a role's budget is its own."""
    from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier

    app = cdk.App()
    stack = cdk.Stack(app, "T", env=ENV)
    groups = [MediaLiveOperatorGroup(stack, name, tier=OperatorTier.BASIC, group_name=f"Ops{name}",
                                     policy_name_prefix=f"Ops{name}") for name in ("One", "Two", "Three")]
    for g in groups[:2]:
        for i in range(10):  # BASIC holds one policy: 11 attached
            iam.ManagedPolicy(stack, f"{g.node.id}Extra{i}", groups=[g.group],
                              statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"arn:aws:s3:::b{i}/*"])])
    groups[2].group.add_to_policy(iam.PolicyStatement(  # an inline policy over the group budget of 5,120
        actions=["s3:GetObject"], resources=[f"arn:aws:s3:::bucket-{i:03d}/*" for i in range(200)]))
    with pytest.raises(Exception) as e:
        app.synth()
    msg = str(e.value)
    assert "T/One (MediaLiveOperatorGroup): the group has 11 managed policies attached" in msg
    assert "T/Two (MediaLiveOperatorGroup): the group has 11 managed policies attached" in msg
    assert "T/Three (MediaLiveOperatorGroup): the group's inline policies total" in msg and "budget of 5120" in msg
    assert "T/Three (MediaLiveOperatorGroup): the group has" not in msg


def test_quota_is_counted_again_when_the_app_is_synthesized_again():
    """A second synth (``app.synth(force=True)``) after more policies were attached counts them (found by the review
    of 0.3.1: the table of attachments was kept from the first synth of the stack, before 0.3.1 too)."""
    from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier

    app = cdk.App()
    stack = cdk.Stack(app, "T", env=ENV)
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC, group_name="OpsAgain",
                                 policy_name_prefix="OpsAgain")
    app.synth()
    for i in range(10):
        iam.ManagedPolicy(stack, f"Extra{i}", groups=[ops.group],
                          statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"arn:aws:s3:::b{i}/*"])])
    with pytest.raises(Exception, match="the group has 11 managed policies attached"):
        app.synth(force=True)


def test_within_quota_synthesizes():
    app = cdk.App()
    stack = cdk.Stack(app, "T", env=ENV)
    group = iam.Group(stack, "G")
    group.node.add_validation(PrincipalQuotaValidation(group, group.node.default_child, "group"))
    for i in range(10):
        iam.ManagedPolicy(stack, f"P{i}", groups=[group], statements=[iam.PolicyStatement(actions=["s3:GetObject"], resources=[f"arn:aws:s3:::b{i}/*"])])
    template = app.synth().get_stack_by_name("T").template  # the 10th policy is within the quota: no error
    attached = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert len(attached) == 10 and all(len(r["Properties"]["Groups"]) == 1 for r in attached)


def test_row_statements_render_and_require_bindings():
    stack = _stack()
    stmts = row_statements(stack, ["S10"])
    assert len(stmts) == 1 and stmts[0].actions == ("medialive:StartChannel", "medialive:StopChannel")
    assert stack.resolve(stmts[0].resources[0]) == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":medialive:us-west-2:111122223333:channel:*"]]
    }
    with pytest.raises(MediaLiveIamError, match="row S32 .* needs the iam:role resources"):
        row_statements(stack, ["S32"])
    with pytest.raises(MediaLiveIamError, match="unknown catalog row 'S99'"):
        row_statements(stack, ["S99"])


def test_what_constructs_create_is_read_only():
    from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier, RestrictedAdmin

    stack = _stack()
    ops = MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC)
    admin = RestrictedAdmin(stack, "Admin", operator_groups=[ops])
    for construct, attr in ((ops, "group"), (ops, "managed_policies"), (admin, "group"), (admin, "permissions_boundary"),
                            (admin.boundary, "policy")):
        with pytest.raises(AttributeError, match="read-only"):
            setattr(construct, attr, None)
    assert ops.group.node.id == "Group" and admin.group.node.id == "Group"


def test_resources_are_ordered_by_resolved_value_never_by_token_string():
    from medialive_iam_constructs.packing import sort_text, statement_resolver, value_key

    stack = _stack()
    later, earlier = iam.Group(stack, "Zulu"), iam.Group(stack, "Alpha")  # Zulu's ARN token is made first
    arns = [later.group_arn, earlier.group_arn, "arn:aws:iam::111122223333:group/other", earlier.group_arn]
    stmt = Statement.of(["iam:AddUserToGroup"], arns, rows=["A4"])
    with pytest.raises(ValueError, match="holds a CDK token"):
        pack([stmt], _literal)  # without the stack's key, a token has no order
    (chunk,) = pack([stmt], statement_resolver(stack), key=value_key(stack))
    resolved = [sort_text(r) for r in stack.resolve(list(chunk[0].resources))]
    alpha, zulu = (stack.get_logical_id(g.node.default_child) for g in (earlier, later))
    assert resolved == [f"${{{alpha}.Arn}}", f"${{{zulu}.Arn}}", "arn:aws:iam::111122223333:group/other"]
