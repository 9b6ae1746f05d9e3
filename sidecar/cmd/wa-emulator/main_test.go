package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wagate/wagate/sidecar/emulator"
)

var startLine = regexp.MustCompile(`^wa-emulator listening ws=(127\.0\.0\.1:\d+) control=(127\.0\.0\.1:\d+) rootPublicKey=([0-9a-f]{64})(?: media=(127\.0\.0\.1:\d+))?\n$`)

// start runs the command in-process and returns the parsed start line and the exit code channel.
func start(t *testing.T, ctx context.Context, args ...string) ([]string, chan int) {
	t.Helper()
	pr, pw := io.Pipe()
	code := make(chan int, 1)
	go func() {
		code <- run(ctx, args, pw, io.Discard)
		pw.Close()
	}()
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(pr).ReadString('\n')
		lines <- line
		_, _ = io.Copy(io.Discard, pr)
	}()
	select {
	case line := <-lines:
		m := startLine.FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("start line %q does not match %s", line, startLine)
		}
		return m, code
	case c := <-code:
		t.Fatalf("wa-emulator exited with %d before listening", c)
	case <-time.After(10 * time.Second):
		t.Fatal("no start line within 10 s")
	}
	return nil, nil
}

func TestStartHealthAndGracefulStop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, code := start(t, ctx, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0", "--qr-refs", "2",
		"--state-file", filepath.Join(t.TempDir(), "state.json"))
	if m[3] != emulator.DefaultRootKey().PublicKeyHex() {
		t.Fatalf("printed root key %s, want the built-in test key", m[3])
	}
	resp, err := http.Get("http://" + m[2] + "/emulator/health")
	if err != nil {
		t.Fatal(err)
	}
	var health map[string]string
	err = json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || health["status"] != "ok" || health["rootPublicKey"] != m[3] {
		t.Fatalf("health: %d %v %v", resp.StatusCode, health, err)
	}
	cancel()
	select {
	case c := <-code:
		if c != 0 {
			t.Fatalf("exit code %d after stop, want 0", c)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("did not stop within 10 s")
	}
}

func TestRootKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "root.key")
	const priv = "2079a3a2c3d6d4f0b3f5c1b7a3f6e2d1c0b9a8f7e6d5c4b3a29180706050403a"
	if err := os.WriteFile(path, []byte(priv+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	want, err := emulator.ParseRootPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, code := start(t, ctx, "--root-key", path)
	if m[3] != want.PublicKeyHex() || m[3] == emulator.DefaultRootKey().PublicKeyHex() {
		t.Fatalf("printed root key %s, want %s from the file", m[3], want.PublicKeyHex())
	}
	cancel()
	<-code
}

func TestBadFlags(t *testing.T) {
	ctx := context.Background()
	if c := run(ctx, []string{"--no-such-flag"}, io.Discard, io.Discard); c != 2 {
		t.Fatalf("unknown flag: exit %d, want 2", c)
	}
	if c := run(ctx, []string{"--root-key", filepath.Join(t.TempDir(), "missing")}, io.Discard, io.Discard); c != 1 {
		t.Fatalf("missing root key file: exit %d, want 1", c)
	}
}

func TestCorruptStateFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(path, []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c := run(context.Background(), []string{"--state-file", path}, io.Discard, io.Discard); c != 1 {
		t.Fatalf("corrupt state file: exit %d, want 1", c)
	}
}

func postJSON(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]any{}
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestContactsNeedTheirDatabase: --media adds the media address to the start line; without --contacts-db the
// contact routes answer 409, with it a virtual contact is created and connected.
func TestContactsNeedTheirDatabase(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	m, code := start(t, ctx, "--media", "127.0.0.1:0")
	if m[4] == "" {
		t.Fatal("no media address in the start line with --media")
	}
	status, out := postJSON(t, "http://"+m[2]+"/contacts", `{"phone":"5511888881001"}`)
	if status != http.StatusConflict || out["error"] != "virtual contacts need the emulator's --contacts-db flag" {
		t.Fatalf("POST /contacts without --contacts-db: %d %v", status, out)
	}
	cancel()
	<-code

	u := url.URL{Scheme: "postgres", User: url.UserPassword(os.Getenv("PG_USER"), os.Getenv("PG_PASSWORD")),
		Host: os.Getenv("PG_HOST") + ":" + os.Getenv("PG_PORT"), Path: "/" + os.Getenv("PG_DB"), RawQuery: "sslmode=disable"}
	if os.Getenv("PG_HOST") == "" {
		t.Fatal("set PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DB: virtual contacts keep their whatsmeow state in PostgreSQL")
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	m, code = start(t, ctx2, "--media", "127.0.0.1:0", "--contacts-db", u.String())
	status, out = postJSON(t, "http://"+m[2]+"/contacts", `{"phone":"5511888881001","name":"Ana"}`)
	if status != http.StatusCreated || out["jid"] != "5511888881001@s.whatsapp.net" {
		t.Fatalf("POST /contacts: %d %v", status, out)
	}
	req, _ := http.NewRequest(http.MethodDelete, "http://"+m[2]+"/contacts/5511888881001", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("DELETE /contacts: %v %v", resp, err)
	}
	resp.Body.Close()
	cancel2()
	<-code
}
