package emulator

import (
	"strconv"
	"time"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
)

// login handles a ClientPayload that names an existing device (whatsmeow's getLoginPayload).
func (c *conn) login() {
	phone := strconv.FormatUint(c.payload.GetUsername(), 10)
	jid := types.NewADJID(phone, 0, uint8(c.payload.GetDevice())).String()
	d, ok := c.s.reg.update(jid, false, func(d *Device) { d.Connections++ })
	c.log = c.log.With().Str("device", jid).Logger()
	switch {
	case !ok || d.Unlinked:
		c.log.Info().Msg("login refused: unknown or unlinked device")
		c.fail(401, nil)
		return
	case d.NoiseKey != c.clientStatic:
		c.log.Info().Msg("login refused: noise key does not match the linked device")
		c.fail(401, nil)
		return
	case time.Now().Before(d.BannedUntil):
		c.fail(402, banAttrs(time.Until(d.BannedUntil)))
		return
	}
	if code := c.s.CurrentFaults().FailLogin; code != nil {
		c.log.Info().Int("reason", *code).Msg("login failed by injected fault")
		c.fail(*code, nil)
		return
	}
	c.s.mu.Lock()
	old := c.s.byDevice[jid]
	c.s.byDevice[jid] = c
	c.deviceJID = jid
	c.s.mu.Unlock()
	// counted before the older socket is told: both are open at this moment, and once told, the older one may close
	// (and be counted out) before this login would otherwise be counted in, hiding the double login
	d, _ = c.s.reg.update(jid, false, func(d *Device) {
		d.Logins++
		d.LastSeen = time.Now()
		d.Open++
		d.MaxOpen = max(d.MaxOpen, d.Open)
	})
	if old != nil {
		// The real server keeps one socket per device: the older one is told it was replaced.
		old.streamError("", "replaced")
	}
	c.loggedIn = true
	c.s.loginsTotal.Add(1)
	lid, _ := types.ParseJID(d.LID)
	c.log.Info().Msg("login accepted")
	if err := c.send(waBinary.Node{Tag: "success", Attrs: waBinary.Attrs{
		"t": strconv.FormatInt(time.Now().Unix(), 10), "lid": lid, "location": "emu", "props": "1",
	}}); err != nil {
		c.log.Debug().Err(err).Msg("could not send success")
	}
}

func banAttrs(left time.Duration) waBinary.Attrs {
	secs := int64(left.Round(time.Second) / time.Second)
	if secs < 1 {
		secs = 1
	}
	return waBinary.Attrs{"code": "101", "expire": strconv.FormatInt(secs, 10)}
}

// removeCompanion answers the client's own Logout(): the device is forgotten and the client closes.
func (c *conn) removeCompanion(id string) {
	if c.deviceJID == "" {
		c.reply(iqError(id, 401, "not-authorized"))
		return
	}
	c.s.reg.unlink(c.deviceJID)
	c.log.Info().Msg("client logged itself out")
	c.reply(iqResult(id))
	// The client closes by itself; drop the socket anyway if it does not.
	c.closeAfter(5 * time.Second)
}
