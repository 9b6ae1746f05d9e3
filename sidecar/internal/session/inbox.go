package session

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"

	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// inboxTimeout bounds one inbox commit on whatsmeow's dispatcher; after it the stanza stays unacked and WhatsApp
// delivers it again at the next login.
const inboxTimeout = 15 * time.Second

// messageKey names a message stanza: WhatsApp ids are unique per sender only.
func messageKey(v *events.Message) string {
	return dedupeKey("message", v.Info.Chat.ToNonAD().String(), v.Info.Sender.String(), v.Info.ID)
}

// receiptKey names a receipt stanza: one sender device's receipt of one type for a set of messages.
func receiptKey(v *events.Receipt) string {
	return dedupeKey("receipt", v.Chat.ToNonAD().String(), v.Sender.String(), string(v.Type), strings.Join(v.MessageIDs, ","))
}

// dedupeKey keeps the kind readable and hashes the rest, so a receipt for many ids still fits a btree index entry.
func dedupeKey(kind string, parts ...string) string {
	sum := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return kind + ":" + hex.EncodeToString(sum[:])
}

// emitDurableLocked commits e to the inbox, then publishes it. It reports false when the commit failed, so that
// whatsmeow leaves the stanza unacked. A stanza already waiting in the inbox (delivered again after a crash between
// the commit and the ack) is not published again here: the next Connect publishes every waiting row.
func (s *Session) emitDurableLocked(ctx context.Context, e *sidecarv1.Event, key string) bool {
	in := s.m.opts.Inbox
	if in == nil {
		s.emitLocked(e)
		return true
	}
	s.stampLocked(e)
	e.DedupeKey = key
	e.TimestampUnixMs = time.Now().UnixMilli()
	raw, err := proto.Marshal(e)
	if err != nil {
		s.log.Error().Err(err).Msg("Failed to encode an inbound event; leaving it unacked")
		return false
	}
	ctx, cancel := context.WithTimeout(ctx, inboxTimeout)
	defer cancel()
	id, inserted, err := in.Put(ctx, s.id, key, raw)
	if err != nil {
		s.log.Warn().Err(err).Msg("Inbound event not stored; WhatsApp will deliver it again at the next login")
		return false
	}
	if inserted {
		e.InboxId = id
		s.m.hub.Publish(e)
	}
	return true
}

// republishInbox publishes the instance's unconfirmed inbox rows again, oldest first, under new seqs. The gateway
// stores each once (by dedupe_key) and confirms it.
func (m *Manager) republishInbox(ctx context.Context, s *Session) error {
	in := m.opts.Inbox
	if in == nil {
		return nil
	}
	rows, err := in.Pending(ctx, s.id)
	if err != nil {
		return &UnavailableError{Op: "read the inbox", Err: err}
	}
	if len(rows) == 0 {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range rows {
		e := &sidecarv1.Event{}
		if err := proto.Unmarshal(r.Event, e); err != nil {
			s.log.Error().Err(err).Int64("inbox_id", r.ID).Msg("Skipping an unreadable inbox row")
			continue
		}
		e.InboxId = r.ID
		m.hub.Publish(e)
	}
	s.log.Info().Int("events", len(rows)).Msg("Published unconfirmed inbound events again")
	return nil
}

// RepublishInbox publishes the unconfirmed inbox rows of every session of this process again: for a subscriber
// whose replay lost events that left the bounded ring.
func (m *Manager) RepublishInbox(ctx context.Context) error {
	m.mu.RLock()
	list := make([]*Session, 0, len(m.sessions))
	for _, s := range m.sessions {
		list = append(list, s)
	}
	m.mu.RUnlock()
	for _, s := range list {
		if err := m.republishInbox(ctx, s); err != nil {
			return err
		}
	}
	return nil
}

// ConfirmEvents forgets inbox rows the gateway has stored.
func (m *Manager) ConfirmEvents(ctx context.Context, ids []int64) error {
	if m.opts.Inbox == nil {
		return nil
	}
	if err := m.opts.Inbox.Confirm(ctx, ids); err != nil {
		return &UnavailableError{Op: "confirm events", Err: err}
	}
	return nil
}
