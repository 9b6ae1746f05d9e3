// Package dial points whatsmeow clients at the wa-emulator instead of WhatsApp.
//
// It is a test seam: nothing here runs unless a caller explicitly calls Enable and Apply, and Enable changes
// a process-global (whatsmeow.WACertPubKey), so it belongs in main behind an explicit emulator flag.
package dial

import (
	"context"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
)

// DialTimeout bounds the plain TCP dial to the emulator, so a stopped emulator fails fast instead of hanging.
const DialTimeout = 5 * time.Second

// Target says where the emulator is and which root key signs its certificates.
type Target struct {
	Addr          string
	RootPublicKey [32]byte
	// MediaAddr is the emulator's media server (--media); when set, every media upload and download goes there.
	MediaAddr string
}

// ParseRootKey parses the 64-char hex public key that wa-emulator prints and serves at /emulator/health.
func ParseRootKey(s string) ([32]byte, error) {
	var out [32]byte
	s = strings.TrimSpace(s)
	if len(s) != 64 {
		return out, fmt.Errorf("root public key must be 64 hex characters, got %d", len(s))
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return out, fmt.Errorf("root public key is not hex: %w", err)
	}
	copy(out[:], b)
	return out, nil
}

// Enable sets the process-global whatsmeow.WACertPubKey to t.RootPublicKey and logs a loud warning.
// Call once, in main, before any client connects.
func Enable(t Target, log zerolog.Logger) {
	whatsmeow.WACertPubKey = t.RootPublicKey
	log.Warn().
		Str("emulator_addr", t.Addr).
		Str("root_public_key", hex.EncodeToString(t.RootPublicKey[:])).
		Msg("emulator mode: WhatsApp traffic goes to " + t.Addr + ", certificates checked against a test root key")
}

// HTTPClient returns the http.Client that Apply installs. Its DialTLSContext ignores the requested address and
// returns a plain TCP connection to the emulator; net/http treats a non-*tls.Conn from DialTLSContext as an
// already-secured connection and speaks HTTP/1.1 over it, so the websocket upgrade reaches a plain ws:// server.
func HTTPClient(t Target) *http.Client {
	dialer := &net.Dialer{Timeout: DialTimeout}
	addr := t.Addr
	transport := &http.Transport{
		Proxy: nil,
		DialTLSContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "tcp", addr)
		},
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return dialer.DialContext(ctx, "tcp", addr)
		},
		ForceAttemptHTTP2:     false,
		TLSHandshakeTimeout:   DialTimeout,
		ResponseHeaderTimeout: 20 * time.Second,
	}
	return &http.Client{Transport: transport}
}

// Apply points one client at the emulator (both the pre-login and the logged-in websocket).
func Apply(cli *whatsmeow.Client, t Target) {
	h := HTTPClient(t)
	cli.SetPreLoginHTTPClient(h)
	cli.SetWebsocketHTTPClient(h)
	if t.MediaAddr != "" {
		cli.SetMediaHTTPClient(HTTPClient(Target{Addr: t.MediaAddr}))
	}
}
