"""medialive_iam_constructs/catalog/model.py: the shape of a catalog entry, ``Row`` made of ``Grant`` s, and what
the rest of the library reads from it (``on_star``, ``base_id``, ``actions``, ``services``)."""

from __future__ import annotations

import dataclasses

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.model import Grant, Row
from medialive_iam_constructs.catalog.resources import ML_CHANNEL, S3_OBJECT


def _row(row_id: str, *grants: Grant) -> Row:
    return Row(row_id, "title", "test", grants, "user")


def test_a_grant_without_kinds_is_on_star_and_defaults_to_an_unbound_allow():
    star = Grant(("medialive:ListChannels",))
    assert star.on_star is True
    assert (star.effect, star.must_bind, star.star_reason, dict(star.identifiers), dict(star.conditions)) == (
        "Allow", False, None, {}, {})
    assert Grant(("medialive:StartChannel",), (ML_CHANNEL,)).on_star is False


@pytest.mark.parametrize("row_id,base", [("S3.run", "S3"), ("S21.v2", "S21"), ("T23.kms", "T23"), ("S6b", "S6b"),
                                         ("S15.guard", "S15"), ("A8.access-role", "A8")])
def test_base_id_is_the_aws_table_row_before_the_first_dot(row_id, base):
    assert _row(row_id).base_id == base


def test_actions_are_unique_in_the_order_the_grants_name_them():
    row = _row("X1", Grant(("s3:ListBucket", "s3:GetObject")), Grant(("s3:PutObject", "s3:GetObject"), (S3_OBJECT,)),
               Grant(("kms:Decrypt",)))
    assert row.actions == ("s3:ListBucket", "s3:GetObject", "s3:PutObject", "kms:Decrypt")
    assert _row("T1").actions == () and _row("T1").services == ()


def test_services_are_the_sorted_distinct_prefixes():
    row = _row("X1", Grant(("ssm:GetParameter", "kms:Decrypt", "ssm:GetParameters", "elemental-inference:GetFeed")))
    assert row.services == ("elemental-inference", "kms", "ssm")


def test_rows_and_grants_are_frozen():
    row = catalog.ROWS["S10"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.grants = ()
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.grants[0].must_bind = True
    assert row.grants[0].must_bind is False


def test_the_catalogs_rows_read_as_documented():
    """A catalog row through the model: S3.run belongs to S3, S13's tag actions are on four kinds of MediaLive."""
    s3_run, s13, t23_kms = catalog.ROWS["S3.run"], catalog.ROWS["S13"], catalog.ROWS["T23.kms"]
    assert s3_run.base_id == "S3" and s3_run.grants[0].on_star
    assert s13.actions == ("medialive:CreateTags", "medialive:DeleteTags", "medialive:ListTagsForResource")
    assert s13.services == ("medialive",) and len(s13.grants[0].kinds) == 4
    assert (t23_kms.base_id, t23_kms.services, t23_kms.table) == ("T23", ("kms",), "trusted")
