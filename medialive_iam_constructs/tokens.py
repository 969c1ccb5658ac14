"""Token strings resolved on the Python side, one jsii call per distinct token.

The packer measures every statement and the nag module names every wildcard finding; resolving each
statement through jsii (``stack.resolve``) costs a round trip to the node runtime per call and dominated
the synth of hundreds of workflows. Statements only ever hold literal text and a few distinct tokens (the
stack's partition, region, account; a role ARN), so each distinct token is resolved once per stack and a
string that mixes text and tokens becomes ``Fn::Join ["", [...]]`` exactly as CDK renders it.

The resolver of a stack is kept with the stack's state in its app (:mod:`medialive_iam_constructs._synth_context`),
not in this module.
"""

from __future__ import annotations

import re
from typing import Any

from aws_cdk import Stack

from ._synth_context import stack_of, stack_state

__all__ = ["StackTokens", "is_token", "stack_of", "stack_tokens"]

_TOKEN = re.compile(r"\$\{Token\[[^\]]*\]\}")


class StackTokens:
    """Resolves token strings of one stack (cached)."""

    def __init__(self, stack: Stack) -> None:
        self._stack = stack
        self._cache: dict[str, Any] = {}
        self._env: dict[str, str] | None = None

    @property
    def env(self) -> dict[str, str]:
        """The stack's partition, region and account (tokens when the stack is env-agnostic), read once."""
        if self._env is None:
            self._env = {"partition": self._stack.partition, "region": self._stack.region,
                         "account": self._stack.account}
        return self._env

    def _token(self, token: str) -> Any:
        if token not in self._cache:
            self._cache[token] = self._stack.resolve(token)
        return self._cache[token]

    def resolve(self, value: Any) -> Any:
        """Like ``stack.resolve`` for the JSON values statements hold (strings, lists, dicts)."""
        if isinstance(value, str):
            if "${Token[" not in value:
                return value
            parts: list[Any] = []
            pos = 0
            for m in _TOKEN.finditer(value):
                if m.start() > pos:
                    parts.append(value[pos:m.start()])
                parts.append(self._token(m.group(0)))
                pos = m.end()
            if pos < len(value):
                parts.append(value[pos:])
            if len(parts) == 1:
                return parts[0]
            merged: list[Any] = []
            for p in parts:  # adjacent literals merge, as CDK's concatenation does
                if merged and isinstance(p, str) and isinstance(merged[-1], str):
                    merged[-1] += p
                else:
                    merged.append(p)
            return merged[0] if len(merged) == 1 else {"Fn::Join": ["", merged]}
        if isinstance(value, list):
            return [self.resolve(v) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v) for k, v in value.items()}
        return value


def is_token(value: object) -> bool:
    """True for a string that holds a CDK token (a value known only at deploy, such as a bucket's name).

    CDK encodes string tokens as ``${Token[...]}``; checking that in Python spares the jsii round trip of
    ``Token.is_unresolved`` on every prop value."""
    return isinstance(value, str) and "${Token[" in value


def stack_tokens(stack: Stack) -> StackTokens:
    """The resolver of ``stack`` (one per stack of an app, kept with the stack's state)."""
    state = stack_state(stack)
    if state.tokens is None:
        state.tokens = StackTokens(stack)
    return state.tokens
