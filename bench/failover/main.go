// Command failover measures how fast a wagate cluster of three pods moves the instances of a pod it loses: after
// kill -9 (the others wait out its leases) and after SIGTERM (a graceful hand-over), the seconds from the signal
// until each moved instance's `connected` is recorded by its new owner, and the double logins the emulator saw. See
// README.md; run through run.sh.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/wagate/wagate/e2e/driver"
	"github.com/wagate/wagate/e2e/lease"
)

// api drives pod 1 (never the one lost) and the emulator; the URLs are set from the flags
var api = &driver.Client{HTTP: &http.Client{Timeout: 60 * time.Second}}

type bench struct {
	urls    []string
	home    string
	dsn     string
	lease   time.Duration
	timeout time.Duration
	token   string
	names   []string
	phones  map[string]string
}

// result is one scenario's row.
type result struct {
	scenario string
	goal     time.Duration // for p99
	times    []time.Duration
	doubles  int
}

func main() {
	urls := flag.String("urls", "", "the pods' gateway base URLs, comma-separated (WAGATE_URLS)")
	emulator := flag.String("emulator", "", "emulator control URL")
	admin := flag.String("admin-token", "", "admin token")
	home := flag.String("home", "", "the demo's WAGATE_HOME (pods/<n>/*.pid)")
	pgPort := flag.Int("pg-port", 0, "the demo's embedded PostgreSQL port")
	n := flag.Int("n", 300, "instances")
	leaseTime := flag.Duration("lease", 5*time.Second, "wagate.cluster.lease of the pods")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up on a phase after this long")
	flag.Parse()
	b := &bench{urls: strings.Split(*urls, ","), home: *home, lease: *leaseTime, timeout: *timeout, phones: map[string]string{},
		dsn: fmt.Sprintf("postgres://app:app@127.0.0.1:%d/app?sslmode=disable", *pgPort)}
	if len(b.urls) != 3 || *home == "" || *pgPort == 0 {
		fail(fmt.Errorf("-urls (three pods), -home and -pg-port are required (run through run.sh)"))
	}
	api.Gateway, api.Emulator = b.urls[0], *emulator
	fmt.Printf("bench/failover %s, %d instances over 3 pods, lease %s, load average %s at the start (a shared 2-core machine: other builds run at the same time, times are noisy)\n",
		time.Now().UTC().Format(time.RFC3339), *n, b.lease, loadavg())
	check(b.pair(*admin, *n))
	if err := b.awaitSettled(3*time.Minute, 3, nil, nil, 0); err != nil {
		// on an overloaded machine pods lose leases in the middle of pairings and logins: an instance left without its
		// session (no JID), replaced (desired stopped) or not connected by its owner is left out of the measurement,
		// and counted by what it looks like
		out, qerr := lease.SQL(b.dsn, fmt.Sprintf(`SELECT name, state || '/' || desired_state || CASE WHEN jid IS NULL THEN '/no JID' ELSE '' END
			FROM instance WHERE name = ANY(%s) AND NOT (desired_state = 'running' AND jid IS NOT NULL AND state = 'connected')`, lease.Names(b.names)))
		check(qerr)
		kinds := map[string]int{}
		var broken []string
		for _, r := range lease.Rows(out) {
			broken = append(broken, r[0])
			kinds[r[1]]++
		}
		b.names = slices.DeleteFunc(b.names, func(n string) bool { return slices.Contains(broken, n) })
		fmt.Printf("  not settled after pairing (%v)\n  %d instances left out, by state/desired state: %v\n", err, len(broken), kinds)
		check(b.awaitSettled(b.timeout, 3, nil, nil, 0))
	}
	v := b.view()
	for p, u := range b.urls {
		fmt.Printf("  pod %d owns %d instances\n", p+1, len(v.OwnedBy(v.MemberAt(u))))
	}

	kill, victim := b.lose(3, syscall.SIGKILL, "kill -9 (gateway and sidecar)", 10*time.Second)
	// pod 3 back (a new member) so that the hand-over starts from three pods again
	check(os.Remove(b.downFile(3)))
	check(b.awaitSettled(b.timeout, 3, []string{victim}, nil, 0))
	term, _ := b.lose(2, syscall.SIGTERM, "SIGTERM (gateway, then sidecar)", 2*time.Second)
	fmt.Printf("load average %s at the end\n\n", loadavg())
	if report([]result{kill, term}) {
		os.Exit(1)
	}
}

// pair creates the account and pairs n instances through pod 1, which takes each lease; the cluster then spreads them.
func (b *bench) pair(admin string, n int) error {
	token, err := api.NewAccount(admin, "bench-failover", n, 10_000_000)
	if err != nil {
		return err
	}
	b.token = token
	base := time.Now().UnixNano() / 1000 % 900_000_000
	for i := range n {
		b.names = append(b.names, fmt.Sprintf("fo-%04d", i))
		b.phones[b.names[i]] = fmt.Sprintf("5514%09d", (base+int64(i))%1_000_000_000)
	}
	retries := 0
	pairing := driver.Pairing{Attempts: 5, Retried: func() { retries++ }}
	err = api.PairAll(token, b.names, func(i int) string { return b.phones[b.names[i]] }, 16, pairing)
	fmt.Printf("  paired %d instances (pairings retried: %d)\n", n, retries)
	return err
}

// lose takes pod p away with sig, held down by run.sh, and measures the move of its instances.
func (b *bench) lose(p int, sig syscall.Signal, what string, goal time.Duration) (result, string) {
	v := b.view()
	victim := v.MemberAt(b.urls[p-1])
	moved := v.OwnedBy(victim)
	if len(moved) == 0 {
		fail(fmt.Errorf("pod %d (member %q) owns no instance", p, victim))
	}
	since := b.lastEventID()
	if st, raw := api.Send("POST", api.Emulator+"/devices/reset-counters", "", nil); st != 200 {
		fail(fmt.Errorf("reset-counters: %d %s", st, raw))
	}
	check(os.WriteFile(b.downFile(p), nil, 0o600))
	gw, sc := b.pid(p, "gateway"), b.pid(p, "sidecar")
	start := time.Now()
	check(syscall.Kill(gw, sig))
	if sig == syscall.SIGTERM {
		// as Kubernetes would stop the pod's containers, the sidecar once the gateway has handed over and exited
		if !driver.Await(time.Minute, 50*time.Millisecond, func() bool { return exited(gw) }) {
			fail(fmt.Errorf("pod %d's gateway did not exit within a minute of SIGTERM", p))
		}
	}
	check(syscall.Kill(sc, sig))
	check(b.awaitSettled(b.timeout, 2, []string{victim}, moved, since))

	out, err := lease.SQL(b.dsn, fmt.Sprintf(`SELECT instance_name, extract(epoch FROM min(created_at)) FROM instance_event
		WHERE event = 'instance.state' AND state = 'connected' AND id > %d AND instance_name = ANY(%s) GROUP BY 1`, since, lease.Names(moved)))
	check(err)
	r := result{scenario: fmt.Sprintf("pod %d %s", p, what), goal: goal}
	for _, row := range lease.Rows(out) {
		sec, _ := strconv.ParseFloat(row[1], 64)
		r.times = append(r.times, time.Unix(0, int64(sec*1e9)).Sub(start))
	}
	slices.Sort(r.times)
	for _, name := range b.names {
		if d := b.devices()[b.phones[name]]; d.Max > 1 {
			r.doubles++
		}
	}
	fmt.Printf("  %s: %d instances moved, the last connected elsewhere after %.1f s (load %s)\n", r.scenario, len(r.times), r.times[len(r.times)-1].Seconds(), loadavg())
	return r, victim
}

// awaitSettled waits until n members are live (none of gone), every instance is on its rendezvous owner, listed
// connected, its device connected with one socket, and each of moved has a connected event after since.
func (b *bench) awaitSettled(bound time.Duration, n int, gone, moved []string, since int64) error {
	var why string
	ok := driver.Await(bound, 200*time.Millisecond, func() bool {
		v := b.view()
		if ok, reason := v.Settled(n, gone, b.names); !ok {
			why = reason
			return false
		}
		if states, err := api.States(b.token); err != nil || driver.CountNot(states, b.names, "connected") > 0 {
			why = fmt.Sprintf("not every instance listed connected (%v)", err)
			return false
		}
		devs := b.devices()
		for _, name := range b.names {
			if d := devs[b.phones[name]]; !d.Connected || d.Open != 1 {
				why = fmt.Sprintf("%s: device %+v", name, d)
				return false
			}
		}
		if len(moved) > 0 {
			out, err := lease.SQL(b.dsn, fmt.Sprintf(`SELECT count(DISTINCT instance_name) FROM instance_event WHERE event = 'instance.state'
				AND state = 'connected' AND id > %d AND instance_name = ANY(%s)`, since, lease.Names(moved)))
			if err != nil || strings.TrimSpace(out) != strconv.Itoa(len(moved)) {
				why = fmt.Sprintf("%s of %d moved instances recorded connected (%v)", strings.TrimSpace(out), len(moved), err)
				return false
			}
		}
		return true
	})
	if !ok {
		return fmt.Errorf("not settled within %s: %s", bound, why)
	}
	return nil
}

func (b *bench) view() lease.View {
	v, err := lease.Read(b.dsn, b.lease, b.names)
	check(err)
	return v
}

func (b *bench) lastEventID() int64 {
	out, err := lease.SQL(b.dsn, "SELECT coalesce(max(id), 0) FROM instance_event")
	check(err)
	id, err := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	check(err)
	return id
}

func (b *bench) pid(p int, kind string) int {
	raw, err := os.ReadFile(filepath.Join(b.home, "pods", strconv.Itoa(p), kind+".pid"))
	check(err)
	pid, err := strconv.Atoi(strings.TrimSpace(string(raw)))
	check(err)
	return pid
}

// downFile holds pod p down: run.sh does not restart its processes while it exists.
func (b *bench) downFile(p int) string {
	return filepath.Join(b.home, "pods", strconv.Itoa(p), "down")
}

type device struct {
	Phone     string `json:"phone"`
	Connected bool   `json:"connected"`
	Open      int    `json:"openConnections"`
	Max       int    `json:"maxConcurrentConnections"`
}

// devices is the emulator's linked devices by phone.
func (b *bench) devices() map[string]device {
	st, raw := api.Send("GET", api.Emulator+"/devices", "", nil)
	var list struct {
		Devices []device `json:"devices"`
	}
	if st != 200 || json.Unmarshal([]byte(raw), &list) != nil {
		fail(fmt.Errorf("GET /devices: %d %s", st, raw))
	}
	out := map[string]device{}
	for _, d := range list.Devices {
		out[d.Phone] = d
	}
	return out
}

// report prints the table; true when a double login was seen (a correctness failure, not a missed goal).
func report(rows []result) bool {
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(w, "scenario\tmoved\tp50 s\tp99 s\tmax s\tgoal p99\tdouble logins\tverdict\t")
	bad := false
	for _, r := range rows {
		p99 := pct(r.times, 99)
		verdict := "met"
		if p99 > r.goal || r.doubles > 0 {
			verdict = "MISSED"
		}
		bad = bad || r.doubles > 0
		fmt.Fprintf(w, "%s\t%d\t%.1f\t%.1f\t%.1f\t≤ %.0f s\t%d\t%s\t\n", r.scenario, len(r.times), pct(r.times, 50).Seconds(), p99.Seconds(),
			r.times[len(r.times)-1].Seconds(), r.goal.Seconds(), r.doubles, verdict)
	}
	w.Flush()
	fmt.Println("\nmoved: the lost pod's instances; seconds from the signal until each one's `connected` was recorded by its new owner;\n" +
		"double logins: devices the emulator saw with two sockets open at once (must be 0)")
	return bad
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	return sorted[max(i-1, 0)]
}

func exited(pid int) bool {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err != nil || strings.Contains(string(raw), ") Z ")
}

func loadavg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}

func check(err error) {
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "failover:", err)
	os.Exit(1)
}
