// Package e2e is wagate's black-box end-to-end suite: it starts the product exactly as `make demo` does
// (scripts/run.sh --demo) on free ports in a private state directory, and talks to it only over HTTP and
// WebSocket, acting as the phone through the emulator's control API.
package e2e
