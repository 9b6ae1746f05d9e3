package emulator

import (
	"net/http"
	"time"
)

// MessageFaults disturb the relay (see the emulator page in docs/).
type MessageFaults struct {
	// MessageAckError acks every <message> with this error code and relays nothing (479, 463, …).
	MessageAckError *int `json:"messageAckError"`
	// DropMessages: the next n messages are acked but never relayed.
	DropMessages int `json:"dropMessages"`
	// CorruptMessages: the next n relayed <enc> payloads get flipped bytes, so the recipient asks for a retry.
	CorruptMessages int `json:"corruptMessages"`
	// ReceiptDelayMs delays every relayed receipt; HoldReceipts keeps them back until it is cleared.
	ReceiptDelayMs int  `json:"receiptDelayMs"`
	HoldReceipts   bool `json:"holdReceipts"`
}

func (f MessageFaults) validate() error {
	if f.MessageAckError != nil && (*f.MessageAckError < 100 || *f.MessageAckError > 999) {
		return apiErr(http.StatusBadRequest, "messageAckError must be null or a 3-digit error code")
	}
	if f.DropMessages < 0 || f.CorruptMessages < 0 {
		return apiErr(http.StatusBadRequest, "dropMessages and corruptMessages must not be negative")
	}
	if f.ReceiptDelayMs < 0 || f.ReceiptDelayMs > 60_000 {
		return apiErr(http.StatusBadRequest, "receiptDelayMs must be between 0 and 60000")
	}
	return nil
}

type messageFaultHit struct {
	ackError *int
	drop     bool
}

// takeMessageFaults decides what happens to one incoming <message>; a duplicate consumes no counter.
func (s *Server) takeMessageFaults(dup bool) messageFaultHit {
	s.mu.Lock()
	defer s.mu.Unlock()
	hit := messageFaultHit{ackError: s.faults.MessageAckError}
	if !dup && hit.ackError == nil && s.faults.DropMessages > 0 {
		s.faults.DropMessages--
		hit.drop = true
	}
	return hit
}

// takeCorruption reports whether the next relayed <enc> is to be corrupted.
func (s *Server) takeCorruption() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.faults.CorruptMessages > 0 {
		s.faults.CorruptMessages--
		return true
	}
	return false
}

type heldReceipt struct {
	jid string
	q   *Queued
}

// deliverReceipt queues a relayed receipt for a device, unless the receipt faults hold it back or delay it.
func (s *Server) deliverReceipt(jid string, q *Queued) {
	s.mu.Lock()
	hold, delay := s.faults.HoldReceipts, s.faults.ReceiptDelayMs
	if hold {
		s.held = append(s.held, heldReceipt{jid: jid, q: q})
	}
	s.mu.Unlock()
	switch {
	case hold:
	case delay > 0:
		time.AfterFunc(time.Duration(delay)*time.Millisecond, func() {
			if s.ctx.Err() == nil {
				s.enqueue(jid, q)
			}
		})
	default:
		s.enqueue(jid, q)
	}
}
