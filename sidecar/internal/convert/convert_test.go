package convert

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.mau.fi/whatsmeow/types/events"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

func TestEventMapping(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := []struct {
		name       string
		in         any
		ok         bool
		kind       sidecarv1.EventKind
		reason     string
		code       int32
		expiresAt  int64
		terminal   bool
		stateAfter sidecarv1.SessionState
	}{
		{"connected", &events.Connected{}, true, sidecarv1.EventKind_EVENT_KIND_CONNECTED, "", 0, 0, false, sidecarv1.SessionState_SESSION_STATE_CONNECTED},
		{"disconnected", &events.Disconnected{}, true, sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, ReasonConnectionLost, 0, 0, false, sidecarv1.SessionState_SESSION_STATE_DISCONNECTED},
		{"keepalive timeout", &events.KeepAliveTimeout{ErrorCount: 2}, true, sidecarv1.EventKind_EVENT_KIND_KEEPALIVE_TIMEOUT, "keep-alive ping unanswered 2 time(s)", 0, 0, false, 0},
		{"keepalive restored", &events.KeepAliveRestored{}, true, sidecarv1.EventKind_EVENT_KIND_KEEPALIVE_RESTORED, "", 0, 0, false, 0},
		{"stream replaced", &events.StreamReplaced{}, true, sidecarv1.EventKind_EVENT_KIND_STREAM_REPLACED, "stream replaced", 0, 0, true, sidecarv1.SessionState_SESSION_STATE_DISCONNECTED},
		{"connect failure", &events.ConnectFailure{Reason: events.ConnectFailureBadUserAgent, Message: "nope"}, true,
			sidecarv1.EventKind_EVENT_KIND_CONNECT_FAILURE, "409: client user agent was rejected (nope)", 409, 0, true, sidecarv1.SessionState_SESSION_STATE_DISCONNECTED},
		{"temp ban", &events.TemporaryBan{Code: events.TempBanBlockedByUsers, Expire: time.Hour}, true,
			sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED, "102: too many people blocked you", 102, now.Add(time.Hour).Unix(), true, sidecarv1.SessionState_SESSION_STATE_DISCONNECTED},
		{"temp ban without expiry", &events.TemporaryBan{Code: events.TempBanBlockedByUsers}, true,
			sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED, "102: too many people blocked you", 102, 0, true, sidecarv1.SessionState_SESSION_STATE_DISCONNECTED},
		{"client outdated", &events.ClientOutdated{}, true, sidecarv1.EventKind_EVENT_KIND_CLIENT_OUTDATED, "client outdated", 0, 0, true, sidecarv1.SessionState_SESSION_STATE_DISCONNECTED},
		{"logged out by phone", &events.LoggedOut{Reason: events.ConnectFailureLoggedOut}, true,
			sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, ReasonDeviceRemoved, 401, 0, true, sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT},
		{"logged out on connect", &events.LoggedOut{OnConnect: true, Reason: events.ConnectFailureMainDeviceGone}, true,
			sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, "403: primary device was logged out", 403, 0, true, sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT},
		{"qr is the pairing flow's", &events.QR{Codes: []string{"x"}}, false, 0, "", 0, 0, false, 0},
		{"pair success is the pairing flow's", &events.PairSuccess{}, false, 0, "", 0, 0, false, 0},
		{"pair error is the pairing flow's", &events.PairError{}, false, 0, "", 0, 0, false, 0},
		{"message ignored", &events.Message{}, false, 0, "", 0, 0, false, 0},
		{"nil ignored", nil, false, 0, "", 0, 0, false, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, ok := Event(c.in, now)
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v", ok, c.ok)
			}
			if !ok {
				return
			}
			if e.Kind != c.kind || e.Reason != c.reason || e.Code != c.code || e.ExpiresAtUnix != c.expiresAt {
				t.Fatalf("got kind=%s reason=%q code=%d expires=%d", e.Kind, e.Reason, e.Code, e.ExpiresAtUnix)
			}
			if IsTerminal(e.Kind) != c.terminal {
				t.Fatalf("IsTerminal(%s) = %v, want %v", e.Kind, !c.terminal, c.terminal)
			}
			st, changes := StateAfter(e.Kind)
			if changes != (c.stateAfter != 0) || st != c.stateAfter {
				t.Fatalf("StateAfter(%s) = %s/%v, want %s", e.Kind, st, changes, c.stateAfter)
			}
		})
	}
}

func TestStateAfterPairingKinds(t *testing.T) {
	cases := map[sidecarv1.EventKind]sidecarv1.SessionState{
		sidecarv1.EventKind_EVENT_KIND_CONNECTING:      sidecarv1.SessionState_SESSION_STATE_CONNECTING,
		sidecarv1.EventKind_EVENT_KIND_QR_READY:        sidecarv1.SessionState_SESSION_STATE_PAIRING,
		sidecarv1.EventKind_EVENT_KIND_PAIR_CODE_READY: sidecarv1.SessionState_SESSION_STATE_PAIRING,
		sidecarv1.EventKind_EVENT_KIND_PAIR_SUCCESS:    sidecarv1.SessionState_SESSION_STATE_CONNECTING,
		sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR:      sidecarv1.SessionState_SESSION_STATE_DISCONNECTED,
		sidecarv1.EventKind_EVENT_KIND_QR_TIMEOUT:      sidecarv1.SessionState_SESSION_STATE_DISCONNECTED,
	}
	for kind, want := range cases {
		if got, ok := StateAfter(kind); !ok || got != want {
			t.Errorf("StateAfter(%s) = %s/%v, want %s", kind, got, ok, want)
		}
	}
}

func TestParseDeviceJID(t *testing.T) {
	cases := []struct {
		in   string
		ok   bool
		want string
	}{
		{"5511999999999:3@s.whatsapp.net", true, "5511999999999:3@s.whatsapp.net"},
		{"5511999999999@s.whatsapp.net", true, "5511999999999@s.whatsapp.net"},
		{"", false, ""},
		{"garbage", false, ""},
		{"123-456@g.us", false, ""},
		{"abc:3@s.whatsapp.net", false, ""},
		{"@s.whatsapp.net", false, ""},
		{"12345@lid", false, ""},
	}
	for _, c := range cases {
		jid, err := ParseDeviceJID(c.in)
		if c.ok != (err == nil) {
			t.Errorf("ParseDeviceJID(%q) err = %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if err != nil && !errors.Is(err, ErrInvalidJID) {
			t.Errorf("ParseDeviceJID(%q) error %v is not ErrInvalidJID", c.in, err)
		}
		if c.ok && jid.String() != c.want {
			t.Errorf("ParseDeviceJID(%q) = %s", c.in, jid)
		}
	}
}

func TestProxyURL(t *testing.T) {
	p := func(proto sidecarv1.ProxyProtocol, host string, port uint32, user, pass string) *sidecarv1.Proxy {
		return &sidecarv1.Proxy{Protocol: proto, Host: host, Port: port, Username: user, Password: pass}
	}
	cases := []struct {
		name string
		in   *sidecarv1.Proxy
		want string
		ok   bool
	}{
		{"nil", nil, "", true},
		{"empty", &sidecarv1.Proxy{}, "", true},
		{"http", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, "10.0.0.1", 3128, "", ""), "http://10.0.0.1:3128", true},
		{"https with auth", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTPS, "proxy.local", 443, "u", "p@ss"), "https://u:p%40ss@proxy.local:443", true},
		{"socks5", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5, "::1", 1080, "", ""), "socks5://[::1]:1080", true},
		{"max port", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5, "h", 65535, "", ""), "socks5://h:65535", true},
		{"no host", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, "", 3128, "", ""), "", false},
		{"port 0", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, "h", 0, "", ""), "", false},
		{"port too big", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP, "h", 65536, "", ""), "", false},
		{"no protocol", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_UNSPECIFIED, "h", 80, "", ""), "", false},
		{"credentials only", p(sidecarv1.ProxyProtocol_PROXY_PROTOCOL_UNSPECIFIED, "", 0, "u", ""), "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ProxyURL(c.in)
			if c.ok != (err == nil) || got != c.want {
				t.Fatalf("ProxyURL = %q, %v; want %q ok=%v", got, err, c.want, c.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidProxy) {
				t.Fatalf("error %v is not ErrInvalidProxy", err)
			}
		})
	}
}

func TestValidatePhone(t *testing.T) {
	for phone, ok := range map[string]bool{
		"5511999999999": true, "12345678": true, "123456789012345": true,
		"1234567": false, "1234567890123456": false, "05511999999": false, "+5511999999999": false,
		"55 11 99999": false, "": false,
	} {
		err := ValidatePhone(phone)
		if ok != (err == nil) {
			t.Errorf("ValidatePhone(%q) = %v, want ok=%v", phone, err, ok)
		}
		if err != nil && !errors.Is(err, ErrInvalidPhone) {
			t.Errorf("ValidatePhone(%q) error %v is not ErrInvalidPhone", phone, err)
		}
	}
}

func TestRedactProxy(t *testing.T) {
	const secret = "s3cr/et@pw"
	proxyURL, err := ProxyURL(&sidecarv1.Proxy{Protocol: sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5, Host: "proxy.example.com", Port: 1080,
		Username: "user1", Password: secret})
	if err != nil {
		t.Fatal(err)
	}
	// what whatsmeow's SetProxyAddress returns for a URL it cannot parse: url.Parse quotes the whole URL
	_, parseErr := url.Parse(proxyURL + "\x7f")
	cases := []struct {
		name string
		err  error
		url  string
	}{
		{"url.Parse error", parseErr, proxyURL},
		{"dialer error with the URL", fmt.Errorf("proxyconnect %s: connection refused", proxyURL), proxyURL},
		{"raw password", fmt.Errorf("auth failed for %s", secret), proxyURL},
		{"escaped password", fmt.Errorf("auth failed for %s", url.QueryEscape(secret)), proxyURL},
		{"unparseable URL", fmt.Errorf("parse %q: bad", "socks5://u:"+secret+"@h\x7f:1"), "socks5://u:" + secret + "@h\x7f:1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(c.err.Error(), "s3cr") {
				t.Fatalf("the case does not carry the password: %v", c.err)
			}
			got := RedactProxy(c.err, c.url)
			if strings.Contains(got.Error(), "s3cr") {
				t.Fatalf("password left in %q", got.Error())
			}
			if !errors.Is(got, c.err) {
				t.Fatalf("the original error is no longer in the chain of %v", got)
			}
		})
	}
	if RedactProxy(nil, proxyURL) != nil {
		t.Fatal("nil must stay nil")
	}
	plain := errors.New("dial tcp: timeout")
	if RedactProxy(plain, proxyURL) != plain || RedactProxy(plain, "") != plain {
		t.Fatal("an error without credentials must come back unchanged")
	}
}
