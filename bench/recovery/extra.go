package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// resume is one gateway kill -9 in the middle of a webhook backlog.
type resume struct {
	backlog, pendingAtKill    int
	ready, resumed, drained   float64 // seconds from the kill: gateway ready again, first delivery, every delivery
	resentAfterKill, webhooks int
}

// webhookResume: webhooks with a backlog appended through the gateway's own append function, the gateway killed
// with SIGKILL while it drains it, then the seconds until run.sh's new gateway is ready and until deliveries resume.
func (b *bench) webhookResume() (resume, error) {
	const hooks, perHook = 10, 500
	var mu sync.Mutex
	arrivals := map[int64]int{}
	var times []time.Time
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return resume{}, err
	}
	defer ln.Close()
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		id, _ := strconv.ParseInt(r.Header.Get("X-Wagate-Event-Id"), 10, 64)
		mu.Lock()
		arrivals[id]++
		times = append(times, time.Now())
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	st, raw := api.Send("POST", b.gateway+"/api/admin/accounts", b.admin, map[string]any{"name": "bench-resume", "instanceQuota": hooks, "rateLimitPerMinute": 10_000_000})
	token := between(raw, `"token":"`, `"`)
	if st != 201 || token == "" {
		return resume{}, fmt.Errorf("create account: %d %s", st, raw)
	}
	var names []string
	for i := range hooks {
		name := fmt.Sprintf("resume-%d-%02d", time.Now().UnixNano()%1_000_000_000, i)
		if st, raw := api.Send("POST", b.gateway+"/api/instance/new", token, map[string]any{"name": name}); st != 201 {
			return resume{}, fmt.Errorf("create %s: %d %s", name, st, raw)
		}
		if st, raw := api.Send("POST", b.gateway+"/api/events/webhook/"+name, token, map[string]any{"enabled": true, "url": "http://" + ln.Addr().String() + "/" + name}); st != 200 {
			return resume{}, fmt.Errorf("webhook %s: %d %s", name, st, raw)
		}
		names = append(names, name)
	}
	if _, err := b.psql(fmt.Sprintf(`SELECT count(wagate_append_event(i.id, i.account_id, i.name, 'instance.state', 'connecting',
		jsonb_build_object('instance', i.name, 'state', 'connecting', 'n', g))) FROM instance i CROSS JOIN generate_series(1, %d) g
		WHERE i.name = ANY('{%s}'::text[])`, perHook, strings.Join(names, ","))); err != nil {
		return resume{}, err
	}
	total := hooks * perHook
	count := func() int { mu.Lock(); defer mu.Unlock(); return len(arrivals) }
	if err := b.await("the first deliveries", func() bool { return count() >= total/20 }); err != nil {
		return resume{}, err
	}
	gw := b.child("java")
	start := time.Now()
	if err := syscall.Kill(gw, syscall.SIGKILL); err != nil {
		return resume{}, err
	}
	if err := b.await("the gateway to die", func() bool { _, err := os.Stat(fmt.Sprintf("/proc/%d", gw)); return err != nil }); err != nil {
		return resume{}, err
	}
	dead := time.Now()
	mu.Lock()
	r := resume{backlog: total, pendingAtKill: total - len(arrivals), webhooks: hooks}
	before := len(times)
	mu.Unlock()
	if r.pendingAtKill == 0 {
		return resume{}, fmt.Errorf("the backlog drained before the kill: make it larger")
	}
	if err := b.await("the new gateway ready", func() bool { st, _ := api.Send("GET", b.management+"/q/health/ready", "", nil); return st == 200 }); err != nil {
		return resume{}, err
	}
	r.ready = time.Since(start).Seconds()
	if err := b.await("every delivery", func() bool { return count() == total }); err != nil {
		return resume{}, err
	}
	r.drained = time.Since(start).Seconds()
	mu.Lock()
	for _, t := range times[before:] {
		if t.After(dead) {
			r.resumed = t.Sub(start).Seconds()
			break
		}
	}
	for _, n := range arrivals {
		r.resentAfterKill += n - 1
	}
	mu.Unlock()
	return r, nil
}

func between(s, from, to string) string {
	i := strings.Index(s, from)
	if i < 0 {
		return ""
	}
	s = s[i+len(from):]
	j := strings.Index(s, to)
	if j < 0 {
		return ""
	}
	return s[:j]
}

func (b *bench) psql(sql string) (string, error) {
	out, err := exec.Command("psql", fmt.Sprintf("postgres://app:app@127.0.0.1:%d/app?sslmode=disable", b.pgPort), "-v", "ON_ERROR_STOP=1", "-qtA", "-c", sql).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("psql: %v %s", err, out)
	}
	return string(out), nil
}

// rawResult is bench/sidecar-restore's answer: the same number of saved sessions logged in by raw whatsmeow clients
// in one process, and restored through the sidecar binary alone (Connect over gRPC), against its own emulator.
type rawResult struct {
	n            int
	raw, sidecar float64
}

// rawBaseline runs bench/sidecar-restore (its code, unchanged) on the demo's PostgreSQL, in a database of its own.
func rawBaseline(n, pgPort int, timeout time.Duration) (*rawResult, error) {
	cmd := exec.Command("go", "run", ".", "-n", strconv.Itoa(n), "-timeout", timeout.String())
	cmd.Dir = filepath.Join("..", "sidecar-restore")
	cmd.Env = append(os.Environ(), "PG_HOST=127.0.0.1", "PG_PORT="+strconv.Itoa(pgPort), "PG_USER=app", "PG_PASSWORD=app", "PG_DB=app")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("bench/sidecar-restore: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`\| time to all connected \| (\S+) \| (\S+) \|`).FindStringSubmatch(string(out))
	if m == nil {
		return nil, fmt.Errorf("bench/sidecar-restore printed no time:\n%s", out)
	}
	raw, err1 := time.ParseDuration(m[1])
	side, err2 := time.ParseDuration(m[2])
	if err1 != nil || err2 != nil {
		return nil, fmt.Errorf("bench/sidecar-restore: unreadable times %q %q", m[1], m[2])
	}
	return &rawResult{n: n, raw: raw.Seconds(), sidecar: side.Seconds()}, nil
}

func verdict(ok bool, missed string) string {
	if ok {
		return "met"
	}
	return "missed by " + missed
}

func report(rows []kill, r resume, raw *rawResult) {
	fmt.Printf("\nSidecar kill -9 (run.sh restarts it) — goal: 1,000 instances all connected and recorded within 10 s; cost linear or better\n\n")
	fmt.Println("| instances | all connected (s) | all recorded (s) | goal ≤ 10 s at 1,000 | time per instance vs previous row | sidecar RSS before / after (MB) | gateway RSS before / after (MB) | sidecar RSS per instance vs previous row |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for i, k := range rows {
		goal := "—"
		if k.n == 1000 {
			goal = verdict(k.recorded <= 10, fmt.Sprintf("%.1f s", k.recorded-10))
		}
		growth, rssGrowth := "—", "—"
		if i > 0 {
			p := rows[i-1]
			f := (k.recorded / float64(k.n)) / (p.recorded / float64(p.n))
			growth = fmt.Sprintf("×%.2f: %s", f, linear(f))
			fr := (k.sidecarBefore / float64(k.n)) / (p.sidecarBefore / float64(p.n))
			rssGrowth = fmt.Sprintf("×%.2f: %s", fr, linear(fr))
		}
		fmt.Printf("| %d | %.1f | %.1f | %s | %s | %.0f / %.0f | %.0f / %.0f | %s |\n", k.n, k.connected, k.recorded, goal, growth,
			k.sidecarBefore, k.sidecarAfter, k.gatewayBefore, k.gatewayAfter, rssGrowth)
	}

	if raw != nil {
		fmt.Printf("\nThe limit: the same number of saved sessions logged in by raw whatsmeow clients (bench/sidecar-restore: one process, its own emulator and database) — goal: wagate ≤ 1.3× raw\n\n")
		fmt.Println("| sessions | raw whatsmeow (s) | sidecar alone, Connect over gRPC (s) | wagate after kill -9: all connected (s) | ratio wagate / raw | goal ≤ 1.3× |")
		fmt.Println("|---|---|---|---|---|---|")
		for _, k := range rows {
			if k.n == raw.n {
				ratio := k.connected / raw.raw
				fmt.Printf("| %d | %.2f | %.2f | %.1f | %.2f | %s |\n", k.n, raw.raw, raw.sidecar, k.connected, ratio, verdict(ratio <= 1.3, fmt.Sprintf("%.2f×", ratio-1.3)))
			}
		}
	}

	fmt.Printf("\nEvent recording during each recovery (every event after the kill as the account's WebSocket received it, i.e. stored) — goal ≥ 2,000 state events/s\n\n")
	fmt.Println("| instances | events recorded | over the recovery (events/s) | busiest second (events/s) | last recorded after last connected (s) | goal ≥ 2,000/s |")
	fmt.Println("|---|---|---|---|---|---|")
	for _, k := range rows {
		fmt.Printf("| %d | %d | %.0f | %.0f | %.1f | %s |\n", k.n, k.events, k.recordRate, k.peakRate, k.recorded-k.connected,
			verdict(k.peakRate >= 2000, fmt.Sprintf("%.0f/s (the sidecar produced events no faster: see the lag column)", 2000-k.peakRate)))
	}
	fmt.Println("(the busiest second is bounded by how fast the sidecar produces events; a lag near 0 says the recorder kept up)")

	fmt.Printf("\nGateway kill -9 during a webhook backlog (run.sh restarts it) — goal: deliveries resume as soon as the gateway is ready (≤ 2 s after; the lease, 60 s, is not waited for)\n\n")
	fmt.Println("| webhooks | backlog | pending at the kill | gateway ready (s) | deliveries resumed (s) | resumed after ready (s) | backlog drained (s) | re-sent (at-least-once) | goal |")
	fmt.Println("|---|---|---|---|---|---|---|---|---|")
	lag := r.resumed - r.ready
	fmt.Printf("| %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %d | %s |\n", r.webhooks, r.backlog, r.pendingAtKill, r.ready, r.resumed, lag, r.drained,
		r.resentAfterKill, verdict(lag <= 2, fmt.Sprintf("%.1f s", lag-2)))
	fmt.Printf("\nload average at the end: %s\n", loadavg())
}

func linear(f float64) string {
	if f <= 1.1 {
		return "linear or better"
	}
	return fmt.Sprintf("worse than linear by %.0f %%", (f-1)*100)
}
