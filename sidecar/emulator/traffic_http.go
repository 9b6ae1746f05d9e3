package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
)

func queryInt(r *http.Request, name string, def, lo, hi int64) (int64, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < lo || n > hi {
		return 0, apiErr(http.StatusBadRequest, "%s must be an integer between %d and %d", name, lo, hi)
	}
	return n, nil
}

// serveTraffic answers GET /traffic?after=<seq>&limit=<n>.
func (s *Server) serveTraffic(w http.ResponseWriter, r *http.Request) {
	after, err := queryInt(r, "after", 0, 0, 1<<62)
	if err != nil {
		answer(w, nil, err)
		return
	}
	limit, err := queryInt(r, "limit", 1000, 1, trafficCap)
	if err != nil {
		answer(w, nil, err)
		return
	}
	entries, _ := s.traffic.after(uint64(after), int(limit))
	writeJSON(w, http.StatusOK, map[string]any{"entries": entries})
}

// serveTrafficStream sends the same entries as Server-Sent Events until the client goes away.
func (s *Server) serveTrafficStream(w http.ResponseWriter, r *http.Request) {
	after, err := queryInt(r, "after", 0, 0, 1<<62)
	if err != nil {
		answer(w, nil, err)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		writeError(w, http.StatusInternalServerError, "streaming unsupported")
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	flusher.Flush()
	seq := uint64(after)
	for {
		entries, more := s.traffic.after(seq, trafficCap)
		for _, e := range entries {
			data, _ := json.Marshal(e)
			if _, err := fmt.Fprintf(w, "id: %d\ndata: %s\n\n", e.Seq, data); err != nil {
				return
			}
			seq = e.Seq
		}
		flusher.Flush()
		select {
		case <-more:
		case <-r.Context().Done():
			return
		case <-s.ctx.Done():
			return
		}
	}
}
