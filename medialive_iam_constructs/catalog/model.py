"""The shape of a catalog entry: a :class:`Row` of an AWS table, made of :class:`Grant` s.

A grant is a set of IAM actions that take the same resource kinds (or none: ``Resource: "*"``) and the
same conditions. Rows keep the id AWS's tables use (``S13``, ``T18``), or a part of such a row
(``S3.run``) where a persona needs only some of its actions; the title, the source page and notes
(doc errors ``E1``..``E21``, inferences) travel with it so that docs, error messages and the handout can
cite them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .resources import Kind


@dataclass(frozen=True)
class Grant:
    """Actions that share resource kinds and conditions.

    :param actions: full IAM action names (``"medialive:StartChannel"``), spelled as IAM spells them.
    :param kinds: the resource kinds the actions are scoped to; empty means ``Resource: "*"``.
    :param identifiers: identifier values fixed by the catalog (``RoleNameWithPath="MediaLiveAccessRole"``).
    :param conditions: an IAM ``Condition`` block; ``${Partition}``, ``${Region}``, ``${Account}`` are filled in.
    :param star_reason: why the grant stays on ``*`` although some action takes a resource type
        (for example: MediaConnect rejects flow-scoped ``Managed*`` grants). Required in that case.
    :param must_bind: the construct must name the resources (see the attribute).
    """

    actions: tuple[str, ...]
    kinds: tuple[Kind, ...] = ()
    identifiers: Mapping[str, str] = field(default_factory=dict)
    conditions: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    star_reason: str | None = None
    #: The kinds' identifiers must come from the construct (bucket names, role ARNs); rendering the grant
    #: without them is an error rather than a silent ``*`` (which would grant every bucket or role).
    must_bind: bool = False
    #: ``"Allow"`` or ``"Deny"``: a Deny grant is a guard rail (the restricted administrator's A rows).
    effect: str = "Allow"

    @property
    def on_star(self) -> bool:
        return not self.kinds


@dataclass(frozen=True)
class Row:
    """One row (or part of a row) of an AWS table.

    :param id: ``S1``..``S42``, ``F3``, ``T1``..``T23``, ``A1``.. (restricted administrator); a part adds a
        suffix after a dot (``S3.run``).
    :param title: the activity, paraphrased from the table.
    :param source: the page the row comes from (ids of ``medialive-iam-requirements.md`` §0).
    :param grants: what the row needs; empty for rows that need no permission (T1 ... T4, T13, T17, T22).
    :param notes: doc errors this row corrects (``E2``), inferences and deviations.
    :param table: ``user`` (§1.3 / §1.2), ``trusted`` (§1.4) or ``admin`` (§1.1, reconstructed).
    """

    id: str
    title: str
    source: str
    grants: tuple[Grant, ...]
    table: str
    notes: tuple[str, ...] = ()

    @property
    def base_id(self) -> str:
        """The AWS table row this entry belongs to (``S3`` for ``S3.run``)."""
        return self.id.split(".", 1)[0]

    @property
    def actions(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for g in self.grants:
            for a in g.actions:
                seen.setdefault(a, None)
        return tuple(seen)

    @property
    def services(self) -> tuple[str, ...]:
        return tuple(sorted({a.split(":", 1)[0] for a in self.actions}))


@dataclass(frozen=True)
class PrincipalRows:
    """The rows of a principal a construct makes (an operator group, the restricted administrator), split as the
    construct binds them (``catalog.tiers.group_rows``, ``catalog.admin.admin_rows``).

    :param ids: every row, in the order the construct records them (its ``rows``, the template's metadata).
    :param main: the rows bound to the principal's own resources (the tier's rows but the stacked ones).
    :param stacked: for each opt-in turned on that makes CloudFormation stacks (``OptIn.stack_prefix_prop``), the
        opt-in and its rows, bound to its own stack prefix; S15.guard comes with them.
    :param own: the restricted administrator's A rows by what the construct binds them to (``AdminEntry.binds``),
        in the order their statements are made; empty for an operator group.
    :param password: A9 when the construct creates console users, bound to each caller's own user.
    """

    ids: tuple[str, ...]
    main: tuple[str, ...]
    stacked: tuple[tuple[Any, tuple[str, ...]], ...] = ()
    own: tuple[tuple[str, tuple[str, ...]], ...] = ()
    password: tuple[str, ...] = ()
