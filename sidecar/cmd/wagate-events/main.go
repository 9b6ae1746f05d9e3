// Command wagate-events prints the events of one instance (or of a whole account) as the gateway's WebSocket sends
// them, one JSON frame per line. It exists so that the demo's walkthrough, and anyone on a fresh machine, can watch
// events without installing a WebSocket client. A dropped connection is resumed with ?since=<last id>, so no event
// is skipped or printed twice across the gap.
//
//	wagate-events [-url http://127.0.0.1:8080] [-token T] [-since ID] [instance]
//
// -url and -token default to WAGATE_URL and WAGATE_ACCOUNT_TOKEN (what `make demo` writes to .wagate/demo.env).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

type options struct {
	base, token, instance string
	since                 int64
}

func run(args []string, out, errOut io.Writer) int {
	fs := flag.NewFlagSet("wagate-events", flag.ContinueOnError)
	fs.SetOutput(errOut)
	var o options
	fs.StringVar(&o.base, "url", os.Getenv("WAGATE_URL"), "gateway base URL (default $WAGATE_URL)")
	fs.StringVar(&o.token, "token", os.Getenv("WAGATE_ACCOUNT_TOKEN"), "account or instance token (default $WAGATE_ACCOUNT_TOKEN)")
	fs.Int64Var(&o.since, "since", 0, "replay the events after this id first")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(errOut, "wagate-events: at most one instance name")
		return 2
	}
	o.instance = fs.Arg(0)
	if o.base == "" || o.token == "" {
		fmt.Fprintln(errOut, "wagate-events: no gateway URL or token (set WAGATE_URL and WAGATE_ACCOUNT_TOKEN, e.g. `. .wagate/demo.env`)")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := watch(ctx, o, out, errOut); err != nil && ctx.Err() == nil {
		fmt.Fprintln(errOut, "wagate-events:", err)
		return 1
	}
	return 0
}

// watch prints frames until ctx ends. Refusals (bad token, unknown instance) end it; a dropped stream is resumed.
func watch(ctx context.Context, o options, out, errOut io.Writer) error {
	backoff := 250 * time.Millisecond
	for ctx.Err() == nil {
		last, err := stream(ctx, o, out)
		if last > o.since {
			o.since, backoff = last, 250*time.Millisecond
		}
		var refused *refusal
		if errors.As(err, &refused) {
			return err
		}
		if ctx.Err() != nil {
			return nil
		}
		fmt.Fprintf(errOut, "wagate-events: %v; resuming after id %d in %s\n", err, o.since, backoff)
		select {
		case <-ctx.Done():
		case <-time.After(backoff):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
	return nil
}

// refusal is an HTTP answer to the upgrade: retrying cannot help.
type refusal struct {
	status int
	body   string
}

func (r *refusal) Error() string { return fmt.Sprintf("refused with %d: %s", r.status, r.body) }

// stream holds one WebSocket and returns the id of the last frame it printed.
func stream(ctx context.Context, o options, out io.Writer) (int64, error) {
	target, err := wsURL(o)
	if err != nil {
		return 0, &refusal{status: 0, body: err.Error()}
	}
	dialCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	// the token travels in a header, never in the URL, so it stays out of access logs
	c, resp, err := websocket.Dial(dialCtx, target, &websocket.DialOptions{HTTPHeader: http.Header{"token": {o.token}}})
	if err != nil {
		if resp != nil && resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
			return 0, &refusal{status: resp.StatusCode, body: strings.TrimSpace(string(body))}
		}
		return 0, err
	}
	defer c.CloseNow()
	c.SetReadLimit(1 << 20)
	var last int64
	for {
		_, frame, err := c.Read(ctx)
		if err != nil {
			return last, err
		}
		fmt.Fprintln(out, strings.TrimSpace(string(frame)))
		var head struct {
			ID json.Number `json:"id"`
		}
		if json.Unmarshal(frame, &head) == nil {
			if id, err := strconv.ParseInt(head.ID.String(), 10, 64); err == nil && id > last {
				last = id
			}
		}
	}
}

func wsURL(o options) (string, error) {
	u, err := url.Parse(strings.TrimRight(o.base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("gateway URL %q is not http(s)://host[:port]", o.base)
	}
	u.Scheme = map[string]string{"http": "ws", "https": "wss"}[u.Scheme]
	u = u.JoinPath("ws")
	if o.instance != "" {
		u = u.JoinPath(o.instance)
	}
	if o.since > 0 {
		u.RawQuery = url.Values{"since": {strconv.FormatInt(o.since, 10)}}.Encode()
	}
	return u.String(), nil
}
