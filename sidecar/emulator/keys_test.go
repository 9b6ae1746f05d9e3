package emulator_test

import (
	"context"
	"net/http"
	"testing"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
)

// TestPreKeysAndUserSync: a bundle fetch consumes one one-time prekey and leaves out unknown devices; device lists
// name only devices with keys (never the virtual phone); contact and LID queries answer as the real server does.
func TestPreKeysAndUserSync(t *testing.T) {
	t.Parallel()
	e, a, b := twoPeers(t, "5511977770061", "5511977770062")
	ctx := context.Background()
	bDev := parseJID(t, b.jid)
	unknown := types.NewADJID("5511977770069", 0, 1)
	before := e.device(t, b.jid)["prekeys"].(float64)
	//lint:ignore SA1019 the test asks for bundles directly to see the answer for an unknown device, which no public API shows
	bundles := a.DangerousInternals().FetchPreKeysNoError(ctx, []types.JID{bDev, unknown})
	if bundles[bDev] == nil || bundles[bDev].PreKeyID().IsEmpty {
		t.Fatalf("no bundle with a one-time prekey for %s: %v", bDev, bundles)
	}
	if _, ok := bundles[unknown]; ok {
		t.Fatalf("a bundle for the unknown device %s", unknown)
	}
	if after := e.device(t, b.jid)["prekeys"].(float64); after != before-1 {
		t.Fatalf("prekeys of %s: %v after one fetch, was %v", b.jid, after, before)
	}

	devices, err := a.GetUserDevices(ctx, []types.JID{b.pn})
	if err != nil || len(devices) != 1 || devices[0] != bDev {
		t.Fatalf("devices of %s: %v %v, want only %s (not the phone)", b.pn, devices, err, bDev)
	}
	on, err := a.IsOnWhatsApp(ctx, []string{"+" + b.phone, "+5511977770069"})
	if err != nil || len(on) != 2 {
		t.Fatalf("IsOnWhatsApp: %v %v", on, err)
	}
	lid := e.device(t, b.jid)["lid"].(string)
	for _, r := range on {
		switch r.Query {
		case "+" + b.phone:
			if !r.IsIn || r.JID.ToNonAD().String() != parseJID(t, lid).ToNonAD().String() || r.PhoneNumber != b.pn {
				t.Fatalf("known phone: %+v (lid %s)", r, lid)
			}
		default:
			if r.IsIn {
				t.Fatalf("unknown phone reported on WhatsApp: %+v", r)
			}
		}
	}
	info, err := a.GetUserInfo(ctx, []types.JID{b.pn})
	if err != nil || info[b.pn].LID.String() != parseJID(t, lid).ToNonAD().String() {
		t.Fatalf("user info of %s: %+v %v, want lid %s", b.pn, info[b.pn], err, lid)
	}
}

// TestHoldReceipts: with holdReceipts the sender sees no delivery until the fault is cleared.
func TestHoldReceipts(t *testing.T) {
	t.Parallel()
	e, a, b := twoPeers(t, "5511977770071", "5511977770072")
	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"holdReceipts": true})
	sent := a.sendText(t, b, "held")
	if m := b.nextMessage(t); m.Info.ID != sent.ID {
		t.Fatalf("b got %s", m.Info.ID)
	}
	eventually(t, waitLong, "b's receipt reaches the emulator", func() bool {
		out := e.mustCall(t, http.MethodGet, "/traffic?limit=10000", nil)
		for _, raw := range out["entries"].([]any) {
			en := raw.(map[string]any)
			if en["kind"] == "receipt" && en["id"] == sent.ID && en["from"] == b.jid {
				return true
			}
		}
		return false
	})
	for _, evt := range drain(a.client) {
		if r, ok := evt.(*events.Receipt); ok && contains(r.MessageIDs, sent.ID) {
			t.Fatalf("receipt %q while receipts are held", r.Type)
		}
	}
	e.mustCall(t, http.MethodDelete, "/faults", nil)
	a.waitReceipt(t, sent.ID, types.ReceiptTypeDelivered)
}
