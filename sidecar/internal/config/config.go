// Package config turns flags and environment variables into a validated Config for the sidecar.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/wagate/wagate/sidecar/internal/dial"
)

// Environment variables read when the matching flag is not given on the command line.
const (
	EnvListen              = "WAGATE_SIDECAR_LISTEN"
	EnvDB                  = "WAGATE_SIDECAR_DB"
	EnvLogLevel            = "WAGATE_SIDECAR_LOG_LEVEL"
	EnvEmulator            = "WAGATE_SIDECAR_WA_EMULATOR"
	EnvEmulatorRootKey     = "WAGATE_SIDECAR_WA_EMULATOR_ROOT_KEY"
	EnvEmulatorMedia       = "WAGATE_SIDECAR_WA_EMULATOR_MEDIA"
	EnvKeepAliveMin        = "WAGATE_SIDECAR_KEEPALIVE_MIN"
	EnvKeepAliveMax        = "WAGATE_SIDECAR_KEEPALIVE_MAX"
	EnvReconnectMaxBackoff = "WAGATE_SIDECAR_RECONNECT_MAX_BACKOFF"
)

// Config is the sidecar's whole configuration, already validated.
type Config struct {
	// ListenNetwork is "tcp" or "unix"; ListenAddress is host:port or a socket path.
	ListenNetwork string
	ListenAddress string
	DB            string
	LogLevel      zerolog.Level
	// Emulator is non-nil only when both emulator flags were given.
	Emulator            *dial.Target
	KeepAliveMin        time.Duration
	KeepAliveMax        time.Duration
	ReconnectMaxBackoff time.Duration
}

// Load parses args (without the program name), falling back to getenv for every flag not given.
// It returns flag.ErrHelp when --help was asked for; usage has then been written to out.
func Load(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	fs := flag.NewFlagSet("wagate-sidecar", flag.ContinueOnError)
	fs.SetOutput(out)
	listen := fs.String("listen", "127.0.0.1:9001",
		"gRPC listen address: 127.0.0.1:<port> (0 picks a free port) or unix:///path/to.sock (env "+EnvListen+")")
	db := fs.String("db", "",
		"PostgreSQL DSN for the whatsmeow session store, e.g. postgres://user:pass@127.0.0.1:5432/db?sslmode=disable (env "+EnvDB+", required)")
	logLevel := fs.String("log-level", "info", "trace, debug, info, warn or error (env "+EnvLogLevel+")")
	emu := fs.String("wa-emulator", "",
		"TEST ONLY: host:port of a wa-emulator to use instead of WhatsApp; needs --wa-emulator-root-key (env "+EnvEmulator+")")
	emuKey := fs.String("wa-emulator-root-key", "",
		"TEST ONLY: the emulator's root public key, 64 hex characters (env "+EnvEmulatorRootKey+")")
	emuMedia := fs.String("wa-emulator-media", "",
		"TEST ONLY: host:port of the emulator's media server (its --media); needs --wa-emulator (env "+EnvEmulatorMedia+")")
	kaMin := fs.Duration("keepalive-min", 20*time.Second, "minimum interval between WhatsApp keep-alive pings (env "+EnvKeepAliveMin+")")
	kaMax := fs.Duration("keepalive-max", 30*time.Second, "maximum interval between WhatsApp keep-alive pings, > min (env "+EnvKeepAliveMax+")")
	maxBackoff := fs.Duration("reconnect-max-backoff", 60*time.Second,
		"cap of the exponential backoff between automatic reconnect attempts (env "+EnvReconnectMaxBackoff+")")
	fs.Usage = func() {
		_, _ = fmt.Fprintln(fs.Output(), "Usage: wagate-sidecar [flags]\n\n"+
			"gRPC service (wagate.sidecar.v1.SidecarService) holding many whatsmeow WhatsApp sessions.\n"+
			"Every flag falls back to the environment variable named in its description.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	env := func(name, envName string, v *string) {
		if !given[name] {
			if e := getenv(envName); e != "" {
				*v = e
			}
		}
	}
	env("listen", EnvListen, listen)
	env("db", EnvDB, db)
	env("log-level", EnvLogLevel, logLevel)
	env("wa-emulator", EnvEmulator, emu)
	env("wa-emulator-root-key", EnvEmulatorRootKey, emuKey)
	env("wa-emulator-media", EnvEmulatorMedia, emuMedia)
	for _, d := range []struct {
		name, env string
		v         *time.Duration
	}{{"keepalive-min", EnvKeepAliveMin, kaMin}, {"keepalive-max", EnvKeepAliveMax, kaMax},
		{"reconnect-max-backoff", EnvReconnectMaxBackoff, maxBackoff}} {
		if given[d.name] {
			continue
		}
		if e := getenv(d.env); e != "" {
			parsed, err := time.ParseDuration(e)
			if err != nil {
				return Config{}, fmt.Errorf("%s: %w", d.env, err)
			}
			*d.v = parsed
		}
	}

	cfg := Config{DB: *db, KeepAliveMin: *kaMin, KeepAliveMax: *kaMax, ReconnectMaxBackoff: *maxBackoff}
	var err error
	if cfg.ListenNetwork, cfg.ListenAddress, err = ParseListen(*listen); err != nil {
		return Config{}, err
	}
	if cfg.LogLevel, err = zerolog.ParseLevel(strings.ToLower(*logLevel)); err != nil || *logLevel == "" {
		return Config{}, fmt.Errorf("invalid --log-level %q", *logLevel)
	}
	if cfg.DB == "" {
		return Config{}, errors.New("--db (or " + EnvDB + ") is required")
	}
	if (*emu == "") != (*emuKey == "") {
		return Config{}, errors.New("--wa-emulator and --wa-emulator-root-key must be given together")
	}
	if *emu != "" {
		if _, _, err := net.SplitHostPort(*emu); err != nil {
			return Config{}, fmt.Errorf("invalid --wa-emulator %q: %w", *emu, err)
		}
		key, err := dial.ParseRootKey(*emuKey)
		if err != nil {
			return Config{}, fmt.Errorf("invalid --wa-emulator-root-key: %w", err)
		}
		cfg.Emulator = &dial.Target{Addr: *emu, RootPublicKey: key}
		if *emuMedia != "" {
			if _, _, err := net.SplitHostPort(*emuMedia); err != nil {
				return Config{}, fmt.Errorf("invalid --wa-emulator-media %q: %w", *emuMedia, err)
			}
			cfg.Emulator.MediaAddr = *emuMedia
		}
	} else if *emuMedia != "" {
		return Config{}, errors.New("--wa-emulator-media needs --wa-emulator")
	}
	if cfg.KeepAliveMin <= 0 || cfg.KeepAliveMax <= cfg.KeepAliveMin {
		// whatsmeow draws the interval with rand.Int64N(max-min), which panics unless max > min.
		return Config{}, fmt.Errorf("--keepalive-max (%s) must be greater than --keepalive-min (%s) > 0", cfg.KeepAliveMax, cfg.KeepAliveMin)
	}
	if cfg.ReconnectMaxBackoff <= 0 {
		return Config{}, fmt.Errorf("--reconnect-max-backoff must be positive, got %s", cfg.ReconnectMaxBackoff)
	}
	return cfg, nil
}

// ParseListen splits "unix:///path" into ("unix", "/path") and validates "host:port" for TCP.
func ParseListen(s string) (network, address string, err error) {
	if rest, ok := strings.CutPrefix(s, "unix://"); ok {
		if rest == "" {
			return "", "", fmt.Errorf("invalid --listen %q: empty socket path", s)
		}
		return "unix", rest, nil
	}
	host, port, err := net.SplitHostPort(s)
	if err != nil {
		return "", "", fmt.Errorf("invalid --listen %q: %w", s, err)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		return "", "", fmt.Errorf("invalid --listen %q: bad port", s)
	}
	if host == "" {
		return "", "", fmt.Errorf("invalid --listen %q: empty host (use 127.0.0.1)", s)
	}
	return "tcp", s, nil
}
