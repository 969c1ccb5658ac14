"""Personas as sets of row ids: the guide's three categories of regular users (setup-user-step-2,
reference §5) and the rows each must never get.

The trusted-entity rows depend on the option (reference §6): the simple option's S29-S31 (create, choose,
update ``MediaLiveAccessRole``) or the complex option's S32 (pass the given roles). S38 (the Link page's
Role ARN dropdown, ``iam:ListRoles``) is dropped under the complex option, which must not list roles.
"""

from __future__ import annotations

from dataclasses import replace
from enum import Enum
from typing import Iterable, Mapping, Sequence

from . import expand, rows as _rows
from .activities import CREDENTIAL_READS, PATH_READS, TAG_ON_CREATE, UNSCOPABLE_CREDENTIAL_READS, UNSCOPABLE_ROWS
from .admin import PASSWORD_ROW
from .model import Grant, PrincipalRows, Row


class OperatorTier(str, Enum):
    """The guide's categories of non-administrator users."""

    #: start and stop channels and multiplexes, watch them (metrics, logs, alerts); no writes.
    BASIC = "basic"
    #: nearly full: create/modify/delete channels, inputs, multiplexes, schedules, tags; cannot create
    #: password parameters, buy reservations, run the workflow wizard or set up notifications.
    READ_WRITE = "read_write"
    #: full on MediaLive's services (wizard, reservations, notifications, password parameters, Link);
    #: cannot set up users.
    ADVANCED = "advanced"


class TrustedEntityOption(str, Enum):
    """How channels get their trusted-entity role (reference §6)."""

    #: one broad ``MediaLiveAccessRole`` per account, created and chosen on the console (S29-S31).
    SIMPLE = "simple"
    #: per-workflow roles created by an administrator; users only pass the roles they are given (S32).
    COMPLEX = "complex"


#: The complex option's row: pass the given roles to MediaLive.
PASS_ROLE_ROW = "S32"
TRUSTED_ENTITY_ROWS: dict[TrustedEntityOption, tuple[str, ...]] = {
    # S30 only: see MediaLiveAccessRole and pass it to MediaLive. S29/S31 (create or rewrite the role) would let
    # the holder write a role's trust and policy, which is IAM administration (issue 11 a): the stack creates
    # the role (MediaLiveAccessRole construct), and S29/S31 are an explicit opt-in (SIMPLE_ROLE_WRITE_ROWS).
    TrustedEntityOption.SIMPLE: ("S30",),
    TrustedEntityOption.COMPLEX: (PASS_ROLE_ROW,),
}
#: Rows that contradict an option: the complex option must not list, create or change roles.
FORBIDDEN_BY_OPTION: dict[TrustedEntityOption, tuple[str, ...]] = {
    TrustedEntityOption.SIMPLE: ("S32",),
    TrustedEntityOption.COMPLEX: ("S29", "S30", "S31", "S38"),
}

_BASIC = ("S2", "S2.thumbnails", "F3", "S8", "S5.view", "S10", "S3.run", "S12", "S25", "S27", "W1", "M2")
_READ_WRITE = _BASIC + (
    "S1", "S3.delete", "S5.edit", "S11", "S6", "S6b", "S7", "S9", "S13", "S17", "S18", "S19", "S21", "S21.v2", "S24",
    "S35", "S42", "W2", "M1", "M3",
)
_ADVANCED = _READ_WRITE + (
    "S4", "S14", "S26", "S28", "S33", "S34", "S36", "S37", "S38", "S39", "S40", "S41", "W3",
)

#: Activity rows per tier, before the trusted-entity rows of the chosen option.
TIER_ROWS: dict[OperatorTier, tuple[str, ...]] = {
    OperatorTier.BASIC: expand(_BASIC),
    OperatorTier.READ_WRITE: expand(_READ_WRITE),
    OperatorTier.ADVANCED: expand(_ADVANCED),
}

#: Rows a tier must never get ("Never gets" of the issue's table): adding one is a contradiction.
TIER_NEVER: dict[OperatorTier, tuple[str, ...]] = {
    OperatorTier.BASIC: expand((
        "S1", "S3.delete", "S4", "S5.edit", "S6", "S6b", "S7", "S9", "S11", "S13", "S14", "S15", "S16", "S17", "S18",
        "S19", "S20", "S21", "S22", "S23", "S24", "S26", "S28", "S29", "S30", "S31", "S32", "S33", "S34", "S35", "S36",
        "S37", "S38", "S39", "S40", "S41", "S42", "S21.v2", "W2", "W3", "W4", "M1", "M3", "N2", "N3",
        "S4.transfer", "S36.transfer",
    )),
    OperatorTier.READ_WRITE: expand(("S14", "S15", "S16", "S20", "S22", "S23", "S26", "S28", "S40", "S41", "W3", "W4",
                                     "N3", "S4.transfer", "S36.transfer")),
    OperatorTier.ADVANCED: (),
}
def tier_rows(tier: OperatorTier, option: TrustedEntityOption, **opted: bool) -> tuple[str, ...]:
    """All rows of ``tier`` under ``option``: its activities plus the option's trusted-entity rows, minus what the
    option forbids, plus the rows of each opt-in turned on in ``opted`` (props of ``catalog/opt_ins.py``:
    ``workflow_wizard=True``, ...). BASIC gets no trusted-entity rows: it creates no channels."""
    from .opt_ins import BY_PROP, opt_in_rows

    unknown = sorted(set(opted) - set(BY_PROP))
    if unknown:
        raise TypeError(f"tier_rows() got unknown opt-ins {', '.join(unknown)}")
    rows = [r for r in TIER_ROWS[tier] if r not in FORBIDDEN_BY_OPTION[option]]
    if tier is not OperatorTier.BASIC:
        rows += TRUSTED_ENTITY_ROWS[option]
    rows += [r for r in opt_in_rows(opted, tier) if r not in rows]
    return tuple(rows)


def endpoint_rows(rows: Iterable[str], notification_endpoints: bool) -> tuple[str, ...]:
    """``rows`` plus S40.endpoints, right after S40, where the construct has an endpoint allowlist and grants S40."""
    out = list(rows)
    if notification_endpoints and "S40" in out and "S40.endpoints" not in out:
        out.insert(out.index("S40") + 1, "S40.endpoints")
    return tuple(out)


def granted_rows(tier: OperatorTier | None, option: TrustedEntityOption, *, rows: Iterable[str] = (),
                 add_rows: Iterable[str] = (), remove_rows: Iterable[str] = (),
                 opted: Mapping[str, bool] | None = None) -> tuple[str, ...]:
    """The rows an operator group is given: ``tier``'s under ``option`` (none for a custom category, ``tier=None``),
    ``rows``, ``add_rows`` and the rows of the opt-ins turned on in ``opted``, without ``remove_rows`` (base ids stand
    for their parts). ``validation.check_group_rows`` refuses the contradictions first."""
    from .opt_ins import opt_in_rows

    base = tier_rows(tier, option) if tier is not None else ()
    removed = set(expand(remove_rows))
    extra = opt_in_rows(opted or {}, tier)
    return tuple(r for r in dict.fromkeys(base + expand(rows) + expand(add_rows) + extra) if r not in removed)


def group_rows(tier: OperatorTier | None, option: TrustedEntityOption, *, rows: Iterable[str] = (),
               add_rows: Iterable[str] = (), remove_rows: Iterable[str] = (), opted: Mapping[str, bool] | None = None,
               tag_scoped: bool = False, allow_batch_operations: bool = False, notification_endpoints: bool = False,
               console_users: bool = False) -> PrincipalRows:
    """A ``MediaLiveOperatorGroup``'s rows as it records and binds them: :func:`granted_rows`; without the rows IAM
    cannot scope to a tag (``UNSCOPABLE_ROWS``) when ``tag_scoped``, unless ``allow_batch_operations``; S40.endpoints
    with ``notification_endpoints``; S15.guard after the rows of the opt-ins that make stacks; A9 with console users."""
    from .opt_ins import STACK_GUARD_ROW, split_stack_rows

    ids = granted_rows(tier, option, rows=rows, add_rows=add_rows, remove_rows=remove_rows, opted=opted)
    if tag_scoped and not allow_batch_operations:
        ids = tuple(r for r in ids if r not in UNSCOPABLE_ROWS)
    ids = endpoint_rows(ids, notification_endpoints)
    main, stacked = split_stack_rows(ids, opted or {})
    password = (PASSWORD_ROW,) if console_users else ()
    return PrincipalRows(ids + ((STACK_GUARD_ROW,) if stacked else ()) + password, main, stacked, password=password)


def _check_tiers(
    tier_rows_by_tier: dict[OperatorTier, tuple[str, ...]] | None = None,
    tier_never: dict[OperatorTier, tuple[str, ...]] | None = None,
    trusted_entity_rows: dict[TrustedEntityOption, tuple[str, ...]] | None = None,
) -> None:
    """Import-time guard: no tier both gets a row and must never get it, whether the row is one of its
    ``TIER_ROWS`` or comes with an option's ``TRUSTED_ENTITY_ROWS`` (which BASIC does not get, as in
    :func:`tier_rows`); the opt-ins' rows are checked by ``catalog/opt_ins.py``. The dicts default to this
    module's; tests pass their own."""
    granted = TIER_ROWS if tier_rows_by_tier is None else tier_rows_by_tier
    never_by_tier = TIER_NEVER if tier_never is None else tier_never
    trusted = TRUSTED_ENTITY_ROWS if trusted_entity_rows is None else trusted_entity_rows
    problems = []
    for tier in OperatorTier:
        never = set(never_by_tier.get(tier, ()))
        both = [r for r in granted.get(tier, ()) if r in never]
        if both:
            problems.append(f"tier {tier.name} has {', '.join(both)} both in TIER_ROWS and in TIER_NEVER")
        if tier is OperatorTier.BASIC:  # tier_rows gives BASIC no trusted-entity rows
            continue
        for option, rows in trusted.items():
            both = [r for r in rows if r in never]
            if both:
                problems.append(f"tier {tier.name} gets {', '.join(both)} through TRUSTED_ENTITY_ROWS[{option.name}], "
                                "but they are in its TIER_NEVER")
    if problems:
        raise RuntimeError("catalog/tiers.py: " + "; ".join(problems))


_check_tiers()


def tag_scoped_rows(row_ids: Sequence[str], *, credential_listing: bool) -> list[Row]:
    """The rows of a tag-scoped group: each grant's creating actions (TAG_ON_CREATE) and credential reads
    (CREDENTIAL_READS) in grants of their own, so that tag scoping can condition a new resource on the request's
    tags, a credential read on the resource's tags, and leave the grant's other actions as the row has them; the
    reads IAM cannot scope that return every resource's credentials (UNSCOPABLE_CREDENTIAL_READS) left out unless
    ``credential_listing``, and the reads authorized on a path (PATH_READS) always."""
    out = []
    for row in _rows(row_ids):
        grants: list[Grant] = []
        for g in row.grants:
            actions = [a for a in g.actions if a not in PATH_READS
                       and (credential_listing or a not in UNSCOPABLE_CREDENTIAL_READS)]
            creates = tuple(a for a in actions if a in TAG_ON_CREATE)
            reads = tuple(a for a in actions if a in CREDENTIAL_READS and a not in creates)
            rest = tuple(a for a in actions if a not in creates and a not in reads)
            grants += [replace(g, actions=part) for part in (creates, reads, rest) if part]
        out.append(replace(row, grants=tuple(grants)))
    return out
