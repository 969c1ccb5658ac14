"""Personas as sets of row ids: the guide's three categories of regular users (setup-user-step-2,
reference §5) and the rows each must never get.

The trusted-entity rows depend on the option (reference §6): the simple option's S29-S31 (create, choose,
update ``MediaLiveAccessRole``) or the complex option's S32 (pass the given roles). S38 (the Link page's
Role ARN dropdown, ``iam:ListRoles``) is dropped under the complex option, which must not list roles.
"""

from __future__ import annotations

from enum import Enum

from . import expand


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


TRUSTED_ENTITY_ROWS: dict[TrustedEntityOption, tuple[str, ...]] = {
    TrustedEntityOption.SIMPLE: ("S29", "S30", "S31"),
    TrustedEntityOption.COMPLEX: ("S32",),
}
#: Rows that contradict an option: the complex option must not list, create or change roles.
FORBIDDEN_BY_OPTION: dict[TrustedEntityOption, tuple[str, ...]] = {
    TrustedEntityOption.SIMPLE: ("S32",),
    TrustedEntityOption.COMPLEX: ("S29", "S30", "S31", "S38"),
}

_BASIC = ("S2", "S2.thumbnails", "F3", "S8", "S5.view", "S10", "S3.run", "S12", "S25", "S27")
_READ_WRITE = _BASIC + (
    "S1", "S3.delete", "S5.edit", "S11", "S6", "S6b", "S7", "S9", "S13", "S17", "S18", "S19", "S21", "S24", "S35", "S42",
)
_ADVANCED = _READ_WRITE + (
    "S4", "S14", "S15", "S16", "S20", "S22", "S23", "S26", "S28", "S33", "S34", "S36", "S37", "S38", "S39", "S40", "S41",
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
        "S37", "S38", "S39", "S40", "S41", "S42",
    )),
    OperatorTier.READ_WRITE: expand(("S14", "S15", "S16", "S20", "S22", "S23", "S26", "S28", "S40", "S41")),
    OperatorTier.ADVANCED: (),
}


def tier_rows(tier: OperatorTier, option: TrustedEntityOption) -> tuple[str, ...]:
    """All rows of ``tier`` under ``option``: its activities plus the option's trusted-entity rows, minus
    what the option forbids. BASIC gets no trusted-entity rows: it creates no channels."""
    rows = [r for r in TIER_ROWS[tier] if r not in FORBIDDEN_BY_OPTION[option]]
    if tier is not OperatorTier.BASIC:
        rows += TRUSTED_ENTITY_ROWS[option]
    return tuple(rows)
