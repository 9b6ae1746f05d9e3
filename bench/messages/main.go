// Command messages measures wagate's Messages module against its limit, unmodified whatsmeow clients on the same
// emulator (README.md): n instances each send msgs texts to their own virtual contact and receive as many from it,
// n pairs of virtual contacts do the same sends directly, and one table compares them.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/wagate/wagate/e2e/driver"
)

var api = &driver.Client{HTTP: &http.Client{Timeout: 90 * time.Second}}

func main() {
	var adminToken string
	flag.StringVar(&api.Gateway, "gateway", "", "gateway base URL")
	flag.StringVar(&api.Emulator, "emulator", "", "emulator control base URL")
	flag.StringVar(&adminToken, "admin-token", "", "admin token")
	n := flag.Int("n", 10, "instances (and virtual-contact pairs of the limit)")
	msgs := flag.Int("msgs", 100, "texts per instance and direction")
	bound := flag.Duration("timeout", 3*time.Minute, "bound of every wait")
	flag.Parse()

	b, err := setUp(adminToken, *n, *bound)
	if err != nil {
		fail(err)
	}
	defer b.ws.cancel()
	out := b.outbound(*msgs)
	in := b.inbound(*msgs)
	raw := b.raw(*msgs)
	printTable(*n, *msgs, out, in, raw)
	if out.lost+out.dup+in.lost+in.dup+raw.lost+raw.dup > 0 || out.errors+in.errors+raw.errors > 0 {
		os.Exit(1)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "bench/messages:", err)
	os.Exit(1)
}

type bench struct {
	token    string
	names    []string
	own      []string // the instances' phone numbers
	contacts []string // instance i talks to contacts[i]
	peers    []string // the limit: contacts[i] also talks to peers[i], whatsmeow to whatsmeow
	bound    time.Duration
	ws       *stream
}

func setUp(adminToken string, n int, bound time.Duration) (*bench, error) {
	stamp := time.Now().UnixNano() % 1_000_000
	b := &bench{bound: bound}
	var err error
	if b.token, err = api.NewAccount(adminToken, fmt.Sprintf("bench-messages-%d", stamp), n+1, 1_000_000); err != nil {
		return nil, err
	}
	for i := range n {
		b.names = append(b.names, fmt.Sprintf("msg-%d-%d", stamp, i))
		b.own = append(b.own, fmt.Sprintf("55117%06d%02d", stamp, i))
		b.contacts = append(b.contacts, fmt.Sprintf("55118%06d%02d", stamp, i))
		b.peers = append(b.peers, fmt.Sprintf("55119%06d%02d", stamp, i))
	}
	pairing := driver.Pairing{Create: map[string]any{"websocketEnabled": true}, Attempts: 5}
	if err := api.PairAll(b.token, b.names, func(i int) string { return b.own[i] }, 4, pairing); err != nil {
		return nil, err
	}
	if !driver.Await(bound, 100*time.Millisecond, func() bool { return api.AllConnected(b.token, b.names) }) {
		return nil, fmt.Errorf("the %d instances did not all connect within %s", n, bound)
	}
	for _, phone := range slices.Concat(b.contacts, b.peers) {
		if st, raw := api.Send("POST", api.Emulator+"/contacts", "", map[string]any{"phone": phone, "name": "bench " + phone}); st != 201 {
			return nil, fmt.Errorf("create contact %s: %d %s", phone, st, raw)
		}
	}
	b.ws, err = follow(b.token)
	return b, err
}

// result of one direction: per-message latencies, throughput, and what went missing or came twice.
type result struct {
	lat                 []time.Duration
	elapsed             time.Duration
	sent                int
	lost, dup, errors   int
	firstError          string
	deliveredAtContacts int
}

func (r *result) perSecond() float64 { return float64(r.sent) / r.elapsed.Seconds() }

// each runs f(i, k) for every pair i in parallel and every k in order, and times the whole.
func each(n, msgs int, f func(i, k int)) time.Duration {
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for k := range msgs {
				f(i, k)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// outbound: POST /api/message/text answers once the server acked the message (its latency is API call to ack); then
// every contact must hold each text once, and the WebSocket must carry each outgoing echo once.
func (b *bench) outbound(msgs int) *result {
	r := &result{}
	var mu sync.Mutex
	ids := make([][]string, len(b.names))
	r.elapsed = each(len(b.names), msgs, func(i, k int) {
		t0 := time.Now()
		st, raw := api.Send("POST", api.Gateway+"/api/message/text/"+b.names[i], b.token,
			map[string]any{"number": b.contacts[i], "message": fmt.Sprintf("out %d-%d", i, k)})
		d := time.Since(t0)
		var ans struct {
			Data struct {
				MessageID string `json:"messageId"`
			} `json:"data"`
		}
		mu.Lock()
		defer mu.Unlock()
		if st != 200 || json.Unmarshal([]byte(raw), &ans) != nil || ans.Data.MessageID == "" {
			r.error(fmt.Sprintf("send: %d %s", st, raw))
			return
		}
		r.sent++
		r.lat = append(r.lat, d)
		ids[i] = append(ids[i], ans.Data.MessageID)
	})
	for i := range b.names {
		got := b.contactLog(b.contacts[i], "in", len(ids[i]))
		r.count(ids[i], got)
		r.deliveredAtContacts += len(got)
	}
	all := slices.Concat(ids...)
	b.ws.await(all, b.bound)
	lost, dup := b.ws.tally(all)
	r.lost += lost
	r.dup += dup
	return r
}

// inbound: each contact sends to its instance; latency is from the contact's send call to the message.exchange on
// the account's WebSocket.
func (b *bench) inbound(msgs int) *result {
	r := &result{}
	var mu sync.Mutex
	started := map[string]time.Time{}
	var ids []string
	r.elapsed = each(len(b.names), msgs, func(i, k int) {
		t0 := time.Now()
		id, err := contactSend(b.contacts[i], b.own[i], fmt.Sprintf("in %d-%d", i, k))
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			r.error(err.Error())
			return
		}
		r.sent++
		started[id] = t0
		ids = append(ids, id)
	})
	b.ws.await(ids, b.bound)
	r.lost, r.dup = b.ws.tally(ids)
	for _, id := range ids {
		if at, ok := b.ws.firstSeen(id); ok {
			r.lat = append(r.lat, at.Sub(started[id]))
		}
	}
	return r
}

// raw: contacts[i] sends to peers[i] through the emulator's control API (one loopback HTTP hop, then whatsmeow's
// SendMessage, which returns at the server ack); every peer must hold each text once.
func (b *bench) raw(msgs int) *result {
	r := &result{}
	var mu sync.Mutex
	ids := make([][]string, len(b.peers))
	r.elapsed = each(len(b.peers), msgs, func(i, k int) {
		t0 := time.Now()
		id, err := contactSend(b.contacts[i], b.peers[i], fmt.Sprintf("raw %d-%d", i, k))
		d := time.Since(t0)
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			r.error(err.Error())
			return
		}
		r.sent++
		r.lat = append(r.lat, d)
		ids[i] = append(ids[i], id)
	})
	for i := range b.peers {
		got := b.contactLog(b.peers[i], "in", len(ids[i]))
		r.count(ids[i], got)
		r.deliveredAtContacts += len(got)
	}
	return r
}

func (r *result) error(what string) {
	if r.errors == 0 {
		r.firstError = what
	}
	r.errors++
}

// count compares the ids sent with the ids a contact's log holds.
func (r *result) count(sent, got []string) {
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	for _, id := range sent {
		switch c := seen[id]; {
		case c == 0:
			r.lost++
		case c > 1:
			r.dup += c - 1
		}
	}
}

func contactSend(from, to, text string) (string, error) {
	st, raw := api.Send("POST", api.Emulator+"/contacts/"+from+"/send", "", map[string]any{"to": to, "text": text})
	var ans struct {
		ID string `json:"id"`
	}
	if st != 200 || json.Unmarshal([]byte(raw), &ans) != nil || ans.ID == "" {
		return "", fmt.Errorf("contact send %s → %s: %d %s", from, to, st, raw)
	}
	return ans.ID, nil
}

// contactLog waits (bounded, long-polling) until the contact's log holds want entries of the direction, and returns
// their ids.
func (b *bench) contactLog(phone, direction string, want int) []string {
	var ids []string
	after := 0
	deadline := time.Now().Add(b.bound)
	for len(ids) < want && time.Now().Before(deadline) {
		st, raw := api.Send("GET", fmt.Sprintf("%s/contacts/%s/messages?after=%d&waitMs=5000", api.Emulator, phone, after), "", nil)
		var log struct {
			Messages []struct {
				Seq       int    `json:"seq"`
				ID        string `json:"id"`
				Direction string `json:"direction"`
			} `json:"messages"`
		}
		if st != 200 || json.Unmarshal([]byte(raw), &log) != nil {
			return ids
		}
		for _, m := range log.Messages {
			after = max(after, m.Seq)
			if m.Direction == direction {
				ids = append(ids, m.ID)
			}
		}
	}
	return ids
}

// stream follows the account's WebSocket and records, per message id, when its message.exchange first arrived and
// how many times.
type stream struct {
	cancel context.CancelFunc
	mu     sync.Mutex
	first  map[string]time.Time
	seen   map[string]int
}

func follow(token string) (*stream, error) {
	ctx, cancel := context.WithCancel(context.Background())
	ws, _, err := websocket.Dial(ctx, strings.Replace(api.Gateway, "http://", "ws://", 1)+"/ws?token="+url.QueryEscape(token), nil)
	if err != nil {
		cancel()
		return nil, err
	}
	ws.SetReadLimit(1 << 20)
	s := &stream{cancel: cancel, first: map[string]time.Time{}, seen: map[string]int{}}
	go func() {
		defer ws.CloseNow()
		for {
			_, msg, err := ws.Read(ctx)
			if err != nil {
				return
			}
			at := time.Now()
			var f struct {
				Event string `json:"event"`
				Data  struct {
					ID string `json:"id"`
				} `json:"data"`
			}
			if json.Unmarshal(msg, &f) != nil || f.Event != "message.exchange" {
				continue
			}
			s.mu.Lock()
			if s.seen[f.Data.ID] == 0 {
				s.first[f.Data.ID] = at
			}
			s.seen[f.Data.ID]++
			s.mu.Unlock()
		}
	}()
	return s, nil
}

func (s *stream) await(ids []string, bound time.Duration) {
	driver.Await(bound, 20*time.Millisecond, func() bool {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, id := range ids {
			if s.seen[id] == 0 {
				return false
			}
		}
		return true
	})
}

func (s *stream) tally(ids []string) (lost, dup int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, id := range ids {
		switch c := s.seen[id]; {
		case c == 0:
			lost++
		case c > 1:
			dup += c - 1
		}
	}
	return lost, dup
}

func (s *stream) firstSeen(id string) (time.Time, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	at, ok := s.first[id]
	return at, ok
}
