package main

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/wagate/wagate/e2e/driver"
)

// proc is one process this bench started, in its own process group, with the time just before it was started.
type proc struct {
	cmd     *exec.Cmd
	started time.Time
	done    chan struct{}
}

func launch(dir, logPath string, env []string, args ...string) (*proc, error) {
	f, err := os.OpenFile(logPath, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...) // later entries win: ours override the caller's
	cmd.Stdout, cmd.Stderr = f, f
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &proc{cmd: cmd, done: make(chan struct{})}
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, err
	}
	go func() { cmd.Wait(); f.Close(); close(p.done) }()
	return p, nil
}

func (p *proc) alive() bool {
	select {
	case <-p.done:
		return false
	default:
		return true
	}
}

// signal sends sig to the process group without waiting.
func (p *proc) signal(sig syscall.Signal) { syscall.Kill(-p.cmd.Process.Pid, sig) }

// stop sends sig and waits for the exit, escalating to SIGKILL after 20 s.
func (p *proc) stop(sig syscall.Signal) {
	if p == nil {
		return
	}
	p.signal(sig)
	p.wait()
}

func (p *proc) wait() {
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.signal(syscall.SIGKILL)
		<-p.done
	}
}

func (p *proc) rssMB() float64 {
	return driver.RSSMB(p.cmd.Process.Pid)
}

// stack is what `make demo` runs, started piece by piece so that each process start can be timed: the emulator
// (kept up for the whole run), the sidecar and the gateway, against the PostgreSQL server that run.sh started.
type stack struct {
	home, pgPort                 string
	emulatorBin, sidecarBin      string
	jar, runner                  string
	jvmOpts, nativeOpts          []string
	emuPort, emuControl          int
	sidecarPort, httpPort, mPort int
	rootKey, keyFile             string
	adminToken, accountToken     string
	emulator, sidecar, gateway   *proc
	db                           string // the database of the current sidecar and gateway
}

func freePort() int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("no free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func secret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *stack) init() error {
	s.emuPort, s.emuControl, s.sidecarPort, s.httpPort, s.mPort = freePort(), freePort(), freePort(), freePort(), freePort()
	s.adminToken, s.accountToken = secret(), secret()
	key := make([]byte, 32)
	rand.Read(key)
	s.keyFile = filepath.Join(s.home, "encryption.key")
	return os.WriteFile(s.keyFile, []byte(base64.StdEncoding.EncodeToString(key)+"\n"), 0o600)
}

func (s *stack) gatewayURL() string  { return fmt.Sprintf("http://127.0.0.1:%d", s.httpPort) }
func (s *stack) emulatorURL() string { return fmt.Sprintf("http://127.0.0.1:%d", s.emuControl) }
func (s *stack) readyURL() string    { return fmt.Sprintf("http://127.0.0.1:%d/q/health/ready", s.mPort) }

func (s *stack) startEmulator() error {
	var err error
	s.emulator, err = launch(s.home, filepath.Join(s.home, "emulator.log"), nil, s.emulatorBin,
		"--listen", fmt.Sprintf("127.0.0.1:%d", s.emuPort), "--control", fmt.Sprintf("127.0.0.1:%d", s.emuControl),
		"--state-file", filepath.Join(s.home, "emulator-state.json"))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var h struct {
			RootPublicKey string `json:"rootPublicKey"`
		}
		if st, raw := plain.Send("GET", s.emulatorURL()+"/emulator/health", "", nil); st == 200 && json.Unmarshal([]byte(raw), &h) == nil {
			s.rootKey = h.RootPublicKey
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return fmt.Errorf("the emulator did not start, see %s/emulator.log", s.home)
}

// startSidecar starts the sidecar on database s.db, as run.sh --demo does; it does not wait for it.
func (s *stack) startSidecar() error {
	dsn := fmt.Sprintf("postgres://app:app@127.0.0.1:%s/%s?sslmode=disable", s.pgPort, s.db)
	var err error
	s.sidecar, err = launch(s.home, filepath.Join(s.home, "sidecar.log"), []string{"WAGATE_SIDECAR_DB=" + dsn}, s.sidecarBin,
		"--listen", fmt.Sprintf("127.0.0.1:%d", s.sidecarPort), "--wa-emulator", fmt.Sprintf("127.0.0.1:%d", s.emuPort),
		"--wa-emulator-root-key", s.rootKey)
	return err
}

// startGateway starts the JVM or the native gateway with run.sh's settings; it does not wait for it.
func (s *stack) startGateway(mode string) error {
	env := []string{
		"PG_HOST=127.0.0.1", "PG_PORT=" + s.pgPort, "PG_USER=app", "PG_PASSWORD=app", "PG_DB=" + s.db,
		"QUARKUS_HTTP_HOST=127.0.0.1", fmt.Sprintf("QUARKUS_HTTP_PORT=%d", s.httpPort),
		"QUARKUS_MANAGEMENT_HOST=127.0.0.1", fmt.Sprintf("QUARKUS_MANAGEMENT_PORT=%d", s.mPort),
		"QUARKUS_GRPC_CLIENTS_SIDECAR_HOST=127.0.0.1", fmt.Sprintf("QUARKUS_GRPC_CLIENTS_SIDECAR_PORT=%d", s.sidecarPort),
		"WAGATE_ENCRYPTION_KEY_FILE=" + s.keyFile, "WAGATE_ADMIN_TOKEN=" + s.adminToken,
		"WAGATE_BOOTSTRAP_ACCOUNT_TOKEN=" + s.accountToken, "WAGATE_BOOTSTRAP_ACCOUNT_NAME=default",
		"WAGATE_BASE_URL=" + s.gatewayURL(), "WAGATE_WEBHOOKS_ALLOW_PRIVATE_TARGETS=true",
		// bench/ws-fanout opens 1,000 sockets on one token; the fleet creates 1,000 instances on one account
		"WAGATE_WEBSOCKET_MAX_PER_TOKEN=100000", "WAGATE_RATE_LIMIT_CREATE_PER_MINUTE=1000000",
	}
	args := append([]string{"java"}, s.jvmOpts...)
	args = append(args, "-jar", s.jar)
	if mode == "native" {
		args = append([]string{s.runner}, s.nativeOpts...)
	}
	var err error
	s.gateway, err = launch(s.home, filepath.Join(s.home, "gateway-"+mode+".log"), env, args...)
	return err
}

// awaitReady polls the readiness endpoint every 5 ms and returns the time from the gateway's process start.
func (s *stack) awaitReady() (time.Duration, error) {
	c := &http.Client{Timeout: 2 * time.Second}
	deadline := time.Now().Add(300 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := c.Get(s.readyURL()); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return time.Since(s.gateway.started), nil
			}
		}
		if !s.gateway.alive() {
			return 0, fmt.Errorf("the gateway exited, see %s", s.home)
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, fmt.Errorf("the gateway was not ready within 300 s")
}

// awaitSidecar waits for the sidecar's gRPC port to accept connections.
func (s *stack) awaitSidecar() error {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", s.sidecarPort)); err == nil {
			c.Close()
			return nil
		}
		if !s.sidecar.alive() {
			return fmt.Errorf("the sidecar exited, see %s/sidecar.log", s.home)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Errorf("the sidecar did not listen within 60 s")
}

func (s *stack) stopAll() {
	s.gateway.stop(syscall.SIGTERM)
	s.sidecar.stop(syscall.SIGTERM)
	s.emulator.stop(syscall.SIGTERM)
}
