"""medialive_iam_constructs/catalog/trusted_entity.py: the rows T1-T23 of what MediaLive itself needs, against AWS's
trusted-entity table (reference §1.4, the §8 corrections applied).

tests/test_catalog.py checks the actions and resource kinds against SAR and that T1-T4, T13, T17, T22 have no
grant; this file checks each row's content against the table, its read/write split and its scoping."""

from __future__ import annotations

import fnmatch

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.resources import LOG_GROUP, LOG_STREAM, MEDIALIVE_LOG_GROUP_NAME
from medialive_iam_constructs.catalog.trusted_entity import MANAGED_STAR_REASON, TRUSTED_ROWS


def _a(service: str, names: str) -> set[str]:
    return {f"{service}:{n}" for n in names.split()}


#: Reference §1.4 (CUR-TE): the actions per row, E7 ("CreateNetwork InterfacePermission") and E6 (ManagedDeleteOutput)
#: corrected. T23 is checked apart (the page attaches AmazonSSMReadOnlyAccess).
TRUSTED_TABLE: dict[str, set[str]] = {
    "T5": _a("logs", "CreateLogGroup CreateLogStream PutLogEvents PutMetricFilter PutRetentionPolicy DescribeLogStreams "
                     "DescribeLogGroups"),
    "T6": _a("ec2", "CreateNetworkInterface CreateNetworkInterfacePermission DescribeNetworkInterfaces "
                    "DescribeSecurityGroups DescribeSubnets"),
    "T7": _a("ec2", "DeleteNetworkInterface DeleteNetworkInterfacePermission DescribeNetworkInterfaces DescribeSubnets"),
    "T8": _a("ec2", "CreateNetworkInterface CreateNetworkInterfacePermission DeleteNetworkInterface DescribeSubnets "
                    "DescribeSecurityGroups DescribeAddresses"),
    "T9": _a("ec2", "AssociateAddress DescribeAddresses"),
    "T10": _a("elemental-inference", "GetMetadata PutMedia"),
    "T11": _a("mediaconnect", "ManagedDescribeFlow ManagedAddOutput"),
    "T12": _a("mediaconnect", "ManagedDescribeFlow ManagedRemoveOutput"),
    "T14": _a("mediapackage", "DescribeChannel"),
    "T15": _a("mediapackagev2", "PutObject"),
    "T16": _a("mediastore", "ListContainers DescribeObject PutObject GetObject DeleteObject"),
    "T18": _a("s3", "ListBucket PutObject GetObject DeleteObject"),
    "T19": _a("s3", "PutObject"),
    "T20": _a("secretsmanager", "GetSecretValue"),
    "T21": _a("secretsmanager", "GetSecretValue"),
}
#: Beyond the table: each named in its row's notes.
ADDED = {"T8": {"ec2:DescribeNetworkInterfaces"}, "T15": {"mediapackagev2:GetChannel"}}
NO_PERMISSION = {"T1", "T2", "T3", "T4", "T13", "T17", "T22"}
WRITES = {"s3:PutObject", "s3:DeleteObject", "mediastore:PutObject", "mediastore:DeleteObject"}


def _parts(base: str) -> list:
    return [r for r in TRUSTED_ROWS if r.base_id == base]


@pytest.mark.parametrize("base", sorted(TRUSTED_TABLE, key=lambda b: int(b[1:])))
def test_each_row_grants_what_aws_lists_and_adds_only_noted_actions(base):
    parts = [r for r in _parts(base) if r.source == "CUR-TE"]
    granted = {a for r in parts for a in r.actions}
    assert TRUSTED_TABLE[base] <= granted, sorted(TRUSTED_TABLE[base] - granted)
    assert granted - TRUSTED_TABLE[base] == ADDED.get(base, set())
    notes = " ".join(n for r in parts for n in r.notes)
    assert all(a in notes for a in ADDED.get(base, ())), base


def test_t23_grants_three_parameter_reads_within_the_pages_managed_policy():
    """The page attaches AmazonSSMReadOnlyAccess (ssm:Describe*, Get*, List* on '*'); the row reads the parameters."""
    actions = catalog.ROWS["T23"].actions
    assert set(actions) == _a("ssm", "GetParameter GetParameters GetParametersByPath")
    assert all(any(fnmatch.fnmatchcase(a, p) for p in ("ssm:Describe*", "ssm:Get*", "ssm:List*")) for a in actions)
    kms = catalog.ROWS["T23.kms"]
    assert (kms.source, kms.actions) == ("inferred", ("kms:Decrypt",)) and kms.notes[0].startswith("[inferred]")


def test_srt_input_passphrases_have_their_own_inferred_row_citing_the_user_guide():
    """T20 is AWS's row for SRT **output** passphrases; SRT inputs name a secret too (issue 23): T20.input, inferred,
    its sources the user guide's SRT input pages, the same grant as T20 (so a namespace's T20 statement covers it)."""
    from medialive_iam_constructs.catalog.trusted_entity import SAME_GRANTS_AS, SRT_INPUT_PREREQS, SRT_INPUT_SECRETS

    row, t20 = catalog.ROWS["T20.input"], catalog.ROWS["T20"]
    assert row.source.startswith("inferred") and SRT_INPUT_PREREQS in row.source and SRT_INPUT_SECRETS in row.source
    assert SRT_INPUT_PREREQS.startswith("https://docs.aws.amazon.com/medialive/latest/ug/")
    assert row.notes[0].startswith("[inferred]") and "output" in t20.title and "input" in row.title
    assert row.grants == t20.grants and SAME_GRANTS_AS == {"T20.input": "T20"}


def test_the_rows_are_t1_to_t23_in_order_and_from_the_trusted_table():
    bases = list(dict.fromkeys(r.base_id for r in TRUSTED_ROWS))
    assert bases == [f"T{i}" for i in range(1, 24)]
    assert len({r.id for r in TRUSTED_ROWS}) == len(TRUSTED_ROWS) and {r.table for r in TRUSTED_ROWS} == {"trusted"}


def test_exactly_the_rows_that_need_no_permission_have_no_grant():
    assert {r.id for r in TRUSTED_ROWS if not r.grants} == NO_PERMISSION
    for row in TRUSTED_ROWS:
        if row.id in NO_PERMISSION:
            assert row.notes == ("MediaLive needs no permission for this (users only).",)


def test_medialive_needs_no_medialive_action_and_gets_no_deny():
    assert [a for r in TRUSTED_ROWS for a in r.actions if a.startswith("medialive:")] == []
    assert {g.effect for r in TRUSTED_ROWS for g in r.grants} == {"Allow"}


def test_source_parts_only_read_and_destination_parts_also_write():
    for base in ("T16", "T18"):
        read, write = catalog.ROWS[f"{base}.read"], catalog.ROWS[f"{base}.write"]
        assert not set(read.actions) & WRITES, base
        assert set(read.actions) < set(write.actions) and set(write.actions) - set(read.actions) <= WRITES, base


def test_every_customer_resource_must_be_named_by_the_construct():
    """MediaLive's role never gets a bucket, secret, parameter, channel or ENI on the kind's '*': every grant with
    resource kinds must be bound, except CloudWatch Logs, whose group is always ElementalMediaLive."""
    for row in TRUSTED_ROWS:
        for grant in row.grants:
            if not grant.kinds:
                continue
            if set(grant.kinds) <= {LOG_GROUP, LOG_STREAM}:
                assert not grant.must_bind
                rendered = [a for k in grant.kinds for a in k.render_all(partition="aws", region="r", account="1")]
                assert all(f"log-group:{MEDIALIVE_LOG_GROUP_NAME}" in a for a in rendered), rendered
            else:
                assert grant.must_bind, (row.id, grant.actions)


def test_mediaconnect_managed_actions_stay_on_star_with_the_recorded_reason():
    for row_id in ("T11", "T12"):
        (grant,) = catalog.ROWS[row_id].grants
        assert grant.on_star and grant.star_reason == MANAGED_STAR_REASON
    assert "E14" in MANAGED_STAR_REASON


def test_what_the_page_says_is_not_needed_is_not_granted():
    """T9: the EIP is released with the ENI (no DisassociateAddress); E6: ManagedDeleteOutput is not an action."""
    actions = {a.lower() for r in TRUSTED_ROWS for a in r.actions}
    assert "ec2:disassociateaddress" not in actions and "mediaconnect:manageddeleteoutput" not in actions
    assert any("E9" in n for n in catalog.ROWS["T5"].notes) and any("E7" in n for n in catalog.ROWS["T6"].notes)
