package emulator

import (
	"strconv"
	"sync"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

// Queued is one stanza waiting for a device: relayed messages and receipts stay here until the device acks them
// (an <ack>, or for a message also any <receipt> for it), so a socket that drops first gets them again at login.
type Queued struct {
	Class string `json:"class"` // "message" or "receipt", the class of the <ack> that removes it
	ID    string `json:"id"`
	From  string `json:"from"`           // the from attribute the device saw, which its ack names as "to"
	Type  string `json:"type,omitempty"` // receipt type
	Node  []byte `json:"node"`           // the encoded stanza
	sent  bool
}

// deviceLock serialises everything that writes one device's queue to its socket, so stanzas go out in order.
func (s *Server) deviceLock(jid string) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.devLocks == nil {
		s.devLocks = map[string]*sync.Mutex{}
	}
	m, ok := s.devLocks[jid]
	if !ok {
		m = &sync.Mutex{}
		s.devLocks[jid] = m
	}
	return m
}

// readyConn is the device's socket once its offline queue was flushed; before that, new stanzas only queue up.
func (s *Server) readyConn(jid string) *conn {
	c := s.liveConn(jid)
	if c == nil || !c.ready.Load() || c.closing.Load() {
		return nil
	}
	return c
}

// enqueue stores a stanza for a device and sends it at once when the device is online; it reports whether it
// went out now.
func (s *Server) enqueue(jid string, q *Queued) bool {
	lock := s.deviceLock(jid)
	lock.Lock()
	defer lock.Unlock()
	s.reg.mu.Lock()
	s.reg.st.Queues[jid] = append(s.reg.st.Queues[jid], q)
	s.reg.touchQueueLocked(jid)
	s.reg.mu.Unlock()
	c := s.readyConn(jid)
	if c == nil {
		return false
	}
	markSent(s, q)
	return c.sendRaw(q.Node) == nil
}

// markSent lets the device's ack remove q. It is set before the write: a device that acks at once (whatsmeow
// without SynchronousAck does, from a goroutine) could otherwise be heard before the flag is set, and the acked
// stanza would stay queued and be delivered again at the next login. A failed write leaves q queued all the same:
// the next login sends the whole queue.
func markSent(s *Server, q *Queued) {
	s.reg.mu.Lock()
	q.sent = true
	s.reg.mu.Unlock()
}

// flushQueue sends everything waiting for the device in order, then <ib><offline count=N/></ib>, and only then
// lets live stanzas through (the caller is the device's own read loop, right after its passive IQ).
func (c *conn) flushQueue() {
	lock := c.s.deviceLock(c.deviceJID)
	lock.Lock()
	defer lock.Unlock()
	c.s.reg.mu.Lock()
	pending := append([]*Queued(nil), c.s.reg.st.Queues[c.deviceJID]...)
	c.s.reg.mu.Unlock()
	sent := 0
	for _, q := range pending {
		markSent(c.s, q)
		if err := c.sendRaw(q.Node); err != nil {
			c.log.Debug().Err(err).Msg("offline flush stopped")
			return
		}
		c.s.traffic.add(TrafficEntry{Kind: q.Class, From: q.From, To: c.deviceJID, ID: q.ID, Type: q.Type, Bytes: len(q.Node)})
		sent++
	}
	c.reply(waBinary.Node{Tag: "ib", Attrs: waBinary.Attrs{"from": types.ServerJID},
		Content: []waBinary.Node{{Tag: "offline", Attrs: waBinary.Attrs{"count": strconv.Itoa(sent)}}}})
	c.ready.Store(true)
}

// acked removes the device's sent stanzas that match an ack (class, id, and the peer it names, when it names one).
func (s *Server) acked(jid, class, id, peer, typ string) {
	s.reg.mu.Lock()
	defer s.reg.mu.Unlock()
	q := s.reg.st.Queues[jid]
	kept := q[:0]
	for _, e := range q {
		match := e.sent && e.Class == class && e.ID == id && (peer == "" || e.From == peer) &&
			(class != "receipt" || e.Type == typ)
		if !match {
			kept = append(kept, e)
		}
	}
	if len(kept) == len(q) {
		return
	}
	for i := len(kept); i < len(q); i++ {
		q[i] = nil
	}
	if len(kept) == 0 {
		delete(s.reg.st.Queues, jid)
	} else {
		s.reg.st.Queues[jid] = kept
	}
	s.reg.touchQueueLocked(jid)
}

// queuedCount is the number of stanzas waiting for a device.
func (r *registry) queuedCount(jid string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.st.Queues[jid])
}

func (c *conn) sendRaw(data []byte) error {
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if err := c.injectLatency(); err != nil {
		return err
	}
	if c.tr == nil {
		return errNoHandshake
	}
	return c.writeFrame(c.tr.seal(data))
}
