package emulator

import (
	"sync"
	"time"
)

// trafficCap is how many entries the traffic log keeps; older ones are overwritten.
const trafficCap = 10_000

// TrafficEntry is the metadata of one stanza or media transfer the emulator saw (it has no plaintext).
type TrafficEntry struct {
	Seq    uint64    `json:"seq"`
	Time   time.Time `json:"time"`
	Kind   string    `json:"kind"` // message, receipt, ack, iq, media
	From   string    `json:"from"`
	To     string    `json:"to"`
	ID     string    `json:"id"`
	Type   string    `json:"type"`
	Bytes  int       `json:"bytes"`
	Queued bool      `json:"queued"`
}

// trafficLog is a ring buffer of the latest entries with waiters for new ones (the SSE stream).
type trafficLog struct {
	mu      sync.Mutex
	entries []TrafficEntry
	next    uint64 // seq of the next entry, starting at 1
	notify  chan struct{}
}

func newTrafficLog(capacity int) *trafficLog {
	return &trafficLog{entries: make([]TrafficEntry, 0, capacity), next: 1, notify: make(chan struct{})}
}

func (l *trafficLog) add(e TrafficEntry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	e.Seq, e.Time = l.next, time.Now().UTC()
	l.next++
	if len(l.entries) < cap(l.entries) {
		l.entries = append(l.entries, e)
	} else {
		l.entries[(e.Seq-1)%uint64(cap(l.entries))] = e
	}
	close(l.notify)
	l.notify = make(chan struct{})
}

// after returns up to limit entries with seq > after, oldest first, and a channel closed at the next add.
func (l *trafficLog) after(after uint64, limit int) ([]TrafficEntry, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []TrafficEntry{}
	first := uint64(1)
	if l.next-1 > uint64(cap(l.entries)) {
		first = l.next - uint64(cap(l.entries))
	}
	for seq := max(after+1, first); seq < l.next && len(out) < limit; seq++ {
		out = append(out, l.entries[(seq-1)%uint64(cap(l.entries))])
	}
	return out, l.notify
}
