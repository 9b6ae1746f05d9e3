// Command wa-emulator serves a test WhatsApp endpoint and its control API on loopback.
// Flags and control API: the emulator page in docs/ at the repository root.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	_ "github.com/lib/pq"
	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow/store/sqlstore"

	"github.com/wagate/wagate/sidecar/emulator"
	"github.com/wagate/wagate/sidecar/emulator/contact"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run serves until ctx ends and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("wa-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:0", "WhatsApp websocket endpoint address")
	control := fs.String("control", "127.0.0.1:0", "control API address")
	stateFile := fs.String("state-file", "", "JSON file that keeps linked devices across restarts (optional)")
	rootKey := fs.String("root-key", "", "file holding the root private key as 64 hex chars (default: the built-in test key)")
	qrRefs := fs.Int("qr-refs", 6, "QR refs (codes) per pair-device")
	contactsDB := fs.String("contacts-db", "", "PostgreSQL URL for the whatsmeow state of virtual contacts (optional; without it /contacts answers 409; "+
		"env WA_EMULATOR_CONTACTS_DB, which keeps the password off the command line)")
	media := fs.String("media", "", "plain-HTTP media server address for encrypted media upload and download (optional)")
	logLevel := fs.String("log-level", "info", "zerolog level")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	level, err := zerolog.ParseLevel(*logLevel)
	if err != nil {
		fmt.Fprintln(stderr, "bad --log-level:", err)
		return 2
	}
	log := zerolog.New(stderr).Level(level).With().Timestamp().Str("component", "wa-emulator").Logger()

	cfg := emulator.Config{StateFile: *stateFile, QRRefs: *qrRefs, Log: log, MediaListen: *media}
	if *rootKey != "" {
		if cfg.RootKey, err = emulator.LoadRootKeyFile(*rootKey); err != nil {
			log.Error().Err(err).Msg("cannot load root key")
			return 1
		}
	}
	srv, err := emulator.New(cfg)
	if err != nil {
		log.Error().Err(err).Msg("cannot create emulator")
		return 1
	}
	if *contactsDB == "" {
		*contactsDB = os.Getenv("WA_EMULATOR_CONTACTS_DB")
	}
	var contacts *contact.Manager
	if *contactsDB != "" {
		store, err := sqlstore.New(ctx, "postgres", *contactsDB, nil)
		if err != nil {
			log.Error().Err(err).Msg("cannot open the contacts database")
			return 1
		}
		defer store.Close()
		// The contacts are whatsmeow clients in this process: they must trust this emulator's root key.
		emulator.EnableDial(emulator.DialTarget{Addr: *listen, RootPublicKey: srv.RootPublicKey()}, log)
		contacts = contact.NewManager(srv, store, log)
		contacts.Register(srv)
	} else {
		contact.Unavailable(srv, "virtual contacts need the emulator's --contacts-db flag")
	}
	if err := srv.Start(*listen, *control); err != nil {
		log.Error().Err(err).Msg("cannot listen")
		return 1
	}
	if contacts != nil {
		if err := contacts.Restore(ctx); err != nil {
			log.Warn().Err(err).Msg("could not restore every virtual contact")
		}
	}
	// Scripts and tests parse this exact line; the media address comes last, and only with --media.
	mediaPart := ""
	if addr := srv.MediaAddr(); addr != "" {
		mediaPart = " media=" + addr
	}
	fmt.Fprintf(stdout, "wa-emulator listening ws=%s control=%s rootPublicKey=%s%s\n", srv.WSAddr(), srv.ControlAddr(), srv.RootPublicKeyHex(), mediaPart)

	<-ctx.Done()
	log.Info().Msg("stopping")
	if contacts != nil {
		contacts.Close()
	}
	if err := srv.Close(); err != nil {
		log.Warn().Err(err).Msg("unclean stop")
	}
	return 0
}
