package emulator

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/pbkdf2"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/hkdfutil"
	"go.mau.fi/whatsmeow/util/keys"
)

// linkCodeIterations is the PBKDF2 cost whatsmeow uses for the pairing code (2<<16).
const linkCodeIterations = 2 << 16

// displayName is what the real server accepts as companion_platform_display: "Browser (OS)".
var displayName = regexp.MustCompile(`^[^()]+ \([^()]+\)$`)

// linkCode is a pending "link with phone number" session, started by the client's companion_hello.
type linkCode struct {
	c          *conn
	phone      string
	ref        []byte
	wrappedEph []byte // salt32 ‖ iv16 ‖ AES-CTR(companion ephemeral pub)
	busy       sync.Mutex
	finish     chan linkFinish
}

type linkFinish struct {
	iqID              string
	wrappedBundle     []byte
	companionIdentity []byte
}

func childBytes(n *waBinary.Node, tag string) []byte {
	child, ok := n.GetOptionalChildByTag(tag)
	if !ok {
		return nil
	}
	switch v := child.Content.(type) {
	case []byte:
		return v
	case string:
		return []byte(v)
	}
	return nil
}

func (c *conn) handleLinkCodeIQ(id string, reg *waBinary.Node) {
	ag := reg.AttrGetter()
	switch ag.OptionalString("stage") {
	case "companion_hello":
		jid, ok := reg.Attrs["jid"].(types.JID)
		wrapped := childBytes(reg, "link_code_pairing_wrapped_companion_ephemeral_pub")
		switch {
		case !ok || !validPhone(jid.User):
			c.reply(iqError(id, 400, "bad-request"))
		case len(wrapped) != 80:
			c.reply(iqError(id, 400, "bad-request"))
		case !bytes.Equal(childBytes(reg, "companion_server_auth_key_pub"), c.clientStatic[:]):
			c.reply(iqError(id, 401, "not-authorized"))
		case !displayName.Match(childBytes(reg, "companion_platform_display")):
			c.reply(iqError(id, 400, "bad-request"))
		default:
			buf := make([]byte, 18)
			_, _ = rand.Read(buf)
			lc := &linkCode{c: c, phone: jid.User, ref: []byte(base64.StdEncoding.EncodeToString(buf)),
				wrappedEph: wrapped, finish: make(chan linkFinish, 1)}
			c.s.mu.Lock()
			c.s.linkCodes[lc.phone] = lc
			c.s.mu.Unlock()
			c.linkCode.Store(lc)
			c.reply(iqResult(id, waBinary.Node{Tag: "link_code_companion_reg", Content: []waBinary.Node{
				{Tag: "link_code_pairing_ref", Content: lc.ref},
			}}))
		}
	case "companion_finish":
		lc := c.linkCode.Load()
		if lc == nil || !bytes.Equal(childBytes(reg, "link_code_pairing_ref"), lc.ref) {
			c.reply(iqError(id, 404, "item-not-found"))
			return
		}
		f := linkFinish{iqID: id, wrappedBundle: childBytes(reg, "link_code_pairing_wrapped_key_bundle"),
			companionIdentity: childBytes(reg, "companion_identity_public")}
		select {
		case lc.finish <- f:
		default:
			c.reply(iqError(id, 409, "conflict"))
		}
	default:
		c.reply(iqError(id, 400, "bad-request"))
	}
}

func linkKey(code string, salt []byte) cipher.Block {
	block, _ := aes.NewCipher(pbkdf2.Key([]byte(code), salt, linkCodeIterations, 32, sha256.New))
	return block
}

// LinkCode is the virtual phone entering a pairing code that a client asked for with PairPhone.
// A wrong code shows up the way it does on a real phone: the companion's key bundle does not decrypt.
func (s *Server) LinkCode(phone, code string) (string, error) {
	if !validPhone(phone) {
		return "", apiErr(http.StatusBadRequest, "phone must be 7-20 digits in international form")
	}
	code = strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(code), "-", ""))
	if len(code) != 8 {
		return "", apiErr(http.StatusBadRequest, "code must be 8 characters (XXXX-XXXX)")
	}
	s.mu.Lock()
	lc := s.linkCodes[phone]
	s.mu.Unlock()
	if lc == nil || lc.c.ctx.Err() != nil {
		return "", apiErr(http.StatusNotFound, "no client is waiting for a pairing code for this phone")
	}
	if !lc.busy.TryLock() {
		return "", apiErr(http.StatusConflict, "a code is already being entered for this phone")
	}
	defer lc.busy.Unlock()
	c := lc.c
	companionEph := make([]byte, 32)
	cipher.NewCTR(linkKey(code, lc.wrappedEph[:32]), lc.wrappedEph[32:48]).XORKeyStream(companionEph, lc.wrappedEph[48:80])

	primaryEph := keys.NewKeyPair()
	salt, iv := make([]byte, 32), make([]byte, 16)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(iv)
	wrapped := make([]byte, 80)
	copy(wrapped, salt)
	copy(wrapped[32:], iv)
	cipher.NewCTR(linkKey(code, salt), iv).XORKeyStream(wrapped[48:], primaryEph.Pub[:])
	phoneIdentity, _ := s.reg.phoneIdentity(phone)

	// Drop a stale finish left by an earlier wrong attempt.
	select {
	case <-lc.finish:
	default:
	}
	if err := c.send(waBinary.Node{Tag: "notification", Attrs: waBinary.Attrs{
		"type": "link_code_companion_reg", "id": c.newID(), "from": types.ServerJID,
		"t": time.Now().Unix(),
	}, Content: []waBinary.Node{{Tag: "link_code_companion_reg", Content: []waBinary.Node{
		{Tag: "link_code_pairing_ref", Content: lc.ref},
		{Tag: "link_code_pairing_wrapped_primary_ephemeral_pub", Content: wrapped},
		{Tag: "primary_identity_pub", Content: phoneIdentity.Pub[:]},
	}}}}); err != nil {
		return "", apiErr(http.StatusNotFound, "the client that asked for this code is gone")
	}
	var f linkFinish
	t := time.NewTimer(30 * time.Second)
	defer t.Stop()
	select {
	case f = <-lc.finish:
	case <-c.ctx.Done():
		return "", apiErr(http.StatusNotFound, "the client that asked for this code is gone")
	case <-t.C:
		return "", apiErr(http.StatusConflict, "the client did not finish the code pairing in time")
	}
	eph, err := curve25519.X25519(primaryEph.Priv[:], companionEph)
	bundle := f.wrappedBundle
	if err != nil || len(bundle) < 32+12+16 || len(f.companionIdentity) != 32 {
		c.reply(iqError(f.iqID, 400, "bad-request"))
		return "", apiErr(http.StatusConflict, "wrong pairing code")
	}
	block, _ := aes.NewCipher(hkdfutil.SHA256(eph, bundle[:32], []byte("link_code_pairing_key_bundle_encryption_key"), 32))
	gcm, _ := cipher.NewGCM(block)
	plain, err := gcm.Open(nil, bundle[32:44], bundle[44:], nil)
	if err != nil || len(plain) != 96 || !bytes.Equal(plain[:32], f.companionIdentity) ||
		!bytes.Equal(plain[32:64], phoneIdentity.Pub[:]) {
		c.reply(iqError(f.iqID, 400, "bad-request"))
		return "", apiErr(http.StatusConflict, "wrong pairing code")
	}
	c.reply(iqResult(f.iqID))
	companionIdentity := [32]byte(plain[:32])
	identityShared, err := curve25519.X25519(phoneIdentity.Priv[:], companionIdentity[:])
	if err != nil {
		return "", apiErr(http.StatusConflict, "companion identity key is invalid")
	}
	advSecret := hkdfutil.SHA256(concat(eph, identityShared, plain[64:96]), nil, []byte("adv_secret"), 32)
	jid, err := c.pair(phone, companionIdentity, advSecret, "")
	if err == nil {
		s.mu.Lock()
		if s.linkCodes[phone] == lc {
			delete(s.linkCodes, phone)
		}
		s.mu.Unlock()
	}
	return jid, err
}
