// Command emulator-logins measures how fast N saved devices log in to the wa-emulator concurrently
// through raw whatsmeow clients. The emulator runs as a child process (this same binary) so the two
// RSS figures are separate. See README.md.
package main

import (
	"bufio"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
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
	"go.mau.fi/whatsmeow/store"
	"go.mau.fi/whatsmeow/store/sqlstore"
	"go.mau.fi/whatsmeow/types"
	"go.mau.fi/whatsmeow/types/events"
	waLog "go.mau.fi/whatsmeow/util/log"

	"github.com/wagate/wagate/sidecar/emulator"
)

const childEnv = "BENCH_EMULATOR_CHILD_STATE"

func main() {
	if state := os.Getenv(childEnv); state != "" {
		runEmulatorChild(state)
		return
	}
	n := flag.Int("n", 1000, "number of saved devices that log in concurrently")
	timeout := flag.Duration("timeout", 5*time.Minute, "give up when not all devices are connected by then")
	flag.Parse()
	if err := run(*n, *timeout); err != nil {
		fmt.Fprintln(os.Stderr, "bench failed:", err)
		os.Exit(1)
	}
}

// runEmulatorChild serves the emulator seeded from the state file until its parent closes stdin.
func runEmulatorChild(state string) {
	srv, err := emulator.New(emulator.Config{StateFile: state, QRRefs: 1, Log: zerolog.Nop()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if err := srv.Start("127.0.0.1:0", "127.0.0.1:0"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("wa-emulator listening ws=%s control=%s rootPublicKey=%s\n", srv.WSAddr(), srv.ControlAddr(), srv.RootPublicKeyHex())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	_ = srv.Close()
}

func pgDSN(db string) (string, error) {
	for _, k := range []string{"PG_HOST", "PG_PORT", "PG_USER", "PG_PASSWORD", "PG_DB"} {
		if os.Getenv(k) == "" {
			return "", fmt.Errorf("%s is not set (the client store lives in PostgreSQL)", k)
		}
	}
	u := url.URL{Scheme: "postgres", User: url.UserPassword(os.Getenv("PG_USER"), os.Getenv("PG_PASSWORD")),
		Host: os.Getenv("PG_HOST") + ":" + os.Getenv("PG_PORT"), Path: "/" + db, RawQuery: "sslmode=disable"}
	return u.String(), nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// seed creates N linked devices directly (no pairing): whatsmeow rows in PostgreSQL and the matching
// emulator state. The ADV account fields are filler because login never checks them.
func seed(ctx context.Context, container *sqlstore.Container, n int) ([]*store.Device, []emulator.Device, error) {
	clientDevs := make([]*store.Device, 0, n)
	emuDevs := make([]emulator.Device, 0, n)
	for i := 0; i < n; i++ {
		phone := strconv.Itoa(5511900000000 + i)
		jid := types.NewADJID(phone, 0, 1)
		lid := types.JID{User: strconv.Itoa(100000000000000 + i), Device: 1, Server: types.HiddenUserServer}
		dev := container.NewDevice()
		dev.ID, dev.LID = &jid, lid
		dev.Account = &waAdv.ADVSignedDeviceIdentity{
			Details: randomBytes(40), AccountSignatureKey: randomBytes(32),
			AccountSignature: randomBytes(64), DeviceSignature: randomBytes(64),
		}
		if err := dev.Save(ctx); err != nil {
			return nil, nil, fmt.Errorf("save device %d: %w", i, err)
		}
		// A few uploaded prekeys keep the client from uploading at login, so logins are what is measured.
		keys, err := dev.PreKeys.GetOrGenPreKeys(ctx, uint32(whatsmeow.MinPreKeyCount))
		if err != nil {
			return nil, nil, err
		}
		if err := dev.PreKeys.MarkPreKeysAsUploaded(ctx, keys[len(keys)-1].KeyID); err != nil {
			return nil, nil, err
		}
		clientDevs = append(clientDevs, dev)
		emuDevs = append(emuDevs, emulator.Device{
			JID: jid.String(), LID: lid.String(), Phone: phone, DeviceID: 1, NoiseKey: *dev.NoiseKey.Pub,
			IdentityKey: *dev.IdentityKey.Pub, RegistrationID: dev.RegistrationID, PreKeys: 812,
		})
	}
	return clientDevs, emuDevs, nil
}

var startLine = regexp.MustCompile(`ws=(\S+) control=(\S+) rootPublicKey=([0-9a-f]{64})`)

func rssKiB(pid int) (now, peak int64) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	for _, line := range strings.Split(string(data), "\n") {
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		v, _ := strconv.ParseInt(fields[1], 10, 64)
		switch fields[0] {
		case "VmRSS:":
			now = v
		case "VmHWM:":
			peak = v
		}
	}
	return now, peak
}

func run(n int, timeout time.Duration) error {
	ctx := context.Background()
	adminDSN, err := pgDSN(os.Getenv("PG_DB"))
	if err != nil {
		return err
	}
	admin, err := sql.Open("postgres", adminDSN)
	if err != nil {
		return err
	}
	defer admin.Close()
	dbName := "bench_logins_" + hex.EncodeToString(randomBytes(4))
	if _, err := admin.Exec(`CREATE DATABASE "` + dbName + `"`); err != nil {
		return fmt.Errorf("create database: %w", err)
	}
	defer admin.Exec(`DROP DATABASE IF EXISTS "` + dbName + `" WITH (FORCE)`)
	dsn, _ := pgDSN(dbName)
	db, err := sql.Open("postgres", dsn)
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(32)
	container := sqlstore.NewWithDB(db, "postgres", nil)
	if err := container.Upgrade(ctx); err != nil {
		return err
	}
	defer container.Close()

	seedStart := time.Now()
	clientDevs, emuDevs, err := seed(ctx, container, n)
	if err != nil {
		return err
	}
	seedTime := time.Since(seedStart)
	dir, err := os.MkdirTemp("", "bench-emulator-logins-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	state := filepath.Join(dir, "state.json")
	if err := emulator.WriteStateFile(state, emuDevs); err != nil {
		return err
	}

	child := exec.Command(os.Args[0])
	child.Env = append(os.Environ(), childEnv+"="+state)
	child.Stderr = os.Stderr
	out, err := child.StdoutPipe()
	if err != nil {
		return err
	}
	if err := child.Start(); err != nil {
		return err
	}
	defer func() {
		_ = child.Process.Signal(syscall.SIGTERM)
		_ = child.Wait()
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		return fmt.Errorf("emulator child did not start: %w", err)
	}
	m := startLine.FindStringSubmatch(line)
	if m == nil {
		return fmt.Errorf("unexpected emulator start line %q", line)
	}
	root, err := emulator.ParseDialRootKey(m[3])
	if err != nil {
		return err
	}
	target := emulator.DialTarget{Addr: m[1], RootPublicKey: root}
	emulator.EnableDial(target, zerolog.New(os.Stderr))

	var connected atomic.Int64
	var failures sync.Map
	allDone := make(chan struct{})
	clients := make([]*whatsmeow.Client, n)
	for i, dev := range clientDevs {
		cli := whatsmeow.NewClient(dev, waLog.Noop)
		emulator.ApplyDial(cli, target)
		cli.AddEventHandler(func(evt any) {
			switch e := evt.(type) {
			case *events.Connected:
				if connected.Add(1) == int64(n) {
					close(allDone)
				}
			case events.PermanentDisconnect:
				failures.Store(i, e.PermanentDisconnectDescription())
			}
		})
		clients[i] = cli
	}
	start := time.Now()
	var connectErrs atomic.Int64
	for _, cli := range clients {
		go func() {
			if err := cli.Connect(); err != nil {
				connectErrs.Add(1)
			}
		}()
	}
	select {
	case <-allDone:
	case <-time.After(timeout):
	}
	elapsed := time.Since(start)
	emuNow, emuPeak := rssKiB(child.Process.Pid)
	cliNow, cliPeak := rssKiB(os.Getpid())
	for _, cli := range clients {
		cli.Disconnect()
	}

	got := connected.Load()
	fmt.Printf("| metric | value |\n|---|---|\n")
	fmt.Printf("| devices | %d |\n", n)
	fmt.Printf("| connected | %d |\n", got)
	fmt.Printf("| connect errors | %d |\n", connectErrs.Load())
	fmt.Printf("| seeding (not timed below) | %s |\n", seedTime.Round(time.Millisecond))
	fmt.Printf("| time to all connected | %s |\n", elapsed.Round(time.Millisecond))
	fmt.Printf("| logins/s | %.0f |\n", float64(got)/elapsed.Seconds())
	fmt.Printf("| emulator RSS now / peak | %.1f MiB / %.1f MiB |\n", float64(emuNow)/1024, float64(emuPeak)/1024)
	fmt.Printf("| client process RSS now / peak | %.1f MiB / %.1f MiB |\n", float64(cliNow)/1024, float64(cliPeak)/1024)
	failures.Range(func(k, v any) bool {
		fmt.Fprintf(os.Stderr, "device %v: %v\n", k, v)
		return true
	})
	if got != int64(n) {
		return fmt.Errorf("only %d of %d devices connected within %s", got, n, timeout)
	}
	return nil
}
