package e2e

import (
	"testing"
	"time"
)

// The happy path of the seed: pair, lose the session to another client, reconnect from the saved session.
func TestHappyPathReconnectAfterStreamReplaced(t *testing.T) {
	name := newInstance(t, product.token)
	ws := subscribe(t, name)
	jid := pair(t, name, "5511900000001")
	connected := ws.await(t, "connected", 60*time.Second)
	if data := connected["data"].(map[string]any); data["instance"] != name {
		t.Fatalf("event for the wrong instance: %v", connected)
	}

	expectStatus(t, emulator(t, "POST", "/devices/"+jid+"/replace", nil), 200)
	ws.await(t, "stream_replaced", 30*time.Second)
	eventually(t, 10*time.Second, "REST state disconnected", func() bool { return state(t, name) == "disconnected" })

	r := call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, product.token, map[string]any{"ignored": true})
	expectStatus(t, r, 200)
	if r.body["success"] != true || r.str("message") != "Reconnect initiated" || r.str("status") != "connecting" {
		t.Fatalf("unexpected reconnect answer: %s", r.raw)
	}
	ws.await(t, "connecting", 30*time.Second)
	ws.await(t, "connected", 60*time.Second)
	eventually(t, 10*time.Second, "REST state connected", func() bool { return state(t, name) == "connected" })

	again := call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, product.token, nil)
	expectStatus(t, again, 200)
	if again.str("message") != "Instance already connected" || again.str("status") != "connected" {
		t.Fatalf("reconnect while connected: %s", again.raw)
	}
}

// Unlinking from the phone deletes the saved session, so reconnect has nothing to reuse.
func TestPhoneLogoutThenReconnect400(t *testing.T) {
	name := newInstance(t, product.token)
	ws := subscribe(t, name)
	jid := pair(t, name, "5511900000002")
	ws.await(t, "connected", 60*time.Second)

	expectStatus(t, emulator(t, "POST", "/devices/"+jid+"/logout", nil), 200)
	ws.await(t, "logged_out", 30*time.Second)
	eventually(t, 10*time.Second, "REST state loggedout", func() bool { return state(t, name) == "loggedout" })

	r := call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, product.token, nil)
	expectError(t, r, 400, noSavedSession)
}
