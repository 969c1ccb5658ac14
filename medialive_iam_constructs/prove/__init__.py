"""Offline, symbolic questions about IAM policies (``pip install medialive-iam-constructs[prove]``, needs
``z3-solver``). :mod:`.symbolic` is the evaluator; :mod:`.access` the questions for your own tests:
:func:`assert_access_not_granted` (what a group, user or role can never do) and :func:`permissions_diff` (what a
change grants that the reviewed template did not)."""

try:
    import z3  # noqa: F401
except ImportError as e:  # pragma: no cover - depends on the user's environment
    raise ImportError("medialive_iam_constructs.prove needs z3-solver: pip install 'medialive-iam-constructs[prove]'"
                      ) from e

from .access import (
    NewAccess,
    assert_access_not_granted,
    check_access_not_granted,
    format_diff,
    permissions_diff,
)
from .symbolic import Answer, shipped_actions_source

__all__ = [
    "Answer",
    "NewAccess",
    "assert_access_not_granted",
    "check_access_not_granted",
    "format_diff",
    "permissions_diff",
    "shipped_actions_source",
]
