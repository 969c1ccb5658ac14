"""The IAM group ``MediaLiveOperatorGroup`` and ``RestrictedAdmin`` each make: its rows in the template, its customer
managed policies within IAM's quotas (members: ``_console_users.add_members``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

import jsii
from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_secretsmanager as secretsmanager

from ._synth_checks import add_check
from ._readonly import ReadOnlyAfterInit
from ._rows import record_rows
from ._unique_names import warn_console_made_name
from .packing import PrincipalQuotaValidation, create_managed_policies
from .statements import Statement
from .tokens import stack_of


@jsii.implements(iam.IGrantable)
class GroupConstruct(ReadOnlyAfterInit, Construct):
    """What ``MediaLiveOperatorGroup`` and ``RestrictedAdmin`` expose alike: the IAM group they make, its policies and
    the users they create; ``iam.IGrantable`` (the group is the grant principal)."""

    #: The IAM group.
    group: iam.Group
    #: The customer managed policies attached to the group (``Policy1``..``PolicyN``; the administrator's under
    #: ``admin_policy_path``).
    managed_policies: tuple[iam.ManagedPolicy, ...]
    #: The users this construct created (``console_users``).
    users: tuple[iam.User, ...]
    #: Initial console password of each created user, by user name (``Secret.secret_value`` never
    #: appears in the template: CloudFormation resolves a dynamic reference at deploy).
    initial_password_secrets: dict[str, secretsmanager.Secret]
    #: The KMS key of the initial-password secrets (None without ``console_users``).
    password_encryption_key: kms.IKey | None

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The group (``iam.IGrantable``): CDK's grants (``bucket.grant_read(construct)``) grant to it; such
        statements are outside the catalog and :class:`~medialive_iam_constructs.guard.MediaLiveIamGuard` reports them."""
        return self.group


def principal_group(scope: Construct, *, group_name: str | None, path: str, rows: Sequence[str]) -> iam.Group:
    """The group ``Group`` of ``scope``, with the catalog rows it is given in its template metadata."""
    warn_console_made_name(
        scope, "group_name", "group", group_name,
        "give this group another name and add the existing group's users to it with users=[iam.User.from_user_name("
        "...)]; the existing group stays outside the stack until its users are taken out of it")
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
