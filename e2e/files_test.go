package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoSecretsArePrivate: the files make demo leaves behind hold tokens, keys and logs, so only their owner may
// read them; and the database password never shows on a command line (readable by every local user).
func TestDemoSecretsArePrivate(t *testing.T) {
	files := []string{"demo.env", "account-token", "admin-token", "encryption.key"}
	logs, _ := filepath.Glob(filepath.Join(product.home, "logs", "*.log"))
	if len(logs) < 3 {
		t.Fatalf("expected the emulator, sidecar and gateway logs, found %v", logs)
	}
	for _, f := range logs {
		files = append(files, filepath.Join("logs", filepath.Base(f)))
	}
	for _, f := range files {
		st, err := os.Stat(filepath.Join(product.home, f))
		if err != nil {
			t.Fatal(err)
		}
		if mode := st.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", f, mode)
		}
	}
	if st, err := os.Stat(filepath.Join(product.home, "logs")); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("logs directory: %v, %v; want mode 700", st, err)
	}

	// the sidecar's gRPC has no authentication: an owner-only socket in an owner-only directory, no TCP port
	sock := filepath.Join(product.home, "run", "sidecar.sock")
	if st, err := os.Stat(sock); err != nil || st.Mode()&os.ModeSocket == 0 || st.Mode().Perm() != 0o600 {
		t.Errorf("sidecar socket: %v, %v; want a socket with mode 600", st, err)
	}
	if st, err := os.Stat(filepath.Dir(sock)); err != nil || st.Mode().Perm() != 0o700 {
		t.Errorf("socket directory: %v, %v; want mode 700", st, err)
	}
	listen := product.sidecarListen()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	found := false
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if !strings.Contains(cmdline, "wagate-sidecar") || !strings.Contains(cmdline, listen) {
			continue
		}
		found = true
		if strings.Contains(cmdline, "--listen 127.0.0.1:") {
			t.Errorf("the sidecar listens on TCP: %s", cmdline)
		}
		if strings.Contains(cmdline, "postgres://") || strings.Contains(cmdline, "--db") {
			t.Errorf("the sidecar's command line carries the database DSN: %s", cmdline)
		}
	}
	if !found {
		t.Fatalf("no wagate-sidecar process listening on %s", listen)
	}
}
