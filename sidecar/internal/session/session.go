package session

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/convert"
	"github.com/wagate/wagate/sidecar/internal/dial"
)

// sideEffectTimeout bounds best-effort calls made on behalf of settings (presence, call rejection).
const sideEffectTimeout = 30 * time.Second

// Session owns everything for one instance: its whatsmeow client, the client's event handler, the state the
// sidecar reports, and the context that bounds the client's background loops.
type Session struct {
	m   *Manager
	id  string
	log zerolog.Logger

	op sync.Mutex // serialises lifecycle operations (Pair, Connect, Disconnect, Logout) on this session

	mu        sync.Mutex // protects every field below
	client    *whatsmeow.Client
	handlerID uint32
	// gen identifies the current client; callbacks of a replaced client carry an older gen and are ignored.
	gen      uint64
	cancel   context.CancelFunc // ends the current client's connection context
	stop     chan struct{}      // closed to abort a reconnect backoff wait; nil when nothing can reconnect
	terminal bool               // a terminal event arrived: no automatic reconnect for this client
	// fenced: the last Connect or Pair carried a lease epoch (a gateway of a cluster). Such a session never reconnects
	// a dropped socket by itself: only the gateway holding the lease may log the device in, and a process frozen with
	// its gateway (SIGSTOP, a paused VM) would otherwise log in again on waking, before its gateway could stop it.
	fenced   bool
	attempts int // automatic reconnect attempts since the last successful login
	state    sidecarv1.SessionState
	jid      types.JID
	pushName string
	lastErr  string
	since    time.Time
	settings *sidecarv1.Settings
	pairing  *pairing
	paired   *events.PairSuccess
}

func newSession(m *Manager, id string) *Session {
	return &Session{
		m:        m,
		id:       id,
		log:      m.log.With().Str("instance", id).Logger(),
		state:    sidecarv1.SessionState_SESSION_STATE_DISCONNECTED,
		since:    time.Now(),
		settings: &sidecarv1.Settings{},
	}
}

// emitLocked publishes e for this session and moves the session state the way the event says. Publishing under
// s.mu keeps the state and the event order consistent; the hub never blocks.
func (s *Session) emitLocked(e *sidecarv1.Event) {
	s.stampLocked(e)
	if st, ok := convert.StateAfter(e.Kind); ok {
		s.state = st
		s.since = time.Now()
	}
	switch e.Kind {
	case sidecarv1.EventKind_EVENT_KIND_CONNECTED:
		s.lastErr = ""
	case sidecarv1.EventKind_EVENT_KIND_CONNECTING, sidecarv1.EventKind_EVENT_KIND_KEEPALIVE_RESTORED,
		sidecarv1.EventKind_EVENT_KIND_QR_READY, sidecarv1.EventKind_EVENT_KIND_PAIR_CODE_READY,
		sidecarv1.EventKind_EVENT_KIND_PAIR_SUCCESS:
	default:
		if e.Reason != "" {
			s.lastErr = e.Reason
		}
	}
	s.m.hub.Publish(e)
}

// stampLocked names the instance, its account and its push name on e.
func (s *Session) stampLocked(e *sidecarv1.Event) {
	e.InstanceId = s.id
	if e.Jid == "" && !s.jid.IsEmpty() {
		e.Jid = s.jid.String()
	}
	if e.PushName == "" {
		e.PushName = s.pushName
	}
}

// emitFor publishes e only while gen is still the current client.
func (s *Session) emitFor(gen uint64, e *sidecarv1.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen == s.gen {
		s.emitLocked(e)
	}
}

// stopReconnectLocked aborts any reconnect backoff of the current client.
func (s *Session) stopReconnectLocked() {
	if s.stop != nil {
		close(s.stop)
		s.stop = nil
	}
}

// detachLocked forgets the current client so its late callbacks are ignored, and returns what the caller must
// shut down outside the lock (RemoveEventHandler takes whatsmeow's handler lock, which a running handler holds
// while it waits for s.mu).
func (s *Session) detachLocked() (cli *whatsmeow.Client, handlerID uint32, cancel context.CancelFunc) {
	s.stopReconnectLocked()
	cli, handlerID, cancel = s.client, s.handlerID, s.cancel
	s.client, s.handlerID, s.cancel = nil, 0, nil
	s.gen++
	if s.pairing != nil {
		s.pairing = nil
	}
	return cli, handlerID, cancel
}

func shutdownClient(cli *whatsmeow.Client, handlerID uint32, cancel context.CancelFunc) {
	if cli != nil {
		cli.Disconnect()
		go cli.RemoveEventHandler(handlerID)
	}
	if cancel != nil {
		cancel()
	}
}

// attachLocked builds a client around dev, wires proxy or emulator, event handler and reconnect hook, and makes
// it the session's current client. It returns the client, its generation and its connection context.
func (s *Session) attachLocked(dev *store.Device, proxyURL string) (*whatsmeow.Client, uint64, context.Context, error) {
	cli := whatsmeow.NewClient(dev, newWALogger(s.log))
	if emu := s.m.opts.Emulator; emu != nil {
		dial.Apply(cli, *emu)
		if proxyURL != "" {
			s.log.Warn().Msg("emulator mode: the session's proxy is ignored, traffic goes to the emulator")
		}
	} else if proxyURL != "" {
		if err := cli.SetProxyAddress(proxyURL); err != nil {
			return nil, 0, nil, fmt.Errorf("%w: %v", convert.ErrInvalidProxy, convert.RedactProxy(err, proxyURL))
		}
	}
	s.gen++
	gen := s.gen
	ctx, cancel := context.WithCancel(context.Background())
	cli.AutoReconnectHook = func(err error) bool { return s.onReconnectError(gen, cli, err) }
	s.client, s.cancel = cli, cancel
	// Inbound durability: whatsmeow acks a message or receipt only after every handler returned success, and a
	// handler that fails (the inbox commit failed) leaves it unacked, so WhatsApp delivers it again at the next
	// login; the decrypted-event buffer keeps the plaintext of a message whose Signal ratchet already moved on.
	cli.SynchronousAck = true
	cli.EnableDecryptedEventBuffer = true
	s.handlerID = cli.AddEventHandlerWithSuccessStatus(func(evt any) bool { return s.handleEvent(gen, cli, evt) })
	s.stop = make(chan struct{})
	s.terminal, s.attempts = false, 0
	return cli, gen, ctx, nil
}

// handleEvent runs on whatsmeow's dispatcher goroutine: it must never block on anything but the inbox commit and
// never panic through. It reports whether whatsmeow may ack the stanza behind evt: false for a message or receipt
// that is not durably stored (whatsmeow itself treats a panic as success, hence the recover here).
func (s *Session) handleEvent(gen uint64, cli *whatsmeow.Client, evt any) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error().Str("event", fmt.Sprintf("%T", evt)).Any("panic", r).Msg("Recovered from a panic while handling a whatsmeow event")
			s.mu.Lock()
			s.lastErr = fmt.Sprintf("internal error while handling %T", evt)
			s.mu.Unlock()
			ok = !isInbound(evt)
		}
	}()
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen {
		return !isInbound(evt) // a replaced client: its socket is closing, WhatsApp delivers the stanza again
	}
	switch v := evt.(type) {
	case *events.PairSuccess:
		s.handlePairSuccess(cli, v)
	case *events.CallOffer:
		s.handleCallOffer(cli, v)
	case *events.Connected:
		s.handleConnected(cli)
	case *events.Disconnected:
		s.handleDisconnected(cli)
	case *events.Message, *events.Receipt:
		return s.handleMessaging(cli, evt)
	case *events.LoggedOut:
		if s.state == sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT {
			return true // one logged_out per unlink, however whatsmeow reports it
		}
		s.handleLifecycle(v)
	default:
		s.handleLifecycle(evt)
	}
	return true
}

// isInbound tells the events whose stanza whatsmeow acks only after the handlers succeeded.
func isInbound(evt any) bool {
	switch evt.(type) {
	case *events.Message, *events.Receipt:
		return true
	}
	return false
}

func (s *Session) handlePairSuccess(cli *whatsmeow.Client, v *events.PairSuccess) {
	s.paired = v
	s.jid = v.ID
	// Pairing ran without auto-reconnect so a failed pairing cannot loop; a paired device must come back by itself
	// (unless fenced: then its gateway reconnects it).
	cli.EnableAutoReconnect = !s.fenced
	s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_PAIR_SUCCESS, Jid: v.ID.String()})
}

func (s *Session) handleConnected(cli *whatsmeow.Client) {
	s.attempts = 0
	if cli.Store.ID != nil {
		s.jid = *cli.Store.ID
	}
	s.pushName = cli.Store.PushName
	s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CONNECTED})
	if s.settings.GetKeepOnlineStatus() {
		go s.sendPresence(cli, types.PresenceAvailable)
	}
}

func (s *Session) handleDisconnected(cli *whatsmeow.Client) {
	if s.pairing != nil && !s.pairing.isDone() {
		return // the pairing flow reports the failed attempt itself
	}
	s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, Reason: convert.ReasonConnectionLost})
	if cli.EnableAutoReconnect && cli.Store.ID != nil && !s.terminal && s.stop != nil {
		// whatsmeow retries at once after a drop; the gateway sees that first attempt as connecting.
		s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CONNECTING, Reason: "automatic reconnect"})
	}
}

func (s *Session) handleLifecycle(evt any) {
	e, ok := convert.Event(evt, time.Now())
	if !ok {
		return
	}
	if convert.IsTerminal(e.Kind) {
		s.terminal = true
		s.stopReconnectLocked()
	}
	s.emitLocked(e)
}

func (s *Session) handleCallOffer(cli *whatsmeow.Client, v *events.CallOffer) {
	if !s.settings.GetAutoRejectCalls() {
		return
	}
	msg := s.settings.GetCallRejectMessage()
	from, callID := v.From, v.CallID
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), sideEffectTimeout)
		defer cancel()
		if err := cli.RejectCall(ctx, from, callID); err != nil {
			s.log.Warn().Err(err).Str("call_id", callID).Msg("Failed to reject call")
			return
		}
		if msg == "" {
			return
		}
		if _, err := cli.SendMessage(ctx, from.ToNonAD(), &waE2E.Message{Conversation: proto.String(msg)}); err != nil {
			s.log.Warn().Err(err).Str("call_id", callID).Msg("Failed to send the call rejection message")
		}
	}()
}

func (s *Session) sendPresence(cli *whatsmeow.Client, p types.Presence) {
	ctx, cancel := context.WithTimeout(context.Background(), sideEffectTimeout)
	defer cancel()
	if err := cli.SendPresence(ctx, p); err != nil {
		s.log.Warn().Err(err).Str("presence", string(p)).Msg("Failed to send presence")
	}
}

// onReconnectError is whatsmeow's AutoReconnectHook: it runs on the auto-reconnect goroutine after a failed
// attempt, so waiting here is the backoff. Returning false ends auto-reconnect.
func (s *Session) onReconnectError(gen uint64, cli *whatsmeow.Client, err error) bool {
	s.mu.Lock()
	if gen != s.gen || s.terminal || s.stop == nil {
		s.mu.Unlock()
		return false
	}
	s.attempts++
	attempt := s.attempts
	wait := Backoff(attempt, s.m.opts.ReconnectBaseBackoff, s.m.opts.ReconnectMaxBackoff)
	stop := s.stop
	s.lastErr = err.Error()
	s.mu.Unlock()
	s.log.Info().Err(err).Int("attempt", attempt).Dur("backoff", wait).Msg("Reconnect attempt failed, backing off")

	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-stop:
		return false
	}
	// whatsmeow adds AutoReconnectErrors*2s of linear, uncapped delay of its own; this hook owns the backoff.
	cli.AutoReconnectErrors = 0
	s.mu.Lock()
	defer s.mu.Unlock()
	if gen != s.gen || s.terminal || s.stop == nil {
		return false
	}
	s.emitLocked(&sidecarv1.Event{
		Kind:   sidecarv1.EventKind_EVENT_KIND_CONNECTING,
		Reason: fmt.Sprintf("automatic reconnect attempt %d after: %v", attempt+1, err),
	})
	return true
}

// Info is a snapshot for GetState and ListSessions.
func (s *Session) Info() *sidecarv1.SessionInfo {
	s.mu.Lock()
	defer s.mu.Unlock()
	info := &sidecarv1.SessionInfo{
		InstanceId:  s.id,
		State:       s.state,
		LastError:   s.lastErr,
		SinceUnixMs: s.since.UnixMilli(),
		PushName:    s.pushName,
	}
	if !s.jid.IsEmpty() {
		info.Jid = s.jid.String()
	}
	return info
}
