package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// The web console (/console) driven in Debian's headless chromium against the demo stack: real gateway, sidecar,
// emulator and PostgreSQL. Every wait is a condition polled with a bound, never a fixed sleep.

const pageWait = 60 * time.Second

// browser starts one headless chromium for the test; tabs are made with tab.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin, err := exec.Command(filepath.Join(product.root, "scripts", "chromium.sh")).Output()
	if err != nil {
		t.Fatalf("no chromium (scripts/chromium.sh installs Debian's package): %v", err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:0:0], chromedp.DefaultExecAllocatorOptions[:]...)
	opts = append(opts,
		chromedp.ExecPath(strings.TrimSpace(string(bin))),
		// as root (CI, containers) chromium refuses to start with its sandbox, which needs an unprivileged user
		// namespace; the page loaded is our own console on loopback
		chromedp.NoSandbox,
		chromedp.WindowSize(1280, 1000),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// tab opens a new tab of the browser on the console.
func tab(t *testing.T, b context.Context) context.Context {
	t.Helper()
	var mu sync.Mutex
	var logs []string
	// the page's exceptions and console messages, printed if the test fails
	ctx, cancel := chromedp.NewContext(b, chromedp.WithListener(func(ev any) {
		var line string
		switch e := ev.(type) {
		case *cdpruntime.EventExceptionThrown:
			line = "exception: " + e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				line += " " + e.ExceptionDetails.Exception.Description
			}
		case *cdpruntime.EventConsoleAPICalled:
			line = "console." + string(e.Type) + ":"
			for _, a := range e.Args {
				line += " " + string(a.Value) + a.Description
			}
		default:
			return
		}
		mu.Lock()
		logs = append(logs, line)
		mu.Unlock()
	}))
	t.Cleanup(func() {
		if t.Failed() {
			mu.Lock()
			t.Logf("page log:\n%s", strings.Join(logs, "\n"))
			mu.Unlock()
		}
		cancel()
	})
	// the tab is created by its first action, and lives as long as that action's context: never a timeout here
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("open a tab: %v", err)
	}
	run(t, ctx, chromedp.Navigate(product.gateway+"/console/"), chromedp.WaitVisible(chromedp.ID("signin-form")))
	return ctx
}

func run(t *testing.T, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, pageWait)
	defer cancel()
	if err := chromedp.Do(c, actions...); err != nil {
		t.Fatalf("browser: %v", err)
	}
}

// until polls a JavaScript expression in the page until it is true.
func until(t *testing.T, ctx context.Context, within time.Duration, expr string) {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, within)
	defer cancel()
	if _, err := chromedp.Run(c, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(within))); err != nil {
		t.Fatalf("waiting for %s: %v", expr, err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	c, cancel := context.WithTimeout(ctx, pageWait)
	defer cancel()
	out, err := chromedp.Run(c, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return out
}

func signIn(t *testing.T, ctx context.Context, token string) {
	t.Helper()
	run(t, ctx, setValue("#token", token), submit("signin-form"),
		chromedp.WaitVisible(chromedp.ID("live")))
}

func openInstance(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	// back to the list (the link is hidden while the list shows)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('back').click()`), chromedp.WaitVisible(chromedp.ID("instances")),
		chromedp.Click(chromedp.CSS(fmt.Sprintf(`tr[data-name=%q] a`, name))), chromedp.WaitVisible(chromedp.ID("instance")))
	until(t, ctx, pageWait, fmt.Sprintf(`document.getElementById('i-name').textContent === %q`, name))
}

// setValue sets a form field's value (chromedp.SetValue refuses an empty value).
func setValue(selector, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = %q`, selector, value))
}

// reload clicks "Reload list" until the instance created through the API is listed.
func reload(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('reload').click()`))
	until(t, ctx, pageWait, fmt.Sprintf(`document.querySelector('tr[data-name=%q]') !== null`, name))
}

// submit submits a form as a click on its button does (chromedp.Submit calls form.submit(), which skips the handlers).
func submit(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).requestSubmit()`, id))
}

const stateIs = `document.getElementById('i-state').dataset.state === %q`

// showQR clicks "Connect by QR" and yields the QR string the page rendered.
func showQR(t *testing.T, ctx context.Context) string {
	t.Helper()
	run(t, ctx, chromedp.Click(chromedp.ID("i-connect")))
	until(t, ctx, pageWait, `!!document.getElementById('qr').dataset.code && document.querySelector('#qr canvas, #qr img') !== null`)
	return eval[string](t, ctx, `document.getElementById('qr').dataset.code`)
}

// hooks is a webhook receiver on loopback that records every event id it receives.
type hooks struct {
	mu   sync.Mutex
	seen []map[string]any
	url  string
}

func receiver(t *testing.T) *hooks {
	h := &hooks{}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		var m map[string]any
		_ = json.Unmarshal(b, &m)
		h.mu.Lock()
		h.seen = append(h.seen, m)
		h.mu.Unlock()
		w.WriteHeader(200)
	})}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	h.url = "http://" + ln.Addr().String() + "/hook"
	return h
}

func (h *hooks) count(pred func(map[string]any) bool) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, m := range h.seen {
		if pred(m) {
			n++
		}
	}
	return n
}

func TestConsole(t *testing.T) {
	b := browser(t)
	t.Run("pages", func(t *testing.T) {
		t.Run("QRRotation", func(t *testing.T) { t.Parallel(); consoleQRRotation(t, b) })
		t.Run("Lifecycle", func(t *testing.T) { t.Parallel(); consoleLifecycle(t, b) })
	})
	t.Run("ThousandInstances", func(t *testing.T) { consoleThousand(t, b) })
	t.Run("OfflineThenResume", func(t *testing.T) { consoleOffline(t, b) })
}

func TestConsoleHeaders(t *testing.T) {
	resp, err := httpClient.Get(product.gateway + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"script-src 'self'", "connect-src 'self' ws://" + strings.TrimPrefix(product.gateway, "http://"), "frame-ancestors 'none'", "default-src 'none'"} {
		if !strings.Contains(csp, want) {
			t.Fatalf("Content-Security-Policy %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("Content-Security-Policy allows inline code: %q", csp)
	}
	for _, asset := range []string{"/console/app.js", "/console/console.css", "/webjars/qrcodejs/07f829d/qrcode.min.js"} {
		r, err := httpClient.Get(product.gateway + asset)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode != 200 {
			t.Fatalf("%s: HTTP %d", asset, r.StatusCode)
		}
	}
}

func consoleLifecycle(t *testing.T, b context.Context) {
	token := newAccount(t, 20)
	ctx := tab(t, b)

	// a wrong token: the API's literal message, and nothing kept
	run(t, ctx, setValue("#token", "not-a-token"), submit("signin-form"))
	until(t, ctx, pageWait, `document.getElementById('error').textContent === 'Invalid token'`)
	if eval[string](t, ctx, `sessionStorage.getItem('wagate.token') || ''`) != "" {
		t.Fatal("a refused token stayed in sessionStorage")
	}

	signIn(t, ctx, token)
	if got := eval[string](t, ctx, `JSON.stringify(localStorage) + document.cookie`); strings.Contains(got, token) {
		t.Fatalf("the token is in localStorage or a cookie: %s", got)
	}
	if eval[string](t, ctx, `sessionStorage.getItem('wagate.token')`) != token {
		t.Fatal("the token is not in sessionStorage")
	}

	// HTML in a name is refused by the API, and its message is shown as text
	run(t, ctx, setValue("#create-name", `<img src=x onerror="window.__xss=1">`), submit("create-form"))
	until(t, ctx, pageWait, `document.getElementById('error').textContent === 'Invalid instance name'`)

	name := fmt.Sprintf("console-%d", time.Now().UnixNano()%1_000_000)
	run(t, ctx, setValue("#create-name", name), submit("create-form"))
	until(t, ctx, pageWait, fmt.Sprintf(`document.querySelector('tr[data-name=%q]') !== null`, name))
	openInstance(t, ctx, name)

	// API text with markup (an unknown event name echoed by the error message) renders as text, never as HTML
	recv := receiver(t)
	markup := `<img src=x onerror="window.__xss=1">`
	run(t, ctx, setValue(`#webhook-form [name=url]`, recv.url),
		setValue(`#webhook-form [name=events]`, markup), submit("webhook-form"))
	until(t, ctx, pageWait, fmt.Sprintf(`document.getElementById('error').textContent === %q`, "Invalid event: "+markup))
	if eval[bool](t, ctx, `document.querySelector('#error img') !== null || window.__xss === 1`) {
		t.Fatal("API text was rendered as HTML")
	}
	run(t, ctx, setValue(`#webhook-form [name=events]`, ""), submit("webhook-form"))
	until(t, ctx, pageWait, `document.getElementById('notice').textContent === 'Webhook configured'`)

	// QR: the page renders it, the emulator's phone scans it through the control API, the page shows connected
	qr := showQR(t, ctx)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__noReload = true`))
	start := time.Now()
	scan := emulator(t, "POST", "/phone/scan", map[string]any{"qr": qr, "phone": "5511900000001"})
	expectStatus(t, scan, 200)
	scanned := time.Now()
	until(t, ctx, pageWait, fmt.Sprintf(stateIs, "connected"))
	shown := time.Now()
	stored, err := time.Parse(time.RFC3339Nano, eval[string](t, ctx, `document.getElementById('i-state').dataset.eventAt`))
	if err != nil {
		t.Fatalf("the connected state shown carries no event time: %v", err)
	}
	t.Logf("FIGURE scan to connected on the page: %d ms (scan call %d ms; connected event stored %d ms after the scan began; on the page %d ms after it was stored)",
		shown.Sub(start).Milliseconds(), scanned.Sub(start).Milliseconds(), stored.Sub(start).Milliseconds(), shown.Sub(stored).Milliseconds())

	// a kick from the emulator: disconnected appears in the timeline, then connected again, without a reload
	disconnectedBefore := eval[int](t, ctx, `document.querySelectorAll('#timeline tr[data-state=disconnected]').length`)
	expectStatus(t, emulator(t, "POST", "/devices/"+scan.str("jid")+"/kick", nil), 200)
	until(t, ctx, pageWait, fmt.Sprintf(`document.querySelectorAll('#timeline tr[data-state=disconnected]').length > %d`, disconnectedBefore))
	until(t, ctx, pageWait, fmt.Sprintf(stateIs, "connected")+` && document.querySelector('#timeline tr').dataset.state === 'connected'`)
	if !eval[bool](t, ctx, `window.__noReload === true`) {
		t.Fatal("the page was reloaded")
	}

	// the delivery log lists every attempt; redelivering the connected event sends it once more
	isConnected := func(m map[string]any) bool {
		d, _ := m["data"].(map[string]any)
		return d != nil && d["state"] == "connected"
	}
	eventually(t, pageWait, "the connected events delivered", func() bool { return recv.count(isConnected) >= 2 })
	run(t, ctx, chromedp.Click(chromedp.ID("deliveries-refresh")))
	until(t, ctx, pageWait, `[...document.querySelectorAll('#deliveries tr')].some(r => r.dataset.status === 'delivered' && r.textContent.includes('connected') && / 200 /.test(r.textContent))`)
	before := recv.count(isConnected)
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`[...document.querySelectorAll('#deliveries tr')].find(r => r.cells[1].textContent === 'connected').querySelector('button.redeliver').click()`))
	until(t, ctx, pageWait, `document.getElementById('notice').textContent === 'Redelivery queued'`)
	eventually(t, pageWait, "the redelivered event", func() bool { return recv.count(isConnected) > before })

	// a test event reaches the webhook at once
	run(t, ctx, chromedp.Click(chromedp.ID("webhook-test")))
	until(t, ctx, pageWait, `document.getElementById('webhook-test-result').textContent.startsWith('default: HTTP 200')`)
	if recv.count(func(m map[string]any) bool { return m["event"] == "webhook.test" }) != 1 {
		t.Fatal("the receiver did not get the test event")
	}
	run(t, ctx, chromedp.Evaluate[chromedp.Void](`document.getElementById('deliveries-refresh').click()`))
	until(t, ctx, pageWait, `document.querySelectorAll('#deliveries tr').length >= 5`)
	shot(t, ctx)

	// pairing code: the page shows it large, the phone types it
	second := fmt.Sprintf("console-code-%d", time.Now().UnixNano()%1_000_000)
	expectStatus(t, call(t, "POST", product.gateway, "/api/instance/new", token, map[string]any{"name": second, "websocketEnabled": true}), 201)
	reload(t, ctx, second)
	openInstance(t, ctx, second)
	run(t, ctx, setValue("#pair-number", "5511900000002"), submit("pair-form"))
	until(t, ctx, pageWait, `/^[A-Z0-9]{4}-[A-Z0-9]{4}$/.test(document.getElementById('pair-code').textContent)`)
	code := eval[string](t, ctx, `document.getElementById('pair-code').textContent`)
	expectStatus(t, emulator(t, "POST", "/phone/link-code", map[string]any{"phone": "5511900000002", "code": code}), 200)
	until(t, ctx, pageWait, fmt.Sprintf(stateIs, "connected"))

	// demo mode: "scan with the emulator's phone" next to the QR, forwarded by the gateway
	third := fmt.Sprintf("console-demo-%d", time.Now().UnixNano()%1_000_000)
	expectStatus(t, call(t, "POST", product.gateway, "/api/instance/new", token, map[string]any{"name": third, "websocketEnabled": true}), 201)
	// and the emulator's virtual contacts, listed as text: a name with markup stays text
	contactPhone := fmt.Sprintf("55118%08d", time.Now().UnixNano()%100_000_000)
	expectStatus(t, emulator(t, "POST", "/contacts", map[string]any{"phone": contactPhone, "name": "Ana <b id=injected>x</b>"}), 201)
	reload(t, ctx, third)
	until(t, ctx, pageWait, fmt.Sprintf(`document.getElementById('contact-list').textContent.includes(%q)`, "Ana <b id=injected>x</b> +"+contactPhone+" online"))
	if eval[bool](t, ctx, `document.getElementById('injected') !== null`) {
		t.Fatal("a contact's name was rendered as markup")
	}
	openInstance(t, ctx, third)
	showQR(t, ctx)
	run(t, ctx, chromedp.WaitVisible(chromedp.ID("demo-scan")), setValue("#demo-phone", "5511900000003"),
		chromedp.Click(chromedp.ID("demo-scan")))
	until(t, ctx, pageWait, fmt.Sprintf(stateIs, "connected"))
	consoleChat(t, ctx, contactPhone, "5511900000003")

	// counts and filter over the live table
	run(t, ctx, chromedp.Click(chromedp.ID("back")))
	until(t, ctx, pageWait, `document.getElementById('counts').textContent.startsWith('3 instances: 3 connected')`)

	// sign-out forgets the token
	run(t, ctx, chromedp.Click(chromedp.ID("signout")), chromedp.WaitVisible(chromedp.ID("signin-form")))
	if eval[string](t, ctx, `(sessionStorage.getItem('wagate.token') || '') + JSON.stringify(localStorage)`) != "{}" {
		t.Fatal("the token survived sign-out")
	}
}

// consoleChat: the chat pane sends a text to a virtual contact and shows its receipts and the contact's reply live.
func consoleChat(t *testing.T, ctx context.Context, contact, own string) {
	run(t, ctx, setValue("#chat-number", contact), setValue("#chat-text", "hello from the console"), submit("chat-form"))
	outgoing := `[...document.querySelectorAll('#chat tr')].find(r => r.dataset.direction === 'outgoing' && r.cells[3].textContent === 'hello from the console')`
	until(t, ctx, pageWait, outgoing+`?.dataset.status === 'delivered'`)
	if eval[string](t, ctx, `document.getElementById('chat-text').value`) != "" {
		t.Fatal("the message field was not cleared after a successful send")
	}
	id := eval[string](t, ctx, outgoing+`.dataset.id`)
	expectStatus(t, emulator(t, "POST", "/contacts/"+contact+"/read", map[string]any{"ids": []string{id}}), 200)
	until(t, ctx, pageWait, outgoing+`.dataset.status === 'read'`)

	expectStatus(t, emulator(t, "POST", "/contacts/"+contact+"/send", map[string]any{"to": own, "text": "hi <b id=reply>back</b>"}), 200)
	until(t, ctx, pageWait, `[...document.querySelectorAll('#chat tr')].some(r => r.dataset.direction === 'incoming' && r.cells[3].textContent === 'hi <b id=reply>back</b>' && r.cells[2].textContent === '`+contact+`')`)
	if eval[bool](t, ctx, `document.getElementById('reply') !== null`) {
		t.Fatal("a received message was rendered as markup")
	}
	// an API error is shown with its literal message
	run(t, ctx, setValue("#chat-number", "12"), setValue("#chat-text", "x"), submit("chat-form"))
	until(t, ctx, pageWait, `document.getElementById('error').textContent === 'Invalid phone number'`)
}

// consoleQRRotation waits for whatsmeow's first rotation (60 s) and checks that the page re-rendered the new code.
func consoleQRRotation(t *testing.T, b context.Context) {
	token := newAccount(t, 2)
	ctx := tab(t, b)
	signIn(t, ctx, token)
	name := fmt.Sprintf("console-rot-%d", time.Now().UnixNano()%1_000_000)
	expectStatus(t, call(t, "POST", product.gateway, "/api/instance/new", token, map[string]any{"name": name, "websocketEnabled": true}), 201)
	reload(t, ctx, name)
	openInstance(t, ctx, name)
	first := showQR(t, ctx)
	image := eval[string](t, ctx, `document.querySelector('#qr canvas').toDataURL()`)
	until(t, ctx, 120*time.Second, fmt.Sprintf(`document.getElementById('qr').dataset.code !== %q`, first))
	if eval[string](t, ctx, `document.querySelector('#qr canvas').toDataURL()`) == image {
		t.Fatal("the QR code changed but its image did not")
	}
	// the rotated code is live: the phone can scan it
	qr := eval[string](t, ctx, `document.getElementById('qr').dataset.code`)
	expectStatus(t, emulator(t, "POST", "/phone/scan", map[string]any{"qr": qr, "phone": "5511900000009"}), 200)
	until(t, ctx, pageWait, fmt.Sprintf(stateIs, "connected"))
}

// consoleThousand lists 1,000 instances, checks that search and filter work, and measures how long a state change
// takes to reach its row.
func consoleThousand(t *testing.T, b context.Context) {
	const n = 1000
	token := newAccount(t, n)
	prefix := fmt.Sprintf("k%d-", time.Now().UnixNano()%1_000_000)
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1); i <= n; i = next.Add(1) {
				status, body := api().Send("POST", product.gateway+"/api/instance/new", token, map[string]any{"name": fmt.Sprintf("%s%04d", prefix, i), "websocketEnabled": true})
				if status != 201 {
					t.Errorf("create: HTTP %d %s", status, body)
					return
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	ctx := tab(t, b)
	loaded := time.Now()
	signIn(t, ctx, token)
	until(t, ctx, pageWait, fmt.Sprintf(`document.querySelectorAll('#rows tr').length === %d`, n))
	t.Logf("FIGURE %d instances listed %d ms after sign-in", n, time.Since(loaded).Milliseconds())
	until(t, ctx, pageWait, fmt.Sprintf(`document.getElementById('counts').textContent.startsWith('%d instances: 0 connected, 0 connecting, %d disconnected')`, n, n))

	// search narrows to one row
	target := fmt.Sprintf("%s%04d", prefix, 777)
	run(t, ctx, chromedp.SendKeys(chromedp.ID("search"), "0777"))
	until(t, ctx, pageWait, fmt.Sprintf(`[...document.querySelectorAll('#rows tr')].filter(r => !r.hidden).map(r => r.dataset.name).join() === %q`, target))

	// a state change reaches its row: the page records when, the row carries when the event was stored
	run(t, ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => { const row = document.querySelector('tr[data-name=%q]');
	  window.__changes = []; new MutationObserver(() => window.__changes.push({state: row.dataset.state, at: Date.now(), eventAt: row.dataset.eventAt}))
	  .observe(row, {attributes: true, attributeFilter: ['data-state']}); })()`, target)))
	pairOneIn(t, token, target, "5511900000777")
	until(t, ctx, pageWait, `window.__changes.some(c => c.state === 'connected')`)
	lag := eval[float64](t, ctx, `Math.max(...window.__changes.filter(c => c.eventAt).map(c => c.at - Date.parse(c.eventAt)))`)
	t.Logf("FIGURE state change to row update with %d instances listed: at most %.0f ms; changes seen %s", n, lag,
		eval[string](t, ctx, `JSON.stringify(window.__changes.map(c => [c.state, c.eventAt, c.at - Date.parse(c.eventAt)]))`))
	run(t, ctx, setValue("#search", ""), setValue("#filter", "connected"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById('filter').dispatchEvent(new Event('change'))`))
	until(t, ctx, pageWait, fmt.Sprintf(`[...document.querySelectorAll('#rows tr')].filter(r => !r.hidden).map(r => r.dataset.name).join() === %q`, target))
}

// pairOneIn connects one instance of the account by QR and lets the phone scan it.
func pairOneIn(t *testing.T, token, name, phone string) {
	t.Helper()
	r := call(t, "GET", product.gateway, "/api/instance/connect/"+name, token, nil)
	expectStatus(t, r, 200)
	expectStatus(t, emulator(t, "POST", "/phone/scan", map[string]any{"qr": r.str("qrCode"), "phone": phone}), 200)
}

// shot saves the page as the documentation's screenshot when WAGATE_CONSOLE_SCREENSHOT names a file.
func shot(t *testing.T, ctx context.Context) {
	path := os.Getenv("WAGATE_CONSOLE_SCREENSHOT")
	if path == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// consoleOffline kills the gateway under an open page: the page says it is offline, and once run.sh has restarted the
// gateway it resumes the stream after the last event it saw (?since) and shows what happened meanwhile.
func consoleOffline(t *testing.T, b context.Context) {
	token := newAccount(t, 2)
	name := fmt.Sprintf("console-off-%d", time.Now().UnixNano()%1_000_000)
	expectStatus(t, call(t, "POST", product.gateway, "/api/instance/new", token, map[string]any{"name": name, "websocketEnabled": true}), 201)
	ctx := tab(t, b)
	signIn(t, ctx, token)
	reload(t, ctx, name)
	// one event, so that the page has an id to resume after
	expectStatus(t, call(t, "GET", product.gateway, "/api/instance/connect/"+name, token, nil), 200)
	until(t, ctx, pageWait, fmt.Sprintf(`document.querySelector('tr[data-name=%q]').dataset.state === 'connecting'`, name))

	pid := gatewayPid(t)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	until(t, ctx, pageWait, `!document.getElementById('offline').hidden && document.getElementById('live').hidden`)
	eventually(t, 180*time.Second, "the restarted gateway", func() bool {
		status, _ := api().Send("GET", product.gateway+"/api/instance/list", token, nil)
		return status == 200
	})
	// the pairing died with the gateway's restart or ends unused; either way the page must end live and in step
	until(t, ctx, 120*time.Second, `!document.getElementById('live').hidden && Number(document.getElementById('live').dataset.resumedFrom) > 0`)
	expectStatus(t, call(t, "DELETE", product.gateway, "/api/instance/logout/"+name, token, nil), 200)
	until(t, ctx, pageWait, fmt.Sprintf(`document.querySelector('tr[data-name=%q]').dataset.state === 'loggedout'`, name))
}
