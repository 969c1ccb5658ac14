"""The library's synth-time checks run in one validation per stack (and one for the app), not one per
construct.

CDK calls every validation back in Python at synth, one jsii round trip each, and on the cold process
that ``cdk synth`` starts each callback costs milliseconds before it does anything (docs/benchmarks.md).
A construct hands its checks to :func:`add_check`, which gathers them on the construct's stack (or on the
app, for checks of the whole app); they run in the order they were added, and their errors are reported
together, each naming the construct, the prop and the fix as before. The validation of a host is kept in the
app's synth context (:mod:`medialive_iam_constructs._synth_context`), the stack's by its state.
"""

from __future__ import annotations

from typing import Callable, Protocol

import jsii
from aws_cdk import Stack
from constructs import IConstruct, IValidation

from ._synth_context import context_of, stack_state


class Check(Protocol):
    def validate(self) -> list[str]: ...


@jsii.implements(IValidation)
class _Checks:
    def __init__(self, starting: Callable[[], None]) -> None:
        self.checks: list[Check] = []
        self._starting = starting

    def validate(self) -> list[str]:
        self._starting()  # a new synth: what a check derived from the tree in an earlier one is not reused
        return [error for check in self.checks for error in check.validate()]


def _checks_of(host: IConstruct) -> _Checks:
    if isinstance(host, Stack):
        state = stack_state(host)
        if state.checks is None:
            state.checks = _Checks(state.new_synthesis)
            host.node.add_validation(state.checks)
        return state.checks
    context = context_of(host)
    path = "" if host is context.root else host.node.path
    if path not in context.host_checks:
        context.host_checks[path] = _Checks(lambda: None)
        host.node.add_validation(context.host_checks[path])
    return context.host_checks[path]


def add_check(host: IConstruct, check: Check) -> None:
    """Run ``check.validate()`` at synth, with every other check added to ``host`` (a stack, or the app's root),
    in one validation of ``host``."""
    _checks_of(host).checks.append(check)
