"""The one template reader (medialive_iam_constructs.template): each style of writing intrinsics, the concrete
resolver's modes, statements flattened and the policies each principal holds."""

from __future__ import annotations

import json

import pytest

from medialive_iam_constructs.template import (
    UNRESOLVED_TOKEN_CHARS,
    Placeholders,
    Pseudo,
    Symbolic,
    TemplateResolutionError,
    TemplateValues,
    WorstCase,
    listed,
    policy_holders,
    references,
    statements,
)

ROLE_ARN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":role/",
                              {"Ref": "Role"}]]}
GET_ATT = {"Fn::GetAtt": ["Role", "Arn"]}
IMPORTED = {"Fn::ImportValue": "Shared-Bucket"}
SUB = {"Fn::Sub": "arn:${AWS::Partition}:s3:::b-${AWS::AccountId}"}

TEMPLATE = {
    "Parameters": {"Env": {"Type": "String", "Default": "prod"},
                   "Version": {"Type": "AWS::SSM::Parameter::Value<String>", "Default": "/cdk-bootstrap/version"}},
    "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    "Resources": {
        "Role": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "ops", "Path": "/medialive/",
                                                           "Policies": [{"PolicyName": "own", "PolicyDocument": {
                                                               "Statement": {"Effect": "Allow", "Action": "s3:Get*",
                                                                             "Resource": "*"}}}]}},
        "Group": {"Type": "AWS::IAM::Group"},
        "Policy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "Path": "/p/", "Groups": [{"Ref": "Group"}], "Roles": [{"Ref": "Role"}],
            "PolicyDocument": {"Statement": [{"Effect": "Allow", "Action": "iam:PassRole", "Resource": GET_ATT}]}}},
        "Bucket": {"Type": "AWS::S3::Bucket"},
    },
}


def test_worst_case_counts_pseudo_parameters_at_their_longest_and_the_rest_as_an_arn():
    text = WorstCase().render(ROLE_ARN)
    assert text == "arn:" + "x" * 10 + ":iam::" + "x" * 12 + ":role/" + "x" * UNRESOLVED_TOKEN_CHARS
    assert WorstCase().render({"Resource": [GET_ATT, "*"]}) == {"Resource": ["x" * UNRESOLVED_TOKEN_CHARS, "*"]}


def test_symbolic_writes_sub_text_and_opaque_makes_every_intrinsic_text():
    assert Symbolic(opaque=True).render(ROLE_ARN) == "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/${Role}"
    assert Symbolic(opaque=True).render(GET_ATT) == "${Role.Arn}"
    assert Symbolic(opaque=True).render(IMPORTED) == '${{"Fn::ImportValue":"Shared-Bucket"}}'
    assert Symbolic(opaque=True).render(SUB) == "${" + json.dumps(SUB, separators=(",", ":")) + "}"
    # not opaque: what is not written as text is kept, an Fn::Sub keeps its own text
    assert Symbolic(opaque=False).render(IMPORTED) == IMPORTED
    assert Symbolic(opaque=False).render(SUB) == "arn:${AWS::Partition}:s3:::b-${AWS::AccountId}"
    joined_import = {"Fn::Join": ["/", ["a", IMPORTED]]}
    assert Symbolic(opaque=False).render(joined_import) == joined_import
    assert Symbolic(opaque=True).render(joined_import) == 'a/${{"Fn::ImportValue":"Shared-Bucket"}}'  # parts as text


def test_placeholders_as_cdk_nag_prints_them_and_roles_by_their_arn():
    nag = Placeholders(fallback=str)
    assert nag.render(ROLE_ARN) == "arn:<AWS::Partition>:iam::<AWS::AccountId>:role/<Role>"
    assert nag.render(GET_ATT) == "<Role.Arn>" and nag.render(IMPORTED) == "<Shared-Bucket>"
    assert nag.render({"a": 1}) == "{'a': 1}" and nag.render(5) == "5"
    handout = Placeholders(fallback=lambda v: json.dumps(v, sort_keys=True), roles=TEMPLATE["Resources"])
    assert handout.render(GET_ATT) == "arn:<AWS::Partition>:iam::<AWS::AccountId>:role/medialive/ops"
    assert handout.render({"Fn::GetAtt": ["Group", "Arn"]}) == "<Group.Arn>"  # no literal role name
    assert handout.render(["x"]) == '["x"]'


def test_placeholders_write_the_pseudo_parameters_they_are_given():
    """Issue 23: the handout of a stack with an account and region shows its ARNs, not placeholders."""
    known = Placeholders(fallback=str, roles=TEMPLATE["Resources"],
                         pseudo={"AWS::Partition": "aws-cn", "AWS::AccountId": "444455556666"})
    assert known.render(ROLE_ARN) == "arn:aws-cn:iam::444455556666:role/<Role>"
    assert known.render(GET_ATT) == "arn:aws-cn:iam::444455556666:role/medialive/ops"
    assert known.render({"Ref": "AWS::Region"}) == "<AWS::Region>"  # not given: a placeholder


def test_pseudo_keeps_an_arns_pseudo_parameters_and_gives_up_on_anything_else():
    arn = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::", "b"]]}
    assert Pseudo().render(arn) == "arn:${Partition}:s3:::b"
    assert Pseudo().render(ROLE_ARN) is None  # a Ref to a resource
    assert Pseudo().render(GET_ATT) is None and Pseudo().render("literal") == "literal"


def test_pseudo_writes_the_resources_it_is_told_the_names_of():
    named = Pseudo({"Bucket": "medialive-src", "Bucket.Arn": "arn:${Partition}:s3:::medialive-src"})
    assert named.render({"Ref": "Bucket"}) == "medialive-src"
    assert named.render({"Fn::GetAtt": ["Bucket", "Arn"]}) == "arn:${Partition}:s3:::medialive-src"
    assert named.render({"Fn::Join": ["", [{"Fn::GetAtt": ["Bucket", "Arn"]}, "/live/*"]]}) == \
        "arn:${Partition}:s3:::medialive-src/live/*"
    assert named.render({"Fn::GetAtt": ["Bucket", "DomainName"]}) is None  # only what it was told
    assert named.render(ROLE_ARN) is None and named.render({"Ref": "AWS::Region"}) == "${Region}"


def test_template_values_resolve_for_one_environment():
    values = TemplateValues(TEMPLATE, account="123456789012", region="eu-west-1")
    assert values.resolve(ROLE_ARN) == "arn:aws:iam::123456789012:role/ops"
    assert values.resolve(GET_ATT) == "arn:aws:iam::123456789012:role/medialive/ops"
    assert values.resolve({"Ref": "Policy"}) == "arn:aws:iam::123456789012:policy/p/Policy"
    assert values.resolve({"Fn::GetAtt": ["Bucket", "Arn"]}) == "arn:aws:s3:::bucket"
    assert values.resolve(SUB) == "arn:aws:s3:::b-123456789012"
    assert values.resolve(["a", {"Ref": "AWS::NoValue"}]) == ["a"]
    assert values.resolve({"Ref": "Env"}) == "prod"
    with pytest.raises(TemplateResolutionError, match="SSM-backed"):
        values.resolve({"Ref": "Version"})
    with pytest.raises(TemplateResolutionError, match="unsupported intrinsic Fn::If"):
        values.resolve({"Fn::If": ["IsProd", "a", "b"]})  # a proof does not choose a branch
    with pytest.raises(TemplateResolutionError, match="Fn::ImportValue"):
        values.resolve(IMPORTED)


def test_template_values_of_a_deployed_stack_use_physical_ids_and_evaluate_conditions():
    deployed = TemplateValues(TEMPLATE, account="123456789012", region="eu-west-1", conditions=True,
                              physical_ids={"Role": "ops", "Group": "Stack-Group-1X2Y",
                                            "Policy": "arn:aws:iam::123456789012:policy/p/Stack-Policy-9Z"})
    assert deployed.resolve({"Fn::GetAtt": ["Group", "Arn"]}) == "arn:aws:iam::123456789012:group/Stack-Group-1X2Y"
    assert deployed.resolve({"Ref": "Policy"}) == "arn:aws:iam::123456789012:policy/p/Stack-Policy-9Z"
    assert deployed.resolve({"Fn::If": ["IsProd", "a", {"Ref": "AWS::NoValue"}]}) == "a"
    assert deployed.resolve({"Statement": {"Fn::If": ["IsProd", {"Ref": "AWS::NoValue"}, "b"]}}) == {}
    with pytest.raises(TemplateResolutionError, match="no physical id"):
        deployed.resolve({"Ref": "Bucket"})
    with pytest.raises(TemplateResolutionError, match="StackId"):
        deployed.resolve({"Ref": "AWS::StackId"})  # CloudFormation's, not known offline


def test_statements_of_documents_and_listed_fields():
    docs = [{"Statement": {"Sid": "A"}}, {"Statement": [{"Sid": "B"}, {"Sid": "C"}]}, {}]
    assert [s["Sid"] for s in statements(docs)] == ["A", "B", "C"]
    assert listed("x") == ["x"] and listed(["x", "y"]) == ["x", "y"]


def test_policy_holders_by_logical_id():
    held = policy_holders(TEMPLATE)
    assert set(held) == {"Role", "Group"}
    assert set(held["Role"]) == {"Role#inline:own", "Policy"} and set(held["Group"]) == {"Policy"}
    assert held["Group"]["Policy"] is TEMPLATE["Resources"]["Policy"]["Properties"]["PolicyDocument"]


def test_references_are_the_names_a_value_refers_to():
    assert references(TEMPLATE["Resources"]["Policy"]["Properties"]) == {"Group", "Role"}
    assert references([ROLE_ARN, {"Fn::GetAtt": "Bucket.Arn"}]) == {"AWS::Partition", "AWS::AccountId", "Role", "Bucket"}
    assert references({"Fn::Sub": "${Role}"}) == set()  # Fn::Sub's variables are not read
