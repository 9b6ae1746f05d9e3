package emulator

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"go.mau.fi/libsignal/ecc"
	"google.golang.org/protobuf/proto"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/types"
)

// APIError carries the HTTP status the control API answers with.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string { return e.Message }

func apiErr(status int, format string, args ...any) *APIError {
	return &APIError{Status: status, Message: fmt.Sprintf(format, args...)}
}

const qrPrefix = "https://wa.me/settings/linked_devices#"

var (
	advAccountSignaturePrefix = []byte{6, 0}
	advDeviceSignaturePrefix  = []byte{6, 1}
)

// pairAnswerTimeout bounds how long the phone waits for the companion to confirm a pairing.
const pairAnswerTimeout = 15 * time.Second

// qrRef is one offered QR ref and the moment the client stops showing it.
type qrRef struct {
	c       *conn
	expires time.Time
}

// qrLifetime mirrors whatsmeow's QR channel: a code is shown 60 s when it is the first of 6, else 20 s.
func qrLifetime(remaining int) time.Duration {
	if remaining == 6 {
		return 60 * time.Second
	}
	return 20 * time.Second
}

// startRegistration offers QR refs to an unpaired client (<iq><pair-device><ref/>…</pair-device></iq>).
// Each ref expires when the client rotates past it, so a phone scanning an old code gets "expired".
func (c *conn) startRegistration() {
	n := c.s.cfg.QRRefs
	refs := make([]waBinary.Node, 0, n)
	expires := time.Now()
	c.s.mu.Lock()
	for i := 0; i < n; i++ {
		buf := make([]byte, 18)
		_, _ = rand.Read(buf)
		ref := "2@" + base64.StdEncoding.EncodeToString(buf)
		expires = expires.Add(qrLifetime(n - i))
		c.s.qrRefs[ref] = qrRef{c: c, expires: expires}
		refs = append(refs, waBinary.Node{Tag: "ref", Content: []byte(ref)})
	}
	c.s.mu.Unlock()
	if err := c.send(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{
		"from": types.ServerJID, "id": c.newID(), "type": "set", "xmlns": "md",
	}, Content: []waBinary.Node{{Tag: "pair-device", Content: refs}}}); err != nil {
		c.log.Debug().Err(err).Msg("could not send pair-device")
	}
}

type parsedQR struct {
	ref       string
	noise     [32]byte
	identity  [32]byte
	advSecret []byte
}

func parseQR(qr string) (*parsedQR, error) {
	parts := strings.Split(strings.TrimPrefix(strings.TrimSpace(qr), qrPrefix), ",")
	if len(parts) < 4 {
		return nil, apiErr(http.StatusBadRequest, "QR string must have at least 4 comma-separated fields")
	}
	var out parsedQR
	out.ref = parts[0]
	for i, dst := range [][]byte{out.noise[:], out.identity[:]} {
		b, err := base64.StdEncoding.DecodeString(parts[i+1])
		if err != nil || len(b) != 32 {
			return nil, apiErr(http.StatusBadRequest, "QR field %d is not a base64 32-byte key", i+2)
		}
		copy(dst, b)
	}
	adv, err := base64.StdEncoding.DecodeString(parts[3])
	if err != nil || len(adv) == 0 {
		return nil, apiErr(http.StatusBadRequest, "QR field 4 is not a base64 ADV secret")
	}
	out.advSecret = adv
	return &out, nil
}

func validPhone(phone string) bool {
	if len(phone) < 7 || len(phone) > 20 || phone[0] == '0' {
		return false
	}
	for _, r := range phone {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Scan is the virtual phone scanning a QR string: it links the waiting client and returns its JID.
func (s *Server) Scan(qr, phone string) (string, error) {
	if !validPhone(phone) {
		return "", apiErr(http.StatusBadRequest, "phone must be 7-20 digits in international form")
	}
	p, err := parseQR(qr)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	ref, ok := s.qrRefs[p.ref]
	s.mu.Unlock()
	if !ok {
		return "", apiErr(http.StatusNotFound, "QR code is unknown or expired")
	}
	if time.Now().After(ref.expires) {
		return "", apiErr(http.StatusNotFound, "QR code expired")
	}
	c := ref.c
	if c.clientStatic != p.noise {
		return "", apiErr(http.StatusConflict, "QR keys do not belong to the client that holds this ref")
	}
	return c.pair(phone, p.identity, p.advSecret, "")
}

// pair sends pair-success signed by the phone, checks the companion's pair-device-sign answer, registers
// the device and sends the 515 that makes the client reconnect with its login payload.
func (c *conn) pair(phone string, companionIdentity [32]byte, advSecret []byte, platform string) (string, error) {
	if !c.pairing.CompareAndSwap(false, true) {
		return "", apiErr(http.StatusConflict, "this client is already being paired")
	}
	ok := false
	defer func() {
		if !ok {
			c.pairing.Store(false)
		}
	}()
	if c.ctx.Err() != nil || c.closing.Load() {
		return "", apiErr(http.StatusNotFound, "the client that showed this code is gone")
	}
	alloc, err := c.s.reg.allocate(phone)
	if err != nil {
		return "", apiErr(http.StatusConflict, "%v", err)
	}
	rawID := make([]byte, 4)
	_, _ = rand.Read(rawID)
	details, err := proto.Marshal(&waAdv.ADVDeviceIdentity{
		RawID:       proto.Uint32(binary.BigEndian.Uint32(rawID)),
		Timestamp:   proto.Uint64(uint64(time.Now().Unix())),
		KeyIndex:    proto.Uint32(alloc.keyIndex),
		AccountType: waAdv.ADVEncryptionType_E2EE.Enum(),
		DeviceType:  waAdv.ADVEncryptionType_E2EE.Enum(),
	})
	if err != nil {
		return "", err
	}
	accountSig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*alloc.identity.Priv),
		concat(advAccountSignaturePrefix, details, companionIdentity[:]))
	signed, err := proto.Marshal(&waAdv.ADVSignedDeviceIdentity{
		Details: details, AccountSignatureKey: alloc.identity.Pub[:], AccountSignature: accountSig[:],
	})
	if err != nil {
		return "", err
	}
	mac := hmac.New(sha256.New, advSecret)
	mac.Write(signed)
	container, err := proto.Marshal(&waAdv.ADVSignedDeviceIdentityHMAC{
		Details: signed, HMAC: mac.Sum(nil), AccountType: waAdv.ADVEncryptionType_E2EE.Enum(),
	})
	if err != nil {
		return "", err
	}
	dev := &Device{
		Phone: phone, DeviceID: alloc.deviceID, NoiseKey: c.clientStatic, IdentityKey: companionIdentity,
		KeyIndex: alloc.keyIndex, Platform: platform,
	}
	jid := dev.adJID()
	lid := dev.lidJID(alloc.lidUser)
	dev.JID, dev.LID = jid.String(), lid.String()
	if pd := c.payload.GetDevicePairingData(); pd != nil && len(pd.ERegid) == 4 {
		dev.RegistrationID = binary.BigEndian.Uint32(pd.ERegid)
	}
	id := c.newID()
	wait := c.expect(id)
	if err := c.send(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{
		"from": types.ServerJID, "id": id, "type": "set", "xmlns": "md", "t": strconv.FormatInt(time.Now().Unix(), 10),
	}, Content: []waBinary.Node{{Tag: "pair-success", Content: []waBinary.Node{
		{Tag: "device-identity", Content: container},
		{Tag: "device", Attrs: waBinary.Attrs{"jid": jid, "lid": lid}},
		{Tag: "platform", Attrs: waBinary.Attrs{"name": "android"}},
	}}}}); err != nil {
		return "", apiErr(http.StatusNotFound, "the client that showed this code is gone")
	}
	answer, err := c.await(wait, pairAnswerTimeout)
	if err != nil {
		return "", apiErr(http.StatusConflict, "pairing not confirmed: %v", err)
	}
	if t, _ := answer.Attrs["type"].(string); t != "result" {
		errNode := answer.GetChildByTag("error")
		return "", apiErr(http.StatusConflict, "client rejected the pairing: %s", errNode.AttrGetter().OptionalString("text"))
	}
	identityNode := answer.GetChildByTag("pair-device-sign", "device-identity")
	raw, _ := identityNode.Content.([]byte)
	var confirmed waAdv.ADVSignedDeviceIdentity
	if err := proto.Unmarshal(raw, &confirmed); err != nil || len(confirmed.DeviceSignature) != 64 ||
		!bytes.Equal(confirmed.Details, details) {
		c.streamError("401", "")
		return "", apiErr(http.StatusConflict, "client sent a malformed pair-device-sign")
	}
	msg := concat(advDeviceSignaturePrefix, details, companionIdentity[:], alloc.identity.Pub[:])
	if !ecc.VerifySignature(ecc.NewDjbECPublicKey(companionIdentity), msg, [64]byte(confirmed.DeviceSignature)) {
		c.streamError("401", "")
		return "", apiErr(http.StatusConflict, "device signature in pair-device-sign does not verify")
	}
	if err := c.s.reg.add(dev); err != nil {
		c.log.Error().Err(err).Msg("could not persist the new device")
	}
	c.s.mu.Lock()
	for ref, rc := range c.s.qrRefs {
		if rc.c == c {
			delete(c.s.qrRefs, ref)
		}
	}
	c.s.mu.Unlock()
	ok = true
	c.log.Info().Str("device", dev.JID).Msg("device linked")
	// 515 makes the client reconnect and log in; it closes this socket itself, so only a late fallback close.
	if err := c.send(waBinary.Node{Tag: "stream:error", Attrs: waBinary.Attrs{"code": "515"}}); err != nil {
		c.log.Debug().Err(err).Msg("could not send 515")
	}
	c.closeAfter(10 * time.Second)
	return dev.JID, nil
}

func concat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
