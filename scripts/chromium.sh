#!/usr/bin/env bash
# Prints the path of Debian's headless-capable chromium for the console's e2e tests (e2e/console_test.go), installing
# the distribution package when it is missing (as scripts/lib.sh does for PostgreSQL): never a browser download.
set -euo pipefail
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then command -v "$b"; exit 0; fi
done
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
echo "installing Debian's chromium package" >&2
$SUDO apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >&2
command -v chromium
