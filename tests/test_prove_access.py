"""``medialive_iam_constructs.prove.access``: offline CheckAccessNotGranted and CheckNoNewAccess on the library's own
constructs (issue 21, item 5: "users get it"), and on hand-written templates for what the constructs never write
(NotAction, NotResource, unmodelled conditions, AWS managed policies the package does not ship)."""

from __future__ import annotations

import copy
import json

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template

z3 = pytest.importorskip("z3")  # noqa: F841 - z3-solver is pinned in requirements-dev.txt; the extra [prove] for users

from medialive_iam_constructs import (  # noqa: E402
    MediaLiveOperatorGroup, MediaLiveTrustedRole, OperatorTier, S3Location, catalog,
)
from medialive_iam_constructs.prove import (  # noqa: E402
    NewAccess, assert_access_not_granted, check_access_not_granted, format_diff, permissions_diff,
)
from medialive_iam_constructs.prove import access  # noqa: E402
from medialive_iam_constructs.prove.access import sid_rows  # noqa: E402
from medialive_iam_constructs.testing import rows_of  # noqa: E402
from tests.helpers import ENV  # noqa: E402

NEWS_ROLE = "arn:aws:iam::111122223333:role/medialive/MediaLiveNewsWorkflow"
SOURCES = "arn:aws:s3:::my-news-sources"


def _stack(app: cdk.App, name: str = "Access", *, widen: bool = False, env: cdk.Environment = ENV) -> cdk.Stack:
    """A news workflow role reading its sources under ``live/``, a READ_WRITE group that passes it, a BASIC group
    and a user in it. ``widen``: a colleague's change: ``s3:*`` for the operators, the watchers made READ_WRITE."""
    stack = cdk.Stack(app, name, env=env,
                      synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False))
    sources = s3.Bucket.from_bucket_name(stack, "Sources", "my-news-sources")
    stack.news = MediaLiveTrustedRole(stack, "News", role_name="MediaLiveNewsWorkflow",
                                      source_buckets=[S3Location(sources, prefix="live/")])
    stack.operators = MediaLiveOperatorGroup(stack, "Operators", tier=OperatorTier.READ_WRITE,
                                             group_name="MediaLiveReadWriteUsers", trusted_roles=[stack.news.role])
    watchers_tier = {"tier": OperatorTier.READ_WRITE, "trusted_roles": [stack.news.role]} if widen else \
        {"tier": OperatorTier.BASIC}
    stack.watchers = MediaLiveOperatorGroup(stack, "Watchers", group_name="MediaLiveBasicUsers", **watchers_tier)
    stack.alice = iam.User(stack, "Alice", user_name="alice", groups=[stack.watchers.group])
    if widen:
        stack.operators.group.add_to_policy(iam.PolicyStatement(actions=["s3:*"], resources=["*"]))
    return stack


@pytest.fixture(scope="module")
def base() -> cdk.Stack:
    return _stack(cdk.App())


@pytest.fixture(scope="module")
def template(base) -> dict:
    return Template.from_stack(base).to_json()


@pytest.fixture(scope="module")
def widened() -> dict:
    return Template.from_stack(_stack(cdk.App(), widen=True)).to_json()


def _policy_template(*statements: dict, boundary: list | None = None, managed: list | None = None) -> dict:
    """A role ``Worker`` (``RoleName: worker``) with one inline policy of ``statements``."""
    props: dict = {"RoleName": "worker", "AssumeRolePolicyDocument": {"Statement": []},
                   "Policies": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17",
                                                                       "Statement": list(statements)}}]}
    if managed:
        props["ManagedPolicyArns"] = managed
    resources: dict = {"Worker": {"Type": "AWS::IAM::Role", "Properties": props}}
    if boundary is not None:
        resources["Boundary"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": {"Version": "2012-10-17", "Statement": boundary}}}
        props["PermissionsBoundary"] = {"Ref": "Boundary"}
    return {"Resources": resources}


def _allow(action, resource="*", **more) -> dict:
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


# --------------------------------------------------------------------------------------------------
# CheckAccessNotGranted
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("form", ["logical id", "name", "arn", "construct", "l2", "cfn"])
def test_every_form_of_principal(base, template, form):
    lid = base.resolve(base.watchers.group.node.default_child.logical_id)
    principal = {"logical id": lid, "name": "MediaLiveBasicUsers", "arn": "arn:aws:iam::111122223333:group/medialive/"
                 "MediaLiveBasicUsers", "construct": base.watchers, "l2": base.watchers.group,
                 "cfn": base.watchers.group.node.default_child}[form]
    assert check_access_not_granted(template, principal, "iam:PassRole").verdict == "proved"
    answer = check_access_not_granted(template, principal, "medialive:StartChannel")
    assert answer.verdict == "witness" and answer.request["action"] == "medialive:StartChannel"


def test_roles_users_and_a_stack(base, template):
    assert check_access_not_granted(template, base.news, "s3:PutObject").verdict == "proved"  # .role of the construct
    assert check_access_not_granted(template, base.news.role, "s3:GetObject").verdict == "witness"
    assert check_access_not_granted(template, base.alice, "iam:PassRole").verdict == "proved"  # iam.User
    # a user has its groups' policies
    assert check_access_not_granted(template, "alice", "medialive:DescribeChannel").verdict == "witness"
    # a Stack is synthesized; its account and region are the ARNs'
    assert_access_not_granted(base, "MediaLiveBasicUsers", ["iam:*"])


def test_a_name_that_matches_nothing_lists_the_principals(template):
    with pytest.raises(ValueError, match=r"no group, user or role 'Nobody'.*MediaLiveBasicUsers.*alice"):
        check_access_not_granted(template, "Nobody", "iam:*")
    with pytest.raises(ValueError, match="matches no action"):
        check_access_not_granted(template, "alice", "iam:CreateUsr")  # a typo must not pass for nothing


def test_action_wildcards(template):
    assert_access_not_granted(template, "MediaLiveReadWriteUsers",
                              ["iam:*User*", "iam:*Policy*", "iam:*Group*", "iam:CreateRole", "s3:*"])
    answer = check_access_not_granted(template, "MediaLiveBasicUsers", "MEDIALIVE:start*")  # case-insensitive
    assert answer.verdict == "witness" and answer.request["action"].startswith("medialive:Start")


def test_resource_patterns(template):
    news = "MediaLiveNewsWorkflow"
    assert check_access_not_granted(template, news, "s3:GetObject", f"{SOURCES}/archive/*").verdict == "proved"
    for pattern in (f"{SOURCES}/live/*", f"{SOURCES}/*", "arn:aws:s3:::my-news-*/*"):
        answer = check_access_not_granted(template, news, "s3:GetObject", pattern)
        assert answer.verdict == "witness" and answer.request["resource"].startswith(f"{SOURCES}/live/")
    # resources are case-sensitive
    assert check_access_not_granted(template, news, "s3:GetObject", f"{SOURCES.upper()}/live/*").verdict == "proved"
    # PassRole: the news role only, to MediaLive only
    ops = "MediaLiveReadWriteUsers"
    answer = check_access_not_granted(template, ops, "iam:PassRole", NEWS_ROLE)
    assert answer.verdict == "witness" and answer.request == {
        "action": "iam:PassRole", "resource": NEWS_ROLE, "context": {"iam:PassedToService": "medialive.amazonaws.com"}}
    assert_access_not_granted(template, ops, "iam:PassRole", ["arn:aws:iam::111122223333:role/medialive/Other*",
                                                              "arn:aws:iam::444455556666:role/*"])


def test_a_request_on_star_reaches_every_resource(template):
    # medialive:ListChannels names no resource: it counts against a channel ARN (conservative)
    answer = check_access_not_granted(template, "MediaLiveBasicUsers", "medialive:List*",
                                      "arn:aws:medialive:us-west-2:111122223333:channel:1")
    assert answer.verdict == "witness" and answer.request["resource"] == "*"


def test_a_widened_grant_fails_the_assertion(widened):
    with pytest.raises(AssertionError) as e:
        assert_access_not_granted(widened, "MediaLiveReadWriteUsers", ["s3:*"])
    text = str(e.value)
    assert "group MediaLiveReadWriteUsers (OperatorsGroup" in text and "action:   s3:" in text and "resource: " in text


def test_an_aws_managed_policy_the_package_does_not_ship_is_unknown():
    t = _policy_template(_allow("sqs:SendMessage"), managed=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"])
    answer = check_access_not_granted(t, "worker", "iam:*")
    assert answer.verdict == "unknown" and "AmazonS3ReadOnlyAccess" in answer.features[0]
    with pytest.raises(AssertionError, match=r"(?s)cannot prove that .*worker.*managed_policies="):
        assert_access_not_granted(t, "worker", "iam:*")
    s3_read = {"Version": "2012-10-17", "Statement": [_allow(["s3:Get*", "s3:List*"])]}
    given = {"AmazonS3ReadOnlyAccess": s3_read}
    assert_access_not_granted(t, "worker", "iam:*", managed_policies=given)
    assert check_access_not_granted(t, "worker", "s3:GetObject", managed_policies=given).verdict == "witness"
    # an AWS managed policy the package ships resolves by itself
    admin = _policy_template(managed=["arn:aws:iam::aws:policy/AdministratorAccess"])
    assert check_access_not_granted(admin, "worker", "iam:CreateUser").verdict == "witness"


def test_an_unmodelled_condition_is_unknown_never_proved_nor_a_witness():
    t = _policy_template(_allow("s3:GetObject", Condition={"NumericLessThan": {"s3:max-keys": "10"}}))
    answer = check_access_not_granted(t, "worker", "s3:GetObject")
    assert answer.verdict == "unknown" and any("numericlessthan" in f.lower() for f in answer.features)
    with pytest.raises(AssertionError, match="does not model"):
        assert_access_not_granted(t, "worker", "s3:*")
    assert_access_not_granted(t, "worker", "iam:*")  # the feature does not reach IAM: still a proof


def test_not_action_and_not_resource():
    queue = "arn:aws:sqs:us-west-2:111122223333:"
    t = _policy_template({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "sqs:*"], "Resource": "*"},
                         {"Effect": "Allow", "Action": "sqs:SendMessage", "NotResource": f"{queue}secret-*"})
    assert_access_not_granted(t, "worker", ["iam:*", "organizations:*", "sqs:ReceiveMessage"])
    assert_access_not_granted(t, "worker", "sqs:SendMessage", f"{queue}secret-*")
    assert check_access_not_granted(t, "worker", "ec2:RunInstances").verdict == "witness"
    answer = check_access_not_granted(t, "worker", "sqs:SendMessage", f"{queue}public-*")
    assert answer.verdict == "witness" and answer.request["resource"].startswith(f"{queue}public-")


def test_the_permissions_boundary_caps_the_role():
    t = _policy_template(_allow("*"), boundary=[_allow("s3:*")])
    assert_access_not_granted(t, "worker", ["iam:*", "ec2:*"])
    assert check_access_not_granted(t, "worker", "s3:PutObject").verdict == "witness"


# --------------------------------------------------------------------------------------------------
# CheckNoNewAccess
# --------------------------------------------------------------------------------------------------


def test_an_unchanged_template_has_no_new_access(base, template):
    assert permissions_diff(template, template) == []
    assert permissions_diff(template, base) == []  # a Stack and its template


def _rewritten(template: dict) -> dict:
    """The same grants packed otherwise: every statement split into one statement per action, Sids renamed, the
    operators' statements spread over two managed policies, and a redundant resource pattern added."""
    t = copy.deepcopy(template)
    res = t["Resources"]
    for lid, r in list(res.items()):
        if r["Type"] != "AWS::IAM::ManagedPolicy":
            continue
        doc = r["Properties"]["PolicyDocument"]
        split = [{**st, "Sid": f"Split{i}x{j}", "Action": a} for i, st in enumerate(doc["Statement"])
                 for j, a in enumerate(st["Action"] if isinstance(st["Action"], list) else [st["Action"]])]
        doc["Statement"] = split
        if "Operators" in lid:
            half = copy.deepcopy(r)
            half["Properties"]["PolicyDocument"]["Statement"] = split[len(split) // 2:]
            half["Properties"].pop("ManagedPolicyName", None)
            doc["Statement"] = split[: len(split) // 2]
            res[lid + "Half"] = half
    return t


def test_repacking_and_sids_are_no_new_access(template):
    assert permissions_diff(template, _rewritten(template)) == []


def test_the_solver_agrees_where_the_shortcut_does_not_apply(template, monkeypatch):
    # a redundant pattern (live/a* within live/*): new atoms, the same grant; the solver proves it
    t = _rewritten(template)
    news = next(r for lid, r in t["Resources"].items() if lid.startswith("NewsPolicy"))
    st = next(s for s in news["Properties"]["PolicyDocument"]["Statement"] if s["Action"] == "s3:GetObject")
    st["Resource"] = [st["Resource"], f"{SOURCES}/live/a*"]
    assert permissions_diff(template, t) == []
    # and on every principal, with the shortcut off
    monkeypatch.setattr(access, "_surely_nothing_new", lambda new, old: False)
    assert permissions_diff(template, t) == []


def test_a_widened_grant_is_new_access_with_its_witness_and_rows(template, widened):
    diff = permissions_diff(template, widened, per_principal=3)
    by = {}
    for e in diff:
        by.setdefault(e.name, []).append(e)
    assert set(by) == {"MediaLiveReadWriteUsers", "MediaLiveBasicUsers", "alice"}
    assert all(e.verdict == "witness" and not e.new_principal for e in diff)
    assert all(len(v) == 3 and len({e.request["action"] for e in v}) == 3 for v in by.values())
    # the colleague's s3:* has no row; it comes from the group's default policy
    for e in by["MediaLiveReadWriteUsers"]:
        assert e.request["action"].startswith("s3:") and e.rows == ()
        assert any("DefaultPolicy" in s for s in e.statements)
    # READ_WRITE for the watchers: the library's statements, their rows from the Sids
    (watchers,) = [lid for lid in rows_of(widened) if lid.startswith("Watchers")]
    for e in by["MediaLiveBasicUsers"] + by["alice"]:
        assert e.rows and set(e.rows) <= set(rows_of(widened)[watchers]), e
        assert any(e.request["action"].lower() in {a.lower() for a in catalog.ROWS[r].actions} for r in e.rows), e


def test_the_markdown_and_the_json(template, widened):
    diff = permissions_diff(template, widened, per_principal=1)
    text = format_diff(diff)
    assert text.startswith("**New access** for 3 principal(s)") and "| group `MediaLiveReadWriteUsers` |" in text
    assert "`s3:" in text
    data = json.loads(format_diff(diff, fmt="json"))
    assert {d["name"] for d in data} == {"MediaLiveReadWriteUsers", "MediaLiveBasicUsers", "alice"}
    assert set(data[0]) >= {"stack", "logical_id", "verdict", "request", "features", "rows", "statements"}
    assert format_diff([]).startswith("No new access")


def test_not_action_and_not_resource_in_a_diff():
    old = _policy_template({"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"})
    new = _policy_template({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    diff = permissions_diff(old, new)
    assert diff and all(e.request["action"].startswith("organizations:") for e in diff)
    assert permissions_diff(new, old) == []
    old = _policy_template({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/*"})
    new = _policy_template({"Effect": "Allow", "Action": "s3:GetObject", "NotResource": "arn:aws:s3:::secret/a/*"})
    (entry,) = permissions_diff(old, new)
    assert entry.request["resource"].startswith("arn:aws:s3:::secret/") and \
        not entry.request["resource"].startswith("arn:aws:s3:::secret/a/")


def test_a_removed_deny_and_a_wider_boundary_are_new_access():
    old = _policy_template(_allow("*"), {"Effect": "Deny", "Action": "iam:*", "Resource": "*"})
    diff = permissions_diff(old, _policy_template(_allow("*")), per_principal=2)
    assert len(diff) == 2 and all(e.request["action"].startswith("iam:") for e in diff)
    capped = _policy_template(_allow("*"), boundary=[_allow("s3:*")])
    wider = _policy_template(_allow("*"), boundary=[_allow(["s3:*", "sqs:*"])])
    (entry,) = permissions_diff(capped, wider, per_principal=1)
    assert entry.request["action"].startswith("sqs:")
    assert permissions_diff(wider, capped) == []
    assert permissions_diff(capped, _policy_template(_allow("*")), per_principal=1)  # the boundary removed


def test_a_new_principal_and_a_renamed_logical_id():
    old = _policy_template(_allow("s3:GetObject", "arn:aws:s3:::b/*"))
    new = copy.deepcopy(old)
    new["Resources"]["Worker2"] = new["Resources"].pop("Worker")  # same RoleName: the same role
    assert permissions_diff(old, new) == []
    new["Resources"]["Intern"] = {"Type": "AWS::IAM::Role", "Properties": {
        "AssumeRolePolicyDocument": {"Statement": []},
        "Policies": [{"PolicyName": "p", "PolicyDocument": {"Statement": [_allow("sqs:SendMessage")]}}]}}
    (entry,) = permissions_diff(old, new)
    assert entry.logical_id == "Intern" and entry.new_principal and entry.request["action"] == "sqs:SendMessage"


def test_unknowns_are_reported_never_hidden():
    old = _policy_template(_allow("s3:GetObject"))
    cond = {"NumericLessThan": {"s3:max-keys": "10"}}
    new = _policy_template(_allow("s3:GetObject"), _allow("sqs:SendMessage", Condition=cond))
    (entry,) = permissions_diff(old, new)
    assert entry.verdict == "unknown" and any("numericlessthan" in f.lower() for f in entry.features)
    managed = _policy_template(_allow("s3:GetObject"), managed=["arn:aws:iam::aws:policy/AmazonSQSFullAccess"])
    (entry,) = permissions_diff(old, managed)
    assert entry.verdict == "unknown" and "AmazonSQSFullAccess" in entry.features[0]
    assert "unknown" in format_diff([entry])


def test_two_cloud_assemblies(tmp_path):
    env = cdk.Environment(account="123456789012", region="eu-west-1")
    for name, widen in (("old", False), ("new", True)):
        app = cdk.App(outdir=str(tmp_path / name))
        stage = cdk.Stage(app, "Prod", env=env)
        _stack(stage, "Iam", widen=widen, env=env)
        app.synth()
    diff = permissions_diff(tmp_path / "old", tmp_path / "new", per_principal=1)
    assert {e.name for e in diff} == {"MediaLiveReadWriteUsers", "MediaLiveBasicUsers", "alice"}
    assert {e.stack for e in diff} == {"Prod/Iam"}
    # the stack's own account, region and partition
    assert all(e.arn.startswith("arn:aws:iam::123456789012:") for e in diff)
    # one stack: a check reads it from the assembly too, in its environment
    answer = check_access_not_granted(tmp_path / "new", "MediaLiveBasicUsers", "medialive:StartChannel")
    assert answer.request["resource"].startswith("arn:aws:medialive:eu-west-1:123456789012:channel:")
    assert permissions_diff(tmp_path / "new", tmp_path / "new") == []
    assert permissions_diff(tmp_path / "new", tmp_path / "old") == []  # only removed


def test_sid_rows():
    assert sid_rows("S27S28") == ("S27", "S28")
    assert sid_rows("M1S1S10S11S2S2thumbnailsS5editS5viewS9") == (
        "M1", "S1", "S10", "S11", "S2", "S2.thumbnails", "S5.edit", "S5.view", "S9")
    assert sid_rows("S32No2") == ("S32",) and sid_rows("T18read") == ("T18.read",)
    assert sid_rows("Custom") == () and sid_rows("") == ()


def test_new_access_is_a_frozen_value():
    e = NewAccess("s", "Id", "role", "n", "arn", "witness")
    with pytest.raises(AttributeError):
        e.verdict = "unknown"  # type: ignore[misc]
