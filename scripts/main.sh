#!/usr/bin/env bash
# Sets up everything from nothing, synthesizes the sample app with all checks (cdk-nag packs registered in
# app.py: synth fails on any unacknowledged finding; cfn-lint on every template), regenerates the
# per-group handout (docs/permissions.md) from the synthesized template and prints it as a compact table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/node/bin:$PATH"  # the project's Node 24 (package.json) for jsii and the CLI
rm -rf cdk.out
node_modules/.bin/cdk synth --quiet "$@"
.venv/bin/python -m tools.lint.lint_out cdk.out
.venv/bin/python -m tools.permissions_doc cdk.out --write docs/permissions.md --print
