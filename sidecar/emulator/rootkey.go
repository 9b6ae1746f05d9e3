package emulator

import (
	"encoding/hex"
	"fmt"
	"os"
	"strings"
	"time"

	"go.mau.fi/libsignal/ecc"
	"google.golang.org/protobuf/proto"

	"go.mau.fi/whatsmeow/proto/waCert"
	"go.mau.fi/whatsmeow/util/keys"
)

// defaultRootPrivateKey is a test-only root key. It is not a secret: a client trusts it only when the
// sidecar's emulator mode explicitly installs the matching public key as whatsmeow.WACertPubKey.
const defaultRootPrivateKey = "10874c0cde2b2ff4bf6a2a7f2c311321433d2a5cf1cecbe42e3c909484303741"

// RootKey is the key pair that signs the emulator's intermediate Noise certificate.
type RootKey struct {
	kp *keys.KeyPair
}

// DefaultRootKey returns the fixed test root key that ships with the emulator.
func DefaultRootKey() *RootKey {
	rk, err := ParseRootPrivateKey(defaultRootPrivateKey)
	if err != nil {
		panic(err)
	}
	return rk
}

// ParseRootPrivateKey parses a 64-character hex X25519 private key.
func ParseRootPrivateKey(s string) (*RootKey, error) {
	b, err := hex.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, fmt.Errorf("root key is not hex: %w", err)
	}
	if len(b) != 32 {
		return nil, fmt.Errorf("root key must be 32 bytes, got %d", len(b))
	}
	priv := clamp([32]byte(b))
	return &RootKey{kp: keys.NewKeyPairFromPrivateKey(priv)}, nil
}

// LoadRootKeyFile reads a file holding the hex private key (surrounding whitespace ignored).
func LoadRootKeyFile(path string) (*RootKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read root key file: %w", err)
	}
	return ParseRootPrivateKey(string(data))
}

// PublicKey is what clients must install as whatsmeow.WACertPubKey.
func (rk *RootKey) PublicKey() [32]byte { return *rk.kp.Pub }

// PublicKeyHex is the form printed at start-up and served by /emulator/health.
func (rk *RootKey) PublicKeyHex() string { return hex.EncodeToString(rk.kp.Pub[:]) }

func clamp(k [32]byte) [32]byte {
	k[0] &= 248
	k[31] &= 127
	k[31] |= 64
	return k
}

const (
	intermediateSerial = 7
	leafSerial         = 42
)

// issueCertChain builds the chain whatsmeow's verifyServerCert accepts: an intermediate signed by the root
// over its raw details (no prefix, issuer serial 0) and a leaf for the server's Noise static key.
func issueCertChain(root *RootKey, serverStatic [32]byte) ([]byte, error) {
	inter := keys.NewKeyPair()
	notBefore := uint64(time.Now().Add(-24 * time.Hour).Unix())
	notAfter := uint64(time.Now().Add(10 * 365 * 24 * time.Hour).Unix())
	interDetails, err := proto.Marshal(&waCert.CertChain_NoiseCertificate_Details{
		Serial:       proto.Uint32(intermediateSerial),
		IssuerSerial: proto.Uint32(0),
		Key:          inter.Pub[:],
		NotBefore:    proto.Uint64(notBefore),
		NotAfter:     proto.Uint64(notAfter),
	})
	if err != nil {
		return nil, err
	}
	leafDetails, err := proto.Marshal(&waCert.CertChain_NoiseCertificate_Details{
		Serial:       proto.Uint32(leafSerial),
		IssuerSerial: proto.Uint32(intermediateSerial),
		Key:          serverStatic[:],
		NotBefore:    proto.Uint64(notBefore),
		NotAfter:     proto.Uint64(notAfter),
	})
	if err != nil {
		return nil, err
	}
	interSig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*root.kp.Priv), interDetails)
	leafSig := ecc.CalculateSignature(ecc.NewDjbECPrivateKey(*inter.Priv), leafDetails)
	return proto.Marshal(&waCert.CertChain{
		Intermediate: &waCert.CertChain_NoiseCertificate{Details: interDetails, Signature: interSig[:]},
		Leaf:         &waCert.CertChain_NoiseCertificate{Details: leafDetails, Signature: leafSig[:]},
	})
}
