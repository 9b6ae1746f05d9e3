package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/wagate/wagate/sidecar/emulator/contact"
	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/testenv"
)

// contactsFor starts the virtual contacts of the harness's emulator, with their whatsmeow state in a database of
// their own.
func contactsFor(t *testing.T, h *harness) *contact.Manager {
	t.Helper()
	dsn, drop, err := testenv.CreateDB("sidecar_contacts")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(drop)
	store, err := sqlstore.New(context.Background(), "postgres", dsn, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	m := contact.NewManager(h.emu, store, zerolog.Nop())
	t.Cleanup(m.Close)
	return m
}

// awaitLog long-polls a contact's log until cond holds for one entry, and returns it.
func awaitLog(t *testing.T, c *contact.Contact, what string, cond func(contact.Message) bool) contact.Message {
	t.Helper()
	deadline := time.Now().Add(waitLong)
	for time.Now().Before(deadline) {
		list := c.Messages(context.Background(), 0, 0)
		for _, m := range list {
			if cond(m) {
				return m
			}
		}
		c.Messages(context.Background(), uint64(len(list)), 5*time.Second) // returns at the next change
	}
	t.Fatalf("contact %s: no %s within %s", c.Phone, what, waitLong)
	return contact.Message{}
}

// awaitEvent waits for a messaging event of instance (kind unspecified, a message or a receipt) that satisfies cond.
func (h *harness) awaitEvent(instance string, cond func(*sidecarv1.Event) bool) *sidecarv1.Event {
	h.t.Helper()
	from := 0
	for {
		e, idx := h.events.waitFor(instance, sidecarv1.EventKind_EVENT_KIND_UNSPECIFIED, from)
		if cond(e) {
			return e
		}
		from = idx + 1
	}
}

// TestMessagingWithAVirtualContact: the sidecar sends text, media and a reaction to a virtual contact and marks its
// messages read; what the contact sends arrives as message events, the contact's receipts as receipt events.
func TestMessagingWithAVirtualContact(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	contacts := contactsFor(t, h)
	ctx := h.ctx()
	const inst, self, peer = "msg-1", "5511999870001", "5511888870001"
	ana, err := contacts.Create(ctx, peer, "Ana")
	if err != nil {
		t.Fatal(err)
	}
	c, _ := contacts.Get(peer)
	h.pairByQR(inst, self)

	sent, err := h.client.SendText(ctx, &sidecarv1.SendTextRequest{InstanceId: inst, To: peer, Text: "olá Ana"})
	if err != nil {
		t.Fatal(err)
	}
	if sent.GetMessageId() == "" || sent.GetTimestampUnix() == 0 || sent.GetChat().GetJid() != ana.JID ||
		sent.GetChat().GetLid() != ana.LID || sent.GetSender().GetJid() != self+"@s.whatsapp.net" {
		t.Fatalf("send answer %v (contact %+v)", sent, ana)
	}
	in := awaitLog(t, c, "the text", func(m contact.Message) bool { return m.ID == sent.GetMessageId() })
	if in.Text != "olá Ana" || in.Peer != self || in.Direction != "in" {
		t.Fatalf("contact got %+v", in)
	}
	delivered := h.awaitEvent(inst, func(e *sidecarv1.Event) bool {
		return e.GetReceipt().GetStatus() == "delivered" && e.GetReceipt().GetMessageIds()[0] == sent.GetMessageId()
	})
	if r := delivered.GetReceipt(); r.GetRecipient().GetJid() != ana.JID || r.GetChat().GetLid() != ana.LID || !r.GetFromMeMessages() {
		t.Fatalf("delivery receipt %v", r)
	}
	if err := contacts.Read(ctx, c, []string{sent.GetMessageId()}); err != nil {
		t.Fatal(err)
	}
	h.awaitEvent(inst, func(e *sidecarv1.Event) bool {
		return e.GetReceipt().GetStatus() == "read" && e.GetReceipt().GetMessageIds()[0] == sent.GetMessageId()
	})

	reply, err := contacts.SendText(ctx, c, self, "oi, tudo bem?", sent.GetMessageId())
	if err != nil {
		t.Fatal(err)
	}
	msg := h.awaitEvent(inst, func(e *sidecarv1.Event) bool {
		return e.GetMessage().GetId() == reply.ID
	}).GetMessage()
	if msg.GetType() != "text" || msg.GetText() != "oi, tudo bem?" || msg.GetFromMe() || msg.GetReplyToId() != sent.GetMessageId() ||
		msg.GetChat().GetJid() != ana.JID || msg.GetChat().GetLid() != ana.LID || msg.GetSender().GetJid() != ana.JID ||
		msg.GetSender().GetName() != "Ana" || msg.GetTimestampUnix() != reply.Timestamp || msg.GetChatType() != "private" {
		t.Fatalf("message event %v", msg)
	}
	if _, err := h.client.MarkRead(ctx, &sidecarv1.MarkReadRequest{InstanceId: inst, Chat: peer, MessageIds: []string{reply.ID}}); err != nil {
		t.Fatal(err)
	}
	awaitLog(t, c, "read state", func(m contact.Message) bool { return m.ID == reply.ID && m.State == "read" })

	// Reactions both ways.
	if _, err := h.client.SendReaction(ctx, &sidecarv1.SendReactionRequest{InstanceId: inst, To: peer, TargetId: reply.ID, Emoji: "👍"}); err != nil {
		t.Fatal(err)
	}
	awaitLog(t, c, "the reaction", func(m contact.Message) bool {
		return m.Type == "reaction" && m.Reaction.ID == reply.ID && m.Reaction.Emoji == "👍"
	})
	back, err := contacts.SendReaction(ctx, c, self, sent.GetMessageId(), "❤️")
	if err != nil {
		t.Fatal(err)
	}
	rx := h.awaitEvent(inst, func(e *sidecarv1.Event) bool { return e.GetMessage().GetId() == back.ID }).GetMessage()
	if rx.GetType() != "reaction" || rx.GetReaction().GetTargetId() != sent.GetMessageId() || rx.GetReaction().GetText() != "❤️" ||
		!rx.GetReaction().GetFromMe() {
		t.Fatalf("reaction event %v", rx)
	}

	// Media both ways: the bytes the other side decrypts are the bytes sent.
	doc := bytes.Repeat([]byte("wagate document "), 4096)
	media, err := h.client.SendMedia(ctx, &sidecarv1.SendMediaRequest{InstanceId: inst, To: peer, MediaType: "document",
		Mimetype: "application/pdf", Data: doc, FileName: "contrato.pdf", Caption: "segue"})
	if err != nil {
		t.Fatal(err)
	}
	if media.GetMedia().GetDirectPath() == "" || media.GetMedia().GetSize() != uint64(len(doc)) {
		t.Fatalf("media answer %v", media.GetMedia())
	}
	got := awaitLog(t, c, "the document", func(m contact.Message) bool { return m.ID == media.GetMessageId() })
	if got.Media == nil || got.Media.FileName != "contrato.pdf" || got.Media.Caption != "segue" {
		t.Fatalf("contact's document entry %+v", got)
	}
	plain, _, err := c.Media(ctx, media.GetMessageId())
	if err != nil || sha256.Sum256(plain) != sha256.Sum256(doc) {
		t.Fatalf("contact's download: %d bytes, %v", len(plain), err)
	}
	img := bytes.Repeat([]byte{0x89, 'P', 'N', 'G'}, 2048)
	pic, err := contacts.SendMedia(ctx, c, self, contact.OutMedia{Type: "image", Mimetype: "image/png", Data: img, Caption: "foto"})
	if err != nil {
		t.Fatal(err)
	}
	pm := h.awaitEvent(inst, func(e *sidecarv1.Event) bool { return e.GetMessage().GetId() == pic.ID }).GetMessage()
	want := sha256.Sum256(img)
	if pm.GetType() != "image" || pm.GetText() != "foto" || pm.GetMedia().GetMimetype() != "image/png" ||
		!bytes.Equal(pm.GetMedia().GetFileSha256(), want[:]) || pm.GetMedia().GetSize() != uint64(len(img)) || pm.GetMedia().GetDirectPath() == "" {
		t.Fatalf("image event %v", pm)
	}

	// A caller-chosen id is the WhatsApp id.
	const fixed = "3EB0AABBCCDDEEFF001122"
	if r, err := h.client.SendText(ctx, &sidecarv1.SendTextRequest{InstanceId: inst, To: ana.JID, Text: "fixed", MessageId: fixed}); err != nil || r.GetMessageId() != fixed {
		t.Fatalf("send with message_id: %v %v", r, err)
	}
	awaitLog(t, c, "the fixed id", func(m contact.Message) bool { return m.ID == fixed && m.Text == "fixed" })
}

// TestSendErrors: the status codes of refused sends.
func TestSendErrors(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	contacts := contactsFor(t, h)
	ctx := h.ctx()
	const inst, peer = "msg-2", "5511888870011"
	if _, err := contacts.Create(ctx, peer, ""); err != nil {
		t.Fatal(err)
	}
	code := func(err error) codes.Code { return status.Code(err) }
	if _, err := h.client.SendText(ctx, &sidecarv1.SendTextRequest{InstanceId: inst, To: peer, Text: "x"}); code(err) != codes.FailedPrecondition {
		t.Fatalf("send before pairing: %v, want FAILED_PRECONDITION", err)
	}
	h.pairByQR(inst, "5511999870011")
	cases := []struct {
		req  *sidecarv1.SendTextRequest
		want codes.Code
	}{
		{&sidecarv1.SendTextRequest{InstanceId: inst, To: "5511000000001", Text: "x"}, codes.NotFound},
		{&sidecarv1.SendTextRequest{InstanceId: inst, To: "12", Text: "x"}, codes.InvalidArgument},
		{&sidecarv1.SendTextRequest{InstanceId: inst, To: "120363406289005073@g.us", Text: "x"}, codes.InvalidArgument},
		{&sidecarv1.SendTextRequest{InstanceId: inst, To: peer}, codes.InvalidArgument},
	}
	for _, tc := range cases {
		if _, err := h.client.SendText(ctx, tc.req); code(err) != tc.want {
			t.Errorf("SendText(%v): %v, want %s", tc.req, err, tc.want)
		}
	}
	if _, err := h.client.SendMedia(ctx, &sidecarv1.SendMediaRequest{InstanceId: inst, To: peer, MediaType: "gif", Data: []byte{1}, Mimetype: "x"}); code(err) != codes.InvalidArgument {
		t.Errorf("SendMedia with a bad type: %v", err)
	}
	// Brazil: the number without the mobile 9 reaches the account that has it.
	if _, err := contacts.Create(ctx, "5511988870012", ""); err != nil {
		t.Fatal(err)
	}
	if r, err := h.client.SendText(ctx, &sidecarv1.SendTextRequest{InstanceId: inst, To: "551188870012", Text: "sem o nove"}); err != nil ||
		r.GetChat().GetJid() != "5511988870012@s.whatsapp.net" {
		t.Fatalf("send without the 9: %v %v", r, err)
	}
	h.post("/faults", map[string]any{"messageAckError": 479}, nil)
	if _, err := h.client.SendText(ctx, &sidecarv1.SendTextRequest{InstanceId: inst, To: peer, Text: "refused"}); code(err) != codes.Aborted {
		t.Fatalf("send under messageAckError 479: %v, want ABORTED", err)
	}
}

// TestInboundBacklogInOrder: what a contact sends while the instance is disconnected arrives after the reconnect as
// message events, in the order sent, each exactly once.
func TestInboundBacklogInOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t)
	contacts := contactsFor(t, h)
	ctx := h.ctx()
	const inst, self, peer = "msg-3", "5511999870021", "5511888870021"
	if _, err := contacts.Create(ctx, peer, "Ana"); err != nil {
		t.Fatal(err)
	}
	c, _ := contacts.Get(peer)
	jid := h.pairByQR(inst, self)
	if _, err := h.client.Disconnect(ctx, &sidecarv1.DisconnectRequest{InstanceId: inst}); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 20 {
		s, err := contacts.SendText(ctx, c, self, fmt.Sprintf("backlog %02d", i), "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if _, err := h.client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: inst, Jid: jid}); err != nil {
		t.Fatal(err)
	}
	h.awaitEvent(inst, func(e *sidecarv1.Event) bool { return e.GetMessage().GetId() == ids[len(ids)-1] })
	var got []string
	for _, e := range h.events.snapshot(inst) {
		if m := e.GetMessage(); m != nil {
			got = append(got, m.GetId())
		}
	}
	if fmt.Sprint(got) != fmt.Sprint(ids) {
		t.Fatalf("message events %v, want each of %v once, in order", got, ids)
	}
}
