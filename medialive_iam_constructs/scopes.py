"""What the operator tiers and the restricted administrator bind alike: the password-parameter path (S41), the
notification prefix and endpoints (S26, S40), and the stack prefixes of the opt-ins that make CloudFormation stacks
(the workflow wizard's S15, workflow monitor's W4; S15.guard).

One place for the resources and condition values both constructs give the catalog's ``must_bind`` grants,
so an operator group and the administrator built with the same props are scoped the same way (the proof's
monotonic-tier check relies on it). The props are checked by :mod:`~medialive_iam_constructs.validation` and turned
into ARNs by :mod:`~medialive_iam_constructs.converters`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Sequence

from constructs import Construct

from .catalog.model import PrincipalRows
from .catalog.opt_ins import (
    CDK_TOOLKIT_STACK,
    DEFAULT_WIZARD_STACK_PREFIX,
    STACK_GUARD_ROW,
    STACK_SET_INSTANCE_PREFIX,
    OptIn,
)
from .catalog.resources import CFN_STACK, IAM_USER, SSM_PARAMETER, Kind
from .converters import notification_arns, notification_values, own_user_arn, parameter_arns, stack_arns
from .statements import Statement, render_kind, row_statements
from .tokens import stack_of
from .validation import check_operator_props, check_stack_prefix


@dataclass(frozen=True)
class OperatorProps:
    """The props ``MediaLiveOperatorGroup`` and ``RestrictedAdmin`` take alike, with the same defaults and meaning."""

    #: Parameter Store path of the password parameters (S41).
    parameter_path: str = "/medialive/"
    #: Name prefix of the EventBridge rules (S26) and SNS topics (S40).
    notification_prefix: str = "medialive"
    #: SNS endpoints (or patterns) besides e-mail that notification topics may be subscribed to (S40.endpoints).
    notification_endpoints: Sequence[str] = ()
    #: Name prefix of the workflow wizard's stacks (S15).
    workflow_wizard_stack_prefix: str | None = DEFAULT_WIZARD_STACK_PREFIX
    #: Name prefix of workflow monitor's stacks (W4).
    workflow_monitor_stack_prefix: str | None = None

    def check(self, scope: Construct) -> None:
        """The path, prefix and endpoints (the stack prefixes are checked with the opt-ins that use them)."""
        check_operator_props(scope, parameter_path=self.parameter_path, notification_prefix=self.notification_prefix,
                             notification_endpoints=self.notification_endpoints)

    def bindings(self, scope: Construct) -> dict[Kind, list[str]]:
        """Resources of the S41 parameters and the S26/S40 notification rules and topics."""
        return {SSM_PARAMETER: parameter_arns(scope, self.parameter_path),
                **notification_arns(scope, self.notification_prefix)}

    @property
    def values(self) -> dict[str, Any]:
        """The values of the catalog's notification placeholders."""
        return notification_values(self.notification_prefix, self.notification_endpoints)

    def statements(self, scope: Construct, rows: PrincipalRows, *, bindings: Mapping[Kind, list[str]],
                   scoped: Callable[[Sequence[str]], Sequence[Any]] | None = None, **kw: Any) -> list[Statement]:
        """The statements of ``rows.main`` bound to ``bindings``, then those of each stack-making opt-in
        (``rows.stacked``) bound to its stack prefix as well, then S15.guard once; ``scoped`` turns row ids into the
        rows to make statements of (tag scoping), ``kw`` goes to ``row_statements`` (``values`` defaults to
        :attr:`values`)."""
        scoped = scoped or (lambda ids: ids)
        kw.setdefault("values", self.values)
        statements = row_statements(scope, scoped(rows.main), bindings=bindings, **kw)
        for opt_in, own in rows.stacked:
            statements += row_statements(scope, scoped(own), prop=opt_in.prop, **kw, bindings={
                **bindings, CFN_STACK: self.stack_binding(scope, opt_in)})
        return statements + (wizard_guard(scope) if rows.stacked else [])

    def stack_binding(self, scope: Construct, opt_in: OptIn) -> list[str]:
        """``stack/<prefix>*/*``: the CloudFormation stacks of ``opt_in`` (the wizard's S15, workflow monitor's W4)."""
        prefix = getattr(self, opt_in.stack_prefix_prop)
        check_stack_prefix(scope, opt_in, prefix)
        return stack_arns(scope, prefix)


def wizard_guard(scope: Construct) -> list[Statement]:
    """S15.guard: explicit Deny of stack writes on CDKToolkit, on this stack (and its shards, same prefix) and on
    every StackSet instance (``StackSet-*``: in organization mode the baseline runs in each member account as
    ``StackSet-<stack set name>-<id>``, not under this stack's name)."""
    stack_name = stack_of(scope).stack_name
    return row_statements(scope, [STACK_GUARD_ROW], prop="workflow_wizard", bindings={CFN_STACK: [
        render_kind(scope, CFN_STACK, StackName=CDK_TOOLKIT_STACK),
        render_kind(scope, CFN_STACK, StackName=f"{stack_name}*"),
        render_kind(scope, CFN_STACK, StackName=f"{STACK_SET_INSTANCE_PREFIX}*"),
    ]})


def password_statements(scope: Construct, rows: PrincipalRows, user_path: str) -> list[Statement]:
    """A9 (``rows.password``): a console user created under ``user_path`` replaces its initial password (forced reset
    at first sign-in): ``iam:ChangePassword`` on its own user only (policy variable ``aws:username``)."""
    if not rows.password:
        return []
    return row_statements(scope, rows.password, bindings={IAM_USER: [own_user_arn(scope, user_path)]})
