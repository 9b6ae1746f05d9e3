// Command recovery measures how wagate heals from a sidecar kill -9 under `make demo`'s supervision: N instances
// paired and connected, the sidecar killed, then the seconds until every instance is connected again on REST and
// until every instance's `connected` is recorded (seen on the account's WebSocket), plus the RSS of the sidecar and
// the gateway before and after. See README.md; run through run.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
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
var api = &driver.Client{HTTP: &http.Client{Timeout: 60 * time.Second}}

func main() {
	gateway := flag.String("gateway", "", "gateway base URL")
	emulator := flag.String("emulator", "", "emulator control URL")
	management := flag.String("management", "", "management base URL (/q/health/ready)")
	admin := flag.String("admin-token", "", "admin token")
	demoPid := flag.Int("demo-pid", 0, "pid of the supervising scripts/run.sh: the sidecar and gateway are its children")
	pgPort := flag.Int("pg-port", 0, "the demo's embedded PostgreSQL port (events for the webhook backlog; the raw baseline's store)")
	sizes := flag.String("n", "100,1000", "instance counts, comma-separated (each run adds to the instances before it)")
	rawN := flag.Int("raw-n", 1000, "sessions for the raw whatsmeow baseline (bench/sidecar-restore); 0 skips it")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up on a phase after this long")
	flag.Parse()
	if *demoPid == 0 || *pgPort == 0 {
		fail(fmt.Errorf("-demo-pid and -pg-port are required (run through run.sh)"))
	}
	api.Gateway, api.Emulator = *gateway, *emulator
	b := &bench{gateway: *gateway, emulator: *emulator, management: *management, admin: *admin, demoPid: *demoPid, pgPort: *pgPort, timeout: *timeout}
	fmt.Printf("bench/recovery %s, load average %s at the start (a shared 2-core machine: other builds run at the same time, times are noisy)\n",
		time.Now().UTC().Format(time.RFC3339), loadavg())

	var rows []kill
	total := 0
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= total {
			fail(fmt.Errorf("bad -n %q: counts must grow", *sizes))
		}
		if err := b.pair(n - total); err != nil {
			fail(err)
		}
		total = n
		row, err := b.killAndWait()
		if err != nil {
			fail(err)
		}
		fmt.Printf("  %d instances: all connected %.1f s, all recorded %.1f s after the sidecar kill -9 (load %s; pairings retried so far: %d)\n",
			row.n, row.connected, row.recorded, loadavg(), pairRetries.Load())
		rows = append(rows, row)
	}
	resume, err := b.webhookResume()
	if err != nil {
		fail(err)
	}
	var raw *rawResult
	if *rawN > 0 {
		if raw, err = rawBaseline(*rawN, *pgPort, *timeout); err != nil {
			fail(err)
		}
	}
	report(rows, resume, raw)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "recovery:", err)
	os.Exit(1)
}

type bench struct {
	gateway, emulator, management, admin string
	demoPid, pgPort                      int
	timeout                              time.Duration
	token                                string
	names                                []string
}

// pair adds n connected instances (creating the account on first use).
func (b *bench) pair(n int) error {
	if b.token == "" {
		token, err := api.NewAccount(b.admin, "bench-recovery", 100_000, 10_000_000)
		if err != nil {
			return err
		}
		b.token = token
	}
	start := len(b.names)
	for i := start; i < start+n; i++ {
		b.names = append(b.names, fmt.Sprintf("rec-%05d", i))
	}
	// a pairing the client gives up on under heavy load is tried again with a fresh QR code; retries are printed
	pairing := driver.Pairing{Create: map[string]any{"websocketEnabled": true}, Attempts: 5, Retried: func() { pairRetries.Add(1) }}
	if err := api.PairAll(b.token, b.names[start:], func(i int) string { return fmt.Sprintf("5513%09d", start+i) }, 16, pairing); err != nil {
		return err
	}
	return b.await("every instance connected after pairing", func() bool { return b.allConnected() })
}

// pairRetries counts pairings tried again (see pairOne).
var pairRetries atomic.Int64

func (b *bench) allConnected() bool { return api.AllConnected(b.token, b.names) }

func (b *bench) await(what string, cond func() bool) error {
	if !driver.Await(b.timeout, 50*time.Millisecond, cond) {
		return fmt.Errorf("timed out waiting for %s", what)
	}
	return nil
}

// kill is one sidecar kill -9 and what it cost.
type kill struct {
	n                           int
	connected, recorded         float64 // seconds from the kill
	events                      int     // events recorded after the kill (disconnected, connecting, connected, ...)
	recordRate, peakRate        float64 // events/s over the whole recovery, and over its busiest second
	sidecarBefore, sidecarAfter float64 // RSS MB
	gatewayBefore, gatewayAfter float64
}

// killAndWait kills the sidecar with SIGKILL and times the return of every instance.
func (b *bench) killAndWait() (kill, error) {
	recorded := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	marker, err := b.maxEventID(ctx)
	if err != nil {
		return kill{}, err
	}
	ws, _, err := websocket.Dial(ctx, strings.Replace(b.gateway, "http://", "ws://", 1)+"/ws?since="+strconv.FormatInt(marker, 10)+"&token="+
		url.QueryEscape(b.token), nil)
	if err != nil {
		return kill{}, err
	}
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 20)
	var mu sync.Mutex
	var arrivals []time.Time // every stored event after the kill, as it arrives on the stream
	go func() {
		back := map[string]bool{}
		for len(back) < len(b.names) {
			_, msg, err := ws.Read(ctx)
			if err != nil {
				return
			}
			var f struct {
				Snapshot bool `json:"snapshot"`
				Data     struct {
					Instance string `json:"instance"`
					State    string `json:"state"`
				} `json:"data"`
			}
			// the snapshot frames that open the stream carry the state from before the kill
			if json.Unmarshal(msg, &f) == nil && !f.Snapshot {
				mu.Lock()
				arrivals = append(arrivals, time.Now())
				mu.Unlock()
				if f.Data.State == "connected" {
					back[f.Data.Instance] = true
				}
			}
		}
		close(recorded)
	}()
	sidecar, gw := b.child("wagate-sidecar"), b.child("java")
	k := kill{n: len(b.names), sidecarBefore: driver.RSSMB(sidecar), gatewayBefore: driver.RSSMB(gw)}
	start := time.Now()
	if err := syscall.Kill(sidecar, syscall.SIGKILL); err != nil {
		return kill{}, err
	}
	// the list may still say connected for a moment: first wait until it no longer does
	if err := b.await("the outage to show", func() bool { return !b.allConnected() }); err != nil {
		return kill{}, err
	}
	if err := b.await("every instance connected again", b.allConnected); err != nil {
		return kill{}, err
	}
	k.connected = time.Since(start).Seconds()
	select {
	case <-recorded:
	case <-time.After(b.timeout):
		return kill{}, fmt.Errorf("not every connected event was recorded")
	}
	k.recorded = time.Since(start).Seconds()
	k.sidecarAfter, k.gatewayAfter = driver.RSSMB(b.child("wagate-sidecar")), driver.RSSMB(gw)
	mu.Lock()
	defer mu.Unlock()
	k.events = len(arrivals)
	if len(arrivals) > 1 {
		k.recordRate = float64(len(arrivals)) / arrivals[len(arrivals)-1].Sub(arrivals[0]).Seconds()
		for i, j := 0, 0; j < len(arrivals); j++ {
			for arrivals[j].Sub(arrivals[i]) > time.Second {
				i++
			}
			k.peakRate = max(k.peakRate, float64(j-i+1))
		}
	}
	return k, nil
}

// maxEventID reads the newest event id of the account: the replay of the account stream from 0, up to its end.
func (b *bench) maxEventID(ctx context.Context) (int64, error) {
	ws, _, err := websocket.Dial(ctx, strings.Replace(b.gateway, "http://", "ws://", 1)+"/ws?since=0&token="+url.QueryEscape(b.token), nil)
	if err != nil {
		return 0, err
	}
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 20)
	var last int64
	for {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, msg, err := ws.Read(rctx)
		cancel()
		if err != nil {
			return last, nil // the replay is over once nothing more arrives
		}
		var f struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(msg, &f) == nil && f.ID > last {
			last = f.ID
		}
	}
}

// child finds the child of the supervising run.sh whose command name is comm: this demo's processes, by parentage.
func (b *bench) child(comm string) int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		s := string(raw)
		open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || closing < open {
			continue
		}
		if f := strings.Fields(s[closing+1:]); len(f) > 1 && f[1] == strconv.Itoa(b.demoPid) && s[open+1:closing] == comm {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	return 0
}

func loadavg() string {
	raw, _ := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(raw)); len(f) >= 3 {
		return strings.Join(f[:3], " ")
	}
	return "?"
}
