#!/usr/bin/env bash
# bench/webhooks: starts wagate as `make demo` does (free ports, private state directory, loopback webhook targets
# allowed), then measures delivery throughput and the backlog drain after a receiver outage.
# Usage: bench/webhooks/run.sh [-webhooks 50 -events 20000 -outage 10m -backlog-events 5000]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HOME_DIR=$(mktemp -d /tmp/wagate-bench-wh.XXXXXX)
chmod 755 "$HOME_DIR" # the embedded PostgreSQL runs as its own user and must traverse it
export WAGATE_HOME=$HOME_DIR WAGATE_HTTP_PORT=${WAGATE_HTTP_PORT:-18280} WAGATE_SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-19102} \
  WAGATE_EMULATOR_PORT=${WAGATE_EMULATOR_PORT:-19400} WAGATE_EMULATOR_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-19401} \
  WAGATE_PG_PORT=${WAGATE_PG_PORT:-55452} WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true
unset PG_HOST PG_PORT PG_DB
setsid "$ROOT/scripts/run.sh" --demo >"$HOME_DIR/run.log" 2>&1 &
RUN=$!
trap 'kill -TERM -$RUN 2>/dev/null; wait $RUN 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
for _ in $(seq 1 1200); do [ -f "$HOME_DIR/demo.env" ] && break; kill -0 $RUN || { cat "$HOME_DIR/run.log"; exit 1; }; sleep 0.2; done
[ -f "$HOME_DIR/demo.env" ] || { echo "bench/webhooks: demo did not start"; cat "$HOME_DIR/run.log"; exit 1; }
. "$HOME_DIR/demo.env"
(cd "$ROOT/bench/webhooks" && go run . -gateway "$WAGATE_URL" -admin-token "$(cat "$HOME_DIR/admin-token")" \
  -dsn "postgres://app:app@127.0.0.1:$WAGATE_PG_PORT/app?sslmode=disable" "$@")
