package main_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/wagate/wagate/sidecar/emulator"
	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/testenv"
)

const waitLong = 60 * time.Second

var (
	dsn    string
	binary string
)

// TestMain builds the real binary once and gives the package its own database.
func TestMain(m *testing.M) {
	var drop func()
	var err error
	dsn, drop, err = testenv.CreateDB("sidecar_cmd_test")
	if err != nil {
		fmt.Fprintln(os.Stderr, "wagate-sidecar tests:", err)
		os.Exit(1)
	}
	dir, err := os.MkdirTemp("", "wagate-sidecar-bin")
	if err == nil {
		binary = filepath.Join(dir, "wagate-sidecar")
		out, berr := exec.Command("go", "build", "-o", binary, ".").CombinedOutput()
		if berr != nil {
			err = fmt.Errorf("go build: %v\n%s", berr, out)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "wagate-sidecar tests:", err)
		drop()
		os.Exit(1)
	}
	code := m.Run()
	_ = os.RemoveAll(dir)
	drop()
	os.Exit(code)
}

type proc struct {
	cmd    *exec.Cmd
	addr   string
	bootID string
	stderr *bytes.Buffer
	exited chan struct{}
}

var listening = regexp.MustCompile(`^wagate-sidecar listening addr=(\S+) boot_id=(\S+)$`)

// start runs the binary and waits for its listening line.
func start(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stderr: &bytes.Buffer{}, exited: make(chan struct{})}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-p.exited
	})
	line := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		if sc.Scan() {
			line <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l := <-line:
		m := listening.FindStringSubmatch(l)
		if m == nil {
			t.Fatalf("unexpected first stdout line %q", l)
		}
		p.addr, p.bootID = m[1], m[2]
	case <-p.exited:
		t.Fatalf("sidecar exited before listening: %s", p.stderr)
	case <-time.After(waitLong):
		t.Fatalf("no listening line within %s: %s", waitLong, p.stderr)
	}
	return p
}

func sidecarArgs(emu *emulator.Server, extra ...string) []string {
	return append([]string{"--listen", "127.0.0.1:0", "--db", dsn, "--log-level", "warn",
		"--wa-emulator", emu.WSAddr(), "--wa-emulator-root-key", emu.RootPublicKeyHex(),
		"--keepalive-min", "1s", "--keepalive-max", "2s", "--reconnect-max-backoff", "500ms"}, extra...)
}

func dialSidecar(t *testing.T, p *proc) *grpc.ClientConn {
	t.Helper()
	conn, err := grpc.NewClient(p.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	// Health goes SERVING once the whatsmeow store is migrated; Watch pushes the change.
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	w, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		t.Fatal(err)
	}
	for {
		resp, err := w.Recv()
		if err != nil {
			t.Fatalf("health never became SERVING: %v", err)
		}
		if resp.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			return conn
		}
	}
}

func startEmulator(t *testing.T) *emulator.Server {
	t.Helper()
	emu, err := emulator.New(emulator.Config{QRRefs: 2, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })
	return emu
}

// waitEvent reads the stream until an event of kind for instance arrives.
func waitEvent(t *testing.T, stream sidecarv1.SidecarService_StreamEventsClient, instance string, kind sidecarv1.EventKind) *sidecarv1.Event {
	t.Helper()
	got := make(chan *sidecarv1.Event, 1)
	errc := make(chan error, 1)
	go func() {
		for {
			resp, err := stream.Recv()
			if err != nil {
				errc <- err
				return
			}
			if e := resp.GetEvent(); e.GetInstanceId() == instance && e.GetKind() == kind {
				got <- e
				return
			}
		}
	}()
	select {
	case e := <-got:
		return e
	case err := <-errc:
		t.Fatalf("event stream ended while waiting for %s: %v", kind, err)
	case <-time.After(waitLong):
		t.Fatalf("no %s for %s within %s", kind, instance, waitLong)
	}
	return nil
}

func TestKilledSidecarComesBackThroughConnect(t *testing.T) {
	emu := startEmulator(t)
	first := start(t, sidecarArgs(emu)...)
	client := sidecarv1.NewSidecarServiceClient(dialSidecar(t, first))
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	evs, err := client.StreamEvents(ctx, &sidecarv1.StreamEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	pair, err := client.Pair(ctx, &sidecarv1.PairRequest{InstanceId: "inst-restart"})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := pair.Recv()
	if err != nil || upd.GetQr() == nil {
		t.Fatalf("first pair update %v (%v)", upd, err)
	}
	jid, err := emu.Scan(upd.GetQr().GetCode(), "5511900000021")
	if err != nil {
		t.Fatal(err)
	}
	waitEvent(t, evs, "inst-restart", sidecarv1.EventKind_EVENT_KIND_CONNECTED)

	// kill -9: no graceful anything.
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited

	second := start(t, sidecarArgs(emu)...)
	if second.bootID == first.bootID {
		t.Fatalf("boot_id %s did not change across a restart", second.bootID)
	}
	client = sidecarv1.NewSidecarServiceClient(dialSidecar(t, second))
	list, err := client.ListSessions(ctx, &sidecarv1.ListSessionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if list.GetBootId() != second.bootID || len(list.GetSessions()) != 0 {
		t.Fatalf("fresh process lists %v", list)
	}
	evs, err = client.StreamEvents(ctx, &sidecarv1.StreamEventsRequest{BootId: first.bootID, AfterSeq: 3})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "inst-restart", Jid: jid}); err != nil {
		t.Fatalf("Connect with the saved session after a restart: %v", err)
	}
	e := waitEvent(t, evs, "inst-restart", sidecarv1.EventKind_EVENT_KIND_CONNECTED)
	if e.GetBootId() != second.bootID || e.GetJid() != jid {
		t.Fatalf("connected event %v, want boot %s jid %s", e, second.bootID, jid)
	}
}

func TestSIGTERMStopsGracefully(t *testing.T) {
	emu := startEmulator(t)
	p := start(t, sidecarArgs(emu)...)
	conn := dialSidecar(t, p)
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	// An open event stream must not hold the shutdown up.
	evs, err := sidecarv1.NewSidecarServiceClient(conn).StreamEvents(ctx, &sidecarv1.StreamEventsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// the stream is open once its first message, the boot announcement, has arrived
	if first, err := evs.Recv(); err != nil || first.GetBoot().GetBootId() != p.bootID {
		t.Fatalf("first message %v (%v), want the boot of %s", first, err, p.bootID)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.exited:
	case <-time.After(waitLong):
		t.Fatal("sidecar did not exit after SIGTERM")
	}
	if code := p.cmd.ProcessState.ExitCode(); code != 0 {
		t.Fatalf("exit code %d after SIGTERM: %s", code, p.stderr)
	}
	if _, err := evs.Recv(); err == nil {
		t.Fatal("event stream still open after shutdown")
	}
}

// run executes the binary to completion and returns exit code and stderr.
func run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	cmd.Stdout = io.Discard
	err := cmd.Run()
	if err != nil && cmd.ProcessState == nil {
		t.Fatal(err)
	}
	return cmd.ProcessState.ExitCode(), stderr.String()
}

func TestStartupErrorsAreOneLineAndExit1(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	closedPort, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadDB := "postgres://app:app@" + closedPort.Addr().String() + "/app?sslmode=disable"
	_ = closedPort.Close()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"unreachable database", []string{"--listen", "127.0.0.1:0", "--db", deadDB}, "database"},
		{"port in use", []string{"--listen", busy.Addr().String(), "--db", dsn}, "listen"},
		{"emulator flag alone", []string{"--db", dsn, "--wa-emulator", "127.0.0.1:1"}, "together"},
		{"keepalive max not above min", []string{"--db", dsn, "--keepalive-min", "5s", "--keepalive-max", "5s"}, "keepalive"},
		{"bad listen", []string{"--db", dsn, "--listen", "nowhere"}, "listen"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, stderr := run(t, c.args...)
			if code != 1 {
				t.Fatalf("exit code %d, want 1 (stderr %q)", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stderr), "\n")
			if len(lines) != 1 || !strings.Contains(lines[0], c.want) || strings.Contains(stderr, "goroutine") {
				t.Fatalf("want one line mentioning %q, got %q", c.want, stderr)
			}
			if strings.Contains(stderr, "app:app") {
				t.Fatalf("error line leaks the DSN password: %q", stderr)
			}
		})
	}
}

func TestHelpDocumentsEveryFlag(t *testing.T) {
	code, stderr := run(t, "--help")
	if code != 0 {
		t.Fatalf("--help exit code %d", code)
	}
	for _, f := range []string{"-listen", "-db", "-log-level", "-wa-emulator", "-wa-emulator-root-key",
		"-keepalive-min", "-keepalive-max", "-reconnect-max-backoff", "WAGATE_SIDECAR_LISTEN", "WAGATE_SIDECAR_DB"} {
		if !strings.Contains(stderr, f) {
			t.Errorf("--help does not mention %s", f)
		}
	}
}

func TestUnixSocketIsReusedAfterKill(t *testing.T) {
	emu := startEmulator(t)
	sock := filepath.Join(t.TempDir(), "sc.sock")
	args := sidecarArgs(emu)
	args[1] = "unix://" + sock // replaces the TCP --listen value
	first := start(t, args...)
	if first.addr != "unix://"+sock {
		t.Fatalf("listening addr %q, want unix://%s", first.addr, sock)
	}
	dialSidecar(t, first)
	// the sidecar's gRPC has no authentication: only its owner may connect
	if fi, err := os.Stat(sock); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("socket mode: %v, %v; want 0600", fi.Mode(), err)
	}
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-first.exited
	if _, err := os.Stat(sock); err != nil {
		t.Fatalf("kill -9 should leave the socket file behind for this test to mean anything: %v", err)
	}
	second := start(t, args...)
	dialSidecar(t, second)

	// A live sidecar's socket is never taken over.
	code, stderr := run(t, args...)
	if code != 1 || !strings.Contains(stderr, "listen") {
		t.Fatalf("second sidecar on a live socket: exit %d, stderr %q", code, stderr)
	}
}
