package check

import (
	"bytes"
	"crypto/ecdh"
	"encoding/hex"
	"fmt"
	"net"
	"path"
	"strings"
)

// ProductionChecks hold for the base only: production never talks to the emulator.
var ProductionChecks = []Check{
	{"base-not-emulator-mode", checkNotEmulatorMode},
	{"postgres-tls-verified", checkPostgresTLSVerified},
}

// EmulatorChecks hold for the emulator overlay: the sidecar really reaches the emulator and trusts its key.
var EmulatorChecks = []Check{
	{"emulator-mode-wired", checkEmulatorWired},
}

// flagValue returns the value following name (or name=value) in argv.
func flagValue(argv []string, name string) (string, bool) {
	for i, a := range argv {
		if v, ok := strings.CutPrefix(a, name+"="); ok {
			return v, true
		}
		if a == name && i+1 < len(argv) {
			return argv[i+1], true
		}
	}
	return "", false
}

func checkNotEmulatorMode(b *Bundle) []string {
	var problems []string
	_, _, sc, missing := appPod(b)
	if sc == nil {
		return missing
	}
	argv := append(append([]string{}, sc.Command...), sc.Args...)
	for _, flag := range []string{"--wa-emulator", "--wa-emulator-root-key"} {
		if _, ok := flagValue(argv, flag); ok {
			problems = append(problems, fmt.Sprintf("base sidecar is started with %s: production must reach real WhatsApp", flag))
		}
	}
	if b.Deployment(EmulatorDeployment) != nil {
		problems = append(problems, "base renders the wa-emulator Deployment; it belongs to the emulator overlay only")
	}
	return problems
}

// expand resolves $(VAR) in s through the container's env: literals and ConfigMap/Secret keys of the bundle.
func (b *Bundle) expand(c *Container, s string) (string, error) {
	var firstErr error
	out := varRef.ReplaceAllStringFunc(s, func(m string) string {
		if strings.HasPrefix(m, "$$") {
			return m[1:]
		}
		name := m[2 : len(m)-1]
		v, err := b.envResolved(c, name)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	})
	return out, firstErr
}

func (b *Bundle) envResolved(c *Container, name string) (string, error) {
	for _, e := range c.Env {
		if e.Name != name {
			continue
		}
		switch {
		case e.ValueFrom == nil:
			return e.Value, nil
		case e.ValueFrom.ConfigMapKeyRef != nil:
			ref := e.ValueFrom.ConfigMapKeyRef
			if cm := b.configMap(ref.Name); cm != nil {
				if v, ok := cm.Data[ref.Key]; ok {
					return v, nil
				}
			}
			return "", fmt.Errorf("env %s: ConfigMap %s key %s not rendered", name, ref.Name, ref.Key)
		case e.ValueFrom.SecretKeyRef != nil:
			ref := e.ValueFrom.SecretKeyRef
			if s := b.secret(ref.Name); s != nil {
				vals, err := s.Values()
				if err == nil {
					if v, ok := vals[ref.Key]; ok {
						return v, nil
					}
				}
			}
			return "", fmt.Errorf("env %s: Secret %s key %s not rendered", name, ref.Name, ref.Key)
		}
	}
	return "", fmt.Errorf("env %s is not defined in container %s", name, c.Name)
}

func checkEmulatorWired(b *Bundle) []string {
	_, _, sc, problems := appPod(b)
	if sc == nil {
		return problems
	}
	emu := b.Deployment(EmulatorDeployment)
	if emu == nil || len(emu.Spec.Template.Spec.Containers) == 0 {
		return append(problems, "no wa-emulator Deployment with a container rendered")
	}
	ec := emu.Spec.Template.Spec.Containers[0]
	argv := append(append([]string{}, sc.Command...), sc.Args...)

	rawAddr, ok := flagValue(argv, "--wa-emulator")
	if !ok {
		problems = append(problems, "sidecar is not started with --wa-emulator")
	} else if addr, err := b.expand(sc, rawAddr); err != nil {
		problems = append(problems, "--wa-emulator: "+err.Error())
	} else {
		problems = append(problems, b.emulatorServiceProblems(emu, ec, addr)...)
	}

	rawPub, ok := flagValue(argv, "--wa-emulator-root-key")
	if !ok {
		return append(problems, "sidecar is not started with --wa-emulator-root-key")
	}
	pubHex, err := b.expand(sc, rawPub)
	if err != nil {
		return append(problems, "--wa-emulator-root-key: "+err.Error())
	}
	priv, err := b.emulatorRootPrivateKey(emu, ec)
	if err != nil {
		return append(problems, err.Error())
	}
	return append(problems, rootKeyPairProblems(priv, pubHex)...)
}

// emulatorServiceProblems: the address the sidecar dials must be a Service port that reaches the emulator's
// WhatsApp listener.
func (b *Bundle) emulatorServiceProblems(emu *Deployment, ec *Container, addr string) []string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return []string{fmt.Sprintf("--wa-emulator %q is not host:port", addr)}
	}
	for _, s := range b.Services {
		if s.Metadata.Name != host || !selects(s.Spec.Selector, emu.Spec.Template.Metadata.Labels) {
			continue
		}
		for _, p := range s.Spec.Ports {
			if fmt.Sprint(p.Port) == port && (hasPort(ec, p.TargetPort) || p.TargetPort == "") {
				return nil
			}
		}
	}
	return []string{fmt.Sprintf("--wa-emulator %s: no Service %q port %s reaches the wa-emulator pod", addr, host, port)}
}

// emulatorRootPrivateKey follows the emulator's --root-key path to the mounted Secret key.
func (b *Bundle) emulatorRootPrivateKey(emu *Deployment, ec *Container) (string, error) {
	file, ok := flagValue(append(append([]string{}, ec.Command...), ec.Args...), "--root-key")
	if !ok {
		return "", fmt.Errorf("wa-emulator has no --root-key: its key pair cannot be checked against the sidecar's")
	}
	dir, key := path.Split(file)
	for _, m := range ec.VolumeMounts {
		if path.Clean(m.MountPath) != path.Clean(dir) {
			continue
		}
		for _, v := range emu.Spec.Template.Spec.Volumes {
			if v.Name != m.Name || v.Secret == nil {
				continue
			}
			s := b.secret(v.Secret.SecretName)
			if s == nil {
				return "", fmt.Errorf("wa-emulator root key Secret %q is not rendered", v.Secret.SecretName)
			}
			vals, err := s.Values()
			if err != nil {
				return "", err
			}
			if priv, ok := vals[key]; ok {
				return priv, nil
			}
			return "", fmt.Errorf("wa-emulator root key Secret %q has no key %q", v.Secret.SecretName, key)
		}
	}
	return "", fmt.Errorf("wa-emulator --root-key %s is not on a mounted Secret volume", file)
}

// rootKeyPairProblems: whatsmeow in the sidecar must trust exactly the key that signs the emulator's certificates.
func rootKeyPairProblems(privHex, pubHex string) []string {
	privBytes, err := hex.DecodeString(strings.TrimSpace(privHex))
	if err != nil || len(privBytes) != 32 {
		return []string{"wa-emulator root private key is not 64 hex characters"}
	}
	pubBytes, err := hex.DecodeString(strings.TrimSpace(pubHex))
	if err != nil || len(pubBytes) != 32 {
		return []string{"--wa-emulator-root-key is not 64 hex characters"}
	}
	priv, err := ecdh.X25519().NewPrivateKey(privBytes)
	if err != nil {
		return []string{"wa-emulator root private key: " + err.Error()}
	}
	if !bytes.Equal(priv.PublicKey().Bytes(), pubBytes) {
		return []string{"--wa-emulator-root-key is not the public half of the wa-emulator's root key"}
	}
	return nil
}
