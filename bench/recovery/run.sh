#!/usr/bin/env bash
# bench/recovery: starts wagate as `make demo` does (free ports, private state directory, run.sh supervising), then in
# one run: sidecar kill -9 at each size (all connected, all recorded, RSS: the growth curve), the event recording rate
# during each recovery, a gateway kill -9 in the middle of a webhook backlog (until deliveries resume), and the raw
# whatsmeow baseline (bench/sidecar-restore) at -raw-n sessions. Processes are found by parentage and killed by pid.
# Usage: bench/recovery/run.sh [-n 100,1000] [-raw-n 1000]   (WAGATE_PG_PORT: the embedded cluster's port)
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
export WAGATE_RATE_LIMIT_CREATE_PER_MINUTE=1000000 # thousands of instances on one account
export WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true  # the backlog's receiver is on loopback
start_demo recovery "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)"
(cd "$ROOT/bench/recovery" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -management "$WAGATE_MANAGEMENT_URL" \
  -admin-token "$ADMIN_TOKEN" -demo-pid "$DEMO_PID" -pg-port "$WAGATE_PG_PORT" "$@")
