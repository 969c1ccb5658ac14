"""The catalog rows a principal was given, recorded in the template (read by ``medialive_iam_constructs.testing``).

Statement Sids name rows too, but the packer merges statements (``S27S28``) and splits them (``S32No2``), and a
row without resources in a workflow has no statement: the list in the principal's metadata is the exact set.
"""

from __future__ import annotations

from typing import Sequence

from aws_cdk import CfnResource

#: Template metadata key on each group and role a construct of this library creates: the row ids, in order.
ROWS_METADATA_KEY = "medialive-iam:rows"


def record_rows(principal: CfnResource, rows: Sequence[str]) -> None:
    """``Metadata: {"medialive-iam:rows": [...]}`` on the principal's CloudFormation resource."""
    principal.add_metadata(ROWS_METADATA_KEY, list(rows))
