package convert

import (
	"errors"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// ErrInvalidRecipient is a recipient that is neither phone digits nor a user or LID JID.
var ErrInvalidRecipient = errors.New("recipient must be 8-15 digits, a user JID (@s.whatsapp.net) or a LID (@lid)")

// ParseRecipient reads the chat of a one-to-one send: phone digits, or a user or LID JID (a device suffix is
// dropped). Groups, newsletters and broadcasts are not part of the first messaging slice.
func ParseRecipient(s string) (types.JID, error) {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "@") {
		if ValidatePhone(s) != nil {
			return types.JID{}, fmt.Errorf("%w: %q", ErrInvalidRecipient, s)
		}
		return types.NewJID(s, types.DefaultUserServer), nil
	}
	j, err := types.ParseJID(s)
	if err != nil || !digits(j.User) || (j.Server != types.DefaultUserServer && j.Server != types.HiddenUserServer) {
		return types.JID{}, fmt.Errorf("%w: %q", ErrInvalidRecipient, s)
	}
	return j.ToNonAD(), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// PhoneVariants lists the forms of a phone number to look up: Brazilian mobile numbers (55, area code, then 8 or 9
// digits) exist on WhatsApp with or without the 9 after the area code, so both are asked; the given form comes first.
func PhoneVariants(phone string) []string {
	if !strings.HasPrefix(phone, "55") {
		return []string{phone}
	}
	switch len(phone) {
	case 13:
		if phone[4] == '9' {
			return []string{phone, phone[:4] + phone[5:]}
		}
	case 12:
		return []string{phone, phone[:4] + "9" + phone[4:]}
	}
	return []string{phone}
}

// Party builds a wire party from the two address forms of one account (either may be empty).
func Party(a, b types.JID, name string) *sidecarv1.Party {
	p := &sidecarv1.Party{Name: name}
	for _, j := range []types.JID{a, b} {
		switch j.Server {
		case types.DefaultUserServer:
			p.Jid = j.ToNonAD().String()
		case types.HiddenUserServer:
			p.Lid = j.ToNonAD().String()
		}
	}
	if p.Jid == "" {
		p.Jid = p.Lid
	}
	return p
}

// IsPrivateChat reports whether a chat is one-to-one (the only kind the first messaging slice reports).
func IsPrivateChat(chat types.JID) bool {
	return chat.Server == types.DefaultUserServer || chat.Server == types.HiddenUserServer
}

// MessageEvent maps a decrypted message to a wire event; ok is false for what is not a user-visible message
// (protocol messages such as key shares, sender-key distribution only).
func MessageEvent(v *events.Message, chatAlt, senderAlt types.JID) (*sidecarv1.Event, bool) {
	msg := v.Message
	if msg == nil || msg.GetProtocolMessage() != nil || onlyKeys(msg) {
		return nil, false
	}
	m := &sidecarv1.Message{
		Id: v.Info.ID, FromMe: v.Info.IsFromMe, TimestampUnix: v.Info.Timestamp.Unix(), ChatType: "private",
		Chat:   Party(v.Info.Chat, chatAlt, ""),
		Sender: Party(v.Info.Sender, senderAlt, v.Info.PushName),
	}
	if !v.Info.IsFromMe {
		m.Chat.Name = v.Info.PushName
	}
	describe(m, msg)
	return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_UNSPECIFIED, Message: m}, true
}

// onlyKeys reports a message that carries nothing but key material (a sender-key distribution, message secrets).
func onlyKeys(msg *waE2E.Message) bool {
	rest := proto.Clone(msg).(*waE2E.Message)
	rest.SenderKeyDistributionMessage, rest.MessageContextInfo = nil, nil
	return proto.Size(rest) == 0
}

// contextOf returns the context info of whichever content the message carries.
func contextOf(msg *waE2E.Message) *waE2E.ContextInfo {
	switch {
	case msg.GetExtendedTextMessage() != nil:
		return msg.GetExtendedTextMessage().GetContextInfo()
	case msg.GetImageMessage() != nil:
		return msg.GetImageMessage().GetContextInfo()
	case msg.GetVideoMessage() != nil:
		return msg.GetVideoMessage().GetContextInfo()
	case msg.GetAudioMessage() != nil:
		return msg.GetAudioMessage().GetContextInfo()
	case msg.GetDocumentMessage() != nil:
		return msg.GetDocumentMessage().GetContextInfo()
	}
	return nil
}

func describe(m *sidecarv1.Message, msg *waE2E.Message) {
	m.ReplyToId = contextOf(msg).GetStanzaID()
	media := func(typ, mime, url, path string, key, enc, sum []byte, size uint64, name, caption string, secs uint32) {
		m.Type, m.Text = typ, caption
		m.Media = &sidecarv1.Media{Type: typ, Mimetype: mime, Url: url, DirectPath: path, MediaKey: key,
			FileEncSha256: enc, FileSha256: sum, Size: size, FileName: name, Caption: caption, Seconds: secs}
	}
	switch {
	case msg.GetReactionMessage() != nil:
		r := msg.GetReactionMessage()
		m.Type = "reaction"
		m.Reaction = &sidecarv1.Reaction{TargetId: r.GetKey().GetID(), Text: r.GetText(), FromMe: r.GetKey().GetFromMe() == m.FromMe}
	case msg.GetConversation() != "":
		m.Type, m.Text = "text", msg.GetConversation()
	case msg.GetExtendedTextMessage() != nil:
		m.Type, m.Text = "text", msg.GetExtendedTextMessage().GetText()
	case msg.GetImageMessage() != nil:
		x := msg.GetImageMessage()
		media("image", x.GetMimetype(), x.GetURL(), x.GetDirectPath(), x.GetMediaKey(), x.GetFileEncSHA256(), x.GetFileSHA256(), x.GetFileLength(), "", x.GetCaption(), 0)
	case msg.GetVideoMessage() != nil:
		x := msg.GetVideoMessage()
		media("video", x.GetMimetype(), x.GetURL(), x.GetDirectPath(), x.GetMediaKey(), x.GetFileEncSHA256(), x.GetFileSHA256(), x.GetFileLength(), "", x.GetCaption(), x.GetSeconds())
	case msg.GetAudioMessage() != nil:
		x := msg.GetAudioMessage()
		typ := "audio"
		if x.GetPTT() {
			typ = "ptt"
		}
		media(typ, x.GetMimetype(), x.GetURL(), x.GetDirectPath(), x.GetMediaKey(), x.GetFileEncSHA256(), x.GetFileSHA256(), x.GetFileLength(), "", "", x.GetSeconds())
	case msg.GetDocumentMessage() != nil:
		x := msg.GetDocumentMessage()
		media("document", x.GetMimetype(), x.GetURL(), x.GetDirectPath(), x.GetMediaKey(), x.GetFileEncSHA256(), x.GetFileSHA256(), x.GetFileLength(), x.GetFileName(), x.GetCaption(), 0)
	case msg.GetStickerMessage() != nil:
		x := msg.GetStickerMessage()
		media("sticker", x.GetMimetype(), x.GetURL(), x.GetDirectPath(), x.GetMediaKey(), x.GetFileEncSHA256(), x.GetFileSHA256(), x.GetFileLength(), "", "", 0)
	default:
		m.Type = "unsupported"
	}
}

// receiptStatus maps whatsmeow receipt types to the wire status; peer_msg and hist_sync are never reported.
var receiptStatus = map[types.ReceiptType]string{
	types.ReceiptTypeDelivered: "delivered", types.ReceiptTypeRead: "read", types.ReceiptTypePlayed: "played",
	types.ReceiptTypeSender: "sender", types.ReceiptTypeReadSelf: "read_self", types.ReceiptTypePlayedSelf: "played_self",
	types.ReceiptTypeRetry: "retry", types.ReceiptTypeInactive: "inactive", types.ReceiptTypeServerError: "server_error",
}

// ReceiptEvent maps a receipt to a wire event; ok is false for receipt types that are never reported.
func ReceiptEvent(v *events.Receipt, chatAlt, senderAlt types.JID) (*sidecarv1.Event, bool) {
	st, ok := receiptStatus[v.Type]
	if !ok {
		return nil, false
	}
	r := &sidecarv1.Receipt{
		MessageIds: append([]string(nil), v.MessageIDs...), Status: st, TimestampUnix: v.Timestamp.Unix(),
		Chat:           Party(v.Chat, chatAlt, ""),
		Recipient:      Party(v.Sender, senderAlt, ""),
		FromMeMessages: !v.IsFromMe || v.Type == types.ReceiptTypeSender,
	}
	return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_UNSPECIFIED, Receipt: r}, true
}
