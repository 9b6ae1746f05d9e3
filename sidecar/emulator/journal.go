package emulator

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// The state file is a snapshot plus a journal beside it (<state-file>.journal): each change appends the whole new
// state of the one phone, device or queue it touched, as a JSON line. Rewriting the snapshot on every change cost
// O(all devices) under the registry lock; with a thousand linked devices (each holding ~800 uploaded prekeys, about
// 90 KB) every pairing rewrote 80 MB, logins and keepalives waited behind it, and pairing slowed to under one per
// second. The journal is folded into a new snapshot when it outgrows the snapshot (amortised O(1) per change), when
// the emulator starts and when it stops.

// journalEntry is one line: exactly one of Phone, Device or QueueOf is set; a QueueOf with no Queue removes it.
type journalEntry struct {
	Phone   *Phone    `json:"phone,omitempty"`
	Device  *Device   `json:"device,omitempty"`
	QueueOf string    `json:"queueOf,omitempty"`
	Queue   []*Queued `json:"queue,omitempty"`
}

// compactSlack is how far the journal may outgrow the snapshot before it is folded in.
var compactSlack int64 = 16 << 20 // a variable so that a test can fold small journals

func journalPath(stateFile string) string { return stateFile + ".journal" }

// replayJournal applies the journal's lines to the loaded snapshot. A line cut short by a crash in the middle of a
// write ends the replay (with a warning): nothing after it was acknowledged.
func (r *registry) replayJournal() error {
	f, err := os.Open(journalPath(r.stateFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	} else if err != nil {
		return fmt.Errorf("read state journal: %w", err)
	}
	defer f.Close()
	in := bufio.NewReaderSize(f, 1<<20)
	for n := 1; ; n++ {
		line, err := in.ReadBytes('\n')
		if errors.Is(err, io.EOF) && len(bytes.TrimSpace(line)) == 0 {
			return nil
		} else if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read state journal: %w", err)
		}
		var e journalEntry
		if jerr := json.Unmarshal(line, &e); jerr != nil || err != nil {
			r.log.Warn().Int("line", n).Str("journal", f.Name()).Msg("state journal ends in a partial line; ignoring it")
			return nil
		}
		r.applyLocked(e)
	}
}

func (r *registry) applyLocked(e journalEntry) {
	switch {
	case e.Phone != nil:
		r.st.Phones[e.Phone.Number] = e.Phone
	case e.Device != nil:
		r.st.Devices[e.Device.JID] = e.Device
	case e.QueueOf != "" && len(e.Queue) == 0:
		delete(r.st.Queues, e.QueueOf)
	case e.QueueOf != "":
		r.st.Queues[e.QueueOf] = e.Queue
	}
}

// recordLocked appends the current state of the given entities to the journal (a plain write, as durable as the
// snapshot's write-and-rename was), folding the journal into the snapshot once it has grown large.
func (r *registry) recordLocked(entries ...journalEntry) error {
	if r.stateFile == "" {
		return nil
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf) // Encode ends each entry with the newline that delimits it
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	if r.journal == nil {
		f, err := os.OpenFile(journalPath(r.stateFile), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
		if err != nil {
			return err
		}
		r.journal = f
	}
	if _, err := r.journal.Write(buf.Bytes()); err != nil {
		return err
	}
	r.journalBytes += int64(buf.Len())
	if r.journalBytes > 2*r.snapshotBytes+compactSlack {
		return r.compactLocked()
	}
	return nil
}

// compactLocked writes a new snapshot holding everything, then empties the journal. A crash between the two leaves
// a journal whose lines the snapshot already holds: replaying them again changes nothing.
func (r *registry) compactLocked() error {
	if r.stateFile == "" {
		return nil
	}
	size, err := r.saveLocked()
	if err != nil {
		return err
	}
	r.snapshotBytes = size
	if r.journal != nil {
		r.journal.Close()
		r.journal = nil
	}
	if err := os.Remove(journalPath(r.stateFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	r.journalBytes = 0
	return nil
}

// pendingLocked is what touchLocked collected for the write loop, as journal entries.
func (r *registry) pendingLocked() []journalEntry {
	var out []journalEntry
	for jid := range r.dirtyDevices {
		if d, ok := r.st.Devices[jid]; ok {
			out = append(out, journalEntry{Device: d})
		}
	}
	for jid := range r.dirtyQueues {
		out = append(out, journalEntry{QueueOf: jid, Queue: r.st.Queues[jid]})
	}
	clear(r.dirtyDevices)
	clear(r.dirtyQueues)
	return out
}
