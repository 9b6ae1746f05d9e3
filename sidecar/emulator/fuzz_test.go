package emulator_test

import (
	"bytes"
	"testing"

	waBinary "go.mau.fi/whatsmeow/binary"
	"go.mau.fi/whatsmeow/socket"

	"github.com/wagate/wagate/sidecar/emulator"
)

// FuzzSplitFrames: any websocket message either fails cleanly or splits into frames that re-encode
// to exactly the input.
func FuzzSplitFrames(f *testing.F) {
	f.Add([]byte{'W', 'A', 6, 3, 0, 0, 2, 0xaa, 0xbb}, true)
	f.Add([]byte{0, 0, 1, 7, 0, 0, 0}, false)
	f.Fuzz(func(t *testing.T, msg []byte, first bool) {
		frames, err := emulator.SplitFrames(msg, first)
		if err != nil {
			return
		}
		var again []byte
		if first {
			again = append(again, socket.WAConnHeader...)
		}
		for _, fr := range frames {
			enc, err := emulator.EncodeFrame(fr)
			if err != nil {
				t.Fatalf("re-encoding a decoded frame: %v", err)
			}
			again = append(again, enc...)
		}
		if !bytes.Equal(again, msg) {
			t.Fatalf("frames of %x re-encode to %x", msg, again)
		}
	})
}

// FuzzDecodeNode: hostile binary XML never panics the emulator, in decoding or in re-encoding what
// it decoded.
func FuzzDecodeNode(f *testing.F) {
	seed, _ := emulator.EncodeNode(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{"id": "1", "type": "get", "xmlns": "w:p"}})
	f.Add(seed)
	f.Add([]byte{2, 0x78, 0x9c})
	f.Fuzz(func(t *testing.T, data []byte) {
		node, err := emulator.DecodeNode(data)
		if err != nil {
			return
		}
		_, _ = emulator.EncodeNode(*node)
	})
}
