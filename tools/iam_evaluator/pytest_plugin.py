"""pytest plugin: a session-scoped ``iam_evaluator`` fixture (one node process per test session).

Register with ``pytest_plugins = ["tools.iam_evaluator.pytest_plugin"]`` in tests/conftest.py.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from tools.iam_evaluator import Evaluator


@pytest.fixture(scope="session")
def iam_evaluator() -> Iterator[Evaluator]:
    with Evaluator() as evaluator:
        yield evaluator
