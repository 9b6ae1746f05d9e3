// Command wa-emulator serves a test WhatsApp endpoint and its control API on loopback.
// See shared/spec/EMULATOR.md.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rs/zerolog"

	"github.com/wagate/wagate/sidecar/emulator"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "WhatsApp websocket endpoint address")
	control := flag.String("control", "127.0.0.1:0", "control API address")
	stateFile := flag.String("state-file", "", "JSON file that keeps linked devices across restarts (optional)")
	rootKey := flag.String("root-key", "", "file with the hex root private key (default: the built-in test key)")
	qrRefs := flag.Int("qr-refs", 6, "QR refs (codes) per pair-device")
	logLevel := flag.String("log-level", "info", "zerolog level")
	flag.Parse()

	level, err := zerolog.ParseLevel(*logLevel)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad --log-level:", err)
		os.Exit(2)
	}
	log := zerolog.New(os.Stderr).Level(level).With().Timestamp().Str("component", "wa-emulator").Logger()

	cfg := emulator.Config{StateFile: *stateFile, QRRefs: *qrRefs, Log: log}
	if *rootKey != "" {
		if cfg.RootKey, err = emulator.LoadRootKeyFile(*rootKey); err != nil {
			log.Fatal().Err(err).Msg("cannot load root key")
		}
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		log.Fatal().Err(err).Msg("cannot create emulator")
	}
	if err := srv.Start(*listen, *control); err != nil {
		log.Fatal().Err(err).Msg("cannot listen")
	}
	// Scripts and tests parse this exact line.
	fmt.Printf("wa-emulator listening ws=%s control=%s rootPublicKey=%s\n", srv.WSAddr(), srv.ControlAddr(), srv.RootPublicKeyHex())

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	got := <-sig
	log.Info().Str("signal", got.String()).Msg("stopping")
	if err := srv.Close(); err != nil {
		log.Warn().Err(err).Msg("unclean stop")
	}
}
