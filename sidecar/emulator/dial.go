package emulator

import (
	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"

	"github.com/wagate/wagate/sidecar/internal/dial"
)

// The client side of the emulator, the dial hook, lives in internal/dial, where the sidecar uses it behind its
// --wa-emulator flag. Go tools outside the sidecar module (the benchmarks) may not import internal packages; these
// aliases hand them the same hook.

// DialTarget says where the emulator's WhatsApp endpoint listens and which root key signs its certificates.
type DialTarget = dial.Target

// ParseDialRootKey parses the 64-character hex root public key that wa-emulator prints and serves at /emulator/health.
func ParseDialRootKey(s string) ([32]byte, error) { return dial.ParseRootKey(s) }

// EnableDial makes whatsmeow trust the emulator's root key, process-wide; call it once before any client connects.
func EnableDial(t DialTarget, log zerolog.Logger) { dial.Enable(t, log) }

// ApplyDial points one whatsmeow client at the emulator.
func ApplyDial(cli *whatsmeow.Client, t DialTarget) { dial.Apply(cli, t) }
