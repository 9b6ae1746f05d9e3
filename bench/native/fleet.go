package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"time"
)

var client = &http.Client{Timeout: 60 * time.Second}

func send(method, u, token string, body any) (int, string) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		return 0, err.Error()
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("token", token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// fleet is N paired instances on one account, the saved instances of the restore and cold-restart rows.
type fleet struct {
	s     *stack
	token string
	names []string
}

func newFleet(s *stack, n int) (*fleet, error) {
	st, raw := send("POST", s.gatewayURL()+"/api/admin/accounts", s.adminToken, map[string]any{
		"name": fmt.Sprintf("bench-native-%d", time.Now().UnixNano()), "instanceQuota": 100_000, "rateLimitPerMinute": 10_000_000})
	var acc struct {
		Account struct {
			Token string `json:"token"`
		} `json:"account"`
	}
	if st != 201 || json.Unmarshal([]byte(raw), &acc) != nil {
		return nil, fmt.Errorf("create account: %d %s", st, raw)
	}
	f := &fleet{s: s, token: acc.Account.Token}
	for i := range n {
		f.names = append(f.names, fmt.Sprintf("nat-%05d", i))
	}
	work := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs <- f.pairOne(f.names[i], fmt.Sprintf("5514%09d", i))
			}
		}()
	}
	for i := range n {
		work <- i
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return f, f.await("every instance connected after pairing", 10*time.Minute, f.allConnected)
}

func (f *fleet) pairOne(name, phone string) error {
	g := f.s.gatewayURL()
	if st, raw := send("POST", g+"/api/instance/new", f.token, map[string]any{"name": name}); st != 201 {
		return fmt.Errorf("create %s: %d %s", name, st, raw)
	}
	st, raw := send("GET", g+"/api/instance/connect/"+name, f.token, nil)
	var qr struct {
		QRCode string `json:"qrCode"`
	}
	if st != 200 || json.Unmarshal([]byte(raw), &qr) != nil || qr.QRCode == "" {
		return fmt.Errorf("connect %s: %d %s", name, st, raw)
	}
	if st, raw := send("POST", f.s.emulatorURL()+"/phone/scan", "", map[string]any{"qr": qr.QRCode, "phone": phone}); st != 200 {
		return fmt.Errorf("scan %s: %d %s", name, st, raw)
	}
	return nil
}

// allConnected: GET /api/instance/list answers, lists every instance of the fleet, and each one is connected.
func (f *fleet) allConnected() bool {
	st, raw := send("GET", f.s.gatewayURL()+"/api/instance/list", f.token, nil)
	if st != 200 {
		return false
	}
	var list struct {
		Instances []struct {
			Connection struct {
				State string `json:"state"`
			} `json:"connection"`
		} `json:"instances"`
	}
	if json.Unmarshal([]byte(raw), &list) != nil || len(list.Instances) != len(f.names) {
		return false
	}
	for _, i := range list.Instances {
		if i.Connection.State != "connected" {
			return false
		}
	}
	return true
}

// logins is the emulator's count of completed device logins: a restore counts only once the devices really logged
// in again, so a list still showing the state from before the restart cannot end a measurement early.
func (f *fleet) logins() int64 {
	var st struct {
		LoginsTotal int64 `json:"loginsTotal"`
	}
	if code, raw := send("GET", f.s.emulatorURL()+"/emulator/stats", "", nil); code != 200 || json.Unmarshal([]byte(raw), &st) != nil {
		return -1
	}
	return st.LoginsTotal
}

func (f *fleet) await(what string, limit time.Duration, cond func() bool) error {
	deadline := time.Now().Add(limit)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// restored waits until every instance logged in again since `before` and the list reports all connected.
func (f *fleet) restored(before int64, t0 time.Time) (time.Duration, error) {
	n := int64(len(f.names))
	err := f.await("every instance connected again", 10*time.Minute, func() bool {
		return f.logins()-before >= n && f.allConnected()
	})
	return time.Since(t0), err
}

// sidecarRestart kills the sidecar (SIGKILL), waits until the list shows the outage, starts a new sidecar and
// returns the time from its process start until all N are connected and reported connected.
func (f *fleet) sidecarRestart() (time.Duration, error) {
	f.s.sidecar.stop(syscall.SIGKILL)
	if err := f.await("the outage to show on the list", 2*time.Minute, func() bool { return !f.allConnected() }); err != nil {
		return 0, err
	}
	before := f.logins()
	if err := f.s.startSidecar(); err != nil {
		return 0, err
	}
	return f.restored(before, f.s.sidecar.started)
}

// coldRestart stops the gateway and the sidecar together (SIGTERM, as a pod is stopped), starts both at once
// (PostgreSQL and the emulator stay up) and returns the time from the first process start until all N are connected
// and reported connected, and the gateway's own time to ready in that start.
func (f *fleet) coldRestart(mode string) (all, ready time.Duration, err error) {
	f.s.gateway.signal(syscall.SIGTERM)
	f.s.sidecar.signal(syscall.SIGTERM)
	f.s.gateway.wait()
	f.s.sidecar.wait()
	before := f.logins()
	if err := f.s.startSidecar(); err != nil {
		return 0, 0, err
	}
	if err := f.s.startGateway(mode); err != nil {
		return 0, 0, err
	}
	t0 := f.s.sidecar.started
	if ready, err = f.s.awaitReady(); err != nil {
		return 0, 0, err
	}
	ready += f.s.gateway.started.Sub(t0)
	all, err = f.restored(before, t0)
	return all, ready, err
}
