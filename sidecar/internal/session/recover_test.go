package session

import (
	"strings"
	"testing"

	"github.com/rs/zerolog"
	waevents "go.mau.fi/whatsmeow/types/events"

	"github.com/wagate/wagate/sidecar/internal/events"
)

// A panic while handling one session's event must stay in that session: the dispatcher goroutine survives and
// the session records what happened.
func TestHandleEventRecoversPanics(t *testing.T) {
	m := NewManager(nil, events.NewHub(8, 8), zerolog.Nop(), Options{})
	s := newSession(m, "inst")
	// A nil client makes handleConnected dereference nil: the kind of bug the recover is there for.
	s.handleEvent(0, nil, &waevents.Connected{})
	info := s.Info()
	if !strings.Contains(info.GetLastError(), "internal error") {
		t.Fatalf("last_error %q does not report the recovered panic", info.GetLastError())
	}
}
