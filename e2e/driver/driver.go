// Package driver drives a running wagate the way the e2e fault tests and the benchmarks need it: plain requests,
// accounts, instances paired through the emulator's virtual phone, and the list route's view of their states. It
// uses only the RyzeAPI contract and the emulator's control API, never the gateway's internals.
package driver

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Client talks to one gateway and its emulator.
type Client struct {
	Gateway  string // base URL of the gateway's API, e.g. http://127.0.0.1:8080
	Emulator string // base URL of the emulator's control API
	HTTP     *http.Client
}

// Send is one request; a transport failure is status 0 with the error as the body.
func (c *Client) Send(method, url, token string, body any) (int, string) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		return 0, err.Error()
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("token", token)
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// NewAccount creates an account through the admin API and returns its token.
func (c *Client) NewAccount(adminToken, name string, instanceQuota, ratePerMinute int) (string, error) {
	st, raw := c.Send("POST", c.Gateway+"/api/admin/accounts", adminToken,
		map[string]any{"name": name, "instanceQuota": instanceQuota, "rateLimitPerMinute": ratePerMinute})
	var acc struct {
		Account struct {
			Token string `json:"token"`
		} `json:"account"`
	}
	if st != 201 || json.Unmarshal([]byte(raw), &acc) != nil || acc.Account.Token == "" {
		return "", fmt.Errorf("create account: %d %s", st, raw)
	}
	return acc.Account.Token, nil
}

// Pairing says how instances are created and paired.
type Pairing struct {
	// Create is the create body besides the name (e.g. websocketEnabled); nil for a bare instance.
	Create map[string]any
	// AfterCreate runs between create and connect (e.g. a webhook set up before the first event); may be nil.
	AfterCreate func(name string) error
	// Attempts > 1 retries a pairing the client gave up on under heavy load (whatsmeow answers internal-error) with
	// a fresh QR code, a second apart, as a user would scan again. 0 or 1: one attempt.
	Attempts int
	// Retried is called for each retry (the benches count them); may be nil.
	Retried func()
}

// Pair creates the instance, asks for a QR code and scans it with the emulator's phone for the number. It returns
// once the scan was accepted; the login that follows is awaited by the caller (States).
func (c *Client) Pair(token, name, phone string, p Pairing) error {
	body := map[string]any{"name": name}
	for k, v := range p.Create {
		body[k] = v
	}
	if st, raw := c.Send("POST", c.Gateway+"/api/instance/new", token, body); st != 201 {
		return fmt.Errorf("create %s: %d %s", name, st, raw)
	}
	if p.AfterCreate != nil {
		if err := p.AfterCreate(name); err != nil {
			return err
		}
	}
	var err error
	// the emulator still holding an earlier attempt of this client answers the scan 409: that attempt is still
	// pairing and may yet succeed, so it is waited for (bounded) without spending one of the attempts
	held := 0
	for attempt := 0; attempt < max(p.Attempts, 1); attempt++ {
		if attempt > 0 {
			if p.Retried != nil {
				p.Retried()
			}
			<-time.After(time.Second)
		}
		st, raw := c.Send("GET", c.Gateway+"/api/instance/connect/"+name, token, nil)
		var qr struct {
			QRCode string `json:"qrCode"`
			Status string `json:"status"`
		}
		if st == 200 && attempt > 0 && json.Unmarshal([]byte(raw), &qr) == nil && (qr.Status == "connecting" || qr.Status == "connected") {
			return nil // the scan that failed had paired it after all: it logs in
		}
		if st != 200 || json.Unmarshal([]byte(raw), &qr) != nil || qr.QRCode == "" {
			err = fmt.Errorf("connect %s: %d %s", name, st, raw)
			continue
		}
		if st, raw := c.Send("POST", c.Emulator+"/phone/scan", "", map[string]any{"qr": qr.QRCode, "phone": phone}); st != 200 {
			err = fmt.Errorf("scan %s: %d %s", name, st, raw)
			if st == 409 && strings.Contains(raw, "already being paired") && held < 60 {
				held++
				attempt--
				time.Sleep(time.Second)
			}
			continue
		}
		return nil
	}
	return err
}

// PairAll pairs names[i] with phone(i), `workers` at a time; the first error wins, after every pairing has ended.
func (c *Client) PairAll(token string, names []string, phone func(i int) string, workers int, p Pairing) error {
	work := make(chan int)
	errs := make(chan error, len(names))
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range work {
				errs <- c.Pair(token, names[i], phone(i), p)
			}
		})
	}
	for i := range names {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// States is the list route's view of the account: name → connection.state.
func (c *Client) States(token string) (map[string]string, error) {
	st, raw := c.Send("GET", c.Gateway+"/api/instance/list", token, nil)
	if st != 200 {
		return nil, fmt.Errorf("list: %d %s", st, raw)
	}
	var list struct {
		Instances []struct {
			Name       string `json:"name"`
			Connection struct {
				State string `json:"state"`
			} `json:"connection"`
		} `json:"instances"`
	}
	if err := json.Unmarshal([]byte(raw), &list); err != nil {
		return nil, fmt.Errorf("list: %v", err)
	}
	out := make(map[string]string, len(list.Instances))
	for _, i := range list.Instances {
		out[i.Name] = i.Connection.State
	}
	return out, nil
}

// AllIn: every one of names is in state want.
func AllIn(states map[string]string, names []string, want string) bool {
	for _, n := range names {
		if states[n] != want {
			return false
		}
	}
	return true
}

// AllConnected: the list answers, shows exactly as many instances as names, and every one of names is connected.
func (c *Client) AllConnected(token string, names []string) bool {
	states, err := c.States(token)
	return err == nil && len(states) == len(names) && AllIn(states, names, "connected")
}

// CountNot is how many of names are not in state want.
func CountNot(states map[string]string, names []string, want string) int {
	n := 0
	for _, name := range names {
		if states[name] != want {
			n++
		}
	}
	return n
}

// Await polls cond every interval until it holds (true) or bound has passed (false).
func Await(bound, interval time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(bound)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-time.After(interval)
	}
	return true
}

// RSSMB is a process's resident set size in MB from /proc (0 when the process is gone or pid is 0).
func RSSMB(pid int) float64 {
	if pid == 0 {
		return 0
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			kb, _ := strconv.ParseFloat(strings.Fields(line)[1], 64)
			return kb / 1024
		}
	}
	return 0
}
