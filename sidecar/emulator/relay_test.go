package emulator_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	"github.com/wagate/wagate/sidecar/emulator"
)

// peer is a paired whatsmeow client ready to message: its keys are on the emulator.
type peer struct {
	*client
	phone string
	jid   string // device JID
	pn    types.JID
	store *sqlstore.Container
}

func pairPeer(t *testing.T, e *emu, db *testDB, phone string) *peer {
	t.Helper()
	cli, container, jid := pairQR(t, e, db, phone)
	eventually(t, waitLong, phone+" uploads its prekeys", func() bool {
		d := e.device(t, jid)
		return d != nil && d["prekeys"].(float64) > 0
	})
	return &peer{client: cli, phone: phone, jid: jid, pn: types.NewJID(phone, types.DefaultUserServer), store: container}
}

// twoPeers starts an emulator with two paired peers on it.
func twoPeers(t *testing.T, phoneA, phoneB string) (*emu, *peer, *peer) {
	t.Helper()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	db := newTestDB(t)
	return e, pairPeer(t, e, db, phoneA), pairPeer(t, e, db, phoneB)
}

// warmUp sends a first message and waits until the recipient has it, so both Signal sessions exist.
func (p *peer) warmUp(t *testing.T, to *peer) whatsmeow.SendResponse {
	t.Helper()
	warm := p.sendText(t, to, "warm-up")
	if m := to.nextMessage(t); m.Info.ID != warm.ID {
		t.Fatalf("warm-up not received: got %s", m.Info.ID)
	}
	return warm
}

func (p *peer) sendText(t *testing.T, to *peer, text string) whatsmeow.SendResponse {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	resp, err := p.SendMessage(ctx, to.pn, &waE2E.Message{Conversation: proto.String(text)})
	if err != nil {
		t.Fatalf("%s sends %q: %v", p.phone, text, err)
	}
	return resp
}

// nextMessage returns the next decrypted message the peer receives (other events are skipped).
func (p *peer) nextMessage(t *testing.T) *events.Message {
	t.Helper()
	return waitEvent[*events.Message](t, p.client, waitLong)
}

// waitReceipt waits for a receipt of the given type for id; other events are skipped.
func (p *peer) waitReceipt(t *testing.T, id types.MessageID, typ types.ReceiptType) *events.Receipt {
	t.Helper()
	deadline := time.After(waitLong)
	for {
		select {
		case evt := <-p.events:
			if r, ok := evt.(*events.Receipt); ok && r.Type == typ && contains(r.MessageIDs, id) {
				return r
			}
		case <-deadline:
			t.Fatalf("%s: no %q receipt for %s within %s", p.phone, typ, id, waitLong)
			return nil
		}
	}
}

func contains(ids []types.MessageID, id types.MessageID) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

func text(m *events.Message) string {
	if c := m.Message.GetConversation(); c != "" {
		return c
	}
	return m.Message.GetExtendedTextMessage().GetText()
}

// TestTextRelay: whatsmeow to whatsmeow through the emulator, both ways, with the server ack time, both address
// forms of the sender, delivery and read receipts, and a duplicate id that is acked but not relayed again.
func TestTextRelay(t *testing.T) {
	t.Parallel()
	e, a, b := twoPeers(t, "5511977770001", "5511977770002")

	sent := a.sendText(t, b, "hello b")
	if sent.Timestamp.IsZero() || time.Since(sent.Timestamp) > time.Minute {
		t.Fatalf("server ack time %v", sent.Timestamp)
	}
	got := b.nextMessage(t)
	if got.Info.ID != sent.ID || text(got) != "hello b" {
		t.Fatalf("b got %s %q, want %s %q", got.Info.ID, text(got), sent.ID, "hello b")
	}
	aDev := e.device(t, a.jid)
	if got.Info.Sender.Server != types.HiddenUserServer || got.Info.Sender.String() != aDev["lid"] {
		t.Fatalf("sender %s, want a's LID device %s", got.Info.Sender, aDev["lid"])
	}
	if got.Info.SenderAlt.User != a.phone || got.Info.SenderAlt.Server != types.DefaultUserServer {
		t.Fatalf("sender_pn %s, want %s", got.Info.SenderAlt, a.phone)
	}
	a.waitReceipt(t, sent.ID, types.ReceiptTypeDelivered)
	if err := b.MarkRead(context.Background(), []types.MessageID{sent.ID}, time.Now(), got.Info.Chat, got.Info.Sender); err != nil {
		t.Fatal(err)
	}
	a.waitReceipt(t, sent.ID, types.ReceiptTypeRead)

	reply := b.sendText(t, a, "hello a")
	if back := a.nextMessage(t); back.Info.ID != reply.ID || text(back) != "hello a" {
		t.Fatalf("a got %s %q, want %s", back.Info.ID, text(back), reply.ID)
	}

	// The same id again: acked with the first copy's time, and b never sees it twice.
	ctx := context.Background()
	again, err := a.SendMessage(ctx, b.pn, &waE2E.Message{Conversation: proto.String("hello b")}, whatsmeow.SendRequestExtra{ID: sent.ID})
	if err != nil {
		t.Fatalf("resend of the same id: %v", err)
	}
	if !again.Timestamp.Equal(sent.Timestamp) {
		t.Fatalf("duplicate acked with t=%v, first copy had %v", again.Timestamp, sent.Timestamp)
	}
	marker := a.sendText(t, b, "after the duplicate")
	if next := b.nextMessage(t); next.Info.ID != marker.ID {
		t.Fatalf("b got %s (%q) before the marker %s: the duplicate was relayed", next.Info.ID, text(next), marker.ID)
	}
	if q := e.device(t, b.jid)["queued"].(float64); q != 0 {
		eventually(t, waitLong, "b's queue drains", func() bool { return e.device(t, b.jid)["queued"].(float64) == 0 })
	}
	out := e.mustCall(t, http.MethodGet, "/traffic?limit=10000", nil)
	entries, _ := out["entries"].([]any)
	if len(entries) == 0 {
		t.Fatal("traffic log is empty after a conversation")
	}
	// The SSE stream replays the same entries from the start.
	resp, err := http.Get(e.base + "/traffic/stream?after=0")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	line, err := bufio.NewReader(resp.Body).ReadString('\n')
	if err != nil || resp.Header.Get("Content-Type") != "text/event-stream" || line != "id: 1\n" {
		t.Fatalf("SSE stream: %q %v (%s)", line, err, resp.Header.Get("Content-Type"))
	}
}

// TestOfflineQueue: messages to a disconnected device wait in its queue (visible in /devices), are flushed in order
// at its next login, and no delivery receipt reaches the sender before that.
func TestOfflineQueue(t *testing.T) {
	t.Parallel()
	e, a, b := twoPeers(t, "5511977770011", "5511977770012")
	warm := a.warmUp(t, b)
	a.waitReceipt(t, warm.ID, types.ReceiptTypeDelivered) // b processed it, so it left b's queue
	b.Disconnect()
	eventually(t, waitLong, "b disconnected", func() bool { return e.device(t, b.jid)["connected"] == false })
	var ids []types.MessageID
	for _, txt := range []string{"one", "two", "three"} {
		ids = append(ids, a.sendText(t, b, txt).ID)
	}
	if q := e.device(t, b.jid)["queued"].(float64); q != 3 {
		t.Fatalf("queued for b: %v, want 3", q)
	}
	for _, evt := range drain(a.client) {
		if r, ok := evt.(*events.Receipt); ok && r.Type == types.ReceiptTypeDelivered && contains(ids, r.MessageIDs[0]) {
			t.Fatalf("delivery receipt for %v while b is offline", r.MessageIDs)
		}
	}
	if err := b.Connect(); err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"one", "two", "three"} {
		if m := b.nextMessage(t); m.Info.ID != ids[i] || text(m) != want {
			t.Fatalf("flushed message %d: %s %q, want %s %q", i, m.Info.ID, text(m), ids[i], want)
		}
	}
	for _, id := range ids {
		a.waitReceipt(t, id, types.ReceiptTypeDelivered)
	}
	eventually(t, waitLong, "b's queue drains", func() bool { return e.device(t, b.jid)["queued"].(float64) == 0 })
}

// TestQueueSurvivesRestart: a stanza queued for an offline device is kept in --state-file and delivered by the
// next emulator process.
func TestQueueSurvivesRestart(t *testing.T) {
	t.Parallel()
	state := filepath.Join(t.TempDir(), "state.json")
	e := startEmulator(t, emulator.Config{QRRefs: 1, StateFile: state})
	db := newTestDB(t)
	a := pairPeer(t, e, db, "5511977770051")
	b := pairPeer(t, e, db, "5511977770052")
	b.Disconnect()
	eventually(t, waitLong, "b disconnected", func() bool { return e.device(t, b.jid)["connected"] == false })
	kept := a.sendText(t, b, "kept across a restart")
	a.Disconnect()
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e2 := startEmulator(t, emulator.Config{QRRefs: 1, StateFile: state})
	if q := e2.device(t, b.jid)["queued"].(float64); q != 1 {
		t.Fatalf("queued for b after the restart: %v, want 1", q)
	}
	dev, err := b.store.GetDevice(context.Background(), parseJID(t, b.jid))
	if err != nil || dev == nil {
		t.Fatalf("load b: %v", err)
	}
	b2 := &peer{client: newClient(t, e2, dev), phone: b.phone, jid: b.jid, pn: b.pn}
	if err := b2.Connect(); err != nil {
		t.Fatal(err)
	}
	if m := b2.nextMessage(t); m.Info.ID != kept.ID || text(m) != "kept across a restart" {
		t.Fatalf("b got %s %q after the restart", m.Info.ID, text(m))
	}
	eventually(t, waitLong, "b's queue drains", func() bool { return e2.device(t, b.jid)["queued"].(float64) == 0 })
}

// drain returns the events buffered so far without waiting.
func drain(c *client) []any {
	var out []any
	for {
		select {
		case evt := <-c.events:
			out = append(out, evt)
		default:
			return out
		}
	}
}

// TestMediaRelay: whatsmeow uploads an encrypted blob to --media, the recipient downloads and decrypts the same bytes.
func TestMediaRelay(t *testing.T) {
	t.Parallel()
	_, a, b := twoPeers(t, "5511977770021", "5511977770022")
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	data := bytes.Repeat([]byte("wagate media "), 20_000)
	up, err := a.Upload(ctx, data, whatsmeow.MediaImage)
	if err != nil {
		t.Fatalf("upload: %v", err)
	}
	img := &waE2E.ImageMessage{
		URL: proto.String(up.URL), DirectPath: proto.String(up.DirectPath), MediaKey: up.MediaKey,
		Mimetype: proto.String("image/png"), FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256,
		FileLength: proto.Uint64(up.FileLength), Caption: proto.String("a caption"),
	}
	if _, err := a.SendMessage(ctx, b.pn, &waE2E.Message{ImageMessage: img}); err != nil {
		t.Fatal(err)
	}
	got := b.nextMessage(t).Message.GetImageMessage()
	if got.GetCaption() != "a caption" {
		t.Fatalf("caption %q", got.GetCaption())
	}
	plain, err := b.Download(ctx, got)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	if sha256.Sum256(plain) != sha256.Sum256(data) {
		t.Fatalf("downloaded %d bytes that differ from the %d sent", len(plain), len(data))
	}
}

// TestDoubleLogin: a second client of the same device logs in while the first is connected: the first is told it
// was replaced, and maxConcurrentConnections shows 2 until reset-counters.
func TestDoubleLogin(t *testing.T) {
	t.Parallel()
	e := startEmulator(t, emulator.Config{QRRefs: 1})
	db := newTestDB(t)
	first, container, jid := pairQR(t, e, db, "5511977770031")
	dev, err := container.GetDevice(context.Background(), parseJID(t, jid))
	if err != nil || dev == nil {
		t.Fatalf("load device: %v", err)
	}
	second := newClient(t, e, dev)
	if err := second.Connect(); err != nil {
		t.Fatal(err)
	}
	waitEvent[*events.StreamReplaced](t, first, waitLong)
	d := e.device(t, jid)
	if d["maxConcurrentConnections"].(float64) != 2 {
		t.Fatalf("maxConcurrentConnections %v after a double login, want 2", d["maxConcurrentConnections"])
	}
	eventually(t, waitLong, "the replaced socket closes", func() bool {
		return e.device(t, jid)["openConnections"].(float64) == 1
	})
	e.mustCall(t, http.MethodPost, "/devices/reset-counters", nil)
	if d := e.device(t, jid); d["maxConcurrentConnections"].(float64) != 1 || d["logins"].(float64) != 0 {
		t.Fatalf("after reset: %v", d)
	}
}

// TestMessageFaults: a dropped message is acked but never delivered (no delivery receipt); a corrupted one is
// retried by whatsmeow after the recipient's retry receipt and arrives once.
func TestMessageFaults(t *testing.T) {
	t.Parallel()
	e, a, b := twoPeers(t, "5511977770041", "5511977770042")
	a.warmUp(t, b)
	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"dropMessages": 1})
	dropped := a.sendText(t, b, "dropped")
	kept := a.sendText(t, b, "kept")
	if m := b.nextMessage(t); m.Info.ID != kept.ID {
		t.Fatalf("b got %s %q, want only the message after the dropped one", m.Info.ID, text(m))
	}
	a.waitReceipt(t, kept.ID, types.ReceiptTypeDelivered)
	for _, evt := range drain(a.client) {
		if r, ok := evt.(*events.Receipt); ok && contains(r.MessageIDs, dropped.ID) {
			t.Fatalf("receipt %q for the dropped message", r.Type)
		}
	}

	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"corruptMessages": 1})
	bad := a.sendText(t, b, "corrupted once")
	if m := b.nextMessage(t); m.Info.ID != bad.ID || text(m) != "corrupted once" {
		t.Fatalf("b got %s %q, want the retried message", m.Info.ID, text(m))
	}
	marker := a.sendText(t, b, "marker")
	if m := b.nextMessage(t); m.Info.ID != marker.ID {
		t.Fatalf("b got %s %q before the marker: the retried message arrived twice", m.Info.ID, text(m))
	}
	out := e.mustCall(t, http.MethodGet, "/traffic?limit=10000", nil)
	retries := 0
	for _, raw := range out["entries"].([]any) {
		en := raw.(map[string]any)
		if en["kind"] == "receipt" && en["type"] == "retry" && en["id"] == bad.ID {
			retries++
		}
	}
	if retries == 0 {
		t.Fatal("no retry receipt in the traffic log for the corrupted message")
	}

	e.mustCall(t, http.MethodPost, "/faults", map[string]any{"messageAckError": 479})
	if _, err := a.SendMessage(context.Background(), b.pn, &waE2E.Message{Conversation: proto.String("refused")}); err == nil ||
		!strings.Contains(err.Error(), "479") {
		t.Fatalf("send with messageAckError 479: err %v", err)
	}
}
