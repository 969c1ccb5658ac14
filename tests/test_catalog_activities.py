"""medialive_iam_constructs/catalog/activities.py: the user rows S1-S42 (and F3) against AWS's summary table
(reference §1.3, with the §8 corrections), and the tables of actions the constructs read from this module.

tests/test_catalog.py checks each action and resource against SAR and that every row id exists; this file checks
that each row holds what AWS's table lists for it, that what it adds is noted, and the module's other data."""

from __future__ import annotations

import fnmatch

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog import activities
from medialive_iam_constructs.catalog.activities import (
    CREDENTIAL_READS,
    MEDIALIVE_SERVICE,
    PATH_READS,
    SIMPLE_ROLE_NAME,
    SSM_READ_ONLY_POLICY_ARN,
    TAG_IN_REQUEST,
    TAG_ON_CREATE,
    TAG_SCOPED_KINDS,
    TAG_WRITE_ACTIONS,
    UNSCOPABLE_CREDENTIAL_READS,
    UNSCOPABLE_ROWS,
    USER_ROWS,
    ml,
)
from medialive_iam_constructs.catalog.resources import CFN_STACK, EVENTS_RULE, IAM_ROLE, SNS_TOPIC, SSM_PARAMETER


def _a(service: str, names: str) -> set[str]:
    return {f"{service}:{n}" for n in names.split()}


_ML = "medialive"
#: Reference §1.3 (CUR-SUM) and §1.2 F3: the actions AWS's table lists per row, its misspellings corrected
#: (E1 ListRole -> ListRoles, E2 CreateTag -> CreateTags, E3 ListTagsForResources -> ListTagsForResource,
#: E4 DescribeDistribution -> GetDistribution). Rows listing wildcards (S20-S23), "all actions" (S26, S40) or no
#: action of their own (S11) are checked apart.
SUMMARY_TABLE: dict[str, set[str]] = {
    "S1": _a(_ML, "CreateChannel CreateInput CreateInputSecurityGroup DeleteChannel DeleteInput DeleteInputSecurityGroup "
                  "UpdateChannel UpdateInput UpdateInputDevice UpdateInputSecurityGroup"),
    "S2": _a(_ML, "ListChannels ListInputDevices ListInputs ListInputSecurityGroups DescribeChannel DescribeInput "
                  "DescribeInputDevice DescribeInputDeviceThumbnail DescribeInputSecurityGroup"),
    "F3": _a(_ML, "ListAlerts ListClusterAlerts ListMultiplexAlerts"),
    "S3": _a(_ML, "BatchDelete BatchStart BatchStop"),
    "S4": _a(_ML, "AcceptInputDeviceTransfer CancelInputDeviceTransfer ListInputDeviceTransfers "
                  "RejectInputDeviceTransfer TransferInputDevice"),
    "S5": _a(_ML, "DescribeSchedule BatchUpdateSchedule"),
    "S6": _a(_ML, "CreateMultiplex DescribeMultiplex ListMultiplexes UpdateMultiplex"),
    "S6b": _a("ec2", "DescribeAvailabilityZones"),
    "S7": _a(_ML, "DeleteMultiplex DescribeMultiplex ListMultiplexes"),
    "S8": _a(_ML, "DescribeMultiplex ListMultiplexes"),
    "S9": _a(_ML, "UpdateChannelClass"),
    "S10": _a(_ML, "StartChannel StopChannel"),
    "S12": _a(_ML, "StartMultiplex StopMultiplex"),
    "S13": _a(_ML, "CreateTags DeleteTags ListTagsForResource"),
    "S14": _a(_ML, "DeleteReservation DescribeOffering DescribeReservation ListOfferings ListReservations "
                   "PurchaseOffering"),
    "S15": _a("cloudformation", "ListStacks DescribeStacks DescribeStackResources CreateStack DeleteStack"),
    "S16": _a("cloudfront", "ListDistributions GetDistribution CreateDistribution DeleteDistribution"),
    "S17": _a("ec2", "DescribeSubnets DescribeSecurityGroups"),
    "S18": _a("ec2", "DescribeSubnets DescribeSecurityGroups"),
    "S19": _a("ec2", "DescribeAddresses"),
    "S24": _a("secretsmanager", "ListSecrets"),
    "S25": _a("cloudwatch", "ListMetrics GetMetricData GetMetricStatistics"),
    "S27": _a("logs", "FilterLogEvents GetLogEvents"),
    "S28": _a("logs", "DeleteRetentionPolicy PutRetentionPolicy"),
    "S29": _a("iam", "CreateRole PutRolePolicy AttachRolePolicy"),
    "S30": _a("iam", "ListRoles PassRole"),
    "S31": _a("iam", "GetRolePolicy PutRolePolicy AttachRolePolicy"),
    "S32": _a("iam", "PassRole"),
    "S33": _a("elemental-inference", "CreateFeed DeleteFeed GetFeed ListFeeds UpdateFeed"),
    "S34": _a("elemental-inference", "AssociateFeed DisassociateFeed GetFeed"),
    "S35": _a(_ML, "DescribeInputDevice DescribeInputDeviceThumbnail ListInputDevices RebootInputDevice "
                   "StartInputDeviceMaintenanceWindow StartInputDevice StopInputDevice UpdateInputDevice"),
    "S36": _a(_ML, "AcceptInputDeviceTransfer CancelInputDeviceTransfer ClaimDevice ListInputDeviceTransfers "
                   "RejectInputDeviceTransfer TransferInputDevice"),
    "S37": _a("mediaconnect", "ListFlows"),
    "S38": _a("iam", "ListRoles"),
    "S39": _a("secretsmanager", "ListSecrets"),
    "S41": _a("ssm", "DeleteParameter DeleteParameters DescribeParameters GetParameter GetParameterHistory "
                     "GetParameters GetParametersByPath PutParameter"),
    "S42": _a("ssm", "DescribeParameters"),
}
#: Beyond AWS's table, per row: each is named in its row's notes or marked [inferred] there.
ADDED: dict[str, set[str]] = {
    "S2": _a(_ML, "DescribeThumbnails"),
    "S5": _a(_ML, "DeleteSchedule"),
    "S6": _a(_ML, "CreateMultiplexProgram UpdateMultiplexProgram DeleteMultiplexProgram DescribeMultiplexProgram "
                  "ListMultiplexPrograms"),
    "S8": _a(_ML, "DescribeMultiplexProgram ListMultiplexPrograms"),
    "S14": _a(_ML, "UpdateReservation"),
    "S27": _a("logs", "DescribeLogStreams DescribeLogGroups"),
}
#: Rows where AWS's table lists wildcards (reference §1.3): the service and the patterns.
WILDCARD_ROWS = {"S20": ("mediaconnect", "List* Describe* Create* Delete*"), "S21": ("mediapackage", "Describe*"),
                 "S22": ("mediapackage", "List* Describe* Create* Delete*"),
                 "S23": ("mediastore", "List* Describe* Create* Delete*")}


def _parts(base: str) -> list:
    return [r for r in USER_ROWS if r.base_id == base]


def _allowed(base: str) -> set[str]:
    """What the rows of ``base`` grant (a guard rail part such as S15.guard denies)."""
    return {a for r in _parts(base) for g in r.grants if g.effect == "Allow" for a in g.actions}


@pytest.mark.parametrize("base", sorted(SUMMARY_TABLE, key=lambda b: (len(b), b)))
def test_each_row_grants_what_aws_lists_and_adds_only_noted_actions(base):
    granted = _allowed(base)
    assert SUMMARY_TABLE[base] <= granted, sorted(SUMMARY_TABLE[base] - granted)
    assert granted - SUMMARY_TABLE[base] == ADDED.get(base, set())
    for action in ADDED.get(base, ()):
        (row,) = [r for r in _parts(base) if action in r.actions and not set(r.actions) <= SUMMARY_TABLE[base]]
        notes = " ".join(row.notes)
        assert "[inferred]" in notes or action.split(":")[1] in notes, (row.id, action)


@pytest.mark.parametrize("base", sorted(WILDCARD_ROWS))
def test_wildcard_rows_are_spelled_out_within_the_doc_s_patterns(base):
    service, patterns = WILDCARD_ROWS[base]
    granted = _allowed(base)
    assert granted and {a.split(":")[0] for a in granted} == {service}
    outside = [a for a in granted if not any(fnmatch.fnmatchcase(a.split(":")[1], p) for p in patterns.split())]
    notes = " ".join(n for r in _parts(base) for n in r.notes)
    assert all(a in notes for a in outside), outside  # S21's ListChannels: the dropdown must list ([inferred])


def test_all_actions_rows_are_deviations_on_their_service_only():
    """S26 and S40: AWS grants CloudWatchEventsFullAccess and AmazonSNSFullAccess; the rows name the actions."""
    for base, service in (("S26", "events"), ("S40", "sns")):
        assert {a.split(":")[0] for a in _allowed(base)} == {service}
        assert _parts(base)[0].notes[0].startswith("Deviation:")


def test_pause_has_no_action_of_its_own_it_is_a_schedule_action():
    assert catalog.ROWS["S11"].actions == ("medialive:BatchUpdateSchedule",)
    assert set(catalog.ROWS["S11"].actions) <= _allowed("S5")


def test_no_action_is_a_wildcard_so_no_future_action_is_granted_unseen():
    assert [a for r in USER_ROWS for a in r.actions if "*" in a or "?" in a] == []


def test_user_rows_are_in_table_order_unique_and_from_the_users_table():
    ids = [r.id for r in USER_ROWS]
    assert len(ids) == len(set(ids))
    numbers = [int(r.base_id[1:].rstrip("b")) for r in USER_ROWS if r.base_id.startswith("S")]
    assert numbers == sorted(numbers) and numbers[0] == 1 and numbers[-1] == 42
    assert {r.table for r in USER_ROWS} == {"user"}


def test_rows_not_from_aws_tables_are_marked_inferred():
    assert {r.source for r in USER_ROWS} == {"CUR-SUM", "CUR-FEAT", "SAR", "inferred"}
    for row in USER_ROWS:
        if row.source in ("SAR", "inferred"):
            assert row.notes and row.notes[0].startswith("[inferred]"), row.id


def test_pass_role_goes_to_medialive_only_and_never_on_star():
    grants = [(r.id, g) for r in USER_ROWS for g in r.grants if "iam:PassRole" in g.actions]
    assert sorted(rid for rid, _ in grants) == ["S30", "S32"]
    for _, grant in grants:
        assert grant.kinds == (IAM_ROLE,) and grant.actions == ("iam:PassRole",)
        assert dict(grant.conditions) == {"StringEquals": {"iam:PassedToService": MEDIALIVE_SERVICE}}
    assert MEDIALIVE_SERVICE == "medialive.amazonaws.com"


def test_the_simple_options_iam_rows_reach_only_medialive_access_role_and_the_ssm_policy():
    assert SIMPLE_ROLE_NAME == "MediaLiveAccessRole"
    assert SSM_READ_ONLY_POLICY_ARN == "arn:${Partition}:iam::aws:policy/AmazonSSMReadOnlyAccess"
    for row_id in ("S29", "S30", "S31"):
        for grant in catalog.ROWS[row_id].grants:
            if grant.actions == ("iam:ListRoles",):
                continue
            assert dict(grant.identifiers) == {"RoleNameWithPath": SIMPLE_ROLE_NAME}, row_id
            if "iam:AttachRolePolicy" in grant.actions:
                assert dict(grant.conditions) == {"ArnEquals": {"iam:PolicyARN": SSM_READ_ONLY_POLICY_ARN}}


def test_kinds_the_constructs_bind_are_never_rendered_from_the_catalog():
    """Stacks, rules, topics, parameters and passed roles are the construct's (scopes.py binds them): never '*'."""
    bound = (CFN_STACK, EVENTS_RULE, SNS_TOPIC, SSM_PARAMETER, IAM_ROLE)
    for row in USER_ROWS:
        for grant in row.grants:
            if set(grant.kinds) & set(bound) and not grant.identifiers:
                assert grant.must_bind, (row.id, grant.actions)


def test_tag_scoping_tables_name_actions_the_rows_grant():
    granted = {a for r in catalog.ALL_ROWS for g in r.grants if g.effect == "Allow" for a in g.actions}
    assert set(TAG_ON_CREATE) <= granted and set(TAG_IN_REQUEST) <= granted
    assert set(TAG_ON_CREATE.values()) <= set(TAG_SCOPED_KINDS)
    assert set(TAG_WRITE_ACTIONS) <= set(catalog.ROWS["S13"].actions)
    assert TAG_WRITE_ACTIONS == ml("CreateTags", "DeleteTags")


def test_credential_reads_are_granted_on_their_kind_and_unscopable_ones_only_on_star():
    for action, kind in CREDENTIAL_READS.items():
        assert any(action in g.actions and kind in g.kinds for r in USER_ROWS for g in r.grants), action
    for action in PATH_READS:
        assert all(g.kinds == (SSM_PARAMETER,) for r in USER_ROWS for g in r.grants if action in g.actions)
    for action in UNSCOPABLE_CREDENTIAL_READS:
        grants = [g for r in USER_ROWS for g in r.grants if action in g.actions]
        assert grants and all(g.on_star for g in grants), action
    for row_id in UNSCOPABLE_ROWS:
        assert catalog.ROWS[row_id].grants and all(g.on_star for g in catalog.ROWS[row_id].grants), row_id


def test_ml_prefixes_medialive():
    assert ml("StartChannel", "StopChannel") == ("medialive:StartChannel", "medialive:StopChannel")
    assert activities._a("ec2", "DescribeSubnets") == ("ec2:DescribeSubnets",)
