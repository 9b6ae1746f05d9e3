package main_test

import (
	"os/exec"
	"strings"
	"testing"
)

const emulatorTree = "github.com/wagate/wagate/sidecar/emulator"

// The emulator is a WhatsApp server for tests. The sidecar reaches it only through the dial hook in internal/dial,
// switched on by flags; the production binary and the packages it is built from must not link the emulator tree.
// `go test` puts its own go command first on PATH, so this lists the same build the release would make.
func TestProductionBinaryDoesNotLinkTheEmulator(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the binary's dependencies: %v", err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", "-f", "{{.ImportPath}}", ".", "../../internal/...").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	var listed int
	for _, pkg := range strings.Fields(string(out)) {
		listed++
		if pkg == emulatorTree || strings.HasPrefix(pkg, emulatorTree+"/") {
			t.Errorf("production code depends on %s", pkg)
		}
	}
	if listed < 10 {
		t.Fatalf("go list -deps listed only %d packages; the check would prove nothing", listed)
	}
}
