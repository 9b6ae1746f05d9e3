#!/usr/bin/env bash
# Starts wagate: embedded PostgreSQL (unless PG_HOST points at a server), the sidecar, and the gateway.
#   scripts/run.sh          against real WhatsApp           (make run)
#   scripts/run.sh --demo   against the bundled emulator    (make demo)
# A crashed emulator, sidecar or gateway is restarted with backoff (logged here). Ctrl-C (or SIGTERM) stops
# everything it started, in order. Settings: see the README's configuration table.
# WAGATE_REPLICAS=N (make run|demo REPLICAS=N) starts N gateway+sidecar pairs ("pods") on one PostgreSQL (and one
# emulator): pod n listens on the HTTP and management ports plus n-1, logs to gateway-n.log / sidecar-n.log (pod 1:
# gateway.log / sidecar.log) and keeps its process ids in $WAGATE_HOME/pods/<n>/{gateway,sidecar}.pid. A pod stays
# down after its processes exit while $WAGATE_HOME/pods/<n>/down exists. WAGATE_CLUSTER_ENABLED=true with one replica
# (and PG_HOST set to the others' database) starts one more member of a running cluster.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"

DEMO=0
[ "${1:-}" = "--demo" ] && DEMO=1

WAGATE_HOME=${WAGATE_HOME:-$ROOT/.wagate}
HTTP_PORT=${WAGATE_HTTP_PORT:-8080}
MANAGEMENT_PORT=${WAGATE_MANAGEMENT_PORT:-9000}
# the sidecar's gRPC: a unix socket under $WAGATE_HOME/run (owner only), or loopback TCP when WAGATE_SIDECAR_PORT is set
SIDECAR_PORT=${WAGATE_SIDECAR_PORT:-}
EMU_PORT=${WAGATE_EMULATOR_PORT:-9200}
EMU_CONTROL_PORT=${WAGATE_EMULATOR_CONTROL_PORT:-9201}
PG_PORT_EMBEDDED=${WAGATE_PG_PORT:-55432}
READY_TIMEOUT=${WAGATE_READY_TIMEOUT:-60}
REPLICAS=${WAGATE_REPLICAS:-1}
[[ "$REPLICAS" =~ ^[1-9][0-9]?$ ]] || die "WAGATE_REPLICAS must be a number from 1 to 99 (got '$REPLICAS')"
PODS=$(seq 1 "$REPLICAS")
# pod_suffix <n>: what tells pod n's files and process names apart; nothing for pod 1, so one pod looks as it always did
pod_suffix() { [ "$1" = 1 ] || echo "-$1"; }

mkdir -p "$WAGATE_HOME/logs"
WAGATE_HOME=$(cd "$WAGATE_HOME" && pwd)
LOGS=$WAGATE_HOME/logs
# logs may carry instance names, QR codes and errors: owner only (new files 0600, existing ones tightened)
chmod 700 "$LOGS"
for f in build emulator; do private_file "$LOGS/$f.log"; done
for n in $PODS; do
  for f in sidecar gateway; do private_file "$LOGS/$f$(pod_suffix "$n").log"; done
  mkdir -p "$WAGATE_HOME/pods/$n" && chmod 700 "$WAGATE_HOME/pods/$n"
  rm -f "$WAGATE_HOME/pods/$n/down" # a hold from an earlier run
done

ensure_go
ensure_java
for n in $PODS; do
  require_free_port $((HTTP_PORT + n - 1)) WAGATE_HTTP_PORT
  require_free_port $((MANAGEMENT_PORT + n - 1)) WAGATE_MANAGEMENT_PORT
  [ -z "$SIDECAR_PORT" ] || require_free_port $((SIDECAR_PORT + n - 1)) WAGATE_SIDECAR_PORT
done
if [ $DEMO = 1 ]; then
  require_free_port "$EMU_PORT" WAGATE_EMULATOR_PORT
  require_free_port "$EMU_CONTROL_PORT" WAGATE_EMULATOR_CONTROL_PORT
fi

if [ "${WAGATE_SKIP_BUILD:-0}" != 1 ]; then
  info "building the sidecar, the emulator and wagate-events"
  (cd "$ROOT/sidecar" && go build -o "$ROOT/bin/" ./cmd/wagate-sidecar ./cmd/wa-emulator ./cmd/wagate-events) >"$LOGS/build.log" 2>&1 \
    || die "Go build failed, see $LOGS/build.log"
  if [ "${WAGATE_NATIVE:-0}" != 1 ]; then
    info "building the gateway (first run downloads Maven dependencies)"
    (cd "$ROOT" && ./mvnw -B -q package -DskipTests) >>"$LOGS/build.log" 2>&1 \
      || die "gateway build failed, see $LOGS/build.log"
  fi
fi
# WAGATE_NATIVE=1 runs the native binary that `make native` built (not rebuilt here: that takes many minutes).
if [ "${WAGATE_NATIVE:-0}" = 1 ]; then
  GATEWAY_BIN=$(ls "$ROOT"/target/*-runner 2>/dev/null | head -1)
  [ -n "$GATEWAY_BIN" ] || die "WAGATE_NATIVE=1 but no target/*-runner: run 'make native' first"
  # -Xmn64m: throughput 14-31 % above a 16 MB young generation; -XX:MaxHeapFree=4m: free heap beyond 4 MB goes back
  # to the OS after a collection, so the idle footprint is live data (bench/native, README "Native vs JVM")
  GATEWAY_CMD=("$GATEWAY_BIN" ${WAGATE_NATIVE_OPTS--Xmn64m -XX:MaxHeapFree=4m})
else
  GATEWAY_BIN=$ROOT/target/quarkus-app/quarkus-run.jar
  GATEWAY_CMD=(java ${WAGATE_JAVA_OPTS:-} -jar "$GATEWAY_BIN")
fi
for f in "$ROOT/bin/wagate-sidecar" "$ROOT/bin/wa-emulator" "$ROOT/bin/wagate-events" "$GATEWAY_BIN"; do
  [ -e "$f" ] || die "missing $f; run without WAGATE_SKIP_BUILD=1 to build it"
done

# Each process runs in its own session, so Ctrl-C reaches only this script, which stops them in order.
PIDS=()
NAMES=()
EMBEDDED_PG=""
SLEEPER=""
stopping=0
cleanup() {
  [ $stopping = 1 ] && return; stopping=1
  # ignored, not reset: a signal to the whole process group arrives twice (directly and through make), and the
  # second one must not kill this script in the middle of its clean-up and leave the processes behind
  trap '' INT TERM
  trap - EXIT
  info "stopping"
  [ -n "$SLEEPER" ] && kill "$SLEEPER" 2>/dev/null
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

# started <name> [pod]: records the process just started in the background ($!) under its name (and, for a pod's
# process, in the pod's pid file, so that anyone can kill or freeze one pod by hand).
started() {
  local i
  [ -z "${2:-}" ] || echo $! >"$WAGATE_HOME/pods/$2/${1%%-*}.pid"
  for i in "${!NAMES[@]}"; do
    if [ "${NAMES[$i]}" = "$1" ]; then PIDS[i]=$!; return; fi
  done
  PIDS+=($!); NAMES+=("$1")
}

# hold_down <name>: a pod's process is not restarted while $WAGATE_HOME/pods/<n>/down exists (touch it before killing
# the pod to keep it dead, remove it to let the pod start again). Nothing else is restarted meanwhile.
hold_down() {
  local pod=1
  [[ $1 == *-* ]] && pod=${1##*-}
  [ "$1" != emulator ] && [ -e "$WAGATE_HOME/pods/$pod/down" ] || return 0
  info "$(date -u +%FT%TZ) pod $pod is held down ($WAGATE_HOME/pods/$pod/down): the $1 stays down until that file is removed"
  while [ -e "$WAGATE_HOME/pods/$pod/down" ] && [ $stopping = 0 ]; do
    sleep 0.2 & SLEEPER=$!
    wait "$SLEEPER"; SLEEPER=""
  done
}

# supervise: restarts whichever process exits, as Kubernetes restarts a container: the first crash after a stable run
# at once (a restarted sidecar's sessions are restored within seconds, and a second of waiting is a tenth of that),
# each further one after a delay that doubles (1 s up to 30 s); it starts over once the process stayed up a minute.
# Returns only when a signal stops everything (the traps above).
supervise() {
  set +e
  local -A delay=() since=()
  local i name code exited
  for name in "${NAMES[@]}"; do delay[$name]=0; since[$name]=$SECONDS; done
  while [ $stopping = 0 ]; do
    exited=""
    # a process that died while this loop waited out another one's restart delay was reaped by bash then, and wait -n
    # no longer knows its pid ("no such job"): it would never be restarted. Such a pid is simply gone.
    for i in "${!PIDS[@]}"; do
      kill -0 "${PIDS[$i]}" 2>/dev/null || { exited=${PIDS[$i]}; code="unknown"; break; }
    done
    [ -n "$exited" ] || { wait -n -p exited "${PIDS[@]}"; code=$?; }
    for i in "${!PIDS[@]}"; do
      [ "${PIDS[$i]}" = "$exited" ] || continue
      [ $stopping = 1 ] && return
      name=${NAMES[$i]}
      [ $((SECONDS - since[$name])) -ge 60 ] && delay[$name]=0
      info "$(date -u +%FT%TZ) the $name exited (status $code); restarting it in ${delay[$name]}s, see $LOGS/$name.log"
      # in the background so that a signal is handled at once, not after the sleep
      sleep "${delay[$name]}" & SLEEPER=$!
      wait "$SLEEPER"; SLEEPER=""
      hold_down "$name"
      [ $stopping = 1 ] && return
      # a pod's process is named <kind>-<pod> (pod 1: <kind>)
      if [[ $name == *-* ]]; then "start_${name%%-*}" "${name##*-}" again; else "start_$name" 1 again; fi
      info "$(date -u +%FT%TZ) the $name was restarted (pid ${PIDS[$i]})"
      since[$name]=$SECONDS
      delay[$name]=$(( delay[$name] == 0 ? 1 : delay[$name] * 2 > 30 ? 30 : delay[$name] * 2 ))
    done
  done
}

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
# The sidecar's gRPC has no authentication of its own: by default a 0600 socket in a 0700 directory, so no other local
# user can reach it (loopback TCP would let any of them drive the WhatsApp sessions). The pod keeps loopback TCP.
[ -n "$SIDECAR_PORT" ] || { mkdir -p "$WAGATE_HOME/run" && chmod 700 "$WAGATE_HOME/run"; }
# pod_sidecar <n>: sets SIDECAR_LISTEN (the sidecar's --listen) and GATEWAY_SIDECAR_ENV (how its gateway reaches it)
pod_sidecar() {
  if [ -n "$SIDECAR_PORT" ]; then
    SIDECAR_LISTEN=127.0.0.1:$((SIDECAR_PORT + $1 - 1))
    GATEWAY_SIDECAR_ENV=(QUARKUS_GRPC_CLIENTS_SIDECAR_HOST=127.0.0.1 QUARKUS_GRPC_CLIENTS_SIDECAR_PORT=$((SIDECAR_PORT + $1 - 1)))
  else
    local socket=$WAGATE_HOME/run/sidecar$(pod_suffix "$1").sock
    # sun_path holds 107 bytes
    [ ${#socket} -le 100 ] || die "socket path $socket is too long for a unix socket: use a shorter WAGATE_HOME or set WAGATE_SIDECAR_PORT"
    SIDECAR_LISTEN=unix://$socket
    GATEWAY_SIDECAR_ENV=(WAGATE_SIDECAR_SOCKET="$socket" QUARKUS_GRPC_CLIENTS_SIDECAR_USE_VERTX_EVENT_LOOP=false)
  fi
}
SIDECAR_ARGS=()
# start_<name> [again]: starts one process in its own session; "again" (a restart by supervise) appends to its log.
# The media server's port is picked by the first start and kept by restarts, since the sidecar is told it once.
EMU_MEDIA=127.0.0.1:0
start_emulator() { # [pod] [again]: one emulator for every pod
  # the virtual contacts' whatsmeow state: a database of its own (by environment, as every DSN here)
  # shellcheck disable=SC2086
  WA_EMULATOR_CONTACTS_DB=${CONTACTS_DSN:-} setsid "$ROOT/bin/wa-emulator" --listen "127.0.0.1:$EMU_PORT" \
    --control "127.0.0.1:$EMU_CONTROL_PORT" --media "$EMU_MEDIA" --state-file "$WAGATE_HOME/emulator-state.json" \
    ${WAGATE_EMULATOR_ARGS:-} >>"$LOGS/emulator.log" 2>&1 &
  started emulator
}
if [ $DEMO = 1 ]; then
  CONTACTS_DB="${PG_DB}_contacts"
  if PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -qtA \
      -c "SELECT 1 FROM pg_database WHERE datname = '$CONTACTS_DB'" 2>/dev/null | grep -q 1 \
    || PGPASSWORD=$PG_PASSWORD psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -q \
      -c "CREATE DATABASE \"$CONTACTS_DB\"" >/dev/null 2>&1; then
    CONTACTS_DSN="postgres://$PG_USER:$PG_PASSWORD@$PG_HOST:$PG_PORT/$CONTACTS_DB?sslmode=${PG_SSLMODE:-disable}"
  else
    info "no database $CONTACTS_DB (the PostgreSQL user may not create databases): the emulator runs without virtual contacts"
  fi
  : >"$LOGS/emulator.log"
  start_emulator
  line=$(wait_line "$LOGS/emulator.log" '^wa-emulator listening' 20 "${PIDS[-1]}") \
    || die "the emulator did not start, see $LOGS/emulator.log"
  ROOT_KEY=$(sed -E 's/.*rootPublicKey=([0-9a-f]+).*/\1/' <<<"$line")
  EMU_MEDIA=$(sed -E 's/.* media=([0-9.:]+).*/\1/' <<<"$line")
  SIDECAR_ARGS+=(--wa-emulator "127.0.0.1:$EMU_PORT" --wa-emulator-root-key "$ROOT_KEY" --wa-emulator-media "$EMU_MEDIA")
fi

start_sidecar() { # <pod> [again]
  local sfx
  sfx=$(pod_suffix "$1")
  pod_sidecar "$1"
  # shellcheck disable=SC2086
  WAGATE_SIDECAR_DB=$DSN setsid "$ROOT/bin/wagate-sidecar" --listen "$SIDECAR_LISTEN" "${SIDECAR_ARGS[@]}" ${WAGATE_SIDECAR_ARGS:-} \
    >>"$LOGS/sidecar$sfx.log" 2>&1 &
  started "sidecar$sfx" "$1"
}
for n in $PODS; do
  log=$LOGS/sidecar$(pod_suffix "$n").log
  : >"$log"
  start_sidecar "$n"
  wait_line "$log" '^wagate-sidecar listening' 30 "${PIDS[-1]}" >/dev/null \
    || die "the sidecar did not start: $(grep -m1 -iE 'error|fatal' "$log" || echo "see $log")"
done

BASE_URL=http://127.0.0.1:$HTTP_PORT
# /q/* (health, metrics, OpenAPI, Swagger UI in the demo) is served on the management port only
MANAGEMENT_URL=http://127.0.0.1:$MANAGEMENT_PORT
BASE_URLS=$(for n in $PODS; do echo "http://127.0.0.1:$((HTTP_PORT + n - 1))"; done | paste -sd,)
# The demo's webhook receivers live on this machine; against real WhatsApp, private targets stay refused (SSRF).
DEMO_PRIVATE=false
[ $DEMO = 1 ] && DEMO_PRIVATE=true
# the console's "scan with the emulator's phone" (demo only; empty turns it and its routes off)
CONSOLE_EMULATOR_URL=""
[ $DEMO = 1 ] && CONSOLE_EMULATOR_URL=http://127.0.0.1:$EMU_CONTROL_PORT
start_gateway() { # <pod> [again]
  local sfx http=$((HTTP_PORT + $1 - 1))
  sfx=$(pod_suffix "$1")
  pod_sidecar "$1"
  # shellcheck disable=SC2086
  PG_HOST=$PG_HOST PG_PORT=$PG_PORT \
  QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$http \
  QUARKUS_MANAGEMENT_HOST=127.0.0.1 QUARKUS_MANAGEMENT_PORT=$((MANAGEMENT_PORT + $1 - 1)) \
  WAGATE_CLUSTER_ENABLED=${WAGATE_CLUSTER_ENABLED:-$([ "$REPLICAS" = 1 ] && echo false || echo true)} WAGATE_CLUSTER_ADVERTISED_URL=http://127.0.0.1:$http \
  WAGATE_ENCRYPTION_KEY_FILE=$KEY_FILE WAGATE_ADMIN_TOKEN=$ADMIN_TOKEN \
  WAGATE_BOOTSTRAP_ACCOUNT_TOKEN=$ACCOUNT_TOKEN WAGATE_BOOTSTRAP_ACCOUNT_NAME=${WAGATE_BOOTSTRAP_ACCOUNT_NAME:-default} \
  WAGATE_BASE_URL=$BASE_URL WAGATE_CONSOLE_EMULATOR_URL=$CONSOLE_EMULATOR_URL \
  WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=${WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS:-$DEMO_PRIVATE} \
    env "${GATEWAY_SIDECAR_ENV[@]}" setsid "${GATEWAY_CMD[@]}" >>"$LOGS/gateway$sfx.log" 2>&1 &
  started "gateway$sfx" "$1"
}
GATEWAY_PIDS=()
for n in $PODS; do
  : >"$LOGS/gateway$(pod_suffix "$n").log"
  start_gateway "$n"
  GATEWAY_PIDS+=("${PIDS[-1]}")
done

deadline=$((SECONDS + READY_TIMEOUT))
for n in $PODS; do
  log=$LOGS/gateway$(pod_suffix "$n").log
  until curl -fsS -o /dev/null "http://127.0.0.1:$((MANAGEMENT_PORT + n - 1))/q/health/ready" 2>/dev/null; do
    kill -0 "${GATEWAY_PIDS[n-1]}" 2>/dev/null || die "the gateway stopped: $(grep -m1 -E 'ERROR|Exception' "$log" || echo "see $log")"
    [ $SECONDS -lt $deadline ] || die "the gateway was not ready within ${READY_TIMEOUT}s, see $log"
    sleep 0.2
  done
done

if [ $DEMO = 1 ]; then
  EMU_URL=http://127.0.0.1:$EMU_CONTROL_PORT
  # it holds the account token; exported, so that commands run from the sourcing shell (bin/wagate-events) see it
  private_file "$WAGATE_HOME/demo.env.tmp"
  printf 'export WAGATE_URL=%s\nexport WAGATE_ACCOUNT_TOKEN=%s\nexport WAGATE_EMULATOR_URL=%s\nexport WAGATE_MANAGEMENT_URL=%s\nexport WAGATE_URLS=%s\n' \
    "$BASE_URL" "$ACCOUNT_TOKEN" "$EMU_URL" "$MANAGEMENT_URL" "$BASE_URLS" \
    > "$WAGATE_HOME/demo.env.tmp"
  mv "$WAGATE_HOME/demo.env.tmp" "$WAGATE_HOME/demo.env"
fi

cat <<EOT

wagate is ready on $BASE_URL  (logs: $LOGS)$([ "$REPLICAS" = 1 ] || printf '\n%s pods (gateway+sidecar pairs): %s; process ids in %s/pods/<n>/' "$REPLICAS" "$BASE_URLS" "$WAGATE_HOME")
Web console: $BASE_URL/console/  (sign in with the TokenAccount below)
Health, metrics, OpenAPI: $MANAGEMENT_URL/q/health/ready, $MANAGEMENT_URL/q/metrics, $MANAGEMENT_URL/q/openapi
TokenAccount (bootstrap account): $ACCOUNT_TOKEN
Admin token (POST /api/admin/accounts): stored in $WAGATE_HOME/admin-token
EOT
if [ $DEMO = 1 ]; then
  cat <<EOT
Emulator control API: $EMU_URL   (environment in $WAGATE_HOME/demo.env)

Walkthrough (copy-paste into another shell, one line at a time):
  . $WAGATE_HOME/demo.env
  curl -s -X POST \$WAGATE_URL/api/instance/new -H "token: \$WAGATE_ACCOUNT_TOKEN" -H 'Content-Type: application/json' -d '{"name":"demo","websocketEnabled":true}'
  $ROOT/bin/wagate-events demo &    # prints the instance's events as they happen (a bundled WebSocket client)
  QR=\$(curl -s \$WAGATE_URL/api/instance/connect/demo -H "token: \$WAGATE_ACCOUNT_TOKEN" | sed -E 's/.*"qrCode":"([^"]*)".*/\1/')
  JID=\$(curl -s -X POST \$WAGATE_EMULATOR_URL/phone/scan -d "{\\"qr\\":\\"\$QR\\",\\"phone\\":\\"5511999999999\\"}" | sed -E 's/.*"jid":"([^"]*)".*/\1/')    # the phone scans the QR: events connecting, connected
  curl -s \$WAGATE_URL/api/instance/list -H "token: \$WAGATE_ACCOUNT_TOKEN"    # "connection":{"state":"connected",...}
  curl -s -X POST \$WAGATE_EMULATOR_URL/devices/\$JID/replace    # another client takes the session over: event stream_replaced, and the list says disconnected
  curl -s -X POST \$WAGATE_URL/api/instance/reconnect/demo -H "token: \$WAGATE_ACCOUNT_TOKEN"    # "Reconnect initiated" from the saved session, no QR: events connecting, connected
  curl -s -X POST \$WAGATE_EMULATOR_URL/contacts -d '{"phone":"5511888888888","name":"Ana"}'    # a virtual contact: a WhatsApp account with a whatsmeow client of its own inside the emulator
  curl -s -X POST \$WAGATE_URL/api/message/text/demo -H "token: \$WAGATE_ACCOUNT_TOKEN" -H 'Content-Type: application/json' -d '{"number":"5511888888888","message":"Hello Ana"}'    # "Message sent successfully": events message.exchange (outgoing), message.status sent, then delivered
  curl -s -X POST \$WAGATE_EMULATOR_URL/contacts/5511888888888/send -d '{"to":"5511999999999","text":"Hi, Ana here"}'    # Ana answers: event message.exchange (incoming) with her text
  kill %1    # stop watching
EOT
fi
echo "Press Ctrl-C to stop. A crashed process is restarted (logged here)."

# Stay in the foreground, restarting whatever crashes, until Ctrl-C or SIGTERM.
supervise
