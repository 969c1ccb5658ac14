"""The permission catalog: AWS's tables, row by row, as data (no CDK).

``ROWS`` maps a row id to its :class:`Row`; :func:`rows` expands ids to rows, where a base id (``S3``)
stands for all of its parts (``S3.run``, ``S3.delete``).
"""

from __future__ import annotations

from typing import Iterable

from .activities import MEDIALIVE_SERVICE, SIMPLE_ROLE_NAME, SSM_READ_ONLY_POLICY_ARN, USER_ROWS
from .admin import ADMIN_ROWS
from .console_template import CONSOLE_TEMPLATE_STATEMENTS
from .newer_features import FEATURE_ADMIN_ROWS, FEATURE_NODE_ROWS, FEATURE_USER_ROWS
from .model import Grant, Row
from .resources import ALL_KINDS, MEDIALIVE_LOG_GROUP_NAME, Kind
from .trusted_entity import TRUSTED_ROWS

ALL_ROWS: tuple[Row, ...] = (
    USER_ROWS + FEATURE_USER_ROWS + TRUSTED_ROWS + ADMIN_ROWS + FEATURE_ADMIN_ROWS + FEATURE_NODE_ROWS
)
ROWS: dict[str, Row] = {r.id: r for r in ALL_ROWS}
if len(ROWS) != len(ALL_ROWS):  # pragma: no cover - guards the data itself
    raise RuntimeError("duplicate row id in the catalog")


def expand(ids: Iterable[str]) -> tuple[str, ...]:
    """Row ids, with a base id (``S3``) replaced by its parts (``S3.delete``, ``S3.run``). Order-preserving."""
    out: dict[str, None] = {}
    for i in ids:
        if i in ROWS:
            out.setdefault(i, None)
            continue
        parts = [r.id for r in ALL_ROWS if r.base_id == i]
        if not parts:
            raise KeyError(i)
        for p in parts:
            out.setdefault(p, None)
    return tuple(out)


def rows(ids: Iterable[str]) -> tuple[Row, ...]:
    """The rows for ``ids`` (see :func:`expand`); an unknown id raises ``KeyError``."""
    return tuple(ROWS[i] for i in expand(ids))


__all__ = [
    "ADMIN_ROWS",
    "ALL_KINDS",
    "ALL_ROWS",
    "CONSOLE_TEMPLATE_STATEMENTS",
    "Grant",
    "Kind",
    "MEDIALIVE_LOG_GROUP_NAME",
    "MEDIALIVE_SERVICE",
    "ROWS",
    "Row",
    "SIMPLE_ROLE_NAME",
    "SSM_READ_ONLY_POLICY_ARN",
    "TRUSTED_ROWS",
    "USER_ROWS",
    "expand",
    "rows",
]
