"""Limits that appear when one workflow becomes hundreds: CloudFormation's 500 resources per stack.

``StackResourceLimit`` fails the synth of a stack that would pass the limit (CloudFormation would only
refuse it at deploy); ``shards`` splits a list of workflows into stack-sized groups.
"""

from __future__ import annotations

from typing import Sequence, TypeVar

import jsii
from aws_cdk import CfnResource, Stack
from constructs import IValidation

#: CloudFormation quota: resources per stack.
MAX_RESOURCES_PER_STACK = 500
T = TypeVar("T")


def resource_count(stack: Stack) -> int:
    """CloudFormation resources the stack's template will hold (nested stages and stacks excluded)."""
    return sum(1 for c in stack.node.find_all() if isinstance(c, CfnResource) and Stack.of(c) is stack)


@jsii.implements(IValidation)
class StackResourceLimit:
    """Synth-time check of the resources-per-stack quota."""

    def __init__(self, stack: Stack, limit: int = MAX_RESOURCES_PER_STACK, fix: str | None = None) -> None:
        self._stack = stack
        self._limit = limit
        self._fix = fix or "spread the resources over more stacks"

    def validate(self) -> list[str]:
        count = resource_count(self._stack)
        if count <= self._limit:
            return []
        return [f"{self._stack.node.path} (Stack): the stack has {count} CloudFormation resources, over the quota of "
                f"{self._limit} per stack. Fix: {self._fix}"]


def shards(items: Sequence[T], per_shard: int) -> list[list[T]]:
    """``items`` in consecutive groups of at most ``per_shard`` (stable: adding an item never moves others)."""
    if per_shard < 1:
        raise ValueError("per_shard must be at least 1")
    return [list(items[i:i + per_shard]) for i in range(0, len(items), per_shard)]
