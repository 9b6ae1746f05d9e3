package server_test

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/status"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// A gateway that lost an instance to another sends its older epoch: every lifecycle command is refused with
// FAILED_PRECONDITION "stale epoch" and the session is left as the newer owner made it. Epoch 0 stays unfenced.
func TestLifecycleCommandsWithAStaleEpochAreRefused(t *testing.T) {
	h := newHarness(t)
	const instance = "inst-fence"
	jid := h.pairByQR(instance, "5511900000091")

	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid, Epoch: 5}); err != nil {
		t.Fatalf("Connect with the first epoch seen: %v", err)
	}
	stale := func(what string, err error) {
		t.Helper()
		if statusCode(err) != codeFailedPrecondition || !strings.Contains(status.Convert(err).Message(), "stale epoch") {
			t.Fatalf("%s with epoch 4 after 5: %v, want FAILED_PRECONDITION stale epoch", what, err)
		}
	}
	_, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance, Epoch: 4})
	stale("Disconnect", err)
	_, err = h.client.Logout(h.ctx(), &sidecarv1.LogoutRequest{InstanceId: instance, Jid: jid, Epoch: 4})
	stale("Logout", err)
	_, err = h.client.UpdateSettings(h.ctx(), &sidecarv1.UpdateSettingsRequest{InstanceId: instance, Settings: &sidecarv1.Settings{}, Epoch: 4})
	stale("UpdateSettings", err)
	_, err = h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid, Epoch: 4})
	stale("Connect", err)
	pair, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: instance, Epoch: 4})
	if err == nil {
		_, err = pair.Recv()
	}
	stale("Pair", err)

	st, err := h.client.GetState(h.ctx(), &sidecarv1.GetStateRequest{InstanceId: instance})
	if err != nil || st.GetSession().GetState() != sidecarv1.SessionState_SESSION_STATE_CONNECTED {
		t.Fatalf("after the refused commands: %v (%v), want still connected", st.GetSession(), err)
	}

	// unfenced (0) and the same epoch again both pass; another instance has its own epochs
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid}); err != nil {
		t.Fatalf("unfenced Connect: %v", err)
	}
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: "inst-fence-other", Epoch: 1}); statusCode(err) == codeFailedPrecondition {
		t.Fatalf("epoch 1 of another instance refused: %v", err)
	}
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance, Epoch: 5}); err != nil {
		t.Fatalf("Disconnect with the current epoch: %v", err)
	}
	_, at := h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	// a newer owner's epoch raises the bar for everyone after it
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid, Epoch: 6}); err != nil {
		t.Fatalf("Connect with a newer epoch: %v", err)
	}
	_, at = h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_CONNECTED, at)
	_, err = h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance, Epoch: 5})
	if statusCode(err) != codeFailedPrecondition {
		t.Fatalf("Disconnect with epoch 5 after 6: %v, want FAILED_PRECONDITION", err)
	}
	// end with no session at work, so nothing logs after the test
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance, Epoch: 6}); err != nil {
		t.Fatalf("Disconnect with epoch 6: %v", err)
	}
	h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, at)
}

// A session connected with an epoch (its gateway holds a lease) does not reconnect a dropped socket by itself: a pod
// frozen as a whole would otherwise log the device in again on waking, over the new owner. Its gateway restores it.
func TestFencedSessionLeavesTheReconnectToItsGateway(t *testing.T) {
	h := newHarness(t)
	const instance = "inst-fenced-drop"
	jid := h.pairByQR(instance, "5511900000092")
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance, Epoch: 1}); err != nil {
		t.Fatal(err)
	}
	_, at := h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, 0)
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid, Epoch: 1}); err != nil {
		t.Fatalf("fenced Connect: %v", err)
	}
	_, at = h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_CONNECTED, at)

	sockets := h.socketsTotal()
	if st := h.post(h.devicePath(jid, "kick"), nil, nil); st != 200 {
		t.Fatalf("kick answered %d", st)
	}
	_, at = h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, at)
	// several of the unfenced session's reconnect backoffs (400 ms max here) fit in this window; none may happen
	h.events.quiet(instance, at+1, 2*time.Second, sidecarv1.EventKind_EVENT_KIND_CONNECTING, sidecarv1.EventKind_EVENT_KIND_CONNECTED)
	if got := h.socketsTotal(); got != sockets {
		t.Fatalf("the emulator saw %d new sockets after the kick, want 0", got-sockets)
	}
	if _, err := h.client.Connect(h.ctx(), &sidecarv1.ConnectRequest{InstanceId: instance, Jid: jid, Epoch: 1}); err != nil {
		t.Fatalf("the owner's Connect after the drop: %v", err)
	}
	_, at = h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_CONNECTED, at)
	if _, err := h.client.Disconnect(h.ctx(), &sidecarv1.DisconnectRequest{InstanceId: instance, Epoch: 1}); err != nil {
		t.Fatal(err)
	}
	h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, at)
}
