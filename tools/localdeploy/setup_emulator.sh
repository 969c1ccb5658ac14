#!/usr/bin/env bash
# Creates /work/main/.localdeploy/venv (Python 3.13) with the LocalStack community runtime, used by
# tools/localdeploy/launcher.py. LocalStack 2026.3.0 needs Python 3.13 (see shared reference local-deploy.md):
# on 3.11/3.12 it fails at import time with misleading errors. Idempotent: a stamp file records what
# was installed; re-running with the same pins does nothing.
# Exit codes: 0 ok, 3 no Python 3.13 on this machine, other = install failure.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
VENV="${LOCALDEPLOY_VENV:-$ROOT/.localdeploy/venv}"
PKGS=("localstack-core[runtime]==2026.3.0" "cbor2<6" "pyopenssl<25")
want="$(printf '%s\n' "${PKGS[@]}" | sha256sum | cut -c1-16)"

if [ -x "$VENV/bin/python" ] && [ "$(cat "$VENV/.localdeploy-stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

find_py313() {
  local c
  # python3.13 on PATH may be a pyenv shim that fails when 3.13 is not the selected version,
  # so every candidate is actually run.
  for c in "${PYTHON313:-}" python3.13 "$HOME"/.pyenv/versions/3.13*/bin/python3.13 \
           /usr/local/bin/python3.13 /usr/bin/python3.13; do
    [ -n "$c" ] || continue
    if "$c" -c 'import sys, venv; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1; then
      echo "$c"; return 0
    fi
  done
  return 1
}

if ! PY="$(find_py313)"; then
  echo "setup_emulator: no Python 3.13 interpreter found (tried \$PYTHON313, python3.13 on PATH," >&2
  echo "  ~/.pyenv/versions/3.13*/bin/python3.13, /usr/local/bin, /usr/bin). LocalStack 2026.3.0 needs" >&2
  echo "  Python 3.13; install one (e.g. 'pyenv install 3.13') or set PYTHON313=/path/to/python3.13." >&2
  exit 3
fi

echo "setup_emulator: creating $VENV with $("$PY" --version)"
rm -rf "$VENV"
"$PY" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
# pip's "WARNING: Location ... is ignored" lines name package-index folders this machine may not have: not failures
"$VENV/bin/python" -m pip install --quiet --no-compile "${PKGS[@]}" 2>&1 | { grep -v "^WARNING: Location" || true; }
"$VENV/bin/python" -c "import localstack.runtime.main, localstack.services.iam.provider, localstack.services.cloudformation.resource_provider"
echo "$want" > "$VENV/.localdeploy-stamp"
echo "setup_emulator: ready ($VENV)"
