package server_test

import (
	"testing"
	"time"

	"google.golang.org/grpc/codes"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

func TestStreamEventsReplaysAfterSeq(t *testing.T) {
	h := newHarness(t)
	h.pairByQR("inst-replay", "5511900000011")
	seen := h.events.snapshot("")
	last := seen[len(seen)-1]
	for i, e := range seen {
		if e.GetSeq() != uint64(i+1) || e.GetBootId() != h.hub.BootID() {
			t.Fatalf("event %d has seq %d boot %q; want %d and %q", i, e.GetSeq(), e.GetBootId(), i+1, h.hub.BootID())
		}
	}
	// The subscriber goes away; events happen meanwhile.
	h.events.cancel()
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-replay"}); err != nil {
		t.Fatal(err)
	}

	resumed := h.subscribe(last.GetBootId(), last.GetSeq())
	e, _ := resumed.waitFor("inst-replay", sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	got := resumed.snapshot("")
	if got[0].GetSeq() != last.GetSeq()+1 {
		t.Fatalf("resumed stream starts at seq %d, want %d", got[0].GetSeq(), last.GetSeq()+1)
	}
	if e.GetReason() == "" {
		t.Fatal("replayed disconnected has no reason")
	}
	if resumed.first.GetReplayTruncated() {
		t.Fatal("replay_truncated set although nothing was dropped")
	}

	// Another boot's id replays everything buffered in this boot, from seq 1.
	other := h.subscribe("some-older-boot", last.GetSeq())
	other.waitFor("inst-replay", sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	if first := other.snapshot("")[0]; first.GetSeq() != 1 {
		t.Fatalf("subscription with a foreign boot_id starts at seq %d, want 1", first.GetSeq())
	}
}

func TestBadRequestsGetClearCodes(t *testing.T) {
	h := newHarness(t)
	ctx := h.ctx()
	validJID := "5511900000099:7@s.whatsapp.net"
	proxy := func(p sidecarv1.ProxyProtocol, host string, port uint32) *sidecarv1.Proxy {
		return &sidecarv1.Proxy{Protocol: p, Host: host, Port: port}
	}
	cases := []struct {
		name string
		call func() error
		want codes.Code
	}{
		{"connect empty instance", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{Jid: validJID})
			return err
		}, codes.InvalidArgument},
		{"connect empty jid", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad"})
			return err
		}, codes.InvalidArgument},
		{"connect garbage jid", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: "not a jid@@"})
			return err
		}, codes.InvalidArgument},
		{"connect group jid", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: "123-456@g.us"})
			return err
		}, codes.InvalidArgument},
		{"connect unknown device", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: validJID})
			return err
		}, codes.FailedPrecondition},
		{"connect proxy without host", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: validJID,
				Proxy: proxy(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, "", 8080)})
			return err
		}, codes.InvalidArgument},
		{"connect proxy port 0", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: validJID,
				Proxy: proxy(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5, "10.0.0.1", 0)})
			return err
		}, codes.InvalidArgument},
		{"connect proxy port too big", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: validJID,
				Proxy: proxy(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTPS, "proxy.local", 70000)})
			return err
		}, codes.InvalidArgument},
		{"connect proxy without protocol", func() error {
			_, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bad", Jid: validJID,
				Proxy: proxy(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_UNSPECIFIED, "proxy.local", 3128)})
			return err
		}, codes.InvalidArgument},
		{"pair bad phone", func() error {
			s, err := h.client.Pair(ctx, &sidecarv1.PairRequest{InstanceId: "bad", Phone: "+55 11 9"})
			if err == nil {
				_, err = s.Recv()
			}
			return err
		}, codes.InvalidArgument},
		{"pair bad proxy", func() error {
			s, err := h.client.Pair(ctx, &sidecarv1.PairRequest{InstanceId: "bad",
				Proxy: proxy(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5, "", 1080)})
			if err == nil {
				_, err = s.Recv()
			}
			return err
		}, codes.InvalidArgument},
		{"get state unknown instance", func() error {
			_, err := h.client.GetState(ctx, &sidecarv1.GetStateRequest{InstanceId: "never-seen"})
			return err
		}, codes.NotFound},
		{"disconnect unknown instance", func() error {
			_, err := h.client.Disconnect(ctx, &sidecarv1.DisconnectRequest{InstanceId: "never-seen"})
			return err
		}, codes.NotFound},
		{"update settings unknown instance", func() error {
			_, err := h.client.UpdateSettings(ctx, &sidecarv1.UpdateSettingsRequest{InstanceId: "never-seen", Settings: &sidecarv1.Settings{}})
			return err
		}, codes.NotFound},
		{"logout garbage jid", func() error {
			_, err := h.client.Logout(ctx, &sidecarv1.LogoutRequest{InstanceId: "never-seen", Jid: "garbage"})
			return err
		}, codes.InvalidArgument},
		{"logout unknown instance without jid", func() error {
			r, err := h.client.Logout(ctx, &sidecarv1.LogoutRequest{InstanceId: "never-seen"})
			if err == nil && r.GetHadSession() {
				t.Error("logout of an unknown instance reported had_session")
			}
			return err
		}, codes.OK},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := statusCode(c.call()); got != c.want {
				t.Fatalf("got %s, want %s", got, c.want)
			}
		})
	}
	// The server is still healthy after all of that, and refused requests left no sessions behind.
	list, err := h.client.ListSessions(ctx, &sidecarv1.ListSessionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.GetSessions()) != 0 {
		t.Fatalf("refused requests created sessions: %v", list.GetSessions())
	}
}

func TestReconnectBacksOffUntilNetworkReturns(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-backoff", "5511900000012")
	h.post("/faults", map[string]any{"refuseConnections": true}, nil)
	h.post(h.devicePath(jid, "kick"), nil, nil)
	_, at := h.events.waitFor("inst-backoff", sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	// Three automatic attempts, each announced as connecting.
	pos := at
	for range 3 {
		_, pos = h.events.waitFor("inst-backoff", sidecarv1.EventKind_EVENT_KIND_CONNECTING, pos+1)
	}
	h.del("/faults")
	h.events.waitFor("inst-backoff", sidecarv1.EventKind_EVENT_KIND_CONNECTED, pos)
	st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: "inst-backoff"})
	if err != nil || st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTED {
		t.Fatalf("state after the network came back: %v %v", st, err)
	}
}

func TestStreamReplacedIsTerminal(t *testing.T) {
	t.Parallel() // mostly waiting (QR lifetime, quiet windows); has its own emulator
	h := newHarness(t)
	jid := h.pairByQR("inst-replaced", "5511900000013")
	sockets := h.socketsTotal()
	h.post(h.devicePath(jid, "replace"), nil, nil)
	_, at := h.events.waitFor("inst-replaced", sidecarv1.EventKind_EVENT_KIND_STREAM_REPLACED, 0)
	h.events.quiet("inst-replaced", at+1, 2*time.Second, sidecarv1.EventKind_EVENT_KIND_CONNECTING)
	if got := h.socketsTotal(); got != sockets {
		t.Fatalf("%d reconnect sockets after stream replaced, want 0", got-sockets)
	}
	// The gateway may decide to take the session back explicitly.
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: "inst-replaced", Jid: jid}); err != nil {
		t.Fatal(err)
	}
	h.events.waitFor("inst-replaced", sidecarv1.EventKind_EVENT_KIND_CONNECTED, at)
}

// keepOnlineStatus is not asserted: whatsmeow sends presence only with a push name, which arrives through app-state
// sync, and the emulator serves none.
func TestSettingsRejectCalls(t *testing.T) {
	h := newHarness(t)
	jid := h.pairByQR("inst-settings", "5511900000014")
	_, err := h.client.UpdateSettings(h.ctx(), &sidecarv1.UpdateSettingsRequest{InstanceId: "inst-settings",
		Settings: &sidecarv1.Settings{KeepOnlineStatus: true, AutoRejectCalls: true, CallRejectMessage: "busy"}})
	if err != nil {
		t.Fatal(err)
	}
	var call struct {
		CallID string `json:"callId"`
	}
	if st := h.post(h.devicePath(jid, "call"), map[string]string{"from": "5511900000099"}, &call); st != 200 || call.CallID == "" {
		t.Fatalf("call answered %d %v", st, call)
	}
	h.waitDevice(jid, "call rejected", func(d device) bool { return d.CallsRejected == 1 })

	// Turned off, calls ring on.
	_, err = h.client.UpdateSettings(h.ctx(), &sidecarv1.UpdateSettingsRequest{InstanceId: "inst-settings", Settings: &sidecarv1.Settings{}})
	if err != nil {
		t.Fatal(err)
	}
	h.post(h.devicePath(jid, "call"), nil, nil)
	// A rejection would reach the emulator well within this window; none may.
	deadline := time.After(1500 * time.Millisecond)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for done := false; !done; {
		select {
		case <-tick.C:
			if d := h.device(jid); d.CallsRejected != 1 {
				t.Fatalf("calls rejected = %d with autoRejectCalls off, want still 1", d.CallsRejected)
			}
		case <-deadline:
			done = true
		}
	}

	list, err := h.client.ListSessions(h.ctx(), &sidecarv1.ListSessionsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if list.GetBootId() != h.hub.BootID() || len(list.GetSessions()) != 1 || list.GetSessions()[0].GetJid() != jid {
		t.Fatalf("ListSessions = %v", list)
	}
}

// A gateway must see a restarted sidecar at once, even when the new process has no event to send yet.
func TestStreamEventsAnnouncesBootFirst(t *testing.T) {
	h := newHarness(t)
	boot := h.events.waitBoot()
	if boot.GetBootId() != h.hub.BootID() || boot.GetStartedAtUnixMs() <= 0 || boot.GetStartedAtUnixMs() > time.Now().UnixMilli() {
		t.Fatalf("boot message %v, want boot %s started in the past", boot, h.hub.BootID())
	}
	h.pairByQR("inst-boot", "5511900000012")
	// a re-subscriber with the current boot gets the boot message again, then only what it missed
	last := h.events.snapshot("")
	resumed := h.subscribe(h.hub.BootID(), last[len(last)-1].GetSeq())
	if again := resumed.waitBoot(); again.GetBootId() != boot.GetBootId() || again.GetStartedAtUnixMs() != boot.GetStartedAtUnixMs() {
		t.Fatalf("second boot message %v differs from %v", again, boot)
	}
}
