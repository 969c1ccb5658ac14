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
    # S30 only: see MediaLiveAccessRole and pass it to MediaLive. S29/S31 (create or rewrite the role) would let
    # the holder write a role's trust and policy, which is IAM administration (issue 11 a): the stack creates
    # the role (MediaLiveAccessRole construct), and S29/S31 are an explicit opt-in (SIMPLE_ROLE_WRITE_ROWS).
    TrustedEntityOption.SIMPLE: ("S30",),
    TrustedEntityOption.COMPLEX: ("S32",),
}
#: Create / update MediaLiveAccessRole from the console (S29, S31): whoever holds them writes a role's trust
#: policy and inline policy, i.e. can make a role that trusts themselves with any permission. Granted only with
#: ``simple_role_write_equals_iam_admin=True`` on an operator group; never to the restricted administrator.
SIMPLE_ROLE_WRITE_ROWS: tuple[str, ...] = ("S29", "S31")
#: The workflow wizard (S15, S16, S20, S22, S23): creates a CloudFormation stack with a MediaConnect flow,
#: MediaPackage channel, MediaStore container and CloudFront distribution. Opt-in (``workflow_wizard=True``)
#: of ADVANCED and the administrator: what the wizard names its stacks and resources is not documented, so
#: CloudFormation is scoped to a stack-name prefix and the other services' deletes reach every resource of
#: those kinds in the account (docs/threat-model.md).
WIZARD_ROWS: tuple[str, ...] = ("S15", "S16", "S20", "S22", "S23")
#: Transfer a Link device to another account (S4.transfer, S36.transfer): IAM cannot limit the target account.
DEVICE_TRANSFER_ROWS: tuple[str, ...] = ("S4.transfer", "S36.transfer")
#: MediaLive Anywhere (N1-N3; requirements-for-emla): opt-in (``medialive_anywhere=True``, the same prop on
#: operator groups and the administrator), by tier: viewing for BASIC, channel placement groups (running channels
#: on a cluster) from READ_WRITE, the configuration of networks, clusters, nodes and SDI sources for ADVANCED.
ANYWHERE_ROWS: tuple[str, ...] = ("N1", "N2", "N3")
ANYWHERE_TIER_ROWS: dict[OperatorTier, tuple[str, ...]] = {
    OperatorTier.BASIC: ("N1",),
    OperatorTier.READ_WRITE: ("N1", "N2"),
    OperatorTier.ADVANCED: ("N1", "N2", "N3"),
}
#: Workflow monitor deployments (W4): opt-in (``workflow_monitor_deploy=True`` with
#: ``workflow_monitor_stack_prefix``) of ADVANCED and the administrator. AWS documents neither the stack's name nor
#: its alarms' and rules' names, so CloudFormation is scoped to a prefix the app gives, and the CloudWatch alarm and
#: EventBridge rule grants reach every alarm and rule of the account and region (docs/threat-model.md).
WORKFLOW_MONITOR_DEPLOY_ROWS: tuple[str, ...] = ("W4",)
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
#: Rows no tier gets by default, each behind an explicit prop of the constructs.
OPT_IN_ROWS: dict[str, tuple[str, ...]] = {
    "workflow_wizard": WIZARD_ROWS,
    "allow_device_transfer": DEVICE_TRANSFER_ROWS,
    "simple_role_write_equals_iam_admin": SIMPLE_ROLE_WRITE_ROWS,
    "medialive_anywhere": ANYWHERE_ROWS,
    "workflow_monitor_deploy": WORKFLOW_MONITOR_DEPLOY_ROWS,
}
#: Opt-ins whose rows depend on the tier (a custom category, tier None, gets all of OPT_IN_ROWS[prop]).
OPT_IN_TIER_ROWS: dict[str, dict[OperatorTier, tuple[str, ...]]] = {
    "medialive_anywhere": ANYWHERE_TIER_ROWS,
}
#: Opt-ins only ADVANCED (and the administrator, or a custom category) may take.
ADVANCED_ONLY_OPT_INS: tuple[str, ...] = ("workflow_wizard", "workflow_monitor_deploy")


def opt_in_rows(prop: str, tier: OperatorTier | None) -> tuple[str, ...]:
    """The rows the opt-in ``prop`` adds to ``tier`` (all of its rows for a custom category, ``tier=None``)."""
    by_tier = OPT_IN_TIER_ROWS.get(prop)
    if by_tier is not None and tier is not None:
        return expand(by_tier[tier])
    return expand(OPT_IN_ROWS[prop])


def tier_rows(tier: OperatorTier, option: TrustedEntityOption, *, workflow_wizard: bool = False,
              medialive_anywhere: bool = False, workflow_monitor_deploy: bool = False,
              allow_device_transfer: bool = False) -> tuple[str, ...]:
    """All rows of ``tier`` under ``option``: its activities plus the option's trusted-entity rows, minus
    what the option forbids, plus the rows of each opt-in given (``workflow_wizard``, ``medialive_anywhere``,
    ``workflow_monitor_deploy``). BASIC gets no trusted-entity rows: it creates no channels."""
    rows = [r for r in TIER_ROWS[tier] if r not in FORBIDDEN_BY_OPTION[option]]
    if tier is not OperatorTier.BASIC:
        rows += TRUSTED_ENTITY_ROWS[option]
    for prop, on in (("workflow_wizard", workflow_wizard), ("medialive_anywhere", medialive_anywhere),
                     ("workflow_monitor_deploy", workflow_monitor_deploy),
                     ("allow_device_transfer", allow_device_transfer)):
        if on:
            rows += [r for r in opt_in_rows(prop, tier) if r not in rows]
    return tuple(rows)


def _check_tiers(
    tier_rows_by_tier: dict[OperatorTier, tuple[str, ...]] | None = None,
    tier_never: dict[OperatorTier, tuple[str, ...]] | None = None,
    trusted_entity_rows: dict[TrustedEntityOption, tuple[str, ...]] | None = None,
) -> None:
    """Import-time guard: no tier both gets a row and must never get it, whether the row is one of its
    ``TIER_ROWS`` or comes with an option's ``TRUSTED_ENTITY_ROWS`` (which BASIC does not get, as in
    :func:`tier_rows`). The dicts default to this module's; tests pass their own."""
    granted = TIER_ROWS if tier_rows_by_tier is None else tier_rows_by_tier
    never_by_tier = TIER_NEVER if tier_never is None else tier_never
    trusted = TRUSTED_ENTITY_ROWS if trusted_entity_rows is None else trusted_entity_rows
    problems = []
    for tier in OperatorTier:
        never = set(never_by_tier.get(tier, ()))
        both = [r for r in granted.get(tier, ()) if r in never]
        if both:
            problems.append(f"tier {tier.name} has {', '.join(both)} both in TIER_ROWS and in TIER_NEVER")
        for prop, by_tier in OPT_IN_TIER_ROWS.items():
            both = [r for r in by_tier.get(tier, ()) if r in never]
            if both:
                problems.append(f"tier {tier.name} gets {', '.join(both)} through {prop}, but they are in its TIER_NEVER")
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
