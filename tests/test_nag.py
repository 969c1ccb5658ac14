"""Tests of medialive_iam_constructs.nag: narrow cdk-nag acknowledgements, each citing a catalog row or doc error."""

from __future__ import annotations

import cdk_nag
import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs.nag import CITATION, acknowledge, acknowledge_wildcards, nag_text
from medialive_iam_constructs.statements import Statement, row_statements
from tests.helpers import ACCOUNT, REGION, new_stack
from tools.lint.nag import nag_findings

IAM5 = "AwsSolutions-IAM5"
CHANNELS = f"{IAM5}[Resource::arn:<AWS::Partition>:medialive:{REGION}:{ACCOUNT}:channel:*]"


def _acks(construct) -> dict[str, str]:
    return {key.removeprefix("Annotation::"): reason for entry in construct.node.metadata
            if entry.type == "aws:cdk:acknowledged-rules" for key, reason in entry.data.items()}


@pytest.mark.parametrize("reason", ["S13: x", "because of T18.read", "A2", "E14 forces it", "F3a and W4", "see M1.x"])
def test_a_citation_is_a_row_or_doc_error(reason):
    assert CITATION.search(reason)


@pytest.mark.parametrize("reason", ["broad on purpose", "IAM5 wildcard", "S", "step 13", "XS13"])
def test_a_reason_without_a_row_is_no_citation(reason):
    assert not CITATION.search(reason)


def test_acknowledge_records_the_exact_finding_and_reason_on_the_construct():
    _, stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())
    acknowledge(role, f"{IAM5}[Resource::*]", "S25: metrics take no resource")
    acknowledge(role, "HIPAA.Security-IAMNoInlinePolicy", "T18: inline by design")  # packs without granular ids
    assert _acks(role) == {f"{IAM5}[Resource::*]": "S25: metrics take no resource",
                           "HIPAA.Security-IAMNoInlinePolicy": "T18: inline by design"}
    assert _acks(stack) == {}


def test_a_reason_that_cites_no_row_is_refused():
    _, stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())
    with pytest.raises(ValueError, match=r"the reason for AwsSolutions-IAM5\[Resource::\*\] must cite a catalog row "
                                         r"\(S13, T18, A2\) or doc error \(E14\)"):
        acknowledge(role, f"{IAM5}[Resource::*]", "broad on purpose")
    assert _acks(role) == {}


def test_a_bare_awssolutions_rule_id_is_refused():
    _, stack = new_stack()
    role = iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())
    with pytest.raises(ValueError, match="'AwsSolutions-IAM5': acknowledge granular AwsSolutions findings by their exact id"):
        acknowledge(role, IAM5, "S25: metrics")
    assert _acks(role) == {}


def test_nag_text_prints_values_as_cdk_nag_does():
    assert nag_text({"Ref": "Bucket"}) == "<Bucket>"
    assert nag_text({"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::b/*"]]}) == "arn:<AWS::Partition>:s3:::b/*"
    assert nag_text("arn:aws:s3:::b/*") == "arn:aws:s3:::b/*"


def _statements(stack) -> list[Statement]:
    return [
        *row_statements(stack, ["S10"]),  # channel:* in this account and region, the partition a token
        Statement.of(["cloudwatch:ListMetrics"], ["*"], rows=["S25"]),  # the catalog's reason for '*'
        Statement.of(["s3:Get*"], ["arn:aws:s3:::media/key"], rows=["T18.read"]),  # a wildcard action
        Statement.of(["s3:PutObject"], ["arn:aws:s3:::media/key"], rows=["T18.write"]),  # no wildcard: no finding
    ]


def _policy(stack, statements: list[Statement]) -> iam.ManagedPolicy:
    return iam.ManagedPolicy(stack, "P", document=iam.PolicyDocument.from_json(
        {"Version": "2012-10-17", "Statement": [s.to_json() for s in statements]}), roles=[
        iam.Role(stack, "R", assumed_by=iam.AccountRootPrincipal())])


def test_acknowledge_wildcards_acknowledges_exactly_the_wildcard_findings_and_names_the_rows():
    raw_app, raw_stack = new_stack("Raw")
    _policy(raw_stack, _statements(raw_stack))
    found = {line.split(" ", 1)[0] for line in nag_findings(raw_app, raw_stack, packs=(cdk_nag.AwsSolutionsChecks,))}
    app, stack = new_stack("Acked")
    policy = _policy(stack, _statements(stack))
    acknowledge_wildcards(policy, _statements(stack))
    acks = _acks(policy)
    assert set(acks) == {f for f in found if f.startswith(IAM5)} == {
        CHANNELS, f"{IAM5}[Resource::*]", f"{IAM5}[Action::s3:Get*]"}
    assert not [f for f in nag_findings(app, stack, packs=(cdk_nag.AwsSolutionsChecks,)) if f.startswith(IAM5)]
    assert acks[CHANNELS].startswith("S10: the identifier wildcard scopes the grant to this resource type in this "
                                     "account and region")
    assert acks[f"{IAM5}[Resource::*]"].startswith("S25: cloudwatch:ListMetrics: MediaLive's metrics belong to no")
    assert acks[f"{IAM5}[Action::s3:Get*]"] == "T18.read: wildcard action from the catalog"


def test_acknowledge_wildcards_joins_the_reasons_of_one_finding_and_says_what_sar_lacks():
    _, stack = new_stack()
    statements = [Statement.of(["cloudwatch:ListMetrics"], ["*"], rows=["S25"]),
                  Statement.of(["medialive:ListChannels"], ["*"], rows=["S2"])]
    policy = _policy(stack, statements)
    acknowledge_wildcards(policy, statements)
    reason = _acks(policy)[f"{IAM5}[Resource::*]"]
    parts = reason.split(" | ")
    assert len(parts) == 2 and parts[0].startswith("S25: cloudwatch:ListMetrics: MediaLive's metrics belong to no")
    assert parts[1] == "S2: medialive:ListChannels: no resource-level permissions in the Service Authorization Reference"


def test_acknowledge_wildcards_of_a_trusted_row_says_medialive_creates_what_lies_under_it():
    _, stack = new_stack()
    statements = [Statement.of(["s3:GetObject"], ["arn:aws:s3:::media/*"], rows=["T18.read"])]
    policy = _policy(stack, statements)
    acknowledge_wildcards(policy, statements)
    assert _acks(policy) == {f"{IAM5}[Resource::arn:aws:s3:::media/*]": (
        "T18.read: the identifier wildcard stays inside the resource the workflow names (this account); MediaLive "
        "creates what lies under it per channel, with names not known in advance")}


def test_acknowledge_wildcards_without_a_wildcard_acknowledges_nothing_and_a_custom_wildcard_is_refused():
    _, stack = new_stack()
    literal = [Statement.of(["s3:PutObject"], ["arn:aws:s3:::media/key"], rows=["T18.write"])]
    policy = _policy(stack, literal)
    acknowledge_wildcards(policy, literal)
    assert _acks(policy) == {}
    with pytest.raises(ValueError, match=r"the reason for AwsSolutions-IAM5\[Resource::\*\] must cite"):
        acknowledge_wildcards(policy, [Statement.of(["medialive:ListChannels"], ["*"])])  # no row to cite
