package contact

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/wagate/wagate/sidecar/emulator"
)

// maxWait caps the long poll of GET /contacts/{phone}/messages.
const maxWait = 30 * time.Second

// Register adds the /contacts routes to the emulator's control API (before Start).
func (m *Manager) Register(s *emulator.Server) {
	for pattern, h := range m.routes() {
		s.Handle(pattern, h)
	}
}

// Unavailable registers /contacts routes that answer 409, for an emulator started without a contacts store.
func Unavailable(s *emulator.Server, why string) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		emulator.Answer(w, nil, emulator.NewAPIError(http.StatusConflict, "%s", why))
	})
	s.Handle("/contacts", h)
	s.Handle("/contacts/", h)
}

func (m *Manager) routes() map[string]http.HandlerFunc {
	return map[string]http.HandlerFunc{
		"POST /contacts": func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				Phone string `json:"phone"`
				Name  string `json:"name"`
			}
			if !emulator.ReadJSON(w, r, &body) {
				return
			}
			if !emulator.ValidPhone(body.Phone) {
				emulator.Answer(w, nil, emulator.NewAPIError(http.StatusBadRequest, "phone must be 7-20 digits in international form"))
				return
			}
			info, err := m.Create(r.Context(), body.Phone, body.Name)
			if err != nil {
				emulator.Answer(w, nil, err)
				return
			}
			emulator.WriteJSON(w, http.StatusCreated, info)
		},
		"GET /contacts": func(w http.ResponseWriter, r *http.Request) {
			emulator.WriteJSON(w, http.StatusOK, map[string]any{"contacts": m.List()})
		},
		"DELETE /contacts/{phone}": func(w http.ResponseWriter, r *http.Request) {
			emulator.Answer(w, map[string]bool{"ok": true}, m.Delete(r.Context(), r.PathValue("phone")))
		},
		"POST /contacts/{phone}/send":    m.withContact(m.serveSend),
		"GET /contacts/{phone}/messages": m.withContact(serveMessages),
		"GET /contacts/{phone}/messages/{id}/media": m.withContact(func(w http.ResponseWriter, r *http.Request, c *Contact) {
			data, mime, err := c.Media(r.Context(), r.PathValue("id"))
			if err != nil {
				emulator.Answer(w, nil, err)
				return
			}
			w.Header().Set("Content-Type", mime)
			w.Header().Set("Content-Length", strconv.Itoa(len(data)))
			_, _ = w.Write(data)
		}),
		"POST /contacts/{phone}/read": m.withContact(func(w http.ResponseWriter, r *http.Request, c *Contact) {
			var body struct {
				IDs []string `json:"ids"`
			}
			if !emulator.ReadJSON(w, r, &body) {
				return
			}
			if len(body.IDs) == 0 {
				emulator.Answer(w, nil, emulator.NewAPIError(http.StatusBadRequest, "ids must name at least one message"))
				return
			}
			emulator.Answer(w, map[string]bool{"ok": true}, m.Read(r.Context(), c, body.IDs))
		}),
		"POST /contacts/{phone}/online": m.withContact(func(w http.ResponseWriter, r *http.Request, c *Contact) {
			var body struct {
				Online *bool `json:"online"`
			}
			if !emulator.ReadJSON(w, r, &body) {
				return
			}
			if body.Online == nil {
				emulator.Answer(w, nil, emulator.NewAPIError(http.StatusBadRequest, "online must be true or false"))
				return
			}
			emulator.Answer(w, map[string]bool{"online": *body.Online}, c.SetOnline(r.Context(), m.srv, *body.Online))
		}),
	}
}

func (m *Manager) withContact(h func(http.ResponseWriter, *http.Request, *Contact)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := m.Get(r.PathValue("phone"))
		if err != nil {
			emulator.Answer(w, nil, err)
			return
		}
		h(w, r, c)
	}
}

func (m *Manager) serveSend(w http.ResponseWriter, r *http.Request, c *Contact) {
	var body struct {
		To       string    `json:"to"`
		Text     *string   `json:"text"`
		ReplyTo  string    `json:"replyTo"`
		Media    *OutMedia `json:"media"`
		Reaction *Reaction `json:"reaction"`
	}
	if !emulator.ReadJSON(w, r, &body) {
		return
	}
	var sent Sent
	var err error
	switch {
	case body.To == "":
		err = emulator.NewAPIError(http.StatusBadRequest, "to is required")
	case body.Text != nil:
		sent, err = m.SendText(r.Context(), c, body.To, *body.Text, body.ReplyTo)
	case body.Media != nil:
		sent, err = m.SendMedia(r.Context(), c, body.To, *body.Media)
	case body.Reaction != nil && body.Reaction.ID != "":
		sent, err = m.SendReaction(r.Context(), c, body.To, body.Reaction.ID, body.Reaction.Emoji)
	default:
		err = emulator.NewAPIError(http.StatusBadRequest, "one of text, media or reaction (with id) is required")
	}
	var apiErr *emulator.APIError
	if err != nil && !errors.As(err, &apiErr) {
		// A whatsmeow failure (server ack error, timeout) is the server's answer, not an emulator bug.
		err = emulator.NewAPIError(http.StatusBadGateway, "send failed: %v", err)
	}
	emulator.Answer(w, sent, err)
}

func serveMessages(w http.ResponseWriter, r *http.Request, c *Contact) {
	q := r.URL.Query()
	var after uint64
	var waitMs int64
	var err error
	if v := q.Get("after"); v != "" {
		if after, err = strconv.ParseUint(v, 10, 64); err != nil {
			emulator.Answer(w, nil, emulator.NewAPIError(http.StatusBadRequest, "after must be a non-negative integer"))
			return
		}
	}
	if v := q.Get("waitMs"); v != "" {
		if waitMs, err = strconv.ParseInt(v, 10, 64); err != nil || waitMs < 0 || waitMs > maxWait.Milliseconds() {
			emulator.Answer(w, nil, emulator.NewAPIError(http.StatusBadRequest, "waitMs must be between 0 and 30000"))
			return
		}
	}
	list := c.Messages(r.Context(), after, time.Duration(waitMs)*time.Millisecond)
	emulator.WriteJSON(w, http.StatusOK, map[string]any{"messages": list})
}
