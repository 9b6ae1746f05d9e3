package contact

import "testing"

// TestLogCountsCopies: a second in message with a known id keeps the one entry and counts the copy; an out entry
// with a known id is not counted (the contact sent it once).
func TestLogCountsCopies(t *testing.T) {
	l := newMessageLog()
	l.add(&Message{ID: "A", Direction: "in", Text: "first"})
	l.add(&Message{ID: "A", Direction: "in", Text: "second"})
	l.add(&Message{ID: "B", Direction: "out"})
	l.add(&Message{ID: "B", Direction: "out"})
	in, _ := l.get("A")
	if len(l.entries) != 2 || in.Copies != 2 || in.Text != "first" {
		t.Fatalf("entries %d, A copies %d text %q; want 2 entries, 2 copies of the first text", len(l.entries), in.Copies, in.Text)
	}
	if out, _ := l.get("B"); out.Copies != 0 {
		t.Fatalf("out entry copies %d, want 0", out.Copies)
	}
}
