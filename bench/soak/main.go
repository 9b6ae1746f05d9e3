// Command soak keeps wagate (started by scripts/soak.sh as `make demo` does, under run.sh's supervision) busy with
// N paired instances, each with a webhook to a receiver in this process and the account's WebSocket followed, and
// breaks something at random every interval: sidecar kill -9, PostgreSQL restart, gateway kill -9, receiver down
// then up, emulator refusing connections with every device kicked. At the end it heals everything, waits, and prints
// the RSS of each process at start and end, the events lost and duplicated (webhooks and WebSocket against what the
// database stored) and the instances not connected. Exit status 1 when a correctness goal fails. See README.md.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"
	"github.com/wagate/wagate/e2e/driver"
)

// api drives the demo over its API and the emulator's control API; the URLs are set from the flags
var api = &driver.Client{HTTP: &http.Client{Timeout: 30 * time.Second}}

type soak struct {
	gateway, emulator, admin, home, root string
	demoPid, pgPort                      int
	token                                string
	names                                []string
	recv                                 *receiver
	ws                                   *follower
	history                              []faultAt // every fault with its time, to explain re-sends
	mu                                   sync.Mutex
}

func main() {
	s := &soak{}
	flag.StringVar(&s.gateway, "gateway", "", "gateway base URL")
	flag.StringVar(&s.emulator, "emulator", "", "emulator control URL")
	flag.StringVar(&s.admin, "admin-token", "", "admin token")
	flag.StringVar(&s.home, "home", "", "the demo's WAGATE_HOME (embedded PostgreSQL under pg/)")
	flag.StringVar(&s.root, "root", "", "repository root (scripts/pg.sh)")
	flag.IntVar(&s.demoPid, "demo-pid", 0, "pid of the supervising scripts/run.sh (its children are the processes)")
	flag.IntVar(&s.pgPort, "pg-port", 0, "the embedded PostgreSQL's port")
	minutes := flag.Float64("minutes", 30, "how long to run faults")
	n := flag.Int("n", 200, "instances")
	every := flag.Duration("every", 30*time.Second, "one random fault per interval")
	seed := flag.Uint64("seed", uint64(time.Now().UnixNano()), "random seed (printed, to replay a run)")
	flag.Parse()
	if !strings.HasPrefix(s.gateway, "http://127.") || s.demoPid == 0 || s.pgPort == 0 {
		fail(fmt.Errorf("-gateway (loopback), -demo-pid and -pg-port are required"))
	}
	api.Gateway, api.Emulator = s.gateway, s.emulator
	fmt.Printf("soak: %d instances, a random fault every %s for %.0f min, seed %d\n", *n, *every, *minutes, *seed)
	s.recv = startReceiver()
	if err := s.setup(*n); err != nil {
		fail(err)
	}
	start := s.rss()
	fmt.Printf("%s setup done: %d instances connected, each with a webhook (pairings retried: %d)\n", stamp(), *n, pairRetries.Load())

	rng := rand.New(rand.NewPCG(*seed, *seed^0x5eed))
	faults := []struct {
		name string
		do   func() error
	}{
		{"sidecar kill -9", func() error { return s.kill("wagate-sidecar") }},
		{"PostgreSQL restart", s.pgRestart},
		{"gateway kill -9", func() error { return s.kill("java") }},
		{"receiver down 15 s, then up", func() error { s.recv.setDown(true); wait(15 * time.Second); s.recv.setDown(false); return nil }},
		{"emulator refusing 10 s + every device kicked", s.refuseAndKick},
	}
	count := map[string]int{}
	end := time.Now().Add(time.Duration(*minutes * float64(time.Minute)))
	// rounds of every fault in a random order: random, yet each kind is exercised about equally
	var order []int
	for next := time.Now(); next.Before(end); next = next.Add(*every) {
		wait(time.Until(next))
		if len(order) == 0 {
			order = rng.Perm(len(faults))
		}
		f := faults[order[0]]
		order = order[1:]
		fmt.Printf("%s fault: %s\n", stamp(), f.name)
		s.mu.Lock()
		s.history = append(s.history, faultAt{f.name, time.Now()})
		s.mu.Unlock()
		if err := f.do(); err != nil {
			fmt.Printf("%s   fault action failed: %v\n", stamp(), err)
		}
		count[f.name]++
	}

	fmt.Printf("%s faults over; healing and waiting for every instance and delivery (bound 5 min)\n", stamp())
	s.recv.setDown(false)
	_, _ = api.Send("DELETE", s.emulator+"/faults", "", nil)
	connected := s.await(5*time.Minute, func() bool { return s.notConnected() == 0 })
	stored, err := s.stored()
	if err != nil {
		fail(err)
	}
	s.await(5*time.Minute, func() bool { lost, _ := s.recv.compare(stored); return lost == 0 })
	s.await(2*time.Minute, func() bool { lost, _ := s.ws.compare(stored); return lost == 0 })
	endRSS := s.rss()
	notConnected := s.notConnected()
	if !connected {
		fmt.Printf("%s not every instance connected within the bound\n", stamp())
	}
	s.mu.Lock()
	history := append([]faultAt(nil), s.history...)
	s.mu.Unlock()
	lost, resends := s.recv.compare(stored)
	wsLost, wsDups := s.ws.compare(stored)
	total := 0
	for _, ids := range stored {
		total += len(ids)
	}

	fmt.Printf("\nload average at the end: %s (shared 2-core machine: other builds run at the same time)\n", loadavg())
	fmt.Printf("\n| fault | times |\n|---|---|\n")
	for _, f := range faults {
		fmt.Printf("| %s | %d |\n", f.name, count[f.name])
	}
	fmt.Printf("\n(postgresql: the postmaster and its backends, proportional set size; the others: resident set size)\n")
	fmt.Printf("\n| process | RSS at start (MB) | RSS at end (MB) | growth | goal ≤ 5 %% |\n|---|---|---|---|---|\n")
	for _, p := range []string{"gateway", "sidecar", "emulator", "postgresql"} {
		a, b := start[p], endRSS[p]
		g := (b - a) / a * 100
		fmt.Printf("| %s | %.0f | %.0f | %+.1f %% | %s |\n", p, a, b, g, verdict(g <= 5, fmt.Sprintf("by %.1f points", g-5)))
	}
	failed := false
	row := func(what string, got, goal int, correctness bool) {
		ok := got <= goal
		failed = failed || (correctness && !ok)
		fmt.Printf("| %s | %d | %d | %s |\n", what, got, goal, verdict(ok, fmt.Sprintf("by %d", got-goal)))
	}
	fmt.Printf("\n| outcome (%d events stored for %d instances) | count | goal | |\n|---|---|---|---|\n", total, len(s.names))
	row("webhook events lost", lost, 0, true)
	// a re-send is the batch a process could not store as acknowledged when a gateway kill -9 or a PostgreSQL restart
	// fell between the first delivery and the re-send (at-least-once); any other is a duplicate
	explained, unexplained := 0, []resend{}
	perFault := map[string]int{}
	for _, r := range resends {
		ok := false
		last := "none"
		for _, f := range history {
			if f.at.Before(r.again) {
				last = f.name
			}
			ok = ok || ((f.name == "gateway kill -9" || f.name == "PostgreSQL restart") && f.at.After(r.first) && f.at.Before(r.again))
		}
		perFault[last]++
		if ok {
			explained++
		} else {
			unexplained = append(unexplained, r)
		}
	}
	row("webhook events duplicated (other than the unacknowledged batch of a kill or restart)", len(unexplained), 0, true)
	allowed := 51 * len(s.names) * len(history)
	fmt.Printf("| webhook re-sends of the unacknowledged batch after a gateway kill -9 or PostgreSQL restart (at-least-once) | %d | ≤ 51 per webhook and fault | %s |\n",
		explained, verdict(explained <= allowed, "more than the unacknowledged batches"))
	failed = failed || explained > allowed
	row("WebSocket events lost", wsLost, 0, true)
	row("WebSocket events duplicated", wsDups, 0, true)
	row("instances not connected at the end", notConnected, 0, true)
	if len(resends) > 0 {
		fmt.Printf("\nwebhook re-sends by the last fault before them:")
		for name, n := range perFault {
			fmt.Printf(" %s: %d;", name, n)
		}
		fmt.Println()
	}
	for i, r := range unexplained {
		if i == 5 {
			fmt.Printf("... and %d more\n", len(unexplained)-5)
			break
		}
		fmt.Printf("duplicate: %s event %d first delivered %s, again %s\n", r.name, r.id, r.first.UTC().Format("15:04:05.000"), r.again.UTC().Format("15:04:05.000"))
	}
	if failed {
		fmt.Println("\nsoak: a correctness goal failed")
		os.Exit(1)
	}
}

func verdict(ok bool, missed string) string {
	if ok {
		return "met"
	}
	return "missed " + missed
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "soak:", err)
	os.Exit(1)
}

func stamp() string { return time.Now().UTC().Format("15:04:05") }

func wait(d time.Duration) {
	if d > 0 {
		<-time.After(d)
	}
}

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], " ")
}

func (s *soak) await(bound time.Duration, cond func() bool) bool {
	return driver.Await(bound, 500*time.Millisecond, cond)
}

// setup creates the account and n instances, each with a webhook to the receiver set before pairing (so every event
// of the instance is delivered), pairs them and follows the account's WebSocket from the first event.
func (s *soak) setup(n int) error {
	token, err := api.NewAccount(s.admin, "soak", n, 10_000_000)
	if err != nil {
		return err
	}
	s.token = token
	s.ws = follow(s.gateway, s.token)
	for i := range n {
		s.names = append(s.names, fmt.Sprintf("soak-%03d", i))
	}
	// a pairing the client gives up on under heavy load is tried again with a fresh QR code; retries are printed
	pairing := driver.Pairing{Create: map[string]any{"websocketEnabled": true}, AfterCreate: s.webhook, Attempts: 5, Retried: func() { pairRetries.Add(1) }}
	if err := api.PairAll(s.token, s.names, func(i int) string { return fmt.Sprintf("5514%09d", i) }, 8, pairing); err != nil {
		return err
	}
	if !s.await(5*time.Minute, func() bool { return s.notConnected() == 0 }) {
		return fmt.Errorf("%d instances not connected after pairing", s.notConnected())
	}
	return nil
}

// webhook points the instance's default webhook at the receiver.
func (s *soak) webhook(name string) error {
	if st, raw := api.Send("POST", s.gateway+"/api/events/webhook/"+name, s.token, map[string]any{"enabled": true, "url": s.recv.url + "/" + name}); st != 200 {
		return fmt.Errorf("webhook %s: %d %s", name, st, raw)
	}
	return nil
}

// pairRetries counts pairings tried again.
var pairRetries atomic.Int64

// notConnected counts the instances the list does not show connected (all of them when the list fails).
func (s *soak) notConnected() int {
	states, err := api.States(s.token)
	if err != nil {
		return len(s.names)
	}
	return driver.CountNot(states, s.names, "connected")
}

// child finds the child of the supervising run.sh whose command name is comm (its processes, found by parentage).
func (s *soak) child(comm string) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		i := strings.LastIndexByte(string(b), ')')
		open := strings.IndexByte(string(b), '(')
		if i < 0 || open < 0 {
			continue
		}
		f := strings.Fields(string(b)[i+1:])
		if len(f) > 1 && f[1] == strconv.Itoa(s.demoPid) && string(b)[open+1:i] == comm {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	return 0
}

func (s *soak) kill(comm string) error {
	pid := s.child(comm)
	if pid == 0 {
		return fmt.Errorf("no %s process under run.sh (pid %d)", comm, s.demoPid)
	}
	return syscall.Kill(pid, syscall.SIGKILL)
}

func (s *soak) pgRestart() error {
	dir := filepath.Join(s.home, "pg")
	if out, err := exec.Command(filepath.Join(s.root, "scripts", "pg.sh"), "stop", dir).CombinedOutput(); err != nil {
		return fmt.Errorf("pg.sh stop: %v %s", err, out)
	}
	if out, err := exec.Command(filepath.Join(s.root, "scripts", "pg.sh"), "start", dir, strconv.Itoa(s.pgPort)).CombinedOutput(); err != nil {
		return fmt.Errorf("pg.sh start: %v %s", err, out)
	}
	return nil
}

func (s *soak) refuseAndKick() error {
	defer func() { _, _ = api.Send("DELETE", s.emulator+"/faults", "", nil) }()
	if st, raw := api.Send("POST", s.emulator+"/faults", "", map[string]any{"refuseConnections": true}); st != 200 {
		return fmt.Errorf("faults: %d %s", st, raw)
	}
	st, raw := api.Send("GET", s.emulator+"/devices", "", nil)
	var list struct {
		Devices []struct {
			JID       string `json:"jid"`
			Connected bool   `json:"connected"`
		} `json:"devices"`
	}
	if st != 200 || json.Unmarshal([]byte(raw), &list) != nil {
		return fmt.Errorf("devices: %d %s", st, raw)
	}
	for _, d := range list.Devices {
		if d.Connected {
			api.Send("POST", s.emulator+"/devices/"+url.PathEscape(d.JID)+"/kick", "", nil)
		}
	}
	wait(10 * time.Second)
	return nil
}

// rss reads each process's resident set in MB: the gateway, sidecar and emulator by parentage, PostgreSQL as the
// postmaster and all its children.
func (s *soak) rss() map[string]float64 {
	out := map[string]float64{"gateway": driver.RSSMB(s.child("java")), "sidecar": driver.RSSMB(s.child("wagate-sidecar")), "emulator": driver.RSSMB(s.child("wa-emulator"))}
	b, _ := os.ReadFile(filepath.Join(s.home, "pg", "data", "postmaster.pid"))
	pm, _ := strconv.Atoi(strings.SplitN(string(b), "\n", 2)[0])
	if pm > 0 {
		// proportional set sizes: the backends share the buffer cache, which a sum of RSS would count once per backend
		total := pssMB(pm)
		stats, _ := filepath.Glob("/proc/[0-9]*/stat")
		for _, p := range stats {
			raw, _ := os.ReadFile(p)
			if i := strings.LastIndexByte(string(raw), ')'); i > 0 {
				if f := strings.Fields(string(raw)[i+1:]); len(f) > 1 && f[1] == strconv.Itoa(pm) {
					pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
					total += pssMB(pid)
				}
			}
		}
		out["postgresql"] = total
	}
	return out
}

func pssMB(pid int) float64 {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", pid))
	if err != nil || pid == 0 {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "Pss:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// stored lists the event ids the database holds per instance name, through psql on the embedded cluster.
func (s *soak) stored() (map[string][]int64, error) {
	out, err := exec.Command("psql", fmt.Sprintf("postgres://app:app@127.0.0.1:%d/app?sslmode=disable", s.pgPort), "-v", "ON_ERROR_STOP=1", "-qtA", "-c",
		`SELECT instance_name || '|' || id FROM instance_event WHERE instance_name LIKE 'soak-%' ORDER BY id`).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("psql: %v %s", err, out)
	}
	ids := map[string][]int64{}
	for _, line := range strings.Fields(string(out)) {
		name, id, _ := strings.Cut(line, "|")
		n, _ := strconv.ParseInt(id, 10, 64)
		ids[name] = append(ids[name], n)
	}
	return ids, nil
}

// receiver is the webhook target: every accepted delivery per instance with its arrival time.
type receiver struct {
	url      string
	mu       sync.Mutex
	down     bool
	arrivals map[string][]arrival
}

type arrival struct {
	id int64
	at time.Time
}

func startReceiver() *receiver {
	r := &receiver{arrivals: map[string][]arrival{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail(err)
	}
	go http.Serve(ln, r)
	r.url = "http://" + ln.Addr().String()
	return r
}

func (r *receiver) setDown(down bool) {
	r.mu.Lock()
	r.down = down
	r.mu.Unlock()
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	_, _ = io.Copy(io.Discard, req.Body)
	id, _ := strconv.ParseInt(req.Header.Get("X-Wagate-Event-Id"), 10, 64)
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.down {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	name := strings.TrimPrefix(req.URL.Path, "/")
	r.arrivals[name] = append(r.arrivals[name], arrival{id, time.Now()})
	w.WriteHeader(http.StatusNoContent)
}

type faultAt struct {
	name string
	at   time.Time
}

// resend is a second delivery of an event: when it first arrived and when again.
type resend struct {
	name         string
	id           int64
	first, again time.Time
}

// compare counts the stored events never delivered and lists every delivery of an event that had arrived before.
func (r *receiver) compare(stored map[string][]int64) (lost int, resends []resend) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, ids := range stored {
		first := map[int64]time.Time{}
		for _, a := range r.arrivals[name] {
			if at, seen := first[a.id]; seen {
				resends = append(resends, resend{name, a.id, at, a.at})
			} else {
				first[a.id] = a.at
			}
		}
		for _, id := range ids {
			if _, ok := first[id]; !ok {
				lost++
			}
		}
	}
	return lost, resends
}

// follower keeps the account's WebSocket open, resuming from the last id it saw after every break (gateway kill).
type follower struct {
	mu   sync.Mutex
	seen map[int64]int
	last int64
}

func follow(gateway, token string) *follower {
	f := &follower{seen: map[int64]int{}}
	base := strings.Replace(gateway, "http://", "ws://", 1) + "/ws?token=" + url.QueryEscape(token) + "&since="
	go func() {
		for {
			f.mu.Lock()
			since := f.last
			f.mu.Unlock()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			c, _, err := websocket.Dial(ctx, base+strconv.FormatInt(since, 10), nil)
			cancel()
			if err != nil {
				wait(time.Second)
				continue
			}
			c.SetReadLimit(1 << 20)
			for {
				_, msg, err := c.Read(context.Background())
				if err != nil {
					break
				}
				var ev struct {
					ID int64 `json:"id"`
				}
				if json.Unmarshal(msg, &ev) == nil && ev.ID > 0 {
					f.mu.Lock()
					f.seen[ev.ID]++
					f.last = max(f.last, ev.ID)
					f.mu.Unlock()
				}
			}
			c.CloseNow()
			wait(time.Second)
		}
	}()
	return f
}

func (f *follower) compare(stored map[string][]int64) (lost, dups int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var all []int64
	for _, ids := range stored {
		all = append(all, ids...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	for _, id := range all {
		switch n := f.seen[id]; {
		case n == 0:
			lost++
		case n > 1:
			dups += n - 1
		}
	}
	return lost, dups
}
