"""medialive_iam_constructs/catalog/exclusions.py: the gated services and the MediaLive actions no row grants.

tests/test_catalog_drift.py runs the gate (every SAR action of a gated service has a row or an exclusion; exclusions are
real, ungranted actions with reasons); this file checks the module's documented state and the places its
instructions send a maintainer to."""

from __future__ import annotations

import re

from medialive_iam_constructs import catalog
from medialive_iam_constructs.catalog import exclusions
from medialive_iam_constructs.catalog.exclusions import EXCLUDED_ACTIONS, GATED_SERVICES
from tests.helpers import ROOT


def test_medialive_is_the_gated_service_and_the_catalog_grants_it():
    assert GATED_SERVICES == ("medialive",)
    services = {s for r in catalog.ALL_ROWS for s in r.services}
    assert set(GATED_SERVICES) <= services


def test_no_action_is_excluded_the_node_agents_actions_have_their_row():
    """The documented state: every MediaLive action of SAR has a row, PollAnywhere and SubmitAnywhereStateChange in
    N4 (the nodes' instance role), which no construct grants."""
    assert EXCLUDED_ACTIONS == {}
    n4 = catalog.ROWS["N4"]
    assert set(n4.actions) == {"medialive:PollAnywhere", "medialive:SubmitAnywhereStateChange"}
    assert n4.table == "node"


def test_the_files_the_module_sends_a_maintainer_to_exist_and_include_every_file_of_rows():
    """A new AWS action is given a row (in any catalog file that holds rows) and a tier (catalog/tiers.py), or an
    exclusion: the docstring names each such file."""
    catalog_dir = ROOT / "medialive_iam_constructs" / "catalog"
    named = set(re.findall(r"``catalog/([a-z_]+\.py)``", exclusions.__doc__))
    assert all((catalog_dir / name).is_file() for name in named), named
    with_rows = {p.name for p in catalog_dir.glob("*.py") if 'Row("' in p.read_text()}
    assert with_rows and with_rows | {"tiers.py"} <= named, sorted(with_rows | {"tiers.py"} - named)
    assert (ROOT / "tests" / "test_catalog_drift.py").is_file()  # the gate the docstring names
