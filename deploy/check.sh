#!/usr/bin/env bash
# make test's deploy part: render deploy/k8s (base and the emulator overlay) with a pinned kustomize and assert
# wagate's deployment invariants on the output (deploy/k8s/check), then lint the Dockerfiles with hadolint.
# Prints "deploy: N passed, M failed" and exits non-zero on any failure.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"

# v5.8.2 is the newest kustomize whose go.mod accepts this machine's Go 1.26 (v5.8.3 needs Go 1.27).
KUSTOMIZE_VERSION=v5.8.2
TOOLS="$ROOT/.wagate/tools/kustomize-$KUSTOMIZE_VERSION"
KUSTOMIZE="$TOOLS/kustomize"
if ! { [ -x "$KUSTOMIZE" ] && [ "$("$KUSTOMIZE" version 2>/dev/null)" = "$KUSTOMIZE_VERSION" ]; }; then
  echo "deploy: installing kustomize $KUSTOMIZE_VERSION into ${TOOLS#"$ROOT"/}"
  GOBIN="$TOOLS" go install "sigs.k8s.io/kustomize/kustomize/v5@$KUSTOMIZE_VERSION" || {
    echo "deploy: could not install kustomize $KUSTOMIZE_VERSION"; echo "deploy: 0 passed, 1 failed"; exit 1; }
fi

OUT=$(mktemp -d /tmp/wagate-deploy-check.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
render_failed=0
for target in base:deploy/k8s/base emulator:deploy/k8s/overlays/emulator; do
  name=${target%%:*} dir=${target#*:}
  if ! "$KUSTOMIZE" build "$dir" > "$OUT/$name.yaml"; then
    echo "deploy: kustomize build $dir failed"; render_failed=$((render_failed + 1))
  fi
done
if [ "$render_failed" -ne 0 ]; then echo "deploy: 0 passed, $render_failed failed"; exit 1; fi
echo "deploy: rendered deploy/k8s/base ($(grep -c '^kind:' "$OUT/base.yaml") objects) and" \
  "deploy/k8s/overlays/emulator ($(grep -c '^kind:' "$OUT/emulator.yaml") objects) with kustomize $KUSTOMIZE_VERSION"

(cd deploy/k8s/check && go vet ./... && WAGATE_RENDERED_BASE="$OUT/base.yaml" \
  WAGATE_RENDERED_EMULATOR="$OUT/emulator.yaml" go test -count=1 -v ./...) > "$OUT/go-test.log" 2>&1
test_rc=$?
grep -E '^\s*--- (FAIL|PASS)|^(FAIL|ok|PASS)\b|_test.go:[0-9]+:' "$OUT/go-test.log"
passed=$(grep -cE '^\s*--- PASS' "$OUT/go-test.log")
failed=$(grep -cE '^\s*--- FAIL' "$OUT/go-test.log")
if [ "$test_rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
  cat "$OUT/go-test.log"   # vet or build error: no test line says why
  failed=1
fi

lint_rc=0
bash deploy/lint-dockerfiles.sh || lint_rc=$?
if [ "$lint_rc" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "deploy: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
