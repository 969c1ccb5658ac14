#!/usr/bin/env bash
# Sets up everything from nothing and runs the whole test suite, the local deploy to LocalStack included.
# Needs python3.11, node and npm; the local deploy also needs a Python 3.13 interpreter (it says so if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION=20
bash scripts/setup.sh
bash localdeploy/setup_emulator.sh
exec .venv/bin/python -m pytest "$@"
