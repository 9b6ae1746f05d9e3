package emulator

import (
	"net/http"
	"time"
)

func (s *Server) liveConn(jid string) *conn {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.byDevice[jid]
}

// Logout unlinks a device from the phone: a connected client gets stream:error 401 device_removed,
// and the device is forgotten so later logins fail with 401.
func (s *Server) Logout(jid string) error {
	if !s.reg.unlink(jid) {
		return apiErr(http.StatusNotFound, "unknown device %s", jid)
	}
	if c := s.liveConn(jid); c != nil {
		c.streamError("401", "device_removed")
	}
	s.log.Info().Str("device", jid).Msg("device unlinked by the phone")
	return nil
}

// Kick drops the device's socket without any stanza, like a network drop; the client reconnects.
func (s *Server) Kick(jid string) error {
	if _, ok := s.reg.get(jid); !ok {
		return apiErr(http.StatusNotFound, "unknown device %s", jid)
	}
	c := s.liveConn(jid)
	if c == nil {
		return apiErr(http.StatusConflict, "device %s is not connected", jid)
	}
	c.closeNow()
	return nil
}

// Replace tells the device's socket that another client took over (stream:error conflict replaced).
func (s *Server) Replace(jid string) error {
	if _, ok := s.reg.get(jid); !ok {
		return apiErr(http.StatusNotFound, "unknown device %s", jid)
	}
	c := s.liveConn(jid)
	if c == nil {
		return apiErr(http.StatusConflict, "device %s is not connected", jid)
	}
	c.streamError("", "replaced")
	return nil
}

// Ban bans a device temporarily: the live socket gets failure 402 and logins fail until expiry.
func (s *Server) Ban(jid string, seconds int) error {
	if seconds <= 0 {
		return apiErr(http.StatusBadRequest, "seconds must be positive")
	}
	until := time.Now().Add(time.Duration(seconds) * time.Second)
	if _, ok := s.reg.get(jid); !ok {
		return apiErr(http.StatusNotFound, "unknown device %s", jid)
	}
	s.reg.update(jid, true, func(d *Device) { d.BannedUntil = until })
	if c := s.liveConn(jid); c != nil {
		c.fail(402, banAttrs(time.Until(until)))
	}
	return nil
}
