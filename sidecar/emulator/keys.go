package emulator

import (
	"strconv"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

// lowPreKeys is the count below which the server tells a device to upload more (whatsmeow's MinPreKeyCount).
const lowPreKeys = 5

// PreKey is one uploaded prekey: a 3-byte id, a public key and, for the signed prekey, its signature.
type PreKey struct {
	ID  []byte `json:"id"`
	Pub []byte `json:"pub"`
	Sig []byte `json:"sig,omitempty"`
}

// DeviceKeys is what a device uploaded: the bundle other devices fetch to start a Signal session with it.
type DeviceKeys struct {
	Registration []byte   `json:"registration"`
	KeyType      []byte   `json:"type"`
	Identity     []byte   `json:"identity"`
	Signed       PreKey   `json:"signed"`
	OneTime      []PreKey `json:"oneTime"`
}

func parsePreKey(n waBinary.Node) PreKey {
	var k PreKey
	k.ID, _ = n.GetChildByTag("id").Content.([]byte)
	k.Pub, _ = n.GetChildByTag("value").Content.([]byte)
	k.Sig, _ = n.GetChildByTag("signature").Content.([]byte)
	return k
}

func (k PreKey) node(tag string) waBinary.Node {
	children := []waBinary.Node{{Tag: "id", Content: k.ID}, {Tag: "value", Content: k.Pub}}
	if tag == "skey" {
		children = append(children, waBinary.Node{Tag: "signature", Content: k.Sig})
	}
	return waBinary.Node{Tag: tag, Content: children}
}

// storePreKeys keeps an upload (<registration>, <type>, <identity>, <list> of one-time keys, <skey>). A repeated
// upload adds keys; one with a key id already present replaces that key.
func (c *conn) storePreKeys(node *waBinary.Node) {
	if c.deviceJID == "" {
		return
	}
	bytesOf := func(tag string) []byte {
		b, _ := node.GetChildByTag(tag).Content.([]byte)
		return b
	}
	list := node.GetChildByTag("list")
	c.s.reg.mu.Lock()
	defer c.s.reg.mu.Unlock()
	d, ok := c.s.reg.st.Devices[c.deviceJID]
	if !ok {
		return
	}
	if d.Keys == nil {
		d.Keys = &DeviceKeys{}
	}
	k := d.Keys
	k.Registration, k.KeyType, k.Identity = bytesOf("registration"), bytesOf("type"), bytesOf("identity")
	if skey, ok := node.GetOptionalChildByTag("skey"); ok {
		k.Signed = parsePreKey(skey)
	}
	seen := map[string]int{}
	for i, pk := range k.OneTime {
		seen[string(pk.ID)] = i
	}
	for _, child := range list.GetChildren() {
		pk := parsePreKey(child)
		if i, dup := seen[string(pk.ID)]; dup {
			k.OneTime[i] = pk
			continue
		}
		seen[string(pk.ID)] = len(k.OneTime)
		k.OneTime = append(k.OneTime, pk)
	}
	d.PreKeys = len(k.OneTime)
	c.s.reg.touchDeviceLocked(c.deviceJID)
}

func (c *conn) preKeyCount() int {
	if c.deviceJID == "" {
		return 0
	}
	d, _ := c.s.reg.get(c.deviceJID)
	return d.PreKeys
}

// takeBundle returns the bundle of a device and consumes its oldest one-time prekey (none once they run out).
// found is false for an unknown device or one that never uploaded keys.
func (r *registry) takeBundle(j types.JID) (keys DeviceKeys, oneTime *PreKey, owner string, left int, found bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.deviceByAnyJIDLocked(j)
	if d == nil || d.Keys == nil {
		return DeviceKeys{}, nil, "", 0, false
	}
	if len(d.Keys.OneTime) > 0 {
		pk := d.Keys.OneTime[0]
		oneTime = &pk
		d.Keys.OneTime = d.Keys.OneTime[1:]
		d.PreKeys = len(d.Keys.OneTime)
		r.touchDeviceLocked(d.JID)
	}
	return *d.Keys, oneTime, d.JID, d.PreKeys, true
}

// fetchPreKeys answers <iq xmlns=encrypt type=get><key><user jid=…/>…</key></iq> with one bundle per device;
// an unknown device gets <error code=404> inside its <user>, which whatsmeow reports for that device only.
func (c *conn) fetchPreKeys(id string, keyNode waBinary.Node) {
	var users []waBinary.Node
	for _, u := range keyNode.GetChildren() {
		if u.Tag != "user" {
			continue
		}
		j, ok := u.Attrs["jid"].(types.JID)
		if !ok {
			continue
		}
		keys, oneTime, owner, left, found := c.s.reg.takeBundle(j)
		if !found {
			users = append(users, waBinary.Node{Tag: "user", Attrs: waBinary.Attrs{"jid": j},
				Content: []waBinary.Node{{Tag: "error", Attrs: waBinary.Attrs{"code": "404", "text": "item-not-found"}}}})
			continue
		}
		children := []waBinary.Node{
			{Tag: "registration", Content: keys.Registration},
			{Tag: "type", Content: keys.KeyType},
			{Tag: "identity", Content: keys.Identity},
			keys.Signed.node("skey"),
		}
		if oneTime != nil {
			children = append(children, oneTime.node("key"))
		}
		users = append(users, waBinary.Node{Tag: "user", Attrs: waBinary.Attrs{"jid": j}, Content: children})
		if oneTime != nil && left < lowPreKeys {
			c.s.notifyLowPreKeys(owner, left)
		}
	}
	c.reply(iqResult(id, waBinary.Node{Tag: "list", Content: users}))
}

// notifyLowPreKeys tells a connected device that it runs out of one-time prekeys, as the real server does;
// whatsmeow answers with a new upload.
func (s *Server) notifyLowPreKeys(jid string, left int) {
	c := s.liveConn(jid)
	if c == nil {
		return
	}
	go func() {
		err := c.send(waBinary.Node{Tag: "notification", Attrs: waBinary.Attrs{
			"from": types.ServerJID, "type": "encrypt", "id": c.newID(), "t": strconv.FormatInt(nowUnix(), 10),
		}, Content: []waBinary.Node{{Tag: "count", Attrs: waBinary.Attrs{"value": strconv.Itoa(left)}}}})
		if err != nil {
			c.log.Debug().Err(err).Msg("could not send the low prekey notification")
		}
	}()
}
