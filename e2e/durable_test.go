package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/coder/websocket"
)

// Inbound durability: whatever a virtual contact sends while the gateway or the sidecar is down, or while the sidecar
// is killed mid-burst, arrives as message.exchange once the process is back, each message exactly once in the event
// log (counted by WhatsApp id through the WebSocket replay from the start).

var phoneSeq atomic.Int64

// uniquePhone is a phone number no other run of the shared emulator used (it keeps its accounts).
func uniquePhone(prefix string) string {
	n := time.Now().UnixNano()/1000%90_000_000 + phoneSeq.Add(1)*1_000
	return fmt.Sprintf("%s%09d", prefix, n%1_000_000_000)
}

// inboundPair creates and pairs an instance and a virtual contact; returns the instance name, its phone, the contact's.
func inboundPair(t *testing.T) (name, phone, contact string) {
	t.Helper()
	name, phone, contact = newInstance(t, product.token), uniquePhone("5514"), uniquePhone("5515")
	expectStatus(t, emulator(t, "POST", "/contacts", map[string]any{"phone": contact, "name": "Durable"}), 201)
	// the bootstrap account's quota is shared with the rest of the suite
	t.Cleanup(func() {
		expectStatus(t, call(t, "DELETE", product.gateway, "/api/instance/delete/"+name, product.token, nil), 200)
		expectStatus(t, emulator(t, "DELETE", "/contacts/"+contact, nil), 200)
	})
	ws := subscribe(t, name)
	pair(t, name, phone)
	ws.await(t, "connected", 60*time.Second)
	return name, phone, contact
}

// contactSend sends a text from the contact and returns its WhatsApp id (the emulator acked it: it is WhatsApp's now).
func contactSend(t *testing.T, contact, to, text string) string {
	t.Helper()
	id, err := trySend(contact, to, text)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// trySend is contactSend for a goroutine of its own (no t.Fatal there).
func trySend(contact, to, text string) (string, error) {
	b, _ := json.Marshal(map[string]any{"to": to, "text": text})
	resp, err := httpClient.Post(product.emulator+"/contacts/"+contact+"/send", "application/json", bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var out struct {
		ID string `json:"id"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil || resp.StatusCode != 200 || out.ID == "" {
		return "", fmt.Errorf("contact send answered %d (%v)", resp.StatusCode, err)
	}
	return out.ID, nil
}

// queued is the number of stanzas the emulator holds for the linked devices of phone (a /devices answer).
func (r response) queued(phone string) int {
	list, _ := r.body["devices"].([]any)
	n := 0
	for _, d := range list {
		m, _ := d.(map[string]any)
		if m["phone"] == phone {
			q, _ := m["queued"].(float64)
			n += int(q)
		}
	}
	return n
}

// storedMessages counts the instance's message.exchange events per WhatsApp id in the event log.
func storedMessages(t *testing.T, name string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, line := range strings.Fields(psql(t, fmt.Sprintf(`SELECT data->>'id' || '|' || count(*) FROM instance_event
		WHERE instance_name = '%s' AND event = 'message.exchange' GROUP BY data->>'id'`, name))) {
		id, n, _ := strings.Cut(line, "|")
		var c int
		fmt.Sscan(n, &c)
		out[id] = c
	}
	return out
}

// replayedMessages reads the instance's WebSocket replay from the first event up to the message marker and counts
// message.exchange frames per WhatsApp id.
func replayedMessages(t *testing.T, name, marker string) map[string]int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	u := strings.Replace(product.gateway, "http://", "ws://", 1) + "/ws/" + name + "?since=0&token=" + url.QueryEscape(product.token)
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatalf("ws dial %s: %v", name, err)
	}
	defer c.Close(websocket.StatusNormalClosure, "")
	c.SetReadLimit(1 << 20)
	out := map[string]int{}
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			t.Fatalf("replay of %s ended before the marker %s: %v (counted %d ids)", name, marker, err, len(out))
		}
		var f struct {
			Event string `json:"event"`
			Data  struct {
				ID        string `json:"id"`
				Direction string `json:"direction"`
			} `json:"data"`
		}
		if json.Unmarshal(b, &f) != nil || f.Event != "message.exchange" {
			continue
		}
		if f.Data.Direction != "incoming" {
			t.Fatalf("unexpected %s message.exchange %s", f.Data.Direction, b)
		}
		if f.Data.ID == marker {
			return out
		}
		out[f.Data.ID]++
	}
}

// expectEachOnce waits until every id is stored, then sends a marker (stored after all of them) and checks through the
// WebSocket replay that each id is there exactly once and nothing else is.
func expectEachOnce(t *testing.T, name, phone, contact string, ids []string) {
	t.Helper()
	eventually(t, 180*time.Second, fmt.Sprintf("%d messages stored as message.exchange", len(ids)), func() bool {
		got := storedMessages(t, name)
		for _, id := range ids {
			if got[id] == 0 {
				return false
			}
		}
		return true
	})
	marker := contactSend(t, contact, phone, "marker")
	eventually(t, 60*time.Second, "the marker stored", func() bool { return storedMessages(t, name)[marker] == 1 })
	got := replayedMessages(t, name, marker)
	for _, id := range ids {
		if got[id] != 1 {
			t.Errorf("message %s arrived %d times, want once", id, got[id])
		}
	}
	if len(got) != len(ids) {
		t.Errorf("%d distinct messages before the marker, want %d", len(got), len(ids))
	}
}

// awaitExit waits until a killed process is gone (or a zombie of run.sh).
func awaitExit(t *testing.T, pid int) {
	t.Helper()
	eventually(t, 30*time.Second, fmt.Sprintf("process %d to be gone", pid), func() bool {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		return err != nil || strings.Contains(string(b), ") Z ")
	})
}

func sidecarPid(t *testing.T) int { return processPid(t, "wagate-sidecar", product.sidecarListen()) }

// killThenSend kills pid with SIGKILL and, once it is gone, has the contact send n texts; returns their ids.
func killThenSend(t *testing.T, pid int, contact, phone, what string, n int) []string {
	t.Helper()
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	awaitExit(t, pid)
	var ids []string
	for i := range n {
		ids = append(ids, contactSend(t, contact, phone, fmt.Sprintf("while the %s is down %d", what, i)))
	}
	return ids
}

func TestInboundWhileGatewayDownArrivesOnce(t *testing.T) {
	name, phone, contact := inboundPair(t)
	ids := killThenSend(t, gatewayPid(t), contact, phone, "gateway", 20)
	eventually(t, 120*time.Second, "the gateway restarted by run.sh", func() bool {
		resp, err := httpClient.Get(product.management + "/q/health/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	})
	expectEachOnce(t, name, phone, contact, ids)
}

// A restarted gateway has no stream position of its own, so the sidecar replays its whole buffer to it: the state
// changes an earlier gateway process stored (the pairing's connecting, qr_ready, pair_success, connected) must not be
// stored again.
func TestGatewayRestartRecordsNoStateChangeTwice(t *testing.T) {
	name, _, _ := inboundPair(t)
	states := func() string {
		return psql(t, fmt.Sprintf(`SELECT string_agg(state || '@' || (data->>'timestamp'), ',' ORDER BY id) FROM instance_event
			WHERE instance_name = '%s' AND event = 'instance.state'`, name))
	}
	before := states()
	pid := gatewayPid(t)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	awaitExit(t, pid)
	eventually(t, 120*time.Second, "the gateway restarted by run.sh", func() bool {
		status, _ := api().Send("GET", product.gateway+"/api/instance/list", product.token, nil)
		return status == 200
	})
	// a state change made after the restart comes after the replay on the stream: once it is stored, so is the replay
	marker := newInstance(t, product.token)
	t.Cleanup(func() { call(t, "DELETE", product.gateway, "/api/instance/delete/"+marker, product.token, nil) })
	expectStatus(t, call(t, "GET", product.gateway, "/api/instance/connect/"+marker, product.token, nil), 200)
	eventually(t, 60*time.Second, "the marker's qr_ready stored", func() bool {
		return strings.TrimSpace(psql(t, fmt.Sprintf(`SELECT count(*) FROM instance_event WHERE instance_name = '%s' AND state = 'qr_ready'`, marker))) != "0"
	})
	if after := states(); after != before {
		t.Fatalf("the restart changed the instance's state events:\nbefore %s\nafter  %s", before, after)
	}
}

// The gateway is down while the messages arrive, and the sidecar that acked them is killed before the gateway is
// back: they exist only in the sidecar's inbox, which the next sidecar publishes at the instance's Connect.
func TestInboundAckedThenBothProcessesKilledArrivesOnce(t *testing.T) {
	name, phone, contact := inboundPair(t)
	ids := killThenSend(t, gatewayPid(t), contact, phone, "gateway", 20)
	// all in the sidecar's inbox (the emulator had queued each before the sidecar saw it), then acked
	eventually(t, 60*time.Second, "every message in the sidecar's inbox and acked", func() bool {
		inbox := strings.TrimSpace(psql(t, fmt.Sprintf(`SELECT count(*) FROM wagate_sidecar_inbox x JOIN instance i ON i.id::text = x.instance_id
			WHERE i.name = '%s' AND x.dedupe_key LIKE 'message:%%'`, name)))
		return inbox == fmt.Sprint(len(ids)) && emulator(t, "GET", "/devices", nil).queued(phone) == 0
	})
	pid := sidecarPid(t)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	awaitExit(t, pid)
	expectEachOnce(t, name, phone, contact, ids)
}

func TestInboundWhileSidecarDownArrivesOnce(t *testing.T) {
	name, phone, contact := inboundPair(t)
	ids := killThenSend(t, sidecarPid(t), contact, phone, "sidecar", 20)
	expectEachOnce(t, name, phone, contact, ids)
	if state(t, name) != "connected" {
		t.Fatalf("instance %s is %s after the sidecar's restart", name, state(t, name))
	}
}

// kill -9 of the sidecar in the middle of a burst of 200: none lost, none duplicated.
func TestInboundBurstSurvivesSidecarKill9(t *testing.T) {
	const burst = 200
	name, phone, contact := inboundPair(t)
	sent := make(chan string, burst)
	failed := make(chan error, 1)
	go func() {
		defer close(sent)
		for i := range burst {
			id, err := trySend(contact, phone, fmt.Sprintf("burst %d", i))
			if err != nil {
				failed <- err
				return
			}
			sent <- id
		}
	}()
	var ids []string
	for len(ids) < burst/4 {
		id, ok := <-sent
		if !ok {
			t.Fatalf("contact send failed: %v", <-failed)
		}
		ids = append(ids, id)
	}
	// some of the burst is in the log already: the kill lands in the middle of a flow, not before it
	eventually(t, 60*time.Second, "part of the burst stored", func() bool { return len(storedMessages(t, name)) > 0 })
	pid := sidecarPid(t)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	for id := range sent {
		ids = append(ids, id)
	}
	if len(ids) != burst {
		t.Fatalf("contact send failed after %d messages: %v", len(ids), <-failed)
	}
	expectEachOnce(t, name, phone, contact, ids)
}
