"""The project's own Node.js (npm package ``node``, pinned in package.json: Node 24, not the machine's end-of-life
Node 20). ``use_project_node()`` puts it first on ``PATH`` of this process, so jsii (which spawns ``node`` from
``PATH``), the IAM evaluator and every subprocess use it. Dev tooling; the package does not need it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

NODE_BIN = Path(__file__).resolve().parents[2] / "node_modules" / "node" / "bin"


def use_project_node(env: dict | None = None) -> dict:
    """Prepends ``node_modules/node/bin`` to ``env["PATH"]`` (default ``os.environ``) when it exists; returns env."""
    env = os.environ if env is None else env
    path = env.get("PATH", "")
    if NODE_BIN.is_dir() and not path.startswith(str(NODE_BIN) + os.pathsep):
        env["PATH"] = f"{NODE_BIN}{os.pathsep}{path}"
    return env


def node_executable() -> str | None:
    """The project's node when installed, else the first ``node`` on PATH."""
    own = NODE_BIN / "node"
    return str(own) if own.is_file() else shutil.which("node")
