#!/usr/bin/env bash
# Starts wagate: embedded PostgreSQL (unless PG_HOST points at a server), the sidecar, and the gateway.
#   scripts/run.sh          against real WhatsApp           (make run)
#   scripts/run.sh --demo   against the bundled emulator    (make demo)
# Ctrl-C (or SIGTERM) stops everything it started. Settings: see the README's configuration table.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

DEMO=0
[ "${1:-}" = "--demo" ] && DEMO=1

WAGATE_HOME=${WAGATE_HOME:-$ROOT/.wagate}
HTTP_PORT=${WAGATE_HTTP_PORT:-8080}
SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-9001}
EMU_PORT=${WAGATE_EMULATOR_PORT:-9200}
EMU_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-9201}
PG_PORT_EMBEDDED=${WAGATE_PG_PORT:-55432}
READY_TIMEOUT=${WAGATE_READY_TIMEOUT:-60}

mkdir -p "$WAGATE_HOME/logs"
WAGATE_HOME=$(cd "$WAGATE_HOME" && pwd)
LOGS=$WAGATE_HOME/logs
# logs may carry instance names, QR codes and errors: owner only (new files 0600, existing ones tightened)
chmod 700 "$LOGS"
for f in build emulator sidecar gateway; do private_file "$LOGS/$f.log"; done

ensure_go
ensure_java
require_free_port "$HTTP_PORT" WAGATE_HTTP_PORT
require_free_port "$SIDECAR_PORT" WAGATE_SIDECAR_PORT
if [ $DEMO = 1 ]; then
  require_free_port "$EMU_PORT" WAGATE_EMULATOR_PORT
  require_free_port "$EMU_CONTROL_PORT" WAGATE_EMULATOR_CONTROL_PORT
fi

if [ "${WAGATE_SKIP_BUILD:-0}" != 1 ]; then
  info "building the sidecar and the emulator"
  (cd "$ROOT/sidecar" && go build -o "$ROOT/bin/" ./cmd/wagate-sidecar ./cmd/wa-emulator) >"$LOGS/build.log" 2>&1 \
    || die "Go build failed, see $LOGS/build.log"
  info "building the gateway (first run downloads Maven dependencies)"
  (cd "$ROOT" && ./mvnw -B -q package -DskipTests) >>"$LOGS/build.log" 2>&1 \
    || die "gateway build failed, see $LOGS/build.log"
fi
for f in "$ROOT/bin/wagate-sidecar" "$ROOT/bin/wa-emulator" "$ROOT/target/quarkus-app/quarkus-run.jar"; do
  [ -e "$f" ] || die "missing $f; run without WAGATE_SKIP_BUILD=1 to build it"
done

# Each process runs in its own session, so Ctrl-C reaches only this script, which stops them in order.
PIDS=()
NAMES=()
EMBEDDED_PG=""
stopping=0
cleanup() {
  [ $stopping = 1 ] && return; stopping=1
  trap - INT TERM EXIT
  info "stopping"
  local i
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill -TERM "${PIDS[$i]}" 2>/dev/null || true; done
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    local n=0
    while kill -0 "${PIDS[$i]}" 2>/dev/null && [ $n -lt 150 ]; do sleep 0.1; n=$((n+1)); done
    kill -KILL "${PIDS[$i]}" 2>/dev/null || true
    wait "${PIDS[$i]}" 2>/dev/null || true
  done
  [ -n "$EMBEDDED_PG" ] && "$ROOT/scripts/pg.sh" stop "$EMBEDDED_PG"
  info "stopped"
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

# PostgreSQL: an existing server when PG_HOST is set, else the embedded cluster under $WAGATE_HOME/pg.
export PG_USER=${PG_USER:-app} PG_PASSWORD=${PG_PASSWORD:-app} PG_DB=${PG_DB:-app}
if [ -n "${PG_HOST:-}" ]; then
  export PG_PORT=${PG_PORT:-5432}
  (exec 3<>"/dev/tcp/$PG_HOST/$PG_PORT") 2>/dev/null || die "cannot reach PostgreSQL at $PG_HOST:$PG_PORT; check PG_HOST/PG_PORT or unset PG_HOST to use the embedded cluster"
else
  export PG_HOST=127.0.0.1 PG_PORT=$PG_PORT_EMBEDDED
  "$ROOT/scripts/pg.sh" start "$WAGATE_HOME/pg" "$PG_PORT"
  EMBEDDED_PG=$WAGATE_HOME/pg
fi
DSN="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$PG_DB?sslmode=${PG_SSLMODE:-disable}"

ACCOUNT_TOKEN=$(persistent_secret "$WAGATE_HOME/account-token" random_token)
ADMIN_TOKEN=$(persistent_secret "$WAGATE_HOME/admin-token" random_token)
KEY_FILE=$WAGATE_HOME/encryption.key
persistent_secret "$KEY_FILE" sh -c 'head -c 32 /dev/urandom | base64' >/dev/null

# the DSN (with the database password) goes by environment: a command line is readable by every local user (ps)
SIDECAR_ARGS=(--listen "127.0.0.1:$SIDECAR_PORT")
if [ $DEMO = 1 ]; then
  setsid "$ROOT/bin/wa-emulator" --listen "127.0.0.1:$EMU_PORT" --control "127.0.0.1:$EMU_CONTROL_PORT" \
    --state-file "$WAGATE_HOME/emulator-state.json" ${WAGATE_EMULATOR_ARGS:-} >"$LOGS/emulator.log" 2>&1 &
  PIDS+=($!); NAMES+=(emulator)
  line=$(wait_line "$LOGS/emulator.log" '^wa-emulator listening' 20 "${PIDS[-1]}") \
    || die "the emulator did not start, see $LOGS/emulator.log"
  ROOT_KEY=$(sed -E 's/.*rootPublicKey=([0-9a-f]+).*/\1/' <<<"$line")
  SIDECAR_ARGS+=(--wa-emulator "127.0.0.1:$EMU_PORT" --wa-emulator-root-key "$ROOT_KEY")
fi

# shellcheck disable=SC2086
WAGATE_SIDECAR_DB=$DSN setsid "$ROOT/bin/wagate-sidecar" "${SIDECAR_ARGS[@]}" ${WAGATE_SIDECAR_ARGS:-} >"$LOGS/sidecar.log" 2>&1 &
PIDS+=($!); NAMES+=(sidecar)
wait_line "$LOGS/sidecar.log" '^wagate-sidecar listening' 30 "${PIDS[-1]}" >/dev/null \
  || die "the sidecar did not start: $(grep -m1 -iE 'error|fatal' "$LOGS/sidecar.log" || echo "see $LOGS/sidecar.log")"

BASE_URL=http://127.0.0.1:$HTTP_PORT
# The demo's webhook receivers live on this machine; against real WhatsApp, private targets stay refused (SSRF).
DEMO_PRIVATE=false
[ $DEMO = 1 ] && DEMO_PRIVATE=true
PG_HOST=$PG_HOST PG_PORT=$PG_PORT \
QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$HTTP_PORT \
QUARKUS_GRPC_CLIENTS_SIDECAR_HOST=127.0.0.1 QUARKUS_GRPC_CLIENTS_SIDECAR_PORT=$SIDECAR_PORT \
WAGATE_ENCRYPTION_KEY_FILE=$KEY_FILE WAGATE_ADMIN_TOKEN=$ADMIN_TOKEN \
WAGATE_BOOTSTRAP_ACCOUNT_TOKEN=$ACCOUNT_TOKEN WAGATE_BOOTSTRAP_ACCOUNT_NAME=${WAGATE_BOOTSTRAP_ACCOUNT_NAME:-default} \
WAGATE_BASE_URL=$BASE_URL WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=${WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS:-$DEMO_PRIVATE} \
  setsid java ${WAGATE_JAVA_OPTS:-} -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$LOGS/gateway.log" 2>&1 &
PIDS+=($!); NAMES+=(gateway)
GATEWAY_PID=${PIDS[-1]}

deadline=$((SECONDS + READY_TIMEOUT))
until curl -fsS -o /dev/null "$BASE_URL/q/health/ready" 2>/dev/null; do
  kill -0 "$GATEWAY_PID" 2>/dev/null || die "the gateway stopped: $(grep -m1 -E 'ERROR|Exception' "$LOGS/gateway.log" || echo "see $LOGS/gateway.log")"
  [ $SECONDS -lt $deadline ] || die "the gateway was not ready within ${READY_TIMEOUT}s, see $LOGS/gateway.log"
  sleep 0.2
done

if [ $DEMO = 1 ]; then
  EMU_URL=http://127.0.0.1:$EMU_CONTROL_PORT
  private_file "$WAGATE_HOME/demo.env.tmp"   # it holds the account token
  printf 'WAGATE_URL=%s\nWAGATE_ACCOUNT_TOKEN=%s\nWAGATE_EMULATOR_URL=%s\n' "$BASE_URL" "$ACCOUNT_TOKEN" "$EMU_URL" \
    > "$WAGATE_HOME/demo.env.tmp"
  mv "$WAGATE_HOME/demo.env.tmp" "$WAGATE_HOME/demo.env"
fi

cat <<EOT

wagate is ready on $BASE_URL  (logs: $LOGS)
TokenAccount (bootstrap account): $ACCOUNT_TOKEN
Admin token (POST /api/admin/accounts): stored in $WAGATE_HOME/admin-token
EOT
if [ $DEMO = 1 ]; then
  cat <<EOT
Emulator control API: $EMU_URL   (environment in $WAGATE_HOME/demo.env)

Walkthrough (copy-paste into another shell):
  . $WAGATE_HOME/demo.env
  curl -s -X POST \$WAGATE_URL/api/instance/new -H "token: \$WAGATE_ACCOUNT_TOKEN" -H 'Content-Type: application/json' \\
       -d '{"name":"demo","websocketEnabled":true}'
  curl -s \$WAGATE_URL/api/instance/connect/demo -H "token: \$WAGATE_ACCOUNT_TOKEN"        # prints qrCode
  QR=\$(curl -s \$WAGATE_URL/api/instance/connect/demo -H "token: \$WAGATE_ACCOUNT_TOKEN" | sed -E 's/.*"qrCode":"([^"]*)".*/\1/')
  curl -s -X POST \$WAGATE_EMULATOR_URL/phone/scan -d "{\"qr\":\"\$QR\",\"phone\":\"5511999999999\"}"   # the phone scans it
  websocat "ws://127.0.0.1:$HTTP_PORT/ws/demo?token=\$WAGATE_ACCOUNT_TOKEN"               # watch events (any WebSocket client)
  curl -s \$WAGATE_URL/api/instance/list -H "token: \$WAGATE_ACCOUNT_TOKEN"
  JID=\$(curl -s \$WAGATE_EMULATOR_URL/devices | sed -E 's/.*"jid":"([^"]*)".*/\1/')
  curl -s -X POST \$WAGATE_EMULATOR_URL/devices/\$JID/kick                                   # drop the connection
  curl -s -X POST \$WAGATE_URL/api/instance/reconnect/demo -H "token: \$WAGATE_ACCOUNT_TOKEN" # reconnect, no QR
EOT
fi
echo "Press Ctrl-C to stop."

# Stay in the foreground; if any process dies, stop the rest.
set +e
wait -n "${PIDS[@]}"
for i in "${!PIDS[@]}"; do
  kill -0 "${PIDS[$i]}" 2>/dev/null || info "the ${NAMES[$i]} exited unexpectedly; see $LOGS/${NAMES[$i]}.log"
done
exit 1
