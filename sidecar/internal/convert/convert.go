// Package convert maps whatsmeow types to the wire types of the sidecar contract and back. Pure functions only.
package convert

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// Reasons the sidecar itself puts on events.
const (
	ReasonUserInitiated   = "user_initiated"
	ReasonDeviceRemoved   = "device_removed"
	ReasonConnectionLost  = "connection lost"
	ReasonDisconnectAsked = "disconnect requested"
)

// Event maps one whatsmeow lifecycle event to a wire event (without instance, boot id and seq). ok is false for
// events that are not lifecycle events, and for QR, PairSuccess and PairError, which the pairing flow reports
// itself because it knows the code index and the outcome of the whole attempt.
func Event(evt any, now time.Time) (e *sidecarv1.Event, ok bool) {
	switch v := evt.(type) {
	case *events.Connected:
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CONNECTED}, true
	case *events.Disconnected:
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, Reason: ReasonConnectionLost}, true
	case *events.KeepAliveTimeout:
		return &sidecarv1.Event{
			Kind:   sidecarv1.EventKind_EVENT_KIND_KEEPALIVE_TIMEOUT,
			Reason: "keep-alive ping unanswered " + strconv.Itoa(v.ErrorCount) + " time(s)",
		}, true
	case *events.KeepAliveRestored:
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_KEEPALIVE_RESTORED}, true
	case *events.StreamReplaced:
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_STREAM_REPLACED, Reason: v.PermanentDisconnectDescription()}, true
	case *events.ConnectFailure:
		reason := v.Reason.String()
		if v.Message != "" {
			reason += " (" + v.Message + ")"
		}
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CONNECT_FAILURE, Reason: reason, Code: int32(v.Reason)}, true
	case *events.TemporaryBan:
		e := &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED, Reason: v.Code.String(), Code: int32(v.Code)}
		if v.Expire > 0 {
			e.ExpiresAtUnix = now.Add(v.Expire).Unix()
		}
		return e, true
	case *events.ClientOutdated:
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_CLIENT_OUTDATED, Reason: v.PermanentDisconnectDescription()}, true
	case *events.LoggedOut:
		reason := ReasonDeviceRemoved
		if v.OnConnect {
			reason = v.Reason.String()
		}
		return &sidecarv1.Event{Kind: sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, Reason: reason, Code: int32(v.Reason)}, true
	case *events.QR, *events.PairSuccess, *events.PairError:
		return nil, false // reported by the pairing flow
	default:
		return nil, false // ignored: not a lifecycle event
	}
}

// StateAfter is the session state an event leads to; ok is false when the event leaves the state unchanged.
func StateAfter(kind sidecarv1.EventKind) (state sidecarv1.SessionState, ok bool) {
	switch kind {
	case sidecarv1.EventKind_EVENT_KIND_CONNECTING, sidecarv1.EventKind_EVENT_KIND_PAIR_SUCCESS:
		return sidecarv1.SessionState_SESSION_STATE_CONNECTING, true
	case sidecarv1.EventKind_EVENT_KIND_QR_READY, sidecarv1.EventKind_EVENT_KIND_PAIR_CODE_READY:
		return sidecarv1.SessionState_SESSION_STATE_PAIRING, true
	case sidecarv1.EventKind_EVENT_KIND_CONNECTED:
		return sidecarv1.SessionState_SESSION_STATE_CONNECTED, true
	case sidecarv1.EventKind_EVENT_KIND_DISCONNECTED, sidecarv1.EventKind_EVENT_KIND_PAIR_ERROR,
		sidecarv1.EventKind_EVENT_KIND_QR_TIMEOUT, sidecarv1.EventKind_EVENT_KIND_STREAM_REPLACED,
		sidecarv1.EventKind_EVENT_KIND_CONNECT_FAILURE, sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED,
		sidecarv1.EventKind_EVENT_KIND_CLIENT_OUTDATED:
		return sidecarv1.SessionState_SESSION_STATE_DISCONNECTED, true
	case sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT:
		return sidecarv1.SessionState_SESSION_STATE_LOGGED_OUT, true
	default:
		return sidecarv1.SessionState_SESSION_STATE_UNSPECIFIED, false
	}
}

// IsTerminal reports events after which no automatic reconnect may happen.
func IsTerminal(kind sidecarv1.EventKind) bool {
	switch kind {
	case sidecarv1.EventKind_EVENT_KIND_LOGGED_OUT, sidecarv1.EventKind_EVENT_KIND_STREAM_REPLACED,
		sidecarv1.EventKind_EVENT_KIND_TEMP_BANNED, sidecarv1.EventKind_EVENT_KIND_CLIENT_OUTDATED,
		sidecarv1.EventKind_EVENT_KIND_CONNECT_FAILURE:
		return true
	default:
		return false
	}
}

// Validation errors; the server maps them to INVALID_ARGUMENT.
var (
	ErrInvalidJID   = errors.New("invalid jid")
	ErrInvalidProxy = errors.New("invalid proxy")
	ErrInvalidPhone = errors.New("invalid phone")
)

// ParseDeviceJID accepts a WhatsApp user JID such as "5511999999999:3@s.whatsapp.net".
func ParseDeviceJID(s string) (types.JID, error) {
	if s == "" {
		return types.EmptyJID, fmt.Errorf("%w: empty", ErrInvalidJID)
	}
	jid, err := types.ParseJID(s)
	if err != nil {
		return types.EmptyJID, fmt.Errorf("%w %q: %v", ErrInvalidJID, s, err)
	}
	if jid.Server != types.DefaultUserServer || jid.User == "" {
		return types.EmptyJID, fmt.Errorf("%w %q: not a device JID on %s", ErrInvalidJID, s, types.DefaultUserServer)
	}
	for _, r := range jid.User {
		if r < '0' || r > '9' {
			return types.EmptyJID, fmt.Errorf("%w %q: user part is not a phone number", ErrInvalidJID, s)
		}
	}
	return jid, nil
}

// ProxyURL validates p and renders it as the URL whatsmeow's SetProxyAddress takes. A nil or empty proxy
// gives "" (no proxy).
func ProxyURL(p *sidecarv1.Proxy) (string, error) {
	if p == nil || (p.Protocol == sidecarv1.ProxyProtocol_PROXY_PROTOCOL_UNSPECIFIED && p.Host == "" && p.Port == 0 &&
		p.Username == "" && p.Password == "") {
		return "", nil
	}
	var scheme string
	switch p.Protocol {
	case sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTP:
		scheme = "http"
	case sidecarv1.ProxyProtocol_PROXY_PROTOCOL_HTTPS:
		scheme = "https"
	case sidecarv1.ProxyProtocol_PROXY_PROTOCOL_SOCKS5:
		scheme = "socks5"
	default:
		return "", fmt.Errorf("%w: protocol must be http, https or socks5", ErrInvalidProxy)
	}
	if p.Host == "" {
		return "", fmt.Errorf("%w: host is empty", ErrInvalidProxy)
	}
	if p.Port < 1 || p.Port > 65535 {
		return "", fmt.Errorf("%w: port %d is outside 1-65535", ErrInvalidProxy, p.Port)
	}
	u := &url.URL{Scheme: scheme, Host: net.JoinHostPort(p.Host, strconv.Itoa(int(p.Port)))}
	if p.Username != "" || p.Password != "" {
		u.User = url.UserPassword(p.Username, p.Password)
	}
	return u.String(), nil
}

// RedactProxy hides the credentials of proxyURL in err's message: url.Parse and proxy dialers quote the URL they
// were given, password included, and the message travels to the gateway and its logs. errors.Is and errors.As still
// see the original chain.
func RedactProxy(err error, proxyURL string) error {
	if err == nil || proxyURL == "" {
		return err
	}
	msg := err.Error()
	var secrets []string
	if u, perr := url.Parse(proxyURL); perr == nil {
		msg = strings.ReplaceAll(msg, proxyURL, u.Redacted())
		if pw, ok := u.User.Password(); ok && pw != "" {
			secrets = append(secrets, strings.SplitN(u.User.String(), ":", 2)[1], pw, url.QueryEscape(pw), url.PathEscape(pw))
		}
	} else if scheme := strings.Index(proxyURL, "://"); scheme >= 0 {
		// not parseable: the password is what stands between the first ':' and the last '@' of the authority
		rest := proxyURL[scheme+3:]
		if at := strings.LastIndex(rest, "@"); at >= 0 {
			if colon := strings.Index(rest[:at], ":"); colon >= 0 && colon+1 < at {
				secrets = append(secrets, rest[colon+1:at])
			}
		}
	}
	for _, secret := range secrets {
		quoted := strconv.Quote(secret) // url.Error and %q messages show the URL quoted
		msg = strings.ReplaceAll(strings.ReplaceAll(msg, secret, "xxxxx"), quoted[1:len(quoted)-1], "xxxxx")
	}
	if msg == err.Error() {
		return err
	}
	return &redactedError{msg: msg, err: err}
}

// redactedError carries a message with the credentials removed and the error it was made from.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// ValidatePhone checks the pairing-code phone number: digits only, 8-15 of them, no leading zero
// (WhatsApp wants the international form).
func ValidatePhone(phone string) error {
	if len(phone) < 8 || len(phone) > 15 {
		return fmt.Errorf("%w: need 8-15 digits, got %d characters", ErrInvalidPhone, len(phone))
	}
	for _, r := range phone {
		if r < '0' || r > '9' {
			return fmt.Errorf("%w: digits only", ErrInvalidPhone)
		}
	}
	if phone[0] == '0' {
		return fmt.Errorf("%w: must be international, without a leading 0", ErrInvalidPhone)
	}
	return nil
}
