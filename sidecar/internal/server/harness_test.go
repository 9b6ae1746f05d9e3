package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"

	"github.com/wagate/wagate/sidecar/emulator"
	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/dial"
	"github.com/wagate/wagate/sidecar/internal/events"
	"github.com/wagate/wagate/sidecar/internal/server"
	"github.com/wagate/wagate/sidecar/internal/session"
	"github.com/wagate/wagate/sidecar/internal/store"
	"github.com/wagate/wagate/sidecar/internal/testenv"
)

// waitLong bounds every wait on an asynchronous outcome; nothing here asserts on how fast things are.
const waitLong = 30 * time.Second

// container is the package's whatsmeow store, in a database of its own (see TestMain); inbox is the sidecar's
// inbound-event table in the same database.
var (
	container *sqlstore.Container
	inbox     *store.Inbox
)

func TestMain(m *testing.M) {
	dsn, drop, err := testenv.CreateDB("sidecar_server_test")
	if err != nil {
		fmt.Fprintln(os.Stderr, "server tests:", err)
		os.Exit(1)
	}
	// whatsmeow's trust root and keep-alive timing are process globals; the emulator's default root signs
	// every emulator started here. Short keep-alives make the tests exercise pings.
	dial.Enable(dial.Target{Addr: "per-test", RootPublicKey: emulator.DefaultRootKey().PublicKey()}, zerolog.Nop())
	whatsmeow.KeepAliveIntervalMin = time.Second
	whatsmeow.KeepAliveIntervalMax = 2 * time.Second
	ctx := context.Background()
	c, db, err := store.Open(ctx, dsn, zerolog.Nop())
	if err == nil {
		err = store.Upgrade(ctx, c)
	}
	if err == nil {
		inbox = store.NewInbox(db)
		err = inbox.Ensure(ctx)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "server tests:", err)
		drop()
		os.Exit(1)
	}
	container = c
	code := m.Run()
	_ = db.Close()
	drop()
	os.Exit(code)
}

// harness is one emulator plus one sidecar server (real gRPC over bufconn) for one test.
type harness struct {
	t            *testing.T
	emu          *emulator.Server
	emulatorMode bool
	control      string
	client       sidecarv1.SidecarServiceClient
	hub          *events.Hub
	events       *eventLog
	// stopSidecar ends the sidecar's pieces (idempotent); the emulator keeps running.
	stopSidecar func()
}

func newHarness(t *testing.T) *harness { return newHarnessWith(t, true, 2) }

// newHarnessMode with emulatorMode false gives a sidecar that would dial the real WhatsApp (only tests whose
// connections fail locally, e.g. at a closed proxy port, may use it).
func newHarnessMode(t *testing.T, emulatorMode bool) *harness {
	return newHarnessWith(t, emulatorMode, 2)
}

// newHarnessWith also sets how many QR codes the emulator issues per pairing (whatsmeow shows each for 20 s).
func newHarnessWith(t *testing.T, emulatorMode bool, qrRefs int) *harness {
	t.Helper()
	emu, err := emulator.New(emulator.Config{QRRefs: qrRefs, Log: zerolog.Nop(), MediaListen: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	if err := emu.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = emu.Close() })

	h := &harness{t: t, emu: emu, control: "http://" + emu.ControlAddr(), emulatorMode: emulatorMode}
	h.startSidecar()
	return h
}

// startSidecar starts the process-level pieces of a sidecar (hub, session manager, gRPC server) over the package's
// database and the harness's emulator, and subscribes to its events. A second call after stopSidecar is a restart.
func (h *harness) startSidecar() {
	t := h.t
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel)
	hub := events.NewHub(0, 0)
	opts := session.Options{
		ReconnectBaseBackoff: 100 * time.Millisecond,
		ReconnectMaxBackoff:  400 * time.Millisecond,
		Inbox:                inbox,
	}
	if h.emulatorMode {
		opts.Emulator = &dial.Target{Addr: h.emu.WSAddr(), RootPublicKey: h.emu.RootPublicKey(), MediaAddr: h.emu.MediaAddr()}
	}
	mgr := session.NewManager(container, hub, log, opts)
	srv := server.New(hub, log)
	srv.SetManager(mgr)
	lis := bufconn.Listen(1 << 20)
	gs := grpc.NewServer()
	sidecarv1.RegisterSidecarServiceServer(gs, srv)
	go func() { _ = gs.Serve(lis) }()
	conn, err := grpc.NewClient("passthrough:///bufnet",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return lis.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	h.stopSidecar = func() {
		once.Do(func() {
			mgr.Close()
			srv.Shutdown()
			_ = conn.Close()
			gs.Stop()
		})
	}
	t.Cleanup(h.stopSidecar)
	h.client, h.hub = sidecarv1.NewSidecarServiceClient(conn), hub
	h.events = h.subscribe("", 0)
}

func (h *harness) ctx() context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitLong)
	h.t.Cleanup(cancel)
	return ctx
}

// eventLog collects one StreamEvents subscription so tests can wait for events without sleeping.
type eventLog struct {
	t       *testing.T
	mu      sync.Mutex
	all     []*sidecarv1.Event
	first   *sidecarv1.StreamEventsResponse
	boot    *sidecarv1.Boot
	changed chan struct{}
	err     error
	cancel  context.CancelFunc
}

func (h *harness) subscribe(bootID string, afterSeq uint64) *eventLog {
	h.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stream, err := h.client.StreamEvents(ctx, &sidecarv1.StreamEventsRequest{BootId: bootID, AfterSeq: afterSeq})
	if err != nil {
		cancel()
		h.t.Fatal(err)
	}
	l := &eventLog{t: h.t, changed: make(chan struct{}), cancel: cancel}
	h.t.Cleanup(cancel)
	go func() {
		for {
			resp, err := stream.Recv()
			l.mu.Lock()
			if err != nil {
				l.err = err
			} else if resp.GetBoot() != nil {
				l.boot = resp.GetBoot()
			} else {
				if l.first == nil {
					l.first = resp
				}
				l.all = append(l.all, resp.GetEvent())
			}
			close(l.changed)
			l.changed = make(chan struct{})
			l.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return l
}

// snapshot returns the events of instance (all instances when empty) seen so far.
func (l *eventLog) snapshot(instance string) []*sidecarv1.Event {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*sidecarv1.Event
	for _, e := range l.all {
		if instance == "" || e.GetInstanceId() == instance {
			out = append(out, e)
		}
	}
	return out
}

// waitFor waits until instance has an event of kind after position from (in that instance's events) and
// returns it with its position.
func (l *eventLog) waitFor(instance string, kind sidecarv1.EventKind, from int) (*sidecarv1.Event, int) {
	l.t.Helper()
	deadline := time.After(waitLong)
	for {
		l.mu.Lock()
		idx := 0
		for _, e := range l.all {
			if e.GetInstanceId() != instance {
				continue
			}
			if idx >= from && e.GetKind() == kind {
				l.mu.Unlock()
				return e, idx
			}
			idx++
		}
		ch, err := l.changed, l.err
		l.mu.Unlock()
		if err != nil {
			l.t.Fatalf("event stream ended while waiting for %s on %s: %v", kind, instance, err)
		}
		select {
		case <-ch:
		case <-deadline:
			l.t.Fatalf("no %s event for %s within %s; got %v", kind, instance, waitLong, kinds(l.snapshot(instance)))
		}
	}
}

// quiet waits d and fails if instance gets an event of one of the kinds meanwhile.
func (l *eventLog) quiet(instance string, from int, d time.Duration, forbidden ...sidecarv1.EventKind) {
	l.t.Helper()
	deadline := time.After(d)
	for {
		evs := l.snapshot(instance)
		for _, e := range evs[min(from, len(evs)):] {
			for _, k := range forbidden {
				if e.GetKind() == k {
					l.t.Fatalf("unexpected %s event for %s: %v", k, instance, kinds(evs))
				}
			}
		}
		l.mu.Lock()
		ch := l.changed
		l.mu.Unlock()
		select {
		case <-ch:
		case <-deadline:
			return
		}
	}
}

func kinds(evs []*sidecarv1.Event) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.GetKind().String()
		if e.GetReason() != "" {
			out[i] += "(" + e.GetReason() + ")"
		}
	}
	return out
}

func countKind(evs []*sidecarv1.Event, kind sidecarv1.EventKind) int {
	n := 0
	for _, e := range evs {
		if e.GetKind() == kind {
			n++
		}
	}
	return n
}

// post calls the emulator's control API and decodes the JSON answer into out (when non-nil).
func (h *harness) post(path string, body any, out any) int {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	resp, err := http.Post(h.control+path, "application/json", rd)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if out != nil {
		_ = json.NewDecoder(resp.Body).Decode(out)
	}
	return resp.StatusCode
}

func (h *harness) devicePath(jid, action string) string {
	return "/devices/" + url.PathEscape(jid) + "/" + action
}

// pairByQR pairs instance through the QR flow (the phone scans the first code) and waits for connected.
func (h *harness) pairByQR(instance, phone string) string {
	h.t.Helper()
	stream, err := h.client.Pair(h.ctx(), &sidecarv1.PairRequest{InstanceId: instance})
	if err != nil {
		h.t.Fatal(err)
	}
	first, err := stream.Recv()
	if err != nil {
		h.t.Fatalf("pair stream: %v", err)
	}
	qr := first.GetQr()
	if qr == nil || qr.GetCode() == "" {
		h.t.Fatalf("first pair update is not a QR code: %v", first)
	}
	var scan struct {
		JID string `json:"jid"`
	}
	if code := h.post("/phone/scan", map[string]string{"qr": qr.GetCode(), "phone": phone}, &scan); code != http.StatusOK {
		h.t.Fatalf("scan answered %d", code)
	}
	for {
		upd, err := stream.Recv()
		if err != nil {
			h.t.Fatalf("pair stream ended before success: %v", err)
		}
		if f := upd.GetFailure(); f != nil {
			h.t.Fatalf("pairing failed: %v", f)
		}
		if s := upd.GetSuccess(); s != nil {
			if s.GetJid() != scan.JID {
				h.t.Fatalf("pair success jid %q, emulator linked %q", s.GetJid(), scan.JID)
			}
			if _, err := stream.Recv(); err != io.EOF {
				h.t.Fatalf("pair stream should end after success, got %v", err)
			}
			break
		}
	}
	h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_CONNECTED, 0)
	return scan.JID
}

type stats struct {
	SocketsTotal int64 `json:"socketsTotal"`
}

func (h *harness) socketsTotal() int64 {
	h.t.Helper()
	resp, err := http.Get(h.control + "/emulator/stats")
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	var s stats
	if err := json.NewDecoder(resp.Body).Decode(&s); err != nil {
		h.t.Fatal(err)
	}
	return s.SocketsTotal
}

// device is one /devices entry of the emulator.
type device struct {
	JID           string `json:"jid"`
	Connections   int    `json:"connections"`
	CallsRejected int    `json:"callsRejected"`
	Presence      string `json:"presence"`
	Queued        int    `json:"queued"`
}

func (h *harness) device(jid string) device {
	h.t.Helper()
	d, _ := h.findDevice(jid)
	return d
}

// findDevice looks jid up among the emulator's linked devices and its unlinked tombstones.
func (h *harness) findDevice(jid string) (d device, linked bool) {
	h.t.Helper()
	var body struct {
		Devices  []device `json:"devices"`
		Unlinked []device `json:"unlinked"`
	}
	h.get("/devices", &body)
	for _, d := range body.Devices {
		if d.JID == jid {
			return d, true
		}
	}
	for _, d := range body.Unlinked {
		if d.JID == jid {
			return d, false
		}
	}
	h.t.Fatalf("emulator does not know device %s", jid)
	return device{}, false
}

func (h *harness) deviceConnections(jid string) int { return h.device(jid).Connections }

// waitDevice polls the emulator's view of a device until cond holds.
func (h *harness) waitDevice(jid, what string, cond func(device) bool) {
	h.t.Helper()
	deadline := time.After(waitLong)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		d := h.device(jid)
		if cond(d) {
			return
		}
		select {
		case <-tick.C:
		case <-deadline:
			h.t.Fatalf("emulator never saw %s for %s: %+v", what, jid, d)
		}
	}
}

func (h *harness) get(path string, out any) {
	h.t.Helper()
	resp, err := http.Get(h.control + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		h.t.Fatal(err)
	}
}

func (h *harness) del(path string) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodDelete, h.control+path, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		h.t.Fatalf("DELETE %s answered %d", path, resp.StatusCode)
	}
}

// lastIndex is the position of instance's last event of kind (0 when none).
func (h *harness) lastIndex(instance string, kind sidecarv1.EventKind) int {
	evs := h.events.snapshot(instance)
	for i := len(evs) - 1; i >= 0; i-- {
		if evs[i].GetKind() == kind {
			return i
		}
	}
	return 0
}

// waitBoot waits for the boot message that opens every stream; it must come before any event.
func (l *eventLog) waitBoot() *sidecarv1.Boot {
	l.t.Helper()
	deadline := time.After(waitLong)
	for {
		l.mu.Lock()
		boot, n, ch, err := l.boot, len(l.all), l.changed, l.err
		l.mu.Unlock()
		if boot != nil {
			return boot
		}
		if n > 0 {
			l.t.Fatalf("an event arrived before the boot message")
		}
		if err != nil {
			l.t.Fatalf("event stream ended before the boot message: %v", err)
		}
		select {
		case <-ch:
		case <-deadline:
			l.t.Fatalf("no boot message within %s", waitLong)
		}
	}
}
