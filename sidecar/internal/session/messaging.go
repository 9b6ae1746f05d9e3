package session

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	"google.golang.org/protobuf/proto"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/convert"
)

// sendTimeout bounds one send (device lists, prekeys, upload, server ack); after it delivery is uncertain.
const sendTimeout = 60 * time.Second

// Messaging errors.
var (
	ErrNotConnected    = errors.New("instance is not connected to WhatsApp")
	ErrNotOnWhatsApp   = errors.New("number not registered on WhatsApp")
	ErrInvalidMedia    = errors.New("media_type must be image, video, audio or document, with data and mimetype")
	ErrMissingText     = errors.New("text is required")
	ErrMissingTarget   = errors.New("target_id is required")
	ErrMissingMessages = errors.New("message_ids is required")
)

// RefusedError is a send the WhatsApp server refused: its ack carried an error code.
type RefusedError struct{ Err error }

func (e *RefusedError) Error() string { return e.Err.Error() }
func (e *RefusedError) Unwrap() error { return e.Err }

// connected returns the logged-in client of an instance.
func (m *Manager) connected(id string) (*whatsmeow.Client, error) {
	if err := validInstance(id); err != nil {
		return nil, err
	}
	s := m.get(id)
	if s == nil {
		return nil, ErrNotConnected
	}
	s.mu.Lock()
	cli, state := s.client, s.state
	s.mu.Unlock()
	if cli == nil || state != sidecarv1.SessionState_SESSION_STATE_CONNECTED || !cli.IsLoggedIn() {
		return nil, ErrNotConnected
	}
	return cli, nil
}

// recipient parses `to` and, for a phone number, asks WhatsApp whether it exists (whatsmeow caches the LID it
// learns, so later sends need no lookup).
func recipient(ctx context.Context, cli *whatsmeow.Client, to string) (types.JID, error) {
	jid, err := convert.ParseRecipient(to)
	if err != nil || jid.Server != types.DefaultUserServer {
		return jid, err
	}
	if lid, _ := cli.Store.LIDs.GetLIDForPN(ctx, jid); !lid.IsEmpty() {
		return jid, nil
	}
	variants := convert.PhoneVariants(jid.User)
	queries := make([]string, len(variants))
	for i, v := range variants {
		queries[i] = "+" + v
	}
	res, err := cli.IsOnWhatsApp(ctx, queries)
	if err != nil {
		return jid, &UnavailableError{Op: "check the number", Err: err}
	}
	// The first form (as given) that exists wins.
	for _, q := range queries {
		for _, r := range res {
			if r.IsIn && r.Query == q {
				return types.NewJID(q[1:], types.DefaultUserServer), nil
			}
		}
	}
	return jid, fmt.Errorf("%w: %s", ErrNotOnWhatsApp, jid.User)
}

// parties names the chat and this account the way events do.
func parties(ctx context.Context, cli *whatsmeow.Client, chat types.JID) (chatParty, self *sidecarv1.Party) {
	alt := altOf(ctx, cli, chat)
	own := types.EmptyJID
	if cli.Store.ID != nil {
		own = *cli.Store.ID
	}
	return convert.Party(chat, alt, ""), convert.Party(own, cli.Store.GetLID(), cli.Store.PushName)
}

// altOf is the other address form of a user (LID for a phone number and back), when the store knows it.
func altOf(ctx context.Context, cli *whatsmeow.Client, j types.JID) types.JID {
	var alt types.JID
	switch j.Server {
	case types.DefaultUserServer:
		alt, _ = cli.Store.LIDs.GetLIDForPN(ctx, j.ToNonAD())
	case types.HiddenUserServer:
		alt, _ = cli.Store.LIDs.GetPNForLID(ctx, j.ToNonAD())
	}
	return alt
}

// senderAlt is the sender's other address form: from the stanza when it carried one, else from the store.
func senderAlt(ctx context.Context, cli *whatsmeow.Client, sender, alt types.JID) types.JID {
	if !alt.IsEmpty() {
		return alt
	}
	return altOf(ctx, cli, sender)
}

func (m *Manager) send(ctx context.Context, cli *whatsmeow.Client, to types.JID, msg *waE2E.Message, id string) (*sidecarv1.SendResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	resp, err := cli.SendMessage(ctx, to, msg, whatsmeow.SendRequestExtra{ID: types.MessageID(id)})
	switch {
	case errors.Is(err, whatsmeow.ErrServerReturnedError):
		return nil, &RefusedError{Err: err}
	case errors.Is(err, whatsmeow.ErrMessageTimedOut):
		return nil, fmt.Errorf("timed out waiting for server ack: %w", context.DeadlineExceeded)
	case err != nil:
		return nil, err
	}
	chat, self := parties(ctx, cli, to)
	return &sidecarv1.SendResponse{MessageId: resp.ID, TimestampUnix: resp.Timestamp.Unix(), Chat: chat, Sender: self}, nil
}

func quote(cli *whatsmeow.Client, to types.JID, id string, fromMe bool) *waE2E.ContextInfo {
	if id == "" {
		return nil
	}
	author := to
	if fromMe && cli.Store.ID != nil {
		author = cli.Store.ID.ToNonAD()
	}
	return &waE2E.ContextInfo{StanzaID: proto.String(id), Participant: proto.String(author.String()),
		QuotedMessage: &waE2E.Message{Conversation: proto.String("")}}
}

// SendText sends a text message and returns after the server ack.
func (m *Manager) SendText(ctx context.Context, req *sidecarv1.SendTextRequest) (*sidecarv1.SendResponse, error) {
	cli, err := m.connected(req.GetInstanceId())
	if err != nil {
		return nil, err
	}
	if req.GetText() == "" {
		return nil, ErrMissingText
	}
	to, err := recipient(ctx, cli, req.GetTo())
	if err != nil {
		return nil, err
	}
	msg := &waE2E.Message{Conversation: proto.String(req.GetText())}
	if q := quote(cli, to, req.GetReplyToId(), req.GetReplyToFromMe()); q != nil {
		msg = &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(req.GetText()), ContextInfo: q}}
	}
	return m.send(ctx, cli, to, msg, req.GetMessageId())
}

var mediaKinds = map[string]whatsmeow.MediaType{
	"image": whatsmeow.MediaImage, "video": whatsmeow.MediaVideo, "audio": whatsmeow.MediaAudio, "document": whatsmeow.MediaDocument,
}

// SendMedia encrypts and uploads the media, sends the message and returns after the server ack.
func (m *Manager) SendMedia(ctx context.Context, req *sidecarv1.SendMediaRequest) (*sidecarv1.SendResponse, error) {
	cli, err := m.connected(req.GetInstanceId())
	if err != nil {
		return nil, err
	}
	kind, ok := mediaKinds[req.GetMediaType()]
	if !ok || len(req.GetData()) == 0 || req.GetMimetype() == "" {
		return nil, ErrInvalidMedia
	}
	to, err := recipient(ctx, cli, req.GetTo())
	if err != nil {
		return nil, err
	}
	upCtx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	up, err := cli.Upload(upCtx, req.GetData(), kind)
	if err != nil {
		return nil, &UnavailableError{Op: "upload media", Err: err}
	}
	msg, media := mediaMessage(req, up, quote(cli, to, req.GetReplyToId(), req.GetReplyToFromMe()))
	resp, err := m.send(ctx, cli, to, msg, req.GetMessageId())
	if err != nil {
		return nil, err
	}
	resp.Media = media
	return resp, nil
}

func mediaMessage(req *sidecarv1.SendMediaRequest, up whatsmeow.UploadResponse, ctxInfo *waE2E.ContextInfo) (*waE2E.Message, *sidecarv1.Media) {
	size := uint64(len(req.GetData()))
	mime, caption, name := proto.String(req.GetMimetype()), optional(req.GetCaption()), optional(req.GetFileName())
	media := &sidecarv1.Media{Type: req.GetMediaType(), Mimetype: req.GetMimetype(), Url: up.URL, DirectPath: up.DirectPath,
		MediaKey: up.MediaKey, FileEncSha256: up.FileEncSHA256, FileSha256: up.FileSHA256, Size: size,
		FileName: req.GetFileName(), Caption: req.GetCaption(), Seconds: req.GetSeconds()}
	var msg waE2E.Message
	switch req.GetMediaType() {
	case "image":
		msg.ImageMessage = &waE2E.ImageMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey, FileEncSHA256: up.FileEncSHA256,
			FileSHA256: up.FileSHA256, FileLength: &size, Mimetype: mime, Caption: caption, ContextInfo: ctxInfo}
	case "video":
		msg.VideoMessage = &waE2E.VideoMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey, FileEncSHA256: up.FileEncSHA256,
			FileSHA256: up.FileSHA256, FileLength: &size, Mimetype: mime, Caption: caption, Seconds: optionalU32(req.GetSeconds()), ContextInfo: ctxInfo}
	case "audio":
		media.Caption = ""
		if req.GetPtt() {
			media.Type = "ptt"
		}
		msg.AudioMessage = &waE2E.AudioMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey, FileEncSHA256: up.FileEncSHA256,
			FileSHA256: up.FileSHA256, FileLength: &size, Mimetype: mime, PTT: proto.Bool(req.GetPtt()), Seconds: optionalU32(req.GetSeconds()), ContextInfo: ctxInfo}
	case "document":
		msg.DocumentMessage = &waE2E.DocumentMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey, FileEncSHA256: up.FileEncSHA256,
			FileSHA256: up.FileSHA256, FileLength: &size, Mimetype: mime, Caption: caption, FileName: name, ContextInfo: ctxInfo}
	}
	return &msg, media
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optionalU32(v uint32) *uint32 {
	if v == 0 {
		return nil
	}
	return &v
}

// SendReaction reacts to a message of the chat (an empty emoji removes the reaction).
func (m *Manager) SendReaction(ctx context.Context, req *sidecarv1.SendReactionRequest) (*sidecarv1.SendResponse, error) {
	cli, err := m.connected(req.GetInstanceId())
	if err != nil {
		return nil, err
	}
	if req.GetTargetId() == "" {
		return nil, ErrMissingTarget
	}
	to, err := recipient(ctx, cli, req.GetTo())
	if err != nil {
		return nil, err
	}
	author := to
	if req.GetTargetFromMe() && cli.Store.ID != nil {
		author = cli.Store.ID.ToNonAD()
	}
	return m.send(ctx, cli, to, cli.BuildReaction(to, author, req.GetTargetId(), req.GetEmoji()), req.GetMessageId())
}

// MarkRead sends read receipts for messages of one chat.
func (m *Manager) MarkRead(ctx context.Context, req *sidecarv1.MarkReadRequest) error {
	cli, err := m.connected(req.GetInstanceId())
	if err != nil {
		return err
	}
	if len(req.GetMessageIds()) == 0 {
		return ErrMissingMessages
	}
	chat, err := convert.ParseRecipient(req.GetChat())
	if err != nil {
		return err
	}
	sender := chat
	if req.GetSender() != "" {
		if sender, err = convert.ParseRecipient(req.GetSender()); err != nil {
			return err
		}
	}
	at := time.Now()
	if req.GetTimestampUnix() > 0 {
		at = time.Unix(req.GetTimestampUnix(), 0)
	}
	ids := make([]types.MessageID, len(req.GetMessageIds()))
	copy(ids, req.GetMessageIds())
	return cli.MarkRead(ctx, ids, at, chat, sender)
}

// handleMessaging commits messages and receipts of one-to-one chats to the inbox and publishes them on the ordered
// event stream. It runs on whatsmeow's dispatcher under s.mu, like every other event of the session, so the stream
// keeps whatsmeow's order. It returns false when the commit failed: whatsmeow then does not ack the stanza.
func (s *Session) handleMessaging(cli *whatsmeow.Client, evt any) bool {
	ctx := context.Background()
	switch v := evt.(type) {
	case *events.Message:
		if !convert.IsPrivateChat(v.Info.Chat) {
			return true
		}
		if e, ok := convert.MessageEvent(v, altOf(ctx, cli, v.Info.Chat), senderAlt(ctx, cli, v.Info.Sender, v.Info.SenderAlt)); ok {
			return s.emitDurableLocked(ctx, e, messageKey(v))
		}
	case *events.Receipt:
		if !convert.IsPrivateChat(v.Chat) {
			return true
		}
		if e, ok := convert.ReceiptEvent(v, altOf(ctx, cli, v.Chat), senderAlt(ctx, cli, v.Sender, v.SenderAlt)); ok {
			return s.emitDurableLocked(ctx, e, receiptKey(v))
		}
	}
	return true
}
