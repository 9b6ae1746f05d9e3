#!/usr/bin/env bash
# bench/webhooks: starts wagate as `make demo` does (free ports, private state directory, loopback webhook targets
# allowed), then measures delivery throughput and the backlog drain after a receiver outage.
# Usage: bench/webhooks/run.sh [-webhooks 50 -events 20000 -outage 10m -backlog-events 5000]
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
export WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true
start_demo wh 18280 19102 19400 19401 55452 19490
(cd "$ROOT/bench/webhooks" && go run . -gateway "$WAGATE_URL" -admin-token "$ADMIN_TOKEN" \
  -dsn "postgres://app:app@127.0.0.1:$WAGATE_PG_PORT/app?sslmode=disable" "$@")
