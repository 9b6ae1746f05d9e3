package emulator_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/wagate/wagate/sidecar/emulator"
)

func TestControlAPIErrors(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	validQR := "https://wa.me/settings/linked_devices#2@nosuchref," + key + "," + key + "," + key + ",9"

	health := e.mustCall(t, http.MethodGet, "/emulator/health", nil)
	if health["status"] != "ok" || health["rootPublicKey"] != e.RootPublicKeyHex() || len(e.RootPublicKeyHex()) != 64 {
		t.Fatalf("health %v", health)
	}
	cases := []struct {
		name, method, path string
		body               any
		want               int
	}{
		{"scan bad json", "POST", "/phone/scan", "{", 400},
		{"scan bad phone", "POST", "/phone/scan", map[string]string{"qr": validQR, "phone": "12ab"}, 400},
		{"scan malformed qr", "POST", "/phone/scan", map[string]string{"qr": "garbage", "phone": "5511999990030"}, 400},
		{"scan unknown ref", "POST", "/phone/scan", map[string]string{"qr": validQR, "phone": "5511999990030"}, 404},
		{"link-code bad json", "POST", "/phone/link-code", "[]", 400},
		{"link-code short code", "POST", "/phone/link-code", map[string]string{"phone": "5511999990030", "code": "AB"}, 400},
		{"link-code nobody waiting", "POST", "/phone/link-code", map[string]string{"phone": "5511999990030", "code": "ABCD-EFGH"}, 404},
		{"logout unknown", "POST", "/devices/1555:9@s.whatsapp.net/logout", nil, 404},
		{"kick unknown", "POST", "/devices/1555:9@s.whatsapp.net/kick", nil, 404},
		{"replace unknown", "POST", "/devices/1555%3A9%40s.whatsapp.net/replace", nil, 404},
		{"ban unknown", "POST", "/devices/1555:9@s.whatsapp.net/ban", map[string]int{"seconds": 5}, 404},
		{"ban bad body", "POST", "/devices/1555:9@s.whatsapp.net/ban", "x", 400},
		{"ban zero seconds", "POST", "/devices/1555:9@s.whatsapp.net/ban", map[string]int{"seconds": 0}, 400},
		{"faults bad json", "POST", "/faults", "{{", 400},
		{"faults bad latency", "POST", "/faults", map[string]int{"latencyMs": -1}, 400},
		{"faults bad code", "POST", "/faults", map[string]int{"failLogin": 7}, 400},
		{"faults bad ack error", "POST", "/faults", map[string]int{"messageAckError": 4790}, 400},
		{"faults negative drop", "POST", "/faults", map[string]int{"dropMessages": -1}, 400},
		{"faults bad receipt delay", "POST", "/faults", map[string]int{"receiptDelayMs": 60_001}, 400},
		{"traffic bad after", "GET", "/traffic?after=x", nil, 400},
		{"traffic bad limit", "GET", "/traffic?limit=0", nil, 400},
	}
	for _, c := range cases {
		status, out := e.call(t, c.method, c.path, c.body)
		if status != c.want {
			t.Errorf("%s: status %d (%v), want %d", c.name, status, out, c.want)
		} else if msg, _ := out["error"].(string); msg == "" {
			t.Errorf("%s: answer %v has no error message", c.name, out)
		}
	}

	cli, _, jid := pairQR(t, e, newTestDB(t), "5511999990031")
	cli.Disconnect()
	eventually(t, waitLong, "device disconnected", func() bool { return e.device(t, jid)["connected"] == false })
	for _, action := range []string{"kick", "replace"} {
		if status, _ := e.call(t, "POST", "/devices/"+jid+"/"+action, nil); status != http.StatusConflict {
			t.Errorf("%s of a disconnected device: status %d, want 409", action, status)
		}
	}
	// The escaped and the raw JID name the same device.
	e.mustCall(t, "POST", "/devices/"+url.PathEscape(jid)+"/ban", map[string]int{"seconds": 60})
	if _, banned := e.device(t, jid)["bannedUntil"]; !banned {
		t.Fatal("ban through the escaped JID did not reach the device")
	}
	stats := e.mustCall(t, http.MethodGet, "/emulator/stats", nil)
	if stats["devices"] != float64(1) || stats["loginsTotal"].(float64) < 1 {
		t.Fatalf("stats %v", stats)
	}
}

// TestGarbageOnTheWire: hostile bytes close that socket only; the emulator keeps serving.
func TestGarbageOnTheWire(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	payloads := [][]byte{
		{},
		[]byte("GET / HTTP/1.1"),
		{'W', 'A', 6, 3},
		{'W', 'A', 6, 3, 0, 0, 5, 1, 2},
		{'W', 'A', 6, 3, 0, 0, 3, 0xff, 0xff, 0xff},
		append([]byte{'W', 'A', 6, 3, 0, 0, 34, 0x12, 32}, make([]byte, 32)...),
	}
	for i, p := range payloads {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ws, _, err := websocket.Dial(ctx, "ws://"+e.WSAddr()+"/ws/chat", nil)
		if err != nil {
			cancel()
			t.Fatalf("payload %d: dial: %v", i, err)
		}
		_ = ws.Write(ctx, websocket.MessageBinary, p)
		_ = ws.Write(ctx, websocket.MessageBinary, []byte{0, 0, 1, 0})
		// Whatever the emulator answers, it must end this socket without hanging.
		for {
			if _, _, err := ws.Read(ctx); err != nil {
				if ctx.Err() != nil {
					t.Errorf("payload %d: socket still open after 10 s", i)
				}
				break
			}
		}
		ws.CloseNow()
		cancel()
	}
	_, _, jid := pairQR(t, e, newTestDB(t), "5511999990032")
	if !strings.HasPrefix(jid, "5511999990032:") {
		t.Fatalf("pairing after garbage gave %q", jid)
	}
}
