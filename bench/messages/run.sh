#!/usr/bin/env bash
# bench/messages: starts wagate as `make demo` does (free ports, private state directory), pairs instances, gives each
# a virtual contact of the emulator, and exchanges texts both ways; the same sends between pairs of virtual contacts
# (unmodified whatsmeow clients on the same emulator) are the limit. Prints one table (README.md).
# Usage: bench/messages/run.sh [-n 10] [-msgs 100]   (WAGATE_PG_PORT: the embedded cluster's port)
set -euo pipefail
. "$(dirname "$0")/../demo.sh"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
start_demo messages "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)" "$(free_port)"
echo "bench/messages $(date -u +%FT%TZ) on $(nproc) cores; uptime:$(uptime)"
(cd "$ROOT/bench/messages" && go run . -gateway "$WAGATE_URL" -emulator "$WAGATE_EMULATOR_URL" -admin-token "$ADMIN_TOKEN" "$@")
echo "uptime at the end:$(uptime)"
