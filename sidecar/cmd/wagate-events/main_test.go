package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func TestWsURL(t *testing.T) {
	cases := []struct {
		o    options
		want string
	}{
		{options{base: "http://127.0.0.1:8080"}, "ws://127.0.0.1:8080/ws"},
		{options{base: "https://gw.example/", instance: "sales team"}, "wss://gw.example/ws/sales%20team"},
		{options{base: "http://127.0.0.1:8080", instance: "demo", since: 42}, "ws://127.0.0.1:8080/ws/demo?since=42"},
	}
	for _, c := range cases {
		got, err := wsURL(c.o)
		if err != nil || got != c.want {
			t.Errorf("wsURL(%+v) = %q, %v; want %q", c.o, got, err, c.want)
		}
	}
	if _, err := wsURL(options{base: "ftp://x"}); err == nil {
		t.Error("a non-http URL was accepted")
	}
}

func TestRunWithoutURLOrTokenExplains(t *testing.T) {
	t.Setenv("WAGATE_URL", "")
	t.Setenv("WAGATE_ACCOUNT_TOKEN", "")
	var out, errOut bytes.Buffer
	if code := run([]string{"demo"}, &out, &errOut); code != 2 || !strings.Contains(errOut.String(), "WAGATE_URL") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

// A refused upgrade (bad token) ends the command with the gateway's answer instead of retrying forever.
func TestRefusedUpgradeEnds(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(401)
		fmt.Fprint(w, `{"success":false,"error":{"message":"Invalid token"}}`)
	}))
	defer srv.Close()
	var out, errOut bytes.Buffer
	code := run([]string{"-url", srv.URL, "-token", "nope", "demo"}, &out, &errOut)
	if code != 1 || !strings.Contains(errOut.String(), "Invalid token") {
		t.Fatalf("exit %d, stderr %q", code, errOut.String())
	}
}

// A dropped stream is resumed after the last printed id, with the token in a header and never in the URL.
func TestDroppedStreamResumesAfterLastID(t *testing.T) {
	var mu sync.Mutex
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("token") != "tok" || r.URL.Query().Get("token") != "" {
			w.WriteHeader(401)
			return
		}
		mu.Lock()
		queries = append(queries, r.URL.RawQuery)
		n := len(queries)
		mu.Unlock()
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		first := int64(1)
		if n > 1 {
			first = 3
		}
		for id := first; id < first+2; id++ {
			c.Write(r.Context(), websocket.MessageText, []byte(fmt.Sprintf(`{"id":%d,"event":"instance.state"}`, id)))
		}
		if n > 1 {
			<-r.Context().Done() // the second stream stays open until the client leaves
		}
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	out := &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- watch(ctx, options{base: srv.URL, token: "tok", instance: "demo"}, out, &bytes.Buffer{})
	}()
	for !strings.Contains(out.String(), `"id":4`) {
		select {
		case <-ctx.Done():
			t.Fatalf("frames 1-4 not printed: %q", out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	cancel()
	<-done
	mu.Lock()
	defer mu.Unlock()
	if len(queries) < 2 || queries[0] != "" || queries[1] != "since=2" {
		t.Fatalf("queries %q, want [\"\" \"since=2\" ...]", queries)
	}
	if got := strings.Count(out.String(), "\n"); got != 4 {
		t.Fatalf("printed %d lines, want 4: %q", got, out.String())
	}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
