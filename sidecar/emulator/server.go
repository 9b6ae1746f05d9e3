// Package emulator is a WhatsApp multi-device server that an unmodified whatsmeow client accepts, plus a
// virtual phone that links companions. It exists for tests. The emulator page in docs/ (repository root)
// describes its flags, its control API and how each protocol layer maps onto the files of this package.
package emulator

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"go.mau.fi/whatsmeow/util/keys"
)

// Config configures a Server. The zero value works: default root key, no state file, 6 QR refs.
type Config struct {
	RootKey   *RootKey
	StateFile string
	// QRRefs is how many refs (QR codes) one pair-device carries; the real server sends 6.
	QRRefs int
	// CloseDelay is how long a socket stays open after a stream:error or failure, so the client handles
	// the stanza before it sees the close (whatsmeow drops queued stanzas once the socket context ends).
	CloseDelay time.Duration
	Log        zerolog.Logger
	// MediaListen is the address of the plain-HTTP media server (upload and download of encrypted blobs);
	// empty means no media server, and media_conn queries are answered with an error.
	MediaListen string
}

// Faults are global fault injections, set through the control API.
type Faults struct {
	RefuseConnections bool `json:"refuseConnections"`
	LatencyMs         int  `json:"latencyMs"`
	FailLogin         *int `json:"failLogin"`
	// IgnorePings leaves keepalive pings unanswered (whatsmeow: KeepAliveTimeout, later a forced reconnect).
	IgnorePings bool `json:"ignorePings"`
	MessageFaults
}

// Server is one emulator instance.
type Server struct {
	cfg       Config
	log       zerolog.Logger
	root      *RootKey
	static    *keys.KeyPair
	certChain []byte
	reg       *registry

	mu        sync.Mutex
	faults    Faults
	conns     map[*conn]struct{}
	byDevice  map[string]*conn       // logged-in socket per device JID
	qrRefs    map[string]qrRef       // live QR ref -> registering socket
	linkCodes map[string]*linkCode   // phone number -> pending pairing-code session
	devLocks  map[string]*sync.Mutex // device JID -> order of its relayed stanzas
	seen      map[string]int64       // sender|id|retry -> server time of the first copy
	seenOrder []string
	held      []heldReceipt // receipts kept back by the holdReceipts fault

	socketsOpen  atomic.Int64
	socketsTotal atomic.Int64
	loginsTotal  atomic.Int64
	pings        atomic.Int64
	nextID       atomic.Uint64

	traffic     *trafficLog
	media       *mediaStore
	extraRoutes map[string]http.Handler

	wsServer, ctlServer, mediaServer *http.Server
	wsLn, ctlLn, mediaLn             net.Listener
	ctx                              context.Context
	cancel                           context.CancelFunc
	wg                               sync.WaitGroup
}

// New builds a server; it does not listen yet.
func New(cfg Config) (*Server, error) {
	if cfg.RootKey == nil {
		cfg.RootKey = DefaultRootKey()
	}
	if cfg.QRRefs <= 0 {
		cfg.QRRefs = 6
	}
	if cfg.CloseDelay <= 0 {
		cfg.CloseDelay = 300 * time.Millisecond
	}
	reg, err := newRegistry(cfg.StateFile, cfg.Log)
	if err != nil {
		return nil, err
	}
	static := keys.NewKeyPair()
	chain, err := issueCertChain(cfg.RootKey, *static.Pub)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Server{
		cfg: cfg, log: cfg.Log, root: cfg.RootKey, static: static, certChain: chain, reg: reg,
		conns: map[*conn]struct{}{}, byDevice: map[string]*conn{}, qrRefs: map[string]qrRef{},
		linkCodes: map[string]*linkCode{}, ctx: ctx, cancel: cancel,
		traffic: newTrafficLog(trafficCap), media: newMediaStore(),
	}, nil
}

// RootPublicKey is the key clients must trust (whatsmeow.WACertPubKey).
func (s *Server) RootPublicKey() [32]byte { return s.root.PublicKey() }

// RootPublicKeyHex is RootPublicKey in the printed/served hex form.
func (s *Server) RootPublicKeyHex() string { return s.root.PublicKeyHex() }

// Start listens on both addresses (port 0 allowed) and serves in the background.
func (s *Server) Start(wsAddr, controlAddr string) error {
	wsLn, err := net.Listen("tcp", wsAddr)
	if err != nil {
		return err
	}
	ctlLn, err := net.Listen("tcp", controlAddr)
	if err != nil {
		wsLn.Close()
		return err
	}
	if s.cfg.MediaListen != "" {
		if s.mediaLn, err = net.Listen("tcp", s.cfg.MediaListen); err != nil {
			wsLn.Close()
			ctlLn.Close()
			return err
		}
		s.mediaServer = &http.Server{Handler: s.MediaHandler(), ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = s.mediaServer.Serve(s.mediaLn) }()
	}
	s.wsLn, s.ctlLn = wsLn, ctlLn
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.reg.writeLoop(s.ctx.Done())
	}()
	s.wsServer = &http.Server{Handler: http.HandlerFunc(s.serveWS), ReadHeaderTimeout: 10 * time.Second}
	s.ctlServer = &http.Server{Handler: s.ControlHandler(), ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = s.wsServer.Serve(wsLn) }()
	go func() { _ = s.ctlServer.Serve(ctlLn) }()
	return nil
}

// WSAddr is the WhatsApp endpoint address (what dial.Target.Addr needs).
func (s *Server) WSAddr() string { return s.wsLn.Addr().String() }

// MediaAddr is the media server address, "" without one.
func (s *Server) MediaAddr() string {
	if s.mediaLn == nil {
		return ""
	}
	return s.mediaLn.Addr().String()
}

// ControlAddr is the control API address.
func (s *Server) ControlAddr() string { return s.ctlLn.Addr().String() }

// Close stops listening and drops every socket.
func (s *Server) Close() error {
	s.cancel()
	var errs []error
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if s.ctlServer != nil {
		errs = append(errs, s.ctlServer.Shutdown(ctx))
	}
	if s.mediaServer != nil {
		errs = append(errs, s.mediaServer.Shutdown(ctx))
	}
	s.mu.Lock()
	for c := range s.conns {
		c.closeNow()
	}
	s.mu.Unlock()
	if s.wsServer != nil {
		// Hijacked websocket connections are not tracked by http.Server, so they were closed above.
		errs = append(errs, s.wsServer.Shutdown(ctx))
	}
	s.wg.Wait()
	s.reg.flush()
	return errors.Join(errs...)
}

// SetFaults replaces the global faults.
func (s *Server) SetFaults(f Faults) {
	s.mu.Lock()
	s.faults = f
	var release []heldReceipt
	if !f.HoldReceipts {
		release, s.held = s.held, nil
	}
	s.mu.Unlock()
	for _, h := range release {
		s.enqueue(h.jid, h.q)
	}
}

// CurrentFaults returns a copy of the global faults.
func (s *Server) CurrentFaults() Faults {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults
}

// Stats are counters for benchmarks and tests.
type Stats struct {
	SocketsOpen   int64 `json:"socketsOpen"`
	SocketsTotal  int64 `json:"socketsTotal"`
	LoginsTotal   int64 `json:"loginsTotal"`
	PingsAnswered int64 `json:"pingsAnswered"`
	Devices       int   `json:"devices"`
}

// Stats returns the current counters.
func (s *Server) Stats() Stats {
	linked, _ := s.Devices()
	return Stats{
		SocketsOpen: s.socketsOpen.Load(), SocketsTotal: s.socketsTotal.Load(),
		LoginsTotal: s.loginsTotal.Load(), PingsAnswered: s.pings.Load(), Devices: len(linked),
	}
}

// DeviceInfo is one /devices entry.
type DeviceInfo struct {
	JID         string     `json:"jid"`
	Linked      bool       `json:"linked"`
	LID         string     `json:"lid"`
	Phone       string     `json:"phone"`
	Connected   bool       `json:"connected"`
	LastSeen    *time.Time `json:"lastSeen"`
	Connections int        `json:"connections"`
	// OpenConnections are the logged-in sockets open now; MaxConcurrentConnections the most ever open at once
	// since start or reset: 2 or more means the device logged in twice (two pods, two processes).
	OpenConnections          int        `json:"openConnections"`
	MaxConcurrentConnections int        `json:"maxConcurrentConnections"`
	Logins                   int        `json:"logins"`
	Queued                   int        `json:"queued"`
	PreKeys                  int        `json:"prekeys"`
	Platform                 string     `json:"platform"`
	BannedUntil              *time.Time `json:"bannedUntil,omitempty"`
	// CallsRejected counts <call><reject/></call> stanzas from the client; Presence is the last
	// presence type it sent ("" if none).
	CallsRejected int    `json:"callsRejected"`
	Presence      string `json:"presence"`
}

// Devices lists the linked devices and, apart, the unlinked tombstones.
func (s *Server) Devices() (linked, unlinked []DeviceInfo) {
	list := s.reg.list()
	s.mu.Lock()
	defer s.mu.Unlock()
	linked, unlinked = []DeviceInfo{}, []DeviceInfo{}
	for _, d := range list {
		info := DeviceInfo{JID: d.JID, Linked: !d.Unlinked, LID: d.LID, Phone: d.Phone, Connections: d.Connections, Logins: d.Logins, Platform: d.Platform,
			CallsRejected: d.CallsRejected, Presence: d.Presence, OpenConnections: d.Open, MaxConcurrentConnections: d.MaxOpen,
			Queued: s.reg.queuedCount(d.JID), PreKeys: d.PreKeys}
		// A socket that was told to go away (logout, replace, ban) is not "connected" while it drains.
		if c, ok := s.byDevice[d.JID]; ok {
			info.Connected = !c.closing.Load()
		}
		if !d.LastSeen.IsZero() {
			t := d.LastSeen
			info.LastSeen = &t
		}
		if time.Now().Before(d.BannedUntil) {
			t := d.BannedUntil
			info.BannedUntil = &t
		}
		if d.Unlinked {
			unlinked = append(unlinked, info)
		} else {
			linked = append(linked, info)
		}
	}
	return linked, unlinked
}

// ResetCounters sets every device's maxConcurrentConnections to its open sockets and its logins to 0, so a test
// can watch one phase (e.g. a rolling restart) for double logins.
func (s *Server) ResetCounters() {
	s.reg.mu.Lock()
	defer s.reg.mu.Unlock()
	for _, d := range s.reg.st.Devices {
		d.MaxOpen, d.Logins = d.Open, 0
	}
}

// Handle adds a control API route (the virtual contacts live in their own package); call it before Start.
func (s *Server) Handle(pattern string, h http.Handler) {
	if s.extraRoutes == nil {
		s.extraRoutes = map[string]http.Handler{}
	}
	s.extraRoutes[pattern] = h
}

// HasAccount reports whether a phone number has a linked device.
func (s *Server) HasAccount(phone string) bool {
	for _, d := range s.reg.list() {
		if d.Phone == phone && !d.Unlinked {
			return true
		}
	}
	return false
}

// KeysUploaded reports whether a device has uploaded its prekeys, after which other devices can message it.
func (s *Server) KeysUploaded(jid string) bool {
	d, ok := s.reg.get(jid)
	return ok && d.Keys != nil
}

// LID returns the LID JID of a linked device ("" if unknown).
func (s *Server) LID(jid string) string {
	d, _ := s.reg.get(jid)
	return d.LID
}
