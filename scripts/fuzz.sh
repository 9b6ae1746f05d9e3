#!/usr/bin/env bash
# make test's fuzz part: schema-driven fuzzing of a real gateway with Schemathesis (property-based, on Hypothesis).
# Starts the demo (scripts/run.sh --demo) on free ports in a private state directory, reads the served document from
# /q/openapi on the management port, and lets Schemathesis generate requests for every operation, valid and invalid,
# authenticated with a real account token. Fails on a 5xx, on a status the document does not list, and on an answer
# (the error envelope included) that does not match its documented schema or content type.
#   scripts/fuzz.sh   bounded run: WAGATE_FUZZ_EXAMPLES generated cases per operation and pass (default 10), a fixed
#                     seed so that make test is repeatable (WAGATE_FUZZ_SEED=<n> explores other cases)
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"

ST_VERSION=4.32.5
EXAMPLES=${WAGATE_FUZZ_EXAMPLES:-10}
VENV="$ROOT/.wagate/tools/schemathesis-$ST_VERSION"
ST="$VENV/bin/schemathesis"
if ! { [ -x "$ST" ] && "$ST" --version 2>/dev/null | grep -q "$ST_VERSION"; }; then
  echo "fuzz: installing schemathesis $ST_VERSION into ${VENV#"$ROOT"/}"
  rm -rf "$VENV"
  { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q "schemathesis==$ST_VERSION"; } || { echo "fuzz: could not install schemathesis"; exit 1; }
fi

free_ports() { # <n>: n distinct free loopback ports
  python3 -c 'import socket,sys
socks=[socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))' "$1"
}

HOME_DIR=$(mktemp -d /tmp/wagate-fuzz.XXXXXX)
chmod 755 "$HOME_DIR" # the embedded cluster runs as the postgres user, which must traverse it
read -r HTTP MGMT SIDECAR EMU EMU_CTL PG < <(free_ports 6)
DEMO_PID=""
stop_demo() {
  [ -n "$DEMO_PID" ] || return 0
  # TERM, not INT: a background job starts with SIGINT ignored and could not trap it
  kill -TERM -- "-$DEMO_PID" 2>/dev/null
  local n=0
  while kill -0 "$DEMO_PID" 2>/dev/null && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
  kill -KILL -- "-$DEMO_PID" 2>/dev/null
  DEMO_PID=""
}
cleanup() { stop_demo; rm -rf "$HOME_DIR"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# the parts before this one built the binaries; a standalone run builds what is missing
SKIP_BUILD=1
for f in bin/wagate-sidecar bin/wa-emulator target/quarkus-app/quarkus-run.jar; do [ -e "$f" ] || SKIP_BUILD=0; done
env -u PG_HOST -u PG_PORT -u PG_DB WAGATE_HOME="$HOME_DIR" WAGATE_SKIP_BUILD=$SKIP_BUILD WAGATE_HTTP_PORT="$HTTP" \
  WAGATE_MANAGEMENT_PORT="$MGMT" WAGATE_SIDECAR_PORT="$SIDECAR" WAGATE_EMULATOR_PORT="$EMU" WAGATE_EMULATOR_CONTROL_PORT="$EMU_CTL" \
  WAGATE_PG_PORT="$PG" WAGATE_RATE_LIMIT_CREATE_PER_MINUTE=1000000 setsid "$ROOT/scripts/run.sh" --demo >"$HOME_DIR/run.log" 2>&1 &
DEMO_PID=$!
deadline=$((SECONDS + 240))
until [ -s "$HOME_DIR/demo.env" ]; do
  kill -0 "$DEMO_PID" 2>/dev/null || { echo "fuzz: the demo exited early:"; tail -20 "$HOME_DIR/run.log"; exit 1; }
  [ $SECONDS -lt $deadline ] || { echo "fuzz: the demo was not ready in time:"; tail -20 "$HOME_DIR/run.log"; exit 1; }
  sleep 0.2
done
# shellcheck disable=SC1091
. "$HOME_DIR/demo.env"

# A fuzzing account of its own: no rate limit or quota in the way of generated cases, and one real instance to aim at.
ADMIN=$(cat "$HOME_DIR/admin-token")
TOKEN=$(curl -fsS -X POST "$WAGATE_URL/api/admin/accounts" -H "token: $ADMIN" -H 'Content-Type: application/json' \
  -d '{"name":"fuzz","instanceQuota":100000,"rateLimitPerMinute":1000000}' | sed -E 's/.*"token":"([^"]*)".*/\1/')
[ -n "$TOKEN" ] || { echo "fuzz: could not create the fuzzing account"; exit 1; }
curl -fsS -o /dev/null -X POST "$WAGATE_URL/api/instance/new" -H "token: $TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"fuzz","websocketEnabled":true}' || { echo "fuzz: could not create the fuzzing instance"; exit 1; }

ST_CONFIG=()
CHECKS=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance
run_st() { # <report name> <extra options...>
  local name=$1; shift
  echo "fuzz: $name"
  # from the state directory: Schemathesis keeps its own files (.schemathesis/) in the working directory
  (cd "$HOME_DIR" && "$ST" "${ST_CONFIG[@]}" run "$WAGATE_MANAGEMENT_URL/q/openapi" --url "$WAGATE_URL" -H "token: $TOKEN" --checks "$CHECKS" \
    --max-examples "$EXAMPLES" --seed "${WAGATE_FUZZ_SEED:-12}" --workers 1 --no-color --suppress-health-check all \
    --generation-database none "$@")
}
# The Messages routes answer 503 `Instance is not connected to WhatsApp` (the contract's status, in the document) for
# an instance that is not connected, which every fuzzed instance is: they get a pass of their own (3) where a 5xx must
# be one the document lists, instead of being refused outright.
MESSAGING='^/api/(message|chat)/'
# pass 1: every operation, instance names as generated (mostly unknown ones: 404 paths, validation before lookup)
run_st "every operation, generated instance names" --exclude-path-regex "$MESSAGING"; first=$?
# pass 2: the real instance, so that bodies reach the configuration code; delete would end the pass early
printf '[parameters]\n"path.instance" = "fuzz"\n' > "$HOME_DIR/real-instance.toml"
ST_CONFIG=(--config-file "$HOME_DIR/real-instance.toml")
run_st "every operation on a real instance" --exclude-operation-id deleteInstance --exclude-path-regex "$MESSAGING"; second=$?
CHECKS=${CHECKS#not_a_server_error,}
run_st "the Messages routes on a real instance, not connected" --exclude-path-regex "^/(ws|api/(instance|events|admin|console)/)"; third=$?

# no 5xx may hide in the log either (a stack trace for a client mistake)
traces=$(grep -cE 'ERROR|Exception' "$HOME_DIR/logs/gateway.log")
[ "$traces" -eq 0 ] || { echo "fuzz: the gateway logged $traces ERROR/Exception lines:"; grep -m20 -E 'ERROR|Exception' "$HOME_DIR/logs/gateway.log"; }
[ $first -eq 0 ] && [ $second -eq 0 ] && [ $third -eq 0 ] && [ "$traces" -eq 0 ]
