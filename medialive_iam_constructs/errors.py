"""Errors raised at synth (construction) time. Each names the construct, the prop and the fix."""

from __future__ import annotations


class MediaLiveIamError(ValueError):
    """Invalid input to a construct of this library.

    The message reads ``<construct path> (<construct class>): <prop>: <problem>. Fix: <fix>``.
    """

    def __init__(self, construct: str, prop: str, problem: str, fix: str) -> None:
        """
        :param construct: the construct's path and class (``errors.describe(scope)``).
        :param prop: the prop at fault, as the constructor names it.
        :param problem: what is wrong with its value.
        :param fix: what to do instead.
        """
        self.construct = construct
        self.prop = prop
        self.problem = problem
        self.fix = fix
        super().__init__(f"{construct}: {prop}: {problem}. Fix: {fix}")


class QuotaExceededError(MediaLiveIamError):
    """The policies a construct needs would not fit an IAM quota (reference §7.1)."""


def describe(scope) -> str:
    """``'Stack/Ops (MediaLiveOperatorGroup)'`` for a construct; plain strings pass through."""
    if isinstance(scope, str):
        return scope
    path = scope.node.path or scope.node.id
    return f"{path} ({type(scope).__name__})"
