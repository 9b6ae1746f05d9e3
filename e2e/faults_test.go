package e2e

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/wagate/wagate/e2e/driver"
	"github.com/wagate/wagate/e2e/lease"
)

// The webhook and emulator faults of the suite. Events for the webhook tests are appended with the gateway's own
// append function (wagate_append_event, as a state change appends them: event row, one outbox row per webhook,
// NOTIFY) through psql on the demo's embedded cluster, because nothing black-box produces thousands of events in a
// few seconds.

// ackBatch mirrors WebhookDispatcher.ACK_BATCH: a webhook's successful deliveries are stored as acknowledged in
// batches of this size, so a kill -9 re-sends at most that many per webhook, plus the one in flight.
const ackBatch = 50

// hookReceiver is a webhook target on 127.0.0.1:0 that records the event id of every delivery per webhook (path).
type hookReceiver struct {
	url      string
	mu       sync.Mutex
	arrivals map[string][]int64 // path → event ids in arrival order (every accepted delivery, re-sends included)
	refused  map[string]int     // path → attempts answered 503 while down
	down     bool               // answer 503 without recording
	holdFrom int                // once this many deliveries were accepted, hold further requests open (0: never)
	accepted int
	held     int
	release  chan struct{}
}

func newHookReceiver(t *testing.T) *hookReceiver {
	t.Helper()
	r := &hookReceiver{arrivals: map[string][]int64{}, refused: map[string]int{}, release: make(chan struct{})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: r}
	go srv.Serve(ln)
	t.Cleanup(func() {
		r.mu.Lock()
		r.holdFrom = 0
		r.mu.Unlock()
		close(r.release)
		srv.Close()
	})
	r.url = "http://" + ln.Addr().String()
	return r
}

func (r *hookReceiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	_, _ = io.Copy(io.Discard, req.Body)
	id, err := strconv.ParseInt(req.Header.Get("X-Wagate-Event-Id"), 10, 64)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	r.mu.Lock()
	if r.down {
		r.refused[req.URL.Path]++
		r.mu.Unlock()
		w.WriteHeader(http.StatusServiceUnavailable)
		return
	}
	r.arrivals[req.URL.Path] = append(r.arrivals[req.URL.Path], id)
	r.accepted++
	hold := r.holdFrom > 0 && r.accepted > r.holdFrom
	if hold {
		r.held++
	}
	r.mu.Unlock()
	if hold {
		// received but not answered: the gateway has it in flight (its connection dies with it on kill -9)
		select {
		case <-req.Context().Done():
			return
		case <-r.release:
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

// copyArrivals returns path → ids received so far.
func (r *hookReceiver) copyArrivals() map[string][]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string][]int64{}
	for k, v := range r.arrivals {
		out[k] = append([]int64(nil), v...)
	}
	return out
}

// hookedInstances creates n instances of a new account, each with one webhook to the receiver at /<name>.
func hookedInstances(t *testing.T, recv *hookReceiver, prefix string, n int) []string {
	t.Helper()
	token := newAccount(t, n)
	names := make([]string, n)
	for i := range names {
		names[i] = fmt.Sprintf("%s-%d-%02d", prefix, time.Now().UnixNano()%1_000_000_000, i)
		expectStatus(t, call(t, "POST", product.gateway, "/api/instance/new", token, map[string]any{"name": names[i]}), 201)
		expectStatus(t, call(t, "POST", product.gateway, "/api/events/webhook/"+names[i], token,
			map[string]any{"enabled": true, "url": recv.url + "/" + names[i]}), 200)
	}
	return names
}

// psql runs one statement on the demo's embedded database and returns its unaligned output.
func psql(t *testing.T, sql string) string {
	t.Helper()
	return product.sql(t, sql)
}

// appendEvents appends perInstance instance.state events to each instance, in one transaction.
func appendEvents(t *testing.T, names []string, perInstance int) {
	t.Helper()
	psql(t, fmt.Sprintf(`SELECT count(wagate_append_event(i.id, i.account_id, i.name, 'instance.state', 'connecting',
		jsonb_build_object('instance', i.name, 'state', 'connecting', 'n', g)))
		FROM instance i CROSS JOIN generate_series(1, %d) g WHERE i.name = ANY(%s)`, perInstance, lease.Names(names)))
}

// storedEvents lists the stored event ids of each instance, as the receiver keys them (/<name>), in id order.
func storedEvents(t *testing.T, names []string) map[string][]int64 {
	t.Helper()
	out := map[string][]int64{}
	for _, line := range strings.Fields(psql(t, fmt.Sprintf(`SELECT instance_name || '|' || id FROM instance_event
		WHERE instance_name = ANY(%s) ORDER BY id`, lease.Names(names)))) {
		name, id, _ := strings.Cut(line, "|")
		n, _ := strconv.ParseInt(id, 10, 64)
		out["/"+name] = append(out["/"+name], n)
	}
	return out
}

// deliveredAll says whether every stored event reached its webhook at least once.
func deliveredAll(want, got map[string][]int64) bool {
	for path, ids := range want {
		seen := map[int64]bool{}
		for _, id := range got[path] {
			seen[id] = true
		}
		for _, id := range ids {
			if !seen[id] {
				return false
			}
		}
	}
	return true
}

// missing counts the stored events not delivered yet, for failure messages.
func missing(want, got map[string][]int64) int {
	n := 0
	for path, ids := range want {
		seen := map[int64]bool{}
		for _, id := range got[path] {
			seen[id] = true
		}
		for _, id := range ids {
			if !seen[id] {
				n++
			}
		}
	}
	return n
}

func increasing(ids []int64) bool {
	for i := 1; i < len(ids); i++ {
		if ids[i] <= ids[i-1] {
			return false
		}
	}
	return true
}

// gatewayPid finds this demo's gateway by the HTTP port in its environment (other gateways run on the machine).
func gatewayPid(t *testing.T) int {
	t.Helper()
	want := fmt.Sprintf("QUARKUS_HTTP_PORT=%d\x00", product.ports[0])
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range procs {
		env, err := os.ReadFile(p)
		if err != nil || !strings.Contains(string(env), want) {
			continue
		}
		cmd, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline"))
		if strings.Contains(string(cmd), "quarkus-run.jar") || strings.Contains(string(cmd), "-runner") {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	t.Fatal("no gateway process for this demo")
	return 0
}

// A gateway killed with SIGKILL while thousands of deliveries are pending and some are in flight: run.sh restarts
// it and every event reaches its webhook, in order per webhook. Re-sends are allowed only for what the dead process
// had not stored as acknowledged: per webhook, only events it had already received before the kill, at most
// ackBatch of them (acknowledged by the receiver, not yet stored) plus the one held in flight.
func TestFaultGatewayKill9WithPendingDeliveries(t *testing.T) {
	const hooks, perHook = 10, 300
	recv := newHookReceiver(t)
	names := hookedInstances(t, recv, "gwkill", hooks)
	// accept a fifth of the backlog, then hold every further request open: the kill finds deliveries acknowledged
	// by the receiver (some stored, some not) and one in flight per webhook
	recv.mu.Lock()
	recv.holdFrom = hooks * perHook / 5
	recv.mu.Unlock()
	appendEvents(t, names, perHook)
	want := storedEvents(t, names)
	total := 0
	for _, ids := range want {
		total += len(ids)
	}
	if total < hooks*perHook {
		t.Fatalf("only %d events stored, want at least %d", total, hooks*perHook)
	}
	eventually(t, 120*time.Second, "deliveries in flight at the held receiver", func() bool {
		recv.mu.Lock()
		defer recv.mu.Unlock()
		return recv.held > 0
	})

	pid := gatewayPid(t)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the killed gateway to be gone", func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		return err != nil || strings.Contains(string(b), ") Z ")
	})
	recv.mu.Lock()
	recv.holdFrom = 0
	beforeKill := map[string]int{}
	for path, ids := range recv.arrivals {
		beforeKill[path] = len(ids)
	}
	pending := total - recv.accepted
	recv.mu.Unlock()
	if pending < total/2 {
		t.Fatalf("only %d of %d deliveries were pending at the kill", pending, total)
	}

	eventually(t, 240*time.Second, "every event delivered after the restart", func() bool { return deliveredAll(want, recv.copyArrivals()) })
	if got := gatewayPid(t); got == pid {
		t.Fatalf("the gateway pid %d did not change", got)
	}
	runLog, _ := os.ReadFile(filepath.Join(product.home, "run.log"))
	if !strings.Contains(string(runLog), "the gateway exited") || !strings.Contains(string(runLog), "the gateway was restarted") {
		t.Fatalf("run.sh did not log the gateway's restart:\n%s", tail(filepath.Join(product.home, "run.log")))
	}

	got := recv.copyArrivals()
	resent := 0
	for path, ids := range got {
		n := beforeKill[path]
		pre, post := ids[:n], ids[n:]
		// each process delivered in order; the new one started over at the oldest delivery not stored as acknowledged
		if !increasing(pre) || !increasing(post) {
			t.Errorf("%s: deliveries out of order: before the kill %v, after %v", path, pre, post)
			continue
		}
		received := map[int64]bool{}
		for _, id := range pre {
			received[id] = true
		}
		// the re-sends are the first deliveries of the new process (the tail the old one had not stored)
		dups := 0
		for dups < len(post) && received[post[dups]] {
			dups++
		}
		for _, id := range post[dups:] {
			if received[id] {
				t.Errorf("%s: event %d re-sent after new deliveries", path, id)
			}
		}
		resent += dups
		if dups > ackBatch+1 {
			t.Errorf("%s: %d events re-sent after the restart, more than the unacknowledged batch (%d + 1 in flight)", path, dups, ackBatch)
		}
	}
	if len(got) != hooks {
		t.Errorf("deliveries reached %d webhooks, want %d", len(got), hooks)
	}
	t.Logf("%d events, %d pending at the kill, %d re-sent after the restart", total, pending, resent)
}

// A receiver down (503) while events pile up, then back: every delivery is retried and arrives once, in order.
func TestFaultWebhookReceiverDownThenUp(t *testing.T) {
	const hooks, perHook = 5, 200
	recv := newHookReceiver(t)
	recv.mu.Lock()
	recv.down = true
	recv.mu.Unlock()
	names := hookedInstances(t, recv, "rcvdown", hooks)
	appendEvents(t, names, perHook)
	want := storedEvents(t, names)
	// every webhook has failed twice: its head delivery is in backoff, the rest wait behind it
	eventually(t, 120*time.Second, "two refused attempts per webhook", func() bool {
		recv.mu.Lock()
		defer recv.mu.Unlock()
		for _, n := range names {
			if recv.refused["/"+n] < 2 {
				return false
			}
		}
		return true
	})
	recv.mu.Lock()
	recv.down = false
	recv.mu.Unlock()

	eventually(t, 180*time.Second, "every event delivered once the receiver is back", func() bool { return deliveredAll(want, recv.copyArrivals()) })
	for path, ids := range recv.copyArrivals() {
		if fmt.Sprint(ids) != fmt.Sprint(want[path]) {
			t.Errorf("%s: delivered %d events %v, want each stored event once in id order (%d)", path, len(ids), head(ids), len(want[path]))
		}
	}
	if m := missing(want, recv.copyArrivals()); m != 0 {
		t.Errorf("%d events not delivered", m)
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 10)] }

// The emulator refuses every connection and all its devices are kicked: every instance drops, and once the emulator
// accepts again every instance and every device that was connected is connected again.
func TestFaultEmulatorRefusingWithAllKicked(t *testing.T) {
	token := newAccount(t, 20)
	names := pairAll(t, token, "refuse", 20)
	type device struct {
		JID       string `json:"jid"`
		Connected bool   `json:"connected"`
	}
	devices := func() []device {
		var list struct {
			Devices []device `json:"devices"`
		}
		r := emulator(t, "GET", "/devices", nil)
		expectStatus(t, r, 200)
		if err := json.Unmarshal([]byte(r.raw), &list); err != nil {
			t.Fatal(err)
		}
		return list.Devices
	}
	var wasConnected []string
	for _, d := range devices() {
		if d.Connected {
			wasConnected = append(wasConnected, d.JID)
		}
	}
	t.Cleanup(func() { emulator(t, "DELETE", "/faults", nil) })
	r := emulator(t, "POST", "/faults", map[string]any{"refuseConnections": true})
	expectStatus(t, r, 200)
	for _, jid := range wasConnected {
		// 409 only for a device whose socket is already gone
		if r := emulator(t, "POST", "/devices/"+url.PathEscape(jid)+"/kick", nil); r.status != 200 && r.status != 409 {
			t.Fatalf("kick %s: %d %s", jid, r.status, r.raw)
		}
	}
	eventually(t, 60*time.Second, "every instance shown not connected while the emulator refuses", func() bool {
		st := states(t, token)
		for _, n := range names {
			if st[n] == "connected" {
				return false
			}
		}
		return true
	})
	for _, d := range devices() {
		if d.Connected {
			t.Fatalf("device %s connected while the emulator refuses connections", d.JID)
		}
	}
	expectStatus(t, emulator(t, "DELETE", "/faults", nil), 200)

	eventually(t, 180*time.Second, "every instance connected again", func() bool { return driver.AllIn(states(t, token), names, "connected") })
	eventually(t, 60*time.Second, "every device that was connected connected again", func() bool {
		now := map[string]bool{}
		for _, d := range devices() {
			now[d.JID] = d.Connected
		}
		for _, jid := range wasConnected {
			if !now[jid] {
				return false
			}
		}
		return true
	})
}
