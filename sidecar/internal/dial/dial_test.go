package dial

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseRootKey(t *testing.T) {
	good := strings.Repeat("ab", 32)
	k, err := ParseRootKey("  " + good + "\n")
	if err != nil || k[0] != 0xab || k[31] != 0xab {
		t.Fatalf("ParseRootKey(%q) = %x, %v", good, k, err)
	}
	for _, bad := range []string{"", "ab", strings.Repeat("zz", 32), strings.Repeat("ab", 33)} {
		if _, err := ParseRootKey(bad); err == nil {
			t.Errorf("ParseRootKey(%q) accepted", bad)
		}
	}
}

// The transport must ignore the requested host (web.whatsapp.com:443) and reach the target in plain TCP.
func TestHTTPClientDialsTarget(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		defer c.Close()
		buf := make([]byte, 4096)
		n, _ := c.Read(buf)
		accepted <- buf[:n]
	}()
	h := HTTPClient(Target{Addr: ln.Addr().String()})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	go func() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://web.whatsapp.com/ws/chat", nil)
		resp, err := h.Do(req)
		if err == nil {
			resp.Body.Close()
		}
	}()
	select {
	case got := <-accepted:
		if !strings.HasPrefix(string(got), "GET /ws/chat HTTP/1.1\r\n") || !strings.Contains(string(got), "Host: web.whatsapp.com") {
			t.Fatalf("emulator side saw %q, want a plain HTTP/1.1 request for web.whatsapp.com", got)
		}
	case <-ctx.Done():
		t.Fatal("no plain TCP connection reached the target")
	}
}
