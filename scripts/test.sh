#!/usr/bin/env bash
# make test: every check that proves wagate, each part against real processes and a real PostgreSQL.
# Runs every part that exists, prints one summary line per part, exits non-zero if any part failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

ensure_go
ensure_java
export GOFLAGS=${GOFLAGS:-}
TEST_PG_PORT=${WAGATE_TEST_PG_PORT:-55439}
require_free_port "$TEST_PG_PORT" WAGATE_TEST_PG_PORT

PGROOT=$(mktemp -d /tmp/wagate-test-pg.XXXXXX)
cleanup() { "$ROOT/scripts/pg.sh" stop "$PGROOT"; rm -rf "$PGROOT"; }
trap cleanup EXIT
"$ROOT/scripts/pg.sh" start "$PGROOT" "$TEST_PG_PORT" || die "could not start the test PostgreSQL"
export PG_HOST=127.0.0.1 PG_PORT=$TEST_PG_PORT PG_USER=app PG_PASSWORD=app PG_DB=app

declare -a SUMMARY=()
FAILED=0
# part <name> <command...>: runs one part, records its outcome and duration.
part() {
  local name=$1; shift
  local t0=$SECONDS
  echo; echo "==> $name"
  if "$@"; then
    SUMMARY+=("$(printf '%-9s ok      %4ss' "$name" $((SECONDS - t0)))")
  else
    SUMMARY+=("$(printf '%-9s FAILED  %4ss' "$name" $((SECONDS - t0)))")
    FAILED=1
  fi
}

proto_drift() {
  ensure_codegen_tools "$ROOT"
  (cd sidecar && go generate ./...) || return 1
  local drift
  drift=$(git status --porcelain -- sidecar/gen proto)
  [ -z "$drift" ] || { echo "generated code differs from proto/ (run 'cd sidecar && go generate ./...' and commit):"; echo "$drift"; return 1; }
}

# Every Go module of the repository, as go.work lists them (paths relative to the root).
go_modules() { go list -m -f '{{.Dir}}' | sed "s#^$ROOT/##"; }

# Tidy for every module (go mod tidy works per module, go.work does not change its answer); vet, staticcheck and the
# tests under the race detector for the sidecar module (sidecar and both commands; the emulator package, see below).
go_checks() {
  local m
  for m in $(go_modules); do
    (cd "$m" && go mod tidy -diff) || { echo "$m: go.mod/go.sum are not tidy (run 'cd $m && go mod tidy')"; return 1; }
  done
  local unformatted
  unformatted=$(gofmt -l $(go_modules)) && [ -z "$unformatted" ] || { echo "not gofmt-clean (run gofmt -w):"; echo "$unformatted"; return 1; }
  ensure_staticcheck "$ROOT" || return 1
  # The emulator's own tests drive unmodified whatsmeow clients through kicks and immediate re-connects, which trips a
  # data race inside whatsmeow itself (socket.FrameSocket.Close from readPump against NoiseSocket.Stop in Connect),
  # not in our code: they run without the race detector; everything else of the module runs under it.
  (cd sidecar && go vet ./... && "$ROOT/sidecar/.bin/staticcheck" ./... \
    && go test -race -count=1 -timeout 20m $(go list ./... | grep -v '/sidecar/emulator$') \
    && go test -count=1 -timeout 20m ./emulator) || return 1
  (cd sidecar && go build -o "$ROOT/bin/" ./cmd/wagate-sidecar ./cmd/wa-emulator ./cmd/wagate-events)
}

gateway_verify() {
  PGPASSWORD=app psql -h 127.0.0.1 -p "$TEST_PG_PORT" -U app -d app -qc 'CREATE DATABASE gateway_test' -c 'CREATE DATABASE gateway_proc' || return 1
  PG_DB=gateway_test ./mvnw -B clean verify \
    -Dwagate.test.sidecar-bin="$ROOT/bin/wagate-sidecar" -Dwagate.test.emulator-bin="$ROOT/bin/wa-emulator"
}

native_sources() { ./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests; }

# The real native binary (scripts/native.sh: the local harness unless GRAALVM_HOME names a GraalVM/Mandrel), then
# every integration test against it: the @QuarkusIntegrationTest suites and the process suites (GatewayProcess
# starts what quarkus-artifact.properties names). Unit tests ran in the gateway part already.
native_verify() {
  PGPASSWORD=app psql -h 127.0.0.1 -p "$TEST_PG_PORT" -U app -d app -qc 'CREATE DATABASE native_test' -c 'CREATE DATABASE native_proc' || return 1
  PG_DB=native_test scripts/native.sh verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false \
    -Dwagate.test.process-db=native_proc \
    -Dwagate.test.sidecar-bin="$ROOT/bin/wagate-sidecar" -Dwagate.test.emulator-bin="$ROOT/bin/wa-emulator"
}

e2e_suite() { (cd e2e && go vet ./... && go test -count=1 -timeout 30m -v ./...); }

# The same end-to-end suite against the native binary (scripts/run.sh with WAGATE_NATIVE=1).
e2e_native() { (cd e2e && WAGATE_NATIVE=1 go test -count=1 -timeout 30m -v ./...); }

deploy_check() { bash deploy/check.sh; }

# schema-driven fuzzing (Schemathesis) of the demo built by the parts above, bounded by WAGATE_FUZZ_EXAMPLES
fuzz_suite() { bash scripts/fuzz.sh; }

part proto proto_drift
[ -d sidecar/internal ] || [ -d sidecar/emulator ] && part go go_checks
[ -f pom.xml ] && part gateway gateway_verify
[ -d e2e ] && part e2e e2e_suite
[ -f scripts/fuzz.sh ] && part fuzz fuzz_suite
# The native binary, by default: the real build (scripts/native.sh), then every integration test and the end-to-end
# suite against it (about 10 of the run's ~21 minutes on this machine). WAGATE_TEST_NATIVE=0 skips that for a quick
# local run and builds the native sources only, which runs Quarkus' native build steps.
if [ -f pom.xml ]; then
  if [ "${WAGATE_TEST_NATIVE:-1}" = 1 ]; then
    part native native_verify
    [ -d e2e ] && part e2e-native e2e_native
  else
    part native native_sources
  fi
fi
[ -f deploy/check.sh ] && part deploy deploy_check

echo
echo "==> summary"
for line in "${SUMMARY[@]}"; do echo "$line"; done
exit $FAILED
