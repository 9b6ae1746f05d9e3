// Command api measures the gateway's hot paths against a running wagate (started by run.sh): the list endpoint
// for one instance and the reconnect fast path of an already-connected instance. It prints throughput and
// latency percentiles. Load goes to 127.0.0.1 only and is bounded by -duration.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	gateway := flag.String("gateway", "http://127.0.0.1:8080", "gateway base URL (loopback)")
	emulator := flag.String("emulator", "http://127.0.0.1:9201", "emulator control API base URL (loopback)")
	adminToken := flag.String("admin-token", "", "admin token (creates the bench account with a raised limit)")
	workers := flag.Int("workers", 32, "concurrent clients")
	duration := flag.Duration("duration", 10*time.Second, "duration of each scenario")
	// on 2 shared cores the JIT compiles under load for 20-40 s (measured: C2 thread time) before the steady state
	rate := flag.Int("rate", 5000, "open-loop arrival rate (req/s) for the latency-at-rate rows; 0 skips them")
	only := flag.String("only", "", "run only the scenario whose label contains this text (e.g. list, reconnect)")
	warmup := flag.Duration("warmup", 30*time.Second, "unreported warm-up before each scenario")
	flag.Parse()
	for _, u := range []string{*gateway, *emulator} {
		if !strings.HasPrefix(u, "http://127.") && !strings.HasPrefix(u, "http://localhost") {
			fail("only loopback targets are allowed: %s", u)
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: max(*workers, openWorkers) * 2}, Timeout: 30 * time.Second}
	b := &bench{client: client, gateway: *gateway}

	acct := b.must("POST", "/api/admin/accounts", *adminToken, map[string]any{
		"name": fmt.Sprintf("bench-%d", time.Now().UnixNano()), "instanceQuota": 10, "rateLimitPerMinute": 100_000_000})
	b.token = acct["account"].(map[string]any)["token"].(string)
	name := fmt.Sprintf("bench-%d", time.Now().UnixNano()%1_000_000)
	b.must("POST", "/api/instance/new", b.token, map[string]any{"name": name})
	qr := b.must("GET", "/api/instance/connect/"+name, b.token, nil)["qrCode"].(string)
	phone := fmt.Sprintf("55119%08d", time.Now().UnixNano()%100_000_000)
	post(client, *emulator+"/phone/scan", map[string]any{"qr": qr, "phone": phone})
	deadline := time.Now().Add(60 * time.Second)
	for b.state(name) != "connected" {
		if time.Now().After(deadline) {
			fail("instance did not connect")
		}
		time.Sleep(200 * time.Millisecond)
	}

	fmt.Printf("%-44s %-22s %10s %9s %9s %9s\n", "scenario", "load", "req/s", "p50 ms", "p99 ms", "errors")
	for _, sc := range []struct{ label, method, path string }{
		{"GET /api/instance/list?instanceName=x", "GET", "/api/instance/list?instanceName=" + name},
		{"POST /api/instance/reconnect (connected)", "POST", "/api/instance/reconnect/" + name},
	} {
		if !strings.Contains(sc.label, *only) {
			continue
		}
		b.churn.Store(true)
		b.run(sc.method, sc.path, *workers, *warmup)
		b.churn.Store(false)
		r := b.run(sc.method, sc.path, *workers, *duration)
		fmt.Printf("%-44s %-22s %10.0f %9.2f %9.2f %9d\n", sc.label, fmt.Sprintf("closed, %d workers", *workers), r.rps, r.p50, r.p99, r.errors)
		if *rate > 0 {
			b.churn.Store(true)
			b.runAtRate(sc.method, sc.path, *rate, 3*time.Second) // opens the extra connections; not reported
			b.churn.Store(false)
			r = b.runAtRate(sc.method, sc.path, *rate, *duration)
			fmt.Printf("%-44s %-22s %10.0f %9.2f %9.2f %9d\n", sc.label, fmt.Sprintf("open, %d req/s", *rate), r.rps, r.p50, r.p99, r.errors)
		}
	}
	b.must("DELETE", "/api/instance/delete/"+name, b.token, nil)
}

type bench struct {
	client         *http.Client
	gateway, token string
	// churn makes every 20th request close its connection. During the warm-up that lets the JIT see accepts as well:
	// otherwise the first new connection in a measured run deoptimizes the event loop's hot methods (class_check on
	// the acceptor thread, seen with JFR) and stalls every loop for about 100 ms while they recompile.
	churn atomic.Bool
	sent  atomic.Int64
}

type result struct {
	rps, p50, p99 float64
	errors        int
}

// openWorkers bounds the requests in flight in the open-loop mode; more arrivals than that wait, and their wait counts.
const openWorkers = 128

// runAtRate issues requests at a fixed arrival rate and measures each from its scheduled start, so that a stalled
// server shows up in the latencies instead of silently lowering the load (no coordinated omission).
func (b *bench) runAtRate(method, path string, rate int, d time.Duration) result {
	start := time.Now()
	total := int(float64(rate) * d.Seconds())
	due := make(chan time.Time, total)
	go func() {
		interval := time.Second / time.Duration(rate)
		for i := 0; i < total; {
			now := time.Now()
			for ; i < total && start.Add(time.Duration(i)*interval).Before(now); i++ {
				due <- start.Add(time.Duration(i) * interval)
			}
			time.Sleep(200 * time.Microsecond)
		}
		close(due)
	}()
	lat, errors := b.drive(method, path, openWorkers, func() (time.Time, bool) {
		t, ok := <-due
		return t, ok
	})
	return summarize(lat, time.Since(start), errors)
}

// once sends one request and reports whether it got a 200.
func (b *bench) once(method, path string) bool {
	req, _ := http.NewRequest(method, b.gateway+path, nil)
	req.Header.Set("token", b.token)
	req.Close = b.churn.Load() && b.sent.Add(1)%20 == 0
	resp, err := b.client.Do(req)
	if err != nil {
		return false
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode == 200
}

func (b *bench) run(method, path string, workers int, d time.Duration) result {
	end := time.Now().Add(d)
	lat, errors := b.drive(method, path, workers, func() (time.Time, bool) {
		now := time.Now()
		return now, now.Before(end)
	})
	return summarize(lat, d, errors)
}

// drive runs n workers; each takes a start time from next until it says stop, sends one request and records the time
// since that start. It returns the latencies and the number of requests that did not get a 200.
func (b *bench) drive(method, path string, n int, next func() (time.Time, bool)) ([]time.Duration, int) {
	var mu sync.Mutex
	var lat []time.Duration
	errors := 0
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for t, ok := next(); ok; t, ok = next() {
				if !b.once(method, path) {
					bad++
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errors += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	return lat, errors
}

func summarize(lat []time.Duration, d time.Duration, errors int) result {
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	pct := func(p float64) float64 {
		if len(lat) == 0 {
			return 0
		}
		return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000
	}
	return result{rps: float64(len(lat)) / d.Seconds(), p50: pct(0.50), p99: pct(0.99), errors: errors}
}

func (b *bench) state(name string) string {
	r := b.must("GET", "/api/instance/list?instanceName="+name, b.token, nil)
	inst := r["instances"].([]any)[0].(map[string]any)
	return inst["connection"].(map[string]any)["state"].(string)
}

func (b *bench) must(method, path, token string, body any) map[string]any {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, b.gateway+path, rd)
	req.Header.Set("token", token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := b.client.Do(req)
	if err != nil {
		fail("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		fail("%s %s: HTTP %d %s", method, path, resp.StatusCode, raw)
	}
	var m map[string]any
	json.Unmarshal(raw, &m)
	return m
}

func post(c *http.Client, url string, body any) {
	raw, _ := json.Marshal(body)
	resp, err := c.Post(url, "application/json", bytes.NewReader(raw))
	if err != nil {
		fail("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		fail("POST %s: HTTP %d %s", url, resp.StatusCode, b)
	}
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench/api: "+format+"\n", args...)
	os.Exit(1)
}
