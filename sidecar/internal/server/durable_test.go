package server_test

import (
	"fmt"
	"testing"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// messageIDs counts the inbound message events of instance by WhatsApp id, in this subscription.
func (l *eventLog) messageIDs(instance string) map[string]int {
	out := map[string]int{}
	for _, e := range l.snapshot(instance) {
		if m := e.GetMessage(); m != nil {
			out[m.GetId()]++
		}
	}
	return out
}

// awaitMessageIDs waits until instance's message events include every id in ids.
func (h *harness) awaitMessageIDs(instance string, ids []string) {
	h.t.Helper()
	for _, id := range ids {
		h.awaitEvent(instance, func(e *sidecarv1.Event) bool { return e.GetMessage().GetId() == id })
	}
}

// TestInboundIsRepublishedOnceAfterASidecarRestartMidBurst: a virtual contact sends a burst while the sidecar's
// process-level pieces (hub, session manager, gRPC server) stop in the middle of it, and nothing confirmed any event.
// After a new sidecar over the same database connects the instance, every message of the burst is on its stream
// exactly once: the ones the first process committed come from the inbox (their redelivery by the emulator, if they
// were not acked yet, adds nothing), the rest arrive from the emulator's queue. Once confirmed, a third process
// publishes none of them again.
func TestInboundIsRepublishedOnceAfterASidecarRestartMidBurst(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	contacts := contactsFor(t, h)
	ctx := h.ctx()
	const inst, self, peer, burst = "durable-1", "5511999870201", "5511888870201", 60
	if _, err := contacts.Create(ctx, peer, "Bia"); err != nil {
		t.Fatal(err)
	}
	c, _ := contacts.Get(peer)
	jid := h.pairByQR(inst, self)

	sent := make(chan string, burst)
	failed := make(chan error, 1)
	go func() {
		defer close(sent)
		for i := range burst {
			s, err := contacts.SendText(ctx, c, self, fmt.Sprintf("burst %d", i), "")
			if err != nil {
				failed <- err
				return
			}
			sent <- s.ID
		}
	}()
	var ids []string
	for len(ids) < burst/4 {
		ids = append(ids, <-sent)
	}
	h.awaitMessageIDs(inst, ids[:burst/8]) // the first process has stored some of them
	h.stopSidecar()
	for id := range sent {
		ids = append(ids, id)
	}
	select {
	case err := <-failed:
		t.Fatalf("contact send: %v", err)
	default:
	}

	h.startSidecar()
	if _, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: inst, Jid: jid}); err != nil {
		t.Fatal(err)
	}
	h.awaitMessageIDs(inst, ids)
	// every stanza acked means nothing more can come from the emulator; the marker, sent after that, is published
	// after anything the sidecar published before it
	h.waitDevice(jid, "an empty queue", func(d device) bool { return d.Queued == 0 })
	marker, err := contacts.SendText(ctx, c, self, "marker", "")
	if err != nil {
		t.Fatal(err)
	}
	h.awaitMessageIDs(inst, []string{marker.ID})
	got := h.events.messageIDs(inst)
	var confirm []int64
	for _, id := range ids {
		if got[id] != 1 {
			t.Errorf("message %s published %d times after the restart", id, got[id])
		}
	}
	for _, e := range h.events.snapshot(inst) {
		if e.GetMessage() != nil {
			if e.GetInboxId() <= 0 || e.GetDedupeKey() == "" {
				t.Fatalf("message event without inbox id or dedupe key: %v", e)
			}
			confirm = append(confirm, e.GetInboxId())
		}
	}
	if len(got) != burst+1 {
		t.Fatalf("%d distinct messages after the restart, want %d", len(got), burst+1)
	}
	if _, err := h.client.ConfirmEvents(ctx, &sidecarv1.ConfirmEventsRequest{InboxIds: confirm}); err != nil {
		t.Fatal(err)
	}

	h.stopSidecar()
	h.startSidecar()
	if _, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: inst, Jid: jid}); err != nil {
		t.Fatal(err)
	}
	last, err := contacts.SendText(ctx, c, self, "after confirm", "")
	if err != nil {
		t.Fatal(err)
	}
	h.awaitMessageIDs(inst, []string{last.ID})
	if again := h.events.messageIDs(inst); len(again) != 1 {
		t.Fatalf("confirmed messages published again: %v", again)
	}
}
