#!/usr/bin/env bash
# bench/native: the JVM gateway against the native one, on this machine, in one run; prints one table (README.md).
# Needs `make native` (target/*-runner) and the JVM build (target/quarkus-app): both are built first when missing.
# Usage: bench/native/run.sh [-n 1000] [-native-opts '-Xmn64m -XX:MaxHeapFree=4m'] [-api-args '-warmup 30s'] [-modes jvm,native]
# Settings: WAGATE_BENCH_PG_PORT (its own PostgreSQL's port; default: a free one), WAGATE_BENCH_JAR / WAGATE_BENCH_RUNNER
# (compare other builds).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
ensure_go
ensure_java
JAR=${WAGATE_BENCH_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}
RUNNER=${WAGATE_BENCH_RUNNER:-$(ls "$ROOT"/target/*-runner 2>/dev/null | head -1)}
if [ -z "$RUNNER" ]; then
  info "no native binary: building it (make native, many minutes)"
  scripts/native.sh
  RUNNER=$(ls "$ROOT"/target/*-runner | head -1)
fi
[ -f "$JAR" ] || { info "building the JVM gateway"; ./mvnw -B -q package -DskipTests; }

PORT=${WAGATE_BENCH_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
require_free_port "$PORT" WAGATE_BENCH_PG_PORT
WORK=$(mktemp -d /tmp/wagate-bench-native.XXXXXX)
chmod 755 "$WORK" # the embedded PostgreSQL runs as its own user and must traverse it
trap '"$ROOT/scripts/pg.sh" stop "$WORK/pg"; rm -rf "$WORK"' EXIT
(cd sidecar && go build -o "$WORK/bin/" ./cmd/wagate-sidecar ./cmd/wa-emulator)
go build -C bench/api -o "$WORK/bin/api" .
go build -C bench/ws-fanout -o "$WORK/bin/ws-fanout" .
GOWORK=off go build -C bench/native -o "$WORK/bin/native" .
PG_EXTRA_OPTS="-c max_connections=500" scripts/pg.sh start "$WORK/pg" "$PORT" || die "could not start PostgreSQL"
PGPASSWORD=app psql -h 127.0.0.1 -p "$PORT" -U app -d app -qc 'CREATE DATABASE bench_a' -c 'CREATE DATABASE bench_b'
mkdir -m 700 "$WORK/home"

echo "bench/native $(date -u +%FT%TZ) on $(nproc) cores; uptime:$(uptime)"
echo "JVM: $(java -version 2>&1 | head -1), $JAR"
echo "native: $RUNNER ($(du -m "$RUNNER" | cut -f1) MB)"
"$WORK/bin/native" -home "$WORK/home" -pg-port "$PORT" -emulator-bin "$WORK/bin/wa-emulator" -sidecar-bin "$WORK/bin/wagate-sidecar" \
  -jar "$JAR" -runner "$RUNNER" -api-bin "$WORK/bin/api" -ws-bin "$WORK/bin/ws-fanout" "$@" \
  || { KEEP=$(mktemp -d /tmp/wagate-bench-native-logs.XXXXXX); cp "$WORK"/home/*.log "$KEEP/"
       echo "bench/native failed; logs kept in $KEEP"; exit 1; }
echo "uptime at the end:$(uptime)"
