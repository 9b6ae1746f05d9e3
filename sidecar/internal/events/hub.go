// Package events numbers lifecycle events per boot, keeps a bounded replay buffer and fans them out to
// StreamEvents subscribers without ever blocking the publisher (whatsmeow's event dispatcher).
package events

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"sync"
	"time"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// DefaultRingSize is how many events a re-subscriber can catch up on within one boot.
const DefaultRingSize = 10_000

// DefaultSubscriberBuffer is how far a subscriber may fall behind before it is dropped.
const DefaultSubscriberBuffer = 4096

// ErrSubscriberDropped is the reason a subscription ends when its reader fell behind.
var ErrSubscriberDropped = errors.New("event subscriber fell behind and was dropped; re-subscribe with boot_id and after_seq")

// Hub is the process's single ordered event log.
type Hub struct {
	bootID  string
	started time.Time
	bufSize int
	now     func() time.Time

	mu   sync.Mutex // protects seq, ring, head, size and subs
	seq  uint64
	ring []*sidecarv1.Event
	head int // index of the oldest buffered event
	size int
	subs map[*Subscription]struct{}
}

// NewHub creates a hub with a fresh random boot id.
func NewHub(ringSize, subscriberBuffer int) *Hub {
	if ringSize <= 0 {
		ringSize = DefaultRingSize
	}
	if subscriberBuffer <= 0 {
		subscriberBuffer = DefaultSubscriberBuffer
	}
	return &Hub{
		bootID:  newBootID(),
		started: time.Now(),
		bufSize: subscriberBuffer,
		now:     time.Now,
		ring:    make([]*sidecarv1.Event, ringSize),
		subs:    map[*Subscription]struct{}{},
	}
}

func newBootID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// BootID identifies this process; it changes on every start.
func (h *Hub) BootID() string { return h.bootID }

// LastSeq is the seq of the last event published (0 before the first).
func (h *Hub) LastSeq() uint64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.seq
}

// Boot announces this process: the first message of every StreamEvents stream.
func (h *Hub) Boot() *sidecarv1.Boot {
	return &sidecarv1.Boot{BootId: h.bootID, StartedAtUnixMs: h.started.UnixMilli()}
}

// Publish stamps e with boot id, seq and (when unset) time, records it and hands it to every subscriber.
// It never blocks: a subscriber whose buffer is full is dropped.
func (h *Hub) Publish(e *sidecarv1.Event) *sidecarv1.Event {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.seq++
	e.BootId = h.bootID
	e.Seq = h.seq
	if e.TimestampUnixMs == 0 {
		e.TimestampUnixMs = h.now().UnixMilli()
	}
	idx := (h.head + h.size) % len(h.ring)
	h.ring[idx] = e
	if h.size < len(h.ring) {
		h.size++
	} else {
		h.head = (h.head + 1) % len(h.ring)
	}
	for s := range h.subs {
		select {
		case s.ch <- e:
		default:
			s.err = ErrSubscriberDropped
			close(s.ch)
			delete(h.subs, s)
		}
	}
	return e
}

// Subscription receives events published after it was created.
type Subscription struct {
	ch  chan *sidecarv1.Event
	err error // set under Hub.mu before ch is closed
}

// C delivers events in order; it is closed when the subscription was dropped or cancelled.
func (s *Subscription) C() <-chan *sidecarv1.Event { return s.ch }

// Err says why C was closed; read it only after C is closed.
func (s *Subscription) Err() error { return s.err }

// Subscribe registers a subscriber and returns what it must replay first. Events after afterSeq are replayed
// when bootID names this boot; otherwise every buffered event is. truncated reports that some requested
// events had already left the buffer. Replay and live delivery are consistent: no gap, no duplicate.
func (h *Hub) Subscribe(bootID string, afterSeq uint64) (sub *Subscription, replay []*sidecarv1.Event, truncated bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if bootID != h.bootID {
		afterSeq = 0
	}
	oldest := h.seq - uint64(h.size) + 1 // seq of ring[head] when size > 0
	truncated = h.size > 0 && afterSeq+1 < oldest
	for i := 0; i < h.size; i++ {
		e := h.ring[(h.head+i)%len(h.ring)]
		if e.Seq > afterSeq {
			replay = append(replay, e) // published events are never mutated, so sharing is safe
		}
	}
	sub = &Subscription{ch: make(chan *sidecarv1.Event, h.bufSize)}
	h.subs[sub] = struct{}{}
	return sub, replay, truncated
}

// Unsubscribe stops delivery to sub and closes its channel; safe to call more than once.
func (h *Hub) Unsubscribe(sub *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[sub]; ok {
		delete(h.subs, sub)
		close(sub.ch)
	}
}
