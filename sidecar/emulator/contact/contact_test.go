package contact_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/wagate/wagate/sidecar/emulator"
	"github.com/wagate/wagate/sidecar/emulator/contact"
	"github.com/wagate/wagate/sidecar/internal/dial"
	"github.com/wagate/wagate/sidecar/internal/testenv"
)

func TestMain(m *testing.M) {
	for _, k := range []string{"PG_HOST", "PG_PORT", "PG_USER", "PG_PASSWORD", "PG_DB"} {
		if os.Getenv(k) == "" {
			fmt.Fprintf(os.Stderr, "contact tests need PostgreSQL: set PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DB (%s is missing)\n", k)
			os.Exit(1)
		}
	}
	dial.Enable(dial.Target{Addr: "per-client", RootPublicKey: emulator.DefaultRootKey().PublicKey()}, zerolog.Nop())
	os.Exit(m.Run())
}

const waitLong = 30 * time.Second

// world is an emulator with virtual contacts whose whatsmeow state lives in a database of its own.
type world struct {
	srv  *emulator.Server
	mgr  *contact.Manager
	base string
}

// newDB creates a fresh database, dropped at the end of the test.
func newDB(t *testing.T) string {
	t.Helper()
	dsn, drop, err := testenv.CreateDB("contact")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	return dsn
}

func newWorld(t *testing.T) *world {
	t.Helper()
	return startWorld(t, newDB(t), "")
}

// startWorld starts an emulator (with stateFile when set) whose contacts keep their state in the database at dsn db.
func startWorld(t *testing.T, db, stateFile string) *world {
	t.Helper()
	store, err := sqlstore.New(context.Background(), "postgres", db, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := emulator.New(emulator.Config{QRRefs: 1, MediaListen: "127.0.0.1:0", StateFile: stateFile, Log: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	mgr := contact.NewManager(srv, store, zerolog.Nop())
	mgr.Register(srv)
	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	w := &world{srv: srv, mgr: mgr, base: "http://" + srv.ControlAddr()}
	t.Cleanup(func() { w.stop(); store.Close() })
	return w
}

func (w *world) stop() {
	w.mgr.Close()
	_ = w.srv.Close()
}

func (w *world) call(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	status, out, err := testenv.CallJSON(method, w.base+path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, out
}

func (w *world) must(t *testing.T, method, path string, body any, status int) map[string]any {
	t.Helper()
	got, out := w.call(t, method, path, body)
	if got != status {
		t.Fatalf("%s %s: status %d (%v), want %d", method, path, got, out, status)
	}
	return out
}

func messages(out map[string]any) []map[string]any {
	var list []map[string]any
	for _, m := range out["messages"].([]any) {
		list = append(list, m.(map[string]any))
	}
	return list
}

// await long-polls a contact's log until cond holds for it: each round blocks until the log changes.
func (w *world) await(t *testing.T, phone, what string, cond func([]map[string]any) bool) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for time.Now().Before(deadline) {
		list := messages(w.must(t, http.MethodGet, "/contacts/"+phone+"/messages", nil, http.StatusOK))
		if cond(list) {
			return list
		}
		w.must(t, http.MethodGet, fmt.Sprintf("/contacts/%s/messages?after=%d&waitMs=5000", phone, len(list)), nil, http.StatusOK)
	}
	t.Fatalf("%s: timed out after %s waiting for %s", phone, waitLong, what)
	return nil
}

func byID(list []map[string]any, id string) map[string]any {
	for _, m := range list {
		if m["id"] == id {
			return m
		}
	}
	return nil
}

func hasState(id, state string) func([]map[string]any) bool {
	return func(list []map[string]any) bool {
		m := byID(list, id)
		return m != nil && m["state"] == state
	}
}

// TestTextReceiptsAndReactions: contact A writes to contact B, who sees the plaintext; A's entry goes to delivered,
// then read after B reads it; B replies and reacts.
func TestTextReceiptsAndReactions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	a := w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880001", "name": "Ana"}, http.StatusCreated)
	if a["jid"] != "5511888880001@s.whatsapp.net" || a["deviceJid"] != "5511888880001:1@s.whatsapp.net" ||
		!strings.HasSuffix(a["lid"].(string), "@lid") {
		t.Fatalf("created contact %v", a)
	}
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880002", "name": "Bia"}, http.StatusCreated)
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880002"}, http.StatusConflict)
	if list := w.must(t, http.MethodGet, "/contacts", nil, http.StatusOK)["contacts"].([]any); len(list) != 2 {
		t.Fatalf("contacts %v", list)
	}
	w.must(t, http.MethodPost, "/contacts/5511888880001/send", map[string]string{"to": "5511000000009", "text": "x"}, http.StatusNotFound)

	sent := w.must(t, http.MethodPost, "/contacts/5511888880001/send", map[string]string{"to": "5511888880002", "text": "oi Bia"}, http.StatusOK)
	id := sent["id"].(string)
	got := w.await(t, "5511888880002", "the text", func(l []map[string]any) bool { return byID(l, id) != nil })
	in := byID(got, id)
	if in["direction"] != "in" || in["text"] != "oi Bia" || in["peer"] != "5511888880001" || in["type"] != "text" || in["state"] != "delivered" {
		t.Fatalf("B's entry %v", in)
	}
	w.await(t, "5511888880001", "delivered", hasState(id, "delivered"))
	w.must(t, http.MethodPost, "/contacts/5511888880002/read", map[string]any{"ids": []string{id}}, http.StatusOK)
	w.await(t, "5511888880001", "read", hasState(id, "read"))

	reply := w.must(t, http.MethodPost, "/contacts/5511888880002/send",
		map[string]string{"to": "5511888880001", "text": "oi Ana", "replyTo": id}, http.StatusOK)["id"].(string)
	back := byID(w.await(t, "5511888880001", "the reply", func(l []map[string]any) bool { return byID(l, reply) != nil }), reply)
	if back["text"] != "oi Ana" || back["replyTo"] != id {
		t.Fatalf("A's reply entry %v", back)
	}
	react := w.must(t, http.MethodPost, "/contacts/5511888880002/send",
		map[string]any{"to": "5511888880001", "reaction": map[string]string{"id": id, "emoji": "👍"}}, http.StatusOK)["id"].(string)
	r := byID(w.await(t, "5511888880001", "the reaction", func(l []map[string]any) bool { return byID(l, react) != nil }), react)
	if rr, _ := r["reaction"].(map[string]any); r["type"] != "reaction" || rr["id"] != id || rr["emoji"] != "👍" {
		t.Fatalf("reaction entry %v", r)
	}
}

// TestOfflineContact: messages to an offline contact wait in the emulator's queue with no delivery receipt; when it
// comes back they arrive in order and turn delivered.
func TestOfflineContact(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880011"}, http.StatusCreated)
	b := w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880012"}, http.StatusCreated)
	w.must(t, http.MethodPost, "/contacts/5511888880012/online", map[string]bool{"online": false}, http.StatusOK)
	var ids []string
	for _, txt := range []string{"um", "dois", "três"} {
		ids = append(ids, w.must(t, http.MethodPost, "/contacts/5511888880011/send",
			map[string]string{"to": "5511888880012", "text": txt}, http.StatusOK)["id"].(string))
	}
	linked, _ := w.srv.Devices()
	for _, d := range linked {
		if d.JID == b["deviceJid"] && d.Queued != 3 {
			t.Fatalf("queued for the offline contact: %d, want 3", d.Queued)
		}
	}
	for _, m := range messages(w.must(t, http.MethodGet, "/contacts/5511888880011/messages", nil, http.StatusOK)) {
		if m["state"] != "sent" {
			t.Fatalf("entry %v is %v while the peer is offline", m["id"], m["state"])
		}
	}
	w.must(t, http.MethodPost, "/contacts/5511888880012/online", map[string]bool{"online": true}, http.StatusOK)
	got := w.await(t, "5511888880012", "three messages", func(l []map[string]any) bool { return len(l) == 3 })
	for i, txt := range []string{"um", "dois", "três"} {
		if got[i]["id"] != ids[i] || got[i]["text"] != txt {
			t.Fatalf("entry %d: %v, want %s %q", i, got[i], ids[i], txt)
		}
	}
	for _, id := range ids {
		w.await(t, "5511888880011", "delivered "+id, hasState(id, "delivered"))
	}
}

// TestContactMedia: a document sent by one contact is downloaded and decrypted by the other, byte for byte.
func TestContactMedia(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880021"}, http.StatusCreated)
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880022"}, http.StatusCreated)
	data := bytes.Repeat([]byte("%PDF-1.4 wagate "), 10_000)
	id := w.must(t, http.MethodPost, "/contacts/5511888880021/send", map[string]any{"to": "5511888880022",
		"media": map[string]any{"type": "document", "mimetype": "application/pdf", "base64": data, "fileName": "a.pdf", "caption": "doc"}},
		http.StatusOK)["id"].(string)
	in := byID(w.await(t, "5511888880022", "the document", func(l []map[string]any) bool { return byID(l, id) != nil }), id)
	media := in["media"].(map[string]any)
	want := sha256.Sum256(data)
	if media["sha256"] != hex.EncodeToString(want[:]) || media["fileName"] != "a.pdf" || media["caption"] != "doc" ||
		media["size"].(float64) != float64(len(data)) {
		t.Fatalf("media entry %v", media)
	}
	resp, err := http.Get(w.base + "/contacts/5511888880022/messages/" + id + "/media")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || sha256.Sum256(body) != want {
		t.Fatalf("media download: status %d, type %q, %d bytes", resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
	}
}

// TestRestore: an emulator restarted with the same state file and contacts database reconnects its contacts, and
// a message queued for one of them while everything was down is delivered.
func TestRestore(t *testing.T) {
	t.Parallel()
	db, state := newDB(t), filepath.Join(t.TempDir(), "state.json")
	w := startWorld(t, db, state)
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880031", "name": "Ana"}, http.StatusCreated)
	w.must(t, http.MethodPost, "/contacts", map[string]string{"phone": "5511888880032"}, http.StatusCreated)
	w.must(t, http.MethodPost, "/contacts/5511888880032/online", map[string]bool{"online": false}, http.StatusOK)
	id := w.must(t, http.MethodPost, "/contacts/5511888880031/send", map[string]string{"to": "5511888880032", "text": "guardada"},
		http.StatusOK)["id"].(string)
	w.stop()

	w2 := startWorld(t, db, state)
	if err := w2.mgr.Restore(context.Background()); err != nil {
		t.Fatal(err)
	}
	list := w2.must(t, http.MethodGet, "/contacts", nil, http.StatusOK)["contacts"].([]any)
	if len(list) != 2 || list[0].(map[string]any)["name"] != "Ana" || list[1].(map[string]any)["connected"] != true {
		t.Fatalf("restored contacts %v", list)
	}
	got := w2.await(t, "5511888880032", "the queued message", func(l []map[string]any) bool { return byID(l, id) != nil })
	if m := byID(got, id); m["text"] != "guardada" {
		t.Fatalf("entry %v", m)
	}
}
