package contact

import (
	"encoding/hex"
	"sync"

	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
)

// Media describes an attachment without its bytes.
type Media struct {
	Type     string `json:"type"`
	Mimetype string `json:"mimetype"`
	Size     uint64 `json:"size"`
	SHA256   string `json:"sha256"` // hex SHA-256 of the plaintext
	Caption  string `json:"caption,omitempty"`
	FileName string `json:"fileName,omitempty"`
}

// Reaction is an emoji on a message ("" removes it).
type Reaction struct {
	ID    string `json:"id"`
	Emoji string `json:"emoji"`
}

// Message is one entry of a contact's conversation log, in plaintext as its whatsmeow client saw it.
type Message struct {
	Seq       uint64    `json:"seq"`
	ID        string    `json:"id"`
	Direction string    `json:"direction"` // "in" or "out"
	Peer      string    `json:"peer"`      // the other party's phone number
	Type      string    `json:"type"`      // text, media, reaction
	Text      string    `json:"text,omitempty"`
	Media     *Media    `json:"media,omitempty"`
	Reaction  *Reaction `json:"reaction,omitempty"`
	ReplyTo   string    `json:"replyTo,omitempty"`
	Timestamp int64     `json:"timestamp"`
	// State of an out entry: the latest receipt from the peer (sent, delivered, read, played; retry while it
	// is being resent). Of an in entry: delivered, or read once the contact read it.
	State string `json:"state"`
	// Copies counts how often the contact's client decrypted an in message with this id: the log keeps one entry,
	// and a copy delivered twice (a resend after a retry receipt that was not needed) shows as 2.
	Copies int `json:"copies,omitempty"`

	raw    *waE2E.Message // for the media download
	chat   types.JID      // for read receipts of in entries
	sender types.JID
}

var stateRank = map[string]int{"sent": 1, "retry": 1, "delivered": 2, "read": 3, "played": 4}

// messageLog is a contact's conversation, with waiters for changes (long polls never sleep).
type messageLog struct {
	mu      sync.Mutex
	entries []*Message
	byID    map[string]*Message
	changed chan struct{}
}

func newMessageLog() *messageLog {
	return &messageLog{byID: map[string]*Message{}, changed: make(chan struct{})}
}

func (l *messageLog) notifyLocked() {
	close(l.changed)
	l.changed = make(chan struct{})
}

func (l *messageLog) add(m *Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if old, dup := l.byID[m.Direction+m.ID]; dup {
		if m.Direction == "in" {
			old.Copies++
			l.notifyLocked()
		}
		return
	}
	if m.Direction == "in" {
		m.Copies = 1
	}
	m.Seq = uint64(len(l.entries) + 1)
	l.entries = append(l.entries, m)
	l.byID[m.Direction+m.ID] = m
	l.notifyLocked()
}

// setState moves an entry's state forward (never backwards: a late delivery receipt does not undo read).
func (l *messageLog) setState(direction, id, state string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.byID[direction+id]
	if !ok || stateRank[state] < stateRank[m.State] || (state == "retry" && m.State != "sent") {
		return
	}
	if m.State != state {
		m.State = state
		l.notifyLocked()
	}
}

func (l *messageLog) get(id string) (Message, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, dir := range []string{"in", "out"} {
		if m, ok := l.byID[dir+id]; ok {
			return *m, true
		}
	}
	return Message{}, false
}

// after copies the entries with seq > after and returns the channel closed at the next change.
func (l *messageLog) after(after uint64) ([]Message, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := []Message{}
	for _, m := range l.entries[min(after, uint64(len(l.entries))):] {
		out = append(out, *m)
	}
	return out, l.changed
}

// describe turns a decrypted whatsmeow message into a log entry's type, text, media, reaction and reply fields.
func describe(m *Message, msg *waE2E.Message) {
	m.raw = msg
	if r := msg.GetReactionMessage(); r != nil {
		m.Type = "reaction"
		m.Reaction = &Reaction{ID: r.GetKey().GetID(), Emoji: r.GetText()}
		return
	}
	if c := msg.GetConversation(); c != "" {
		m.Type, m.Text = "text", c
		return
	}
	if x := msg.GetExtendedTextMessage(); x != nil {
		m.Type, m.Text, m.ReplyTo = "text", x.GetText(), x.GetContextInfo().GetStanzaID()
		return
	}
	media := func(typ, mime string, size uint64, sum []byte, caption, name string) {
		m.Type = "media"
		m.Media = &Media{Type: typ, Mimetype: mime, Size: size, SHA256: hex.EncodeToString(sum), Caption: caption, FileName: name}
	}
	switch {
	case msg.GetImageMessage() != nil:
		x := msg.GetImageMessage()
		media("image", x.GetMimetype(), x.GetFileLength(), x.GetFileSHA256(), x.GetCaption(), "")
		m.ReplyTo = x.GetContextInfo().GetStanzaID()
	case msg.GetVideoMessage() != nil:
		x := msg.GetVideoMessage()
		media("video", x.GetMimetype(), x.GetFileLength(), x.GetFileSHA256(), x.GetCaption(), "")
	case msg.GetAudioMessage() != nil:
		x := msg.GetAudioMessage()
		media("audio", x.GetMimetype(), x.GetFileLength(), x.GetFileSHA256(), "", "")
	case msg.GetDocumentMessage() != nil:
		x := msg.GetDocumentMessage()
		media("document", x.GetMimetype(), x.GetFileLength(), x.GetFileSHA256(), x.GetCaption(), x.GetFileName())
	case msg.GetStickerMessage() != nil:
		x := msg.GetStickerMessage()
		media("sticker", x.GetMimetype(), x.GetFileLength(), x.GetFileSHA256(), "", "")
	default:
		m.Type = "other"
	}
}
