package emulator

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/util/keys"
)

// Phone is a virtual primary device: the account that links companions.
type Phone struct {
	Number       string   `json:"number"`
	LIDUser      string   `json:"lidUser"`
	IdentityPriv [32]byte `json:"identityPriv"`
	NextDevice   uint16   `json:"nextDevice"`
	NextKeyIndex uint32   `json:"nextKeyIndex"`
}

func (p *Phone) identity() *keys.KeyPair { return keys.NewKeyPairFromPrivateKey(p.IdentityPriv) }

// Device is a linked companion the emulator accepts logins from.
type Device struct {
	JID            string   `json:"jid"`
	LID            string   `json:"lid"`
	Phone          string   `json:"phone"`
	DeviceID       uint16   `json:"deviceId"`
	NoiseKey       [32]byte `json:"noiseKey"`
	IdentityKey    [32]byte `json:"identityKey"`
	RegistrationID uint32   `json:"registrationId"`
	KeyIndex       uint32   `json:"keyIndex"`
	Platform       string   `json:"platform"`
	// PreKeys counts unused one-time prekeys; Keys holds the uploaded bundle material (nil until the client
	// uploads, so a device without keys is never listed in a device list nor handed out as a bundle).
	PreKeys     int         `json:"preKeys"`
	Keys        *DeviceKeys `json:"keys,omitempty"`
	BannedUntil time.Time   `json:"bannedUntil,omitzero"`
	// Unlinked devices (logged out from either side) stay as tombstones: logins are refused with 401, and
	// their counters stay readable, which is how tests prove that a logged-out client never came back.
	Unlinked bool      `json:"unlinked,omitempty"`
	LastSeen time.Time `json:"-"`
	// Connections counts sockets that presented this device (accepted or refused) since the emulator started.
	Connections int `json:"-"`
	Logins      int `json:"-"`
	// Open and MaxOpen count logged-in sockets now and at most at once (since start or ResetCounters).
	Open    int `json:"-"`
	MaxOpen int `json:"-"`
	// CallsRejected and Presence record what the logged-in client sent (RejectCall, SendPresence).
	CallsRejected int    `json:"-"`
	Presence      string `json:"-"`
	// PushName is the name the client last announced in a presence; relayed messages carry it as "notify".
	PushName string `json:"pushName,omitempty"`
}

func (d *Device) adJID() types.JID {
	return types.NewADJID(d.Phone, 0, uint8(d.DeviceID))
}

func (d *Device) lidJID(lidUser string) types.JID {
	return types.JID{User: lidUser, Device: d.DeviceID, Server: types.HiddenUserServer}
}

type registryState struct {
	Phones  map[string]*Phone  `json:"phones"`
	Devices map[string]*Device `json:"devices"`
	// Queues are the stanzas waiting for each device (by device JID), oldest first.
	Queues map[string][]*Queued `json:"queues,omitempty"`
}

// registry is the in-memory device store, optionally mirrored to a JSON file so devices survive a restart.
type registry struct {
	mu        sync.Mutex
	stateFile string
	st        registryState
	log       zerolog.Logger
	dirty     chan struct{}
	// the journal beside the snapshot (journal.go), and what touchLocked left for the write loop to append
	journal                     *os.File
	journalBytes, snapshotBytes int64
	dirtyDevices, dirtyQueues   map[string]bool
}

func newRegistry(stateFile string, log zerolog.Logger) (*registry, error) {
	r := &registry{stateFile: stateFile, log: log, dirty: make(chan struct{}, 1), st: registryState{Phones: map[string]*Phone{}, Devices: map[string]*Device{}, Queues: map[string][]*Queued{}},
		dirtyDevices: map[string]bool{}, dirtyQueues: map[string]bool{}}
	if stateFile == "" {
		return r, nil
	}
	data, err := os.ReadFile(stateFile)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	if err == nil {
		if err := json.Unmarshal(data, &r.st); err != nil {
			return nil, fmt.Errorf("parse state file %s: %w", stateFile, err)
		}
		r.snapshotBytes = int64(len(data))
	}
	if r.st.Phones == nil {
		r.st.Phones = map[string]*Phone{}
	}
	if r.st.Devices == nil {
		r.st.Devices = map[string]*Device{}
	}
	if r.st.Queues == nil {
		r.st.Queues = map[string][]*Queued{}
	}
	if err := r.replayJournal(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(journalPath(stateFile)); err == nil {
		// start from one snapshot again, so a line cut short by a crash is never followed by new ones
		if err := r.compactLocked(); err != nil {
			return nil, fmt.Errorf("write state file: %w", err)
		}
	}
	return r, nil
}

// saveLocked writes the whole state atomically (temp file + rename) so a crash never leaves half a file; it returns
// the snapshot's size. Changes in between go to the journal (journal.go).
func (r *registry) saveLocked() (int64, error) {
	if r.stateFile == "" {
		return 0, nil
	}
	data, err := json.Marshal(&r.st)
	if err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(r.stateFile), ".wa-emulator-state-*")
	if err != nil {
		return 0, err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return 0, err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return 0, err
	}
	return int64(len(data)), os.Rename(tmp.Name(), r.stateFile)
}

// saveOrWarnLocked is for changes that already happened in memory: a failed write must not undo them,
// but it must be visible, because the device would not survive a restart.
func (r *registry) saveOrWarnLocked(entries ...journalEntry) {
	if err := r.recordLocked(entries...); err != nil {
		r.log.Warn().Err(err).Str("state_file", r.stateFile).Msg("could not write the state file")
	}
}

// lidUserFor derives an account's 15-digit LID from its phone number, so a restarted emulator without a state file
// hands out the same LIDs (the emulator makes up nothing at random).
func lidUserFor(number string) string {
	sum := sha256.Sum256([]byte("wa-emulator lid " + number))
	n := new(big.Int).SetBytes(sum[:])
	digits := n.Mod(n, big.NewInt(9e14)).Add(n, big.NewInt(1e14)).String()
	return digits
}

// phoneLocked returns the virtual phone for a number, creating it (identity key, LID) on first use.
func (r *registry) phoneLocked(number string) *Phone {
	if p, ok := r.st.Phones[number]; ok {
		return p
	}
	p := &Phone{Number: number, LIDUser: lidUserFor(number), IdentityPriv: *keys.NewKeyPair().Priv, NextDevice: 1, NextKeyIndex: 1}
	r.st.Phones[number] = p
	r.saveOrWarnLocked(journalEntry{Phone: p}) // its identity key must be the same after a restart
	return p
}

// get returns a linked device; unlinked tombstones count as absent.
func (r *registry) get(jid string) (Device, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.st.Devices[jid]
	if !ok || d.Unlinked {
		return Device{}, false
	}
	return *d, true
}

// update runs fn on the stored device (linked or not) under the lock. Counters and timestamps change on every login,
// so only changes that must survive a restart (persist) rewrite the state file.
func (r *registry) update(jid string, persist bool, fn func(d *Device)) (Device, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.st.Devices[jid]
	if !ok {
		return Device{}, false
	}
	fn(d)
	if persist {
		r.saveOrWarnLocked(journalEntry{Device: d})
	}
	return *d, true
}

// unlink turns a linked device into a tombstone; false if there was no linked device.
func (r *registry) unlink(jid string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.st.Devices[jid]
	if !ok || d.Unlinked {
		return false
	}
	d.Unlinked = true
	delete(r.st.Queues, jid) // an unlinked device never logs in again to take them
	r.saveOrWarnLocked(journalEntry{Device: d}, journalEntry{QueueOf: jid})
	return true
}

func (r *registry) add(d *Device) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.st.Devices[d.JID] = d
	return r.recordLocked(journalEntry{Device: d})
}

func (r *registry) list() []Device {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]Device, 0, len(r.st.Devices))
	for _, d := range r.st.Devices {
		out = append(out, *d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].JID < out[j].JID })
	return out
}

// allocation is what a phone hands out when it links a new companion.
type allocation struct {
	phone    string
	lidUser  string
	deviceID uint16
	keyIndex uint32
	identity *keys.KeyPair
}

func (r *registry) allocate(number string) (allocation, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phoneLocked(number)
	if p.NextDevice >= 250 {
		return allocation{}, errors.New("phone has no free device slots")
	}
	a := allocation{phone: number, lidUser: p.LIDUser, deviceID: p.NextDevice, keyIndex: p.NextKeyIndex, identity: p.identity()}
	p.NextDevice++
	p.NextKeyIndex++
	return a, r.recordLocked(journalEntry{Phone: p})
}

func (r *registry) phoneIdentity(number string) (*keys.KeyPair, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.phoneLocked(number)
	return p.identity(), p.LIDUser
}

// WriteStateFile writes a state file holding the given devices, for tools (benchmarks) that seed an
// emulator with many linked devices without pairing each one.
func WriteStateFile(path string, devices []Device) error {
	r := &registry{st: registryState{Phones: map[string]*Phone{}, Devices: map[string]*Device{}}}
	for i := range devices {
		d := devices[i]
		if d.JID == "" {
			d.JID = d.adJID().String()
		}
		p := r.phoneLocked(d.Phone)
		if d.LID == "" {
			d.LID = d.lidJID(p.LIDUser).String()
		}
		if d.DeviceID >= p.NextDevice {
			p.NextDevice = d.DeviceID + 1
		}
		r.st.Devices[d.JID] = &d
	}
	r.stateFile = path
	if _, err := r.saveLocked(); err != nil {
		return err
	}
	// a journal left by an earlier emulator on this path would be replayed over the new devices
	if err := os.Remove(journalPath(path)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// touchDeviceLocked and touchQueueLocked schedule a journal entry for changes that happen per message (prekeys
// handed out, queues): the write loop coalesces bursts, so a relay of many messages does not write each one.
func (r *registry) touchDeviceLocked(jid string) { r.touchLocked(r.dirtyDevices, jid) }

func (r *registry) touchQueueLocked(jid string) { r.touchLocked(r.dirtyQueues, jid) }

func (r *registry) touchLocked(set map[string]bool, jid string) {
	if r.stateFile == "" {
		return
	}
	set[jid] = true
	select {
	case r.dirty <- struct{}{}:
	default:
	}
}

// writeLoop appends what touchLocked collected, until done is closed.
func (r *registry) writeLoop(done <-chan struct{}) {
	for {
		select {
		case <-done:
			return
		case <-r.dirty:
		}
		r.mu.Lock()
		r.saveOrWarnLocked(r.pendingLocked()...)
		r.mu.Unlock()
	}
}

// flush folds everything into the snapshot now (at Close, so queued stanzas survive a clean stop).
func (r *registry) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.saveOrWarnLocked(r.pendingLocked()...)
	if err := r.compactLocked(); err != nil {
		r.log.Warn().Err(err).Str("state_file", r.stateFile).Msg("could not write the state file")
	}
}

// deviceByAnyJID finds a linked device by its phone-number JID or its LID JID (both with the device number).
func (r *registry) deviceByAnyJID(j types.JID) (Device, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	d := r.deviceByAnyJIDLocked(j)
	if d == nil {
		return Device{}, false
	}
	return *d, true
}

func (r *registry) deviceByAnyJIDLocked(j types.JID) *Device {
	if j.Server == types.DefaultUserServer {
		d, ok := r.st.Devices[types.NewADJID(j.User, 0, uint8(j.Device)).String()]
		if ok && !d.Unlinked {
			return d
		}
		return nil
	}
	if j.Server != types.HiddenUserServer {
		return nil
	}
	for _, p := range r.st.Phones {
		if p.LIDUser == j.User {
			d, ok := r.st.Devices[types.NewADJID(p.Number, 0, uint8(j.Device)).String()]
			if ok && !d.Unlinked {
				return d
			}
			return nil
		}
	}
	return nil
}

// account resolves a user JID (phone number or LID form) to the phone number and LID user of a known account.
func (r *registry) account(j types.JID) (phone, lidUser string, ok bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch j.Server {
	case types.DefaultUserServer, types.LegacyUserServer:
		if p, found := r.st.Phones[j.User]; found {
			return p.Number, p.LIDUser, true
		}
	case types.HiddenUserServer:
		for _, p := range r.st.Phones {
			if p.LIDUser == j.User {
				return p.Number, p.LIDUser, true
			}
		}
	}
	return "", "", false
}

// keyedDevices lists the device numbers of an account that uploaded keys, in order.
func (r *registry) keyedDevices(phone string) []uint16 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []uint16
	for _, d := range r.st.Devices {
		if d.Phone == phone && !d.Unlinked && d.Keys != nil {
			out = append(out, d.DeviceID)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}
