"""The IAM group ``MediaLiveOperatorGroup`` and ``RestrictedAdmin`` each make: its rows in the template, its customer
managed policies within IAM's quotas (members: ``_console_users.add_members``)."""

from __future__ import annotations

from typing import Sequence

from aws_cdk import aws_iam as iam
from constructs import Construct

from ._synth_checks import add_check
from ._rows import record_rows
from .packing import PrincipalQuotaValidation, create_managed_policies
from .statements import Statement
from .tokens import stack_of


def principal_group(scope: Construct, *, group_name: str | None, path: str, rows: Sequence[str]) -> iam.Group:
    """The group ``Group`` of ``scope``, with the catalog rows it is given in its template metadata."""
    group = iam.Group(scope, "Group", group_name=group_name, path=path)
    record_rows(group.node.default_child, rows)
    return group


def attach_policies(scope: Construct, group: iam.Group, statements: Sequence[Statement], *, name_prefix: str,
                    path: str, description: str) -> tuple[iam.ManagedPolicy, ...]:
    """``statements`` packed into customer managed policies (``Policy1``..``PolicyN``) attached to ``group``, and the
    synth-time check of the group's quotas (managed policies per group, the group's size)."""
    policies = tuple(create_managed_policies(
        scope, list(statements), principal_kind="group", name_prefix=name_prefix, path=path, groups=[group],
        prop="rows", description=description,
    ))
    add_check(stack_of(scope), PrincipalQuotaValidation(scope, group.node.default_child, "group"))
    return policies
