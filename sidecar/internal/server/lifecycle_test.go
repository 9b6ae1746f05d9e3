package server_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/status"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

func TestPairByQRThenConnected(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-qr", "5511900000001")

	evs := h.events.snapshot("inst-qr")
	want := []sidecarv1.EventKind{
		sidecarv1.EventKind_EVENT_KIND_CONNECTING, sidecarv1.EventKind_EVENT_KIND_QR_READY,
		sidecarv1.EventKind_EVENT_KIND_PAIR_SUCCESS, sidecarv1.EventKind_EVENT_KIND_CONNECTED,
	}
	if len(evs) < len(want) {
		t.Fatalf("events %v, want at least %v", kinds(evs), want)
	}
	for i, k := range want {
		if evs[i].GetKind() != k {
			t.Fatalf("event %d is %s, want %s (all: %v)", i, evs[i].GetKind(), k, kinds(evs))
		}
	}
	if evs[2].GetJid() != jid || evs[3].GetJid() != jid {
		t.Fatalf("pair_success/connected carry jid %q/%q, want %q", evs[2].GetJid(), evs[3].GetJid(), jid)
	}
	if len(evs[1].GetCodes()) == 0 {
		t.Fatal("qr_ready carries no codes")
	}
	st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: "inst-qr"})
	if err != nil {
		t.Fatal(err)
	}
	if st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTED || st.GetSession().GetJid() != jid {
		t.Fatalf("state %v", st.GetSession())
	}
	// A second Pair on a paired instance is refused.
	stream, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: "inst-qr"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Recv(); statusCode(err) != codeFailedPrecondition {
		t.Fatalf("Pair on a paired instance: %v, want FAILED_PRECONDITION", err)
	}
}

func TestPairByCode(t *testing.T) {
	h := newHarness(t)
	const phone = "5511900000002"
	stream, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: "inst-code", Phone: phone, HistoryDays: 7})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil {
		t.Fatal(err)
	}
	code := first.GetPairingCode().GetCode()
	if len(code) != 9 || code[4] != '-' {
		t.Fatalf("first update %v is not a pairing code", first)
	}
	// A second Pair while the first runs replays the current code.
	second, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: "inst-code", Phone: phone})
	if err != nil {
		t.Fatal(err)
	}
	replayed, err := second.Recv()
	if err != nil || replayed.GetPairingCode().GetCode() != code {
		t.Fatalf("second Pair replayed %v (%v), want code %s", replayed, err, code)
	}
	var linked struct {
		JID string `json:"jid"`
	}
	if st := h.post("/phone/link-code", map[string]string{"phone": phone, "code": code}, &linked); st != 200 {
		t.Fatalf("link-code answered %d", st)
	}
	for _, s := range []sidecarv1.SidecarService_PairClient{stream, second} {
		upd, err := s.Recv()
		if err != nil || upd.GetSuccess().GetJid() != linked.JID {
			t.Fatalf("pair update %v (%v), want success with %s", upd, err, linked.JID)
		}
	}
	h.events.waitFor("inst-code", sidecarv1.EventKind_EVENT_KIND_CONNECTED, 0)
	evs := h.events.snapshot("inst-code")
	if countKind(evs, sidecarv1.EventKind_EVENT_KIND_PAIR_CODE_READY) != 1 || countKind(evs, sidecarv1.EventKind_EVENT_KIND_QR_READY) != 0 {
		t.Fatalf("want one pair_code_ready and no qr_ready, got %v", kinds(evs))
	}
}

func TestDisconnectThenConnectNeedsNoQR(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-dc", "5511900000003")
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-dc"}); err != nil {
		t.Fatal(err)
	}
	_, at := h.events.waitFor("inst-dc", sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	conns := h.deviceConnections(jid)

	resp, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-dc", Jid: jid})
	if err != nil {
		t.Fatal(err)
	}
	if resp.GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTING && resp.GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTED {
		t.Fatalf("Connect answered %s", resp.GetState())
	}
	// Idempotent while connecting or connected: no second connection.
	again, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-dc", Jid: jid})
	if err != nil {
		t.Fatal(err)
	}
	if again.GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTING && again.GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTED {
		t.Fatalf("second Connect answered %s", again.GetState())
	}
	h.events.waitFor("inst-dc", sidecarv1.EventKind_EVENT_KIND_CONNECTED, at)
	evs := h.events.snapshot("inst-dc")[at+1:]
	if evs[0].GetKind() != sidecarv1.EventKind_EVENT_KIND_CONNECTING {
		t.Fatalf("first event after Connect is %s, want connecting (%v)", evs[0].GetKind(), kinds(evs))
	}
	if countKind(evs, sidecarv1.EventKind_EVENT_KIND_QR_READY) != 0 || countKind(evs, sidecarv1.EventKind_EVENT_KIND_CONNECTING) != 1 {
		t.Fatalf("want exactly one connecting and no QR after Connect, got %v", kinds(evs))
	}
	if got := h.deviceConnections(jid); got != conns+1 {
		t.Fatalf("emulator saw %d new connections for the device, want 1", got-conns)
	}
	third, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-dc", Jid: jid})
	if err != nil || third.GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTED {
		t.Fatalf("Connect while connected: %v %v, want CONNECTED", third, err)
	}
}

func TestLogoutThenConnectIsFailedPrecondition(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-lo", "5511900000004")
	resp, err := h.client.Logout(h.ctx(), &sidecarv1.LogoutRequest{InstanceId: "inst-lo", Jid: jid})
	if err != nil {
		t.Fatal(err)
	}
	if !resp.GetHadSession() {
		t.Fatal("Logout of a paired instance reported had_session=false")
	}
	e, _ := h.events.waitFor("inst-lo", sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, 0)
	if e.GetReason() != "user_initiated" {
		t.Fatalf("logged_out reason %q", e.GetReason())
	}
	_, err = h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-lo", Jid: jid})
	if statusCode(err) != codeFailedPrecondition {
		t.Fatalf("Connect after Logout: %v, want FAILED_PRECONDITION", err)
	}
	again, err := h.client.Logout(h.ctx(), &sidecarv1.LogoutRequest{InstanceId: "inst-lo", Jid: jid})
	if err != nil || again.GetHadSession() {
		t.Fatalf("repeated Logout: %v %v, want had_session=false", again, err)
	}
	if n := countKind(h.events.snapshot("inst-lo"), sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT); n != 1 {
		t.Fatalf("%d logged_out events, want exactly 1", n)
	}
	// The unlink reached WhatsApp: the emulator keeps only a tombstone.
	if _, linked := h.findDevice(jid); linked {
		t.Fatalf("emulator still lists %s as linked after Logout", jid)
	}
}

func TestPhoneLogoutStopsReconnecting(t *testing.T) {
	t.Parallel() // mostly waiting (QR lifetime, quiet windows); has its own emulator
	h := newHarness(t)
	jid := h.pairByQR("inst-phone", "5511900000005")
	sockets := h.socketsTotal()
	conns := h.deviceConnections(jid)
	if st := h.post(h.devicePath(jid, "logout"), nil, nil); st != 200 {
		t.Fatalf("phone logout answered %d", st)
	}
	e, at := h.events.waitFor("inst-phone", sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, 0)
	if e.GetReason() == "" {
		t.Fatal("logged_out carries no reason")
	}
	// Several reconnect backoffs (400 ms max here) fit in this window; none may happen.
	h.events.quiet("inst-phone", at+1, 2*time.Second,
		sidecarv1.EventKind_EVENT_KIND_CONNECTING, sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT)
	if got := h.socketsTotal(); got != sockets {
		t.Fatalf("emulator saw %d new sockets after the phone logout, want 0", got-sockets)
	}
	if got := h.deviceConnections(jid); got != conns {
		t.Fatalf("device presented itself %d more times after the phone logout, want 0", got-conns)
	}
	if n := countKind(h.events.snapshot("inst-phone"), sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT); n != 1 {
		t.Fatalf("%d logged_out events, want exactly 1", n)
	}
	st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: "inst-phone"})
	if err != nil || st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT {
		t.Fatalf("state after phone logout: %v %v", st, err)
	}
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-phone", Jid: jid}); statusCode(err) != codeFailedPrecondition {
		t.Fatalf("Connect after phone logout: %v, want FAILED_PRECONDITION (device row deleted)", err)
	}
}

func TestKickReconnects(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-kick", "5511900000006")
	if st := h.post(h.devicePath(jid, "kick"), nil, nil); st != 200 {
		t.Fatalf("kick answered %d", st)
	}
	_, at := h.events.waitFor("inst-kick", sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	_, cAt := h.events.waitFor("inst-kick", sidecarv1.EventKind_EVENT_KIND_CONNECTING, at)
	h.events.waitFor("inst-kick", sidecarv1.EventKind_EVENT_KIND_CONNECTED, cAt)
}

func TestRefusedConnectionsAreUnavailable(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-refused", "5511900000007")
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-refused"}); err != nil {
		t.Fatal(err)
	}
	if st := h.post("/faults", map[string]any{"refuseConnections": true}, nil); st != 200 {
		t.Fatalf("faults answered %d", st)
	}
	_, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-refused", Jid: jid})
	if statusCode(err) != codeUnavailable {
		t.Fatalf("Connect with refused connections: %v, want UNAVAILABLE", err)
	}
	if msg := status.Convert(err).Message(); !strings.Contains(msg, "dial") && !strings.Contains(msg, "EOF") {
		t.Fatalf("UNAVAILABLE message %q does not carry the network reason", msg)
	}
	// The failed attempt was reported as connecting then disconnected with the reason.
	refused, at := h.events.waitFor("inst-refused", sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, h.lastIndex("inst-refused", sidecarv1.EventKind_EVENT_KIND_CONNECTING))
	if refused.GetReason() == "" {
		t.Fatal("disconnected after a refused connection carries no reason")
	}
	h.del("/faults")
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-refused", Jid: jid}); err != nil {
		t.Fatalf("Connect after the network is back: %v", err)
	}
	h.events.waitFor("inst-refused", sidecarv1.EventKind_EVENT_KIND_CONNECTED, at)
}
