"""Limits that appear when one workflow becomes hundreds: CloudFormation's 500 resources per stack.

``StackResourceLimit`` fails the synth of a stack that would pass the limit (CloudFormation would only
refuse it at deploy); ``shards`` splits a list of workflows into stack-sized groups.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

import jsii
from aws_cdk import CfnResource, Stack, Stage
from constructs import IValidation

from .checks import (  # noqa: F401 - the quotas live with the checks (synth and cloud assemblies)
    DEFAULT_ROLES_PER_ACCOUNT, ENV_AGNOSTIC, MAX_RESOURCES_PER_STACK, RESOURCES_FIX, ROLES_PER_ACCOUNT_FIX,
    resource_limit_errors, roles_per_account_errors,
)
from .tokens import stack_of

T = TypeVar("T")


def resource_count(stack: Stack) -> int:
    """CloudFormation resources the stack's template will hold (nested stages and stacks excluded).

    One ``find_all`` when nothing is nested in the stack (the usual case); otherwise each resource's stack is
    asked (``Stack.of``). Constructs are not matched by Python identity: jsii hands out a new Python object
    for a construct made on the JavaScript side (an L2's ``CfnGroup``) on every ``find_all``."""
    constructs = stack.node.find_all()
    resources = [c for c in constructs if isinstance(c, CfnResource)]
    if not any(c is not stack and isinstance(c, (Stack, Stage)) for c in constructs):
        return len(resources)
    return sum(1 for c in resources if Stack.of(c) is stack)


@jsii.implements(IValidation)
class StackResourceLimit:
    """Synth-time check of the resources-per-stack quota."""

    def __init__(self, stack: Stack, limit: int = MAX_RESOURCES_PER_STACK, fix: str | None = None) -> None:
        self._stack = stack
        self._limit = limit
        self._fix = fix or RESOURCES_FIX

    def validate(self) -> list[str]:
        return resource_limit_errors(self._stack.node.path, resource_count(self._stack), self._limit, self._fix)


def shards(items: Sequence[T], per_shard: int) -> list[list[T]]:
    """``items`` in consecutive groups of at most ``per_shard`` (stable: adding an item never moves others)."""
    if per_shard < 1:
        raise ValueError("per_shard must be at least 1")
    return [list(items[i:i + per_shard]) for i in range(0, len(items), per_shard)]


def roles_per_account(root) -> dict[str, dict[str, int]]:
    """IAM roles the app creates, per account: ``{account: {stack path: roles}}``. Stacks without an account
    (environment-agnostic) are counted as one account; nested stages and sharded stacks are included."""
    from aws_cdk import Token
    from aws_cdk.aws_iam import CfnRole

    out: dict[str, dict[str, int]] = {}
    where: dict[Stack, tuple[str, str]] = {}  # per stack: (account, path), read once
    for c in root.node.find_all():
        if isinstance(c, CfnRole):
            stack = stack_of(c)
            if stack not in where:
                account = stack.account
                where[stack] = (ENV_AGNOSTIC if Token.is_unresolved(account) else account, stack.node.path)
            account, path = where[stack]
            per_stack = out.setdefault(account, {})
            per_stack[path] = per_stack.get(path, 0) + 1
    return out


@jsii.implements(IValidation)
class RolesPerAccountLimit:
    """Synth-time check of IAM's roles-per-account quota, across every stack and stage of the app in one account
    (IAM would refuse the role past the quota only at deploy, half-way through a stack)."""

    def __init__(self, root, limit: int = DEFAULT_ROLES_PER_ACCOUNT, prop: str = "rolesPerAccount",
                 fix: str | None = None) -> None:
        if not isinstance(limit, int) or limit < 1:
            raise ValueError(f"{prop}: {limit!r} is not a positive number of roles")
        self._root = root
        self._limit = limit
        self._prop = prop
        self._fix = fix or ROLES_PER_ACCOUNT_FIX

    def validate(self) -> list[str]:
        return roles_per_account_errors(f"{self._root.node.path or 'app'}", self._prop,
                                        roles_per_account(self._root), self._limit, self._fix)
