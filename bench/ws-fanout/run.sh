#!/usr/bin/env bash
# bench/ws-fanout: starts wagate as `make demo` does (free ports, private state directory), then runs the fan-out
# measurement. Usage: bench/ws-fanout/run.sh [-subscribers 1000 -drops 10]
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
# every subscriber uses the same token: lift the per-token WebSocket cap (100 by default) above -subscribers
export WAGATE_WEBSOCKET_MAX_PER_TOKEN=${WAGATE_WEBSOCKET_MAX_PER_TOKEN:-100000}
start_demo ws 18180 19101 19300 19301 55451 19390
(cd "$ROOT/bench/ws-fanout" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$ADMIN_TOKEN" "$@")
