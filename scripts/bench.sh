#!/usr/bin/env bash
# make bench: every benchmark under bench/, each printing its own table. Loopback only, bounded in count and time.
# The Go benchmarks get a throwaway PostgreSQL; bench/api starts wagate as `make demo` does.
# WAGATE_BENCH_NATIVE=1 adds bench/native (JVM against the native binary of `make native`).
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
ensure_go
PORT=${WAGATE_BENCH_PG_PORT:-55441}
require_free_port "$PORT" WAGATE_BENCH_PG_PORT
PGROOT=$(mktemp -d /tmp/wagate-bench-pg.XXXXXX)
trap '"$ROOT/scripts/pg.sh" stop "$PGROOT"; rm -rf "$PGROOT"' EXIT
PG_EXTRA_OPTS="-c max_connections=500" "$ROOT/scripts/pg.sh" start "$PGROOT" "$PORT" || die "could not start PostgreSQL"
export PG_HOST=127.0.0.1 PG_PORT=$PORT PG_USER=app PG_PASSWORD=app PG_DB=app
rc=0
for b in emulator-logins sidecar-restore; do
  echo; echo "==> bench/$b"
  (cd "bench/$b" && go run . ${BENCH_N:+-n "$BENCH_N"}) || rc=1
done
echo; echo "==> bench/api"
bench/api/run.sh || rc=1
echo; echo "==> bench/recovery"
bench/recovery/run.sh || rc=1
echo; echo "==> bench/failover"
bench/failover/run.sh || rc=1
echo; echo "==> bench/messages"
bench/messages/run.sh || rc=1
# JVM against native (needs `make native`; pairing 1,000 instances alone takes minutes): opt-in. It starts its own PostgreSQL on a free port.
if [ "${WAGATE_BENCH_NATIVE:-0}" = 1 ]; then
  echo; echo "==> bench/native"
  env -u WAGATE_BENCH_PG_PORT -u PG_HOST -u PG_PORT -u PG_DB bench/native/run.sh || rc=1
fi
exit $rc
