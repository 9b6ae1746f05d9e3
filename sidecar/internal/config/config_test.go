package config

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"
)

const key = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad(t *testing.T) {
	cases := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
		check   func(t *testing.T, c Config)
	}{
		{"defaults", []string{"--db", "postgres://x"}, nil, "", func(t *testing.T, c Config) {
			if c.ListenNetwork != "tcp" || c.ListenAddress != "127.0.0.1:9001" || c.Emulator != nil ||
				c.KeepAliveMin != 20*time.Second || c.KeepAliveMax != 30*time.Second || c.ReconnectMaxBackoff != time.Minute {
				t.Fatalf("%+v", c)
			}
		}},
		{"env fallbacks", nil, map[string]string{EnvDB: "postgres://env", EnvListen: "unix:///tmp/s.sock",
			EnvKeepAliveMin: "1s", EnvKeepAliveMax: "2s", EnvEmulator: "127.0.0.1:1", EnvEmulatorRootKey: key}, "",
			func(t *testing.T, c Config) {
				if c.DB != "postgres://env" || c.ListenNetwork != "unix" || c.ListenAddress != "/tmp/s.sock" ||
					c.KeepAliveMin != time.Second || c.Emulator == nil || c.Emulator.Addr != "127.0.0.1:1" || c.Emulator.RootPublicKey[0] != 0x01 {
					t.Fatalf("%+v", c)
				}
			}},
		{"flag beats env", []string{"--db", "postgres://flag", "--listen", "127.0.0.1:0"},
			map[string]string{EnvDB: "postgres://env", EnvListen: "127.0.0.1:5"}, "", func(t *testing.T, c Config) {
				if c.DB != "postgres://flag" || c.ListenAddress != "127.0.0.1:0" {
					t.Fatalf("%+v", c)
				}
			}},
		{"emulator media", []string{"--db", "x", "--wa-emulator", "127.0.0.1:1", "--wa-emulator-root-key", key,
			"--wa-emulator-media", "127.0.0.1:2"}, nil, "", func(t *testing.T, c Config) {
			if c.Emulator == nil || c.Emulator.MediaAddr != "127.0.0.1:2" {
				t.Fatalf("%+v", c.Emulator)
			}
		}},
		{"media without emulator", []string{"--db", "x", "--wa-emulator-media", "127.0.0.1:2"}, nil, "needs --wa-emulator", nil},
		{"media addr without port", []string{"--db", "x", "--wa-emulator", "127.0.0.1:1", "--wa-emulator-root-key", key,
			"--wa-emulator-media", "media"}, nil, "wa-emulator-media", nil},
		{"db required", nil, nil, "--db", nil},
		{"emulator without key", []string{"--db", "x", "--wa-emulator", "127.0.0.1:1"}, nil, "together", nil},
		{"key without emulator", []string{"--db", "x", "--wa-emulator-root-key", key}, nil, "together", nil},
		{"short key", []string{"--db", "x", "--wa-emulator", "127.0.0.1:1", "--wa-emulator-root-key", "abcd"}, nil, "root-key", nil},
		{"emulator addr without port", []string{"--db", "x", "--wa-emulator", "localhost", "--wa-emulator-root-key", key}, nil, "wa-emulator", nil},
		{"keepalive max equal min", []string{"--db", "x", "--keepalive-min", "2s", "--keepalive-max", "2s"}, nil, "keepalive", nil},
		{"bad env duration", []string{"--db", "x"}, map[string]string{EnvKeepAliveMax: "soon"}, EnvKeepAliveMax, nil},
		{"zero backoff", []string{"--db", "x", "--reconnect-max-backoff", "0s"}, nil, "backoff", nil},
		{"bad log level", []string{"--db", "x", "--log-level", "loud"}, nil, "log-level", nil},
		{"bad listen", []string{"--db", "x", "--listen", "9001"}, nil, "listen", nil},
		{"empty unix path", []string{"--db", "x", "--listen", "unix://"}, nil, "socket path", nil},
		{"stray argument", []string{"--db", "x", "extra"}, nil, "unexpected", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cfg, err := Load(c.args, env(c.env), io.Discard)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			c.check(t, cfg)
		})
	}
}

func TestHelp(t *testing.T) {
	var out strings.Builder
	_, err := Load([]string{"--help"}, env(nil), &out)
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out.String(), EnvReconnectMaxBackoff) {
		t.Fatalf("err %v, usage %q", err, out.String())
	}
}
