package emulator_test

import (
	"context"
	"net/http"
	"testing"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/wagate/wagate/sidecar/emulator"
)

// TestCallPresenceAndOfflineSync: the emulator offers calls and records rejections and presence, and a
// login ends with an empty offline queue (OfflineSyncCompleted).
func TestCallPresenceAndOfflineSync(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	cli, _, jid := pairQR(t, e, newTestDB(t), "5511999990040")
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()

	out := e.mustCall(t, http.MethodPost, "/devices/"+jid+"/call", map[string]string{"from": "5511888880000"})
	callID, _ := out["callId"].(string)
	offer := waitEvent[*events.CallOffer](t, cli, waitLong)
	if offer.CallID != callID || offer.From.User != "5511888880000" {
		t.Fatalf("CallOffer %+v, emulator sent call %s", offer.BasicCallMeta, callID)
	}
	if err := cli.RejectCall(ctx, offer.From, offer.CallID); err != nil {
		t.Fatalf("RejectCall: %v", err)
	}
	eventually(t, waitLong, "rejection counted", func() bool { return e.device(t, jid)["callsRejected"] == float64(1) })

	cli.Store.PushName = "Emulator Test"
	if err := cli.SendPresence(ctx, types.PresenceAvailable); err != nil {
		t.Fatalf("SendPresence: %v", err)
	}
	eventually(t, waitLong, "presence recorded", func() bool { return e.device(t, jid)["presence"] == "available" })

	cli.Disconnect()
	if err := cli.Connect(); err != nil {
		t.Fatal(err)
	}
	if got := waitEvent[*events.OfflineSyncCompleted](t, cli, waitLong); got.Count != 0 {
		t.Fatalf("OfflineSyncCompleted %+v, want an empty queue", got)
	}

	if status, _ := e.call(t, http.MethodPost, "/devices/1555:9@s.whatsapp.net/call", nil); status != http.StatusNotFound {
		t.Fatalf("call to an unknown device: status %d, want 404", status)
	}
	if status, _ := e.call(t, http.MethodPost, "/devices/"+jid+"/call", map[string]string{"from": "x"}); status != http.StatusBadRequest {
		t.Fatalf("call from a bad number: status %d, want 400", status)
	}
}
