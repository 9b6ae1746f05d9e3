package events

import (
	"errors"
	"testing"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

func publishN(h *Hub, n int) {
	for range n {
		h.Publish(&sidecarv1.Event{InstanceId: "i", Kind: sidecarv1.EventKind_EVENT_KIND_CONNECTING})
	}
}

func seqs(evs []*sidecarv1.Event) []uint64 {
	out := make([]uint64, len(evs))
	for i, e := range evs {
		out[i] = e.GetSeq()
	}
	return out
}

func TestPublishStampsBootAndSeq(t *testing.T) {
	h := NewHub(4, 4)
	other := NewHub(4, 4)
	if h.BootID() == "" || h.BootID() == other.BootID() {
		t.Fatalf("boot ids %q and %q must be non-empty and differ", h.BootID(), other.BootID())
	}
	publishN(h, 3)
	_, replay, _ := h.Subscribe(h.BootID(), 0)
	for i, e := range replay {
		if e.GetSeq() != uint64(i+1) || e.GetBootId() != h.BootID() || e.GetTimestampUnixMs() == 0 {
			t.Fatalf("event %d = %v", i, e)
		}
	}
}

func TestSubscribeReplay(t *testing.T) {
	cases := []struct {
		name          string
		ring          int
		published     int
		sameBoot      bool
		afterSeq      uint64
		wantSeqs      []uint64
		wantTruncated bool
	}{
		{"fresh subscriber gets everything", 10, 3, false, 0, []uint64{1, 2, 3}, false},
		{"resume after seq", 10, 5, true, 3, []uint64{4, 5}, false},
		{"up to date", 10, 5, true, 5, nil, false},
		{"foreign boot ignores after_seq", 10, 5, false, 3, []uint64{1, 2, 3, 4, 5}, false},
		{"ring wrapped, resume inside", 4, 10, true, 7, []uint64{8, 9, 10}, false},
		{"ring wrapped, exactly at the edge", 4, 10, true, 6, []uint64{7, 8, 9, 10}, false},
		{"ring wrapped, resume too old", 4, 10, true, 2, []uint64{7, 8, 9, 10}, true},
		{"ring wrapped, foreign boot", 4, 10, false, 0, []uint64{7, 8, 9, 10}, true},
		{"nothing published", 4, 0, true, 0, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := NewHub(c.ring, 8)
			publishN(h, c.published)
			boot := "other"
			if c.sameBoot {
				boot = h.BootID()
			}
			_, replay, truncated := h.Subscribe(boot, c.afterSeq)
			got := seqs(replay)
			if len(got) != len(c.wantSeqs) || truncated != c.wantTruncated {
				t.Fatalf("replay %v truncated=%v, want %v truncated=%v", got, truncated, c.wantSeqs, c.wantTruncated)
			}
			for i := range got {
				if got[i] != c.wantSeqs[i] {
					t.Fatalf("replay %v, want %v", got, c.wantSeqs)
				}
			}
		})
	}
}

func TestLiveDeliveryFollowsReplayWithoutGap(t *testing.T) {
	h := NewHub(10, 8)
	publishN(h, 2)
	sub, replay, _ := h.Subscribe(h.BootID(), 0)
	publishN(h, 2)
	got := seqs(replay)
	for range 2 {
		got = append(got, (<-sub.C()).GetSeq())
	}
	for i, s := range got {
		if s != uint64(i+1) {
			t.Fatalf("replay+live = %v, want 1..4", got)
		}
	}
}

func TestSlowSubscriberIsDroppedNotBlocking(t *testing.T) {
	h := NewHub(100, 2)
	slow, _, _ := h.Subscribe("", 0)
	fast, _, _ := h.Subscribe("", 0)
	publishN(h, 2)
	<-fast.C()
	<-fast.C()
	publishN(h, 1) // slow's buffer is full: it is dropped, the publisher does not wait
	n := 0
	for range slow.C() {
		n++
	}
	if n != 2 || !errors.Is(slow.Err(), ErrSubscriberDropped) {
		t.Fatalf("slow subscriber got %d events then err %v; want 2 then ErrSubscriberDropped", n, slow.Err())
	}
	if e := <-fast.C(); e.GetSeq() != 3 {
		t.Fatalf("fast subscriber got seq %d, want 3", e.GetSeq())
	}
	h.Unsubscribe(slow) // already dropped: must not panic
	h.Unsubscribe(fast)
	if _, ok := <-fast.C(); ok {
		t.Fatal("channel still open after Unsubscribe")
	}
}

func TestLastSeqFollowsPublish(t *testing.T) {
	h := NewHub(2, 2)
	if got := h.LastSeq(); got != 0 {
		t.Fatalf("LastSeq before any event = %d, want 0", got)
	}
	publishN(h, 5) // more than the ring holds: LastSeq counts published events, not buffered ones
	if got := h.LastSeq(); got != 5 {
		t.Fatalf("LastSeq = %d, want 5", got)
	}
}
