#!/usr/bin/env bash
# Installs Debian's Chromium for the documentation site's browser check (tests/test_docs_site.py), when
# /usr/bin/chromium is missing. scripts/test.sh runs it at the head of the packaging lane. Needs root (CI runs as
# root) and Debian's package mirror; a failure here fails the suite (the browser check never skips).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "install_chromium: /usr/bin/chromium is missing; as root: apt-get install -y chromium" >&2
  exit 1
fi
start=$SECONDS
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version 2>/dev/null | head -n 1
echo "install_chromium: installed in $((SECONDS - start)) s"
