"""medialive_iam_constructs/scopes.py: what the operator tiers and the restricted administrator bind alike — the
password-parameter path (S41), the notification prefix and endpoints (S26, S40), and the stack prefixes of the
opt-ins that make CloudFormation stacks (S15, W4, S15.guard).

The functions are called directly on a stack (the checks need only a scope to name); the constructs' use of them
is tested in tests/test_operator_group.py, tests/test_catalog_opt_ins.py and tests/test_restricted_admin.py."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest

from medialive_iam_constructs import MediaLiveIamError
from medialive_iam_constructs.catalog.opt_ins import BY_PROP
from medialive_iam_constructs.catalog.resources import CFN_STACK, EVENTS_RULE, SNS_TOPIC, SSM_PARAMETER
from medialive_iam_constructs.scopes import (
    check_operator_props,
    operator_bindings,
    operator_rows,
    operator_values,
    opt_in_statements,
    split_stack_rows,
    stack_prefix_binding,
    wizard_guard,
)
from tests.helpers import ACCOUNT, REGION, new_stack

WIZARD, MONITOR = BY_PROP["workflow_wizard"], BY_PROP["workflow_monitor_deploy"]
STACK_ARN = f"arn:${{AWS::Partition}}:cloudformation:{REGION}:{ACCOUNT}:stack/"


def _text(stack: cdk.Stack, value: Any) -> Any:
    """An ARN (or a list of them) resolved, the partition shown as ``${AWS::Partition}``."""
    if isinstance(value, list):
        return [_text(stack, v) for v in value]
    resolved = stack.resolve(value)
    if isinstance(resolved, dict) and "Fn::Join" in resolved:
        return "".join(p if isinstance(p, str) else f"${{{p['Ref']}}}" for p in resolved["Fn::Join"][1])
    return resolved


def _check(stack: cdk.Stack, **overrides: Any) -> None:
    props = dict(parameter_path="/medialive/", notification_prefix="medialive", notification_endpoints=[])
    check_operator_props(stack, **{**props, **overrides})


# --- check_operator_props ----------------------------------------------------------------------------------------

def test_the_root_parameter_path_fails_its_neighbour_passes():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        _check(stack, parameter_path="/")
    assert info.value.prop == "parameter_path" and "every parameter of the account" in info.value.problem
    assert "'/medialive/'" in info.value.fix
    assert _check(stack, parameter_path="/m/") is None


def test_endpoints_given_as_one_string_fail_with_the_list_to_write():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        _check(stack, notification_endpoints="alerts@example.com")
    assert info.value.prop == "notification_endpoints" and "is a string, not a list" in info.value.problem
    assert info.value.fix == "write notification_endpoints=['alerts@example.com']"
    assert _check(stack, notification_endpoints=["alerts@example.com"]) is None


@pytest.mark.parametrize("endpoint", ["", "   ", "*", "?*", None])
def test_an_endpoint_that_matches_anything_fails(endpoint):
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        _check(stack, notification_endpoints=[endpoint])
    assert info.value.prop == "notification_endpoints"
    assert info.value.problem == f"{endpoint!r} would allow subscriptions to any endpoint"


@pytest.mark.parametrize("endpoint,problem,neighbour", [
    ("https://hooks.example.com", "leaves the host open", "https://hooks.example.com/"),
    ("https://hooks.example.co?/x", "leaves the host open", "https://hooks.example.co/?"),
    ("alert?@example.com", "is a pattern that is not an https URL", "alerts@example.com"),
])
def test_a_pattern_that_reaches_other_hosts_fails_its_fixed_host_neighbour_passes(endpoint, problem, neighbour):
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        _check(stack, notification_endpoints=[endpoint])
    assert info.value.problem.startswith(f"{endpoint!r} {problem}")
    assert "(sns:Endpoint is matched as text)" in info.value.problem
    assert _check(stack, notification_endpoints=[neighbour]) is None


def test_every_endpoint_is_checked_not_only_the_first():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError, match=r"'\*@example.com' is a pattern"):
        _check(stack, notification_endpoints=["alerts@example.com", "*@example.com"])


# --- bindings, values, rows ----------------------------------------------------------------------------------------

def test_operator_bindings_scope_parameters_rules_and_topics_to_the_path_and_prefix():
    _, stack = new_stack()
    bindings = operator_bindings(stack, parameter_path="/prod/live/", notification_prefix="soc")
    assert {kind.key: _text(stack, arns) for kind, arns in bindings.items()} == {
        SSM_PARAMETER.key: [f"arn:${{AWS::Partition}}:ssm:{REGION}:{ACCOUNT}:parameter/prod/live/*"],
        EVENTS_RULE.key: [f"arn:${{AWS::Partition}}:events:{REGION}:{ACCOUNT}:rule/soc*"],
        SNS_TOPIC.key: [f"arn:${{AWS::Partition}}:sns:{REGION}:{ACCOUNT}:soc*"],
    }


def test_operator_values_fill_the_catalogs_placeholders():
    values = operator_values(notification_prefix="soc", notification_endpoints=("a@example.com",))
    assert values == {"NotificationPrefix": "soc", "NotificationEndpoints": ["a@example.com"]}


def test_operator_rows_add_the_endpoint_row_right_after_s40_only_when_it_applies():
    rows = ("S2", "S40", "S41")
    assert operator_rows(rows, ["a@example.com"]) == ["S2", "S40", "S40.endpoints", "S41"]
    assert operator_rows(rows, []) == ["S2", "S40", "S41"]  # no allowlist: e-mail only (S40)
    assert operator_rows(("S2", "S41"), ["a@example.com"]) == ["S2", "S41"]  # no S40: nothing to subscribe
    assert operator_rows(("S40", "S40.endpoints"), ["a@example.com"]) == ["S40", "S40.endpoints"]  # not twice
    assert rows == ("S2", "S40", "S41")


# --- stack prefixes ------------------------------------------------------------------------------------------------

def test_a_missing_prefix_names_the_prop_and_the_opt_in():
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        stack_prefix_binding(stack, MONITOR, None)
    assert info.value.prop == "workflow_monitor_stack_prefix"
    assert info.value.problem.startswith("workflow_monitor_deploy=True needs the name prefix")
    assert "or drop workflow_monitor_deploy" in info.value.fix


@pytest.mark.parametrize("prefix,problem,neighbour", [
    ("", "would reach every stack", "M"),
    ("Media*", "contains a wildcard or separator", "Media-"),
    ("Media/", "contains a wildcard or separator", "Media-"),
    ("cdkT", "also matches the stack 'CDKToolkit'", "cdkX"),
    ("Tes", "or this app's stack 'Test'", "Tex"),
    ("Stack", "overlaps 'StackSet-'", "StackX"),
    ("stackset-news", "overlaps 'StackSet-'", "stacksets-news"),
])
def test_a_prefix_that_reaches_other_stacks_fails_its_neighbour_binds(prefix, problem, neighbour):
    _, stack = new_stack()
    with pytest.raises(MediaLiveIamError) as info:
        stack_prefix_binding(stack, WIZARD, prefix)
    assert info.value.prop == "workflow_wizard_stack_prefix" and problem in info.value.problem
    assert info.value.fix == f"give the prefix of {WIZARD.title}'s stacks, e.g. 'MediaLiveWorkflow-'"
    assert _text(stack, stack_prefix_binding(stack, WIZARD, neighbour)) == [f"{STACK_ARN}{neighbour}*/*"]


def test_a_prefix_known_only_at_deploy_fails():
    _, stack = new_stack()
    token = cdk.CfnParameter(stack, "Prefix").value_as_string
    with pytest.raises(MediaLiveIamError, match="an empty prefix would reach every stack"):
        stack_prefix_binding(stack, MONITOR, token)


def test_split_stack_rows_moves_each_opted_stack_opt_ins_rows_apart():
    rows = ["S2", "S15", "S16", "W4", "S40"]
    rest, stacked = split_stack_rows(rows, {"workflow_wizard": True, "workflow_monitor_deploy": True})
    assert rest == ["S2", "S40"]  # every row of an opted stack-making opt-in goes with it (S16 too)
    assert [(o.prop, own) for o, own in stacked] == [("workflow_wizard", ["S15", "S16"]), ("workflow_monitor_deploy", ["W4"])]
    assert split_stack_rows(rows, {"workflow_wizard": False}) == (rows, [])


def test_opt_in_statements_bind_each_prefix_then_add_the_guard_once():
    _, stack = new_stack()
    _, stacked = split_stack_rows(["S15", "W4"], {"workflow_wizard": True, "workflow_monitor_deploy": True})
    statements = opt_in_statements(stack, stacked, {"workflow_wizard_stack_prefix": "Wiz-",
                                                    "workflow_monitor_stack_prefix": "Mon-"}, bindings={})
    by_row: dict[str, set] = {}
    for s in statements:
        for r in s.rows:
            by_row.setdefault(r, set()).update(a for a in _text(stack, list(s.resources)) if ":cloudformation:" in a)
    assert by_row["S15"] == {f"{STACK_ARN}Wiz-*/*"} and by_row["W4"] == {f"{STACK_ARN}Mon-*/*"}
    assert [s.rows for s in statements].count(frozenset({"S15.guard"})) == 1 and statements[-1].effect == "Deny"
    assert opt_in_statements(stack, [], {}, bindings={}) == []  # nothing opted: no guard either


def test_the_wizard_guard_denies_stack_writes_on_cdktoolkit_this_stack_and_stackset_instances():
    _, stack = new_stack("Prod")
    (guard,) = wizard_guard(stack)
    assert guard.effect == "Deny" and guard.rows == frozenset({"S15.guard"})
    assert "cloudformation:DeleteStack" in guard.actions and "cloudformation:ExecuteChangeSet" in guard.actions
    assert _text(stack, list(guard.resources)) == [f"{STACK_ARN}CDKToolkit/*", f"{STACK_ARN}Prod*/*",
                                                   f"{STACK_ARN}StackSet-*/*"]
