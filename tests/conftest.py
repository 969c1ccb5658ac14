"""Shared fixtures. Synthesized stacks are shared per session/module (the first synth in a process costs
seconds, later ones ~0.1 s); the IAM evaluator runs as one node process per session."""

from __future__ import annotations

import os

os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

pytest_plugins = ["iam_evaluator.pytest_plugin"]
