#!/usr/bin/env bash
# Installs everything the project needs from nothing: a Python virtualenv (.venv) with the pinned
# requirements and this package in editable mode, and node_modules from package-lock.json
# (the CDK CLI pinned to v2 and the test-only IAM evaluator). Needs only python3.11, node and npm.
# Re-running is cheap: each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3

stamp() { cat "$@" | sha256sum | cut -c1-16; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $("$PYTHON" --version)"
  "$PYTHON" -m venv .venv
fi
python_setup() {
  local want
  want=$(stamp requirements-dev.txt pyproject.toml)
  if [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$want" ]; then
    echo "setup: installing Python requirements"
    .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
    # setuptools' "Editable installation" notice warns that ./medialive_iam_constructs may shadow the install: it is
    # the install (editable, on purpose), so the notice is silenced rather than shown to a newcomer as a failure.
    PYTHONWARNINGS="ignore:Editable installation" \
      .venv/bin/python -m pip install --quiet --no-compile -r requirements-dev.txt -e . 2>&1 | grep -v "^WARNING: Location" || true
    echo "$want" > .venv/.setup-stamp.pending  # confirmed below, once the imports work under the project's Node
  fi
}
node_setup() {
  local want
  want=$(stamp package-lock.json)
  if [ "$(cat node_modules/.setup-stamp 2>/dev/null)" != "$want" ]; then
    echo "setup: installing node_modules (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error 2>&1 | grep -v 'Unknown user config' || true
    test -x node_modules/.bin/cdk
    test -x node_modules/node/bin/node  # the project's Node 24 (npm package node, pinned in package.json)
    echo "$want" > node_modules/.setup-stamp
  fi
}
# the two installs are independent: side by side on the machine's two cores
node_setup &
node_pid=$!
python_setup
wait "$node_pid"
# jsii spawns `node` from PATH: from here on, the project's Node 24 rather than the machine's (end-of-life 20).
export PATH="$PWD/node_modules/node/bin:$PATH"
if [ -f .venv/.setup-stamp.pending ]; then  # aws_cdk imported only now: jsii starts the project's Node, no banner
  .venv/bin/python -c "import aws_cdk, cdk_nag, medialive_iam_constructs"
  mv .venv/.setup-stamp.pending .venv/.setup-stamp
fi
.venv/bin/python -c "import aws_cdk" 2>&1 | grep -qi "end-of-life" && { echo "setup: jsii still warns about an end-of-life Node" >&2; exit 1; } || true
