#!/usr/bin/env bash
# Sourced by the bench run.sh scripts. start_demo starts wagate as `make demo` does, on the given ports (each
# overridable by its WAGATE_* variable) with a private state directory, waits until it is ready, loads demo.env
# (WAGATE_URL, WAGATE_EMULATOR_URL, ...) and stops everything on exit, keeping the script's exit status.
# Sets ROOT, HOME_DIR, DEMO_PID and ADMIN_TOKEN.
# Usage: start_demo <name> <http> <sidecar> <emulator> <emulator-control> <pg> <management>
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The EXIT trap of start_demo. The runners use `set -e`, which also applies inside a trap: the demo's run.sh answers
# TERM with exit 143, so a bare `wait` here would turn a good run into a failed one. The script's own status is kept.
stop_demo() {
  local rc=$?
  set +e
  # TERM to the whole session, not INT: a background job starts with SIGINT ignored and could not trap it.
  kill -TERM -- "-$DEMO_PID" 2>/dev/null
  wait "$DEMO_PID" 2>/dev/null
  if [ $rc = 0 ] && [ "${WAGATE_BENCH_KEEP_LOGS:-0}" != 1 ]; then
    rm -rf "$HOME_DIR"
  else # a failed run (or WAGATE_BENCH_KEEP_LOGS=1) keeps its logs, not the database, for the post-mortem
    rm -rf "$HOME_DIR/pg"
    echo "logs kept in $HOME_DIR/logs" >&2
  fi
  exit $rc
}

# The gateway JVM of this demo: the child of the run.sh we started whose command is java (run.sh starts each
# process with setsid, so it is a child of DEMO_PID but in its own session). Found by parentage, never by name.
demo_gateway_pid() {
  ps -o pid=,comm= --ppid "$DEMO_PID" | awk '$2 == "java" {print $1; exit}'
}

start_demo() {
  local name=$1
  # built here, not by run.sh: the wait for demo.env below is for start-up, and a Maven build on a loaded machine
  # outlasts it
  if [ "${WAGATE_SKIP_BUILD:-0}" != 1 ]; then
    echo "bench/$name: building"
    (cd "$ROOT/sidecar" && go build -o "$ROOT/bin/" ./cmd/wagate-sidecar ./cmd/wa-emulator ./cmd/wagate-events) || exit 1
    [ "${WAGATE_NATIVE:-0}" = 1 ] || (cd "$ROOT" && ./mvnw -B -q package -DskipTests) || exit 1
    export WAGATE_SKIP_BUILD=1
  fi
  HOME_DIR=$(mktemp -d "/tmp/wagate-bench-$name.XXXXXX")
  chmod 755 "$HOME_DIR" # the embedded PostgreSQL runs as its own user and must traverse it
  export WAGATE_HOME=$HOME_DIR WAGATE_HTTP_PORT=${WAGATE_HTTP_PORT:-$2} WAGATE_SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-$3} \
    WAGATE_EMULATOR_PORT=${WAGATE_EMULATOR_PORT:-$4} WAGATE_EMULATOR_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-$5} \
    WAGATE_PG_PORT=${WAGATE_PG_PORT:-$6} WAGATE_MANAGEMENT_PORT=${WAGATE_MANAGEMENT_PORT:-$7}
  unset PG_HOST PG_PORT PG_DB
  setsid "$ROOT/scripts/run.sh" --demo >"$HOME_DIR/run.log" 2>&1 &
  DEMO_PID=$!
  trap stop_demo EXIT
  for _ in $(seq 1 1200); do
    [ -f "$HOME_DIR/demo.env" ] && break
    kill -0 $DEMO_PID 2>/dev/null || { cat "$HOME_DIR/run.log"; exit 1; }
    sleep 0.2
  done
  [ -f "$HOME_DIR/demo.env" ] || { echo "bench/$name: demo did not start"; cat "$HOME_DIR/run.log"; exit 1; }
  . "$HOME_DIR/demo.env"
  ADMIN_TOKEN=$(cat "$HOME_DIR/admin-token")
}
