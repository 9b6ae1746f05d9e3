package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"
	"github.com/rs/zerolog"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waWa6"
	"go.mau.fi/whatsmeow/types"
)

// handshakeTimeout bounds each handshake step so a silent peer cannot hold a goroutine forever.
const handshakeTimeout = 20 * time.Second

// conn is one accepted WhatsApp socket.
type conn struct {
	s      *Server
	id     uint64
	ws     *websocket.Conn
	ctx    context.Context
	cancel context.CancelFunc
	log    zerolog.Logger

	pending [][]byte // frames already read but not consumed
	first   bool

	writeMu sync.Mutex
	tr      *transport

	clientStatic [32]byte
	payload      *waWa6.ClientPayload
	deviceJID    string // set once logged in
	loggedIn     bool   // counted in the device's open sockets

	waitMu  sync.Mutex
	waiters map[string]chan *waBinary.Node

	pairing  atomic.Bool // a pair-success is in flight or done on this socket
	closing  atomic.Bool
	ready    atomic.Bool // logged in and the offline queue flushed: relayed stanzas go out live
	linkCode atomic.Pointer[linkCode]
}

func (s *Server) serveWS(w http.ResponseWriter, r *http.Request) {
	if s.CurrentFaults().RefuseConnections {
		// "Network down": drop the TCP connection without any HTTP answer.
		if hj, ok := w.(http.Hijacker); ok {
			if nc, _, err := hj.Hijack(); err == nil {
				nc.Close()
				return
			}
		}
		http.Error(w, "connections refused", http.StatusServiceUnavailable)
		return
	}
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		s.log.Debug().Err(err).Msg("websocket accept failed")
		return
	}
	ws.SetReadLimit(MaxFrameSize + 64)
	ctx, cancel := context.WithCancel(s.ctx)
	c := &conn{s: s, id: s.nextID.Add(1), ws: ws, ctx: ctx, cancel: cancel, first: true, waiters: map[string]chan *waBinary.Node{}}
	c.log = s.log.With().Uint64("conn", c.id).Logger()
	s.mu.Lock()
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	s.wg.Add(1)
	s.socketsOpen.Add(1)
	s.socketsTotal.Add(1)
	defer func() {
		if rec := recover(); rec != nil {
			c.log.Error().Interface("panic", rec).Bytes("stack", debug.Stack()).Msg("connection handler panicked")
		}
		c.closeNow()
		s.forget(c)
		s.socketsOpen.Add(-1)
		s.wg.Done()
	}()
	// run only returns when the connection ends, always with the error that ended it
	if err := c.run(); c.ctx.Err() == nil {
		c.log.Debug().Err(err).Msg("connection ended")
	}
}

// forget removes every index entry that points at c.
func (s *Server) forget(c *conn) {
	s.mu.Lock()
	delete(s.conns, c)
	if c.deviceJID != "" && s.byDevice[c.deviceJID] == c {
		delete(s.byDevice, c.deviceJID)
	}
	for ref, rc := range s.qrRefs {
		if rc.c == c {
			delete(s.qrRefs, ref)
		}
	}
	for phone, lc := range s.linkCodes {
		if lc.c == c {
			delete(s.linkCodes, phone)
		}
	}
	jid := c.deviceJID
	s.mu.Unlock()
	if jid != "" && c.loggedIn {
		s.reg.update(jid, false, func(d *Device) { d.LastSeen = time.Now(); d.Open-- })
	}
}

func (c *conn) readFrame(timeout time.Duration) ([]byte, error) {
	for len(c.pending) == 0 {
		ctx, cancel := c.ctx, context.CancelFunc(func() {})
		if timeout > 0 {
			ctx, cancel = context.WithTimeout(c.ctx, timeout)
		}
		typ, msg, err := c.ws.Read(ctx)
		cancel()
		if err != nil {
			return nil, err
		}
		if typ != websocket.MessageBinary {
			continue
		}
		frames, err := SplitFrames(msg, c.first)
		if err != nil {
			return nil, err
		}
		c.first = false
		c.pending = frames
	}
	f := c.pending[0]
	c.pending = c.pending[1:]
	return f, nil
}

func (c *conn) writeFrame(payload []byte) error {
	frame, err := EncodeFrame(payload)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.ctx, 10*time.Second)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageBinary, frame)
}

func (c *conn) run() error {
	hello, err := c.readFrame(handshakeTimeout)
	if err != nil {
		return fmt.Errorf("read client hello: %w", err)
	}
	res, err := responder(c.s.static, c.s.certChain, hello, c.writeFrame,
		func() ([]byte, error) { return c.readFrame(handshakeTimeout) })
	if err != nil {
		return err
	}
	c.tr, c.clientStatic, c.payload = res.transport, res.clientStatic, res.payload
	switch {
	case res.payload.Username != nil:
		c.login()
	case res.payload.DevicePairingData != nil:
		c.startRegistration()
	default:
		c.fail(400, nil)
	}
	for {
		frame, err := c.readFrame(0)
		if err != nil {
			return err
		}
		pt, err := c.tr.open(frame)
		if err != nil {
			return fmt.Errorf("undecryptable frame: %w", err)
		}
		node, err := DecodeNode(pt)
		if err != nil {
			c.log.Debug().Err(err).Msg("ignoring undecodable node")
			continue
		}
		c.handleNode(node)
	}
}

// send encrypts and writes one node; injected latency is applied here, per frame, in order.
func (c *conn) send(node waBinary.Node) error {
	data, err := EncodeNode(node)
	if err != nil {
		return err
	}
	return c.sendRaw(data)
}

var errNoHandshake = errors.New("handshake not finished")

// injectLatency applies the latencyMs fault; the caller holds writeMu, so frames keep their order.
func (c *conn) injectLatency() error {
	ms := c.s.CurrentFaults().LatencyMs
	if ms <= 0 {
		return nil
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.ctx.Done():
		return c.ctx.Err()
	}
}

func (c *conn) closeNow() {
	c.closing.Store(true)
	c.cancel()
	_ = c.ws.CloseNow()
}

// closeAfter leaves the socket open for d so the client can act on the last stanza, then drops it.
func (c *conn) closeAfter(d time.Duration) {
	c.closing.Store(true)
	go func() {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.ctx.Done():
		}
		c.closeNow()
	}()
}

func (c *conn) newID() string {
	return "emu-" + strconv.FormatUint(c.s.nextID.Add(1), 36)
}

// expect registers a waiter for the client's answer to a server-initiated IQ.
func (c *conn) expect(id string) chan *waBinary.Node {
	ch := make(chan *waBinary.Node, 1)
	c.waitMu.Lock()
	c.waiters[id] = ch
	c.waitMu.Unlock()
	return ch
}

func (c *conn) deliver(node *waBinary.Node) {
	id, _ := node.Attrs["id"].(string)
	c.waitMu.Lock()
	ch, ok := c.waiters[id]
	delete(c.waiters, id)
	c.waitMu.Unlock()
	if ok {
		ch <- node
	}
}

// await waits for an answer registered with expect; it fails when the socket ends first.
func (c *conn) await(ch chan *waBinary.Node, timeout time.Duration) (*waBinary.Node, error) {
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case n := <-ch:
		return n, nil
	case <-c.ctx.Done():
		return nil, errors.New("client disconnected")
	case <-t.C:
		return nil, errors.New("client did not answer in time")
	}
}

// streamError sends <stream:error code=…><conflict type=…/></stream:error> and closes after the delay.
func (c *conn) streamError(code, conflict string) {
	node := waBinary.Node{Tag: "stream:error", Attrs: waBinary.Attrs{}}
	if code != "" {
		node.Attrs["code"] = code
	}
	if conflict != "" {
		node.Content = []waBinary.Node{{Tag: "conflict", Attrs: waBinary.Attrs{"type": conflict}}}
	}
	if err := c.send(node); err != nil {
		c.log.Debug().Err(err).Msg("could not send stream error")
	}
	c.closeAfter(c.s.cfg.CloseDelay)
}

// fail sends <failure reason=…/> (plus extra attributes) and closes after the delay.
func (c *conn) fail(reason int, extra waBinary.Attrs) {
	attrs := waBinary.Attrs{"reason": strconv.Itoa(reason), "location": "emu"}
	for k, v := range extra {
		attrs[k] = v
	}
	if err := c.send(waBinary.Node{Tag: "failure", Attrs: attrs}); err != nil {
		c.log.Debug().Err(err).Msg("could not send failure")
	}
	c.closeAfter(c.s.cfg.CloseDelay)
}

func (c *conn) handleNode(node *waBinary.Node) {
	switch node.Tag {
	case "iq":
		c.handleIQ(node)
	case "call", "presence":
		c.handleClientStanza(node)
	case "message", "receipt", "ack", "chatstate":
		if c.deviceJID != "" {
			c.relay(node)
		}
	default:
		// ack, ib (unified_session) and receipts need no answer from this server.
	}
}

func iqResult(id string, children ...waBinary.Node) waBinary.Node {
	n := waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{"id": id, "type": "result", "from": types.ServerJID}}
	if len(children) > 0 {
		n.Content = children
	}
	return n
}

func iqError(id string, code int, text string) waBinary.Node {
	return waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{"id": id, "type": "error", "from": types.ServerJID},
		Content: []waBinary.Node{{Tag: "error", Attrs: waBinary.Attrs{"code": strconv.Itoa(code), "text": text}}}}
}

func (c *conn) reply(n waBinary.Node) {
	if err := c.send(n); err != nil {
		c.log.Debug().Err(err).Msg("could not send iq reply")
	}
}

func (c *conn) handleIQ(node *waBinary.Node) {
	ag := node.AttrGetter()
	typ := ag.OptionalString("type")
	id := ag.OptionalString("id")
	if typ == "result" || typ == "error" {
		c.deliver(node)
		return
	}
	if id == "" {
		return
	}
	xmlns := ag.OptionalString("xmlns")
	children := node.GetChildren()
	first := ""
	if len(children) > 0 {
		first = children[0].Tag
	}
	switch {
	case xmlns == "w:p":
		if c.s.CurrentFaults().IgnorePings {
			return
		}
		if c.send(iqResult(id)) == nil {
			c.s.pings.Add(1)
		}
	case xmlns == "passive":
		c.reply(iqResult(id))
		if c.deviceJID != "" && first == "active" && !c.ready.Load() {
			// Like the real server after login: the offline queue, then its count (OfflineSyncCompleted).
			c.flushQueue()
		}
	case xmlns == "encrypt" && typ == "get" && first == "count":
		c.reply(iqResult(id, waBinary.Node{Tag: "count", Attrs: waBinary.Attrs{"value": strconv.Itoa(c.preKeyCount())}}))
	case xmlns == "encrypt" && typ == "set" && hasChild(node, "list"):
		c.storePreKeys(node)
		c.reply(iqResult(id))
	case xmlns == "encrypt" && typ == "get" && first == "key":
		c.fetchPreKeys(id, children[0])
	case xmlns == "usync" && first == "usync":
		c.answerUsync(id, children[0])
	case xmlns == "privacy" && typ == "set" && first == "tokens":
		// Privacy tokens (tctoken) only gate abuse on the real server; accepting them keeps whatsmeow quiet.
		c.reply(iqResult(id))
	case xmlns == "w:m" && first == "media_conn":
		c.answerMediaConn(id)
	case xmlns == "md" && first == "remove-companion-device":
		c.removeCompanion(id)
	case xmlns == "md" && first == "link_code_companion_reg":
		c.handleLinkCodeIQ(id, &children[0])
	default:
		// Silence would make the client wait for its 75 s IQ timeout.
		c.reply(iqError(id, 501, "feature-not-implemented"))
	}
}

func hasChild(n *waBinary.Node, tag string) bool {
	_, ok := n.GetOptionalChildByTag(tag)
	return ok
}
