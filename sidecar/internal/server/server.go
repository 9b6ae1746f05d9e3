// Package server implements wagate.sidecar.v1.SidecarService over the session manager. It is the only place
// where errors become gRPC status codes.
package server

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/convert"
	"github.com/wagate/wagate/sidecar/internal/events"
	"github.com/wagate/wagate/sidecar/internal/session"
)

// Server is the gRPC face of one sidecar process.
type Server struct {
	sidecarv1.UnimplementedSidecarServiceServer

	hub *events.Hub
	log zerolog.Logger
	// manager is nil until the session store is upgraded; calls before that answer UNAVAILABLE.
	manager atomic.Pointer[session.Manager]
	// fence refuses lifecycle commands carrying an older lease epoch than one seen before (see fence.go)
	fence *fence
	// closing ends every StreamEvents stream, so GracefulStop does not wait for subscribers that never leave.
	closing  chan struct{}
	shutdown sync.Once
}

var _ sidecarv1.SidecarServiceServer = (*Server)(nil)

// New creates a server that answers UNAVAILABLE until SetManager is called.
func New(hub *events.Hub, log zerolog.Logger) *Server {
	return &Server{hub: hub, log: log, closing: make(chan struct{}), fence: newFence()}
}

// Shutdown ends the open event streams with UNAVAILABLE; the gateway re-subscribes to the next process.
func (s *Server) Shutdown() { s.shutdown.Do(func() { close(s.closing) }) }

var errShuttingDown = errors.New("sidecar is shutting down")

// SetManager makes the server ready.
func (s *Server) SetManager(m *session.Manager) { s.manager.Store(m) }

var errNotReady = errors.New("session store is not ready yet")

func (s *Server) mgr() (*session.Manager, error) {
	m := s.manager.Load()
	if m == nil {
		return nil, errNotReady
	}
	return m, nil
}

// toStatus maps an error of the lower layers to the contract's status codes; op names the failed operation.
func toStatus(op string, err error) error {
	if err == nil {
		return nil
	}
	if _, ok := status.FromError(err); ok {
		return err // already a status (e.g. from stream.Send)
	}
	var unavailable *session.UnavailableError
	var refused *session.RefusedError
	var stale *StaleEpochError
	switch {
	case errors.Is(err, session.ErrInvalidInstance), errors.Is(err, convert.ErrInvalidJID),
		errors.Is(err, convert.ErrInvalidProxy), errors.Is(err, convert.ErrInvalidPhone),
		errors.Is(err, convert.ErrInvalidRecipient), errors.Is(err, session.ErrInvalidMedia),
		errors.Is(err, session.ErrMissingText), errors.Is(err, session.ErrMissingTarget),
		errors.Is(err, session.ErrMissingMessages):
		return status.Error(codes.InvalidArgument, err.Error())
	case errors.Is(err, session.ErrSessionNotFound), errors.Is(err, session.ErrNotOnWhatsApp):
		return status.Error(codes.NotFound, err.Error())
	case errors.Is(err, session.ErrNoDevice), errors.Is(err, session.ErrAlreadyPaired),
		errors.Is(err, session.ErrPairingInProgress), errors.Is(err, session.ErrNotConnected), errors.As(err, &stale):
		return status.Error(codes.FailedPrecondition, err.Error())
	case errors.As(err, &refused):
		return status.Error(codes.Aborted, err.Error())
	case errors.As(err, &unavailable), errors.Is(err, errNotReady), errors.Is(err, errShuttingDown):
		return status.Error(codes.Unavailable, err.Error())
	case errors.Is(err, session.ErrNoCodeInTime):
		return status.Error(codes.DeadlineExceeded, err.Error())
	case errors.Is(err, events.ErrSubscriberDropped):
		return status.Error(codes.ResourceExhausted, err.Error())
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, err.Error())
	default:
		return status.Error(codes.Internal, op+": "+err.Error())
	}
}

// fencedMgr is mgr for a lifecycle command: it also refuses a stale epoch (fence.go). A command refused as not ready
// has not been admitted, so it records no epoch.
func (s *Server) fencedMgr(instance string, epoch uint64) (*session.Manager, error) {
	m, err := s.mgr()
	if err != nil {
		return nil, err
	}
	if err := s.fence.admit(instance, epoch); err != nil {
		return nil, err
	}
	return m, nil
}

func (s *Server) fail(op, instance string, err error) error {
	st := toStatus(op, err)
	if status.Code(st) == codes.Internal {
		s.log.Error().Err(err).Str("op", op).Str("instance", instance).Msg("Request failed")
	} else {
		s.log.Debug().Err(err).Str("op", op).Str("instance", instance).Msg("Request refused")
	}
	return st
}

// Pair implements SidecarService.Pair.
func (s *Server) Pair(req *sidecarv1.PairRequest, stream sidecarv1.SidecarService_PairServer) error {
	m, err := s.fencedMgr(req.GetInstanceId(), req.GetEpoch())
	if err != nil {
		return s.fail("pair", req.GetInstanceId(), err)
	}
	err = m.Pair(stream.Context(), req, stream.Send)
	return s.fail("pair", req.GetInstanceId(), err)
}

// Connect implements SidecarService.Connect.
func (s *Server) Connect(ctx context.Context, req *sidecarv1.ConnectRequest) (*sidecarv1.ConnectResponse, error) {
	m, err := s.fencedMgr(req.GetInstanceId(), req.GetEpoch())
	if err != nil {
		return nil, s.fail("connect", req.GetInstanceId(), err)
	}
	st, err := m.Connect(ctx, req)
	if err != nil {
		return nil, s.fail("connect", req.GetInstanceId(), err)
	}
	return &sidecarv1.ConnectResponse{State: st}, nil
}

// Disconnect implements SidecarService.Disconnect.
func (s *Server) Disconnect(ctx context.Context, req *sidecarv1.DisconnectRequest) (*sidecarv1.DisconnectResponse, error) {
	m, err := s.fencedMgr(req.GetInstanceId(), req.GetEpoch())
	if err == nil {
		err = m.Disconnect(ctx, req.GetInstanceId())
	}
	if err != nil {
		return nil, s.fail("disconnect", req.GetInstanceId(), err)
	}
	return &sidecarv1.DisconnectResponse{}, nil
}

// Logout implements SidecarService.Logout.
func (s *Server) Logout(ctx context.Context, req *sidecarv1.LogoutRequest) (*sidecarv1.LogoutResponse, error) {
	m, err := s.fencedMgr(req.GetInstanceId(), req.GetEpoch())
	if err != nil {
		return nil, s.fail("logout", req.GetInstanceId(), err)
	}
	had, err := m.Logout(ctx, req.GetInstanceId(), req.GetJid())
	if err != nil {
		return nil, s.fail("logout", req.GetInstanceId(), err)
	}
	return &sidecarv1.LogoutResponse{HadSession: had}, nil
}

// UpdateSettings implements SidecarService.UpdateSettings.
func (s *Server) UpdateSettings(ctx context.Context, req *sidecarv1.UpdateSettingsRequest) (*sidecarv1.UpdateSettingsResponse, error) {
	m, err := s.fencedMgr(req.GetInstanceId(), req.GetEpoch())
	if err == nil {
		err = m.UpdateSettings(ctx, req.GetInstanceId(), req.GetSettings())
	}
	if err != nil {
		return nil, s.fail("update settings", req.GetInstanceId(), err)
	}
	return &sidecarv1.UpdateSettingsResponse{}, nil
}

// GetState implements SidecarService.GetState.
func (s *Server) GetState(_ context.Context, req *sidecarv1.GetStateRequest) (*sidecarv1.GetStateResponse, error) {
	m, err := s.mgr()
	if err != nil {
		return nil, s.fail("get state", req.GetInstanceId(), err)
	}
	info, err := m.State(req.GetInstanceId())
	if err != nil {
		return nil, s.fail("get state", req.GetInstanceId(), err)
	}
	return &sidecarv1.GetStateResponse{Session: info}, nil
}

// ListSessions implements SidecarService.ListSessions.
func (s *Server) ListSessions(context.Context, *sidecarv1.ListSessionsRequest) (*sidecarv1.ListSessionsResponse, error) {
	m, err := s.mgr()
	if err != nil {
		return nil, s.fail("list sessions", "", err)
	}
	// read after the sessions: every event that changed what List saw is at or below it
	sessions := m.List()
	return &sidecarv1.ListSessionsResponse{BootId: s.hub.BootID(), Sessions: sessions, LastSeq: s.hub.LastSeq()}, nil
}

// SendText implements SidecarService.SendText.
func (s *Server) SendText(ctx context.Context, req *sidecarv1.SendTextRequest) (*sidecarv1.SendResponse, error) {
	return sendWith(s, ctx, "send text", req.GetInstanceId(), req, (*session.Manager).SendText)
}

// SendMedia implements SidecarService.SendMedia.
func (s *Server) SendMedia(ctx context.Context, req *sidecarv1.SendMediaRequest) (*sidecarv1.SendResponse, error) {
	return sendWith(s, ctx, "send media", req.GetInstanceId(), req, (*session.Manager).SendMedia)
}

// SendReaction implements SidecarService.SendReaction.
func (s *Server) SendReaction(ctx context.Context, req *sidecarv1.SendReactionRequest) (*sidecarv1.SendResponse, error) {
	return sendWith(s, ctx, "send reaction", req.GetInstanceId(), req, (*session.Manager).SendReaction)
}

func sendWith[R any](s *Server, ctx context.Context, op, instance string, req R,
	fn func(*session.Manager, context.Context, R) (*sidecarv1.SendResponse, error)) (*sidecarv1.SendResponse, error) {
	m, err := s.mgr()
	if err != nil {
		return nil, s.fail(op, instance, err)
	}
	resp, err := fn(m, ctx, req)
	if err != nil {
		return nil, s.fail(op, instance, err)
	}
	return resp, nil
}

// MarkRead implements SidecarService.MarkRead.
func (s *Server) MarkRead(ctx context.Context, req *sidecarv1.MarkReadRequest) (*sidecarv1.MarkReadResponse, error) {
	m, err := s.mgr()
	if err == nil {
		err = m.MarkRead(ctx, req)
	}
	if err != nil {
		return nil, s.fail("mark read", req.GetInstanceId(), err)
	}
	return &sidecarv1.MarkReadResponse{}, nil
}

// ConfirmEvents implements SidecarService.ConfirmEvents.
func (s *Server) ConfirmEvents(ctx context.Context, req *sidecarv1.ConfirmEventsRequest) (*sidecarv1.ConfirmEventsResponse, error) {
	m, err := s.mgr()
	if err == nil {
		err = m.ConfirmEvents(ctx, req.GetInboxIds())
	}
	if err != nil {
		return nil, s.fail("confirm events", "", err)
	}
	return &sidecarv1.ConfirmEventsResponse{}, nil
}

// StreamEvents implements SidecarService.StreamEvents: the boot message, replay from the ring buffer, then live events.
func (s *Server) StreamEvents(req *sidecarv1.StreamEventsRequest, stream sidecarv1.SidecarService_StreamEventsServer) error {
	sub, replay, truncated := s.hub.Subscribe(req.GetBootId(), req.GetAfterSeq())
	defer s.hub.Unsubscribe(sub)
	// sent before any replay: the subscriber learns of a restart even when this boot has no event yet
	if err := stream.Send(&sidecarv1.StreamEventsResponse{Boot: s.hub.Boot()}); err != nil {
		return err
	}
	first := true
	send := func(e *sidecarv1.Event) error {
		resp := &sidecarv1.StreamEventsResponse{Event: e, ReplayTruncated: first && truncated}
		first = false
		return stream.Send(resp)
	}
	for _, e := range replay {
		if err := send(e); err != nil {
			return err
		}
	}
	if truncated {
		// inbound events that left the ring are still in the inbox: they come again on this subscription, after the
		// replay (the gateway stores each once)
		if m, err := s.mgr(); err == nil {
			if err := m.RepublishInbox(stream.Context()); err != nil {
				return s.fail("stream events", "", err)
			}
		}
	}
	for {
		select {
		case e, ok := <-sub.C():
			if !ok {
				return s.fail("stream events", "", sub.Err())
			}
			if err := send(e); err != nil {
				return err
			}
		case <-stream.Context().Done():
			return nil
		case <-s.closing:
			return s.fail("stream events", "", errShuttingDown)
		}
	}
}
