// Command ws-fanout measures how long an event takes from its commit to a frame at 1,000 WebSocket subscribers of
// one instance. It pairs an instance through the emulator, opens the subscribers on /ws/<instance>, then drops the
// device's connection a number of times (each drop writes disconnected, connecting, connected) and records, per frame,
// receive time minus the envelope's timestamp (the event row's created_at, taken at the start of the writing
// transaction, so the numbers slightly overstate commit-to-frame). Loopback only, bounded by -drops and -timeout.
package main

import (
	"bytes"
	"context"
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

	"github.com/coder/websocket"
)

type frame struct {
	ID        int64  `json:"id"`
	Timestamp string `json:"timestamp"`
	Snapshot  bool   `json:"snapshot"`
	Data      struct {
		State string `json:"state"`
	} `json:"data"`
}

type subscriber struct {
	mu        sync.Mutex
	latencies []time.Duration
	ids       []int64 // the event id of each latency, to split the fixed cost from the fan-out spread
	lastID    atomic.Int64
	opened    atomic.Bool
}

func main() {
	gateway := flag.String("gateway", "http://127.0.0.1:8080", "gateway base URL (loopback)")
	emulator := flag.String("emulator", "http://127.0.0.1:9201", "emulator control API base URL (loopback)")
	adminToken := flag.String("admin-token", "", "admin token")
	subscribers := flag.Int("subscribers", 1000, "WebSocket subscribers")
	drops := flag.Int("drops", 10, "connection drops (about 3 events each)")
	// the gateway's JIT compiles the fan-out path during the first few hundred thousand frames; those are not the steady state
	warmupDrops := flag.Int("warmup-drops", 10, "unreported drops before the measured ones")
	timeout := flag.Duration("timeout", 5*time.Minute, "overall limit")
	flag.Parse()
	for _, u := range []string{*gateway, *emulator} {
		if !strings.HasPrefix(u, "http://127.") && !strings.HasPrefix(u, "http://localhost") {
			fail("only loopback targets are allowed: %s", u)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	c := &http.Client{Timeout: 70 * time.Second}

	acct := call(c, "POST", *gateway+"/api/admin/accounts", *adminToken, map[string]any{
		"name": fmt.Sprintf("ws-fanout-%d", time.Now().UnixNano()), "instanceQuota": 10, "rateLimitPerMinute": 100_000_000})
	token := acct["account"].(map[string]any)["token"].(string)
	name := fmt.Sprintf("fanout-%d", time.Now().UnixNano()%1_000_000)
	call(c, "POST", *gateway+"/api/instance/new", token, map[string]any{"name": name, "websocketEnabled": true})
	qr := call(c, "GET", *gateway+"/api/instance/connect/"+name, token, nil)["qrCode"].(string)
	jid := call(c, "POST", *emulator+"/phone/scan", "", map[string]any{"qr": qr, "phone": fmt.Sprintf("55119%08d", time.Now().UnixNano()%100_000_000)})["jid"].(string)
	waitState(ctx, c, *gateway, token, name, "connected")

	subs := make([]*subscriber, *subscribers)
	wsURL := "ws" + strings.TrimPrefix(*gateway, "http") + "/ws/" + name + "?token=" + token
	var wg sync.WaitGroup
	sem := make(chan struct{}, 50)
	start := time.Now()
	for i := range subs {
		subs[i] = &subscriber{}
		wg.Add(1)
		sem <- struct{}{}
		go func(s *subscriber) {
			defer wg.Done()
			conn, _, err := websocket.Dial(ctx, wsURL, nil)
			<-sem
			if err != nil {
				fail("dial: %v", err)
			}
			conn.SetReadLimit(1 << 20)
			go read(ctx, conn, s)
		}(subs[i])
	}
	wg.Wait()
	for !allOpened(subs) {
		if ctx.Err() != nil {
			fail("subscribers did not all get their first frame")
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Printf("%d subscribers open in %s\n", len(subs), time.Since(start).Round(time.Millisecond))

	dropAll := func(n int) int64 {
		for d := 0; d < n; d++ {
			call(c, "POST", *emulator+"/devices/"+jid+"/kick", "", map[string]any{})
			time.Sleep(300 * time.Millisecond) // let the drop register before polling for the reconnect
			waitState(ctx, c, *gateway, token, name, "connected")
		}
		return settled(ctx, subs)
	}
	warmedUpTo := dropAll(*warmupDrops)
	dropAll(*drops)
	fmt.Printf("| phase | subscribers | events | frames | p50 | p90 | p99 | max | first frame p50 | first-to-last p50 |\n")
	fmt.Printf("|---|---|---|---|---|---|---|---|---|---|\n")
	report("warm-up (JIT cold)", subs, 0, warmedUpTo)
	report("measured", subs, warmedUpTo, 1<<62)
	fmt.Println("\nfirst frame: the first subscriber's latency per event (transaction, announce, read); first-to-last: the fan-out spread")
}

// report prints one table row for the frames of events with ids in (from, to].
func report(phase string, subs []*subscriber, from, to int64) {
	var all []time.Duration
	first := map[int64]time.Duration{}
	lastFrame := map[int64]time.Duration{}
	for _, s := range subs {
		s.mu.Lock()
		for i, id := range s.ids {
			if id <= from || id > to {
				continue
			}
			all = append(all, s.latencies[i])
			if v, ok := first[id]; !ok || s.latencies[i] < v {
				first[id] = s.latencies[i]
			}
			lastFrame[id] = max(lastFrame[id], s.latencies[i])
		}
		s.mu.Unlock()
	}
	if len(all) == 0 {
		return
	}
	var firsts, spreads []time.Duration
	for id, f := range first {
		firsts = append(firsts, f)
		spreads = append(spreads, lastFrame[id]-f)
	}
	for _, l := range [][]time.Duration{all, firsts, spreads} {
		sort.Slice(l, func(i, j int) bool { return l[i] < l[j] })
	}
	fmt.Printf("| %s | %d | %d | %d | %s | %s | %s | %s | %s | %s |\n", phase, len(subs), len(first), len(all), pct(all, 50), pct(all, 90),
		pct(all, 99), all[len(all)-1].Round(time.Millisecond), pct(firsts, 50), pct(spreads, 50))
}

func read(ctx context.Context, conn *websocket.Conn, s *subscriber) {
	defer conn.CloseNow()
	for {
		_, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		now := time.Now()
		var f frame
		if json.Unmarshal(data, &f) != nil {
			continue
		}
		s.opened.Store(true)
		if f.Snapshot {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, f.Timestamp)
		if err != nil {
			continue
		}
		s.mu.Lock()
		s.latencies = append(s.latencies, now.Sub(t))
		s.ids = append(s.ids, f.ID)
		s.mu.Unlock()
		s.lastID.Store(f.ID)
	}
}

func allOpened(subs []*subscriber) bool {
	for _, s := range subs {
		if !s.opened.Load() {
			return false
		}
	}
	return true
}

// settled waits until every subscriber's last event id stops moving for a second, and returns it.
func settled(ctx context.Context, subs []*subscriber) int64 {
	last := int64(-1)
	for {
		cur := minLast(subs)
		if cur == last {
			return cur
		}
		last = cur
		select {
		case <-ctx.Done():
			fail("timed out waiting for frames")
		case <-time.After(time.Second):
		}
	}
}

func minLast(subs []*subscriber) int64 {
	m := int64(1 << 62)
	for _, s := range subs {
		if v := s.lastID.Load(); v < m {
			m = v
		}
	}
	return m
}

func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	i := (len(sorted)*p + 99) / 100
	if i > 0 {
		i--
	}
	return fmt.Sprintf("%.1f ms", float64(sorted[i].Microseconds())/1000)
}

func waitState(ctx context.Context, c *http.Client, gateway, token, name, want string) {
	for {
		body := call(c, "GET", gateway+"/api/instance/list?instanceName="+name, token, nil)
		inst := body["instances"].([]any)[0].(map[string]any)
		if inst["connection"].(map[string]any)["state"] == want {
			return
		}
		select {
		case <-ctx.Done():
			fail("instance not %s in time", want)
		case <-time.After(100 * time.Millisecond):
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
	if token != "" {
		req.Header.Set("token", token)
	}
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
	if len(data) > 0 {
		_ = json.Unmarshal(data, &out)
	}
	return out
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "ws-fanout: "+format+"\n", args...)
	os.Exit(1)
}
