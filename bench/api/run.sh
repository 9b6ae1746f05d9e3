#!/usr/bin/env bash
# bench/api: starts wagate as `make demo` does (free ports, private state directory), measures the list endpoint and
# the reconnect fast path, then prints the JVM's start time and RSS. Usage: bench/api/run.sh [-workers N -duration 10s]
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
start_demo api 18080 19001 19200 19201 55450 19090
(cd "$ROOT/bench/api" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$ADMIN_TOKEN" "$@")
JPID=$(demo_gateway_pid)
echo
echo "JVM: $(grep -oE 'started in [0-9.]+s' "$HOME_DIR/logs/gateway.log" | head -1), RSS $(awk '/VmRSS/{printf "%.0f MB", $2/1024}' /proc/$JPID/status 2>/dev/null)"
