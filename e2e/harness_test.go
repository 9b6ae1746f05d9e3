package e2e

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// demo is one run of scripts/run.sh --demo with its own ports and state directory.
type demo struct {
	root, home string
	env        map[string]string
	cmd        *exec.Cmd
	ports      []int
	gateway    string // http://127.0.0.1:port
	management string // http://127.0.0.1:port of /q/* (health, metrics, OpenAPI)
	emulator   string // emulator control API base URL
	token      string // bootstrap TokenAccount
	adminToken string
	member     bool // one more member of another demo's cluster: run.sh without --demo (cluster_harness_test.go)
}

var product *demo

func TestMain(m *testing.M) {
	root, err := filepath.Abs("..")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	home, err := os.MkdirTemp("", "wagate-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	// A process started in the background inherits SIGINT as ignored, and so would run.sh, which then could not
	// trap Ctrl-C. Handling SIGINT here resets it to the default for our children, and stops the demo if the
	// suite itself is interrupted.
	interrupted := make(chan os.Signal, 1)
	signal.Notify(interrupted, os.Interrupt)
	go func() {
		<-interrupted
		product.stop()
		os.Exit(130)
	}()
	// The embedded cluster runs as the postgres user, which must be able to traverse the state directory.
	if err := os.Chmod(home, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	product = newDemo(root, home)
	if err := product.start(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: could not start the demo:", err)
		product.stop()
		os.Exit(1)
	}
	code := m.Run()
	if err := product.stop(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: stop:", err)
		code = 1
	}
	if code == 0 {
		os.RemoveAll(home)
	}
	os.Exit(code)
}

func newDemo(root, home string) *demo {
	d := &demo{root: root, home: home}
	ports := freePorts(6)
	d.ports = ports
	// ports[1] stays unused: the sidecar listens on its default unix socket (sidecarListen)
	d.env = map[string]string{
		"WAGATE_HOME":                  home,
		"WAGATE_HTTP_PORT":             fmt.Sprint(ports[0]),
		"WAGATE_EMULATOR_PORT":         fmt.Sprint(ports[2]),
		"WAGATE_EMULATOR_CONTROL_PORT": fmt.Sprint(ports[3]),
		"WAGATE_PG_PORT":               fmt.Sprint(ports[4]),
		"WAGATE_MANAGEMENT_PORT":       fmt.Sprint(ports[5]),
		// the fault suite creates a hundred instances on one account
		"WAGATE_RATE_LIMIT_CREATE_PER_MINUTE": "100000",
		// the console's "scan with the emulator's phone" (demo mode; scripts/run.sh --demo passes the same)
		"WAGATE_CONSOLE_EMULATOR_URL": fmt.Sprintf("http://127.0.0.1:%d", ports[3]),
	}
	return d
}

// sidecarListen is the sidecar's --listen value as run.sh passes it: its owner-only unix socket.
func (d *demo) sidecarListen() string {
	return "unix://" + filepath.Join(d.home, "run", "sidecar.sock")
}

// start launches the demo and waits for .wagate/demo.env, which run.sh writes once the gateway is ready.
func (d *demo) start() error {
	os.Remove(filepath.Join(d.home, "demo.env"))
	var args []string
	if !d.member {
		args = append(args, "--demo")
	}
	cmd := exec.Command(filepath.Join(d.root, "scripts", "run.sh"), args...)
	cmd.Dir = d.root
	cmd.Env = os.Environ()
	for _, k := range []string{"PG_HOST", "PG_PORT", "PG_DB"} { // the demo runs its own embedded cluster (a member: d.env's)
		cmd.Env = withoutVar(cmd.Env, k)
	}
	for k, v := range d.env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	log, err := os.Create(filepath.Join(d.home, "run.log"))
	if err != nil {
		return err
	}
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return err
	}
	d.cmd = cmd
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.After(240 * time.Second)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case err := <-exited:
			d.cmd = nil
			return fmt.Errorf("run.sh exited early (%v); log:\n%s", err, tail(log.Name()))
		case <-deadline:
			return fmt.Errorf("demo not ready in time; log:\n%s", tail(log.Name()))
		case <-tick.C:
			if d.member {
				if !memberReady(d) {
					continue
				}
				go func() { <-exited }()
				return d.checkBuild()
			}
			vars, err := readEnvFile(filepath.Join(d.home, "demo.env"))
			if err != nil {
				continue
			}
			d.gateway, d.emulator, d.token = vars["WAGATE_URL"], vars["WAGATE_EMULATOR_URL"], vars["WAGATE_ACCOUNT_TOKEN"]
			d.management = vars["WAGATE_MANAGEMENT_URL"]
			admin, err := os.ReadFile(filepath.Join(d.home, "admin-token"))
			if err != nil {
				return err
			}
			d.adminToken = strings.TrimSpace(string(admin))
			go func() { <-exited }() // reaped by stop through the process group
			return d.checkBuild()
		}
	}
}

// stop sends SIGINT as Ctrl-C would, then checks that no process of this run is left behind.
func (d *demo) stop() error {
	if d.cmd == nil || d.cmd.Process == nil {
		return nil
	}
	pid := d.cmd.Process.Pid
	_ = syscall.Kill(-pid, syscall.SIGINT)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if len(leftovers(d.home, d.ports)) == 0 && syscall.Kill(pid, 0) != nil {
			d.cmd = nil
			return nil
		}
		<-time.After(200 * time.Millisecond)
	}
	left := leftovers(d.home, d.ports)
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	d.cmd = nil
	return fmt.Errorf("processes left running after Ctrl-C: %v", left)
}

// leftovers lists processes that still belong to this run: anything whose command line names the run's state
// directory, and anything still listening on one of its ports.
func leftovers(home string, ports []int) []string {
	var out []string
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil || len(b) == 0 {
			continue
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		if strings.Contains(cmdline, home) && !strings.Contains(cmdline, "go test") {
			out = append(out, strings.TrimSpace(cmdline))
		}
	}
	for _, port := range ports {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 200*time.Millisecond); err == nil {
			c.Close()
			out = append(out, fmt.Sprintf("listener on port %d", port))
		}
	}
	return out
}

func freePorts(n int) []int {
	var ls []net.Listener
	var ports []int
	for i := 0; i < n; i++ {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			panic(err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	for _, l := range ls {
		l.Close()
	}
	return ports
}

func readEnvFile(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	vars := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(strings.TrimPrefix(sc.Text(), "export "), "="); ok {
			vars[k] = v
		}
	}
	for _, k := range []string{"WAGATE_URL", "WAGATE_ACCOUNT_TOKEN", "WAGATE_EMULATOR_URL", "WAGATE_MANAGEMENT_URL"} {
		if vars[k] == "" {
			return nil, fmt.Errorf("%s missing in %s", k, path)
		}
	}
	return vars, nil
}

func withoutVar(env []string, key string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, key+"=") {
			out = append(out, kv)
		}
	}
	return out
}

func tail(path string) string {
	b, _ := os.ReadFile(path)
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(b)
}

// checkBuild fails the run unless the gateway that answers is the build asked for: the native binary with
// WAGATE_NATIVE=1 (scripts/run.sh), the JVM build otherwise, as its start-up line in gateway.log says.
func (d *demo) checkBuild() error {
	want := " on JVM (powered by Quarkus"
	if os.Getenv("WAGATE_NATIVE") == "1" {
		want = " native (powered by Quarkus"
	}
	gatewayLog, err := os.ReadFile(filepath.Join(d.home, "logs", "gateway.log"))
	if err != nil {
		return err
	}
	if !strings.Contains(string(gatewayLog), want) {
		return fmt.Errorf("gateway.log has no %q: not the build this run asked for", want)
	}
	return nil
}
