#!/usr/bin/env bash
# make native: builds the gateway's native binary target/<name>-runner.
#   scripts/native.sh                     package only (make native)
#   scripts/native.sh verify [mvn args]   package, then the integration tests against the native binary (make test)
# GRAALVM_HOME, when set, is a real GraalVM/Mandrel and is used unchanged; otherwise scripts/native-toolchain.sh
# assembles the local verification harness (cached outside the clone). The build settings (builder heap, -march)
# are in application.properties, shared with Dockerfile.native.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$ROOT/scripts/lib.sh"
cd "$ROOT"
ensure_java
GOAL=package
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then GOAL=$1; shift; fi
[ $GOAL = package ] && set -- -DskipTests "$@"

GRAALVM_HOME=$("$ROOT/scripts/native-toolchain.sh") || die "no native-image toolchain (see scripts/native-toolchain.sh)"
export GRAALVM_HOME
info "native-image: $("$GRAALVM_HOME/bin/native-image" --version | head -1) ($GRAALVM_HOME)"
t0=$SECONDS
./mvnw -B "$GOAL" -Dnative "$@"
RUNNER=$(ls target/*-runner)
# The harness links the JDK's shared JNI libraries: keep them beside the binary so target/ can be copied as is.
rm -rf target/jdk-shared
for d in target/*-native-image-source-jar/jdk-shared; do [ -d "$d" ] && cp -r "$d" target/jdk-shared; done
info "native build ($GOAL) took $((SECONDS - t0))s: $RUNNER ($(du -m "$RUNNER" | cut -f1) MB)"
