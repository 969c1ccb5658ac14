"""The sample app (app.py + cdk.json): every check, the guide's names and outputs, the context switches, the CLI,
and the handout kept current."""

from __future__ import annotations

import json
import os
import re
import subprocess

import pytest

from tools.lint.nag import nag_findings
from tools.permissions_doc import evaluate_groups, render_markdown
from tools.iam_evaluator import TemplateEvaluator
from medialive_iam_constructs.errors import MediaLiveIamError
from tests.helpers import ACCOUNT, REGION, ROOT, assert_cfn_lint_clean, sample_app, sample_template, template_of

GROUPS = ("MediaLiveAdministrators", "MediaLiveBasicUsers", "MediaLiveReadWriteUsers", "MediaLiveAdvancedUsers")


def _by_type(template: dict, rtype: str) -> dict:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == rtype}


def _group_id(template: dict, name: str) -> str:
    return next(k for k, v in _by_type(template, "AWS::IAM::Group").items() if v["Properties"].get("GroupName") == name)


@pytest.fixture(scope="module")
def sample():
    app, stacks = sample_app()
    return app, stacks[0], sample_template()


@pytest.fixture(scope="module")
def te(sample, iam_evaluator):
    return TemplateEvaluator(sample[2], iam_evaluator)


def test_zero_unacknowledged_findings_and_cfn_lint_clean(sample):
    app, stack, template = sample
    assert nag_findings(app, stack) == []
    assert_cfn_lint_clean(template)


def test_guide_names_and_step6_outputs(sample):
    template = sample[2]
    names = {v["Properties"].get("GroupName") for v in _by_type(template, "AWS::IAM::Group").values()}
    assert names == set(GROUPS)
    roles = {v["Properties"]["RoleName"]: v["Properties"]["Path"] for v in _by_type(template, "AWS::IAM::Role").values()}
    assert roles == {"MediaLiveNewsWorkflow": "/medialive/", "MediaLiveSportsWorkflow": "/medialive/"}
    outputs = template["Outputs"]
    assert {f"{g}Name" for g in GROUPS} <= set(outputs)
    assert {"TrustedRoleNewsArn", "TrustedRoleSportsArn"} <= set(outputs)
    # every workflow role carries the administrator's boundary, so the administrator may maintain it (A5)
    boundary = [k for k, v in _by_type(template, "AWS::IAM::ManagedPolicy").items()
                if v["Properties"].get("ManagedPolicyName") == "MediaLiveTrustedRoleBoundary"]
    assert len(boundary) == 1
    for role in _by_type(template, "AWS::IAM::Role").values():
        assert role["Properties"]["PermissionsBoundary"] == {"Ref": boundary[0]}


def test_one_look_answers(te, sample):
    """The handout's questions, asked of the template directly."""
    template = sample[2]
    channel = f"arn:aws:medialive:{REGION}:{ACCOUNT}:channel:1234567"
    news = f"arn:aws:iam::{ACCOUNT}:role/medialive/MediaLiveNewsWorkflow"
    basic, rw = _group_id(template, "MediaLiveBasicUsers"), _group_id(template, "MediaLiveReadWriteUsers")
    admin = _group_id(template, "MediaLiveAdministrators")
    assert te.decide(basic, "medialive:StartChannel", channel) == "Allowed"
    assert te.decide(basic, "medialive:CreateChannel", channel) == "ImplicitlyDenied"
    assert te.decide(rw, "iam:PassRole", news, {"iam:PassedToService": "medialive.amazonaws.com"}) == "Allowed"
    assert te.decide(rw, "iam:PassRole", news, {"iam:PassedToService": "ec2.amazonaws.com"}) == "ImplicitlyDenied"
    assert te.decide(rw, "ssm:PutParameter", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/news/p") == "ImplicitlyDenied"
    assert te.decide(admin, "ssm:PutParameter", f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/medialive/news/p") == "Allowed"


def test_handout_is_current(sample, iam_evaluator):
    """docs/permissions.md is what `bash scripts/main.sh` generates from the synthesized sample app."""
    template = sample[2]
    expected = render_markdown(template, evaluate_groups(template, iam_evaluator), title="MediaLiveIam",
                               display_account="<account>")
    assert (ROOT / "docs" / "permissions.md").read_text() == expected, (
        "docs/permissions.md is out of date: run `bash scripts/main.sh`"
    )


def test_handout_answers_can_a_basic_user_create_a_channel():
    text = (ROOT / "docs" / "permissions.md").read_text()
    header = next(line for line in text.splitlines() if line.startswith("| Row | Activity |"))
    cols = [c.strip(" `") for c in header.split("|")[1:-1]]
    s1 = next(line for line in text.splitlines() if line.startswith("| S1 |"))
    cells = dict(zip(cols, [c.strip() for c in s1.split("|")[1:-1]]))
    assert cells["MediaLiveBasicUsers"] == "❌ no" and cells["MediaLiveReadWriteUsers"] == "✅ yes"


def test_simple_option(iam_evaluator):
    app, stacks = sample_app(trustedEntity="simple")
    template = template_of(stacks[0])
    assert nag_findings(app, stacks[0]) == []
    roles = [v["Properties"] for v in _by_type(template, "AWS::IAM::Role").values()]
    assert [r["RoleName"] for r in roles] == ["MediaLiveAccessRole"]
    te = TemplateEvaluator(template, iam_evaluator)
    adv = _group_id(template, "MediaLiveAdvancedUsers")
    console_role = f"arn:aws:iam::{ACCOUNT}:role/MediaLiveAccessRole"
    # issue 11 a: the stack creates the role; operators see and pass it (S30), never create or rewrite it
    for action in ("iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:UpdateAssumeRolePolicy"):
        assert te.decide(adv, action, console_role) == "ImplicitlyDenied", action
    assert te.decide(adv, "iam:PassRole", console_role, {"iam:PassedToService": "medialive.amazonaws.com"}) == "Allowed"
    assert te.decide(adv, "iam:ListRoles", "*") == "Allowed"
    assert te.decide(adv, "iam:CreateRole", f"arn:aws:iam::{ACCOUNT}:role/Other") == "ImplicitlyDenied"
    # the sample uses the scoped variant: no inline policy, trust with confused-deputy conditions
    (role,) = roles
    assert "Policies" not in role
    (trust,) = role["AssumeRolePolicyDocument"]["Statement"]
    assert set(trust["Condition"]) == {"StringEquals", "ArnLike"}
    other = f"arn:aws:secretsmanager:us-west-2:{ACCOUNT}:secret:prod/db-AbCdEf"
    role_id = next(k for k, v in _by_type(template, "AWS::IAM::Role").items())
    assert te.decide(role_id, "secretsmanager:GetSecretValue", other) == "ImplicitlyDenied"
    assert te.decide(role_id, "ssm:GetParameter", f"arn:aws:ssm:us-west-2:{ACCOUNT}:parameter/prod/db") == "ImplicitlyDenied"


def test_name_prefix_and_path_let_two_copies_share_an_account():
    _, blue = sample_app(namePrefix="Blue", path="/blue/", workflows={"news": {"sourceBuckets": ["example-news-sources"]}})
    template = template_of(blue[0])
    names = [v["Properties"].get(p) for v in template["Resources"].values()
             for p in ("GroupName", "RoleName", "ManagedPolicyName") if p in v.get("Properties", {})]
    default = [v["Properties"].get(p) for v in sample_template()["Resources"].values()
               for p in ("GroupName", "RoleName", "ManagedPolicyName") if p in v.get("Properties", {})]
    assert names and all(n.startswith("Blue") for n in names)
    assert not {n.lower() for n in names} & {n.lower() for n in default}
    assert {v["Properties"]["Path"] for v in _by_type(template, "AWS::IAM::Role").values()} == {"/blue/"}


def test_users_per_group_from_context():
    _, stacks = sample_app(users={"basic": ["alice"], "advanced": ["bob"]})
    template = template_of(stacks[0])
    users = {v["Properties"]["UserName"]: v["Properties"]["Groups"] for v in _by_type(template, "AWS::IAM::User").values()}
    password_change = {"Ref": stacks[0].get_logical_id(stacks[0].console_users.password_change_group.node.default_child)}
    assert users == {"alice": [{"Ref": _group_id(template, "MediaLiveBasicUsers")}, password_change],
                     "bob": [{"Ref": _group_id(template, "MediaLiveAdvancedUsers")}, password_change]}


def test_moving_a_user_changes_its_groups_only():
    """BASIC -> READ_WRITE in the context: the same logical ids for the user and its secret (so CloudFormation
    updates the user in place, tests/test_tools_localdeploy_day2.py deploys it), only the user's Groups differ."""
    old = template_of(sample_app(users={"basic": ["alice"], "advanced": ["bob"]})[1][0])
    new = template_of(sample_app(users={"readWrite": ["alice"], "advanced": ["bob"]})[1][0])
    before, after = old["Resources"], new["Resources"]
    changed = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    (alice,) = [k for k, v in after.items() if v["Type"] == "AWS::IAM::User" and v["Properties"]["UserName"] == "alice"]
    assert changed == {alice}, changed
    assert before[alice]["Properties"]["Groups"][0] == {"Ref": _group_id(old, "MediaLiveBasicUsers")}
    assert after[alice]["Properties"]["Groups"][0] == {"Ref": _group_id(new, "MediaLiveReadWriteUsers")}


def test_users_context_mistakes_fail_with_the_key():
    with pytest.raises(MediaLiveIamError, match=r"medialive-iam:users.readWrite: user 'Alice' is in two groups"):
        sample_app(users={"basic": ["alice"], "readWrite": ["Alice"]})
    with pytest.raises(MediaLiveIamError, match=r"medialive-iam:users: unknown key\(s\) \['admins'\]"):
        sample_app(users={"admins": ["alice"]})
    with pytest.raises(MediaLiveIamError, match=r"medialive-iam:users.basic: 'alice' is a string"):
        sample_app(users={"basic": "alice"})


def test_bad_context_fails_with_the_key_and_the_fix():
    with pytest.raises(MediaLiveIamError, match=r"medialive-iam:workflows\.news: unknown key\(s\) \['sourceBucket'\]"):
        sample_app(workflows={"news": {"sourceBucket": ["x"]}})
    with pytest.raises(MediaLiveIamError, match="needs at least one workflow"):
        sample_app(workflows={})


def test_cli_synth_and_offline_diff(tmp_path):
    """`cdk synth` with the pinned CLI (cdk-nag packs on), then `cdk diff --template` offline: no differences."""
    env = {**os.environ, "AWS_EC2_METADATA_DISABLED": "true"}
    env.pop("AWS_PROFILE", None)
    cdk = str(ROOT / "node_modules" / ".bin" / "cdk")
    out = tmp_path / "cdk.out"
    synth = subprocess.run([cdk, "synth", "--quiet", "--output", str(out)], cwd=ROOT, env=env, capture_output=True,
                           text=True, timeout=300)
    assert synth.returncode == 0, synth.stderr[-3000:]
    template = out / "MediaLiveIam.template.json"
    assert json.loads(template.read_text())["Resources"]
    diff = subprocess.run([cdk, "diff", "--app", str(out), "--template", str(template), "MediaLiveIam"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert diff.returncode == 0, diff.stderr[-3000:]
    assert "There were no differences" in diff.stdout + diff.stderr
    assert re.search(r"Number of stacks with differences: 0", diff.stdout + diff.stderr)


def test_admin_maintains_the_workflow_policies_and_no_other(iam_evaluator):
    """Issue 11 f: the sample's workflow-role policies sit under the admin's policy path (A6); the operator groups'
    and the admin's own policies stay out of its reach."""
    template = sample_template()
    te = TemplateEvaluator(template, iam_evaluator)
    admin = _group_id(template, "MediaLiveAdministrators")
    policies = {k: v["Properties"] for k, v in _by_type(template, "AWS::IAM::ManagedPolicy").items()}
    arn = lambda p: f"arn:aws:iam::{ACCOUNT}:policy{p['Path']}{p['ManagedPolicyName']}"  # noqa: E731
    workflow = [p for p in policies.values() if p.get("Roles")]
    groups = [p for p in policies.values() if p.get("Groups")]
    assert workflow and groups
    for p in workflow:
        assert te.decide(admin, "iam:CreatePolicyVersion", arn(p)) == "Allowed", p["ManagedPolicyName"]
    for p in groups:
        assert te.decide(admin, "iam:CreatePolicyVersion", arn(p)) != "Allowed", p["ManagedPolicyName"]
