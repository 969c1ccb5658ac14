"""What the operator tiers and the restricted administrator bind alike: the password-parameter path (S41), the
notification prefix and endpoints (S26, S40), and the stack prefixes of the opt-ins that make CloudFormation stacks
(the workflow wizard's S15, workflow monitor's W4; S15.guard).

One place for the resources and condition values both constructs give the catalog's ``must_bind`` grants,
so an operator group and the administrator built with the same props are scoped the same way (the proof's
monotonic-tier check relies on it).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from constructs import Construct

from .catalog.opt_ins import DEFAULT_WIZARD_STACK_PREFIX, OPT_INS, OptIn
from .catalog.resources import CFN_STACK, EVENTS_RULE, SNS_TOPIC, SSM_PARAMETER, Kind
from .errors import MediaLiveIamError, describe
from .statements import Statement, render_kind, row_statements
from .tokens import is_token, stack_of
from .validation import check_notification_prefix, check_ssm_path

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
        if is_token(endpoint):
            raise MediaLiveIamError(
                describe(scope), "notification_endpoints", f"{endpoint!r} is known only at deploy (a token), so its "
                "host cannot be checked: a deploy-time '*' would allow subscriptions to any endpoint",
                "give the endpoints as literal strings",
            )
        if not isinstance(endpoint, str) or not endpoint.strip() or endpoint.strip("*?") == "":
            raise MediaLiveIamError(
                describe(scope), "notification_endpoints", f"{endpoint!r} would allow subscriptions to any endpoint",
                "give exact endpoints or patterns with a fixed host, e.g. 'https://hooks.example.com/*' or "
                "'alerts@example.com'",
            )
        problem = _open_host(endpoint)
        if problem:
            raise MediaLiveIamError(
                describe(scope), "notification_endpoints", f"{endpoint!r} {problem} (sns:Endpoint is matched as text)",
                "fix the host and end it with '/' before any wildcard ('https://hooks.example.com/*'), and give e-mail "
                "addresses without wildcards ('alerts@example.com')",
            )


def _open_host(endpoint: str) -> str | None:
    """Why a pattern of ``notification_endpoints`` reaches hosts or addresses it does not name, or None (attack
    review: ``https://hooks.example.com*`` matched ``https://hooks.example.com.evil.net/``, ``*@example.com`` matched
    ``https://evil.net/?u=a@example.com``)."""
    if "://" in endpoint:
        host, slash, _ = endpoint.split("://", 1)[1].partition("/")
        if any(c in host for c in "*?") or not slash:
            return "leaves the host open: the pattern also matches other hosts"
        return None
    if any(c in endpoint for c in "*?"):
        return "is a pattern that is not an https URL: it also matches URLs and other addresses that contain it"
    return None


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


def stack_prefix_binding(scope: Construct, opt_in: OptIn, prefix: str | None) -> list[str]:
    """``stack/<prefix>*/*``: the CloudFormation stacks of ``opt_in`` (the wizard's S15, workflow monitor's W4), after
    checking the prefix is given and reaches neither CDKToolkit, the construct's own stack, nor StackSet instances."""
    prop = opt_in.stack_prefix_prop
    if prefix is None:
        raise MediaLiveIamError(
            describe(scope), prop,
            f"{opt_in.prop}=True needs the name prefix of its CloudFormation stacks, which AWS does not document",
            f"give {prop}= the prefix of the stacks a first deployment creates (CloudFormation console), or drop "
            f"{opt_in.prop}",
        )
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
        example = (f"e.g. {opt_in.default_stack_prefix!r}" if opt_in.default_stack_prefix
                   else "as a first deployment names them")
        raise MediaLiveIamError(describe(scope), prop, problem, f"give the prefix of {opt_in.title}'s stacks, {example}")
    return [render_kind(scope, CFN_STACK, StackName=prefix + "*")]


def split_stack_rows(rows: Sequence[str], opted: Mapping[str, bool]) -> tuple[list[str], list[tuple[OptIn, list[str]]]]:
    """``rows`` made with the construct's own bindings, and for each opt-in turned on that names its stacks
    (``OptIn.stack_prefix_prop``), the rows bound to its own stack prefix (their statements are made apart, so that
    the wizard's and the monitor's stacks never share a prefix)."""
    stacked = [(o, [r for r in rows if r in o.rows]) for o in OPT_INS if o.stack_prefix_prop and opted.get(o.prop)]
    taken = {r for _, own in stacked for r in own}
    return [r for r in rows if r not in taken], [(o, own) for o, own in stacked if own]


def opt_in_statements(scope: Construct, stacked: Sequence[tuple[OptIn, Sequence[Any]]], prefixes: Mapping[str, Any],
                      bindings: Mapping[Kind, list[str]], **kw: Any) -> list[Statement]:
    """The statements of the stack-making opt-ins (``split_stack_rows``), each bound to its stack prefix (the value
    of its ``stack_prefix_prop`` in ``prefixes``), then S15.guard once (CDKToolkit, this stack, StackSet-*)."""
    statements: list[Statement] = []
    for opt_in, rows in stacked:
        prefix = prefixes[opt_in.stack_prefix_prop]
        statements += row_statements(scope, rows, prop=opt_in.prop, **kw, bindings={
            **bindings, CFN_STACK: stack_prefix_binding(scope, opt_in, prefix)})
    return statements + (wizard_guard(scope) if stacked else [])


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
