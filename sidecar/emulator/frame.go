package emulator

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"io"

	"go.mau.fi/whatsmeow/socket"

	waBinary "go.mau.fi/whatsmeow/binary"
)

// MaxFrameSize is the largest frame the 3-byte length can express; also the websocket read limit,
// because the first prekey upload after pairing is far above coder/websocket's 32 KiB default.
const MaxFrameSize = socket.FrameMaxSize

var (
	errBadHeader    = errors.New("connection header missing or wrong")
	errPartialFrame = errors.New("websocket message does not hold whole frames")
)

// SplitFrames decodes one websocket message into frame payloads. The first message of a connection
// carries the "WA" 6 3 header, which is checked and stripped when first is set. whatsmeow sends one
// frame per message, but several whole frames are accepted too; a partial frame is an error.
func SplitFrames(msg []byte, first bool) ([][]byte, error) {
	if first {
		if !bytes.HasPrefix(msg, socket.WAConnHeader) {
			return nil, errBadHeader
		}
		msg = msg[len(socket.WAConnHeader):]
	}
	var frames [][]byte
	for len(msg) > 0 {
		if len(msg) < socket.FrameLengthSize {
			return nil, errPartialFrame
		}
		n := int(msg[0])<<16 | int(msg[1])<<8 | int(msg[2])
		msg = msg[socket.FrameLengthSize:]
		if n > len(msg) {
			return nil, errPartialFrame
		}
		frames = append(frames, msg[:n])
		msg = msg[n:]
	}
	if len(frames) == 0 {
		return nil, errPartialFrame
	}
	return frames, nil
}

// EncodeFrame prefixes a payload with its 3-byte big-endian length. The server never sends the header.
func EncodeFrame(payload []byte) ([]byte, error) {
	if len(payload) >= MaxFrameSize {
		return nil, fmt.Errorf("frame of %d bytes is too large", len(payload))
	}
	out := make([]byte, socket.FrameLengthSize+len(payload))
	out[0], out[1], out[2] = byte(len(payload)>>16), byte(len(payload)>>8), byte(len(payload))
	copy(out[3:], payload)
	return out, nil
}

// DecodeNode turns a decrypted frame (flag byte + binary XML, zlib-compressed when flag bit 2 is set)
// into a node. whatsmeow's decoder is not hardened against hostile input, so panics become errors here.
func DecodeNode(plaintext []byte) (node *waBinary.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			node, err = nil, fmt.Errorf("undecodable node: %v", r)
		}
	}()
	if len(plaintext) == 0 {
		return nil, errors.New("empty node frame")
	}
	flags, data := plaintext[0], plaintext[1:]
	if flags&2 != 0 {
		// Compressed: inflate with a cap, so a small hostile frame cannot expand into gigabytes.
		zr, err := zlib.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("bad zlib frame: %w", err)
		}
		data, err = io.ReadAll(io.LimitReader(zr, MaxFrameSize+1))
		if err != nil {
			return nil, fmt.Errorf("bad zlib frame: %w", err)
		}
		if len(data) > MaxFrameSize {
			return nil, errors.New("compressed frame inflates beyond the frame size limit")
		}
	}
	return waBinary.Unmarshal(data)
}

// EncodeNode marshals a node (with the leading "uncompressed" flag byte that Marshal already adds).
func EncodeNode(node waBinary.Node) (data []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			data, err = nil, fmt.Errorf("unencodable node: %v", r)
		}
	}()
	return waBinary.Marshal(node)
}
