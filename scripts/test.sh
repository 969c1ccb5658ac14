#!/usr/bin/env bash
# Sets up everything from nothing and runs the whole test suite, the local deploy to LocalStack included.
# Needs python3.11, node and npm; the local deploy also needs a Python 3.13 interpreter (it says so if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/node/bin:$PATH"  # the project's Node 24 (package.json) for jsii and the CLI
bash localdeploy/setup_emulator.sh
exec .venv/bin/python -m pytest "$@"
