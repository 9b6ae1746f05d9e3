package e2e

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wagate/wagate/e2e/lease"
)

// The multi-pod harness: scripts/run.sh --demo with WAGATE_REPLICAS gateway+sidecar pairs on one PostgreSQL and one
// emulator (its own state directory and ports, beside the suite's single-pod demo), and one more member started by a
// second run.sh against the same database and emulator, as a scaled-up Deployment adds a pod.

// clusterLease is wagate.cluster.lease for the cluster's gateways (the default, said explicitly: the tests count in it).
const clusterLease = 5 * time.Second

// cluster is a running multi-pod demo.
type cluster struct {
	*demo
	httpBase, mgmtBase int
	replicas           int
}

// newHome makes a state directory the embedded cluster's postgres user can traverse, removed when the test passed.
func newHome(t *testing.T, prefix string) string {
	t.Helper()
	home, err := os.MkdirTemp("", prefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(home, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !t.Failed() {
			os.RemoveAll(home)
		}
	})
	return home
}

// startCluster starts `scripts/run.sh --demo` with n pods and stops it when the test ends.
func startCluster(t *testing.T, n int) *cluster {
	t.Helper()
	d := newDemo(product.root, newHome(t, "wagate-cluster-"))
	c := &cluster{demo: d, httpBase: freeBlock(n), mgmtBase: freeBlock(n), replicas: n}
	for i := range n {
		d.ports = append(d.ports, c.httpBase+i, c.mgmtBase+i)
	}
	d.env["WAGATE_REPLICAS"] = strconv.Itoa(n)
	d.env["WAGATE_HTTP_PORT"] = strconv.Itoa(c.httpBase)
	d.env["WAGATE_MANAGEMENT_PORT"] = strconv.Itoa(c.mgmtBase)
	d.env["WAGATE_CLUSTER_LEASE"] = clusterLease.String()
	d.env["WAGATE_SKIP_BUILD"] = "1" // the suite's demo built everything moments ago
	d.env["WAGATE_READY_TIMEOUT"] = "240"
	t.Cleanup(func() {
		if err := d.stop(); err != nil {
			t.Error(err)
		}
	})
	if err := d.start(); err != nil {
		t.Fatalf("the %d-pod demo did not start: %v", n, err)
	}
	return c
}

// url is pod p's API (pods count from 1, as run.sh's do).
func (c *cluster) url(p int) string { return fmt.Sprintf("http://127.0.0.1:%d", c.httpBase+p-1) }

// pid reads a pod's process id as run.sh keeps it (rewritten when its supervision restarts the process).
func (c *cluster) pid(t *testing.T, pod int, kind string) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.home, "pods", strconv.Itoa(pod), kind+".pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return pid
}

// signalPod sends sig to the pod's gateway and sidecar; holdDown first tells run.sh not to restart them.
func (c *cluster) signalPod(t *testing.T, pod int, sig syscall.Signal, holdDown bool) {
	t.Helper()
	if holdDown {
		if err := os.WriteFile(c.downFile(pod), nil, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, kind := range []string{"gateway", "sidecar"} {
		if err := syscall.Kill(c.pid(t, pod, kind), sig); err != nil {
			t.Fatalf("%v to pod %d's %s: %v", sig, pod, kind, err)
		}
	}
}

func (c *cluster) downFile(pod int) string {
	return filepath.Join(c.home, "pods", strconv.Itoa(pod), "down")
}

// dsn is the demo's embedded database.
func (d *demo) dsn() string {
	return fmt.Sprintf("postgres://app:app@127.0.0.1:%s/app?sslmode=disable", d.env["WAGATE_PG_PORT"])
}

// sql runs one statement on the demo's embedded database and returns its unaligned output (fields split by |).
func (d *demo) sql(t *testing.T, q string) string {
	t.Helper()
	out, err := lease.SQL(d.dsn(), q)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// join starts one more member of the cluster: a second scripts/run.sh (no --demo) with the cluster on, against the
// demo's PostgreSQL and emulator and with its encryption key and tokens. Stopped when the test ends.
func (c *cluster) join(t *testing.T) *demo {
	t.Helper()
	home := newHome(t, "wagate-member-")
	for _, f := range []string{"encryption.key", "account-token", "admin-token"} {
		b, err := os.ReadFile(filepath.Join(c.home, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(home, f), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	emuLog, _ := os.ReadFile(filepath.Join(c.home, "logs", "emulator.log"))
	m := regexp.MustCompile(`rootPublicKey=([0-9a-f]+).* media=([0-9.:]+)`).FindSubmatch(emuLog)
	if m == nil {
		t.Fatalf("no emulator start line in emulator.log:\n%s", emuLog)
	}
	ports := freePorts(2)
	d := &demo{root: c.root, home: home, member: true, ports: ports}
	d.env = map[string]string{
		"WAGATE_HOME":            home,
		"WAGATE_HTTP_PORT":       strconv.Itoa(ports[0]),
		"WAGATE_MANAGEMENT_PORT": strconv.Itoa(ports[1]),
		"PG_HOST":                "127.0.0.1",
		"PG_PORT":                c.env["WAGATE_PG_PORT"],
		"PG_DB":                  "app",
		"WAGATE_CLUSTER_ENABLED": "true",
		"WAGATE_CLUSTER_LEASE":   clusterLease.String(),
		"WAGATE_SKIP_BUILD":      "1",
		"WAGATE_READY_TIMEOUT":   "240",
		"WAGATE_SIDECAR_ARGS": fmt.Sprintf("--wa-emulator 127.0.0.1:%s --wa-emulator-root-key %s --wa-emulator-media %s",
			c.env["WAGATE_EMULATOR_PORT"], m[1], m[2]),
	}
	t.Cleanup(func() {
		if err := d.stop(); err != nil {
			t.Error(err)
		}
	})
	if err := d.start(); err != nil {
		t.Fatalf("the joining member did not start: %v", err)
	}
	d.gateway = fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	return d
}

// freeBlock finds n consecutive free loopback ports (run.sh gives pod p the base port plus p-1).
func freeBlock(n int) int {
	for {
		base := freePorts(1)[0]
		if base+n > 65535 {
			continue
		}
		ok := true
		var held []net.Listener
		for p := base; p < base+n && ok; p++ {
			l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
			ok = err == nil
			if ok {
				held = append(held, l)
			}
		}
		for _, l := range held {
			l.Close()
		}
		if ok {
			return base
		}
	}
}

// device is one linked device as the emulator's GET /devices lists it.
type device struct {
	JID       string `json:"jid"`
	Phone     string `json:"phone"`
	Connected bool   `json:"connected"`
	Open      int    `json:"openConnections"`
	Max       int    `json:"maxConcurrentConnections"`
	Logins    int    `json:"logins"`
}

// devices lists the emulator's linked devices by phone.
func (d *demo) devices(t *testing.T) map[string]device {
	t.Helper()
	r := call(t, "GET", d.emulator, "/devices", "", nil)
	expectStatus(t, r, 200)
	var list struct {
		Devices []device `json:"devices"`
	}
	if err := json.Unmarshal([]byte(r.raw), &list); err != nil {
		t.Fatal(err)
	}
	out := map[string]device{}
	for _, dv := range list.Devices {
		out[dv.Phone] = dv
	}
	return out
}

// memberReady is the start condition of a joining member: run.sh printed its banner (it writes no demo.env).
func memberReady(d *demo) bool {
	b, err := os.ReadFile(filepath.Join(d.home, "run.log"))
	return err == nil && strings.Contains(string(b), "wagate is ready on")
}
