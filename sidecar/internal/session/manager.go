// Package session runs many whatsmeow sessions in one process: one Session per gateway instance, held by a
// Manager. It drives each session's state from whatsmeow's events and publishes them on the event hub.
package session

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/convert"
	"github.com/wagate/wagate/sidecar/internal/dial"
	"github.com/wagate/wagate/sidecar/internal/events"
	wstore "github.com/wagate/wagate/sidecar/internal/store"
)

// logoutTimeout bounds the unlink request; after it the device is removed locally anyway.
const logoutTimeout = 15 * time.Second

// Options tune a Manager.
type Options struct {
	// Emulator, when set, points every client at the wa-emulator (test and demo mode only).
	Emulator *dial.Target
	// ReconnectBaseBackoff and ReconnectMaxBackoff shape the exponential wait between automatic reconnects.
	ReconnectBaseBackoff time.Duration
	ReconnectMaxBackoff  time.Duration
	// FirstCodeTimeout bounds the wait for the first QR or pairing code of a Pair.
	FirstCodeTimeout time.Duration
	// Inbox, when set, makes inbound messages and receipts durable before whatsmeow acks them (always set by the
	// process; some tests run without it).
	Inbox *wstore.Inbox
}

// Manager holds every session of this process.
type Manager struct {
	container *sqlstore.Container
	hub       *events.Hub
	log       zerolog.Logger
	opts      Options

	mu       sync.RWMutex // protects sessions
	sessions map[string]*Session
}

// NewManager creates a manager over an upgraded sqlstore container.
func NewManager(container *sqlstore.Container, hub *events.Hub, log zerolog.Logger, opts Options) *Manager {
	if opts.ReconnectMaxBackoff <= 0 {
		opts.ReconnectMaxBackoff = time.Minute
	}
	if opts.ReconnectBaseBackoff <= 0 {
		opts.ReconnectBaseBackoff = time.Second
	}
	if opts.FirstCodeTimeout <= 0 {
		opts.FirstCodeTimeout = 30 * time.Second
	}
	return &Manager{container: container, hub: hub, log: log, opts: opts, sessions: map[string]*Session{}}
}

func validInstance(id string) error {
	if id == "" || len(id) > 200 {
		return ErrInvalidInstance
	}
	return nil
}

func (m *Manager) get(id string) *Session {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.sessions[id]
}

func (m *Manager) getOrCreate(id string) *Session {
	m.mu.Lock()
	defer m.mu.Unlock()
	s := m.sessions[id]
	if s == nil {
		s = newSession(m, id)
		m.sessions[id] = s
	}
	return s
}

// forgetIfUnused drops a session that a refused request created and that never held anything, so
// ListSessions does not show instances the sidecar knows nothing about.
func (m *Manager) forgetIfUnused(s *Session) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client == nil && s.pairing == nil && s.jid.IsEmpty() && s.gen == 0 && m.sessions[s.id] == s {
		delete(m.sessions, s.id)
	}
}

// Connect logs in with the saved device for jid. See the proto for the contract.
func (m *Manager) Connect(ctx context.Context, req *sidecarv1.ConnectRequest) (sidecarv1.SessionState, error) {
	if err := validInstance(req.GetInstanceId()); err != nil {
		return 0, err
	}
	jid, err := convert.ParseDeviceJID(req.GetJid())
	if err != nil {
		return 0, err
	}
	proxyURL, err := convert.ProxyURL(req.GetProxy())
	if err != nil {
		return 0, err
	}
	s := m.getOrCreate(req.GetInstanceId())
	s.op.Lock()
	defer s.op.Unlock()

	s.mu.Lock()
	switch {
	case s.pairing != nil && !s.pairing.isDone():
		s.mu.Unlock()
		return 0, ErrPairingInProgress
	case s.client != nil && s.jid == jid && !s.terminal &&
		(s.state == sidecarv1.SessionState_SESSION_STATE_CONNECTING || s.state == sidecarv1.SessionState_SESSION_STATE_CONNECTED):
		if req.GetSettings() != nil {
			s.settings = req.GetSettings()
		}
		st := s.state
		s.mu.Unlock()
		return st, nil
	}
	s.mu.Unlock()

	dev, err := m.container.GetDevice(ctx, jid)
	if err != nil {
		return 0, fmt.Errorf("failed to load device: %w", err)
	}
	if dev == nil {
		m.forgetIfUnused(s)
		return 0, fmt.Errorf("%w %s", ErrNoDevice, jid)
	}
	// before the login: what WhatsApp delivered to an earlier process and the gateway has not stored yet comes first
	if err := m.republishInbox(ctx, s); err != nil {
		return 0, err
	}

	s.mu.Lock()
	oldCli, oldHandler, oldCancel := s.detachLocked()
	cli, gen, connCtx, err := s.attachLocked(dev, proxyURL)
	if err != nil {
		s.mu.Unlock()
		shutdownClient(oldCli, oldHandler, oldCancel)
		return 0, err
	}
	s.jid = jid
	s.pushName = dev.PushName
	s.fenced = req.GetEpoch() > 0
	cli.EnableAutoReconnect = !s.fenced
	if req.GetSettings() != nil {
		s.settings = req.GetSettings()
	}
	s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CONNECTING})
	s.mu.Unlock()
	shutdownClient(oldCli, oldHandler, oldCancel)

	if err := convert.RedactProxy(cli.ConnectContext(connCtx), proxyURL); err != nil {
		s.mu.Lock()
		if gen == s.gen {
			s.stopReconnectLocked()
			s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, Reason: err.Error()})
		}
		s.mu.Unlock()
		cli.Disconnect()
		if errors.Is(err, store.ErrDeviceDeleted) {
			return 0, fmt.Errorf("%w %s", ErrNoDevice, jid)
		}
		return 0, &UnavailableError{Op: "connect to WhatsApp", Err: err}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state == sidecarv1.SessionState_SESSION_STATE_CONNECTED {
		return s.state, nil
	}
	return sidecarv1.SessionState_SESSION_STATE_CONNECTING, nil
}

// Disconnect closes the socket and keeps the session (and its device row).
func (m *Manager) Disconnect(_ context.Context, id string) error {
	if err := validInstance(id); err != nil {
		return err
	}
	s := m.get(id)
	if s == nil {
		return ErrSessionNotFound
	}
	s.op.Lock()
	defer s.op.Unlock()
	s.mu.Lock()
	p := s.pairing
	gen := s.gen
	s.stopReconnectLocked()
	cli := s.client
	s.mu.Unlock()
	if cli != nil {
		cli.Disconnect()
	}
	if p != nil {
		s.abortPairing(gen, p, "pairing aborted: disconnect requested")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch s.state {
	case sidecarv1.SessionState_SESSION_STATE_DISCONNECTED, sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT:
	default:
		s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, Reason: convert.ReasonDisconnectAsked})
	}
	return nil
}

// Logout unlinks the device and deletes its row; without a live paired session it deletes the row for jid.
func (m *Manager) Logout(ctx context.Context, id, jidStr string) (hadSession bool, err error) {
	if err := validInstance(id); err != nil {
		return false, err
	}
	var jid types.JID
	if jidStr != "" {
		if jid, err = convert.ParseDeviceJID(jidStr); err != nil {
			return false, err
		}
	}
	s := m.get(id)
	if s != nil {
		s.op.Lock()
		defer s.op.Unlock()
		s.mu.Lock()
		p, gen := s.pairing, s.gen
		s.mu.Unlock()
		if p != nil {
			s.abortPairing(gen, p, "pairing aborted: logout requested")
		}
		s.mu.Lock()
		cli, handlerID, cancel := s.detachLocked()
		s.mu.Unlock()
		if cli != nil && cli.Store.ID != nil && !cli.Store.Deleted {
			lctx, lcancel := context.WithTimeout(ctx, logoutTimeout)
			err := cli.Logout(lctx)
			lcancel()
			if err != nil {
				// Unlinking needs a live connection; without one the local row still goes, as the contract says.
				s.log.Warn().Err(err).Msg("Unlink request failed, deleting the device locally")
				cli.Disconnect()
				if derr := cli.Store.Delete(ctx); derr != nil && !errors.Is(derr, store.ErrDeviceDeleted) {
					shutdownClient(cli, handlerID, cancel)
					return false, fmt.Errorf("failed to delete device: %w", derr)
				}
			}
			hadSession = true
		}
		shutdownClient(cli, handlerID, cancel)
	}
	if !hadSession && !jid.IsEmpty() {
		dev, err := m.container.GetDevice(ctx, jid)
		if err != nil {
			return false, fmt.Errorf("failed to load device: %w", err)
		}
		if dev != nil {
			if err := dev.Delete(ctx); err != nil {
				return false, fmt.Errorf("failed to delete device: %w", err)
			}
			hadSession = true
		}
	}
	if hadSession {
		if s == nil {
			s = m.getOrCreate(id)
		}
		s.mu.Lock()
		s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, Reason: convert.ReasonUserInitiated, Jid: jidOr(s.jid, jid)})
		s.mu.Unlock()
	}
	return hadSession, nil
}

func jidOr(a, b types.JID) string {
	if !a.IsEmpty() {
		return a.String()
	}
	if !b.IsEmpty() {
		return b.String()
	}
	return ""
}

// UpdateSettings applies settings to a live session at once.
func (m *Manager) UpdateSettings(_ context.Context, id string, settings *sidecarv1.Settings) error {
	if err := validInstance(id); err != nil {
		return err
	}
	s := m.get(id)
	if s == nil {
		return ErrSessionNotFound
	}
	if settings == nil {
		settings = &sidecarv1.Settings{}
	}
	s.mu.Lock()
	wasOnline := s.settings.GetKeepOnlineStatus()
	s.settings = settings
	cli := s.client
	connected := s.state == sidecarv1.SessionState_SESSION_STATE_CONNECTED
	s.mu.Unlock()
	if cli == nil || !connected {
		return nil
	}
	switch {
	case settings.GetKeepOnlineStatus():
		go s.sendPresence(cli, types.PresenceAvailable)
	case wasOnline:
		go s.sendPresence(cli, types.PresenceUnavailable)
	}
	return nil
}

// State returns one session's snapshot.
func (m *Manager) State(id string) (*sidecarv1.SessionInfo, error) {
	if err := validInstance(id); err != nil {
		return nil, err
	}
	s := m.get(id)
	if s == nil {
		return nil, ErrSessionNotFound
	}
	return s.Info(), nil
}

// List returns every session's snapshot, ordered by instance id.
func (m *Manager) List() []*sidecarv1.SessionInfo {
	m.mu.RLock()
	all := make([]*Session, 0, len(m.sessions))
	for _, s := range m.sessions {
		all = append(all, s)
	}
	m.mu.RUnlock()
	out := make([]*sidecarv1.SessionInfo, 0, len(all))
	for _, s := range all {
		out = append(out, s.Info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].InstanceId < out[j].InstanceId })
	return out
}

// Close disconnects every client and keeps every saved session, for a clean shutdown.
func (m *Manager) Close() {
	m.mu.RLock()
	all := make([]*Session, 0, len(m.sessions))
	for _, s := range m.sessions {
		all = append(all, s)
	}
	m.mu.RUnlock()
	var wg sync.WaitGroup
	for _, s := range all {
		s.mu.Lock()
		p, gen := s.pairing, s.gen
		s.mu.Unlock()
		if p != nil {
			s.abortPairing(gen, p, "pairing aborted: sidecar shutting down")
		}
		s.mu.Lock()
		cli, handlerID, cancel := s.detachLocked()
		s.mu.Unlock()
		wg.Go(func() { shutdownClient(cli, handlerID, cancel) })
	}
	wg.Wait()
}
