#!/usr/bin/env bash
# Embedded PostgreSQL for wagate: one cluster under a data directory, TCP on 127.0.0.1 only.
#   scripts/pg.sh start <dir> <port>   initdb on first use, start, create role/database app (idempotent)
#   scripts/pg.sh stop <dir>           fast shutdown
# The cluster persists in <dir> between starts, so whatsmeow sessions survive a restart.
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
PG_USER=${PG_USER:-app}
PG_PASSWORD=${PG_PASSWORD:-app}
PG_DB=${PG_DB:-app}

die() { echo "wagate: $*" >&2; exit 1; }

ensure_binaries() {
  [ -x "$PGBIN/initdb" ] && return 0
  command -v apt-get >/dev/null || die "PostgreSQL server binaries not found in $PGBIN; install PostgreSQL 15 or set PGBIN"
  echo "wagate: installing PostgreSQL server binaries (apt-get install postgresql)" >&2
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >/dev/null \
    || die "apt-get install postgresql failed; install PostgreSQL 15 server binaries or set PGBIN"
  [ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries still missing in $PGBIN after install; set PGBIN"
}

# Runs a command as the postgres OS user when we are root (initdb refuses root), else as ourselves.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start() {
  local dir=$1 port=$2
  ensure_binaries
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" = 0 ]; then
    chown postgres:postgres "$dir"
    runuser -u postgres -- test -x "$dir" || die "the postgres user cannot reach $dir (a parent directory is private); choose a WAGATE_HOME it can traverse"
  fi
  if [ -f "$dir/data/postmaster.pid" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    echo "wagate: PostgreSQL already running in $dir" >&2
  else
    port_in_use "$port" && die "port $port is already in use; set WAGATE_PG_PORT to a free port"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_pg "$PGBIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || die "initdb failed, see $dir/initdb.log"
    fi
    as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='' -c max_connections=300 ${PG_EXTRA_OPTS:-}" start >/dev/null \
      || die "PostgreSQL did not start, see $dir/server.log"
  fi
  local psql=(psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname='$PG_USER'")" ]; then
    "${psql[@]}" -c "CREATE ROLE \"$PG_USER\" LOGIN CREATEDB PASSWORD '$PG_PASSWORD'" >/dev/null
  fi
  if [ -z "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname='$PG_DB'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\"" >/dev/null
  fi
}

stop() {
  local dir=$1
  [ -f "$dir/data/postmaster.pid" ] || return 0
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" stop -m fast -w -t 30 >/dev/null 2>&1 || true
}

case "${1:-}" in
  start) [ $# -eq 3 ] || die "usage: pg.sh start <dir> <port>"; start "$2" "$3" ;;
  stop) [ $# -eq 2 ] || die "usage: pg.sh stop <dir>"; stop "$2" ;;
  *) die "usage: pg.sh start <dir> <port> | stop <dir>" ;;
esac
