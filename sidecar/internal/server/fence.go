package server

import (
	"fmt"
	"sync"
)

// fence keeps, per instance, the highest lease epoch a lifecycle command carried, and refuses an older one: a
// gateway that lost an instance to another (which took it with a higher epoch) cannot act on it after the new owner
// did. Epoch 0 is unfenced (a gateway without leases, or one older than the field) and is always let through without
// changing what is kept, so a single gateway behaves as before. The entries are a few bytes per instance ever seen;
// they are kept for the life of the process, since forgetting one would let a stale command through.
type fence struct {
	mu      sync.Mutex
	highest map[string]uint64
}

func newFence() *fence { return &fence{highest: make(map[string]uint64)} }

// StaleEpochError is a lifecycle command whose epoch is older than one already seen for its instance.
type StaleEpochError struct {
	Instance      string
	Epoch, Latest uint64
}

func (e *StaleEpochError) Error() string {
	return fmt.Sprintf("stale epoch %d for instance %s (epoch %d seen)", e.Epoch, e.Instance, e.Latest)
}

// admit records epoch for instance and returns nil, or a *StaleEpochError when a higher epoch was seen before.
func (f *fence) admit(instance string, epoch uint64) error {
	if epoch == 0 {
		return nil
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if latest := f.highest[instance]; epoch < latest {
		return &StaleEpochError{Instance: instance, Epoch: epoch, Latest: latest}
	}
	f.highest[instance] = epoch
	return nil
}
