"""Tests of medialive_iam_constructs._synth_checks: the library's synth-time checks run in one validation per
stack (and one for the app), in the order added, their errors reported together in the synth error."""

from __future__ import annotations

import aws_cdk as cdk
import constructs
import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs._synth_checks import add_check


class _Check:
    """Records that it ran; fails with ``errors``."""

    def __init__(self, runs: list[str], name: str, *errors: str) -> None:
        self.runs, self.name, self.errors = runs, name, list(errors)

    def validate(self) -> list[str]:
        self.runs.append(self.name)
        return self.errors


def _app(account: str = "111122223333") -> tuple[cdk.App, cdk.Stack]:
    app = cdk.App()
    stack = cdk.Stack(app, "Checked", env=cdk.Environment(account=account, region="us-west-2"))
    iam.Group(stack, "G")  # a template with a resource
    return app, stack


@pytest.fixture
def validations(monkeypatch) -> list[str]:
    """The paths of the nodes a validation is added to."""
    added: list[str] = []
    original = constructs.Node.add_validation

    def counting(node, validation):
        added.append(node.path)
        return original(node, validation)

    monkeypatch.setattr(constructs.Node, "add_validation", counting)
    return added


def test_the_checks_of_a_stack_and_of_the_app_run_in_one_validation_each_in_order(validations):
    runs: list[str] = []
    app, stack = _app()
    for name in ("first", "second", "third"):
        add_check(stack, _Check(runs, name))
    add_check(app, _Check(runs, "app one"))
    add_check(app, _Check(runs, "app two"))
    assert validations == ["Checked", ""]
    app.synth()
    assert [r for r in runs if not r.startswith("app")] == ["first", "second", "third"]  # each host's in order
    assert [r for r in runs if r.startswith("app")] == ["app one", "app two"]


def test_a_failing_checks_message_appears_in_the_synth_error_with_the_others():
    runs: list[str] = []
    app, stack = _app()
    add_check(stack, _Check(runs, "one", "Checked/G (Group): the group is wrong. Fix: make it right"))
    add_check(stack, _Check(runs, "two"))
    add_check(stack, _Check(runs, "three", "Checked/H (Group): also wrong", "Checked/I (Group): wrong too"))
    with pytest.raises(Exception) as e:
        app.synth()
    msg = str(e.value)
    assert "Checked/G (Group): the group is wrong. Fix: make it right" in msg
    assert "Checked/H (Group): also wrong" in msg and "Checked/I (Group): wrong too" in msg
    assert runs == ["one", "two", "three"]  # a failing check does not stop the ones after it


def test_a_check_of_the_app_fails_the_synth():
    app, _ = _app()
    add_check(app, _Check([], "names", "two groups are named 'ops'"))
    with pytest.raises(Exception, match="two groups are named 'ops'"):
        app.synth()


def test_the_checks_of_two_apps_do_not_mix():
    """Two apps with a stack of the same path: each synth runs its own app's checks only."""
    runs: list[str] = []
    (app_ok, stack_ok), (app_bad, stack_bad) = _app("111111111111"), _app("222222222222")
    add_check(stack_ok, _Check(runs, "ok"))
    add_check(stack_bad, _Check(runs, "bad", "Checked/G (Group): only in the bad app"))
    add_check(app_bad, _Check(runs, "bad app"))
    app_ok.synth()
    assert runs == ["ok"]
    runs.clear()
    with pytest.raises(Exception, match="only in the bad app"):
        app_bad.synth()
    assert sorted(runs) == ["bad", "bad app"]
