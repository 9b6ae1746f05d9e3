// Command webhooks measures webhook delivery from the outbox: deliveries per second to a healthy local receiver, and
// the time to drain the backlog once a receiver comes back after an outage. Events are appended with the gateway's
// own append function (wagate_append_event: advisory lock, event row, one outbox row per matching webhook, NOTIFY),
// so the gateway sees exactly what a state change would produce. Loopback only; bounded by -events and -timeout.
package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/lib/pq"
)

type receiver struct {
	mu       sync.Mutex
	last     map[string]int64
	outOfOrd int
	total    atomic.Int64
	up       atomic.Bool
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	if !r.up.Load() {
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	var env struct {
		ID int64 `json:"id"`
	}
	_ = json.Unmarshal(body, &env)
	r.mu.Lock()
	if env.ID <= r.last[req.URL.Path] {
		r.outOfOrd++
	}
	r.last[req.URL.Path] = env.ID
	r.mu.Unlock()
	r.total.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

func main() {
	gateway := flag.String("gateway", "http://127.0.0.1:8080", "gateway base URL (loopback)")
	adminToken := flag.String("admin-token", "", "admin token")
	dsn := flag.String("dsn", "", "PostgreSQL DSN of the gateway's database (loopback)")
	webhooks := flag.Int("webhooks", 50, "instances, one webhook each")
	events := flag.Int("events", 20000, "events in the healthy run (spread over the instances)")
	outage := flag.Duration("outage", 10*time.Minute, "receiver outage before the backlog drain")
	backlog := flag.Int("backlog-events", 5000, "events appended at the start of the outage")
	timeout := flag.Duration("timeout", 30*time.Minute, "overall limit")
	flag.Parse()
	if !strings.HasPrefix(*gateway, "http://127.") || !strings.Contains(*dsn, "@127.0.0.1:") {
		fail("only loopback targets are allowed")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	db, err := sql.Open("postgres", *dsn)
	if err != nil {
		fail("db: %v", err)
	}
	defer db.Close()

	recv := &receiver{last: map[string]int64{}}
	recv.up.Store(true)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	go http.Serve(ln, recv)
	hook := "http://" + ln.Addr().String()

	c := &http.Client{Timeout: 30 * time.Second}
	// POST /api/instance/new has a bucket of 20 per minute and token: one account per 10 instances
	names := make([]string, *webhooks)
	var token string
	for i := range names {
		if i%10 == 0 {
			acct := call(c, "POST", *gateway+"/api/admin/accounts", *adminToken, map[string]any{
				"name": fmt.Sprintf("webhooks-%d-%d", time.Now().UnixNano(), i), "instanceQuota": 10, "rateLimitPerMinute": 100_000_000})
			token = acct["account"].(map[string]any)["token"].(string)
		}
		names[i] = fmt.Sprintf("wh-%d-%d", time.Now().UnixNano()%1_000_000, i)
		call(c, "POST", *gateway+"/api/instance/new", token, map[string]any{"name": names[i]})
		call(c, "POST", *gateway+"/api/events/webhook/"+names[i], token, map[string]any{"url": hook + "/" + names[i], "secret": "bench"})
	}

	// healthy receiver: throughput
	start := time.Now()
	appendEvents(ctx, db, names, *events)
	appended := time.Since(start)
	waitTotal(ctx, recv, int64(*events))
	healthy := time.Since(start)
	fmt.Printf("| scenario | webhooks | deliveries | time | deliveries/s |\n|---|---|---|---|---|\n")
	fmt.Printf("| healthy receiver | %d | %d | %s (append %s) | %.0f |\n", *webhooks, *events, healthy.Round(time.Millisecond),
		appended.Round(time.Millisecond), float64(*events)/healthy.Seconds())

	// outage: the receiver answers 503 while the backlog is written, then comes back
	recv.up.Store(false)
	before := recv.total.Load()
	appendEvents(ctx, db, names, *backlog)
	select {
	case <-ctx.Done():
		fail("timeout during the outage")
	case <-time.After(*outage):
	}
	recv.up.Store(true)
	back := time.Now()
	waitTotal(ctx, recv, before+int64(*backlog))
	drain := time.Since(back)
	fmt.Printf("| backlog after a %s outage | %d | %d | %s (drain) | %.0f |\n", *outage, *webhooks, *backlog, drain.Round(time.Millisecond),
		float64(*backlog)/drain.Seconds())
	recv.mu.Lock()
	fmt.Printf("\nout-of-order deliveries: %d\n", recv.outOfOrd)
	recv.mu.Unlock()
}

// appendEvents writes n events spread evenly over the instances, one transaction per instance and batch.
func appendEvents(ctx context.Context, db *sql.DB, names []string, n int) {
	per := n / len(names)
	extra := n % len(names)
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	for i, name := range names {
		count := per
		if i < extra {
			count++
		}
		wg.Add(1)
		sem <- struct{}{}
		go func(name string, count int) {
			defer wg.Done()
			defer func() { <-sem }()
			_, err := db.ExecContext(ctx, `SELECT wagate_append_event(i.id, i.account_id, i.name, 'instance.state', 'connecting',
				jsonb_build_object('instance', i.name, 'state', 'connecting', 'n', g)) FROM instance i, generate_series(1, $2) g WHERE i.name = $1`, name, count)
			if err != nil {
				fail("append: %v", err)
			}
		}(name, count)
	}
	wg.Wait()
}

func waitTotal(ctx context.Context, r *receiver, want int64) {
	for r.total.Load() < want {
		select {
		case <-ctx.Done():
			fail("timed out: %d of %d delivered", r.total.Load(), want)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func call(c *http.Client, method, url, token string, body any) map[string]any {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		fail("%v", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("token", token)
	resp, err := c.Do(req)
	if err != nil {
		fail("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 300 {
		fail("%s %s: %d %s", method, url, resp.StatusCode, data)
	}
	out := map[string]any{}
	_ = json.Unmarshal(data, &out)
	return out
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "webhooks: "+format+"\n", args...)
	os.Exit(1)
}
