package emulator

import (
	"crypto/cipher"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/hkdf"
	"google.golang.org/protobuf/proto"

	"go.mau.fi/whatsmeow/proto/waWa6"
	"go.mau.fi/whatsmeow/socket"
	"go.mau.fi/whatsmeow/util/gcmutil"
	"go.mau.fi/whatsmeow/util/keys"
)

// noiseState is the responder side of Noise_XX_25519_AESGCM_SHA256 as whatsmeow's initiator speaks it:
// the 32-byte pattern is the initial hash without hashing, the running hash is the AAD, and the IV is
// 8 zero bytes followed by a big-endian counter that restarts at every key mix.
type noiseState struct {
	hash    []byte
	salt    []byte
	key     cipher.AEAD
	counter uint32
}

func newNoiseState(header []byte) (*noiseState, error) {
	ns := &noiseState{hash: []byte(socket.NoiseStartPattern)}
	ns.salt = ns.hash
	var err error
	if ns.key, err = gcmutil.Prepare(ns.hash); err != nil {
		return nil, err
	}
	ns.authenticate(header)
	return ns, nil
}

func (ns *noiseState) authenticate(data []byte) {
	h := sha256.New()
	h.Write(ns.hash)
	h.Write(data)
	ns.hash = h.Sum(nil)
}

func nonce(counter uint32) []byte {
	iv := make([]byte, 12)
	binary.BigEndian.PutUint32(iv[8:], counter)
	return iv
}

func (ns *noiseState) encrypt(plaintext []byte) []byte {
	ct := ns.key.Seal(nil, nonce(ns.counter), plaintext, ns.hash)
	ns.counter++
	ns.authenticate(ct)
	return ct
}

func (ns *noiseState) decrypt(ciphertext []byte) ([]byte, error) {
	pt, err := ns.key.Open(nil, nonce(ns.counter), ciphertext, ns.hash)
	ns.counter++
	if err != nil {
		return nil, err
	}
	ns.authenticate(ciphertext)
	return pt, nil
}

func expand(salt, ikm []byte) (first, second []byte, err error) {
	r := hkdf.New(sha256.New, ikm, salt, nil)
	first, second = make([]byte, 32), make([]byte, 32)
	if _, err = io.ReadFull(r, first); err == nil {
		_, err = io.ReadFull(r, second)
	}
	return first, second, err
}

func (ns *noiseState) mix(priv, pub []byte) error {
	secret, err := curve25519.X25519(priv, pub)
	if err != nil {
		return fmt.Errorf("x25519: %w", err)
	}
	ns.counter = 0
	salt, key, err := expand(ns.salt, secret)
	if err != nil {
		return err
	}
	ns.salt = salt
	ns.key, err = gcmutil.Prepare(key)
	return err
}

// transport holds the post-handshake keys. The initiator writes with the first split key, so the
// responder reads with it and writes with the second; each direction counts on its own.
type transport struct {
	readKey, writeKey cipher.AEAD
	readCounter       uint32
	writeCounter      uint32
}

func (ns *noiseState) split() (*transport, error) {
	clientWrite, clientRead, err := expand(ns.salt, nil)
	if err != nil {
		return nil, err
	}
	t := &transport{}
	if t.readKey, err = gcmutil.Prepare(clientWrite); err != nil {
		return nil, err
	}
	if t.writeKey, err = gcmutil.Prepare(clientRead); err != nil {
		return nil, err
	}
	return t, nil
}

// seal must be called under the connection's write lock: the counter is part of the wire contract.
func (t *transport) seal(plaintext []byte) []byte {
	ct := t.writeKey.Seal(nil, nonce(t.writeCounter), plaintext, nil)
	t.writeCounter++
	return ct
}

func (t *transport) open(ciphertext []byte) ([]byte, error) {
	pt, err := t.readKey.Open(nil, nonce(t.readCounter), ciphertext, nil)
	t.readCounter++
	return pt, err
}

// handshakeResult is what the responder learns from a finished handshake.
type handshakeResult struct {
	clientStatic [32]byte
	payload      *waWa6.ClientPayload
	transport    *transport
}

var errHandshake = errors.New("noise handshake failed")

// responder runs the server half of the handshake. recv and send move whole frame payloads.
func responder(static *keys.KeyPair, certChain []byte, clientHello []byte,
	send func([]byte) error, recv func() ([]byte, error)) (*handshakeResult, error) {
	ns, err := newNoiseState(socket.WAConnHeader)
	if err != nil {
		return nil, err
	}
	var hello waWa6.HandshakeMessage
	if err := proto.Unmarshal(clientHello, &hello); err != nil {
		return nil, fmt.Errorf("%w: client hello: %v", errHandshake, err)
	}
	clientEph := hello.GetClientHello().GetEphemeral()
	if len(clientEph) != 32 {
		return nil, fmt.Errorf("%w: client ephemeral has %d bytes", errHandshake, len(clientEph))
	}
	ns.authenticate(clientEph)
	eph := keys.NewKeyPair()
	ns.authenticate(eph.Pub[:])
	if err := ns.mix(eph.Priv[:], clientEph); err != nil {
		return nil, err
	}
	staticCT := ns.encrypt(static.Pub[:])
	if err := ns.mix(static.Priv[:], clientEph); err != nil {
		return nil, err
	}
	certCT := ns.encrypt(certChain)
	out, err := proto.Marshal(&waWa6.HandshakeMessage{ServerHello: &waWa6.HandshakeMessage_ServerHello{
		Ephemeral: eph.Pub[:], Static: staticCT, Payload: certCT,
	}})
	if err != nil {
		return nil, err
	}
	if err := send(out); err != nil {
		return nil, err
	}
	in, err := recv()
	if err != nil {
		return nil, err
	}
	var finish waWa6.HandshakeMessage
	if err := proto.Unmarshal(in, &finish); err != nil {
		return nil, fmt.Errorf("%w: client finish: %v", errHandshake, err)
	}
	cf := finish.GetClientFinish()
	if cf == nil || cf.Static == nil || cf.Payload == nil {
		return nil, fmt.Errorf("%w: client finish incomplete", errHandshake)
	}
	clientStatic, err := ns.decrypt(cf.Static)
	if err != nil || len(clientStatic) != 32 {
		return nil, fmt.Errorf("%w: client static undecryptable", errHandshake)
	}
	if err := ns.mix(eph.Priv[:], clientStatic); err != nil {
		return nil, err
	}
	payloadBytes, err := ns.decrypt(cf.Payload)
	if err != nil {
		return nil, fmt.Errorf("%w: client payload undecryptable", errHandshake)
	}
	var payload waWa6.ClientPayload
	if err := proto.Unmarshal(payloadBytes, &payload); err != nil {
		return nil, fmt.Errorf("%w: client payload: %v", errHandshake, err)
	}
	t, err := ns.split()
	if err != nil {
		return nil, err
	}
	return &handshakeResult{clientStatic: [32]byte(clientStatic), payload: &payload, transport: t}, nil
}
