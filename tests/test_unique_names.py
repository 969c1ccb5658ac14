"""medialive_iam_constructs/_unique_names.py: duplicate IAM role, group and user names fail at synth, per account and
case-insensitively, whether the library or the app made the resources; the same name in another account, of another
kind, or known only at deploy passes.

(tests/test_validation_at_synth.py checks that three duplicates are reported at all; this file checks the rule's edges.)"""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from medialive_iam_constructs import MediaLiveOperatorGroup, MediaLiveTrustedRole, OperatorTier
from medialive_iam_constructs._synth_context import context_of
from medialive_iam_constructs._unique_names import _UniqueIamNames
from tests.helpers import ACCOUNT, REGION, new_stack

DUPLICATE = "is also the name of"


def _stack(app: cdk.App, name: str, account: str | None = ACCOUNT) -> cdk.Stack:
    env = cdk.Environment(account=account, region=REGION) if account else None
    return cdk.Stack(app, name, env=env, synthesizer=cdk.DefaultStackSynthesizer(generate_bootstrap_version_rule=False))


def _synth_error(app: cdk.App) -> str:
    with pytest.raises(RuntimeError, match="Validation failed") as info:
        app.synth()
    return str(info.value)


def _names(assembly, stack: str, type_: str, prop: str) -> list[str]:
    template = assembly.get_stack_by_name(stack).template
    return sorted(r["Properties"][prop] for r in template["Resources"].values() if r["Type"] == type_)


def test_role_names_that_differ_only_in_case_fail_naming_both_the_account_and_the_fix():
    app, stack = new_stack()
    MediaLiveTrustedRole(stack, "A", role_name="MediaLiveNews")
    MediaLiveTrustedRole(stack, "B", role_name="medialivenews")
    error = _synth_error(app)
    assert (f"Test/B/Role (Role): role_name: the role name 'medialivenews' is also the name of Test/A/Role in account "
            f"{ACCOUNT}; IAM role names are unique per account and case-insensitive") in error
    assert "Fix: give one of them another name" in error
    assert error.count(DUPLICATE) == 1  # one report for the pair, although two constructs registered the check


def test_the_same_names_in_two_accounts_pass_and_keep_their_names():
    app = cdk.App()
    prod, dev = _stack(app, "Prod"), _stack(app, "Dev", account="444455556666")
    for stack in (prod, dev):
        MediaLiveTrustedRole(stack, "News", role_name="MediaLiveNews")
        MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC, group_name="MediaLiveOps",
                               console_users=["alice"])
    assembly = app.synth()
    for stack in ("Prod", "Dev"):
        assert _names(assembly, stack, "AWS::IAM::Role", "RoleName") == ["MediaLiveNews"]
        assert _names(assembly, stack, "AWS::IAM::Group", "GroupName") == ["MediaLiveOps"]
        assert _names(assembly, stack, "AWS::IAM::User", "UserName") == ["alice"]


def test_two_stacks_of_one_account_share_its_names():
    app = cdk.App()
    one, two = _stack(app, "One"), _stack(app, "Two")
    MediaLiveOperatorGroup(one, "Ops", tier=OperatorTier.BASIC, group_name="MediaLiveOps")
    MediaLiveOperatorGroup(two, "Ops", tier=OperatorTier.BASIC, group_name="MEDIALIVEOPS")
    error = _synth_error(app)
    assert (f"Two/Ops/Group (Group): group_name: the group name 'MEDIALIVEOPS' is also the name of One/Ops/Group in "
            f"account {ACCOUNT}") in error


def test_stacks_without_an_account_count_as_one_account_and_the_message_names_none():
    app = cdk.App()
    one, two = _stack(app, "One", account=None), _stack(app, "Two", account=None)
    MediaLiveTrustedRole(one, "News", role_name="MediaLiveNews")
    MediaLiveTrustedRole(two, "News", role_name="MediaLiveNews")
    error = _synth_error(app)
    assert "the role name 'MediaLiveNews' is also the name of One/News/Role; IAM role names" in error
    assert "in account" not in error


def test_an_app_role_with_the_name_of_a_library_role_fails_too():
    app, stack = new_stack()
    MediaLiveTrustedRole(stack, "News", role_name="MediaLiveNews")
    iam.Role(stack, "Mine", role_name="MEDIALIVENEWS", assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    assert "Test/Mine (Role): role_name: the role name 'MEDIALIVENEWS' is also the name of Test/News/Role" in _synth_error(app)


def test_user_names_are_checked_across_groups():
    app, stack = new_stack()
    MediaLiveOperatorGroup(stack, "A", tier=OperatorTier.BASIC, console_users=["alice"])
    MediaLiveOperatorGroup(stack, "B", tier=OperatorTier.BASIC, console_users=["Alice"])
    error = _synth_error(app)
    assert "user_name: the user name 'Alice' is also the name of Test/A/User-alice" in error
    assert "IAM user names are unique per account" in error


def test_a_role_a_group_and_a_user_may_share_one_name():
    """Uniqueness is per kind: IAM keeps roles, groups and users apart."""
    app, stack = new_stack()
    MediaLiveTrustedRole(stack, "News", role_name="medialive")
    MediaLiveOperatorGroup(stack, "Ops", tier=OperatorTier.BASIC, group_name="medialive", console_users=["medialive"])
    assembly = app.synth()
    assert _names(assembly, "Test", "AWS::IAM::Role", "RoleName") == ["medialive"]
    assert _names(assembly, "Test", "AWS::IAM::Group", "GroupName") == ["medialive"]
    assert _names(assembly, "Test", "AWS::IAM::User", "UserName") == ["medialive"]


@pytest.mark.invalid_template  # cfn-lint flags the one Ref as two roles' name: the deploy-time duplicate kept here
def test_names_known_only_at_deploy_are_not_compared():
    app, stack = new_stack()
    name = cdk.CfnParameter(stack, "RoleName").value_as_string
    MediaLiveTrustedRole(stack, "News")
    for id_ in ("A", "B"):
        iam.Role(stack, id_, role_name=name, assumed_by=iam.ServicePrincipal("medialive.amazonaws.com"))
    template = app.synth().get_stack_by_name("Test").template
    assert [r["Properties"]["RoleName"] for lid, r in template["Resources"].items() if lid.startswith(("A", "B"))] == [
        {"Ref": "RoleName"}, {"Ref": "RoleName"}]


def test_a_third_duplicate_is_reported_against_the_first():
    app, stack = new_stack()
    for id_, name in (("A", "MediaLiveNews"), ("B", "medialivenews"), ("C", "MEDIALIVENEWS")):
        MediaLiveTrustedRole(stack, id_, role_name=name)
    error = _synth_error(app)
    assert error.count(DUPLICATE) == 2
    assert "Test/B/Role (Role): role_name: the role name 'medialivenews' is also the name of Test/A/Role" in error
    assert "Test/C/Role (Role): role_name: the role name 'MEDIALIVENEWS' is also the name of Test/A/Role" in error


def test_the_check_is_registered_once_per_app():
    app, stack = new_stack()
    other_app, other = new_stack()
    for i in range(3):
        MediaLiveTrustedRole(stack, f"R{i}")
    MediaLiveTrustedRole(other, "R")
    for root in (app, other_app):
        checks = context_of(root).host_checks[""].checks  # the app root's checks, in the app's synth context
        assert [type(c) for c in checks].count(_UniqueIamNames) == 1


def test_console_made_names_warn_case_insensitively_and_only_those():
    """Issue 23: names the console or the non-production chapter makes (catalog CONSOLE_MADE_NAMES) warn with the
    fix; other names, tokens and kinds without such names do not."""
    from aws_cdk.assertions import Annotations, Match

    from medialive_iam_constructs._unique_names import CONSOLE_NAME_WARNING, warn_console_made_name

    _, stack = new_stack("ConsoleNames")
    assert warn_console_made_name(stack, "role_name", "role", "medialiveACCESSrole", "reference it")
    assert warn_console_made_name(stack, "group_name", "group", "Administrators", "rename it")
    assert not warn_console_made_name(stack, "group_name", "group", "MediaLiveReadWriteUsers", "x")
    assert not warn_console_made_name(stack, "role_name", "role", cdk.Aws.STACK_NAME, "x")
    assert not warn_console_made_name(stack, "user_name", "user", "alice", "x")
    assert not warn_console_made_name(stack, "role_name", "role", None, "x")
    found = [m.entry.data for m in Annotations.from_stack(stack).find_warning("*", Match.any_value())]
    assert len(found) == 2 and all(CONSOLE_NAME_WARNING in w and "Fix: " in w for w in found), found
