"""``scopes.py``: the props an operator group and the restricted administrator bind alike (``OperatorProps``), and
the A9 statements of the console users both create (``password_statements``)."""

from __future__ import annotations

import pytest
from aws_cdk import Stack
from constructs import Construct

from medialive_iam_constructs import MediaLiveIamError
from medialive_iam_constructs.catalog.model import PrincipalRows
from medialive_iam_constructs.catalog.opt_ins import BY_PROP, DEFAULT_WIZARD_STACK_PREFIX
from medialive_iam_constructs.catalog.resources import CFN_STACK, EVENTS_RULE, SNS_TOPIC, SSM_PARAMETER
from medialive_iam_constructs.scopes import OperatorProps, password_statements, wizard_guard
from tests.helpers import ACCOUNT, REGION, new_stack


@pytest.fixture()
def scope():
    _, stack = new_stack()
    return Construct(stack, "X")


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
