#!/usr/bin/env bash
# Sourced by the bench run.sh scripts. start_demo starts wagate as `make demo` does, on the given ports (each
# overridable by its WAGATE_* variable) with a private state directory, waits until it is ready, loads demo.env
# (WAGATE_URL, WAGATE_EMULATOR_URL, ...) and stops everything on exit. Sets ROOT, HOME_DIR and ADMIN_TOKEN.
# Usage: start_demo <name> <http> <sidecar> <emulator> <emulator-control> <pg> <management>
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

start_demo() {
  local name=$1
  HOME_DIR=$(mktemp -d "/tmp/wagate-bench-$name.XXXXXX")
  chmod 755 "$HOME_DIR" # the embedded PostgreSQL runs as its own user and must traverse it
  export WAGATE_HOME=$HOME_DIR WAGATE_HTTP_PORT=${WAGATE_HTTP_PORT:-$2} WAGATE_SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-$3} \
    WAGATE_EMULATOR_PORT=${WAGATE_EMULATOR_PORT:-$4} WAGATE_EMULATOR_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-$5} \
    WAGATE_PG_PORT=${WAGATE_PG_PORT:-$6} WAGATE_MANAGEMENT_PORT=${WAGATE_MANAGEMENT_PORT:-$7}
  unset PG_HOST PG_PORT PG_DB
  setsid "$ROOT/scripts/run.sh" --demo >"$HOME_DIR/run.log" 2>&1 &
  DEMO_PID=$!
  # TERM to the whole session, not INT: a background job starts with SIGINT ignored and could not trap it.
  trap 'kill -TERM -$DEMO_PID 2>/dev/null; wait $DEMO_PID 2>/dev/null; rm -rf "$HOME_DIR"' EXIT
  for _ in $(seq 1 1200); do
    [ -f "$HOME_DIR/demo.env" ] && break
    kill -0 $DEMO_PID 2>/dev/null || { cat "$HOME_DIR/run.log"; exit 1; }
    sleep 0.2
  done
  [ -f "$HOME_DIR/demo.env" ] || { echo "bench/$name: demo did not start"; cat "$HOME_DIR/run.log"; exit 1; }
  . "$HOME_DIR/demo.env"
  ADMIN_TOKEN=$(cat "$HOME_DIR/admin-token")
}
