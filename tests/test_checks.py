"""medialive_iam_constructs/checks.py: the guard's and the quota checks, once, fed from constructs (the Aspect and the
synth-time validations: tests/test_guard.py, test_packing.py, test_scale.py) and from a cloud assembly
(``check_assembly``, the ``medialive-iam check`` command): on the same app both report the same findings; the quotas
over hand-written assemblies, each with its negative neighbour."""

from __future__ import annotations

import json
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk.assertions import Annotations, Match

from medialive_iam_constructs import MediaLiveAccessRole, MediaLiveNamespaces, MediaLiveTrustedRole
from medialive_iam_constructs.checks import (
    MANAGED_POLICY_MAX_CHARS, AdminScope, check_assembly, principal_quota_errors, role_errors,
)
from medialive_iam_constructs.guard import MediaLiveIamGuard
from tests.helpers import ENV
from tests.test_guard import MEDIALIVE, _with_admin


def _dirty_app(outdir=None, *, guard: bool) -> tuple[cdk.App, cdk.Stack]:
    """An app with one case of every guard finding, synthesized as `cdk synth` does (construct paths recorded)."""
    app = cdk.App(outdir=str(outdir) if outdir else None, context={"aws:cdk:enable-path-metadata": True})
    stack = cdk.Stack(app, "Test", env=ENV)
    boundary, news, ops, admin = _with_admin(stack)
    MediaLiveTrustedRole(stack, "Sports")  # no boundary: error
    iam.Role(stack, "Hand", assumed_by=MEDIALIVE, path="/teams/", permissions_boundary=boundary.policy)  # path: error
    iam.Role(stack, "Ec2", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"), path="/teams/")  # not MediaLive
    ops.group.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess"))  # warning
    ops.group.add_managed_policy(ops.managed_policies[0])  # its own policy by ARN: nothing
    iam.ManagedPolicy(stack, "Extra", groups=[admin.group], statements=[  # warning
        iam.PolicyStatement(actions=["s3:GetObject"], resources=["arn:aws:s3:::media/*"])])
    news.grant_pass_role(ops)  # row S32: nothing
    ops.group.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=[news.role_arn], conditions={
        "StringEquals": {"iam:PassedToService": "ec2.amazonaws.com"}}))  # warning
    access = MediaLiveAccessRole(stack, "Access")  # exempt from the boundary; its own AWS managed policy: nothing
    access.role.add_managed_policy(iam.ManagedPolicy.from_aws_managed_policy_name("AdministratorAccess"))  # warning
    if guard:
        MediaLiveIamGuard.register(app)
    return app, stack


def _without_construct_class(message: str) -> str:
    """The Aspect names a principal's construct class, a template its type and logical id: the rest is equal."""
    return re.sub(r"(the (?:group|role) of \S+) \([^)]*\)", r"\1", message)


@pytest.mark.invalid_template  # the group's own policy attached a second time by ARN: a circular dependency
def test_check_assembly_reports_what_the_guard_aspect_reports_on_the_same_app(tmp_path):
    app, _ = _dirty_app(tmp_path / "cdk.out", guard=False)
    app.synth()
    report = check_assembly(tmp_path / "cdk.out")
    from_templates = sorted((f.level, f.subject, _without_construct_class(f.message)) for f in report.findings)

    _, stack = _dirty_app(guard=True)
    found = Annotations.from_stack(stack)
    from_constructs = sorted(
        (level, m.id.lstrip("/"), _without_construct_class(re.sub(r"\s*\[ack: [^\]]*\]$", "", str(m.entry.data))))
        for level, finder in (("error", found.find_error), ("warning", found.find_warning))
        for m in finder("*", Match.string_like_regexp("medialive-iam-guard")))
    assert len(from_constructs) == 6, from_constructs  # two errors, four warnings
    assert from_templates == from_constructs
    assert {f.code for f in report.warnings} == {"medialive-iam-guard:outside-catalog",
                                                 "medialive-iam-guard:extra-managed-policy"}
    assert any("(AWS::IAM::Group OpsGroup" in f.message for f in report.warnings)  # named by type and logical id


def test_a_clean_app_has_no_finding_and_without_an_administrator_no_role_error(tmp_path):
    app = cdk.App(outdir=str(tmp_path), context={"aws:cdk:enable-path-metadata": True})
    stack = cdk.Stack(app, "Test", env=ENV)
    _, news, ops, _ = _with_admin(stack)
    news.grant_pass_role(ops)
    # the simple option's console role with namespaces: its own managed policy (Sids T5...), no rows recorded
    MediaLiveAccessRole(stack, "Access", namespaces=MediaLiveNamespaces(bucket_names=["news-sources"]))
    other = cdk.Stack(app, "NoAdmin", env=ENV)
    MediaLiveTrustedRole(other, "Sports")  # no boundary; the administrator is in another stack of the app
    app.synth()
    assert [f.subject for f in check_assembly(tmp_path, "Test").findings] == []
    # the administrator is looked for in the whole assembly, as the Aspect looks in the whole app
    (error,) = check_assembly(tmp_path, "NoAdmin").findings
    assert error.level == "error" and error.subject == "NoAdmin/Sports" and "(Test/Admin)" in error.message


def test_role_errors_name_every_administrator_and_path():
    admins = [AdminScope("A/One", {"Ref": "B1"}, "/media/"), AdminScope("A/Two", {"Ref": "B2"}, "/live/")]
    assert role_errors("A/R", {"Ref": "B2"}, "/live/x/", admins) == []
    boundary, path = role_errors("A/R", None, "/", admins)
    assert "restricted administrator (A/One, A/Two)" in boundary
    assert "role_path '/live/' or '/media/'" in path and "path='/live/'" in path


# --- quotas, over hand-written assemblies ---------------------------------------------------------------------------

def _assembly(directory, resources: dict, *, account: str = "111122223333", name: str = "Hand") -> str:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{name}.template.json").write_text(json.dumps({"Resources": resources}))
    manifest = json.loads((directory / "manifest.json").read_text()) if (directory / "manifest.json").exists() \
        else {"version": "41.0.0", "artifacts": {}}
    manifest["artifacts"][name] = {"type": "aws:cloudformation:stack", "environment": f"aws://{account}/us-west-2",
                                   "properties": {"templateFile": f"{name}.template.json"}, "displayName": name}
    (directory / "manifest.json").write_text(json.dumps(manifest))
    return str(directory)


def _group_with_policies(n: int) -> dict:
    resources: dict = {"G": {"Type": "AWS::IAM::Group", "Properties": {}}}
    for i in range(n):
        resources[f"P{i}"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Groups": [{"Ref": "G"}], "PolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}}
    return resources


def test_managed_policies_per_principal_as_the_synth_time_check_counts_them(tmp_path):
    assert check_assembly(_assembly(tmp_path / "ten", _group_with_policies(10))).findings == []
    (error,) = check_assembly(_assembly(tmp_path / "eleven", _group_with_policies(11))).findings
    assert error.message == principal_quota_errors("Hand/G (AWS::IAM::Group G)", "group", 11, 0, 10)[0]
    assert "has 11 managed policies attached, over IAM's quota of 10" in error.message


def test_a_role_quota_raised_to_25_is_passed_in(tmp_path):
    resources = {"R": {"Type": "AWS::IAM::Role", "Properties": {"ManagedPolicyArns": [f"arn:aws:iam::aws:policy/P{i}"
                                                                                      for i in range(12)]}}}
    out = _assembly(tmp_path, resources)
    assert [f.level for f in check_assembly(out).findings] == ["error"]
    assert check_assembly(out, role_quota=25).findings == []


def _sized(chars: int) -> dict:
    return {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
                                                    "Resource": "arn:aws:s3:::" + "b" * chars}]}


def test_policy_size_inline_budget_resources_per_stack_and_roles_per_account(tmp_path):
    def resources(extra: int, user_chars: int, policy_chars: int, roles: int) -> dict:
        out: dict = {f"T{i}": {"Type": "AWS::SNS::Topic"} for i in range(497 + extra)}
        out["U"] = {"Type": "AWS::IAM::User", "Properties": {"Policies": [
            {"PolicyName": "x", "PolicyDocument": _sized(user_chars)}]}}
        out["Big"] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"PolicyDocument": _sized(policy_chars)}}
        return out | {f"R{i}": {"Type": "AWS::IAM::Role", "Properties": {}} for i in range(roles)}

    _assembly(tmp_path, {"R": {"Type": "AWS::IAM::Role"}}, name="Other", account="444455556666")  # another account
    fits = _assembly(tmp_path, resources(0, 1900, 6000, 1))  # 500 resources, sizes under the quotas, 2 roles
    assert check_assembly(fits, roles_per_account=2).findings == []
    over = _assembly(tmp_path, resources(0, 2100, MANAGED_POLICY_MAX_CHARS, 3))
    report = check_assembly(over, roles_per_account=2)
    messages = [f.message for f in report.findings]
    assert len(messages) == 4, messages
    assert "Hand (Stack): the stack has 502 CloudFormation resources, over the quota of 500 per stack" in messages[0]
    assert "Hand/U (AWS::IAM::User U): the user's inline policies total 2208 characters" in messages[1]
    assert "budget of 2048" in messages[1]
    assert f"over IAM's quota of {MANAGED_POLICY_MAX_CHARS}" in messages[2] and "ManagedPolicy Big" in messages[2]
    assert "account 111122223333 would hold 3 IAM roles from this app (Hand 3), over the quota of 2" in messages[3]
    assert {q.subject for q in report.quotas} >= {"resources", "user U: inline policies", "managed policy Big"}
    # one stack: its own findings, and the app's roles per account (an app-wide count)
    assert [f.subject for f in check_assembly(over, "Other", roles_per_account=2).findings] == ["app"]


def test_an_unknown_stack_or_directory_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="not a cloud assembly"):
        check_assembly(tmp_path)
    with pytest.raises(ValueError, match="no stack 'Nope'.*stacks: Hand"):
        check_assembly(_assembly(tmp_path, {}), "Nope")
