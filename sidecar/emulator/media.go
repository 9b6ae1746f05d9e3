package emulator

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	waBinary "go.mau.fi/whatsmeow/binary"
)

// maxMediaBytes caps one uploaded blob.
const maxMediaBytes = 128 << 20

// mediaStore keeps encrypted blobs by the hex SHA-256 of their bytes. The emulator never sees the media key.
type mediaStore struct {
	mu    sync.Mutex
	blobs map[string][]byte
}

func newMediaStore() *mediaStore { return &mediaStore{blobs: map[string][]byte{}} }

// answerMediaConn gives the client one media host, the --media address; the client's dial hook sends every media
// request there whatever the host name says.
func (c *conn) answerMediaConn(id string) {
	addr := c.s.MediaAddr()
	if addr == "" {
		c.reply(iqError(id, 501, "no media server: start the emulator with --media"))
		return
	}
	c.reply(iqResult(id, waBinary.Node{Tag: "media_conn", Attrs: waBinary.Attrs{
		"auth": "emulator", "ttl": "3600", "auth_ttl": "3600", "max_buckets": "1",
	}, Content: []waBinary.Node{{Tag: "host", Attrs: waBinary.Attrs{"hostname": addr}}}}))
}

// MediaHandler serves POST /mms/<type>/<token> (upload; the token is the base64url SHA-256 of the encrypted
// bytes, as whatsmeow sends it) and GET of the direct path it answered.
func (s *Server) MediaHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /mms/{type}/{token}", func(w http.ResponseWriter, r *http.Request) {
		data, err := io.ReadAll(io.LimitReader(r.Body, maxMediaBytes+1))
		if err != nil {
			writeError(w, http.StatusBadRequest, "could not read body")
			return
		}
		if len(data) > maxMediaBytes {
			writeError(w, http.StatusRequestEntityTooLarge, "media larger than "+strconv.Itoa(maxMediaBytes)+" bytes")
			return
		}
		sum := sha256.Sum256(data)
		if base64.URLEncoding.EncodeToString(sum[:]) != r.PathValue("token") {
			writeError(w, http.StatusBadRequest, "token is not the SHA-256 of the uploaded bytes")
			return
		}
		name := hex.EncodeToString(sum[:])
		s.media.mu.Lock()
		s.media.blobs[name] = data
		s.media.mu.Unlock()
		s.traffic.add(TrafficEntry{Kind: "media", ID: name, Type: "upload/" + r.PathValue("type"), Bytes: len(data)})
		path := "/v/emu/" + name + ".enc?ccb=11-4"
		writeJSON(w, http.StatusOK, map[string]string{"url": "https://" + s.MediaAddr() + path, "direct_path": path})
	})
	mux.HandleFunc("GET /v/emu/{name}", func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimSuffix(r.PathValue("name"), ".enc")
		s.media.mu.Lock()
		data, ok := s.media.blobs[name]
		s.media.mu.Unlock()
		if !ok {
			writeError(w, http.StatusNotFound, "unknown media")
			return
		}
		s.traffic.add(TrafficEntry{Kind: "media", ID: name, Type: "download", Bytes: len(data)})
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		_, _ = w.Write(data)
	})
	return mux
}
