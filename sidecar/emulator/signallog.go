package emulator

import signallog "go.mau.fi/libsignal/logger"

// libsignal installs its default logger lazily on first use, which the race detector flags as soon as
// two signatures are computed concurrently (several emulators in one test binary). Installing a quiet
// logger once, at init, removes the race; libsignal's debug lines are of no use here.
func init() {
	if signallog.Logger == nil {
		var l signallog.Loggable = quietSignalLogger{}
		signallog.Setup(&l)
	}
}

type quietSignalLogger struct{}

func (quietSignalLogger) Debug(string, string)   {}
func (quietSignalLogger) Info(string, string)    {}
func (quietSignalLogger) Warning(string, string) {}
func (quietSignalLogger) Error(string, string)   {}
func (quietSignalLogger) Configure(string)       {}
