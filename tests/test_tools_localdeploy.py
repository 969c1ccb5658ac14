"""Local deploy of a CDK stack to LocalStack, checked through the IAM API (localdeploy/).

- Unit tests of localdeploy.verify against a fake IAM client: the verifier reports a missing membership,
  a detached policy, a changed document, leftovers after destroy (fast, no emulator).
- ``test_demo_stack_deploys_verifies_and_destroys`` (marker ``localdeploy``): the whole cycle against
  tools/localdeploy/demo_app.py on a real LocalStack (~50 s), including tampering with the deployed state through
  boto3 and asserting the verifier notices. It FAILS (never skips) when Python 3.13 is missing.
  Deselect with ``-m "not localdeploy"``.
"""

from __future__ import annotations

import copy

import pytest
from botocore.exceptions import ClientError

from tools.localdeploy import verify

ACCOUNT, REGION = "000000000000", "us-east-1"


# ------------------------------------------------------------------------------------------------------------
# fake IAM state (what the IAM API would report) for the verifier unit tests
# ------------------------------------------------------------------------------------------------------------


def _join(*parts):
    return {"Fn::Join": ["", list(parts)]}


OPERATOR_DOC = {
    "Version": "2012-10-17",
    "Statement": [{
        "Effect": "Allow",
        "Action": "medialive:StartChannel",
        "Resource": _join("arn:", {"Ref": "AWS::Partition"}, ":medialive:", {"Ref": "AWS::Region"}, ":",
                          {"Ref": "AWS::AccountId"}, ":channel:*"),
    }],
}
TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                   "Principal": {"Service": "medialive.amazonaws.com"}}]}
TEMPLATE = {
    "Resources": {
        "Group": {"Type": "AWS::IAM::Group", "Properties": {"GroupName": "ops", "Path": "/ml/",
                                                            "ManagedPolicyArns": [{"Ref": "OperatorPolicy"}]}},
        "OperatorPolicy": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "ManagedPolicyName": "operator", "Path": "/ml/", "PolicyDocument": OPERATOR_DOC,
            "Roles": [{"Ref": "Role"}]}},
        "Boundary": {"Type": "AWS::IAM::ManagedPolicy", "Properties": {
            "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "medialive:*", "Resource": {"Fn::Sub": "arn:${AWS::Partition}:medialive:*:${AWS::AccountId}:*"}}]}}},
        "Role": {"Type": "AWS::IAM::Role", "Properties": {
            "RoleName": "ml-access", "AssumeRolePolicyDocument": TRUST,
            "PermissionsBoundary": {"Ref": "Boundary"},
            "Policies": [{"PolicyName": "self", "PolicyDocument": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": "iam:GetRole", "Resource": {"Fn::GetAtt": ["Role", "Arn"]}}]}}]}},
        "UserOne": {"Type": "AWS::IAM::User", "Properties": {"UserName": "one", "Groups": [{"Ref": "Group"}]}},
        "UserTwo": {"Type": "AWS::IAM::User", "Properties": {"UserName": "two"}},
        "Membership": {"Type": "AWS::IAM::UserToGroupAddition",
                       "Properties": {"GroupName": {"Ref": "Group"}, "Users": [{"Ref": "UserTwo"}]}},
    }
}
PHYSICAL = {"Group": "ops", "OperatorPolicy": "arn:aws:iam::000000000000:policy/ml/operator",
            "Boundary": "arn:aws:iam::000000000000:policy/Stack-Boundary-1234", "Role": "ml-access",
            "UserOne": "one", "UserTwo": "two", "Membership": "Stack-Membership-abcd"}


def deployed_state() -> dict:
    """The IAM state a correct deployment of TEMPLATE produces."""
    op_doc = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "medialive:StartChannel",
                                                      "Resource": "arn:aws:medialive:us-east-1:000000000000:channel:*"}]}
    boundary_doc = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "medialive:*", "Resource": "arn:aws:medialive:*:000000000000:*"}]}
    return {
        "group": {"ops": {"Path": "/ml/", "attached": {PHYSICAL["OperatorPolicy"]}, "inline": {},
                          "members": ["one", "two"]}},
        "role": {"ml-access": {"Path": "/", "AssumeRolePolicyDocument": TRUST, "attached": {PHYSICAL["OperatorPolicy"]},
                               "PermissionsBoundary": {"PermissionsBoundaryArn": PHYSICAL["Boundary"]},
                               "inline": {"self": {"Version": "2012-10-17", "Statement": [
                                   {"Effect": "Allow", "Action": "iam:GetRole",
                                    "Resource": "arn:aws:iam::000000000000:role/ml-access"}]}}}},
        "user": {"one": {"Path": "/", "attached": set(), "inline": {}},
                 "two": {"Path": "/", "attached": set(), "inline": {}}},
        "policy": {PHYSICAL["OperatorPolicy"]: {"PolicyName": "operator", "Path": "/ml/", "doc": op_doc},
                   PHYSICAL["Boundary"]: {"PolicyName": "Stack-Boundary-1234", "Path": "/", "doc": boundary_doc}},
    }


class FakeIam:
    """The subset of the boto3 IAM client that localdeploy.verify uses, over a dict state."""

    def __init__(self, state: dict):
        self.s = state

    @staticmethod
    def _nse(what):
        return ClientError({"Error": {"Code": "NoSuchEntity", "Message": what}}, "Get")

    def can_paginate(self, op):
        return False

    def _get(self, kind, name):
        if name not in self.s[kind]:
            raise self._nse(f"{kind} {name}")
        return self.s[kind][name]

    def get_group(self, GroupName):
        g = self._get("group", GroupName)
        return {"Group": {"GroupName": GroupName, "Path": g["Path"]}, "Users": [{"UserName": u} for u in g["members"]]}

    def get_role(self, RoleName):
        r = self._get("role", RoleName)
        out = {"RoleName": RoleName, "Path": r["Path"], "AssumeRolePolicyDocument": r["AssumeRolePolicyDocument"]}
        if r.get("PermissionsBoundary"):
            out["PermissionsBoundary"] = r["PermissionsBoundary"]
        return {"Role": out}

    def get_user(self, UserName):
        u = self._get("user", UserName)
        return {"User": {"UserName": UserName, "Path": u["Path"]}}

    def get_policy(self, PolicyArn):
        p = self._get("policy", PolicyArn)
        return {"Policy": {"PolicyName": p["PolicyName"], "Path": p["Path"], "Arn": PolicyArn, "DefaultVersionId": "v1"}}

    def get_policy_version(self, PolicyArn, VersionId):
        return {"PolicyVersion": {"Document": self._get("policy", PolicyArn)["doc"], "VersionId": VersionId}}

    def list_entities_for_policy(self, PolicyArn):
        out = {"PolicyGroups": [], "PolicyRoles": [], "PolicyUsers": []}
        for kind, key in (("group", "PolicyGroups"), ("role", "PolicyRoles"), ("user", "PolicyUsers")):
            for name, ent in self.s[kind].items():
                if PolicyArn in ent["attached"]:
                    out[key].append({f"{kind.capitalize()}Name": name})
        return out

    def list_groups_for_user(self, UserName):
        self._get("user", UserName)
        return {"Groups": [{"GroupName": g} for g, ent in self.s["group"].items() if UserName in ent["members"]]}

    def __getattr__(self, op):
        # list_attached_{kind}_policies, list_{kind}_policies, get_{kind}_policy
        for kind in ("group", "role", "user"):
            cap = f"{kind.capitalize()}Name"
            if op == f"list_attached_{kind}_policies":
                return lambda **kw: {"AttachedPolicies": [{"PolicyArn": a} for a in self._get(kind, kw[cap])["attached"]]}
            if op == f"list_{kind}_policies":
                return lambda **kw: {"PolicyNames": list(self._get(kind, kw[cap])["inline"])}
            if op == f"get_{kind}_policy":
                return lambda **kw: {"PolicyDocument": self._get(kind, kw[cap])["inline"][kw["PolicyName"]]}
        raise AttributeError(op)


def _verify(state):
    return verify.verify_deployed(TEMPLATE, PHYSICAL, FakeIam(state), ACCOUNT, REGION)


def test_verifier_accepts_a_matching_deployment():
    report = verify.verify_deployed_report(TEMPLATE, PHYSICAL, FakeIam(deployed_state()), ACCOUNT, REGION)
    assert report.problems == []
    assert report.counts["groups"] == 1 and report.counts["roles"] == 1 and report.counts["users"] == 2
    assert report.counts["policies"] == 2 and report.counts["memberships"] == 2


def test_verifier_reports_a_missing_user_to_group_addition_membership():
    state = deployed_state()
    state["group"]["ops"]["members"].remove("two")  # what stock LocalStack does with UserToGroupAddition
    problems = _verify(state)
    assert "membership two in ops: missing" in problems
    assert any("ops" in p and "members missing ['two']" in p for p in problems)


def test_verifier_reports_a_missing_user_groups_membership():
    state = deployed_state()
    state["group"]["ops"]["members"].remove("one")
    assert "membership one in ops: missing" in _verify(state)


def test_verifier_reports_a_detached_policy_and_a_missing_boundary():
    state = deployed_state()
    state["group"]["ops"]["attached"].clear()  # attached through the group's ManagedPolicyArns
    state["role"]["ml-access"]["attached"].clear()  # attached through the policy's Roles
    state["role"]["ml-access"]["PermissionsBoundary"] = None
    problems = _verify(state)
    assert any(p.startswith("group ops") and "attached managed policies: missing" in p for p in problems)
    assert any(p.startswith("role ml-access") and "attached managed policies: missing" in p for p in problems)
    assert any("not attached to [('role', 'ml-access')]" in p for p in problems)
    assert any("permissions boundary None" in p for p in problems)


def test_verifier_reports_changed_documents_and_paths():
    state = deployed_state()
    state["policy"][PHYSICAL["OperatorPolicy"]]["doc"]["Statement"][0]["Resource"] = "*"
    state["policy"][PHYSICAL["OperatorPolicy"]]["Path"] = "/"
    state["role"]["ml-access"]["inline"]["self"]["Statement"][0]["Resource"] = "*"
    problems = _verify(state)
    assert any("operator" in p and "document differs" in p for p in problems)
    assert any("path '/', expected '/ml/'" in p for p in problems)
    assert any("inline policy self: document differs" in p for p in problems)


def test_verifier_reports_missing_resources_and_unresolvable_intrinsics():
    state = deployed_state()
    del state["role"]["ml-access"]
    physical = dict(PHYSICAL)
    del physical["UserOne"]
    problems = verify.verify_deployed(TEMPLATE, physical, FakeIam(state), ACCOUNT, REGION)
    assert any(p.startswith("role ml-access") and "does not exist" in p for p in problems)
    assert any("UserOne: not in the deployed stack" in p for p in problems)
    template = copy.deepcopy(TEMPLATE)
    template["Resources"]["UserTwo"]["Properties"]["Path"] = {"Fn::ImportValue": "x"}
    assert any("cannot resolve" in p for p in verify.verify_deployed(template, PHYSICAL, FakeIam(deployed_state()), ACCOUNT, REGION))


def test_verify_destroyed():
    state = deployed_state()
    leftovers = verify.verify_destroyed(TEMPLATE, PHYSICAL, FakeIam(state), ACCOUNT, REGION)
    assert "group ops (Group): still exists after destroy" in leftovers
    assert any("membership two in ops" in p for p in leftovers)
    empty = {"group": {}, "role": {}, "user": {}, "policy": {}}
    assert verify.verify_destroyed(TEMPLATE, PHYSICAL, FakeIam(empty), ACCOUNT, REGION) == []


def test_resolver_intrinsics():
    r = verify.Resolver({"Resources": {"R": {"Type": "AWS::IAM::Role", "Properties": {"Path": "/a/"}}},
                         "Conditions": {"IsUs": {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]}}},
                        {"R": "role-name"}, ACCOUNT, REGION)
    assert r.resolve({"Fn::GetAtt": ["R", "Arn"]}) == "arn:aws:iam::000000000000:role/a/role-name"
    assert r.resolve({"Fn::Sub": "${AWS::Partition}:${R}:${R.Arn}:${!Literal}"}) == \
        "aws:role-name:arn:aws:iam::000000000000:role/a/role-name:${Literal}"
    assert r.resolve({"Fn::Select": [1, {"Fn::Split": [":", "a:b:c"]}]}) == "b"
    assert r.resolve({"Fn::If": ["IsUs", "yes", {"Ref": "AWS::NoValue"}]}) == "yes"
    assert r.resolve(["x", {"Ref": "AWS::NoValue"}]) == ["x"]
    assert r.resolve({"Fn::Sub": ["${X}-${AWS::URLSuffix}", {"X": {"Ref": "AWS::AccountId"}}]}) == "000000000000-amazonaws.com"


# ------------------------------------------------------------------------------------------------------------
# the real cycle against LocalStack
# ------------------------------------------------------------------------------------------------------------


@pytest.mark.localdeploy
def test_demo_stack_deploys_verifies_and_destroys(tmp_path):
    from tools.localdeploy import run
    from tools.localdeploy.demo_app import STACK_NAME

    tamper_findings: dict[str, list[str]] = {}

    def tamper(ctx: run.DeployContext) -> None:
        """Break the deployed state through the IAM API, check the verifier notices, then restore it."""
        iam, group = ctx.iam, ctx.physical_ids["Operators93109ECD"]
        check = lambda: verify.verify_deployed(ctx.template, ctx.physical_ids, iam, ctx.account, ctx.region)  # noqa: E731
        assert check() == []
        iam.remove_user_from_group(GroupName=group, UserName="localdeploy-operator-two")
        tamper_findings["membership"] = check()
        iam.add_user_to_group(GroupName=group, UserName="localdeploy-operator-two")
        policy_arn = ctx.physical_ids["OperatorPolicy63C1EB6F"]
        iam.detach_group_policy(GroupName=group, PolicyArn=policy_arn)
        tamper_findings["detached"] = check()
        iam.attach_group_policy(GroupName=group, PolicyArn=policy_arn)
        tamper_findings["restored"] = check()

    result = run.run_flow("python -m tools.localdeploy.demo_app", STACK_NAME, after_verify=tamper, work_dir=tmp_path)
    report = run.format_report(result)
    print(report)
    if result.exit_code == 3:
        pytest.fail(f"local deploy test cannot run: no Python 3.13 on this machine.\n{result.error}")
    assert result.ok, report
    assert result.counts == {"groups": 1, "policies": 4, "roles": 1, "users": 2, "memberships": 2,
                             "inline_policies": 1, "user_to_group_additions": 1}, report
    assert "membership localdeploy-operator-two in localdeploy-operators: missing" in tamper_findings["membership"]
    assert any("attached managed policies: missing ['arn:aws:iam::000000000000:policy/medialive/localdeploy-operator']" in p
               for p in tamper_findings["detached"]), tamper_findings["detached"]
    assert tamper_findings["restored"] == []
    assert result.destroyed_counts["checked_absent"] == 9


# The sample app's own deploy, verify and destroy: tests/test_tools_localdeploy_day2.py (its first and last step).
