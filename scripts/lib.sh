# Shared helpers for wagate's scripts. Sourced, not run.
# shellcheck shell=bash

die() { echo "wagate: $*" >&2; exit 1; }
info() { echo "wagate: $*" >&2; }

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() { # <port> <env var that moves it>
  port_in_use "$1" && die "port $1 is already in use; stop what uses it or set $2 to a free port"
  return 0
}

# A random URL-safe secret of 32 bytes.
random_token() { head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'; }

# Reads a secret from <file>, creating it with <generator> on first use (mode 600, also for a file made before).
persistent_secret() { # <file> <generator command...>
  local f=$1; shift
  if [ ! -s "$f" ]; then (umask 077; "$@" > "$f"); fi
  chmod 600 "$f"
  cat "$f"
}

# Creates <file> empty if missing and makes it readable by its owner only; later '>' and '>>' keep the mode.
private_file() { # <file>
  (umask 077; : >> "$1")
  chmod 600 "$1"
}

# Waits until <url> answers 200, at most <seconds>; returns 1 on timeout.
wait_http() { # <url> <seconds>
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  return 1
}

# Waits until <file> contains a line matching <regex>, at most <seconds>; prints the line.
wait_line() { # <file> <regex> <seconds> <pid to watch>
  local deadline=$((SECONDS + $3)) line
  while [ $SECONDS -lt $deadline ]; do
    line=$(grep -m1 -E "$2" "$1" 2>/dev/null) && { echo "$line"; return 0; }
    kill -0 "$4" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Installs protoc (Debian's protobuf-compiler) and the pinned Go protoc plugins into sidecar/.bin.
ensure_codegen_tools() { # <repo root>
  if ! command -v protoc >/dev/null; then
    command -v apt-get >/dev/null || die "protoc not found; install protobuf-compiler"
    info "installing protoc (apt-get install protobuf-compiler)"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq protobuf-compiler; } >/dev/null \
      || die "apt-get install protobuf-compiler failed"
  fi
  (cd "$1/sidecar" && GOBIN="$PWD/.bin" go install tool) || die "go install of the protoc plugins failed"
}

# staticcheck, pinned like the protoc plugins and installed next to them in sidecar/.bin. 0.8.x (2026.x) is the
# first line that type-checks Go 1.26 code. Returns non-zero instead of exiting, so a test part can fail alone.
STATICCHECK_VERSION=v0.8.2
ensure_staticcheck() { # <repo root>
  local bin="$1/sidecar/.bin/staticcheck"
  if [ -x "$bin" ] && "$bin" -version 2>/dev/null | grep -qF "(${STATICCHECK_VERSION#v})"; then
    return 0
  fi
  info "installing staticcheck $STATICCHECK_VERSION (go install)"
  GOBIN="$1/sidecar/.bin" GOFLAGS='' go install "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" \
    || { info "go install of staticcheck $STATICCHECK_VERSION failed"; return 1; }
}

ensure_go() { command -v go >/dev/null || die "Go not found; install Go 1.26 (https://go.dev/dl) and retry"; }
ensure_java() { command -v java >/dev/null || die "Java not found; install a JDK 17 or newer"; }
