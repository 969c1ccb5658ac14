"""medialive_iam_constructs/cli.py, the ``medialive-iam`` command, in process (argv lists, exit codes, stdout and stderr):
``handout``, ``check``, ``diff`` and ``prove`` over the sample app synthesized as ``cdk synth`` writes it, in two
variants (the read-write group scoped by a resource tag, and not); the errors that say what to do. The installed
command is run from the wheel by tests/test_packaging.py."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from medialive_iam_constructs import cli
from medialive_iam_constructs.handout import main as handout_main, render, render_text
from medialive_iam_constructs.prove.access import format_diff, permissions_diff
from tests.helpers import synth_sample

TAGGED = {"readWrite": ["Team", "news"]}


@pytest.fixture(scope="module")
def variants(tmp_path_factory):
    """{"tagged": cdk.out with the read-write group scoped to Team=news, "plain": the sample as cdk.json has it}."""
    root = tmp_path_factory.mktemp("cli")
    return {"tagged": synth_sample(root / "tagged", resourceTags=TAGGED), "plain": synth_sample(root / "plain")}


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def _template(directory) -> dict:
    return json.loads((directory / "MediaLiveIam.template.json").read_text())


# --- help and usage -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("command", ["", "handout", "check", "diff", "prove"])
def test_every_subcommand_has_help(capsys, command):
    with pytest.raises(SystemExit) as done:
        cli.main([command, "--help"] if command else ["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0 and out.startswith(f"usage: medialive-iam {command}".rstrip())
    assert ("exit codes: 0" if not command else "exit 0") in " ".join(out.split()).lower()


def test_no_subcommand_and_an_unknown_option_are_usage_errors(capsys):
    for argv in ([], ["check", "--nope"]):
        with pytest.raises(SystemExit) as done:
            cli.main(argv)
        assert done.value.code == 2
    assert "medialive-iam" in capsys.readouterr().err


def test_a_missing_cdk_out_says_to_run_cdk_synth(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the default: ./cdk.out, not there
    for command in ("handout", "check", "prove"):
        code, out, err = run(capsys, command)
        assert code == 2 and out == ""
        assert f"medialive-iam {command}: error: CDK_OUT: cdk.out does not exist: run `cdk synth` first or pass " \
               "the directory" in err
    (tmp_path / "empty").mkdir()
    code, _, err = run(capsys, "check", tmp_path / "empty")
    assert code == 2 and "is not a cloud assembly (no manifest.json): run `cdk synth` first" in err
    code, _, err = run(capsys, "diff", tmp_path / "old", tmp_path / "empty")
    assert code == 2 and "OLD: " in err and "run `cdk synth` first" in err


def test_an_unknown_stack_lists_the_stacks(capsys, variants):
    for command in ("handout", "check", "prove"):
        code, _, err = run(capsys, command, variants["plain"], "--stack", "Nope")
        assert code == 2 and "no stack 'Nope'" in err and "stacks: MediaLiveIam (stack name MediaLiveIam)" in err


# --- handout --------------------------------------------------------------------------------------------------------

def test_handout_renders_every_stack_with_principals(capsys, variants):
    template = _template(variants["plain"])
    code, out, _ = run(capsys, "handout", variants["plain"])
    assert code == 0
    assert out == render(template, title="MediaLiveIam", environment="aws://unknown-account/unknown-region") + "\n"
    assert "## group `MediaLiveReadWriteUsers`" in out and "| S10 | yes | Run channels (start and stop) |" in out
    code, text, _ = run(capsys, "handout", variants["plain"], "--stack", "MediaLiveIam", "--format", "terminal")
    assert code == 0 and text.startswith("Who can do what: MediaLiveIam (aws://unknown-account/unknown-region)")
    assert text == render_text(template, title="MediaLiveIam", environment="aws://unknown-account/unknown-region") \
        + "\n"
    assert "  S10              yes        Run channels (start and stop)" in text and "|" not in text


def test_handout_writes_a_file_and_the_old_entry_point_runs_the_command(capsys, variants, tmp_path):
    code, out, _ = run(capsys, "handout", variants["plain"], "--write", tmp_path / "handout.md")
    assert code == 0 and out == f"medialive-iam: wrote {tmp_path / 'handout.md'}\n"
    assert (tmp_path / "handout.md").read_text().startswith("# Who can do what: MediaLiveIam")
    assert handout_main([str(variants["plain"]), "--stack", "MediaLiveIam"]) == 0
    assert capsys.readouterr().out.startswith("# Who can do what: MediaLiveIam")


# --- check ----------------------------------------------------------------------------------------------------------

def test_check_of_the_sample_is_clean_with_its_quota_report(capsys, variants):
    code, out, _ = run(capsys, "check", variants["plain"])
    assert code == 0
    assert out.startswith(f"medialive-iam check: 1 stack(s) of {variants['plain']}: 0 error(s), 0 warning(s)")
    assert "  MediaLiveIam: resources: 18 / 500 resources (3%)" in out  # always shown
    assert "MediaLiveIam: managed policy MediaLiveAdvancedUsersPolicy1C7B3C337: 6058 / 6144 characters (98%)" in out
    code, everything, _ = run(capsys, "check", variants["plain"], "--all-quotas")
    assert "group MediaLiveBasicUsersGroupF3580BF2: managed policies: 1 / 10 policies" in everything
    assert "more under 80%" in out and "more under" not in everything
    code, data, _ = run(capsys, "check", variants["plain"], "--format", "json")
    report = json.loads(data)
    assert code == 0 and report["stacks"] == ["MediaLiveIam"] and report["findings"] == []
    assert {"stack": "MediaLiveIam", "subject": "resources", "used": 18, "quota": 500, "unit": "resources"} \
        in report["quotas"]


def test_check_reports_the_guards_findings_exit_1_and_fail_on_error(capsys, variants, tmp_path):
    out_dir = shutil.copytree(variants["plain"], tmp_path / "cdk.out")
    template = _template(out_dir)
    group = next(lid for lid, r in template["Resources"].items()
                 if r["Properties"].get("GroupName") == "MediaLiveBasicUsers")
    template["Resources"]["Extra"] = {"Type": "AWS::IAM::Policy", "Properties": {
        "PolicyName": "extra", "Groups": [{"Ref": group}], "PolicyDocument": {
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "medialive:DeleteChannel",
                                                    "Resource": "*"}]}}}
    (out_dir / "MediaLiveIam.template.json").write_text(json.dumps(template))
    code, out, _ = run(capsys, "check", out_dir)
    assert code == 1 and "0 error(s), 1 warning(s)" in out
    assert ("WARNING MediaLiveIam/MediaLiveBasicUsers: medialive-iam-guard: the group of MediaLiveIam/MediaLiveBasicUsers "
            f"(AWS::IAM::Group {group}) gets statements outside the catalog from MediaLiveIam/Extra: Allow "
            "medialive:DeleteChannel on *.") in out
    assert run(capsys, "check", out_dir, "--fail-on", "error")[0] == 0


# --- diff -----------------------------------------------------------------------------------------------------------

def test_diff_of_two_sample_variants_gates_on_new_access(capsys, variants):
    code, out, _ = run(capsys, "diff", variants["tagged"], variants["plain"])
    entries = permissions_diff(str(variants["tagged"]), str(variants["plain"]))
    assert code == 1 and entries and out == format_diff(entries) + "\n"
    assert out.startswith("**New access** for 1 principal(s): ")
    assert "| MediaLiveIam | group `MediaLiveReadWriteUsers` | witness | " in out
    assert {e.name for e in entries} == {"MediaLiveReadWriteUsers"}  # only the group whose tag scope went
    code, out, _ = run(capsys, "diff", variants["plain"], variants["tagged"])  # scoping adds nothing
    assert code == 0 and out.startswith("No new access")
    code, data, _ = run(capsys, "diff", variants["tagged"], variants["plain"], "--format", "json",
                        "--stack", "MediaLiveIam", "--per-principal", "2")
    assert code == 1 and [e["name"] for e in json.loads(data)] == ["MediaLiveReadWriteUsers"] * 2


def test_diff_takes_template_files(capsys, variants, tmp_path):
    old, new = (variants[v] / "MediaLiveIam.template.json" for v in ("tagged", "plain"))
    assert run(capsys, "diff", new, new)[0] == 0
    code, out, _ = run(capsys, "diff", old, new, "--per-principal", "1")
    assert code == 1 and "| MediaLiveIam.template.json | group `MediaLiveReadWriteUsers` |" in out
    (tmp_path / "bad.json").write_text("{")
    code, _, err = run(capsys, "diff", tmp_path / "bad.json", new)
    assert code == 2 and "OLD: " in err and "is not a template (JSON)" in err
    code, _, err = run(capsys, "diff", old, new, "--stack", "MediaLiveIam")
    assert code == 2 and "--stack picks a stack of a cloud assembly" in err


# --- prove ----------------------------------------------------------------------------------------------------------

def test_prove_by_default_that_no_principal_gets_catalog_actions_beyond_its_rows(capsys, variants, tmp_path):
    code, out, _ = run(capsys, "prove", variants["plain"])
    assert code == 0 and len(out.splitlines()) == 6  # four groups, two workflow roles
    assert all(line.startswith("proved MediaLiveIam: ") and "is granted no catalog action beyond its" in line
               for line in out.splitlines())
    out_dir = shutil.copytree(variants["plain"], tmp_path / "cdk.out")
    template = _template(out_dir)
    policy = next(r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::ManagedPolicy"
                  and "MediaLiveBasicUsers" in json.dumps(r["Properties"].get("Groups")))
    policy["Properties"]["PolicyDocument"]["Statement"].append(
        {"Effect": "Allow", "Action": "medialive:DeleteChannel", "Resource": "*"})
    (out_dir / "MediaLiveIam.template.json").write_text(json.dumps(template))
    code, out, _ = run(capsys, "prove", out_dir)
    assert code == 1 and out.count("proved MediaLiveIam") == 5
    assert "NOT PROVED MediaLiveIam: MediaLiveBasicUsersGroup" in out and "action:   medialive:DeleteChannel" in out


def test_prove_a_principal_is_not_granted_actions(capsys, variants):
    code, out, _ = run(capsys, "prove", variants["plain"], "--principal", "MediaLiveBasicUsers",
                       "--not-granted", "medialive:CreateChannel,medialive:DeleteChannel")
    assert code == 0 and out == ("proved MediaLiveIam: MediaLiveBasicUsers is never granted medialive:CreateChannel, "
                                 "medialive:DeleteChannel on *\n")
    code, out, _ = run(capsys, "prove", variants["tagged"], "--principal", "MediaLiveReadWriteUsers",
                       "--not-granted", "medialive:DeleteChannel",
                       "--resource", "arn:aws:medialive:us-west-2:111122223333:channel:*")
    assert code == 1 and "is granted ['medialive:DeleteChannel']" in out and "context:" in out  # the tag it needs
    code, _, err = run(capsys, "prove", variants["plain"], "--principal", "MediaLiveBasicUsers")
    assert code == 2 and "--principal needs --not-granted" in err
    code, _, err = run(capsys, "prove", variants["plain"], "--principal", "Nobody", "--not-granted", "iam:*")
    assert code == 2 and "Nobody" in err


def test_without_z3_diff_and_prove_exit_2_naming_the_extra(capsys, variants, monkeypatch):
    monkeypatch.setitem(sys.modules, "z3", None)  # import z3 raises ImportError
    for argv in (["diff", variants["tagged"], variants["plain"]], ["prove", variants["plain"]]):
        code, out, err = run(capsys, *argv)
        assert code == 2 and out == ""
        assert "needs the [prove] extra (the z3 solver): pip install 'medialive-iam-constructs[prove]'" in err
