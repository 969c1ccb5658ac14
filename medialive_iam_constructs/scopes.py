"""What the operator tiers and the restricted administrator bind alike: the password-parameter path (S41), the
notification prefix and endpoints (S26, S40), and the workflow wizard's stack prefix (S15, S15.guard).

One place for the resources and condition values both constructs give the catalog's ``must_bind`` grants,
so an operator group and the administrator built with the same props are scoped the same way (the proof's
monotonic-tier check relies on it).
"""

from __future__ import annotations

from typing import Any, Sequence

from constructs import Construct

from .catalog.resources import CFN_STACK, EVENTS_RULE, SNS_TOPIC, SSM_PARAMETER, Kind
from .errors import MediaLiveIamError, describe
from .statements import Statement, render_kind, row_statements
from .tokens import is_token, stack_of
from .validation import check_notification_prefix, check_ssm_path

#: Default name prefix of the workflow wizard's CloudFormation stacks (``workflow_wizard_stack_prefix``).
DEFAULT_WIZARD_STACK_PREFIX = "MediaLiveWorkflow-"
#: The CDK bootstrap stack: never reachable through the wizard's rows (S15.guard).
CDK_TOOLKIT_STACK = "CDKToolkit"
#: The stacks a StackSet runs in an account are named ``StackSet-<stack set name>-<id>`` (the organization mode's
#: baseline among them, under the StackSet's own role): never reachable either (S15.guard, issue 20 finding 5).
STACK_SET_INSTANCE_PREFIX = "StackSet-"


def check_operator_props(scope: Construct, *, parameter_path: str, notification_prefix: str,
                         notification_endpoints: Sequence[str]) -> None:
    check_ssm_path(scope, "parameter_path", parameter_path)
    if parameter_path == "/":
        raise MediaLiveIamError(
            describe(scope), "parameter_path", "'/' would scope the password parameters (S41) to every parameter "
            "of the account", "give the path that holds MediaLive's password parameters, e.g. '/medialive/'",
        )
    check_notification_prefix(scope, "notification_prefix", notification_prefix)
    if isinstance(notification_endpoints, str):
        raise MediaLiveIamError(describe(scope), "notification_endpoints", f"{notification_endpoints!r} is a string, "
                                "not a list", f"write notification_endpoints=[{notification_endpoints!r}]")
    for endpoint in notification_endpoints:
        if not isinstance(endpoint, str) or not endpoint.strip() or endpoint.strip("*?") == "":
            raise MediaLiveIamError(
                describe(scope), "notification_endpoints", f"{endpoint!r} would allow subscriptions to any endpoint",
                "give exact endpoints or patterns with a fixed host, e.g. 'https://hooks.example.com/*' or '*@example.com'",
            )


def operator_bindings(scope: Construct, *, parameter_path: str, notification_prefix: str) -> dict[Kind, list[str]]:
    """Resources of the S41 parameters and the S26/S40 notification rules and topics."""
    return {
        SSM_PARAMETER: [render_kind(scope, SSM_PARAMETER, ParameterNameWithoutLeadingSlash=parameter_path[1:] + "*")],
        EVENTS_RULE: [render_kind(scope, EVENTS_RULE, RuleName=notification_prefix + "*")],
        SNS_TOPIC: [render_kind(scope, SNS_TOPIC, TopicName=notification_prefix + "*")],
    }


def operator_values(*, notification_prefix: str, notification_endpoints: Sequence[str]) -> dict[str, Any]:
    return {"NotificationPrefix": notification_prefix, "NotificationEndpoints": list(notification_endpoints)}


def operator_rows(rows: Sequence[str], notification_endpoints: Sequence[str]) -> list[str]:
    """``rows`` plus S40.endpoints where the construct has an endpoint allowlist and grants S40."""
    out = list(rows)
    if notification_endpoints and "S40" in out and "S40.endpoints" not in out:
        out.insert(out.index("S40") + 1, "S40.endpoints")
    return out


def monitor_stack_binding(scope: Construct, prefix: str | None) -> list[str]:
    """``stack/<prefix>*/*``: workflow monitor's deployment stacks (W4), checked as the wizard's prefix. AWS does not
    document their names, so there is no default."""
    if prefix is None:
        raise MediaLiveIamError(
            describe(scope), "workflow_monitor_stack_prefix",
            "workflow_monitor_deploy=True needs the name prefix of workflow monitor's CloudFormation stacks, which AWS "
            "does not document",
            "give workflow_monitor_stack_prefix= the prefix of the stacks a first deployment creates (CloudFormation "
            "console), or drop workflow_monitor_deploy",
        )
    return wizard_stack_binding(scope, prefix, prop="workflow_monitor_stack_prefix")


def wizard_stack_binding(scope: Construct, prefix: str, prop: str = "workflow_wizard_stack_prefix") -> list[str]:
    """``stack/<prefix>*/*``: the wizard's stacks (S15), after checking the prefix reaches neither CDKToolkit nor
    the construct's own stack."""
    stack_name = stack_of(scope).stack_name
    problem = None
    if not isinstance(prefix, str) or not prefix or is_token(prefix):
        problem = "an empty prefix would reach every stack of the account"
    elif any(c in prefix for c in "*?/:"):
        problem = f"{prefix!r} contains a wildcard or separator"
    elif CDK_TOOLKIT_STACK.lower().startswith(prefix.lower()) or (
            not is_token(stack_name) and stack_name.lower().startswith(prefix.lower())):
        problem = f"{prefix!r} also matches the stack {CDK_TOOLKIT_STACK!r} or this app's stack {stack_name!r}"
    elif _overlap(prefix, STACK_SET_INSTANCE_PREFIX):
        problem = (f"{prefix!r} overlaps {STACK_SET_INSTANCE_PREFIX!r}, the names of the stacks StackSets run in the "
                   "account (the organization baseline's among them)")
    if problem:
        raise MediaLiveIamError(
            describe(scope), prop, problem,
            f"give the prefix the wizard's stacks are named with, e.g. {DEFAULT_WIZARD_STACK_PREFIX!r}"
            if prop == "workflow_wizard_stack_prefix" else "give the prefix of workflow monitor's stacks",
        )
    return [render_kind(scope, CFN_STACK, StackName=prefix + "*")]


def _overlap(a: str, b: str) -> bool:
    """Two stack-name prefixes overlap when some name starts with both (names compared without case, as the
    prefix checks above)."""
    a, b = a.lower(), b.lower()
    return a.startswith(b) or b.startswith(a)


def wizard_guard(scope: Construct) -> list[Statement]:
    """S15.guard: explicit Deny of stack writes on CDKToolkit, on this stack (and its shards, same prefix) and on
    every StackSet instance (``StackSet-*``: in organization mode the baseline runs in each member account as
    ``StackSet-<stack set name>-<id>``, not under this stack's name)."""
    stack_name = stack_of(scope).stack_name
    return row_statements(scope, ["S15.guard"], prop="workflow_wizard", bindings={CFN_STACK: [
        render_kind(scope, CFN_STACK, StackName=CDK_TOOLKIT_STACK),
        render_kind(scope, CFN_STACK, StackName=f"{stack_name}*"),
        render_kind(scope, CFN_STACK, StackName=f"{STACK_SET_INSTANCE_PREFIX}*"),
    ]})
