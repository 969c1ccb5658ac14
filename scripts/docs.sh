#!/usr/bin/env bash
# The documentation site (mkdocs.yml): docs/*.md and the API reference generated from the docstrings.
#   bash scripts/docs.sh          set up, build and serve it on http://127.0.0.1:8000 (rebuilds on a change)
#   bash scripts/docs.sh build    set up and build it into site/ (--strict: a warning fails, as in the tests)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export NO_MKDOCS_2_WARNING=1  # Material's notice about MkDocs 2.0, not a problem of this site
if [ "${1:-serve}" = build ]; then
  exec .venv/bin/python -m mkdocs build --strict
fi
exec .venv/bin/python -m mkdocs serve --strict -a "${DOCS_ADDRESS:-127.0.0.1:8000}"
