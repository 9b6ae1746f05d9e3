package e2e

import (
	"testing"
	"time"
)

// Sessions survive a full restart: stop everything as Ctrl-C does, start again the same way, and the instance
// comes back connected on its own, with no QR. Runs last (file order) because it restarts the shared demo.
func TestSessionsSurviveFullRestart(t *testing.T) {
	name := newInstance(t, product.token)
	ws := subscribe(t, name)
	pair(t, name, "5511900000003")
	ws.await(t, "connected", 60*time.Second)

	if err := product.stop(); err != nil {
		t.Fatal(err)
	}
	if err := product.start(); err != nil {
		t.Fatalf("restart: %v", err)
	}
	eventually(t, 90*time.Second, "instance connected again after restart", func() bool { return state(t, name) == "connected" })

	devices := emulator(t, "GET", "/devices", nil)
	expectStatus(t, devices, 200)
	list, _ := devices.body["devices"].([]any)
	if len(list) == 0 {
		t.Fatalf("the emulator forgot the paired devices across the restart: %s", devices.raw)
	}
	r := call(t, "POST", product.gateway, "/api/instance/reconnect/"+name, product.token, nil)
	expectStatus(t, r, 200)
	if r.str("status") != "connected" {
		t.Fatalf("want already connected after restart, got %s", r.raw)
	}
}
