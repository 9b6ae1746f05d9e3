package emulator_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/types/events"

	"github.com/wagate/wagate/sidecar/emulator"
)

// TestQRPairing covers the whole QR flow: codes arrive and rotate, the phone scans the second code,
// the client gets PairSuccess, the 515 restart logs it in, and whatsmeow saved its device row.
func TestQRPairing(t *testing.T) {
	t.Parallel()
	e, db, cli, qr, _ := startUnpaired(t, 2)
	qrEvt := waitEvent[*events.QR](t, cli, waitLong)
	if len(qrEvt.Codes) != 2 || qrEvt.Codes[0] == qrEvt.Codes[1] {
		t.Fatalf("want 2 distinct QR codes from 2 refs, got %q", qrEvt.Codes)
	}
	first := <-qr
	if first.Event != whatsmeow.QRChannelEventCode || first.Code != qrEvt.Codes[0] {
		t.Fatalf("first channel item %+v, want code %q", first, qrEvt.Codes[0])
	}
	if !strings.HasPrefix(first.Code, "https://wa.me/settings/linked_devices#") {
		t.Fatalf("QR string %q lacks the linked-devices prefix", first.Code)
	}
	// Rotation: whatsmeow shows each code 20 s unless it is the first of 6; the second one must follow.
	var second whatsmeow.QRChannelItem
	select {
	case second = <-qr:
	case <-time.After(40 * time.Second):
		t.Fatal("second QR code did not arrive")
	}
	if second.Event != whatsmeow.QRChannelEventCode || second.Code != qrEvt.Codes[1] {
		t.Fatalf("second channel item %+v, want code %q", second, qrEvt.Codes[1])
	}
	// The client no longer shows the first code, so the phone finds it expired.
	status, answer := e.call(t, http.MethodPost, "/phone/scan", map[string]string{"qr": first.Code, "phone": "5511999990001"})
	if status != http.StatusNotFound || !strings.Contains(answer["error"].(string), "expired") {
		t.Fatalf("scan of the rotated-out code: %d %v, want 404 expired", status, answer)
	}

	out := e.mustCall(t, http.MethodPost, "/phone/scan", map[string]string{"qr": second.Code, "phone": "5511999990001"})
	jid, _ := out["jid"].(string)
	if !strings.HasPrefix(jid, "5511999990001:") || !strings.HasSuffix(jid, "@s.whatsapp.net") {
		t.Fatalf("scan answered jid %q", jid)
	}
	ps := waitEvent[*events.PairSuccess](t, cli, waitLong)
	if ps.ID.String() != jid || ps.LID.Server != "lid" {
		t.Fatalf("PairSuccess %s/%s, emulator said %s", ps.ID, ps.LID, jid)
	}
	if done := <-qr; done.Event != "success" {
		t.Fatalf("QR channel ended with %q, want success", done.Event)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
	if n := db.deviceRows(t, jid); n != 1 {
		t.Fatalf("%d whatsmeow_device rows for %s, want 1", n, jid)
	}
	if cli.Store.ID == nil || cli.Store.ID.String() != jid || cli.Store.LID != ps.LID {
		t.Fatalf("client store has %v / %v", cli.Store.ID, cli.Store.LID)
	}
	d := e.device(t, jid)
	if d == nil || d["connected"] != true || d["phone"] != "5511999990001" || d["connections"] != float64(1) {
		t.Fatalf("/devices entry %v", d)
	}
	// The refs died with the pairing: scanning the first code again is an expired QR.
	if status, _ := e.call(t, http.MethodPost, "/phone/scan", map[string]string{"qr": first.Code, "phone": "5511999990001"}); status != http.StatusNotFound {
		t.Fatalf("re-scan of a used QR: status %d, want 404", status)
	}
}

// TestPairingCode links through PairPhone: a wrong code is refused with 409, the right one links.
func TestPairingCode(t *testing.T) {
	t.Parallel()
	e, db, cli, qr, ctx := startUnpaired(t, 6)
	if item := <-qr; item.Event != whatsmeow.QRChannelEventCode {
		t.Fatalf("first QR channel item %q", item.Event)
	}
	const phone = "5511999990002"
	if _, err := cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "not a browser name"); err == nil {
		t.Fatal("PairPhone with a malformed display name succeeded; the server must reject it")
	}
	code, err := cli.PairPhone(ctx, phone, true, whatsmeow.PairClientChrome, "Chrome (Linux)")
	if err != nil {
		t.Fatalf("PairPhone: %v", err)
	}
	if len(code) != 9 || code[4] != '-' {
		t.Fatalf("pairing code %q is not XXXX-XXXX", code)
	}
	wrong := []byte(code)
	if wrong[0] == 'A' {
		wrong[0] = 'B'
	} else {
		wrong[0] = 'A'
	}
	if status, out := e.call(t, http.MethodPost, "/phone/link-code", map[string]string{"phone": phone, "code": string(wrong)}); status != http.StatusConflict {
		t.Fatalf("wrong code: status %d (%v), want 409", status, out)
	}
	if status, _ := e.call(t, http.MethodPost, "/phone/link-code", map[string]string{"phone": "5511999990999", "code": code}); status != http.StatusNotFound {
		t.Fatalf("code for a phone nobody asked for: status %d, want 404", status)
	}
	out := e.mustCall(t, http.MethodPost, "/phone/link-code", map[string]string{"phone": phone, "code": code})
	jid, _ := out["jid"].(string)
	ps := waitEvent[*events.PairSuccess](t, cli, waitLong)
	if ps.ID.String() != jid || !strings.HasPrefix(jid, phone+":") {
		t.Fatalf("PairSuccess %s, emulator said %s", ps.ID, jid)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
	if n := db.deviceRows(t, jid); n != 1 {
		t.Fatalf("%d whatsmeow_device rows for %s, want 1", n, jid)
	}
}

// TestSecondDeviceOfOnePhone checks that one phone links several companions with distinct device ids.
func TestSecondDeviceOfOnePhone(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	_, _, jid1 := pairQR(t, e, newTestDB(t), "5511999990003")
	_, _, jid2 := pairQR(t, e, newTestDB(t), "5511999990003")
	if jid1 == jid2 || parseJID(t, jid1).User != parseJID(t, jid2).User {
		t.Fatalf("two companions of one phone got %s and %s", jid1, jid2)
	}
}

// startUnpaired starts an emulator with qrRefs codes per pair-device and connects a new, unpaired client with its QR
// channel open; the context bounds the whole test.
func startUnpaired(t *testing.T, qrRefs int) (*emu, *testDB, *client, <-chan whatsmeow.QRChannelItem, context.Context) {
	t.Helper()
	e := startEmulator(t, emulator.Config{QRRefs: qrRefs})
	db := newTestDB(t)
	cli := newClient(t, e, db.container(t).NewDevice())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	qr, err := cli.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect: %v", err)
	}
	return e, db, cli, qr, ctx
}
