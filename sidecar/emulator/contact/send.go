package contact

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"time"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"

	"github.com/wagate/wagate/sidecar/emulator"
)

// sendTimeout bounds one send through whatsmeow (device list, prekeys, upload, server ack).
const sendTimeout = 30 * time.Second

// OutMedia is an attachment to send, in plaintext.
type OutMedia struct {
	Type     string `json:"type"` // image, video, audio, document, sticker
	Mimetype string `json:"mimetype"`
	Data     []byte `json:"base64"`
	FileName string `json:"fileName,omitempty"`
	Caption  string `json:"caption,omitempty"`
}

// Sent is the answer to a send: the message id and the server's ack time.
type Sent struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
}

var mediaTypes = map[string]whatsmeow.MediaType{
	"image": whatsmeow.MediaImage, "video": whatsmeow.MediaVideo, "audio": whatsmeow.MediaAudio,
	"document": whatsmeow.MediaDocument, "sticker": whatsmeow.MediaImage,
}

func (m *Manager) target(c *Contact, to string) (types.JID, error) {
	if !c.cli.IsLoggedIn() {
		return types.JID{}, emulator.NewAPIError(http.StatusConflict, "contact %s is offline", c.Phone)
	}
	if !m.srv.HasAccount(to) {
		return types.JID{}, emulator.NewAPIError(http.StatusNotFound, "unknown recipient %s", to)
	}
	return types.NewJID(to, types.DefaultUserServer), nil
}

// send sends msg and records it as an out entry described by the same code that describes received ones.
func (c *Contact) send(ctx context.Context, to types.JID, msg *waE2E.Message) (Sent, error) {
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	resp, err := c.cli.SendMessage(ctx, to, msg)
	if err != nil {
		return Sent{}, err
	}
	entry := &Message{ID: resp.ID, Direction: "out", Peer: to.User, Timestamp: resp.Timestamp.Unix(), State: "sent"}
	describe(entry, msg)
	c.log.add(entry)
	return Sent{ID: resp.ID, Timestamp: resp.Timestamp.Unix()}, nil
}

// SendText sends a text, optionally as a reply to the message replyTo.
func (m *Manager) SendText(ctx context.Context, c *Contact, to, text, replyTo string) (Sent, error) {
	jid, err := m.target(c, to)
	if err != nil {
		return Sent{}, err
	}
	msg := &waE2E.Message{Conversation: proto.String(text)}
	if replyTo != "" {
		msg = &waE2E.Message{ExtendedTextMessage: &waE2E.ExtendedTextMessage{Text: proto.String(text),
			ContextInfo: c.quote(replyTo, jid)}}
	}
	return c.send(ctx, jid, msg)
}

// quote builds the context of a reply: whoever wrote the quoted message is its participant.
func (c *Contact) quote(id string, peer types.JID) *waE2E.ContextInfo {
	author := peer
	if q, ok := c.log.get(id); ok && q.Direction == "out" {
		author = c.JID.ToNonAD()
	}
	return &waE2E.ContextInfo{StanzaID: proto.String(id), Participant: proto.String(author.String()),
		QuotedMessage: &waE2E.Message{Conversation: proto.String("")}}
}

// SendMedia uploads the attachment through whatsmeow (encrypted, to the emulator's media server) and sends it.
func (m *Manager) SendMedia(ctx context.Context, c *Contact, to string, media OutMedia) (Sent, error) {
	jid, err := m.target(c, to)
	if err != nil {
		return Sent{}, err
	}
	kind, ok := mediaTypes[media.Type]
	if !ok {
		return Sent{}, emulator.NewAPIError(http.StatusBadRequest, "media.type must be image, video, audio, document or sticker")
	}
	if len(media.Data) == 0 || media.Mimetype == "" {
		return Sent{}, emulator.NewAPIError(http.StatusBadRequest, "media needs base64 and mimetype")
	}
	upCtx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	up, err := c.cli.Upload(upCtx, media.Data, kind)
	if err != nil {
		return Sent{}, err
	}
	size := proto.Uint64(uint64(len(media.Data)))
	var msg waE2E.Message
	switch media.Type {
	case "image":
		msg.ImageMessage = &waE2E.ImageMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: size, Mimetype: &media.Mimetype,
			Caption: optional(media.Caption)}
	case "video":
		msg.VideoMessage = &waE2E.VideoMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: size, Mimetype: &media.Mimetype,
			Caption: optional(media.Caption)}
	case "audio":
		msg.AudioMessage = &waE2E.AudioMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: size, Mimetype: &media.Mimetype}
	case "document":
		msg.DocumentMessage = &waE2E.DocumentMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: size, Mimetype: &media.Mimetype,
			Caption: optional(media.Caption), FileName: optional(media.FileName)}
	case "sticker":
		msg.StickerMessage = &waE2E.StickerMessage{URL: &up.URL, DirectPath: &up.DirectPath, MediaKey: up.MediaKey,
			FileEncSHA256: up.FileEncSHA256, FileSHA256: up.FileSHA256, FileLength: size, Mimetype: &media.Mimetype}
	}
	return c.send(ctx, jid, &msg)
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// SendReaction reacts to message id with emoji ("" removes the reaction).
func (m *Manager) SendReaction(ctx context.Context, c *Contact, to, id, emoji string) (Sent, error) {
	jid, err := m.target(c, to)
	if err != nil {
		return Sent{}, err
	}
	author := jid
	if q, ok := c.log.get(id); ok && q.Direction == "out" {
		author = c.JID.ToNonAD()
	}
	return c.send(ctx, jid, c.cli.BuildReaction(jid, author, id, emoji))
}

// Read sends read receipts for received messages and marks them read in the log.
func (m *Manager) Read(ctx context.Context, c *Contact, ids []string) error {
	if !c.cli.IsLoggedIn() {
		return emulator.NewAPIError(http.StatusConflict, "contact %s is offline", c.Phone)
	}
	for _, id := range ids {
		q, ok := c.log.get(id)
		if !ok || q.Direction != "in" {
			return emulator.NewAPIError(http.StatusNotFound, "contact %s received no message %s", c.Phone, id)
		}
		if err := c.cli.MarkRead(ctx, []types.MessageID{id}, time.Now(), q.chat, q.sender); err != nil {
			return err
		}
		c.log.setState("in", id, "read")
	}
	return nil
}

// Messages returns the log entries after seq; with wait > 0 it first waits (at most wait) until there is one, or
// until an entry changes its state.
func (c *Contact) Messages(ctx context.Context, after uint64, wait time.Duration) []Message {
	list, changed := c.log.after(after)
	if len(list) > 0 || wait <= 0 {
		return list
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-changed:
	case <-t.C:
	case <-ctx.Done():
	}
	list, _ = c.log.after(after)
	return list
}

// Media downloads and decrypts the attachment of a logged message through the contact's client.
func (c *Contact) Media(ctx context.Context, id string) ([]byte, string, error) {
	q, ok := c.log.get(id)
	if !ok || q.Media == nil {
		return nil, "", emulator.NewAPIError(http.StatusNotFound, "contact %s has no media message %s", c.Phone, id)
	}
	var dl whatsmeow.DownloadableMessage
	switch {
	case q.raw.GetImageMessage() != nil:
		dl = q.raw.GetImageMessage()
	case q.raw.GetVideoMessage() != nil:
		dl = q.raw.GetVideoMessage()
	case q.raw.GetAudioMessage() != nil:
		dl = q.raw.GetAudioMessage()
	case q.raw.GetDocumentMessage() != nil:
		dl = q.raw.GetDocumentMessage()
	default:
		dl = q.raw.GetStickerMessage()
	}
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	data, err := c.cli.Download(ctx, dl)
	if err != nil {
		return nil, "", err
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != q.Media.SHA256 {
		return nil, "", emulator.NewAPIError(http.StatusConflict, "downloaded media does not match its sha256")
	}
	return data, q.Media.Mimetype, nil
}
