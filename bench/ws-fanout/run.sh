#!/usr/bin/env bash
# bench/ws-fanout: starts wagate as `make demo` does (free ports, private state directory), then runs the fan-out
# measurement. Usage: bench/ws-fanout/run.sh [-subscribers 1000 -drops 10]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOME_DIR=$(mktemp -d /tmp/wagate-bench-ws.XXXXXX)
chmod 755 "$HOME_DIR" # the embedded PostgreSQL runs as its own user and must traverse it
export WAGATE_HOME=$HOME_DIR WAGATE_HTTP_PORT=${WAGATE_HTTP_PORT:-18180} WAGATE_SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-19101} \
  WAGATE_EMULATOR_PORT=${WAGATE_EMULATOR_PORT:-19300} WAGATE_EMULATOR_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-19301} \
  WAGATE_PG_PORT=${WAGATE_PG_PORT:-55451}
unset PG_HOST PG_PORT PG_DB
setsid "$ROOT/scripts/run.sh" --demo >"$HOME_DIR/run.log" 2>&1 &
RUN=$!
trap 'kill -TERM -$RUN 2>/dev/null; wait $RUN 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 1 1200); do [ -f "$HOME_DIR/demo.env" ] && break; kill -0 $RUN || { cat "$HOME_DIR/run.log"; exit 1; }; sleep 0.2; done
[ -f "$HOME_DIR/demo.env" ] || { echo "bench/ws-fanout: demo did not start"; cat "$HOME_DIR/run.log"; exit 1; }
. "$HOME_DIR/demo.env"
(cd "$ROOT/bench/ws-fanout" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$(cat "$HOME_DIR/admin-token")" "$@")
