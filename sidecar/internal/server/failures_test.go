package server_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/status"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

func TestLoginFailuresAreTerminal(t *testing.T) {
	t.Parallel() // mostly waiting (QR lifetime, quiet windows); has its own emulator
	cases := []struct {
		name   string
		inject func(h *harness, jid string)
		kind   sidecarv1.EventKind
		code   int32
	}{
		{"temporary ban", func(h *harness, jid string) {
			h.post(h.devicePath(jid, "ban"), map[string]int{"seconds": 3600}, nil)
		}, sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED, 0},
		{"client outdated", func(h *harness, _ string) {
			h.post("/faults", map[string]any{"failLogin": 405}, nil)
		}, sidecarv1.EventKind_EVENT_KIND_CLIENT_OUTDATED, 0},
		{"unknown failure", func(h *harness, _ string) {
			h.post("/faults", map[string]any{"failLogin": 409}, nil)
		}, sidecarv1.EventKind_EVENT_KIND_CONNECT_FAILURE, 409},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHarness(t)
			instance := "inst-fail-" + string(rune('a'+i))
			jid := h.pairByQR(instance, "551190000003"+string(rune('0'+i)))
			if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance}); err != nil {
				t.Fatal(err)
			}
			c.inject(h, jid)
			if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid}); err != nil {
				t.Fatal(err)
			}
			e, at := h.events.waitFor(instance, c.kind, 0)
			if e.GetReason() == "" || (c.code != 0 && e.GetCode() != c.code) {
				t.Fatalf("%s event %v", c.kind, e)
			}
			if c.kind == sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED && e.GetExpiresAtUnix() <= time.Now().Unix() {
				t.Fatalf("temp_banned expires_at_unix %d is not in the future", e.GetExpiresAtUnix())
			}
			sockets := h.socketsTotal()
			h.events.quiet(instance, at+1, 1500*time.Millisecond, sidecarv1.EventKind_EVENT_KIND_CONNECTING)
			if got := h.socketsTotal(); got != sockets {
				t.Fatalf("%d reconnect sockets after %s, want 0", got-sockets, c.kind)
			}
			st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: instance})
			if err != nil || st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_DISCONNECTED || st.GetSession().GetLastError() == "" {
				t.Fatalf("state after %s: %v %v", c.kind, st, err)
			}
		})
	}
}

func TestDisconnectAbortsPairingButCancelDoesNot(t *testing.T) {
	h := newHarness(t)
	ctx, cancel := context.WithCancel(context.Background())
	first, err := h.client.Pair(ctx, &sidecarv1.PairRequest{InstanceId: "inst-abort"})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := first.Recv()
	if err != nil || upd.GetQr() == nil {
		t.Fatalf("first update %v (%v)", upd, err)
	}
	cancel() // the caller goes away; the pairing keeps running

	second, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: "inst-abort"})
	if err != nil {
		t.Fatal(err)
	}
	replayed, err := second.Recv()
	if err != nil || replayed.GetQr().GetCode() != upd.GetQr().GetCode() {
		t.Fatalf("second Pair replayed %v (%v), want the running pairing's code", replayed, err)
	}
	st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: "inst-abort"})
	if err != nil || st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_PAIRING {
		t.Fatalf("state while pairing: %v %v", st, err)
	}

	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-abort"}); err != nil {
		t.Fatal(err)
	}
	final, err := second.Recv()
	if err != nil || final.GetFailure().GetKind() != sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR {
		t.Fatalf("after Disconnect the Pair stream got %v (%v), want a pair_error failure", final, err)
	}
	h.events.waitFor("inst-abort", sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, 0)
	// The aborted QR is dead on the emulator side too.
	if code := h.post("/phone/scan", map[string]string{"qr": upd.GetQr().GetCode(), "phone": "5511900000041"}, nil); code == 200 {
		t.Fatal("the phone could still scan the QR of an aborted pairing")
	}
	// And a new pairing can start afterwards.
	h.pairByQR("inst-abort", "5511900000042")
}

func TestLogoutWithoutLiveSessionDeletesTheRow(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-cold", "5511900000051")
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-cold"}); err != nil {
		t.Fatal(err)
	}
	// A second sidecar on the same database knows nothing about the instance, only the gateway's jid.
	cold := newHarness(t)
	resp, err := cold.client.Logout(cold.ctx(), &sidecarv1.LogoutRequest{InstanceId: "inst-cold", Jid: jid})
	if err != nil || !resp.GetHadSession() {
		t.Fatalf("Logout by jid without a live session: %v %v, want had_session", resp, err)
	}
	e, _ := cold.events.waitFor("inst-cold", sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, 0)
	if e.GetReason() != "user_initiated" || e.GetJid() != jid {
		t.Fatalf("logged_out %v", e)
	}
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-cold", Jid: jid}); statusCode(err) != codeFailedPrecondition {
		t.Fatalf("Connect after the row was deleted: %v, want FAILED_PRECONDITION", err)
	}
}

func TestProxyIsAppliedOutsideEmulatorMode(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-proxy", "5511900000061")
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-proxy"}); err != nil {
		t.Fatal(err)
	}
	// A port nothing listens on: the connection fails at the proxy, on loopback, before anything leaves the machine.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := uint32(l.Addr().(*net.TCPAddr).Port)
	_ = l.Close()

	real := newHarnessMode(t, false)
	for _, proto := range []sidecarv1.ProxyProtocol{sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5} {
		_, err := real.client.Connect(real.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-proxy", Jid: jid,
			Proxy: &sidecarv1.Proxy{Protocol: proto, Host: "127.0.0.1", Port: port, Username: "u", Password: "secret"}})
		if statusCode(err) != codeUnavailable {
			t.Fatalf("%s proxy on a closed port: %v, want UNAVAILABLE", proto, err)
		}
		msg := status.Convert(err).Message()
		if !strings.Contains(msg, "127.0.0.1:"+strconv.Itoa(int(port))) || strings.Contains(msg, "secret") {
			t.Fatalf("%s: message %q should name the proxy address and never its password", proto, msg)
		}
	}
	// In emulator mode the same proxy is ignored (the dial override wins).
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-proxy", Jid: jid,
		Proxy: &sidecarv1.Proxy{Protocol: sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, Host: "127.0.0.1", Port: port}}); err != nil {
		t.Fatalf("emulator mode with a proxy: %v", err)
	}
	h.events.waitFor("inst-proxy", sidecarv1.EventKind_EVENT_KIND_CONNECTED, h.lastIndex("inst-proxy", sidecarv1.EventKind_EVENT_KIND_CONNECTING))
}

func TestUnscannedQRTimesOut(t *testing.T) {
	t.Parallel()                    // mostly waiting (QR lifetime, quiet windows); has its own emulator
	h := newHarnessWith(t, true, 1) // one code, valid 20 s
	stream, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: "inst-qr-timeout"})
	if err != nil {
		t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil || first.GetQr().GetIndex() != 0 || first.GetQr().GetTimeoutMs() <= 0 {
		t.Fatalf("first update %v (%v)", first, err)
	}
	final, err := stream.Recv()
	if err != nil || final.GetFailure().GetKind() != sidecarv1.EventKind_EVENT_KIND_QR_TIMEOUT {
		t.Fatalf("after the last QR expired the stream got %v (%v), want a qr_timeout failure", final, err)
	}
	h.events.waitFor("inst-qr-timeout", sidecarv1.EventKind_EVENT_KIND_QR_TIMEOUT, 0)
	st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: "inst-qr-timeout"})
	if err != nil || st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_DISCONNECTED {
		t.Fatalf("state after qr_timeout: %v %v", st, err)
	}
}
