#!/usr/bin/env bash
# make soak (not part of make test): wagate as `make demo` runs it (free ports, private state directory, run.sh
# supervising), SOAK_INSTANCES paired instances (200) with a webhook each, and a random fault every 30 s for
# SOAK_MINUTES (30): sidecar kill -9, PostgreSQL restart, gateway kill -9, receiver down then up, emulator refusing
# connections with every device kicked. Prints the RSS of each process at start and end, events lost and duplicated,
# instances not connected; exits non-zero when a correctness goal fails. SOAK_SEED replays a run's fault sequence.
set -euo pipefail
. "$(dirname "$0")/../bench/demo.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PG_PORT=$(free_port)
export WAGATE_RATE_LIMIT_CREATE_PER_MINUTE=1000000 WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true
echo "soak: $(date -u +%FT%TZ), load average $(cut -d' ' -f1-3 /proc/loadavg) (a shared machine: other builds may run)"
start_demo soak "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)" "$PG_PORT" "$(free_port)"
(cd "$ROOT/bench/soak" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$ADMIN_TOKEN" \
  -home "$HOME_DIR" -root "$ROOT" -demo-pid "$DEMO_PID" -pg-port "$WAGATE_PG_PORT" -minutes "${SOAK_MINUTES:-30}" \
  -n "${SOAK_INSTANCES:-200}" ${SOAK_SEED:+-seed "$SOAK_SEED"})
