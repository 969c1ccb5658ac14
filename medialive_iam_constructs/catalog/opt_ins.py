"""The opt-ins: rows no tier gets by default, each behind one prop of the constructs, as one table (issue 20).

An entry says everything a construct needs to turn the opt-in on, and everything the proof needs to enumerate it:
the prop, the rows it adds to each tier that may take it (a tier absent from ``tier_rows`` must never get them; a
custom category gets them all), whether the restricted administrator takes the same prop, the trusted-entity option
it belongs to, the prop that names its CloudFormation stacks (their statements are made apart, bound to
``stack/<prefix>*/*`` and guarded by S15.guard), and what it reaches beyond the default (its cost, which the
threat model and the constructs' docstrings repeat). ``MediaLiveOperatorGroup`` and ``RestrictedAdmin`` read only
this table; the generated proof enumerates it (``tests/proof/personas.py``, ``opt_in_configs``), so a new opt-in
enters the proof with nobody writing a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Mapping

from . import ROWS, expand
from .tiers import TIER_NEVER, OperatorTier, TrustedEntityOption

_B, _RW, _ADV = OperatorTier.BASIC, OperatorTier.READ_WRITE, OperatorTier.ADVANCED


@dataclass(frozen=True)
class OptIn:
    """One opt-in of the constructs.

    :param prop: the construct prop (``bool``) that turns it on, the same on every construct that takes it.
    :param title: what it grants, as a noun phrase ("the workflow wizard's rows (S15, ...)").
    :param tier_rows: the rows it adds to each tier that may take it; a tier absent here must never get them.
    :param admin: ``RestrictedAdmin`` takes the same prop (it gets ADVANCED's rows of the opt-in).
    :param option: the trusted-entity option it belongs to (``None``: both).
    :param stack_prefix_prop: the prop naming its CloudFormation stacks (``stack/<prefix>*/*``); ``None`` when it
        makes no stacks.
    :param default_stack_prefix: that prop's default (``None``: the prop is required, AWS documents no name).
    :param cost: what it reaches beyond the default, in one sentence (docs/threat-model.md, the docstrings).
    """

    prop: str
    title: str
    tier_rows: Mapping[OperatorTier, tuple[str, ...]]
    admin: bool
    cost: str
    option: TrustedEntityOption | None = None
    stack_prefix_prop: str | None = None
    default_stack_prefix: str | None = None

    @cached_property
    def rows(self) -> tuple[str, ...]:
        """Every row the opt-in can add (a custom category, ``tier=None``, gets them all)."""
        return expand(r for rows in self.tier_rows.values() for r in rows)

    def rows_for(self, tier: OperatorTier | None) -> tuple[str, ...]:
        """The rows it adds to ``tier`` (all of them for a custom category); empty for a tier that may not take it."""
        return self.rows if tier is None else expand(self.tier_rows.get(tier, ()))

    @cached_property
    def services(self) -> tuple[str, ...]:
        """The IAM services its rows grant (the proof pairs opt-ins that share one)."""
        return tuple(sorted({s for r in self.rows for s in ROWS[r].services}))


#: MediaLive's documented default name prefix of the workflow wizard's stacks.
DEFAULT_WIZARD_STACK_PREFIX = "MediaLiveWorkflow-"

OPT_INS: tuple[OptIn, ...] = (
    OptIn(
        "workflow_wizard", "the workflow wizard's rows (S15, S16, S20, S22, S23)",
        {_ADV: ("S15", "S16", "S20", "S22", "S23")}, admin=True,
        stack_prefix_prop="workflow_wizard_stack_prefix", default_stack_prefix=DEFAULT_WIZARD_STACK_PREFIX,
        cost="CloudFormation stacks under the wizard's prefix run with the caller's own permissions (no service role); "
             "the MediaConnect, MediaPackage, MediaStore and CloudFront deletes reach every flow, channel, container "
             "and distribution of the account, whose names the wizard does not document",
    ),
    OptIn(
        "allow_device_transfer", "the rows that transfer Link devices to another account (S4.transfer, S36.transfer)",
        {_ADV: ("S4.transfer", "S36.transfer")}, admin=True,
        cost="IAM cannot limit the account a device is transferred to",
    ),
    OptIn(
        "simple_role_write_equals_iam_admin", "the rows that create and rewrite MediaLiveAccessRole (S29, S31)",
        {_RW: ("S29", "S31"), _ADV: ("S29", "S31")}, admin=False, option=TrustedEntityOption.SIMPLE,
        cost="whoever writes a role's trust and inline policy can make it trust themselves with any permission: "
             "IAM administration",
    ),
    OptIn(
        "medialive_anywhere", "MediaLive Anywhere's rows (N1 viewing, N2 channel placement groups, N3 configuration)",
        {_B: ("N1",), _RW: ("N1", "N2"), _ADV: ("N1", "N2", "N3")}, admin=True,
        cost="networks, clusters, nodes and SDI sources of the account (tag-scoped groups: only those with their tag)",
    ),
    OptIn(
        "workflow_monitor_deploy", "workflow monitor's deployment rows (W4)",
        {_ADV: ("W4",)}, admin=True, stack_prefix_prop="workflow_monitor_stack_prefix",
        cost="CloudFormation stacks under the monitor's prefix, of CloudWatch alarms and EventBridge rules only, "
             "alarm and rule writes only through CloudFormation; a stack under the prefix that someone outside the "
             "library made with a service role runs UpdateStack under that stored role",
    ),
)
#: The table by prop.
BY_PROP: dict[str, OptIn] = {o.prop: o for o in OPT_INS}
#: The guard rail of the opt-ins that make CloudFormation stacks: never CDKToolkit, the app's stack or a StackSet
#: instance (the construct binds it once, after their rows).
STACK_GUARD_ROW = "S15.guard"
#: The CDK bootstrap stack: never reachable through the wizard's rows (S15.guard).
CDK_TOOLKIT_STACK = "CDKToolkit"
#: The stacks a StackSet runs in an account are named ``StackSet-<stack set name>-<id>`` (the organization mode's
#: baseline among them, under the StackSet's own role): never reachable either (S15.guard, issue 20 finding 5).
STACK_SET_INSTANCE_PREFIX = "StackSet-"


@dataclass(frozen=True)
class TagScopeOptIn:
    """A prop of a tag-scoped ``MediaLiveOperatorGroup`` that gives back what tag scoping leaves out because IAM
    cannot scope it to a tag (no resource type). Meaningless without ``resource_tag`` (synth fails).

    :param prop: the construct prop (``bool``).
    :param title: what it gives back.
    :param cost: what the group then reaches beyond its tag.
    """

    prop: str
    title: str
    cost: str


TAG_SCOPE_OPT_INS: tuple[TagScopeOptIn, ...] = (
    TagScopeOptIn("allow_batch_operations", "the batch rows S3.run and S3.delete (BatchStart, BatchStop, BatchDelete)",
                  "the group can batch start, stop or delete every channel, input and multiplex of the account"),
    TagScopeOptIn("mediapackage_channel_listing", "mediapackage:ListChannels (S21, S22: the v1 dropdown)",
                  "it returns every MediaPackage v1 channel of the account with its ingest user names and passwords"),
)


def opt_in_rows(opted: Mapping[str, bool], tier: OperatorTier | None) -> tuple[str, ...]:
    """The rows the opt-ins turned on in ``opted`` add to ``tier``, in table order."""
    return expand(r for o in OPT_INS if opted.get(o.prop) for r in o.rows_for(tier))


def split_stack_rows(rows: Iterable[str], opted: Mapping[str, bool]
                     ) -> tuple[tuple[str, ...], tuple[tuple[OptIn, tuple[str, ...]], ...]]:
    """``rows`` bound to the construct's own resources, and for each opt-in turned on that names its stacks
    (``OptIn.stack_prefix_prop``), the rows bound to its own stack prefix (their statements are made apart, so that
    the wizard's and the monitor's stacks never share a prefix)."""
    rows = tuple(rows)
    stacked = [(o, tuple(r for r in rows if r in o.rows)) for o in OPT_INS if o.stack_prefix_prop and opted.get(o.prop)]
    taken = {r for _, own in stacked for r in own}
    return tuple(r for r in rows if r not in taken), tuple((o, own) for o, own in stacked if own)


def _check(opt_ins: tuple[OptIn, ...] = OPT_INS) -> None:
    """Import-time guard: every row exists, no tier gets through an opt-in a row it must never get, and props are
    unique. Tests pass their own table."""
    problems = []
    if len({o.prop for o in opt_ins}) != len(opt_ins):
        problems.append("two entries share a prop")
    for o in opt_ins:
        for tier, rows in o.tier_rows.items():
            unknown = [r for r in rows if r not in ROWS and not any(x.split(".")[0] == r for x in ROWS)]
            if unknown:
                problems.append(f"{o.prop}: unknown rows {', '.join(unknown)}")
                continue
            never = [r for r in expand(rows) if r in TIER_NEVER[tier]]
            if never:
                problems.append(f"tier {tier.name} gets {', '.join(never)} through {o.prop}, but they are in its "
                                "TIER_NEVER")
    if problems:
        raise RuntimeError("catalog/opt_ins.py: " + "; ".join(problems))


_check()
