"""MediaLive actions of the Service Authorization Reference that no catalog row grants, each with the reason.

The drift gate (``tests/test_catalog_drift.py``) reads every ``medialive:`` action from the newest pinned IAM reference data
and requires each one to be granted by some row of the catalog or listed here. A new AWS action therefore fails the
gate until someone decides where it belongs: a row (``catalog/activities.py``, ``catalog/newer_features.py``,
``catalog/trusted_entity.py`` or ``catalog/admin.py``) and a tier (``catalog/tiers.py``), or an entry here.

Keys are IAM action names as SAR spells them; values say why the action is left out and what would change that.
"""

from __future__ import annotations

#: Service prefixes whose every action must have a home (a row or an exclusion).
GATED_SERVICES: tuple[str, ...] = ("medialive",)

#: ``"medialive:Action"`` -> why no row grants it. Empty today: every MediaLive action of SAR has a row
#: (the node agent's PollAnywhere/SubmitAnywhereStateChange in N4, the nodes' instance role).
EXCLUDED_ACTIONS: dict[str, str] = {}
