package emulator_test

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"

	"go.mau.fi/whatsmeow/types/events"

	"github.com/wagate/wagate/sidecar/emulator"
)

// TestSavedDeviceLogsIn: a paired device logs in again without QR after Disconnect, after a "process
// restart" (new container and client on the stored device) and after an emulator restart (state file).
func TestSavedDeviceLogsIn(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "state.json")
	e := startEmulator(t, emulator.Config{QRRefs: 1, StateFile: state})
	db := newTestDB(t)
	cli, _, jid := pairQR(t, e, db, "5511999990010")

	cli.Disconnect()
	eventually(t, waitLong, "device shown disconnected", func() bool { return e.device(t, jid)["connected"] == false })
	if err := cli.Connect(); err != nil {
		t.Fatalf("reconnect: %v", err)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
	cli.Disconnect()

	// Process restart: nothing survives but the database.
	restarted := func(e *emu) *client {
		t.Helper()
		container := db.container(t)
		dev, err := container.GetDevice(context.Background(), parseJID(t, jid))
		if err != nil || dev == nil {
			t.Fatalf("stored device %s not found: %v", jid, err)
		}
		c := newClient(t, e, dev)
		if err := c.Connect(); err != nil {
			t.Fatalf("connect stored device: %v", err)
		}
		waitEvent[*events.Connected](t, c, waitLong)
		for {
			select {
			case evt := <-c.events:
				if _, isQR := evt.(*events.QR); isQR {
					t.Fatal("a saved device was offered a QR code")
				}
				continue
			default:
			}
			break
		}
		return c
	}
	c2 := restarted(e)
	if got := e.device(t, jid)["logins"]; got != float64(3) {
		t.Fatalf("emulator counted %v logins, want 3 (pair restart, reconnect, process restart)", got)
	}
	c2.Disconnect()

	// Emulator restart: the device comes back from the state file on a new port.
	if err := e.Close(); err != nil {
		t.Logf("emulator close: %v", err)
	}
	e2 := startEmulator(t, emulator.Config{QRRefs: 1, StateFile: state})
	if e2.device(t, jid) == nil {
		t.Fatalf("device %s did not survive the emulator restart", jid)
	}
	restarted(e2)
}

// TestKeepaliveAndLatency: pings are answered, a client under small injected latency stays connected,
// and latency beyond the client's keepalive deadline is noticed (so the first checks can fail).
func TestKeepaliveAndLatency(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, _ := pairQR(t, e, newTestDB(t), "5511999990011")
	pings := func() int64 { return e.Stats().PingsAnswered }

	assertCalm := func(label string) {
		t.Helper()
		start := pings()
		eventually(t, waitLong, label+": 4 more pings answered", func() bool { return pings() >= start+4 })
		for {
			select {
			case evt := <-cli.events:
				switch evt.(type) {
				case *events.KeepAliveTimeout, *events.Disconnected:
					t.Fatalf("%s: unexpected %T", label, evt)
				}
				continue
			default:
			}
			break
		}
		if !cli.IsConnected() {
			t.Fatalf("%s: client not connected", label)
		}
	}
	assertCalm("no latency")
	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"latencyMs": 300})
	assertCalm("300 ms latency")

	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"latencyMs": 6000})
	waitEvent[*events.KeepAliveTimeout](t, cli, waitLong)
	e.mustCall(t, http.MethodDelete, "/faults", nil)
	waitEvent[*events.KeepAliveRestored](t, cli, waitLong)

	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"ignorePings": true})
	waitEvent[*events.KeepAliveTimeout](t, cli, waitLong)
	e.mustCall(t, http.MethodDelete, "/faults", nil)
	waitEvent[*events.KeepAliveRestored](t, cli, waitLong)
}

// TestUnknownDeviceIsLoggedOut: without a state file an emulator restart forgets
// devices, and the client is told it was logged out (failure 401 at connect).
func TestUnknownDeviceIsLoggedOut(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	db := newTestDB(t)
	cli, _, jid := pairQR(t, e, db, "5511999990012")
	cli.Disconnect()
	e2 := startEmulator(t, emulator.Config{QRRefs: 1})
	c2 := newClient(t, e2, cli.Store)
	if err := c2.Connect(); err != nil {
		t.Fatalf("connect: %v", err)
	}
	lo := waitEvent[*events.LoggedOut](t, c2, waitLong)
	if !lo.OnConnect || lo.Reason != events.ConnectFailureLoggedOut {
		t.Fatalf("LoggedOut %+v, want on connect with 401", lo)
	}
	eventually(t, waitLong, "device row deleted", func() bool { return db.deviceRows(t, jid) == 0 })
}
