package session

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/convert"
	"github.com/wagate/wagate/sidecar/internal/registration"
)

// pairClientDisplayName is what the phone shows for the linked device; WhatsApp rejects names that do not look
// like "Browser (OS)".
const pairClientDisplayName = "Chrome (Linux)"

// pairFollowerBuffer is how many updates a slow Pair stream may lag before it is cut off.
const pairFollowerBuffer = 16

// errPairFollowerTooSlow ends a Pair stream that did not keep up; the pairing itself goes on.
var errPairFollowerTooSlow = errors.New("pair stream fell behind; call Pair again to follow the running pairing")

// pairing is one attempt to link a device. Several Pair streams may follow it.
type pairing struct {
	phone string

	mu      sync.Mutex // protects current, final, finalErr and follows
	current *sidecarv1.PairResponse
	final   *sidecarv1.PairResponse
	// finalErr ends follower streams with an error instead of a final update (no code in time).
	finalErr error
	follows  map[chan *sidecarv1.PairResponse]struct{}
	done     chan struct{}
}

func newPairing(phone string) *pairing {
	return &pairing{phone: phone, follows: map[chan *sidecarv1.PairResponse]struct{}{}, done: make(chan struct{})}
}

func (p *pairing) isDone() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// publish makes r the current code and hands it to every follower without blocking.
func (p *pairing) publish(r *sidecarv1.PairResponse) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.final != nil || p.finalErr != nil {
		return
	}
	p.current = r
	for ch := range p.follows {
		select {
		case ch <- r:
		default:
			delete(p.follows, ch)
			close(ch)
		}
	}
}

// finish records the outcome once; it reports whether this call was the one that did.
func (p *pairing) finish(final *sidecarv1.PairResponse, err error) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.final != nil || p.finalErr != nil {
		return false
	}
	p.final, p.finalErr = final, err
	close(p.done)
	return true
}

// follow streams the current code (a replay for a second caller), every later code, then the outcome.
// Returning early (ctx cancelled) does not abort the pairing.
func (p *pairing) follow(ctx context.Context, send func(*sidecarv1.PairResponse) error) error {
	ch := make(chan *sidecarv1.PairResponse, pairFollowerBuffer)
	p.mu.Lock()
	if p.current != nil {
		ch <- p.current
	}
	p.follows[ch] = struct{}{}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		if _, ok := p.follows[ch]; ok {
			delete(p.follows, ch)
			close(ch)
		}
		p.mu.Unlock()
	}()
	sendFinal := func() error {
		p.mu.Lock()
		final, err := p.final, p.finalErr
		p.mu.Unlock()
		if err != nil {
			return err
		}
		return send(final)
	}
	for {
		select {
		case r, ok := <-ch:
			if !ok {
				return errPairFollowerTooSlow
			}
			if err := send(r); err != nil {
				return err
			}
		case <-p.done:
			for {
				select {
				case r, ok := <-ch:
					if !ok {
						return errPairFollowerTooSlow
					}
					if err := send(r); err != nil {
						return err
					}
				default:
					return sendFinal()
				}
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func failure(kind sidecarv1.EventKind, reason string) *sidecarv1.PairResponse {
	return &sidecarv1.PairResponse{Update: &sidecarv1.PairResponse_Failure{Failure: &sidecarv1.PairFailure{Kind: kind, Reason: reason}}}
}

// Pair links a new device and streams the pairing through send. See the proto for the contract.
func (m *Manager) Pair(ctx context.Context, req *sidecarv1.PairRequest, send func(*sidecarv1.PairResponse) error) error {
	if err := validInstance(req.GetInstanceId()); err != nil {
		return err
	}
	if req.GetPhone() != "" {
		if err := convert.ValidatePhone(req.GetPhone()); err != nil {
			return err
		}
	}
	proxyURL, err := convert.ProxyURL(req.GetProxy())
	if err != nil {
		return err
	}
	s := m.getOrCreate(req.GetInstanceId())
	s.op.Lock()
	s.mu.Lock()
	if p := s.pairing; p != nil && !p.isDone() {
		s.mu.Unlock()
		s.op.Unlock()
		return p.follow(ctx, send)
	}
	if s.client != nil && s.client.Store.ID != nil && !s.client.Store.Deleted &&
		s.state != sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT {
		s.mu.Unlock()
		s.op.Unlock()
		return ErrAlreadyPaired
	}
	oldCli, oldHandler, oldCancel := s.detachLocked()
	// A device that was logged out is deleted for good; pairing always starts from fresh keys.
	cli, gen, connCtx, err := s.attachLocked(m.container.NewDevice(), proxyURL)
	if err != nil {
		s.mu.Unlock()
		s.op.Unlock()
		shutdownClient(oldCli, oldHandler, oldCancel)
		return err
	}
	cli.EnableAutoReconnect = false
	s.fenced = req.GetEpoch() > 0
	qrCh, err := cli.GetQRChannel(connCtx)
	if err != nil {
		s.mu.Unlock()
		s.op.Unlock()
		shutdownClient(oldCli, oldHandler, oldCancel)
		return fmt.Errorf("failed to open QR channel: %w", err)
	}
	p := newPairing(req.GetPhone())
	s.pairing = p
	s.jid, s.pushName, s.paired = types.EmptyJID, "", nil
	if req.GetSettings() != nil {
		s.settings = req.GetSettings()
	}
	s.emitLocked(&sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CONNECTING})
	s.mu.Unlock()
	shutdownClient(oldCli, oldHandler, oldCancel)

	var connErr error
	m.withHistoryDays(req.GetHistoryDays(), func() { connErr = convert.RedactProxy(cli.ConnectContext(connCtx), proxyURL) })
	if connErr != nil {
		s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, "connect failed: "+connErr.Error(), nil)
		cli.Disconnect()
		s.op.Unlock()
		return &UnavailableError{Op: "connect to WhatsApp", Err: connErr}
	}
	go s.runPairing(gen, cli, p, qrCh)
	s.op.Unlock()
	return p.follow(ctx, send)
}

// failPairing ends p with a failure, publishes the matching event and reports whether it was the first outcome.
func (s *Session) failPairing(gen uint64, p *pairing, kind sidecarv1.EventKind, reason string, streamErr error) bool {
	if !p.finish(failure(kind, reason), streamErr) {
		return false
	}
	s.emitFor(gen, &sidecarv1.Event{Kind: kind, Reason: reason})
	return true
}

// abortPairing ends a running pairing on Disconnect or Logout; the caller disconnects the client.
func (s *Session) abortPairing(gen uint64, p *pairing, reason string) {
	s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, reason, nil)
}

// runPairing turns whatsmeow's QR channel into Pair updates and events until the pairing ends.
func (s *Session) runPairing(gen uint64, cli *whatsmeow.Client, p *pairing, qrCh <-chan whatsmeow.QRChannelItem) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error().Any("panic", r).Msg("Recovered from a panic in the pairing flow")
			s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, "internal error in the pairing flow", nil)
			cli.Disconnect()
		}
	}()
	firstCode := time.NewTimer(s.m.opts.FirstCodeTimeout)
	defer firstCode.Stop()
	index := int32(0)
	codeRequested := false
	for {
		select {
		case <-p.done:
			return
		case <-firstCode.C:
			if s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, ErrNoCodeInTime.Error(), ErrNoCodeInTime) {
				cli.Disconnect()
			}
			return
		case item, ok := <-qrCh:
			if !ok {
				s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, "pairing aborted", nil)
				return
			}
			switch item.Event {
			case whatsmeow.QRChannelEventCode:
				firstCode.Stop()
				if p.phone == "" {
					p.publish(&sidecarv1.PairResponse{Update: &sidecarv1.PairResponse_Qr{Qr: &sidecarv1.QrCode{
						Code: item.Code, TimeoutMs: item.Timeout.Milliseconds(), Index: index,
					}}})
					s.emitFor(gen, &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_QR_READY, Codes: []string{item.Code}})
					index++
				} else if !codeRequested {
					codeRequested = true
					// The QR channel keeps rotating while the phone types the code; this loop keeps draining it.
					go s.requestPairingCode(gen, cli, p)
				}
			case whatsmeow.QRChannelSuccess.Event:
				s.finishPairingSuccess(gen, cli, p)
				return
			case whatsmeow.QRChannelTimeout.Event:
				s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_QR_TIMEOUT, "QR codes expired unused", nil)
				return
			case whatsmeow.QRChannelEventError:
				reason := "pairing failed"
				if item.Error != nil {
					reason = item.Error.Error()
				}
				s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, reason, nil)
				cli.Disconnect()
				return
			default:
				s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, "pairing failed: "+item.Event, nil)
				cli.Disconnect()
				return
			}
		}
	}
}

func (s *Session) requestPairingCode(gen uint64, cli *whatsmeow.Client, p *pairing) {
	ctx, cancel := context.WithTimeout(context.Background(), s.m.opts.FirstCodeTimeout)
	defer cancel()
	code, err := cli.PairPhone(ctx, p.phone, true, whatsmeow.PairClientChrome, pairClientDisplayName)
	if err != nil {
		if s.failPairing(gen, p, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR, "pairing code request failed: "+err.Error(), nil) {
			cli.Disconnect()
		}
		return
	}
	p.publish(&sidecarv1.PairResponse{Update: &sidecarv1.PairResponse_PairingCode{PairingCode: &sidecarv1.PairingCode{Code: code}}})
	s.emitFor(gen, &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_PAIR_CODE_READY, PairingCode: code})
}

// finishPairingSuccess ends the Pair streams; pair_success itself was published by the event handler, so it is
// ordered before the connected event of the login that follows.
func (s *Session) finishPairingSuccess(gen uint64, cli *whatsmeow.Client, p *pairing) {
	s.mu.Lock()
	ok := &sidecarv1.PairSuccess{}
	if gen == s.gen && s.paired != nil {
		ok.Jid = s.paired.ID.String()
		if !s.paired.LID.IsEmpty() {
			ok.Lid = s.paired.LID.String()
		}
		ok.Platform = s.paired.Platform
		ok.BusinessName = s.paired.BusinessName
	} else if cli.Store.ID != nil {
		ok.Jid = cli.Store.ID.String()
	}
	s.mu.Unlock()
	p.finish(&sidecarv1.PairResponse{Update: &sidecarv1.PairResponse_Success{Success: ok}}, nil)
}

// withHistoryDays runs connect with the history request set to days (0: whatsmeow's default). whatsmeow reads it
// from the process-global store.DeviceProps when it builds a new device's registration payload, which happens
// inside Connect; pairing connects are serialised process-wide so each sees its own value. Logins of paired devices send no
// DeviceProps and are not held up.
func (m *Manager) withHistoryDays(days uint32, connect func()) {
	registration.Mu.Lock()
	defer registration.Mu.Unlock()
	cfg := store.DeviceProps.GetHistorySyncConfig()
	if cfg != nil {
		prev := cfg.FullSyncDaysLimit
		if days > 0 {
			cfg.FullSyncDaysLimit = proto.Uint32(days)
		}
		defer func() { cfg.FullSyncDaysLimit = prev }()
	}
	connect()
}
