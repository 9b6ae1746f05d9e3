package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

// defaultCaller is who calls when the control request names nobody.
const defaultCaller = "5511000000000"

// Call sends the device an incoming call offer (whatsmeow emits events.CallOffer) and returns its id.
// A client that rejects it (RejectCall) is counted in the device's callsRejected.
func (s *Server) Call(jid, from string) (string, error) {
	if from == "" {
		from = defaultCaller
	}
	if !validPhone(from) {
		return "", apiErr(http.StatusBadRequest, "from must be 7-20 digits in international form")
	}
	if _, ok := s.reg.get(jid); !ok {
		return "", apiErr(http.StatusNotFound, "unknown device %s", jid)
	}
	c := s.liveConn(jid)
	if c == nil {
		return "", apiErr(http.StatusConflict, "device %s is not connected", jid)
	}
	idBytes := make([]byte, 16)
	_, _ = rand.Read(idBytes)
	callID := strings.ToUpper(hex.EncodeToString(idBytes))
	caller := types.NewJID(from, types.DefaultUserServer)
	if err := c.send(waBinary.Node{Tag: "call", Attrs: waBinary.Attrs{
		"from": caller, "id": c.newID(), "t": strconv.FormatInt(time.Now().Unix(), 10),
		"platform": "android", "version": "2.25.1.1",
	}, Content: []waBinary.Node{{Tag: "offer", Attrs: waBinary.Attrs{
		"call-id": callID, "call-creator": caller,
	}}}}); err != nil {
		return "", apiErr(http.StatusConflict, "device %s went away", jid)
	}
	return callID, nil
}

// handleClientStanza records what a logged-in client tells the server outside IQs: call rejections and
// presence, which the control API exposes so tests can check a client's settings took effect.
func (c *conn) handleClientStanza(node *waBinary.Node) {
	if c.deviceJID == "" {
		return
	}
	switch node.Tag {
	case "call":
		if _, ok := node.GetOptionalChildByTag("reject"); ok {
			c.s.reg.update(c.deviceJID, false, func(d *Device) { d.CallsRejected++ })
		}
	case "presence":
		state := node.AttrGetter().OptionalString("type")
		if state == "" {
			state = "available"
		}
		name := node.AttrGetter().OptionalString("name")
		c.s.reg.update(c.deviceJID, false, func(d *Device) {
			d.Presence = state
			if name != "" && name != d.PushName {
				d.PushName = name
				c.s.reg.touchDeviceLocked(d.JID) // update runs fn under the registry lock
			}
		})
	}
}
