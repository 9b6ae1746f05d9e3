package session

import (
	"strings"

	"github.com/rs/zerolog"
	waLog "go.mau.fi/whatsmeow/util/log"
)

// filteredLogger hands whatsmeow a zerolog sub-logger but drops the debug lines that print QR codes: a QR
// string carries the device's public keys and its advertising secret, which must never reach a log file.
type filteredLogger struct {
	inner waLog.Logger
}

func newWALogger(log zerolog.Logger) waLog.Logger {
	return &filteredLogger{inner: waLog.Zerolog(log.With().Str("component", "whatsmeow").Logger())}
}

func (f *filteredLogger) Warnf(msg string, args ...any)  { f.inner.Warnf(msg, args...) }
func (f *filteredLogger) Errorf(msg string, args ...any) { f.inner.Errorf(msg, args...) }
func (f *filteredLogger) Infof(msg string, args ...any)  { f.inner.Infof(msg, args...) }
func (f *filteredLogger) Debugf(msg string, args ...any) {
	if strings.Contains(msg, "QR code %s") {
		return
	}
	f.inner.Debugf(msg, args...)
}
func (f *filteredLogger) Sub(module string) waLog.Logger {
	return &filteredLogger{inner: f.inner.Sub(module)}
}
