// Package contact runs virtual contacts: accounts the emulator creates, each with one linked device that is an
// unmodified whatsmeow client in this process, paired through the emulator's own QR flow and dialling its own
// WhatsApp endpoint. Tests and the demo drive them through the control routes (Routes) or this Go API.
package contact

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/wagate/wagate/sidecar/emulator"
	"github.com/wagate/wagate/sidecar/internal/dial"
	"github.com/wagate/wagate/sidecar/internal/registration"
)

// readyTimeout bounds how long creating or reconnecting a contact waits for its client.
const readyTimeout = 30 * time.Second

// Manager owns the virtual contacts of one emulator.
type Manager struct {
	srv   *emulator.Server
	store *sqlstore.Container
	log   zerolog.Logger

	mu       sync.Mutex
	contacts map[string]*Contact
}

// NewManager runs contacts against srv (started) with whatsmeow state in store. The caller has made whatsmeow
// trust the emulator's root key (dial.Enable / emulator.EnableDial), which is process-wide.
func NewManager(srv *emulator.Server, store *sqlstore.Container, log zerolog.Logger) *Manager {
	return &Manager{srv: srv, store: store, log: log, contacts: map[string]*Contact{}}
}

// Contact is one virtual contact and its conversation log.
type Contact struct {
	Phone, Name string
	JID         types.JID // device JID
	LID         types.JID
	cli         *whatsmeow.Client
	log         *messageLog
	connected   chan struct{} // closed at the next Connected event; replaced on reconnect
	connMu      sync.Mutex
}

// Info is a contact as the control API lists it.
type Info struct {
	Phone     string `json:"phone"`
	JID       string `json:"jid"`
	DeviceJID string `json:"deviceJid"`
	LID       string `json:"lid"`
	Name      string `json:"name"`
	Connected bool   `json:"connected"`
}

func (c *Contact) info() Info {
	return Info{Phone: c.Phone, JID: c.JID.ToNonAD().String(), DeviceJID: c.JID.String(), LID: c.LID.ToNonAD().String(),
		Name: c.Name, Connected: c.cli.IsLoggedIn()}
}

// Create pairs a new contact and returns once its client is connected and its keys are on the server.
func (m *Manager) Create(ctx context.Context, phone, name string) (Info, error) {
	m.mu.Lock()
	_, exists := m.contacts[phone]
	m.mu.Unlock()
	if exists || m.srv.HasAccount(phone) {
		return Info{}, emulator.NewAPIError(http.StatusConflict, "phone %s already exists", phone)
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	dev := m.store.NewDevice()
	dev.PushName = name
	c := &Contact{Phone: phone, Name: name, log: newMessageLog(), connected: make(chan struct{})}
	c.cli = m.newClient(c, dev)
	qr, err := c.cli.GetQRChannel(ctx)
	if err != nil {
		return Info{}, err
	}
	// a new device: its registration payload is built from the process-global store.DeviceProps inside Connect
	registration.Mu.Lock()
	err = c.cli.Connect()
	registration.Mu.Unlock()
	if err != nil {
		return Info{}, fmt.Errorf("connect the contact's client: %w", err)
	}
	fail := func(err error) (Info, error) {
		c.cli.Disconnect()
		return Info{}, err
	}
	var code string
	select {
	case item := <-qr:
		if item.Event != whatsmeow.QRChannelEventCode {
			return fail(fmt.Errorf("contact's client did not show a QR code: %s", item.Event))
		}
		code = item.Code
	case <-ctx.Done():
		return fail(errors.New("contact's client did not show a QR code in time"))
	}
	jid, err := m.srv.Scan(code, phone)
	if err != nil {
		return fail(err)
	}
	if c.JID, err = types.ParseJID(jid); err != nil {
		return fail(err)
	}
	if err := c.waitReady(ctx, m.srv); err != nil {
		return fail(err)
	}
	c.LID, _ = types.ParseJID(m.srv.LID(jid))
	m.mu.Lock()
	m.contacts[phone] = c
	m.mu.Unlock()
	m.log.Info().Str("phone", phone).Str("device", jid).Msg("virtual contact ready")
	return c.info(), nil
}

// Restore reconnects the contacts whose whatsmeow devices are in the store and still linked on the emulator (a
// restart with the same --state-file and --contacts-db); stored devices the emulator no longer knows are deleted.
// Their message logs start empty. Call it after Start.
func (m *Manager) Restore(ctx context.Context) error {
	devices, err := m.store.GetAllDevices(ctx)
	if err != nil {
		return err
	}
	for _, dev := range devices {
		if !m.srv.KeysUploaded(dev.ID.String()) {
			if err := dev.Delete(ctx); err != nil {
				return err
			}
			continue
		}
		c := &Contact{Phone: dev.ID.User, Name: dev.PushName, JID: *dev.ID, log: newMessageLog(), connected: make(chan struct{})}
		c.cli = m.newClient(c, dev)
		if err := c.SetOnline(ctx, m.srv, true); err != nil {
			return fmt.Errorf("reconnect contact %s: %w", c.Phone, err)
		}
		c.LID, _ = types.ParseJID(m.srv.LID(dev.ID.String()))
		m.mu.Lock()
		m.contacts[c.Phone] = c
		m.mu.Unlock()
	}
	return nil
}

func (m *Manager) newClient(c *Contact, dev *store.Device) *whatsmeow.Client {
	cli := whatsmeow.NewClient(dev, waLog.Noop)
	dial.Apply(cli, dial.Target{Addr: m.srv.WSAddr(), RootPublicKey: m.srv.RootPublicKey(), MediaAddr: m.srv.MediaAddr()})
	cli.AddEventHandler(c.handle)
	return cli
}

// waitReady waits for the Connected event and for the keys upload that follows it.
func (c *Contact) waitReady(ctx context.Context, srv *emulator.Server) error {
	c.connMu.Lock()
	ch := c.connected
	c.connMu.Unlock()
	select {
	case <-ch:
	case <-ctx.Done():
		return errors.New("contact's client did not connect in time")
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !srv.KeysUploaded(c.JID.String()) {
		select {
		case <-tick.C:
		case <-ctx.Done():
			return errors.New("contact's client did not upload its keys in time")
		}
	}
	if c.cli.Store.PushName != "" {
		// Online like a phone in use: the server learns the contact's name and relays it as the push name.
		return c.cli.SendPresence(ctx, types.PresenceAvailable)
	}
	return nil
}

// Get returns a contact, or a 404 error.
func (m *Manager) Get(phone string) (*Contact, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c, ok := m.contacts[phone]
	if !ok {
		return nil, emulator.NewAPIError(http.StatusNotFound, "unknown contact %s", phone)
	}
	return c, nil
}

// List returns every contact, by phone.
func (m *Manager) List() []Info {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Info, 0, len(m.contacts))
	for _, c := range m.contacts {
		out = append(out, c.info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Phone < out[j].Phone })
	return out
}

// Delete stops a contact's client and forgets the account (its device logs itself out).
func (m *Manager) Delete(ctx context.Context, phone string) error {
	m.mu.Lock()
	c, ok := m.contacts[phone]
	delete(m.contacts, phone)
	m.mu.Unlock()
	if !ok {
		return emulator.NewAPIError(http.StatusNotFound, "unknown contact %s", phone)
	}
	if c.cli.IsLoggedIn() {
		if err := c.cli.Logout(ctx); err == nil {
			return nil
		}
	}
	c.cli.Disconnect()
	if err := m.srv.Logout(c.JID.String()); err != nil {
		m.log.Debug().Err(err).Msg("contact device already unlinked")
	}
	return c.cli.Store.Delete(ctx)
}

// Close disconnects every contact's client (their accounts stay).
func (m *Manager) Close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.contacts {
		c.cli.Disconnect()
	}
}

// SetOnline disconnects (false) or reconnects (true) a contact's client; reconnecting waits until it is back.
func (c *Contact) SetOnline(ctx context.Context, srv *emulator.Server, online bool) error {
	if !online {
		c.cli.Disconnect()
		return nil
	}
	if c.cli.IsConnected() {
		return nil
	}
	c.connMu.Lock()
	c.connected = make(chan struct{})
	c.connMu.Unlock()
	if err := c.cli.Connect(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	return c.waitReady(ctx, srv)
}

// handle records what the contact's whatsmeow client reports.
func (c *Contact) handle(evt any) {
	switch e := evt.(type) {
	case *events.Connected:
		c.connMu.Lock()
		select {
		case <-c.connected:
		default:
			close(c.connected)
		}
		c.connMu.Unlock()
	case *events.Message:
		m := &Message{ID: e.Info.ID, Direction: "in", Peer: phoneOf(e.Info.Sender, e.Info.SenderAlt),
			Timestamp: e.Info.Timestamp.Unix(), State: "delivered", chat: e.Info.Chat, sender: e.Info.Sender}
		describe(m, e.Message)
		c.log.add(m)
	case *events.Receipt:
		if e.IsFromMe {
			return
		}
		state := map[types.ReceiptType]string{
			types.ReceiptTypeDelivered: "delivered", types.ReceiptTypeInactive: "delivered", types.ReceiptTypeRead: "read",
			types.ReceiptTypeReadSelf: "read", types.ReceiptTypePlayed: "played", types.ReceiptTypeRetry: "retry",
		}[e.Type]
		for _, id := range e.MessageIDs {
			c.log.setState("out", id, state)
		}
	}
}

// phoneOf is the phone number of a sender, whichever address form the stanza used.
func phoneOf(sender, alt types.JID) string {
	if sender.Server == types.DefaultUserServer {
		return sender.User
	}
	if alt.Server == types.DefaultUserServer {
		return alt.User
	}
	return sender.User
}
