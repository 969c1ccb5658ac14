"""MediaLiveTrustedRole's wiring is the declarative FEATURES table (issue 13, item 3): one hop from a prop to its
catalog rows, resource kinds and parser."""

from __future__ import annotations

import inspect

from medialive_iam_constructs import catalog
from medialive_iam_constructs.trusted_role import FEATURES, MediaLiveTrustedRole


def test_every_entry_names_a_prop_rows_kinds_and_a_parser():
    params = inspect.signature(MediaLiveTrustedRole.__init__).parameters
    for f in FEATURES:
        assert f.prop.split(".")[0] in params, f.prop
        assert callable(getattr(MediaLiveTrustedRole, f.parser, None)), f.parser
        used = set()
        for rid in f.rows:
            row = catalog.ROWS[rid]
            assert row.table == "trusted" and row.grants, rid
            used |= {k for g in row.grants for k in g.kinds}
        assert set(f.kinds) <= used, f.prop


def test_every_trusted_row_with_grants_has_a_feature():
    wired = {r for f in FEATURES for r in f.rows}
    granting = {r.id for r in catalog.TRUSTED_ROWS if r.grants}
    assert granting == wired, sorted(granting ^ wired)


def test_init_wires_through_the_table_only():
    """No prop is read in __init__ outside FEATURES' parsers (the wiring block is the loop over FEATURES)."""
    source = inspect.getsource(MediaLiveTrustedRole.__init__)
    body = source.split('"""', 2)[2]
    for prop in ("source_buckets", "mediapackage_v2_channels", "srt_secrets", "inference_feeds", "parameter_keys"):
        assert prop not in body, prop
