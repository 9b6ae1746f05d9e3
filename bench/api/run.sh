#!/usr/bin/env bash
# bench/api: starts wagate as `make demo` does (free ports, private state directory), measures the list endpoint and
# the reconnect fast path, then prints the JVM's start time and RSS. Usage: bench/api/run.sh [-workers N -duration 10s]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOME_DIR=$(mktemp -d /tmp/wagate-bench-api.XXXXXX)
chmod 755 "$HOME_DIR"   # the embedded cluster runs as the postgres user
export WAGATE_HOME=$HOME_DIR WAGATE_HTTP_PORT=${WAGATE_HTTP_PORT:-18080} WAGATE_SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-19001} \
  WAGATE_EMULATOR_PORT=${WAGATE_EMULATOR_PORT:-19200} WAGATE_EMULATOR_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-19201} \
  WAGATE_PG_PORT=${WAGATE_PG_PORT:-55450}
unset PG_HOST PG_PORT PG_DB
setsid "$ROOT/scripts/run.sh" --demo >"$HOME_DIR/run.log" 2>&1 &
RUN=$!
# TERM, not INT: a background job starts with SIGINT ignored and could not trap it.
trap 'kill -TERM $RUN 2>/dev/null; wait $RUN 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 1 1200); do [ -f "$HOME_DIR/demo.env" ] && break; kill -0 $RUN || { cat "$HOME_DIR/run.log"; exit 1; }; sleep 0.2; done
[ -f "$HOME_DIR/demo.env" ] || { echo "bench/api: demo did not start"; cat "$HOME_DIR/run.log"; exit 1; }
. "$HOME_DIR/demo.env"
(cd "$ROOT/bench/api" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$(cat "$HOME_DIR/admin-token")" "$@")
JPID=$(pgrep -f "quarkus-run.jar" -n || true)
echo
echo "JVM: $(grep -oE 'started in [0-9.]+s' "$HOME_DIR/logs/gateway.log" | head -1), RSS $(awk '/VmRSS/{printf "%.0f MB", $2/1024}' /proc/$JPID/status 2>/dev/null)"
