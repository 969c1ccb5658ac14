#!/usr/bin/env bash
# Sets up everything from nothing and runs the whole test suite, the local deploy to LocalStack included.
# Needs python3.11, node and npm; the local deploy also needs a Python 3.13 interpreter (it says so if missing).
# Two lanes share the machine's two cores: the packaging test (build the wheel, install it into a fresh virtualenv,
# mypy --strict on a user's app: ~4 min, mostly mypy), the LocalStack deploys (the demo stack, the sample's day-2
# updates: ~4.5 min, and docs/adopting.md's path: ~2.5 min, mostly waiting on the emulator) and the documentation
# site (Debian's Chromium installed when missing, the strict build, the browser check: under a minute) in one;
# everything else in the other.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/node/bin:$PATH"  # the project's Node 24 (package.json) for jsii and the CLI
logs="$(mktemp -d)"
# the LocalStack virtualenv (Python 3.13) is set up at the head of its lane, while the other lane already runs
{ bash tools/localdeploy/setup_emulator.sh && bash tools/docs_site/install_chromium.sh \
    && .venv/bin/python -m pytest -m "packaging or localdeploy or site" -p no:cacheprovider --durations=10 "$@"; } \
  > "$logs/packaging.log" 2>&1 &
packaging=$!
status=0
set +e
.venv/bin/python -m pytest -m "not packaging and not localdeploy and not site" --durations=20 "$@" 2>&1 | tee "$logs/suite.log"
suite=${PIPESTATUS[0]}
wait "$packaging"
pack=$?
set -e
echo "== packaging, LocalStack deploy and documentation site tests (run beside the suite) =="
cat "$logs/packaging.log"
[ "$suite" -eq 0 ] || status=$suite
[ "$pack" -eq 0 ] || status=$pack
echo "== the whole suite: packaging, LocalStack and site exit $pack, rest exit $suite =="
tail -n 1 "$logs/packaging.log"
tail -n 1 "$logs/suite.log"
exit "$status"
