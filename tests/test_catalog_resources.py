"""``catalog/resources.py``: the resource kinds are SAR's ARN formats verbatim, and render to ARNs."""

from __future__ import annotations

import re

import pytest

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog.resources import ML_CHANNEL
from tests.helpers import resource_formats


def test_kind_formats_are_sar_formats():
    """Every kind the catalog uses is an ARN format SAR gives for at least one of the actions on it."""
    used = {k for r in catalog.ALL_ROWS for g in r.grants for k in g.kinds}
    for kind in used:
        assert re.match(r"^arn:\$\{Partition\}:", kind.arn_format)
        assert any(kind.arn_format in resource_formats(a) for r in catalog.ALL_ROWS for g in r.grants
                   if kind in g.kinds for a in g.actions), kind.key


def test_kind_rendering():
    assert ML_CHANNEL.render(partition="aws", region="us-west-2", account="111122223333") == (
        "arn:aws:medialive:us-west-2:111122223333:channel:*"
    )
    assert catalog.resources.LOG_STREAM.render(partition="aws", region="r", account="1") == (
        "arn:aws:logs:r:1:log-group:ElementalMediaLive:log-stream:*"
    )
    with pytest.raises(KeyError):
        ML_CHANNEL.render(partition="aws", region="r", account="1", BucketName="x")
