package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/wagate/wagate/e2e/driver"
)

// The fault suite: real processes broken on purpose under the supervision of scripts/run.sh. Outcomes are asserted,
// never timings; every wait has a generous bound.

const faultInstances = 100

// newAccount creates an account through the admin API with room for n instances and a rate limit that load cannot hit.
func newAccount(t *testing.T, n int) string {
	t.Helper()
	body := map[string]any{"name": fmt.Sprintf("fault-%d", time.Now().UnixNano()), "instanceQuota": n, "rateLimitPerMinute": 1_000_000}
	r := call(t, "POST", product.gateway, "/api/admin/accounts", product.adminToken, body)
	expectStatus(t, r, 201)
	return r.str("account", "token")
}

// api drives the demo through the helpers the benchmarks share (package driver).
func api() *driver.Client {
	return &driver.Client{Gateway: product.gateway, Emulator: product.emulator, HTTP: httpClient}
}

// states lists every instance of the account: name → connection.state.
func states(t *testing.T, token string) map[string]string {
	t.Helper()
	out, err := api().States(token)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// pairAll creates and pairs n instances of the account, a few at a time; returns their names.
func pairAll(t *testing.T, token, prefix string, n int) []string {
	t.Helper()
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	base := time.Now().UnixNano() / 1000 % 900_000_000 // unique phones per run: the emulator keeps its devices
	phone := func(i int) string { return fmt.Sprintf("5512%09d", (base+int64(i))%1_000_000_000) }
	if err := api().PairAll(token, names, phone, 8, driver.Pairing{Create: map[string]any{"websocketEnabled": true}}); err != nil {
		t.Fatal(err)
	}
	eventually(t, 120*time.Second, "all instances connected", func() bool { return driver.AllIn(states(t, token), names, "connected") })
	return names
}

// frame is one instance.state envelope as the WebSocket carries it.
type frame struct {
	ID       int64 `json:"id"`
	Snapshot bool  `json:"snapshot"`
	Data     struct {
		Instance string `json:"instance"`
		State    string `json:"state"`
		Reason   string `json:"reason"`
	} `json:"data"`
}

// accountStream follows GET /ws (every instance of the account) from an event id on.
type accountStream struct {
	mu     sync.Mutex
	frames []frame
	closed error
}

func followAccount(t *testing.T, token string, since int64) *accountStream {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u := strings.Replace(product.gateway, "http://", "ws://", 1) + "/ws?since=" + strconv.FormatInt(since, 10) + "&token=" + url.QueryEscape(token)
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatalf("ws dial: %v", err)
	}
	c.SetReadLimit(1 << 20)
	s := &accountStream{}
	go func() {
		for {
			_, b, err := c.Read(context.Background())
			s.mu.Lock()
			if err != nil {
				s.closed = err
				s.mu.Unlock()
				return
			}
			var f frame
			// the account stream opens with each instance's current state (snapshot frames), then replays and goes live
			if json.Unmarshal(b, &f) == nil && !f.Snapshot {
				s.frames = append(s.frames, f)
			}
			s.mu.Unlock()
		}
	}()
	t.Cleanup(func() { c.Close(websocket.StatusNormalClosure, "") })
	return s
}

func (s *accountStream) snapshot() []frame {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]frame(nil), s.frames...)
}

// lastID is the newest event id of the account stream, once it has caught up with every instance's last state.
func (s *accountStream) lastID() int64 {
	f := s.snapshot()
	if len(f) == 0 {
		return 0
	}
	return f[len(f)-1].ID
}

// processPid finds the process of this demo whose command line contains every part.
func processPid(t *testing.T, parts ...string) int {
	t.Helper()
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmdline := strings.ReplaceAll(string(b), "\x00", " ")
		match := true
		for _, part := range parts {
			match = match && strings.Contains(cmdline, part)
		}
		if match {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	t.Fatalf("no process with %v", parts)
	return 0
}

func TestFaultSidecarKill9With100Connected(t *testing.T) {
	token := newAccount(t, faultInstances)
	names := pairAll(t, token, "kill9", faultInstances)

	// follow every event of the account from the start: all pairing events first, then whatever the fault brings
	live := followAccount(t, token, 0)
	eventually(t, 60*time.Second, "the account stream to replay every connected", func() bool {
		connected := map[string]bool{}
		for _, f := range live.snapshot() {
			if f.Data.State == "connected" {
				connected[f.Data.Instance] = true
			}
		}
		return len(connected) == len(names)
	})
	beforeKill := live.lastID()

	sidecarPid := processPid(t, "wagate-sidecar", product.sidecarListen())
	if err := syscall.Kill(sidecarPid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}

	eventually(t, 120*time.Second, "every instance connected again", func() bool { return driver.AllIn(states(t, token), names, "connected") })
	eventually(t, 60*time.Second, "the stream to carry every instance's return", func() bool {
		back := map[string]bool{}
		for _, f := range live.snapshot() {
			if f.ID > beforeKill && f.Data.State == "connected" {
				back[f.Data.Instance] = true
			}
		}
		return len(back) == len(names)
	})
	if got := processPid(t, "wagate-sidecar", product.sidecarListen()); got == sidecarPid {
		t.Fatalf("the sidecar pid %d did not change", got)
	}
	runLog, _ := os.ReadFile(filepath.Join(product.home, "run.log"))
	if !strings.Contains(string(runLog), "the sidecar exited") || !strings.Contains(string(runLog), "the sidecar was restarted") {
		t.Fatalf("run.sh did not log the sidecar's restart:\n%s", tail(filepath.Join(product.home, "run.log")))
	}

	// per instance, after the kill: exactly one disconnected (the sidecar was lost), and connected last
	frames := live.snapshot()
	perInstance := map[string][]frame{}
	var prev int64
	for _, f := range frames {
		if f.ID <= prev {
			t.Fatalf("event ids not strictly increasing on the stream: %d after %d", f.ID, prev)
		}
		prev = f.ID
		if f.ID > beforeKill {
			perInstance[f.Data.Instance] = append(perInstance[f.Data.Instance], f)
		}
	}
	for _, n := range names {
		evs := perInstance[n]
		disconnected := 0
		for _, f := range evs {
			if f.Data.State == "disconnected" {
				disconnected++
				if f.Data.Reason != "sidecar lost" {
					t.Errorf("%s: disconnected with reason %q, want \"sidecar lost\"", n, f.Data.Reason)
				}
			}
		}
		if disconnected != 1 || len(evs) == 0 || evs[0].Data.State != "disconnected" || evs[len(evs)-1].Data.State != "connected" {
			t.Errorf("%s: events after the kill %v, want one disconnected first and connected last", n, statesOf(evs))
		}
	}

	// gap-free: a client resuming from the kill point gets exactly what the live stream delivered
	end := live.lastID()
	resumed := followAccount(t, token, beforeKill)
	eventually(t, 60*time.Second, "the resumed stream to catch up", func() bool { return resumed.lastID() >= end })
	var want, got []int64
	for _, f := range frames {
		if f.ID > beforeKill && f.ID <= end {
			want = append(want, f.ID)
		}
	}
	for _, f := range resumed.snapshot() {
		if f.ID <= end {
			got = append(got, f.ID)
		}
	}
	if fmt.Sprint(want) != fmt.Sprint(got) {
		t.Fatalf("live stream and replay differ after the kill:\nlive   %v\nreplay %v", want, got)
	}
}

func statesOf(fs []frame) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Data.State)
	}
	return out
}

// PostgreSQL stopped and started, and restarted, under API load: every answer is 2xx, 4xx or the database 503 in
// the envelope, never a 500; nothing recorded is lost; the gateway's log carries no stack trace per failed request.
func TestFaultDatabaseRestartUnderLoad(t *testing.T) {
	token := newAccount(t, 5)
	names := pairAll(t, token, "pgdown", 3)
	gatewayLog := filepath.Join(product.home, "logs", "gateway.log")
	logBefore, _ := os.ReadFile(gatewayLog)

	type answer struct {
		status int
		body   string
	}
	var mu sync.Mutex
	answers := map[int]int{}
	var bad []answer
	stop := make(chan struct{})
	var wg sync.WaitGroup
	routes := []struct{ method, path string }{
		{"GET", "/api/instance/list"},
		{"GET", "/api/instance/getSettings/" + names[0]},
		{"GET", "/api/instance/connect/" + names[1]},
		{"POST", "/api/instance/reconnect/" + names[2]},
		{"GET", "/api/events/getWebsocket/" + names[0]},
		{"GET", "/api/instance/list?instanceName=missing"},
	}
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := routes[i%len(routes)]
				st, raw := api().Send(r.method, product.gateway+r.path, token, nil)
				mu.Lock()
				answers[st]++
				ok := st >= 200 && st < 500
				if st == 503 {
					var env struct {
						Success *bool `json:"success"`
						Error   struct {
							Message string `json:"message"`
						} `json:"error"`
					}
					ok = json.Unmarshal([]byte(raw), &env) == nil && env.Success != nil && !*env.Success &&
						env.Error.Message == "Service temporarily unavailable: database"
				}
				if !ok && len(bad) < 20 {
					bad = append(bad, answer{st, r.method + " " + r.path + " → " + raw})
				}
				mu.Unlock()
			}
		}()
	}
	pg := func(args ...string) {
		t.Helper()
		cmd := exec.Command(filepath.Join(product.root, "scripts", "pg.sh"), args...)
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("pg.sh %v: %v\n%s", args, err, out)
		}
	}
	dataDir := filepath.Join(product.home, "pg")
	seen503 := func() bool { mu.Lock(); defer mu.Unlock(); return answers[503] > 0 }
	seen200 := func() bool { mu.Lock(); defer mu.Unlock(); return answers[200] > 0 }

	// stop, observe the outage, start
	pg("stop", dataDir)
	eventually(t, 60*time.Second, "503s while PostgreSQL is down", seen503)
	pg("start", dataDir, strconv.Itoa(product.ports[4]))
	mu.Lock()
	answers = map[int]int{}
	mu.Unlock()
	eventually(t, 90*time.Second, "200s once PostgreSQL is back", seen200)
	// restart: stop and start straight away
	pg("stop", dataDir)
	pg("start", dataDir, strconv.Itoa(product.ports[4]))
	mu.Lock()
	answers = map[int]int{}
	mu.Unlock()
	eventually(t, 90*time.Second, "200s after the restart", seen200)
	close(stop)
	wg.Wait()

	if len(bad) > 0 {
		logAll, _ := os.ReadFile(gatewayLog)
		added := string(logAll[min(len(logBefore), len(logAll)):])
		if i := strings.Index(added, "Unhandled failure"); i >= 0 {
			added = added[i:min(len(added), i+3000)]
		}
		t.Fatalf("answers other than 2xx/4xx/503-database during the outage: %v\ngateway log:\n%s", bad, added)
	}
	eventually(t, 90*time.Second, "state intact: every instance connected", func() bool { return driver.AllIn(states(t, token), names, "connected") })

	logAll, _ := os.ReadFile(gatewayLog)
	added := string(logAll[min(len(logBefore), len(logAll)):])
	traces := strings.Count(added, "\n\tat ")
	if traces > 200 {
		t.Fatalf("the gateway logged %d stack-trace lines during the outage (a flood); log tail:\n%s", traces, added[max(0, len(added)-4000):])
	}
	if !strings.Contains(added, "Database unavailable") {
		t.Fatalf("the outage was not logged once as such; log tail:\n%s", added[max(0, len(added)-4000):])
	}
}
