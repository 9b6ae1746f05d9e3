package server_test

import (
	"testing"

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
