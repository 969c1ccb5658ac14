"""An operator group's rows in the catalog (``catalog/tiers.py``): :func:`endpoint_rows`, :func:`granted_rows` and
:func:`group_rows`, and the opt-ins' :func:`split_stack_rows` they use (no CDK)."""

from __future__ import annotations

from medialive_iam_constructs.catalog.opt_ins import split_stack_rows
from medialive_iam_constructs.catalog.tiers import (
    PASS_ROLE_ROW,
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
