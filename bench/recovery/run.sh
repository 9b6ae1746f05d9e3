#!/usr/bin/env bash
# bench/recovery: starts wagate as `make demo` does (free ports, private state directory, run.sh supervising), pairs
# instances, kills the sidecar with SIGKILL and prints how long until all are connected and recorded again.
# Usage: bench/recovery/run.sh [-n 100,1000]
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
SIDECAR_PORT=$(free_port)
export WAGATE_RATE_LIMIT_CREATE_PER_MINUTE=1000000 # thousands of instances on one account
start_demo recovery "$(free_port)" "$SIDECAR_PORT" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)"
(cd "$ROOT/bench/recovery" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$ADMIN_TOKEN" \
  -sidecar-port "$SIDECAR_PORT" "$@")
