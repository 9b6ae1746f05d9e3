package emulator

import (
	"strconv"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

// The relay never decrypts: whatsmeow on both ends does the Signal work. It moves <enc> payloads from the sender's
// <message> to each addressed device, adds the sender's other address form (sender_lid / sender_pn) and queues
// everything per device until that device acks it.

// seenCap bounds the duplicate-id memory; older ids are forgotten first.
const seenCap = 100_000

func (c *conn) relay(node *waBinary.Node) {
	switch node.Tag {
	case "message":
		c.relayMessage(node)
	case "receipt":
		c.relayReceipt(node)
	case "ack":
		ag := node.AttrGetter()
		peer := ""
		if j, ok := node.Attrs["to"].(types.JID); ok {
			peer = j.String()
		}
		class, id, typ := ag.OptionalString("class"), ag.OptionalString("id"), ag.OptionalString("type")
		c.s.traffic.add(TrafficEntry{Kind: "ack", From: c.deviceJID, To: peer, ID: id, Type: class})
		c.s.acked(c.deviceJID, class, id, peer, typ)
	case "chatstate":
		c.relayChatState(node)
	}
}

// sender is the logged-in device of this socket in both address forms.
func (c *conn) sender() (pn, lid types.JID, ok bool) {
	d, found := c.s.reg.get(c.deviceJID)
	if !found {
		return types.JID{}, types.JID{}, false
	}
	lid, err := types.ParseJID(d.LID)
	if err != nil {
		return types.JID{}, types.JID{}, false
	}
	return d.adJID(), lid, true
}

// seenBefore records (sender, id, retry count) and returns the server time of the first copy if it was seen already.
func (s *Server) seenBefore(key string, t int64) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if first, ok := s.seen[key]; ok {
		return first, true
	}
	if s.seen == nil {
		s.seen = map[string]int64{}
	}
	s.seen[key] = t
	s.seenOrder = append(s.seenOrder, key)
	if len(s.seenOrder) > seenCap {
		delete(s.seen, s.seenOrder[0])
		s.seenOrder = s.seenOrder[1:]
	}
	return t, false
}

type relayTarget struct {
	jid  types.JID
	encs []waBinary.Node
}

// messageTargets reads the devices a <message> addresses: <participants><to jid><enc/></to>…</participants>
// for a fan-out, or <enc> children and a device JID in "to" for a retry to one device.
func messageTargets(node *waBinary.Node, to types.JID) []relayTarget {
	if parts, ok := node.GetOptionalChildByTag("participants"); ok {
		var out []relayTarget
		for _, p := range parts.GetChildren() {
			j, ok := p.Attrs["jid"].(types.JID)
			if p.Tag == "to" && ok {
				out = append(out, relayTarget{jid: j, encs: p.GetChildrenByTag("enc")})
			}
		}
		return out
	}
	if encs := node.GetChildrenByTag("enc"); len(encs) > 0 {
		return []relayTarget{{jid: to, encs: encs}}
	}
	return nil
}

func (c *conn) relayMessage(node *waBinary.Node) {
	ag := node.AttrGetter()
	id := ag.OptionalString("id")
	to, _ := node.Attrs["to"].(types.JID)
	targets := messageTargets(node, to)
	retry := ""
	if len(targets) == 1 && len(targets[0].encs) == 1 {
		retry = targets[0].encs[0].AttrGetter().OptionalString("count")
	}
	t, dup := c.s.seenBefore(c.deviceJID+"|"+id+"|"+retry, nowUnix())
	ack := waBinary.Node{Tag: "ack", Attrs: waBinary.Attrs{"class": "message", "id": id, "t": strconv.FormatInt(t, 10)}}
	if !to.IsEmpty() {
		ack.Attrs["from"] = to
	}
	f := c.s.takeMessageFaults(dup)
	if f.ackError != nil {
		ack.Attrs["error"] = strconv.Itoa(*f.ackError)
	}
	c.s.traffic.add(TrafficEntry{Kind: "message", From: c.deviceJID, To: to.String(), ID: id, Type: ag.OptionalString("type"), Bytes: nodeBytes(node)})
	// the server acks once the message is in every recipient device's queue, as WhatsApp acks what it has stored: a
	// sender that got its ack can count on the stanza being queued (acked first, a test saw 2 of 3 queued)
	defer c.reply(ack)
	if dup || f.ackError != nil || f.drop {
		return
	}
	pn, lid, ok := c.sender()
	if !ok {
		return
	}
	senderDev, _ := c.s.reg.get(c.deviceJID)
	var extra []waBinary.Node
	for _, tag := range []string{"device-identity", "meta"} {
		if n, ok := node.GetOptionalChildByTag(tag); ok {
			extra = append(extra, n)
		}
	}
	for _, tg := range targets {
		dev, ok := c.s.reg.deviceByAnyJID(tg.jid)
		if !ok || dev.JID == c.deviceJID {
			continue
		}
		attrs := waBinary.Attrs{"id": id, "t": strconv.FormatInt(t, 10)}
		for _, k := range []string{"type", "edit", "category"} {
			if v, ok := node.Attrs[k]; ok {
				attrs[k] = v
			}
		}
		from := pn
		if tg.jid.Server == types.HiddenUserServer {
			from = lid
		}
		attrs["from"] = from
		if senderDev.PushName != "" {
			attrs["notify"] = senderDev.PushName
		}
		if dev.Phone == pn.User {
			// Another device of the sender's own account: whatsmeow reads the chat from "recipient".
			attrs["recipient"] = to
			for _, k := range []string{"peer_recipient_pn", "peer_recipient_lid"} {
				if v, ok := node.Attrs[k]; ok {
					attrs[k] = v
				}
			}
		} else if from.Server == types.HiddenUserServer {
			attrs["sender_pn"] = pn.ToNonAD()
		} else {
			attrs["sender_lid"] = lid.ToNonAD()
		}
		content := make([]waBinary.Node, 0, len(tg.encs)+len(extra))
		for _, enc := range tg.encs {
			if c.s.takeCorruption() {
				enc = corrupt(enc)
			}
			content = append(content, enc)
		}
		content = append(content, extra...)
		out := waBinary.Node{Tag: "message", Attrs: attrs, Content: content}
		data, err := EncodeNode(out)
		if err != nil {
			c.log.Warn().Err(err).Msg("could not encode a relayed message")
			continue
		}
		sent := c.s.enqueue(dev.JID, &Queued{Class: "message", ID: id, From: from.String(), Node: data})
		c.s.traffic.add(TrafficEntry{Kind: "message", From: from.String(), To: dev.JID, ID: id, Type: ag.OptionalString("type"), Bytes: len(data), Queued: !sent})
	}
}

// corrupt flips bytes in the middle of an <enc> payload, so the recipient cannot decrypt it and asks for a retry.
func corrupt(enc waBinary.Node) waBinary.Node {
	payload, ok := enc.Content.([]byte)
	if !ok || len(payload) == 0 {
		return enc
	}
	flipped := append([]byte(nil), payload...)
	for i := len(flipped) / 2; i < len(flipped) && i < len(flipped)/2+8; i++ {
		flipped[i] ^= 0xff
	}
	enc.Content = flipped
	return enc
}

// accountTargets lists the devices a receipt or chat state for j goes to: j itself when it names a device, else
// every device of the account that uploaded keys.
func (s *Server) accountTargets(j types.JID) []Device {
	if j.Device != 0 {
		if d, ok := s.reg.deviceByAnyJID(j); ok {
			return []Device{d}
		}
		return nil
	}
	phone, _, known := s.reg.account(j)
	if !known {
		return nil
	}
	var out []Device
	for _, n := range s.reg.keyedDevices(phone) {
		if d, ok := s.reg.get(types.NewADJID(phone, 0, uint8(n)).String()); ok {
			out = append(out, d)
		}
	}
	return out
}

func (c *conn) relayReceipt(node *waBinary.Node) {
	ag := node.AttrGetter()
	id, typ := ag.OptionalString("id"), ag.OptionalString("type")
	to, _ := node.Attrs["to"].(types.JID)
	ack := waBinary.Node{Tag: "ack", Attrs: waBinary.Attrs{"class": "receipt", "id": id}}
	if typ != "" {
		ack.Attrs["type"] = typ
	}
	if !to.IsEmpty() {
		ack.Attrs["from"] = to
	}
	c.reply(ack)
	// Any receipt for a message means the device processed it: it leaves the device's queue.
	ids := []string{id}
	if list, ok := node.GetOptionalChildByTag("list"); ok {
		for _, item := range list.GetChildren() {
			if v, ok := item.Attrs["id"].(string); ok {
				ids = append(ids, v)
			}
		}
	}
	for _, mid := range ids {
		c.s.acked(c.deviceJID, "message", mid, to.String(), "")
	}
	c.s.traffic.add(TrafficEntry{Kind: "receipt", From: c.deviceJID, To: to.String(), ID: id, Type: typ, Bytes: nodeBytes(node)})
	pn, lid, ok := c.sender()
	if !ok || to.IsEmpty() {
		return
	}
	from := pn
	if to.Server == types.HiddenUserServer {
		from = lid
	}
	attrs := waBinary.Attrs{}
	for k, v := range node.Attrs {
		if k != "to" {
			attrs[k] = v
		}
	}
	attrs["from"] = from
	if typ == string(types.ReceiptTypeInactive) {
		// "inactive" only tells the server the device is in the background; the sender sees a plain delivery.
		delete(attrs, "type")
		typ = ""
	}
	if _, ok := attrs["t"]; !ok {
		attrs["t"] = strconv.FormatInt(nowUnix(), 10)
	}
	out := waBinary.Node{Tag: "receipt", Attrs: attrs, Content: node.Content}
	data, err := EncodeNode(out)
	if err != nil {
		c.log.Warn().Err(err).Msg("could not encode a relayed receipt")
		return
	}
	for _, dev := range c.s.accountTargets(to) {
		if dev.JID == c.deviceJID {
			continue
		}
		q := &Queued{Class: "receipt", ID: id, From: from.String(), Type: typ, Node: data}
		c.s.deliverReceipt(dev.JID, q)
	}
}

func (c *conn) relayChatState(node *waBinary.Node) {
	to, ok := node.Attrs["to"].(types.JID)
	pn, lid, found := c.sender()
	if !ok || !found {
		return
	}
	from := pn.ToNonAD()
	if to.Server == types.HiddenUserServer {
		from = lid.ToNonAD()
	}
	out := waBinary.Node{Tag: "chatstate", Attrs: waBinary.Attrs{"from": from}, Content: node.Content}
	for _, dev := range c.s.accountTargets(to) {
		if peer := c.s.readyConn(dev.JID); peer != nil && dev.Phone != pn.User {
			if err := peer.send(out); err != nil {
				peer.log.Debug().Err(err).Msg("could not relay a chat state")
			}
		}
	}
}

// nodeBytes is the encoded size of a stanza, for the traffic log.
func nodeBytes(n *waBinary.Node) int {
	data, err := EncodeNode(*n)
	if err != nil {
		return 0
	}
	return len(data)
}
