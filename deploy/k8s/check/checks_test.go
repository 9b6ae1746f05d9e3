package check

import (
	"os"
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
