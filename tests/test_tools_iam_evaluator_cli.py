"""python -m tools.iam_evaluator on a user's own cdk.out: account and region from the manifest, never the test
defaults; environment-agnostic stacks need --account/--region; stages; principals by logical id, name or path."""

from __future__ import annotations

import subprocess
import sys

import aws_cdk as cdk
import pytest

from tools.iam_evaluator.__main__ import main
from medialive_iam_constructs import MediaLiveOperatorGroup, OperatorTier
from tests.determinism_apps import issue_app, sample_variant_app, wide_app
from tests.helpers import ROOT

CHANNEL = "arn:aws:medialive:eu-west-1:123456789012:channel:1234567"


@pytest.fixture(scope="module")
def issue_out():
    app = issue_app()
    stack = app.node.find_child("MediaLiveIam")
    out = app.synth().directory
    ids = {c.node.id: stack.get_logical_id(c.group.node.default_child)
           for c in (stack.node.find_child("Watchers"), stack.node.find_child("Operators"))}
    return out, ids


def _run(capsys, evaluator, *argv):
    code = main([str(a) for a in argv], evaluator=evaluator)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_account_and_region_come_from_the_manifest(issue_out, iam_evaluator, capsys):
    out, ids = issue_out
    code, text, _ = _run(capsys, iam_evaluator, out, "--stack", "MediaLiveIam", "--principal", ids["Watchers"],
                         "--action", "medialive:StartChannel", "--resource", CHANNEL)
    assert code == 0 and "aws://123456789012/eu-west-1 (aws)" in text and text.endswith(": Allowed\n")
    # the policies are scoped to the stack's account and region: the evaluator's test account is not used
    code, text, _ = _run(capsys, iam_evaluator, out, "--principal", ids["Watchers"], "--action", "medialive:StartChannel",
                         "--resource", "arn:aws:medialive:us-west-2:111122223333:channel:1234567")
    assert code == 1 and text.endswith(": ImplicitlyDenied\n")


def test_pass_role_with_context_and_role_by_name(issue_out, iam_evaluator, capsys):
    out, ids = issue_out
    reader = "arn:aws:iam::123456789012:role/medialive/MediaLiveNewsReader"
    args = [out, "--principal", ids["Operators"], "--action", "iam:PassRole", "--resource", reader]
    assert _run(capsys, iam_evaluator, *args, "--context", "iam:PassedToService=medialive.amazonaws.com")[0] == 0
    assert _run(capsys, iam_evaluator, *args, "--context", "iam:PassedToService=ec2.amazonaws.com")[0] == 1
    code, text, _ = _run(capsys, iam_evaluator, out, "--principal", "MediaLiveNewsReader", "--action", "s3:GetObject",
                         "--resource", "arn:aws:s3:::my-news-sources/live/a.ts")
    assert code == 0 and "role MediaLiveNewsReader" in text


def test_contradicting_the_manifest_is_refused(issue_out, iam_evaluator, capsys):
    out, ids = issue_out
    code, _, err = _run(capsys, iam_evaluator, out, "--principal", ids["Watchers"], "--account", "111122223333",
                        "--action", "medialive:StartChannel", "--resource", CHANNEL)
    assert code == 2 and "synthesized for account 123456789012" in err


def test_an_environment_agnostic_stack_needs_account_and_region(iam_evaluator, capsys):
    app = wide_app()
    stack = app.node.find_child("Broadcast")
    out = app.synth().directory
    leads = stack.get_logical_id(stack.node.find_child("Leads").group.node.default_child)
    args = [out, "--principal", leads, "--action", "medialive:CreateChannel",
            "--resource", "arn:aws:medialive:us-east-1:444455556666:channel:1"]
    code, _, err = _run(capsys, iam_evaluator, *args)
    assert code == 2 and "environment-agnostic" in err and "--account and --region" in err
    code, _, err = _run(capsys, iam_evaluator, *args, "--account", "444455556666")
    assert code == 2 and "with --region" in err
    code, text, _ = _run(capsys, iam_evaluator, *args, "--account", "444455556666", "--region", "us-east-1")
    assert code == 0 and "aws://444455556666/us-east-1" in text


def test_a_stack_of_a_stage(iam_evaluator, capsys):
    out = sample_variant_app("stages").synth().directory
    args = ["--action", "iam:CreateUser", "--resource", "arn:aws:iam::333333333333:user/medialive/bob"]
    code, text, _ = _run(capsys, iam_evaluator, out, "--stack", "Prod/MediaLiveIam",
                         "--principal", "ProdMediaLiveAdministrators", *args)
    assert code == 0 and "aws://333333333333/us-east-1" in text
    code, _, err = _run(capsys, iam_evaluator, out, "--principal", "ProdMediaLiveAdministrators", *args)
    assert code == 2 and "several stacks" in err and "Dev/MediaLiveIam" in err


def test_principal_by_construct_path(iam_evaluator, capsys):
    app = cdk.App(context={"aws:cdk:enable-path-metadata": True})  # as `cdk synth` sets it
    stack = cdk.Stack(app, "Paths", env=cdk.Environment(account="123456789012", region="eu-west-1"))
    MediaLiveOperatorGroup(stack, "Watchers", tier=OperatorTier.BASIC)
    out = app.synth().directory
    for path in ("Paths/Watchers", "Paths/Watchers/Group", "Paths/Watchers/Group/Resource"):
        code, text, _ = _run(capsys, iam_evaluator, out, "--principal", path, "--action", "medialive:StartChannel",
                             "--resource", CHANNEL)
        assert code == 0, path


def test_the_module_runs_from_the_command_line(issue_out):
    out, ids = issue_out
    proc = subprocess.run([sys.executable, "-m", "tools.iam_evaluator", str(out), "--principal", "Nobody",
                           "--action", "medialive:StartChannel", "--resource", CHANNEL],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "no group, user or role 'Nobody'" in proc.stderr
    assert ids["Watchers"] in proc.stderr  # the principals it knows are listed
