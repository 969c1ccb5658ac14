"""The restricted administrator's rows in the catalog (``catalog/admin.py``): the table of its own rows, which prop
adds which, and :func:`admin_rows`, which composes them with the ADVANCED tier and the opt-ins (no CDK)."""

from __future__ import annotations

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.admin import (
    ADMIN_TABLE,
    PASSWORD_ROW,
    USER_BOUNDARY,
    USER_BOUNDARY_TABLE,
    AdminOptions,
    admin_rows,
    user_boundary_condition,
)
from medialive_iam_constructs.catalog.opt_ins import OPT_INS
from medialive_iam_constructs.catalog.tiers import OperatorTier, TrustedEntityOption, tier_rows

COMPLEX, SIMPLE = TrustedEntityOption.COMPLEX, TrustedEntityOption.SIMPLE
OFF = {o.prop: False for o in OPT_INS if o.admin}
DEFAULT_OWN = ("A1", "A2", "A4", "A5", "A5.trust", "A6", "A7", "M4",
               "A8.boundary", "A8.create", "A8.self", "A8.assume", "A8.access-role")


def rows(**kw) -> catalog.model.PrincipalRows:
    opted = {**OFF, **{k: kw.pop(k) for k in list(kw) if k in OFF}}
    return admin_rows(AdminOptions(kw.pop("trusted_entity", COMPLEX), opted=opted, **kw))


def test_every_entry_is_an_admin_row_of_the_catalog():
    for entry in ADMIN_TABLE + USER_BOUNDARY_TABLE:
        assert catalog.ROWS[entry.row].table == "admin", entry
        assert entry.binds in {"managed", "account", "role_path", "own", "own_user"}, entry
        assert entry.when is None or entry.when in AdminOptions.__dataclass_fields__, entry
    assert len({e.row for e in ADMIN_TABLE}) == len(ADMIN_TABLE)


def test_default_rows_are_advanced_then_the_table():
    composed = rows()
    advanced = tier_rows(OperatorTier.ADVANCED, COMPLEX)
    assert composed.ids == advanced + DEFAULT_OWN
    assert composed.main == advanced and composed.stacked == () and composed.password == ()


def test_own_rows_group_by_what_they_bind_in_the_order_of_their_first_row():
    assert rows().own == (
        ("managed", ("A1", "A2", "A4", "A5", "A5.trust", "A6", "A7", "M4")),
        ("account", ("A8.boundary", "A8.access-role")),
        ("role_path", ("A8.create", "A8.assume")),
        ("own", ("A8.self",)),
    )


@pytest.mark.parametrize("prop,value,row,after", [
    ("allow_access_keys", True, "A3", "A2"),
    ("require_user_boundary", True, "A1.boundary", "A1"),
])
def test_a_prop_adds_its_row_in_place(prop, value, row, after):
    assert row not in rows().ids
    ids = rows(**{prop: value}).ids
    assert ids[ids.index(after) + 1] == row


def test_role_creation_is_on_by_default():
    assert "A5.trust" in rows().ids
    assert "A5.trust" not in rows(allow_role_creation=False).ids
    assert dict(rows(allow_role_creation=False).own)["managed"] == ("A1", "A2", "A4", "A5", "A6", "A7", "M4")


def test_console_users_add_a9_last():
    composed = rows(console_users=True)
    assert composed.ids[-1] == PASSWORD_ROW and composed.password == (PASSWORD_ROW,)
    assert PASSWORD_ROW not in {r for _, own in composed.own for r in own}


def test_stack_making_opt_ins_come_after_the_tier_and_bring_the_guard():
    composed = rows(workflow_wizard=True, allow_device_transfer=True, workflow_monitor_deploy=True, console_users=True)
    stacked = [r for _, own in composed.stacked for r in own]
    assert [o.prop for o, _ in composed.stacked] == ["workflow_wizard", "workflow_monitor_deploy"]
    assert stacked == ["S15", "S16", "S20", "S22", "S23", "W4"]
    assert "S4.transfer" in composed.main and not set(stacked) & set(composed.main)
    n = len(composed.main)
    assert composed.ids[:n] == composed.main and list(composed.ids[n:n + len(stacked)]) == stacked
    assert composed.ids[-2:] == ("S15.guard", PASSWORD_ROW)


def test_endpoints_add_s40_endpoints_after_s40():
    ids = rows(notification_endpoints=True).ids
    assert ids[ids.index("S40") + 1] == "S40.endpoints"
    assert "S40.endpoints" not in rows().ids


def test_simple_option_takes_the_simple_rows():
    ids = rows(trusted_entity=SIMPLE).ids
    assert "S30" in ids and "S32" not in ids


def test_every_admin_opt_in_must_be_given():
    with pytest.raises(AssertionError, match="RestrictedAdmin takes every admin opt-in"):
        admin_rows(AdminOptions(COMPLEX, opted={"workflow_wizard": True}))


def test_user_boundary_condition_only_on_creating_users():
    a1 = catalog.ROWS["A1"]
    create, *others = a1.grants
    assert user_boundary_condition(a1, create) == {"StringEquals": {"iam:PermissionsBoundary": USER_BOUNDARY}}
    assert [user_boundary_condition(a1, g) for g in others] == [None] * len(others)
    a2 = catalog.ROWS["A2"]
    assert user_boundary_condition(a2, a2.grants[0]) is None
