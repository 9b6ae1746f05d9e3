// Command sidecar-restore measures how N saved sessions come back after a sidecar restart: through the real
// wagate-sidecar binary (one Connect per instance over gRPC, as the gateway's reconciler does) against raw
// whatsmeow logins of the same N devices in one process. Both run against the same wa-emulator child process.
// See README.md.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	_ "github.com/lib/pq"
	"github.com/rs/zerolog"
	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waAdv"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"

	"github.com/wagate/wagate/sidecar/emulator"
	sidecarv1 "github.com/wagate/wagate/sidecar/gen/wagate/sidecar/v1"
)

// emulatorChildEnv makes this binary serve the emulator instead of running the benchmark.
const emulatorChildEnv = "BENCH_RESTORE_EMULATOR_STATE"

func main() {
	if state := os.Getenv(emulatorChildEnv); state != "" {
		serveEmulator(state)
		return
	}
	n := flag.Int("n", 1000, "saved sessions to restore")
	parallel := flag.Int("parallel", 32, "concurrent Connect calls (the gateway's restore concurrency)")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up on a phase after this long")
	flag.Parse()
	if err := run(*n, *parallel, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "sidecar-restore:", err)
		os.Exit(1)
	}
}

func serveEmulator(state string) {
	srv, err := emulator.New(emulator.Config{StateFile: state, Log: zerolog.Nop()})
	if err == nil {
		err = srv.Start("127.0.0.1:0", "127.0.0.1:0")
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("ws=%s rootPublicKey=%s\n", srv.WSAddr(), srv.RootPublicKeyHex())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	_ = srv.Close()
}

func dsnFor(db string) (string, error) {
	if os.Getenv("PG_PORT") == "" {
		return "", errors.New("PG_PORT is not set: PG_HOST, PG_PORT, PG_USER, PG_PASSWORD, PG_DB name the PostgreSQL to use")
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(os.Getenv("PG_USER"), os.Getenv("PG_PASSWORD")),
		Host: os.Getenv("PG_HOST") + ":" + os.Getenv("PG_PORT"), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String(), nil
}

func random(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// seedDevices saves n linked devices without pairing and returns what the emulator must know about them. Login
// does not verify the ADV account signatures, so those are random bytes.
func seedDevices(ctx context.Context, c *sqlstore.Container, n int) ([]types.JID, []emulator.Device, error) {
	jids := make([]types.JID, 0, n)
	emu := make([]emulator.Device, 0, n)
	for i := range n {
		phone := strconv.Itoa(5511800000000 + i)
		jid := types.NewADJID(phone, 0, 1)
		dev := c.NewDevice()
		dev.ID = &jid
		dev.Account = &waAdv.ADVSignedDeviceIdentity{Details: random(40), AccountSignatureKey: random(32),
			AccountSignature: random(64), DeviceSignature: random(64)}
		if err := dev.Save(ctx); err != nil {
			return nil, nil, fmt.Errorf("failed to save device %d: %w", i, err)
		}
		// With enough uploaded prekeys the client skips the prekey upload, so the login is what is timed.
		keys, err := dev.PreKeys.GetOrGenPreKeys(ctx, uint32(whatsmeow.MinPreKeyCount))
		if err != nil {
			return nil, nil, err
		}
		if err := dev.PreKeys.MarkPreKeysAsUploaded(ctx, keys[len(keys)-1].KeyID); err != nil {
			return nil, nil, err
		}
		jids = append(jids, jid)
		emu = append(emu, emulator.Device{JID: jid.String(), Phone: phone, DeviceID: 1, NoiseKey: *dev.NoiseKey.Pub,
			IdentityKey: *dev.IdentityKey.Pub, RegistrationID: dev.RegistrationID, PreKeys: 812})
	}
	return jids, emu, nil
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(pid int) int64 {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmRSS:" {
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	return -1
}

// child starts cmd and returns the first stdout line matching re.
func child(cmd *exec.Cmd, re *regexp.Regexp) ([]string, error) {
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return nil, fmt.Errorf("%s did not start: %w", cmd.Path, err)
	}
	m := re.FindStringSubmatch(line)
	if m == nil {
		return nil, fmt.Errorf("%s printed %q", cmd.Path, line)
	}
	return m, nil
}

func stop(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	_ = cmd.Wait()
}

type result struct {
	elapsed  time.Duration
	rssDelta int64 // KiB
}

// rawLogins connects n whatsmeow clients in this process and waits for every Connected.
func rawLogins(ctx context.Context, c *sqlstore.Container, jids []types.JID, target emulator.DialTarget, timeout time.Duration) (result, error) {
	runtime.GC()
	before := rssKiB(os.Getpid())
	clients := make([]*whatsmeow.Client, 0, len(jids))
	var connected atomic.Int64
	done := make(chan struct{})
	for _, jid := range jids {
		dev, err := c.GetDevice(ctx, jid)
		if err != nil || dev == nil {
			return result{}, fmt.Errorf("failed to load %s: %v", jid, err)
		}
		cli := whatsmeow.NewClient(dev, waLog.Noop)
		emulator.ApplyDial(cli, target)
		cli.AddEventHandler(func(evt any) {
			if _, ok := evt.(*events.Connected); ok && connected.Add(1) == int64(len(jids)) {
				close(done)
			}
		})
		clients = append(clients, cli)
	}
	start := time.Now()
	for _, cli := range clients {
		go func() { _ = cli.Connect() }()
	}
	select {
	case <-done:
	case <-time.After(timeout):
		return result{}, fmt.Errorf("raw: %d of %d connected within %s", connected.Load(), len(jids), timeout)
	}
	res := result{elapsed: time.Since(start), rssDelta: rssKiB(os.Getpid()) - before}
	for _, cli := range clients {
		cli.Disconnect()
	}
	return res, nil
}

// sidecarRestore starts wagate-sidecar and restores every session through Connect with bounded concurrency.
func sidecarRestore(binary, dsn string, jids []types.JID, target emulator.DialTarget, parallel int, timeout time.Duration) (result, error) {
	cmd := exec.Command(binary, "--listen", "127.0.0.1:0", "--db", dsn, "--log-level", "error",
		"--wa-emulator", target.Addr, "--wa-emulator-root-key", hex.EncodeToString(target.RootPublicKey[:]))
	m, err := child(cmd, regexp.MustCompile(`listening addr=(\S+) boot_id=(\S+)`))
	if err != nil {
		return result{}, err
	}
	defer stop(cmd)
	conn, err := grpc.NewClient(m[1], grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return result{}, err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	watch, err := healthpb.NewHealthClient(conn).Watch(ctx, &healthpb.HealthCheckRequest{})
	if err != nil {
		return result{}, err
	}
	for {
		h, err := watch.Recv()
		if err != nil {
			return result{}, fmt.Errorf("sidecar never became healthy: %w", err)
		}
		if h.GetStatus() == healthpb.HealthCheckResponse_SERVING {
			break
		}
	}
	client := sidecarv1.NewSidecarServiceClient(conn)
	evs, err := client.StreamEvents(ctx, &sidecarv1.StreamEventsRequest{})
	if err != nil {
		return result{}, err
	}
	before := rssKiB(cmd.Process.Pid)
	connected := make(chan error, 1)
	go func() {
		seen := map[string]bool{}
		for len(seen) < len(jids) {
			resp, err := evs.Recv()
			if err != nil {
				connected <- err
				return
			}
			if resp.GetEvent().GetKind() == sidecarv1.EventKind_EVENT_KIND_CONNECTED {
				seen[resp.GetEvent().GetInstanceId()] = true
			}
		}
		connected <- nil
	}()

	start := time.Now()
	work := make(chan int)
	var wg sync.WaitGroup
	var firstErr atomic.Pointer[error]
	for range parallel {
		wg.Go(func() {
			for i := range work {
				_, err := client.Connect(ctx, &sidecarv1.ConnectRequest{InstanceId: "bench-" + strconv.Itoa(i), Jid: jids[i].String()})
				if err != nil {
					firstErr.CompareAndSwap(nil, &err)
				}
			}
		})
	}
	for i := range jids {
		work <- i
	}
	close(work)
	wg.Wait()
	if p := firstErr.Load(); p != nil {
		return result{}, fmt.Errorf("Connect failed: %w", *p)
	}
	if err := <-connected; err != nil {
		return result{}, fmt.Errorf("waiting for connected events: %w", err)
	}
	return result{elapsed: time.Since(start), rssDelta: rssKiB(cmd.Process.Pid) - before}, nil
}

func run(n, parallel int, timeout time.Duration) error {
	ctx := context.Background()
	adminDSN, err := dsnFor(os.Getenv("PG_DB"))
	if err != nil {
		return err
	}
	admin, err := sql.Open("postgres", adminDSN)
	if err != nil {
		return err
	}
	defer admin.Close()
	dbName := "bench_restore_" + hex.EncodeToString(random(4))
	if _, err := admin.Exec(`CREATE DATABASE "` + dbName + `"`); err != nil {
		return fmt.Errorf("failed to create database: %w", err)
	}
	defer func() { _, _ = admin.Exec(`DROP DATABASE IF EXISTS "` + dbName + `" WITH (FORCE)`) }()
	dsn, _ := dsnFor(dbName)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	container := sqlstore.NewWithDB(db, "postgres", nil)
	if err := container.Upgrade(ctx); err != nil {
		return err
	}

	dir, err := os.MkdirTemp("", "bench-sidecar-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	binary := filepath.Join(dir, "wagate-sidecar")
	build := exec.Command("go", "build", "-o", binary, "./cmd/wagate-sidecar")
	build.Dir = filepath.Join("..", "..", "sidecar")
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("go build wagate-sidecar: %v\n%s", err, out)
	}

	jids, emuDevs, err := seedDevices(ctx, container, n)
	if err != nil {
		return err
	}
	state := filepath.Join(dir, "emulator-state.json")
	if err := emulator.WriteStateFile(state, emuDevs); err != nil {
		return err
	}
	emuCmd := exec.Command(os.Args[0])
	emuCmd.Env = append(os.Environ(), emulatorChildEnv+"="+state)
	m, err := child(emuCmd, regexp.MustCompile(`ws=(\S+) rootPublicKey=([0-9a-f]{64})`))
	if err != nil {
		return err
	}
	defer stop(emuCmd)
	root, err := emulator.ParseDialRootKey(m[2])
	if err != nil {
		return err
	}
	target := emulator.DialTarget{Addr: m[1], RootPublicKey: root}
	emulator.EnableDial(target, zerolog.Nop())

	// Two raw rounds: the first warms the emulator and the database up, so its time is not used, but it is the
	// one whose RSS growth is honest (the second reuses the heap the first grew).
	cold, err := rawLogins(ctx, container, jids, target, timeout)
	if err != nil {
		return fmt.Errorf("warm-up: %w", err)
	}
	raw, err := rawLogins(ctx, container, jids, target, timeout)
	if err != nil {
		return err
	}
	raw.rssDelta = cold.rssDelta
	side, err := sidecarRestore(binary, dsn, jids, target, parallel, timeout)
	if err != nil {
		return err
	}
	perSession := func(kib int64) string { return fmt.Sprintf("%.1f KiB", float64(kib)/float64(n)) }
	fmt.Printf("| metric | raw whatsmeow (one process) | wagate-sidecar (Connect over gRPC) |\n|---|---|---|\n")
	fmt.Printf("| sessions | %d | %d (parallel %d) |\n", n, n, parallel)
	fmt.Printf("| time to all connected | %s | %s |\n", raw.elapsed.Round(time.Millisecond), side.elapsed.Round(time.Millisecond))
	fmt.Printf("| sessions/s | %.0f | %.0f |\n", float64(n)/raw.elapsed.Seconds(), float64(n)/side.elapsed.Seconds())
	fmt.Printf("| RSS growth per session | %s | %s |\n", perSession(raw.rssDelta), perSession(side.rssDelta))
	fmt.Printf("\ntime ratio sidecar/raw: %.2f\n", side.elapsed.Seconds()/raw.elapsed.Seconds())
	return nil
}
