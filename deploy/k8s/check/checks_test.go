package check

import (
	"os"
	"strings"
	"testing"
)

const (
	envBase     = "WAGATE_RENDERED_BASE"
	envEmulator = "WAGATE_RENDERED_EMULATOR"
)

// renderedBytes reads what deploy/check.sh rendered with `kustomize build`; without it there is nothing to check.
func renderedBytes(t *testing.T, env string) []byte {
	t.Helper()
	p := os.Getenv(env)
	if p == "" {
		t.Fatalf("%s is not set: run deploy/check.sh, which renders deploy/k8s with kustomize and points this test at the output", env)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("failed to read %s=%s: %v", env, p, err)
	}
	return data
}

func rendered(t *testing.T, env string) *Bundle {
	t.Helper()
	b, err := Parse(renderedBytes(t, env))
	if err != nil {
		t.Fatalf("failed to parse %s: %v", env, err)
	}
	if len(b.Deployments) == 0 {
		t.Fatalf("%s holds no Deployment: did kustomize render an empty file?", env)
	}
	return b
}

func runChecks(t *testing.T, b *Bundle, checks ...[]Check) {
	for _, set := range checks {
		for _, c := range set {
			t.Run(c.Name, func(t *testing.T) {
				for _, p := range c.Run(b) {
					t.Error(p)
				}
			})
		}
	}
}

func TestRenderedBase(t *testing.T) {
	runChecks(t, rendered(t, envBase), BaseChecks, ProductionChecks)
}

func TestRenderedEmulatorOverlay(t *testing.T) {
	runChecks(t, rendered(t, envEmulator), BaseChecks, EmulatorChecks)
}

// TestRenderedManifestsDecodeStrictly: every rendered object is a valid instance of its Kubernetes API type.
func TestRenderedManifestsDecodeStrictly(t *testing.T) {
	for _, env := range []string{envBase, envEmulator} {
		t.Run(env, func(t *testing.T) {
			for _, p := range StrictDecodeProblems(renderedBytes(t, env)) {
				t.Error(p)
			}
		})
	}
}

// TestStrictDecodingRejectsBrokenDocuments proves the strict decoding can fail.
func TestStrictDecodingRejectsBrokenDocuments(t *testing.T) {
	cases := []struct {
		name, doc, want string
	}{
		{"misspelt security field", `apiVersion: apps/v1
kind: Deployment
metadata: {name: x}
spec:
  selector: {matchLabels: {app: x}}
  template:
    metadata: {labels: {app: x}}
    spec:
      containers:
        - name: c
          image: i
          securityContext: {readOnlyRootFilesytem: true}
`, "readOnlyRootFilesytem"},
		{"wrong value type", `apiVersion: apps/v1
kind: Deployment
metadata: {name: x}
spec:
  replicas: one
`, "replicas"},
		{"unknown kind", `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: x}
`, "not a kind this check knows"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := StrictDecodeProblems([]byte(tc.doc))
			for _, p := range got {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Fatalf("want a problem containing %q, got %q", tc.want, got)
		})
	}
}
