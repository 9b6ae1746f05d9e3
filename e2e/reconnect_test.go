package e2e

import (
	"strings"
	"testing"
	"time"
)

// Rows of the seed endpoint's error table (docs/API.md, section 2.3), each against the running demo.

const noSavedSession = "Instance has no saved session — call /connect first"

func TestReconnect400NoSavedSession(t *testing.T) {
	name := newInstance(t, product.token)
	r := call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, product.token, nil)
	expectError(t, r, 400, noSavedSession)
}

func TestReconnect401InvalidToken(t *testing.T) {
	name := newInstance(t, product.token)
	expectError(t, call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, "", nil), 401, "Invalid token")
	expectError(t, call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, "not-a-token", nil), 401, "Invalid token")
}

func TestReconnect404InstanceNotFound(t *testing.T) {
	r := call(t, "POST", product.gateway, "/api/instance/reconnect/no-such-instance", product.token, nil)
	expectError(t, r, 404, "Instance not found")
}

func TestReconnect429RateLimitExceeded(t *testing.T) {
	acct := call(t, "POST", product.gateway, "/api/admin/accounts", product.adminToken,
		map[string]any{"name": "e2e-limited", "instanceQuota": 5, "rateLimitPerMinute": 3})
	expectStatus(t, acct, 201)
	token := acct.str("account", "token")
	name := newInstance(t, token) // the create bucket is separate from the global one
	var last response
	for i := 0; i < 4; i++ {
		last = call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, token, nil)
	}
	expectError(t, last, 429, "Rate limit exceeded. Try again later.")
}

func TestReconnect500FailedToReconnect(t *testing.T) {
	name := newInstance(t, product.token)
	ws := subscribe(t, name)
	jid := pair(t, name, "5511900000500")
	ws.await(t, "connected", 60*time.Second)

	// Take the instance offline without automatic reconnect, then cut the network.
	expectStatus(t, emulator(t, "POST", "/devices/"+jid+"/replace", nil), 200)
	ws.await(t, "stream_replaced", 30*time.Second)
	expectStatus(t, emulator(t, "POST", "/faults", map[string]any{"refuseConnections": true}), 200)
	t.Cleanup(func() { emulator(t, "DELETE", "/faults", nil) })

	r := call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, product.token, nil)
	expectStatus(t, r, 500)
	if msg := r.errorMessage(); !strings.HasPrefix(msg, "Failed to reconnect: ") || len(msg) <= len("Failed to reconnect: ") {
		t.Fatalf("want 'Failed to reconnect: <reason>', got %s", r.raw)
	}
}
