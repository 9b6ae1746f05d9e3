package session

import (
	"errors"
	"time"
)

// Request errors.
var (
	ErrInvalidInstance = errors.New("instance_id is empty or longer than 200 characters")
)

// State errors.
var (
	ErrSessionNotFound   = errors.New("no live session for this instance")
	ErrNoDevice          = errors.New("no saved device for this jid")
	ErrAlreadyPaired     = errors.New("instance is already paired; log out first")
	ErrPairingInProgress = errors.New("instance is pairing; wait for the pairing to end or disconnect")
	ErrNoCodeInTime      = errors.New("no QR or pairing code arrived in time")
)

// UnavailableError says WhatsApp (or the proxy in front of it) could not be reached.
type UnavailableError struct {
	Op  string
	Err error
}

func (e *UnavailableError) Error() string { return e.Op + ": " + e.Err.Error() }
func (e *UnavailableError) Unwrap() error { return e.Err }

// Backoff is the wait before automatic reconnect attempt n (1-based): base doubled per attempt, capped at max.
func Backoff(n int, base, max time.Duration) time.Duration {
	if base > max {
		base = max
	}
	if n < 1 || base <= 0 {
		return base
	}
	d := base
	for i := 1; i < n; i++ {
		if d >= max/2 {
			return max
		}
		d *= 2
	}
	return min(d, max)
}
