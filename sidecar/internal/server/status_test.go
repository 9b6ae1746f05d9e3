package server

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wagate/wagate/sidecar/internal/convert"
	"github.com/wagate/wagate/sidecar/internal/events"
	"github.com/wagate/wagate/sidecar/internal/session"
)

func TestToStatus(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("outer: %w", err) }
	cases := []struct {
		name string
		err  error
		want codes.Code
	}{
		{"nil", nil, codes.OK},
		{"empty instance", session.ErrInvalidInstance, codes.InvalidArgument},
		{"bad jid", wrap(convert.ErrInvalidJID), codes.InvalidArgument},
		{"bad proxy", wrap(convert.ErrInvalidProxy), codes.InvalidArgument},
		{"bad phone", wrap(convert.ErrInvalidPhone), codes.InvalidArgument},
		{"no session", session.ErrSessionNotFound, codes.NotFound},
		{"no device", wrap(session.ErrNoDevice), codes.FailedPrecondition},
		{"already paired", session.ErrAlreadyPaired, codes.FailedPrecondition},
		{"pairing running", session.ErrPairingInProgress, codes.FailedPrecondition},
		{"network", &session.UnavailableError{Op: "connect", Err: errors.New("dial tcp: refused")}, codes.Unavailable},
		{"not ready", errNotReady, codes.Unavailable},
		{"shutting down", errShuttingDown, codes.Unavailable},
		{"no code", session.ErrNoCodeInTime, codes.DeadlineExceeded},
		{"slow subscriber", events.ErrSubscriberDropped, codes.ResourceExhausted},
		{"cancelled", context.Canceled, codes.Canceled},
		{"already a status", status.Error(codes.Aborted, "x"), codes.Aborted},
		{"anything else", errors.New("boom"), codes.Internal},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := toStatus("op", c.err)
			if status.Code(got) != c.want {
				t.Fatalf("toStatus(%v) = %v, want %s", c.err, got, c.want)
			}
		})
	}
	if msg := status.Convert(toStatus("load device", errors.New("boom"))).Message(); msg != "load device: boom" {
		t.Fatalf("INTERNAL message %q does not name the operation", msg)
	}
	if msg := status.Convert(toStatus("connect", &session.UnavailableError{Op: "connect to WhatsApp", Err: errors.New("dns failure")})).Message(); msg != "connect to WhatsApp: dns failure" {
		t.Fatalf("UNAVAILABLE message %q does not carry the reason", msg)
	}
}
