package emulator

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rs/zerolog"
)

func openRegistry(t *testing.T, path string) *registry {
	t.Helper()
	r, err := newRegistry(path, zerolog.Nop())
	if err != nil {
		t.Fatalf("open registry: %v", err)
	}
	return r
}

// linkDevice does what a pairing and the first prekey upload do to the registry.
func linkDevice(t *testing.T, r *registry, phone string) *Device {
	t.Helper()
	a, err := r.allocate(phone)
	if err != nil {
		t.Fatalf("allocate: %v", err)
	}
	d := &Device{Phone: phone, DeviceID: a.deviceID, KeyIndex: a.keyIndex}
	d.JID = d.adJID().String()
	if err := r.add(d); err != nil {
		t.Fatalf("add: %v", err)
	}
	r.mu.Lock()
	d.Keys = &DeviceKeys{Identity: []byte{1, 2, 3}, OneTime: []PreKey{{ID: []byte{0, 0, 1}, Pub: []byte{9}}}}
	d.PreKeys = 1
	r.touchDeviceLocked(d.JID)
	r.mu.Unlock()
	return d
}

// drain is one turn of the write loop.
func drain(r *registry) {
	r.mu.Lock()
	r.saveOrWarnLocked(r.pendingLocked()...)
	r.mu.Unlock()
}

// TestJournalSurvivesACrash: changes reach the journal without rewriting the snapshot, and an emulator that was
// never closed (kill -9) finds them all, then starts again from one snapshot.
func TestJournalSurvivesACrash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	r := openRegistry(t, path)
	kept := linkDevice(t, r, "5511900000001")
	gone := linkDevice(t, r, "5511900000002")
	drain(r)
	r.mu.Lock()
	r.st.Queues[kept.JID] = []*Queued{{Class: "message", ID: "m1", Node: []byte("x")}}
	r.touchQueueLocked(kept.JID)
	r.mu.Unlock()
	drain(r)
	if !r.unlink(gone.JID) {
		t.Fatal("unlink refused")
	}
	if _, err := os.Stat(path); err == nil {
		t.Fatal("the snapshot was written for changes the journal holds")
	}

	again := openRegistry(t, path) // r is abandoned, as a killed process would be
	d, ok := again.get(kept.JID)
	if !ok || d.Keys == nil || len(d.Keys.OneTime) != 1 || d.PreKeys != 1 {
		t.Fatalf("device after restart: %+v (found %v)", d, ok)
	}
	if _, ok := again.get(gone.JID); ok {
		t.Fatal("an unlinked device came back")
	}
	if q := again.st.Queues[kept.JID]; len(q) != 1 || q[0].ID != "m1" {
		t.Fatalf("queue after restart: %+v", q)
	}
	if p := again.st.Phones["5511900000001"]; p == nil || p.NextDevice != 2 {
		t.Fatalf("phone after restart: %+v", p)
	}
	if _, err := os.Stat(journalPath(path)); err == nil {
		t.Fatal("the journal was not folded into the snapshot at start")
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("no snapshot after start: %v", err)
	}
}

// TestJournalTornLine: a line cut short by a crash is ignored, and the lines before it are kept.
func TestJournalTornLine(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	r := openRegistry(t, path)
	d := linkDevice(t, r, "5511900000003")
	f, err := os.OpenFile(journalPath(path), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(`{"device":{"jid":"5511900000009:1@s.whatsapp.net","pho`); err != nil {
		t.Fatal(err)
	}
	f.Close()
	again := openRegistry(t, path)
	if _, ok := again.get(d.JID); !ok {
		t.Fatal("the device before the torn line was lost")
	}
	if len(again.st.Devices) != 1 {
		t.Fatalf("devices after a torn line: %d, want 1", len(again.st.Devices))
	}
}

// TestJournalFoldedWhenLarge: once the journal outgrows the snapshot, it is folded into a new snapshot, which holds
// everything; a clean stop folds it too.
func TestJournalFoldedWhenLarge(t *testing.T) {
	defer func(old int64) { compactSlack = old }(compactSlack)
	compactSlack = 4 << 10
	path := filepath.Join(t.TempDir(), "state.json")
	r := openRegistry(t, path)
	for i := range 40 {
		linkDevice(t, r, "55119000001"+string(rune('0'+i/10))+string(rune('0'+i%10)))
		drain(r)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no snapshot after 40 devices: %v", err)
	}
	if r.journalBytes > 2*r.snapshotBytes+compactSlack {
		t.Fatalf("journal of %d bytes beside a snapshot of %d", r.journalBytes, info.Size())
	}
	r.flush()
	if _, err := os.Stat(journalPath(path)); err == nil {
		t.Fatal("a clean stop left a journal")
	}
	if n := len(openRegistry(t, path).st.Devices); n != 40 {
		t.Fatalf("devices after restart: %d, want 40", n)
	}
}

// TestWriteStateFileDropsAStaleJournal: a seeded state file is not overlaid with an earlier emulator's journal.
func TestWriteStateFileDropsAStaleJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	linkDevice(t, openRegistry(t, path), "5511900000004")
	if err := WriteStateFile(path, []Device{{Phone: "5511900000005", DeviceID: 1}}); err != nil {
		t.Fatal(err)
	}
	r := openRegistry(t, path)
	if len(r.st.Devices) != 1 || r.st.Devices["5511900000005:1@s.whatsapp.net"] == nil {
		t.Fatalf("devices: %v", r.st.Devices)
	}
}
