package emulator_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types/events"

	"github.com/wagate/wagate/sidecar/emulator"
)

// TestPhoneLogout: unlinking from the phone logs a connected client out and deletes its row; a device
// unlinked while offline is refused at its next login.
func TestPhoneLogout(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	db := newTestDB(t)
	cli, _, jid := pairQR(t, e, db, "5511999990020")
	e.mustCall(t, http.MethodPost, "/devices/"+jid+"/logout", nil)
	lo := waitEvent[*events.LoggedOut](t, cli, waitLong)
	if lo.OnConnect || lo.Reason != events.ConnectFailureLoggedOut {
		t.Fatalf("LoggedOut %+v, want OnConnect=false reason 401", lo)
	}
	eventually(t, waitLong, "device row deleted", func() bool { return db.deviceRows(t, jid) == 0 })
	if e.device(t, jid) != nil {
		t.Fatalf("emulator still lists %s after logout", jid)
	}
	tomb := e.unlinked(t, jid)
	if tomb == nil || tomb["linked"] != false || tomb["connected"] != false {
		t.Fatalf("no unlinked tombstone for %s: %v", jid, tomb)
	}
	// A logged-out client must not try again: its connection count stays put.
	quiet := time.After(3 * time.Second)
	for done := false; !done; {
		select {
		case evt := <-cli.events:
			if _, ok := evt.(*events.Connected); ok {
				t.Fatal("Connected after a phone-side logout")
			}
		case <-quiet:
			done = true
		}
	}
	if after := e.unlinked(t, jid); after["connections"] != tomb["connections"] {
		t.Fatalf("connections went from %v to %v after logout: the client reconnected", tomb["connections"], after["connections"])
	}
	if status, _ := e.call(t, http.MethodPost, "/devices/"+jid+"/logout", nil); status != http.StatusNotFound {
		t.Fatalf("second logout of %s: status %d, want 404", jid, status)
	}

	db2 := newTestDB(t)
	cli2, _, jid2 := pairQR(t, e, db2, "5511999990020")
	cli2.Disconnect()
	e.mustCall(t, http.MethodPost, "/devices/"+url.PathEscape(jid2)+"/logout", nil)
	if err := cli2.Connect(); err != nil {
		t.Fatalf("connect: %v", err)
	}
	lo = waitEvent[*events.LoggedOut](t, cli2, waitLong)
	if !lo.OnConnect || lo.Reason != events.ConnectFailureLoggedOut {
		t.Fatalf("LoggedOut %+v, want OnConnect=true reason 401", lo)
	}
	eventually(t, waitLong, "second device row deleted", func() bool { return db2.deviceRows(t, jid2) == 0 })
}

// TestClientLogout: the client's own Logout() makes the emulator forget the device.
func TestClientLogout(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	db := newTestDB(t)
	cli, _, jid := pairQR(t, e, db, "5511999990021")
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	if err := cli.Logout(ctx); err != nil {
		t.Fatalf("Logout: %v", err)
	}
	if e.device(t, jid) != nil || e.unlinked(t, jid) == nil {
		t.Fatalf("after the client logged out, %s must move from devices to unlinked", jid)
	}
	if n := db.deviceRows(t, jid); n != 0 {
		t.Fatalf("%d device rows left after Logout", n)
	}
}

// TestKick: a dropped socket gives Disconnected, and whatsmeow reconnects by itself.
func TestKick(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, jid := pairQR(t, e, newTestDB(t), "5511999990022")
	before := e.device(t, jid)["connections"].(float64)
	e.mustCall(t, http.MethodPost, "/devices/"+jid+"/kick", nil)
	waitEvent[*events.Disconnected](t, cli, waitLong)
	waitEvent[*events.Connected](t, cli, waitLong)
	if after := e.device(t, jid)["connections"].(float64); after != before+1 {
		t.Fatalf("connections %v -> %v, want exactly one reconnect", before, after)
	}
}

// TestReplace: "stream replaced" gives StreamReplaced and whatsmeow does not reconnect.
func TestReplace(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, jid := pairQR(t, e, newTestDB(t), "5511999990023")
	before := e.device(t, jid)["connections"]
	e.mustCall(t, http.MethodPost, "/devices/"+jid+"/replace", nil)
	waitEvent[*events.StreamReplaced](t, cli, waitLong)
	quiet := time.After(3 * time.Second)
	for done := false; !done; {
		select {
		case evt := <-cli.events:
			switch evt.(type) {
			case *events.Connected, *events.Disconnected:
				t.Fatalf("%T after StreamReplaced: the client must not reconnect", evt)
			}
		case <-quiet:
			done = true
		}
	}
	d := e.device(t, jid)
	if d["connections"] != before || d["connected"] != false {
		t.Fatalf("after replace: %v (connections before %v)", d, before)
	}
}

// TestTemporaryBan: the live socket gets TemporaryBan with its expiry; logins fail until it passes.
func TestTemporaryBan(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, jid := pairQR(t, e, newTestDB(t), "5511999990024")
	e.mustCall(t, http.MethodPost, "/devices/"+jid+"/ban", map[string]int{"seconds": 3})
	ban := waitEvent[*events.TemporaryBan](t, cli, waitLong)
	if ban.Code != events.TempBanSentToTooManyPeople || ban.Expire < time.Second || ban.Expire > 3*time.Second {
		t.Fatalf("TemporaryBan %+v, want code 101 expiring within 3 s", ban)
	}
	eventually(t, waitLong, "banned socket closed", func() bool { return !cli.IsConnected() })
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect while banned: %v", err)
	}
	waitEvent[*events.TemporaryBan](t, cli, waitLong)
	eventually(t, waitLong, "banned socket closed", func() bool { return !cli.IsConnected() })
	eventually(t, waitLong, "ban expired", func() bool {
		_, banned := e.device(t, jid)["bannedUntil"]
		return !banned
	})
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect after the ban: %v", err)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
}

// TestFailLoginFault: failLogin makes logins fail with that reason until the faults are cleared.
func TestFailLoginFault(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, _ := pairQR(t, e, newTestDB(t), "5511999990025")
	cli.Disconnect()
	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"failLogin": 409})
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect: %v", err)
	}
	cf := waitEvent[*events.ConnectFailure](t, cli, waitLong)
	if cf.Reason != events.ConnectFailureBadUserAgent {
		t.Fatalf("ConnectFailure reason %d, want 409", cf.Reason)
	}
	eventually(t, waitLong, "failed socket closed", func() bool { return !cli.IsConnected() })
	e.mustCall(t, http.MethodDelete, "/faults", nil)
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect after clearing faults: %v", err)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
}

// TestRefuseConnections: with the network "down" Connect fails; it works again once cleared.
func TestRefuseConnections(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, _ := pairQR(t, e, newTestDB(t), "5511999990026")
	cli.Disconnect()
	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"refuseConnections": true})
	if err := cli.Connect(); err == nil {
		t.Fatal("Connect succeeded while the emulator refuses connections")
	}
	e.mustCall(t, http.MethodDelete, "/faults", nil)
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect after clearing faults: %v", err)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
}
