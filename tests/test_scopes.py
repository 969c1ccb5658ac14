"""``scopes.py``: the props an operator group and the restricted administrator bind alike (``OperatorProps``), and
the A9 statements of the console users both create (``password_statements``)."""

from __future__ import annotations

import pytest
from aws_cdk import CfnParameter, Stack
from constructs import Construct

from medialive_iam_constructs import MediaLiveIamError
from medialive_iam_constructs.catalog.model import PrincipalRows
from medialive_iam_constructs.catalog.opt_ins import BY_PROP, DEFAULT_WIZARD_STACK_PREFIX
from medialive_iam_constructs.catalog.resources import EVENTS_RULE, SNS_TOPIC, SSM_PARAMETER
from medialive_iam_constructs.scopes import OperatorProps, password_statements, wizard_guard
from tests.helpers import ACCOUNT, REGION, new_stack


@pytest.fixture()
def scope():
    _, stack = new_stack()
    return Construct(stack, "X")


WIZARD, MONITOR = BY_PROP["workflow_wizard"], BY_PROP["workflow_monitor_deploy"]
STACK_ARN = f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/"


def text(scope, value: str) -> str:
    return value.replace(Stack.of(scope).partition, "aws")


def test_defaults_are_the_constructs():
    ops = OperatorProps()
    assert (ops.parameter_path, ops.notification_prefix, tuple(ops.notification_endpoints)) == ("/medialive/", "medialive", ())
    assert (ops.workflow_wizard_stack_prefix, ops.workflow_monitor_stack_prefix) == (DEFAULT_WIZARD_STACK_PREFIX, None)


def test_bindings_and_values(scope):
    ops = OperatorProps(parameter_path="/news/", notification_prefix="news", notification_endpoints=["a@example.com"])
    bindings = {k: [text(scope, a) for a in arns] for k, arns in ops.bindings(scope).items()}
    assert bindings == {
        SSM_PARAMETER: [f"arn:aws:ssm:{REGION}:{ACCOUNT}:parameter/news/*"],
        EVENTS_RULE: [f"arn:aws:events:{REGION}:{ACCOUNT}:rule/news*"],
        SNS_TOPIC: [f"arn:aws:sns:{REGION}:{ACCOUNT}:news*"],
    }
    assert ops.values == {"NotificationPrefix": "news", "NotificationEndpoints": ["a@example.com"]}


def test_check(scope):
    OperatorProps().check(scope)
    with pytest.raises(MediaLiveIamError, match="parameter_path: '/' would scope"):
        OperatorProps(parameter_path="/").check(scope)


def test_stack_binding_checks_the_prefix(scope):
    ops = OperatorProps(workflow_monitor_stack_prefix="Monitor-")
    assert [text(scope, a) for a in ops.stack_binding(scope, BY_PROP["workflow_monitor_deploy"])] == [
        f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/Monitor-*/*"]
    with pytest.raises(MediaLiveIamError, match="workflow_monitor_stack_prefix: workflow_monitor_deploy=True needs"):
        OperatorProps().stack_binding(scope, BY_PROP["workflow_monitor_deploy"])


def test_statements_bind_stacked_rows_to_their_prefix_then_guard(scope):
    ops = OperatorProps(workflow_monitor_stack_prefix="Monitor-")
    rows = PrincipalRows(ids=("S2", "W4", "S15.guard"), main=("S2",),
                         stacked=((BY_PROP["workflow_monitor_deploy"], ("W4",)),))
    statements = ops.statements(scope, rows, bindings=ops.bindings(scope))
    assert [sorted(s.rows) for s in statements][0] == ["S2"]
    w4 = [s for s in statements if s.rows == {"W4"}]
    assert w4 and any(text(scope, r).endswith(":stack/Monitor-*/*") for s in w4 for r in s.resources)
    guard = [s for s in statements if s.rows == {"S15.guard"}]
    assert guard == wizard_guard(scope) and statements[-len(guard):] == guard
    assert all(s.rows != {"S15.guard"} for s in ops.statements(scope, PrincipalRows(("S2",), ("S2",)),
                                                                    bindings=ops.bindings(scope)))


def test_statements_scope_the_rows(scope):
    ops = OperatorProps()
    seen = []
    ops.statements(scope, PrincipalRows(("S2",), ("S2",)), bindings=ops.bindings(scope),
                   scoped=lambda ids: seen.append(tuple(ids)) or ids)
    assert seen == [("S2",)]


def test_password_statements(scope):
    assert password_statements(scope, PrincipalRows(("S2",), ("S2",)), "/medialive/") == []
    statements = password_statements(scope, PrincipalRows(("S2", "A9"), ("S2",), password=("A9",)), "/ops/")
    assert {r for s in statements for r in s.rows} == {"A9"}
    assert f"arn:aws:iam::{ACCOUNT}:user/ops/${{aws:username}}" in {
        text(scope, r) for s in statements for r in s.resources}


def test_a_missing_stack_prefix_names_the_prop_and_the_opt_in(scope):
    with pytest.raises(MediaLiveIamError) as info:
        OperatorProps().stack_binding(scope, MONITOR)
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
def test_a_stack_prefix_that_reaches_other_stacks_fails_its_neighbour_binds(scope, prefix, problem, neighbour):
    with pytest.raises(MediaLiveIamError) as info:
        OperatorProps(workflow_wizard_stack_prefix=prefix).stack_binding(scope, WIZARD)
    assert info.value.prop == "workflow_wizard_stack_prefix" and problem in info.value.problem
    assert info.value.fix == f"give the prefix of {WIZARD.title}'s stacks, e.g. 'MediaLiveWorkflow-'"
    bound = OperatorProps(workflow_wizard_stack_prefix=neighbour).stack_binding(scope, WIZARD)
    assert [text(scope, a) for a in bound] == [f"{STACK_ARN}{neighbour}*/*"]


def test_a_stack_prefix_known_only_at_deploy_fails(scope):
    token = CfnParameter(Stack.of(scope), "Prefix").value_as_string
    with pytest.raises(MediaLiveIamError, match="an empty prefix would reach every stack"):
        OperatorProps(workflow_monitor_stack_prefix=token).stack_binding(scope, MONITOR)


def test_statements_bind_each_stack_prefix_then_add_the_guard_once(scope):
    ops = OperatorProps(workflow_wizard_stack_prefix="Wiz-", workflow_monitor_stack_prefix="Mon-")
    rows = PrincipalRows(ids=("S15", "W4", "S15.guard"), main=(), stacked=((WIZARD, ("S15",)), (MONITOR, ("W4",))))
    statements = ops.statements(scope, rows, bindings={})
    by_row: dict[str, set] = {}
    for s in statements:
        for r in s.rows:
            by_row.setdefault(r, set()).update(a for a in (text(scope, x) for x in s.resources) if ":cloudformation:" in a)
    assert by_row["S15"] == {f"{STACK_ARN}Wiz-*/*"} and by_row["W4"] == {f"{STACK_ARN}Mon-*/*"}
    assert [s.rows for s in statements].count(frozenset({"S15.guard"})) == 1 and statements[-1].effect == "Deny"
    assert ops.statements(scope, PrincipalRows((), ()), bindings={}) == []  # nothing opted: no guard either


def test_the_wizard_guard_denies_stack_writes_on_cdktoolkit_this_stack_and_stackset_instances():
    _, stack = new_stack("Prod")
    (guard,) = wizard_guard(stack)
    assert guard.effect == "Deny" and guard.rows == frozenset({"S15.guard"})
    assert "cloudformation:DeleteStack" in guard.actions and "cloudformation:ExecuteChangeSet" in guard.actions
    assert [text(stack, r) for r in guard.resources] == [f"{STACK_ARN}CDKToolkit/*", f"{STACK_ARN}Prod*/*",
                                                         f"{STACK_ARN}StackSet-*/*"]
