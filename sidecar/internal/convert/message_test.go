package convert

import (
	"errors"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/proto/waCommon"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"
)

func TestParseRecipient(t *testing.T) {
	for in, want := range map[string]string{
		"5511999999999":                  "5511999999999@s.whatsapp.net",
		"5511999999999@s.whatsapp.net":   "5511999999999@s.whatsapp.net",
		"5511999999999:7@s.whatsapp.net": "5511999999999@s.whatsapp.net",
		" 123456789012345@lid ":          "123456789012345@lid",
		"123456789012345:3@lid":          "123456789012345@lid",
	} {
		got, err := ParseRecipient(in)
		if err != nil || got.String() != want {
			t.Errorf("ParseRecipient(%q) = %s, %v; want %s", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "12", "+5511999999999", "120363406289005073@g.us", "status@broadcast", "abc@lid@x"} {
		if _, err := ParseRecipient(bad); !errors.Is(err, ErrInvalidRecipient) {
			t.Errorf("ParseRecipient(%q): %v, want ErrInvalidRecipient", bad, err)
		}
	}
}

func TestParty(t *testing.T) {
	pn := types.NewADJID("5511999999999", 0, 3)
	lid := types.JID{User: "123456789012345", Server: types.HiddenUserServer, Device: 3}
	if p := Party(lid, pn, "Ana"); p.Jid != "5511999999999@s.whatsapp.net" || p.Lid != "123456789012345@lid" || p.Name != "Ana" {
		t.Fatalf("both forms: %v", p)
	}
	if p := Party(lid, types.EmptyJID, ""); p.Jid != "123456789012345@lid" || p.Lid != "123456789012345@lid" {
		t.Fatalf("LID only: %v", p)
	}
}

func incoming(msg *waE2E.Message) *events.Message {
	sender := types.JID{User: "123456789012345", Server: types.HiddenUserServer, Device: 1}
	return &events.Message{Message: msg, Info: types.MessageInfo{ID: "3EB0AA", Timestamp: time.Unix(1700000000, 0), PushName: "Ana",
		MessageSource: types.MessageSource{Chat: sender.ToNonAD(), Sender: sender}}}
}

func TestMessageEvent(t *testing.T) {
	pn := types.NewJID("5511888888888", types.DefaultUserServer)
	e, ok := MessageEvent(incoming(&waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String("oi"),
		ContextInfo: &waE2E.ContextInfo{StanzaID: proto.String("3EB0QUOTED")}}}), pn, pn)
	m := e.GetMessage()
	if !ok || m.GetType() != "text" || m.GetText() != "oi" || m.GetReplyToId() != "3EB0QUOTED" || m.GetFromMe() ||
		m.GetChat().GetJid() != "5511888888888@s.whatsapp.net" || m.GetChat().GetName() != "Ana" || m.GetTimestampUnix() != 1700000000 {
		t.Fatalf("text event %v", e)
	}
	e, _ = MessageEvent(incoming(&waE2E.Message{ReactionMessage: &waE2E.ReactionMessage{
		Key: &waCommon.MessageKey{ID: proto.String("3EB0MINE"), FromMe: proto.Bool(false)}, Text: proto.String("👍")}}), pn, pn)
	if r := e.GetMessage().GetReaction(); e.GetMessage().GetType() != "reaction" || r.GetTargetId() != "3EB0MINE" || !r.GetFromMe() {
		t.Fatalf("reaction to one of ours: %v", e)
	}
	e, _ = MessageEvent(incoming(&waE2E.Message{AudioMessage: &waE2E.AudioMessage{PTT: proto.Bool(true), Mimetype: proto.String("audio/ogg"),
		FileLength: proto.Uint64(42), Seconds: proto.Uint32(3)}}), pn, pn)
	if md := e.GetMessage().GetMedia(); e.GetMessage().GetType() != "ptt" || md.GetSize() != 42 || md.GetSeconds() != 3 {
		t.Fatalf("voice note %v", e)
	}
	for name, msg := range map[string]*waE2E.Message{
		"protocol": {ProtocolMessage: &waE2E.ProtocolMessage{}},
		"keys":     {SenderKeyDistributionMessage: &waE2E.SenderKeyDistributionMessage{GroupID: proto.String("g")}},
	} {
		if _, ok := MessageEvent(incoming(msg), pn, pn); ok {
			t.Errorf("%s message reported", name)
		}
	}
}

func TestReceiptEvent(t *testing.T) {
	r := &events.Receipt{MessageIDs: []types.MessageID{"A", "B"}, Type: types.ReceiptTypeRead, Timestamp: time.Unix(5, 0),
		MessageSource: types.MessageSource{Chat: types.NewJID("5511888888888", types.DefaultUserServer),
			Sender: types.NewADJID("5511888888888", 0, 1)}}
	e, ok := ReceiptEvent(r, types.EmptyJID, types.EmptyJID)
	if !ok || e.GetReceipt().GetStatus() != "read" || len(e.GetReceipt().GetMessageIds()) != 2 || !e.GetReceipt().GetFromMeMessages() ||
		e.GetReceipt().GetRecipient().GetJid() != "5511888888888@s.whatsapp.net" {
		t.Fatalf("read receipt %v", e)
	}
	r.Type, r.IsFromMe = types.ReceiptTypeReadSelf, true
	if e, _ := ReceiptEvent(r, types.EmptyJID, types.EmptyJID); e.GetReceipt().GetStatus() != "read_self" || e.GetReceipt().GetFromMeMessages() {
		t.Fatalf("read-self receipt %v", e)
	}
	for _, typ := range []types.ReceiptType{types.ReceiptTypePeerMsg, types.ReceiptTypeHistorySync} {
		r.Type = typ
		if _, ok := ReceiptEvent(r, types.EmptyJID, types.EmptyJID); ok {
			t.Errorf("%s receipt reported", typ)
		}
	}
}

func TestPhoneVariants(t *testing.T) {
	for in, want := range map[string][]string{
		"5511999999999": {"5511999999999", "551199999999"},
		"551199999999":  {"551199999999", "5511999999999"},
		"5511899999999": {"5511899999999"},
		"14155550100":   {"14155550100"},
	} {
		got := PhoneVariants(in)
		if len(got) != len(want) || got[0] != want[0] || got[len(got)-1] != want[len(want)-1] {
			t.Errorf("PhoneVariants(%s) = %v, want %v", in, got, want)
		}
	}
}
