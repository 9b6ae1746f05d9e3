package emulator_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	_ "github.com/lib/pq"
	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/wagate/wagate/sidecar/emulator"
	"github.com/wagate/wagate/sidecar/internal/dial"
	"github.com/wagate/wagate/sidecar/internal/testenv"
)

// whatsmeow's trust root and keepalive timing are process globals, so they are set once here.
func TestMain(m *testing.M) {
	var missing []string
	for _, k := range []string{"PG_HOST", "PG_PORT", "PG_USER", "PG_PASSWORD", "PG_DB"} {
		if os.Getenv(k) == "" {
			missing = append(missing, k)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "emulator tests need PostgreSQL: set %s (e.g. PG_HOST=127.0.0.1 PG_PORT=55433 PG_USER=app PG_PASSWORD=app PG_DB=app)\n",
			strings.Join(missing, ", "))
		os.Exit(1)
	}
	dial.Enable(dial.Target{Addr: "per-client", RootPublicKey: emulator.DefaultRootKey().PublicKey()}, zerolog.Nop())
	whatsmeow.KeepAliveIntervalMin = 400 * time.Millisecond
	whatsmeow.KeepAliveIntervalMax = 800 * time.Millisecond
	whatsmeow.KeepAliveResponseDeadline = 4 * time.Second
	os.Exit(m.Run())
}

const waitLong = 30 * time.Second

func pgDSN(db string) string {
	u := url.URL{Scheme: "postgres", User: url.UserPassword(os.Getenv("PG_USER"), os.Getenv("PG_PASSWORD")),
		Host: os.Getenv("PG_HOST") + ":" + os.Getenv("PG_PORT"), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String()
}

// testDB creates a fresh database for one test and drops it afterwards, so parallel tests never share rows.
type testDB struct {
	name string
	dsn  string
	sql  *sql.DB
}

func newTestDB(t *testing.T) *testDB {
	t.Helper()
	admin, err := sql.Open("postgres", pgDSN(os.Getenv("PG_DB")))
	if err != nil {
		t.Fatal(err)
	}
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	name := "emu_" + strings.ToLower(strings.ReplaceAll(t.Name(), "/", "_")) + "_" + hex.EncodeToString(suffix)
	if len(name) > 60 {
		name = name[len(name)-60:]
	}
	if _, err := admin.Exec(`CREATE DATABASE "` + name + `"`); err != nil {
		admin.Close()
		t.Fatalf("create database %s: %v", name, err)
	}
	db, err := sql.Open("postgres", pgDSN(name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db.Close()
		// FORCE may not terminate an autovacuum worker that just entered the fresh database (SQLSTATE 42501, the
		// app role cannot signal it); the worker leaves within moments, so the drop is tried again for a while
		drop := func() error {
			_, err := admin.Exec(`DROP DATABASE IF EXISTS "` + name + `" WITH (FORCE)`)
			return err
		}
		deadline := time.Now().Add(5 * time.Second)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		err := drop()
		for err != nil && time.Now().Before(deadline) {
			<-tick.C
			err = drop()
		}
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
		admin.Close()
	})
	return &testDB{name: name, dsn: pgDSN(name), sql: db}
}

func (db *testDB) container(t *testing.T) *sqlstore.Container {
	t.Helper()
	c, err := sqlstore.New(context.Background(), "postgres", db.dsn, nil)
	if err != nil {
		t.Fatalf("sqlstore: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (db *testDB) deviceRows(t *testing.T, jid string) int {
	t.Helper()
	var n int
	if err := db.sql.QueryRow(`SELECT count(*) FROM whatsmeow_device WHERE jid=$1`, jid).Scan(&n); err != nil {
		t.Fatalf("count device rows: %v", err)
	}
	return n
}

type emu struct {
	*emulator.Server
	base string
}

func startEmulator(t *testing.T, cfg emulator.Config) *emu {
	t.Helper()
	if cfg.QRRefs == 0 {
		cfg.QRRefs = 6
	}
	if cfg.MediaListen == "" {
		cfg.MediaListen = "127.0.0.1:0"
	}
	if os.Getenv("EMU_TEST_DEBUG") != "" {
		cfg.Log = zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.DebugLevel)
	} else {
		cfg.Log = zerolog.Nop()
	}
	s, err := emulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return &emu{Server: s, base: "http://" + s.ControlAddr()}
}

// call does one control-API request and decodes the JSON answer.
func (e *emu) call(t *testing.T, method, path string, body any) (int, map[string]any) {
	t.Helper()
	status, out, err := testenv.CallJSON(method, e.base+path, body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return status, out
}

func (e *emu) mustCall(t *testing.T, method, path string, body any) map[string]any {
	t.Helper()
	status, out := e.call(t, method, path, body)
	if status != http.StatusOK {
		t.Fatalf("%s %s: status %d, answer %v", method, path, status, out)
	}
	return out
}

// device returns the /devices entry for jid, or nil.
func (e *emu) device(t *testing.T, jid string) map[string]any {
	t.Helper()
	return e.entry(t, "devices", jid)
}

// unlinked returns the tombstone of a logged-out device from the /devices "unlinked" list, or nil.
func (e *emu) unlinked(t *testing.T, jid string) map[string]any {
	t.Helper()
	return e.entry(t, "unlinked", jid)
}

func (e *emu) entry(t *testing.T, key, jid string) map[string]any {
	t.Helper()
	out := e.mustCall(t, http.MethodGet, "/devices", nil)
	list, _ := out[key].([]any)
	for _, d := range list {
		m, _ := d.(map[string]any)
		if m["jid"] == jid {
			return m
		}
	}
	return nil
}

// client wraps a whatsmeow client with an event log the tests wait on.
type client struct {
	*whatsmeow.Client
	events chan any
}

func newClient(t *testing.T, e *emu, dev *store.Device) *client {
	t.Helper()
	var log waLog.Logger = waLog.Noop
	if os.Getenv("EMU_TEST_DEBUG") != "" {
		log = waLog.Stdout(t.Name(), "DEBUG", false)
	}
	c := &client{Client: whatsmeow.NewClient(dev, log), events: make(chan any, 4096)}
	dial.Apply(c.Client, dial.Target{Addr: e.WSAddr(), RootPublicKey: e.RootPublicKey(), MediaAddr: e.MediaAddr()})
	c.AddEventHandler(func(evt any) {
		select {
		case c.events <- evt:
		default:
			t.Errorf("event buffer full, dropped %T", evt)
		}
	})
	t.Cleanup(c.Disconnect)
	return c
}

// waitEvent returns the next event of type T, skipping others; it fails the test after d.
func waitEvent[T any](t *testing.T, c *client, d time.Duration) T {
	t.Helper()
	deadline := time.After(d)
	for {
		select {
		case evt := <-c.events:
			if v, ok := evt.(T); ok {
				return v
			}
		case <-deadline:
			var zero T
			t.Fatalf("no %s event within %s", reflect.TypeOf(zero), d)
			return zero
		}
	}
}

// eventually polls cond every 50 ms until it holds or d passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.After(d)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline:
			t.Fatalf("timed out after %s waiting for %s", d, what)
		case <-tick.C:
		}
	}
}

// pairQR links a fresh device through the QR flow and waits until it is logged in.
func pairQR(t *testing.T, e *emu, db *testDB, phone string) (*client, *sqlstore.Container, string) {
	t.Helper()
	container := db.container(t)
	cli := newClient(t, e, container.NewDevice())
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	defer cancel()
	qr, err := cli.GetQRChannel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := cli.Connect(); err != nil {
		t.Fatalf("connect: %v", err)
	}
	item := <-qr
	if item.Event != whatsmeow.QRChannelEventCode {
		t.Fatalf("first QR channel item is %q, want a code", item.Event)
	}
	out := e.mustCall(t, http.MethodPost, "/phone/scan", map[string]string{"qr": item.Code, "phone": phone})
	jid, _ := out["jid"].(string)
	if !strings.HasPrefix(jid, phone+":") {
		t.Fatalf("scan answered jid %q for phone %s", jid, phone)
	}
	ps := waitEvent[*events.PairSuccess](t, cli, waitLong)
	if ps.ID.String() != jid {
		t.Fatalf("PairSuccess for %s, emulator said %s", ps.ID, jid)
	}
	waitEvent[*events.Connected](t, cli, waitLong)
	return cli, container, jid
}

func parseJID(t *testing.T, s string) types.JID {
	t.Helper()
	j, err := types.ParseJID(s)
	if err != nil {
		t.Fatal(err)
	}
	return j
}
