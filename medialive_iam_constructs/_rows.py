"""The catalog rows a principal was given, recorded in the template (read by ``medialive_iam_constructs.testing``),
and the rows a statement's Sid names (:func:`sid_rows`).

Statement Sids name rows too, but the packer merges statements (``S27S28``) and splits them (``S32No2``), and a
row without resources in a workflow has no statement: the list in the principal's metadata is the exact set.
"""

from __future__ import annotations

import functools
import re
from typing import Mapping, Sequence

from aws_cdk import CfnResource

from . import catalog

#: Template metadata key on each group and role a construct of this library creates: the row ids, in order.
ROWS_METADATA_KEY = "medialive-iam:rows"


def record_rows(principal: CfnResource, rows: Sequence[str]) -> None:
    """``Metadata: {"medialive-iam:rows": [...]}`` on the principal's CloudFormation resource."""
    principal.add_metadata(ROWS_METADATA_KEY, list(rows))


@functools.lru_cache(maxsize=1)
def _sid_parts() -> Mapping[str, str]:
    """A row id as a Sid writes it (alphanumeric: ``S3.run`` -> ``S3run``) -> the row id."""
    return {"".join(c for c in r.id if c.isalnum()): r.id for r in catalog.ALL_ROWS}


def sid_rows(sid: str) -> tuple[str, ...]:
    """The catalog rows a Sid of the library names (``S27S28`` -> ``S27``, ``S28``; ``S32No2`` -> ``S32``);
    empty for a Sid that is not made of row ids."""
    parts = _sid_parts()
    body = re.sub(r"No\d+$", "", sid or "")

    @functools.lru_cache(maxsize=None)
    def split(i: int) -> tuple[str, ...] | None:
        if i == len(body):
            return ()
        for j in range(len(body), i, -1):
            if body[i:j] in parts:
                rest = split(j)
                if rest is not None:
                    return (parts[body[i:j]],) + rest
        return None

    return split(0) or ()
