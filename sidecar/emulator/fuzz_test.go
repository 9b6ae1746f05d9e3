package emulator_test

import (
	"bytes"
	"compress/zlib"
	"errors"
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

func TestDecodeNodeCompressed(t *testing.T) {
	plain, _ := emulator.EncodeNode(waBinary.Node{Tag: "iq", Attrs: waBinary.Attrs{"id": "z1", "type": "get", "xmlns": "w:p"}})
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	_, _ = zw.Write(plain[1:])
	_ = zw.Close()
	node, err := emulator.DecodeNode(append([]byte{2}, buf.Bytes()...))
	if err != nil || node.Tag != "iq" || node.Attrs["id"] != "z1" {
		t.Fatalf("compressed ping decoded to %v, %v", node, err)
	}
	// 17 MiB of zeros compress to a few KiB; inflating them must stop at the frame limit.
	buf.Reset()
	zw = zlib.NewWriter(&buf)
	_, _ = zw.Write(make([]byte, emulator.MaxFrameSize+1<<20))
	_ = zw.Close()
	if _, err := emulator.DecodeNode(append([]byte{2}, buf.Bytes()...)); err == nil {
		t.Fatal("a zlib bomb decoded without error")
	}
}

// FuzzScan: whatever QR string and phone the control API is given, the virtual phone answers with a
// 400 or 404 error (no client is waiting here) and never panics.
func FuzzScan(f *testing.F) {
	srv, err := emulator.New(emulator.Config{QRRefs: 1})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { _ = srv.Close() })
	key := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="
	f.Add("https://wa.me/settings/linked_devices#2@ref,"+key+","+key+","+key+",9", "5511999990001")
	f.Add("ref,x,y,z", "0123")
	f.Add(",,,,,,", "")
	f.Fuzz(func(t *testing.T, qr, phone string) {
		_, err := srv.Scan(qr, phone)
		var ae *emulator.APIError
		if !errors.As(err, &ae) || (ae.Status != 400 && ae.Status != 404) {
			t.Fatalf("Scan(%q, %q) = %v, want a 400 or 404 APIError", qr, phone, err)
		}
	})
}
