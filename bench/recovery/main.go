// Command recovery measures how wagate heals from a sidecar kill -9 under `make demo`'s supervision: N instances
// paired and connected, the sidecar killed, then the seconds until every instance is connected again on REST and
// until every instance's `connected` is recorded (seen on the account's WebSocket), plus the RSS of the sidecar and
// the gateway before and after. See README.md; run through run.sh.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

var client = &http.Client{Timeout: 60 * time.Second}

func main() {
	gateway := flag.String("gateway", "", "gateway base URL")
	emulator := flag.String("emulator", "", "emulator control URL")
	admin := flag.String("admin-token", "", "admin token")
	sidecarPort := flag.Int("sidecar-port", 0, "the sidecar's gRPC port (to find its process)")
	sizes := flag.String("n", "100,1000", "instance counts, comma-separated (each run adds to the instances before it)")
	timeout := flag.Duration("timeout", 10*time.Minute, "give up on a phase after this long")
	flag.Parse()
	b := &bench{gateway: *gateway, emulator: *emulator, admin: *admin, sidecarPort: *sidecarPort, timeout: *timeout}
	fmt.Println("| instances | all connected (s) | all recorded (s) | sidecar RSS before / after (MB) | gateway RSS before / after (MB) |")
	fmt.Println("|---|---|---|---|---|")
	total := 0
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= total {
			fail(fmt.Errorf("bad -n %q: counts must grow", *sizes))
		}
		if err := b.pair(n - total); err != nil {
			fail(err)
		}
		total = n
		row, err := b.killAndWait()
		if err != nil {
			fail(err)
		}
		fmt.Println(row)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "recovery:", err)
	os.Exit(1)
}

type bench struct {
	gateway, emulator, admin string
	sidecarPort              int
	timeout                  time.Duration
	token                    string
	names                    []string
}

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

// pair adds n connected instances (creating the account on first use).
func (b *bench) pair(n int) error {
	if b.token == "" {
		st, raw := send("POST", b.gateway+"/api/admin/accounts", b.admin, map[string]any{"name": "bench-recovery", "instanceQuota": 100_000,
			"rateLimitPerMinute": 10_000_000})
		var acc struct {
			Account struct {
				Token string `json:"token"`
			} `json:"account"`
		}
		if st != 201 || json.Unmarshal([]byte(raw), &acc) != nil {
			return fmt.Errorf("create account: %d %s", st, raw)
		}
		b.token = acc.Account.Token
	}
	start := len(b.names)
	for i := start; i < start+n; i++ {
		b.names = append(b.names, fmt.Sprintf("rec-%05d", i))
	}
	work := make(chan int)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs <- b.pairOne(b.names[i], fmt.Sprintf("5513%09d", i))
			}
		}()
	}
	for i := start; i < start+n; i++ {
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
	return b.await("every instance connected after pairing", func() bool { return b.allConnected() })
}

func (b *bench) pairOne(name, phone string) error {
	if st, raw := send("POST", b.gateway+"/api/instance/new", b.token, map[string]any{"name": name, "websocketEnabled": true}); st != 201 {
		return fmt.Errorf("create %s: %d %s", name, st, raw)
	}
	st, raw := send("GET", b.gateway+"/api/instance/connect/"+name, b.token, nil)
	var qr struct {
		QRCode string `json:"qrCode"`
	}
	if st != 200 || json.Unmarshal([]byte(raw), &qr) != nil || qr.QRCode == "" {
		return fmt.Errorf("connect %s: %d %s", name, st, raw)
	}
	if st, raw := send("POST", b.emulator+"/phone/scan", "", map[string]any{"qr": qr.QRCode, "phone": phone}); st != 200 {
		return fmt.Errorf("scan %s: %d %s", name, st, raw)
	}
	return nil
}

func (b *bench) allConnected() bool {
	st, raw := send("GET", b.gateway+"/api/instance/list", b.token, nil)
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
	if json.Unmarshal([]byte(raw), &list) != nil || len(list.Instances) != len(b.names) {
		return false
	}
	for _, i := range list.Instances {
		if i.Connection.State != "connected" {
			return false
		}
	}
	return true
}

func (b *bench) await(what string, cond func() bool) error {
	deadline := time.Now().Add(b.timeout)
	for !cond() {
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil
}

// killAndWait kills the sidecar with SIGKILL and times the return of every instance.
func (b *bench) killAndWait() (string, error) {
	recorded := make(chan struct{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	marker, err := b.maxEventID(ctx)
	if err != nil {
		return "", err
	}
	ws, _, err := websocket.Dial(ctx, strings.Replace(b.gateway, "http://", "ws://", 1)+"/ws?since="+strconv.FormatInt(marker, 10)+"&token="+
		url.QueryEscape(b.token), nil)
	if err != nil {
		return "", err
	}
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 20)
	go func() {
		back := map[string]bool{}
		for len(back) < len(b.names) {
			_, msg, err := ws.Read(ctx)
			if err != nil {
				return
			}
			var f struct {
				Snapshot bool `json:"snapshot"`
				Data     struct {
					Instance string `json:"instance"`
					State    string `json:"state"`
				} `json:"data"`
			}
			// the snapshot frames that open the stream carry the state from before the kill
			if json.Unmarshal(msg, &f) == nil && !f.Snapshot && f.Data.State == "connected" {
				back[f.Data.Instance] = true
			}
		}
		close(recorded)
	}()
	sidecar, gw := findPid("wagate-sidecar", fmt.Sprintf("127.0.0.1:%d", b.sidecarPort)), b.gatewayPid()
	sidecarBefore, gatewayBefore := rssMB(sidecar), rssMB(gw)
	start := time.Now()
	if err := syscall.Kill(sidecar, syscall.SIGKILL); err != nil {
		return "", err
	}
	// the list may still say connected for a moment: first wait until it no longer does
	if err := b.await("the outage to show", func() bool { return !b.allConnected() }); err != nil {
		return "", err
	}
	if err := b.await("every instance connected again", b.allConnected); err != nil {
		return "", err
	}
	connected := time.Since(start)
	select {
	case <-recorded:
	case <-time.After(b.timeout):
		return "", fmt.Errorf("not every connected event was recorded")
	}
	all := time.Since(start)
	after := findPid("wagate-sidecar", fmt.Sprintf("127.0.0.1:%d", b.sidecarPort))
	return fmt.Sprintf("| %d | %.1f | %.1f | %.0f / %.0f | %.0f / %.0f |", len(b.names), connected.Seconds(), all.Seconds(), sidecarBefore, rssMB(after),
		gatewayBefore, rssMB(gw)), nil
}

// maxEventID reads the newest event id of the account: the replay of the account stream from 0, up to its end.
func (b *bench) maxEventID(ctx context.Context) (int64, error) {
	ws, _, err := websocket.Dial(ctx, strings.Replace(b.gateway, "http://", "ws://", 1)+"/ws?since=0&token="+url.QueryEscape(b.token), nil)
	if err != nil {
		return 0, err
	}
	defer ws.CloseNow()
	ws.SetReadLimit(1 << 20)
	var last int64
	for {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		_, msg, err := ws.Read(rctx)
		cancel()
		if err != nil {
			return last, nil // the replay is over once nothing more arrives
		}
		var f struct {
			ID int64 `json:"id"`
		}
		if json.Unmarshal(msg, &f) == nil && f.ID > last {
			last = f.ID
		}
	}
}

func findPid(parts ...string) int {
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		raw, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		cmdline := strings.ReplaceAll(string(raw), "\x00", " ")
		match := true
		for _, part := range parts {
			match = match && strings.Contains(cmdline, part)
		}
		if match && !strings.Contains(cmdline, "go run") && !strings.Contains(cmdline, "bench/recovery") {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	return 0
}

// gatewayPid finds the JVM serving this gateway's port (other gateways may run on the machine).
func (b *bench) gatewayPid() int {
	u, _ := url.Parse(b.gateway)
	want := "QUARKUS_HTTP_PORT=" + u.Port() + "\x00"
	procs, _ := filepath.Glob("/proc/[0-9]*/environ")
	for _, p := range procs {
		raw, err := os.ReadFile(p)
		cmd, _ := os.ReadFile(filepath.Join(filepath.Dir(p), "cmdline"))
		if err == nil && strings.Contains(string(raw)+"\x00", want) && strings.Contains(string(cmd), "quarkus-run.jar") {
			pid, _ := strconv.Atoi(filepath.Base(filepath.Dir(p)))
			return pid
		}
	}
	return 0
}

func rssMB(pid int) float64 {
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
