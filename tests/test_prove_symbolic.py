"""``medialive_iam_constructs.prove.symbolic``: the z3 evaluator's semantics on small policies. Its decisions against
iam-simulate's on every request of the generated proof (issue 21, differential soundness) are
``tests/test_proof_generated.py::test_the_symbolic_evaluator_decides_as_iam_simulate``."""

from __future__ import annotations

import pytest

z3 = pytest.importorskip("z3")  # noqa: F841 - z3-solver is pinned in requirements-dev.txt; the extra [prove] for users

from medialive_iam_constructs.prove.symbolic import ConcreteDecider, find_allowed  # noqa: E402

UNIVERSE = ["s3:GetObject", "s3:PutObject", "s3:ListBucket", "sns:Subscribe", "iam:PassRole", "ec2:RunInstances"]


def decide(statements: list, action: str, resource: str, context: dict | None = None, boundary: list | None = None):
    identity = [{"Statement": statements}]
    return ConcreteDecider(identity, None if boundary is None else [{"Statement": boundary}], UNIVERSE).decide(
        action, resource, context)


def allow(action="*", resource="*", **condition):
    st = {"Effect": "Allow", "Action": action, "Resource": resource}
    if condition:
        st["Condition"] = condition
    return st


@pytest.mark.parametrize("pattern, resource, expected", [
    ("arn:aws:s3:::media*", "arn:aws:s3:::medialive-x/a", "Allowed"),
    ("arn:aws:s3:::medialive/*", "arn:aws:s3:::medialiveX", "Denied"),
    ("arn:aws:sns:*:111122223333:t", "arn:aws:sns:us-east-1:111122223333:t", "Allowed"),
    ("arn:aws:sns:*:111122223333:t", "arn:aws:sns:us:east:111122223333:t", "Denied"),  # * stays in its segment
    ("arn:aws:s3:::a?c", "arn:aws:s3:::abc", "Allowed"),
    ("arn:aws:s3:::a?c", "arn:aws:s3:::abbc", "Denied"),
    ("arn:aws:s3:::b/*", "arn:aws:s3:::b/x:y/z", "Allowed"),  # in the resource part * spans ':' and '/'
    ("arn:aws:s3:::B", "arn:aws:s3:::b", "Denied"),  # resources are case-sensitive
    ("*", "*", "Allowed"),
    ("arn:aws:s3:::b", "*", "Denied"),
])
def test_resource_globs(pattern, resource, expected):
    assert decide([allow("s3:GetObject", pattern)], "s3:GetObject", resource) == expected


def test_actions_are_case_insensitive_and_not_action_excludes():
    assert decide([allow("S3:get*")], "s3:GetObject", "*") == "Allowed"
    assert decide([allow("S3:get*")], "s3:PutObject", "*") == "Denied"
    st = {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}
    assert decide([st], "iam:PassRole", "*") == "Allowed" and decide([st], "s3:GetObject", "*") == "Denied"


def test_explicit_deny_and_the_boundary():
    deny = {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "*"}
    assert decide([allow(), deny], "s3:PutObject", "arn:aws:s3:::b/k") == "Denied"
    assert decide([allow()], "s3:PutObject", "arn:aws:s3:::b/k", boundary=[allow("s3:Get*")]) == "Denied"
    assert decide([allow()], "s3:GetObject", "arn:aws:s3:::b/k", boundary=[allow("s3:Get*")]) == "Allowed"


@pytest.mark.parametrize("condition, context, expected", [
    ({"StringEquals": {"aws:ResourceTag/Team": "news"}}, {"aws:ResourceTag/Team": "news"}, "Allowed"),
    ({"StringEquals": {"aws:ResourceTag/Team": "news"}}, {"aws:ResourceTag/Team": "News"}, "Denied"),
    ({"StringEquals": {"aws:ResourceTag/Team": "news"}}, {}, "Denied"),  # absent: a positive operator is false
    ({"StringNotEquals": {"aws:ResourceTag/Team": "news"}}, {}, "Allowed"),  # a negated one true
    ({"StringEqualsIfExists": {"aws:RequestTag/Team": "news"}}, {}, "Allowed"),
    ({"StringEqualsIfExists": {"aws:RequestTag/Team": "news"}}, {"aws:RequestTag/Team": "sport"}, "Denied"),
    ({"StringEqualsIgnoreCase": {"sns:Protocol": "EMAIL"}}, {"sns:Protocol": "email"}, "Allowed"),
    ({"StringLike": {"sns:Endpoint": "https://h.example.com/*"}}, {"sns:Endpoint": "https://h.example.com/x"},
     "Allowed"),
    ({"StringLike": {"sns:Endpoint": "https://h.example.com/*"}}, {"sns:Endpoint": "https://h.example.com.evil/x"},
     "Denied"),
    ({"StringLike": {"k": "a${*}"}}, {"k": "a*"}, "Allowed"),  # ${*} is a literal '*'
    ({"StringLike": {"k": "a${*}"}}, {"k": "ab"}, "Denied"),
    ({"Null": {"cloudformation:RoleArn": "true"}}, {}, "Allowed"),
    ({"Null": {"cloudformation:RoleArn": "true"}}, {"cloudformation:RoleArn": "arn:aws:iam::1:role/x"}, "Denied"),
    ({"Bool": {"aws:SecureTransport": "true"}}, {"aws:SecureTransport": "TRUE"}, "Allowed"),
    ({"ArnLike": {"events:TargetArn": "arn:aws:sns:*:111122223333:*"}},
     {"events:TargetArn": "arn:aws:sns:us-east-1:111122223333:t"}, "Allowed"),
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {}, "Allowed"),  # vacuous on an absent set
    ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ["a", "c"]}, "Denied"),
    ({"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}}, {}, "Denied"),
    ({"ForAnyValue:StringEquals": {"aws:CalledVia": ["cloudformation.amazonaws.com"]}},
     {"aws:CalledVia": ["medialive.amazonaws.com", "cloudformation.amazonaws.com"]}, "Allowed"),
])
def test_conditions(condition, context, expected):
    assert decide([allow(**condition)], "s3:GetObject", "*", context) == expected


def test_an_unmodelled_condition_widens_an_allow_and_never_proves():
    ip = {"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}
    assert decide([allow(**ip)], "s3:GetObject", "*", {"aws:SourceIp": "1.2.3.4"}) == "unknown"
    answer = find_allowed([{"Statement": [allow("s3:GetObject", "*", **ip)]}], None, universe=UNIVERSE)
    assert answer.verdict == "unknown" and "condition operator ipaddress" in answer.features
    # in a Deny it is assumed not to apply: the Allow stands
    deny = {"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": ip}
    assert decide([allow(), deny], "s3:GetObject", "*") == "Allowed"


def test_find_allowed_proves_and_finds_witnesses():
    docs = [{"Statement": [allow("s3:GetObject", "arn:aws:s3:::medialive-*/*")]}]
    witness = find_allowed(docs, None, universe=UNIVERSE)
    assert witness.verdict == "witness" and witness.request["action"] == "s3:getobject"
    assert witness.request["resource"].startswith("arn:aws:s3:::medialive-")
    outside = find_allowed(docs, None, universe=UNIVERSE, where=lambda r: z3.Not(
        z3.PrefixOf(z3.StringVal("arn:aws:s3:::medialive-"), r.resource)))
    assert outside.verdict == "proved"
    # a widened prefix (the separator lost) is found
    wide = [{"Statement": [allow("s3:GetObject", "arn:aws:s3:::medialive*/*")]}]
    found = find_allowed(wide, None, universe=UNIVERSE, where=lambda r: z3.Not(
        z3.PrefixOf(z3.StringVal("arn:aws:s3:::medialive-"), r.resource)))
    assert found.verdict == "witness" and not found.request["resource"].startswith("arn:aws:s3:::medialive-")


#: ARN operators at their edges, each decided by iam-simulate too: the encoder compares ARNs field by field as it
#: does (before issue 21's second review the encoder read a pattern of fewer than six fields as a literal, and
#: required six fields of the request's value, so that the first five cases disagreed).
ARN_CASES = [
    ("ArnLike", "arn:aws:sns:*", "arn:aws:sns:*"),  # a pattern that is not an ARN matches nothing...
    ("ArnNotLike", "arn:aws:sns:*", "arn:aws:sns:x:y:z"),  # ...either way
    ("ArnLike", "arn:aws:sns:*:*:*", "arn:aws:sns:x:y"),  # five fields: an empty resource part
    ("ArnLike", "arn:aws:sns:us-west-2:111122223333:*", "arn:aws:sns:us-west-2:111122223333"),
    ("ArnNotLike", "arn:aws:sns:*:111122223333:*", "not-an-arn"),  # a value that is no ARN matches neither way
    ("ArnNotLike", "arn:aws:sns:*:111122223333:*", "arn:aws:sns:r:444455556666:t"),
    ("ArnNotLike", "arn:aws:sns:*:111122223333:*", "arn:aws:sns:r:111122223333:t"),
    ("ArnLike", "arn:aws:sns:*:111122223333:t*", "arn:aws:sns:r:111122223333:t:x/y"),
    ("ArnLike", "arn:aws:sns:*:111122223333:t", "arn:aws:sns:r:1111:22223333:t"),  # * stays in its field
    ("ArnEquals", "arn:aws:sns:r:111122223333:t", "arn:aws:sns:r:111122223333:t"),
    ("ArnNotEquals", "arn:aws:sns:r:111122223333:t", "arn:aws:sns:r:111122223333:u"),
    ("ArnLike", "arn:aws:sns:r:111122223333:t", "arn:aws:sns:r:111122223333:T"),  # case-sensitive
]


@pytest.mark.parametrize("op, pattern, value", ARN_CASES)
def test_arn_operators_decide_as_iam_simulate(op, pattern, value, iam_evaluator):
    from tools.iam_evaluator import NamedPolicy

    statement = allow("s3:GetObject", "*", **{op: {"aws:SourceArn": pattern}})
    ours = decide([statement], "s3:GetObject", "arn:aws:s3:::b/k", {"aws:SourceArn": value})
    theirs = iam_evaluator.evaluate(
        identity_policies=[NamedPolicy("p", {"Version": "2012-10-17", "Statement": [statement]}, "test")],
        action="s3:GetObject", resource="arn:aws:s3:::b/k", principal="arn:aws:iam::111122223333:user/u",
        account_id="111122223333", context={"aws:SourceArn": value}).result
    assert ours == ("Allowed" if theirs == "Allowed" else "Denied"), (op, pattern, value, theirs)
