// Package registration holds the one lock around whatsmeow's process-global store.DeviceProps. A client that connects
// a device not yet paired builds its registration payload from DeviceProps inside Connect, and the sidecar changes a
// field of it for each pairing (the history-sync days). Every code path in a process that connects a new device takes
// Mu: the sidecar's pairings, and the emulator's virtual contacts when both run in one process (the Go tests).
package registration

import "sync"

// Mu serialises connects of new devices against changes of store.DeviceProps.
var Mu sync.Mutex
