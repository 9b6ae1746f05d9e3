package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
)

var httpClient = &http.Client{Timeout: 90 * time.Second}

// response is a decoded JSON answer plus its status.
type response struct {
	status int
	body   map[string]any
	raw    string
}

func (r response) str(path ...string) string {
	var cur any = r.body
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = m[p]
	}
	s, _ := cur.(string)
	return s
}

func (r response) errorMessage() string { return r.str("error", "message") }

// call sends one request; token "" sends none.
func call(t *testing.T, method, base, path, token string, body any) response {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("token", token)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func expectStatus(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("want HTTP %d, got %d: %s", status, r.status, r.raw)
	}
}

// expectError asserts the contract's error envelope with a literal message.
func expectError(t *testing.T, r response, status int, message string) {
	t.Helper()
	expectStatus(t, r, status)
	if r.body["success"] != false || r.errorMessage() != message {
		t.Fatalf("want {success:false, error.message:%q}, got %s", message, r.raw)
	}
}

var instanceSeq atomic.Int64

// newInstance creates an instance with the WebSocket enabled and returns its name.
func newInstance(t *testing.T, token string) string {
	t.Helper()
	name := fmt.Sprintf("e2e-%s-%d", strings.ToLower(strings.ReplaceAll(t.Name(), "/", "-")), instanceSeq.Add(1))
	if len(name) > 100 {
		name = name[:100]
	}
	r := call(t, "POST", product.gateway, "/api/instance/new", token, map[string]any{"name": name, "websocketEnabled": true})
	expectStatus(t, r, 201)
	return name
}

// emulator calls the emulator's control API.
func emulator(t *testing.T, method, path string, body any) response {
	t.Helper()
	return call(t, method, product.emulator, path, "", body)
}

// pair connects an instance by QR, lets the virtual phone scan it, and returns the device JID.
func pair(t *testing.T, name, phone string) string {
	t.Helper()
	r := call(t, "GET", product.gateway, "/api/instance/connect/"+name, product.token, nil)
	expectStatus(t, r, 200)
	qr := r.str("qrCode")
	if qr == "" || r.str("status") != "qr" || !strings.HasPrefix(r.str("qrCodeBase64"), "data:image/png;base64,") {
		t.Fatalf("connect did not return a QR code: %s", r.raw)
	}
	scan := emulator(t, "POST", "/phone/scan", map[string]any{"qr": qr, "phone": phone})
	expectStatus(t, scan, 200)
	return scan.str("jid")
}

// state reads connection.state from the list endpoint.
func state(t *testing.T, name string) string {
	t.Helper()
	r := call(t, "GET", product.gateway, "/api/instance/list?instanceName="+url.QueryEscape(name), product.token, nil)
	expectStatus(t, r, 200)
	list, _ := r.body["instances"].([]any)
	if len(list) != 1 {
		t.Fatalf("want 1 instance, got %s", r.raw)
	}
	conn, _ := list[0].(map[string]any)["connection"].(map[string]any)
	s, _ := conn["state"].(string)
	return s
}

// eventually polls cond until it holds or the bound passes.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(within)
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("timed out after %s waiting for %s", within, what)
		case <-tick.C:
		}
	}
}

// events is an open /ws/<name> subscription.
type events struct {
	conn *websocket.Conn
	ch   chan map[string]any
}

func subscribe(t *testing.T, name string) *events {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u := strings.Replace(product.gateway, "http://", "ws://", 1) + "/ws/" + name + "?token=" + url.QueryEscape(product.token)
	c, _, err := websocket.Dial(ctx, u, nil)
	if err != nil {
		t.Fatalf("ws dial %s: %v", name, err)
	}
	c.SetReadLimit(1 << 20)
	e := &events{conn: c, ch: make(chan map[string]any, 256)}
	go func() {
		defer close(e.ch)
		for {
			_, b, err := c.Read(context.Background())
			if err != nil {
				return
			}
			var m map[string]any
			if json.Unmarshal(b, &m) == nil {
				e.ch <- m
			}
		}
	}()
	t.Cleanup(func() { c.Close(websocket.StatusNormalClosure, "") })
	return e
}

// await waits for the next instance.state frame whose data.state is want, skipping others; returns it.
func (e *events) await(t *testing.T, want string, within time.Duration) map[string]any {
	t.Helper()
	deadline := time.After(within)
	var seen []string
	for {
		select {
		case m, ok := <-e.ch:
			if !ok {
				t.Fatalf("WebSocket closed while waiting for %q (seen %v)", want, seen)
			}
			data, _ := m["data"].(map[string]any)
			s, _ := data["state"].(string)
			seen = append(seen, s)
			if m["event"] == "instance.state" && s == want {
				return m
			}
		case <-deadline:
			t.Fatalf("no %q event within %s (seen %v)", want, within, seen)
		}
	}
}
