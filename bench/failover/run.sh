#!/usr/bin/env bash
# bench/failover: starts wagate as `make demo REPLICAS=3` does (three gateway+sidecar pods on one PostgreSQL and one
# emulator; free ports, private state directory, run.sh supervising), pairs the instances, then kills one pod with
# kill -9 and hands another over with SIGTERM, and prints how long each moved instance took to connect elsewhere.
# Usage: bench/failover/run.sh [-n 300]   (WAGATE_PG_PORT: the embedded cluster's port)
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# free_block <n>: the first of n consecutive free ports (pod p listens on the base port plus p-1)
free_block() {
  python3 - "$1" <<'PY'
import socket, sys
n = int(sys.argv[1])
while True:
    first = socket.socket(); first.bind(("127.0.0.1", 0)); base = first.getsockname()[1]
    held, ok = [first], base + n <= 65535
    for p in range(base + 1, base + n):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p)); held.append(s)
        except OSError:
            ok = False
            break
    for s in held:
        s.close()
    if ok:
        print(base)
        break
PY
}
export WAGATE_REPLICAS=3 WAGATE_READY_TIMEOUT=240
export WAGATE_CLUSTER_LEASE=${WAGATE_CLUSTER_LEASE:-5s}
export WAGATE_RATE_LIMIT_CREATE_PER_MINUTE=1000000
start_demo failover "$(free_block 3)" "$(free_block 3)" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_block 3)"
(cd "$ROOT/bench/failover" && go run . -urls "$WAGATE_URLS" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$ADMIN_TOKEN" \
  -home "$HOME_DIR" -pg-port "$WAGATE_PG_PORT" -lease "$WAGATE_CLUSTER_LEASE" "$@")
