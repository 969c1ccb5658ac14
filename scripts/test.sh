#!/usr/bin/env bash
# Sets up everything from nothing and runs the whole test suite, the local deploy to LocalStack included.
# Needs python3.11, node and npm; the local deploy also needs a Python 3.13 interpreter (it says so if missing).
# The packaging test (build the wheel, install it into a fresh virtualenv, mypy --strict on a user's app: ~5 min on
# one core, mostly mypy) runs beside the rest of the suite, so the two cores of the machine share the work.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/node/bin:$PATH"  # the project's Node 24 (package.json) for jsii and the CLI
bash localdeploy/setup_emulator.sh
logs="$(mktemp -d)"
.venv/bin/python -m pytest -m packaging -p no:cacheprovider "$@" > "$logs/packaging.log" 2>&1 &
packaging=$!
status=0
set +e
.venv/bin/python -m pytest -m "not packaging" "$@" 2>&1 | tee "$logs/suite.log"
suite=${PIPESTATUS[0]}
wait "$packaging"
pack=$?
set -e
echo "== packaging tests (run beside the suite) =="
cat "$logs/packaging.log"
[ "$suite" -eq 0 ] || status=$suite
[ "$pack" -eq 0 ] || status=$pack
echo "== the whole suite: packaging exit $pack, rest exit $suite =="
tail -n 1 "$logs/suite.log"
exit "$status"
