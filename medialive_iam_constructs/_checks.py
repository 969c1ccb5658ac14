"""The library's synth-time checks run in one validation per stack (and one for the app), not one per
construct.

CDK calls every validation back in Python at synth, one jsii round trip each, and on the cold process
that ``cdk synth`` starts each callback costs milliseconds before it does anything (docs/benchmarks.md).
A construct hands its checks to :func:`add_check`, which gathers them on the construct's stack (or on the
app, for checks of the whole app); they run in the order they were added, and their errors are reported
together, each naming the construct, the prop and the fix as before.
"""

from __future__ import annotations

from typing import Protocol

import jsii
from constructs import IConstruct, IValidation

_MARK = "_medialive_iam_checks"
_RUN = 0


def current_run() -> int:
    """A number that changes whenever the library's checks of a stack or app start to run (once per synth):
    a check that keeps a table of the tree between its calls keys it by this."""
    return _RUN


class Check(Protocol):
    def validate(self) -> list[str]: ...


@jsii.implements(IValidation)
class _Checks:
    def __init__(self) -> None:
        self.checks: list[Check] = []

    def validate(self) -> list[str]:
        global _RUN
        _RUN += 1  # a new synth: what a check derived from the tree in an earlier one is not reused
        return [error for check in self.checks for error in check.validate()]


def add_check(host: IConstruct, check: Check) -> None:
    """Run ``check.validate()`` at synth, with every other check added to ``host`` (a stack, or the app's root),
    in one validation of ``host``."""
    checks = getattr(host, _MARK, None)
    if checks is None:
        checks = _Checks()
        object.__setattr__(host, _MARK, checks)  # the jsii object itself: its node address is not unique
        host.node.add_validation(checks)
    checks.checks.append(check)
