// Package app wires the sidecar process together: config, store, session manager, gRPC server, shutdown.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"google.golang.org/grpc"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/keepalive"

	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
	"github.com/wagate/wagate/sidecar/internal/config"
	"github.com/wagate/wagate/sidecar/internal/dial"
	"github.com/wagate/wagate/sidecar/internal/events"
	"github.com/wagate/wagate/sidecar/internal/server"
	"github.com/wagate/wagate/sidecar/internal/session"
	"github.com/wagate/wagate/sidecar/internal/store"
)

// gracefulStopTimeout is how long in-flight RPCs get on shutdown before the server is stopped hard.
const gracefulStopTimeout = 10 * time.Second

// maxRecvMsgBytes lets a SendMedia of the gateway's default media cap through, with room for the other fields.
const maxRecvMsgBytes = 65 << 20

// Run runs the sidecar until SIGTERM/SIGINT and returns the process exit code. Fatal start-up errors are
// written to stderr as one line.
func Run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := config.Load(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fatal(stderr, err)
		return 1
	}
	log := zerolog.New(stderr).Level(cfg.LogLevel).With().Timestamp().Str("service", "wagate-sidecar").Logger()

	// whatsmeow's keep-alive timing and certificate root are process globals: set them once, here.
	whatsmeow.KeepAliveIntervalMin = cfg.KeepAliveMin
	whatsmeow.KeepAliveIntervalMax = cfg.KeepAliveMax
	if cfg.Emulator != nil {
		dial.Enable(*cfg.Emulator, log)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()

	container, db, err := store.Open(ctx, cfg.DB, log)
	if err != nil {
		fatal(stderr, err)
		return 1
	}
	defer func() { _ = db.Close() }()

	lis, err := listen(cfg.ListenNetwork, cfg.ListenAddress)
	if err != nil {
		fatal(stderr, fmt.Errorf("failed to listen on %s: %w", cfg.ListenAddress, err))
		return 1
	}

	hub := events.NewHub(events.DefaultRingSize, events.DefaultSubscriberBuffer)
	srv := server.New(hub, log)
	healthSrv := health.NewServer()
	grpcServer := grpc.NewServer(
		// SendMedia carries the whole file (the gateway caps it at wagate.media.max-bytes, 64 MiB by default)
		grpc.MaxRecvMsgSize(maxRecvMsgBytes),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{
			// The gateway pings idle connections so it notices a dead sidecar; allow that down to every 10 s.
			MinTime: 10 * time.Second,
			// StreamEvents may be the only traffic and sits idle between events; pings without an active RPC
			// are legitimate, too, while the gateway re-subscribes.
			PermitWithoutStream: true,
		}),
		grpc.KeepaliveParams(keepalive.ServerParameters{
			// Never close a connection for being idle: the gateway holds one connection for the process lifetime.
			MaxConnectionIdle: 0,
			// Ping the gateway after 30 s without traffic so half-open connections (e.g. a killed pod) are found.
			Time: 30 * time.Second,
			// Consider the connection dead when that ping is not answered within 10 s.
			Timeout: 10 * time.Second,
		}),
	)
	sidecarv1.RegisterSidecarServiceServer(grpcServer, srv)
	healthpb.RegisterHealthServer(grpcServer, healthSrv)
	// NOT_SERVING until the whatsmeow tables (and the inbox) are migrated: the gateway must not restore sessions before that.
	healthSrv.SetServingStatus("", healthpb.HealthCheckResponse_NOT_SERVING)
	healthSrv.SetServingStatus(sidecarv1.SidecarService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_NOT_SERVING)

	serveErr := make(chan error, 1)
	go func() { serveErr <- grpcServer.Serve(lis) }()
	addr := lis.Addr().String()
	if cfg.ListenNetwork == "unix" {
		addr = "unix://" + addr
	}
	_, _ = fmt.Fprintf(stdout, "wagate-sidecar listening addr=%s boot_id=%s\n", addr, hub.BootID())
	log.Info().Str("addr", addr).Str("boot_id", hub.BootID()).Bool("emulator", cfg.Emulator != nil).Msg("Listening")

	inbox := store.NewInbox(db)
	upgrade := func(ctx context.Context) error { return store.Upgrade(ctx, container) }
	if err := store.Migrate(ctx, db, upgrade, inbox.Ensure); err != nil {
		grpcServer.Stop()
		fatal(stderr, err)
		return 1
	}
	manager := session.NewManager(container, hub, log, session.Options{
		Emulator:            cfg.Emulator,
		ReconnectMaxBackoff: cfg.ReconnectMaxBackoff,
		Inbox:               inbox,
	})
	srv.SetManager(manager)
	healthSrv.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
	healthSrv.SetServingStatus(sidecarv1.SidecarService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
	log.Info().Msg("Session store ready")

	code := 0
	select {
	case <-ctx.Done():
		log.Info().Msg("Shutting down")
	case err := <-serveErr:
		log.Error().Err(err).Msg("gRPC server stopped")
		code = 1
	}
	healthSrv.Shutdown()
	// Disconnect every client but keep every saved session: the next process restores them through Connect.
	manager.Close()
	srv.Shutdown()
	timer := time.AfterFunc(gracefulStopTimeout, grpcServer.Stop)
	grpcServer.GracefulStop()
	timer.Stop()
	return code
}

// listen opens the gRPC listener (a unix socket is made owner-only). A unix socket file left behind by a killed process is removed first, but only
// when nothing answers on it, so a second sidecar cannot steal a live one's socket.
func listen(network, address string) (net.Listener, error) {
	if network == "unix" {
		if fi, err := os.Stat(address); err == nil && fi.Mode()&os.ModeSocket != 0 {
			if c, err := net.DialTimeout("unix", address, time.Second); err == nil {
				_ = c.Close()
			} else {
				_ = os.Remove(address)
			}
		}
	}
	l, err := net.Listen(network, address)
	if err != nil || network != "unix" {
		return l, err
	}
	// gRPC here has no authentication of its own: only the owner may connect (the directory should be private too,
	// which closes the moment between creation and chmod).
	if err := os.Chmod(address, 0o600); err != nil {
		_ = l.Close()
		return nil, err
	}
	return l, nil
}

func fatal(w io.Writer, err error) {
	_, _ = fmt.Fprintln(w, "wagate-sidecar: "+err.Error())
}

// Main is the whole of cmd/wagate-sidecar.
func Main() {
	os.Exit(Run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
