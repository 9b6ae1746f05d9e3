package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"runtime/debug"
)

// ControlHandler serves the control API described on the emulator page in docs/ (repository root).
func (s *Server) ControlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /emulator/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok", "rootPublicKey": s.RootPublicKeyHex()})
	})
	mux.HandleFunc("GET /emulator/stats", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.Stats())
	})
	mux.HandleFunc("POST /phone/scan", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			QR    string `json:"qr"`
			Phone string `json:"phone"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		jid, err := s.Scan(body.QR, body.Phone)
		answer(w, map[string]string{"jid": jid}, err)
	})
	mux.HandleFunc("POST /phone/link-code", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Phone string `json:"phone"`
			Code  string `json:"code"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		jid, err := s.LinkCode(body.Phone, body.Code)
		answer(w, map[string]string{"jid": jid}, err)
	})
	mux.HandleFunc("GET /devices", func(w http.ResponseWriter, r *http.Request) {
		linked, unlinked := s.Devices()
		writeJSON(w, http.StatusOK, map[string]any{"devices": linked, "unlinked": unlinked})
	})
	mux.HandleFunc("POST /devices/reset-counters", func(w http.ResponseWriter, r *http.Request) {
		s.ResetCounters()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET /traffic", s.serveTraffic)
	mux.HandleFunc("GET /traffic/stream", s.serveTrafficStream)
	for pattern, h := range s.extraRoutes {
		mux.Handle(pattern, h)
	}
	for action, fn := range map[string]func(string) error{"logout": s.Logout, "kick": s.Kick, "replace": s.Replace} {
		mux.HandleFunc("POST /devices/{jid}/"+action, func(w http.ResponseWriter, r *http.Request) {
			answer(w, map[string]bool{"ok": true}, fn(deviceParam(r)))
		})
	}
	mux.HandleFunc("POST /devices/{jid}/ban", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Seconds int `json:"seconds"`
		}
		if !readJSON(w, r, &body) {
			return
		}
		answer(w, map[string]bool{"ok": true}, s.Ban(deviceParam(r), body.Seconds))
	})
	mux.HandleFunc("POST /devices/{jid}/call", func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			From string `json:"from"`
		}
		if !readOptionalJSON(w, r, &body) {
			return
		}
		id, err := s.Call(deviceParam(r), body.From)
		answer(w, map[string]string{"callId": id}, err)
	})
	mux.HandleFunc("POST /faults", func(w http.ResponseWriter, r *http.Request) {
		var f Faults
		if !readJSON(w, r, &f) {
			return
		}
		if f.LatencyMs < 0 || f.LatencyMs > 60_000 {
			writeError(w, http.StatusBadRequest, "latencyMs must be between 0 and 60000")
			return
		}
		if f.FailLogin != nil && (*f.FailLogin < 100 || *f.FailLogin > 999) {
			writeError(w, http.StatusBadRequest, "failLogin must be null or a 3-digit reason code")
			return
		}
		if err := f.validate(); err != nil {
			answer(w, nil, err)
			return
		}
		s.SetFaults(f)
		writeJSON(w, http.StatusOK, f)
	})
	mux.HandleFunc("DELETE /faults", func(w http.ResponseWriter, r *http.Request) {
		s.SetFaults(Faults{})
		writeJSON(w, http.StatusOK, Faults{})
	})
	mux.HandleFunc("GET /faults", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.CurrentFaults())
	})
	return recoverer(s, mux)
}

// deviceParam accepts the JID raw ("1555:3@s.whatsapp.net") or URL-escaped once more ("%3A", "%40").
func deviceParam(r *http.Request) string {
	jid := r.PathValue("jid")
	if un, err := url.PathUnescape(jid); err == nil {
		return un
	}
	return jid
}

func recoverer(s *Server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				s.log.Error().Interface("panic", rec).Bytes("stack", debug.Stack()).Str("path", r.URL.Path).Msg("control request panicked")
				writeError(w, http.StatusInternalServerError, "internal error")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func readJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "could not read body")
		return false
	}
	if err := json.Unmarshal(data, dst); err != nil {
		writeError(w, http.StatusBadRequest, "body is not valid JSON for this route: "+err.Error())
		return false
	}
	return true
}

// readOptionalJSON is readJSON for routes whose body may be left out entirely.
func readOptionalJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		writeError(w, http.StatusBadRequest, "could not read body")
		return false
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return true
	}
	if err := json.Unmarshal(data, dst); err != nil {
		writeError(w, http.StatusBadRequest, "body is not valid JSON for this route: "+err.Error())
		return false
	}
	return true
}

func answer(w http.ResponseWriter, ok any, err error) {
	if err == nil {
		writeJSON(w, http.StatusOK, ok)
		return
	}
	var ae *APIError
	if errors.As(err, &ae) {
		writeError(w, ae.Status, ae.Message)
		return
	}
	writeError(w, http.StatusInternalServerError, err.Error())
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// Exported for the control routes of other packages (the virtual contacts), so every route answers alike.

// WriteJSON writes v as the JSON answer with the status.
func WriteJSON(w http.ResponseWriter, status int, v any) { writeJSON(w, status, v) }

// Answer writes ok with 200, or the error as {"error"} with its APIError status (500 otherwise).
func Answer(w http.ResponseWriter, ok any, err error) { answer(w, ok, err) }

// ReadJSON decodes the request body into dst or answers 400 and returns false.
func ReadJSON(w http.ResponseWriter, r *http.Request, dst any) bool { return readJSON(w, r, dst) }

// NewAPIError is an error the control API answers with the given status.
func NewAPIError(status int, format string, args ...any) *APIError {
	return apiErr(status, format, args...)
}

// ValidPhone reports whether phone is 7-20 digits in international form, as the virtual phone accepts it.
func ValidPhone(phone string) bool { return validPhone(phone) }
