package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"syscall"
	"time"

	"github.com/wagate/wagate/e2e/driver"
)

var client = &http.Client{Timeout: 60 * time.Second}

// plain sends requests to absolute URLs (the fleets have their own client, which knows the gateway and emulator)
var plain = &driver.Client{HTTP: client}

// fleet is N paired instances on one account, the saved instances of the restore and cold-restart rows.
type fleet struct {
	api   *driver.Client
	s     *stack
	token string
	names []string
}

func newFleet(s *stack, n int) (*fleet, error) {
	api := &driver.Client{Gateway: s.gatewayURL(), Emulator: s.emulatorURL(), HTTP: client}
	token, err := api.NewAccount(s.adminToken, fmt.Sprintf("bench-native-%d", time.Now().UnixNano()), 100_000, 10_000_000)
	if err != nil {
		return nil, err
	}
	f := &fleet{api: api, s: s, token: token}
	for i := range n {
		f.names = append(f.names, fmt.Sprintf("nat-%05d", i))
	}
	if err := api.PairAll(token, f.names, func(i int) string { return fmt.Sprintf("5514%09d", i) }, 16, driver.Pairing{}); err != nil {
		return nil, err
	}
	return f, f.await("every instance connected after pairing", 10*time.Minute, f.allConnected)
}

// allConnected: GET /api/instance/list answers, lists every instance of the fleet, and each one is connected.
func (f *fleet) allConnected() bool { return f.api.AllConnected(f.token, f.names) }

// logins is the emulator's count of completed device logins: a restore counts only once the devices really logged
// in again, so a list still showing the state from before the restart cannot end a measurement early.
func (f *fleet) logins() int64 {
	var st struct {
		LoginsTotal int64 `json:"loginsTotal"`
	}
	if code, raw := f.api.Send("GET", f.s.emulatorURL()+"/emulator/stats", "", nil); code != 200 || json.Unmarshal([]byte(raw), &st) != nil {
		return -1
	}
	return st.LoginsTotal
}

func (f *fleet) await(what string, limit time.Duration, cond func() bool) error {
	if !driver.Await(limit, 50*time.Millisecond, cond) {
		return fmt.Errorf("timed out waiting for %s", what)
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
