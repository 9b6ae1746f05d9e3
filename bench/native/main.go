// Command native compares the JVM gateway with the native one on this machine in one run and prints one table: time
// to ready, RSS idle and after load, the bench/api rows, the bench/ws-fanout p99, the restore of N instances after a
// sidecar restart, and a cold restart of gateway and sidecar together with N saved instances. It starts the emulator,
// the sidecar and each gateway itself (with run.sh's settings) so that every process start is timed exactly; the
// PostgreSQL server is run.sh's. Loopback only. See README.md; run through run.sh.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"time"
)

type apiRow struct {
	load          string // as bench/api prints it: "closed, 32 workers", "open, 5000 req/s"
	rps, p50, p99 float64
	errors        int
}

type result struct {
	ready            []time.Duration
	rssIdle, rssLoad float64
	api              map[string]apiRow // "list closed", "reconnect open", ...
	wsP99, wsSubs    string
	restore, cold    time.Duration
	coldReady        time.Duration
	rssFleet         float64
}

func main() {
	s := &stack{}
	running = s
	flag.StringVar(&s.home, "home", "", "private directory for logs and the encryption key")
	flag.StringVar(&s.pgPort, "pg-port", "", "port of the PostgreSQL server (databases bench_a and bench_b, user app)")
	flag.StringVar(&s.emulatorBin, "emulator-bin", "", "wa-emulator binary")
	flag.StringVar(&s.sidecarBin, "sidecar-bin", "", "wagate-sidecar binary")
	flag.StringVar(&s.jar, "jar", "", "target/quarkus-app/quarkus-run.jar")
	flag.StringVar(&s.runner, "runner", "", "target/*-runner")
	jvmOpts := flag.String("jvm-opts", "", "extra java options (space-separated)")
	nativeOpts := flag.String("native-opts", "-Xmn64m -XX:MaxHeapFree=4m", "options of the native binary (space-separated; the default is what scripts/run.sh and deploy/ pass)")
	apiBin := flag.String("api-bin", "", "bench/api binary")
	wsBin := flag.String("ws-bin", "", "bench/ws-fanout binary")
	apiArgs := flag.String("api-args", "", "extra bench/api flags (space-separated)")
	wsArgs := flag.String("ws-args", "", "extra bench/ws-fanout flags (space-separated)")
	n := flag.Int("n", 1000, "saved instances of the restore and cold-restart rows (0 skips them)")
	samples := flag.Int("ready-samples", 3, "gateway starts per mode for the time to ready (median reported)")
	modes := flag.String("modes", "jvm,native", "which gateways, in order")
	phases := flag.String("phases", "start,load,fleet", "which parts: start (ready, RSS idle), load (bench/api, ws-fanout), fleet (restore rows)")
	flag.Parse()
	s.jvmOpts, s.nativeOpts = strings.Fields(*jvmOpts), strings.Fields(*nativeOpts)
	if err := s.init(); err != nil {
		fail("%v", err)
	}
	defer s.stopAll()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() { <-sigs; fail("interrupted") }()
	if err := s.startEmulator(); err != nil {
		fail("%v", err)
	}
	results := map[string]*result{}
	ms := strings.Split(*modes, ",")

	has := func(p string) bool { return slices.Contains(strings.Split(*phases, ","), p) }
	for _, mode := range ms {
		results[mode] = &result{api: map[string]apiRow{}}
	}

	// Phase A, database bench_a: starts, idle, load. One sidecar for both gateways.
	if has("start") || has("load") {
		s.db = "bench_a"
		check(s.startSidecar())
		check(s.awaitSidecar())
		for _, mode := range ms {
			r := results[mode]
			starts := 1
			if has("start") {
				starts = *samples
			}
			for i := range starts {
				check(s.startGateway(mode))
				d, err := s.awaitReady()
				check(err)
				r.ready = append(r.ready, d)
				logf("%s: ready in %.3f s (start %d)", mode, d.Seconds(), i+1)
				if i < starts-1 {
					s.gateway.stop(syscall.SIGTERM)
				}
			}
			time.Sleep(5 * time.Second) // idle: past start-up's own allocation and first GC
			r.rssIdle = s.gateway.rssMB()
			logf("%s: RSS idle %.0f MB", mode, r.rssIdle)
			if has("load") {
				common := []string{"-gateway", s.gatewayURL(), "-emulator", s.emulatorURL(), "-admin-token", s.adminToken}
				r.api = parseAPI(runSub(*apiBin, append(common, strings.Fields(*apiArgs)...)))
				r.wsP99, r.wsSubs = parseWS(runSub(*wsBin, append(common, strings.Fields(*wsArgs)...)))
				r.rssLoad = s.gateway.rssMB()
				logf("%s: RSS after load %.0f MB", mode, r.rssLoad)
			}
			s.gateway.stop(syscall.SIGTERM)
		}
		s.sidecar.stop(syscall.SIGTERM)
	}

	// Phase B, database bench_b: N saved instances, paired once, restored by each gateway in turn.
	if *n > 0 && has("fleet") {
		s.db = "bench_b"
		check(s.startSidecar())
		check(s.awaitSidecar())
		var f *fleet
		for i, mode := range ms {
			r := results[mode]
			check(s.startGateway(mode))
			_, err := s.awaitReady()
			check(err)
			if i == 0 {
				t := time.Now()
				f, err = newFleet(s, *n)
				check(err)
				logf("%s: paired %d instances in %.0f s", mode, *n, time.Since(t).Seconds())
			} else {
				check(f.await("the fleet connected on the "+mode+" gateway", 5*time.Minute, f.allConnected))
			}
			r.rssFleet = s.gateway.rssMB()
			r.restore, err = f.sidecarRestart()
			check(err)
			logf("%s: sidecar restart, %d restored in %.2f s", mode, *n, r.restore.Seconds())
			r.cold, r.coldReady, err = f.coldRestart(mode)
			check(err)
			logf("%s: cold restart, %d connected in %.2f s (gateway ready at %.2f s)", mode, *n, r.cold.Seconds(), r.coldReady.Seconds())
			s.gateway.stop(syscall.SIGTERM)
		}
	}
	printTable(results, ms, *n)
}

func check(err error) {
	if err != nil {
		fail("%v", err)
	}
}

func logf(format string, args ...any) {
	fmt.Printf("bench/native: "+format+"\n", args...)
}

// running and sub (the other bench in progress) are stopped by fail, which exits without running deferred calls.
var (
	running *stack
	sub     atomic.Pointer[exec.Cmd]
)

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "bench/native: "+format+"\n", args...)
	if c := sub.Load(); c != nil && c.Process != nil {
		c.Process.Kill()
	}
	if running != nil {
		running.stopAll()
	}
	os.Exit(1)
}

// runSub runs one of the other benches, echoing its output, and returns that output.
func runSub(bin string, args []string) string {
	var buf bytes.Buffer
	cmd := exec.Command(bin, args...)
	cmd.Stdout, cmd.Stderr = io.MultiWriter(os.Stdout, &buf), os.Stderr
	if err := cmd.Start(); err != nil {
		fail("%s: %v", bin, err)
	}
	sub.Store(cmd)
	err := cmd.Wait()
	sub.Store(nil)
	if err != nil {
		fail("%s: %v", bin, err)
	}
	return buf.String()
}

// parseAPI reads bench/api's rows: label, load, then req/s, p50, p99 and errors as the last four fields.
func parseAPI(out string) map[string]apiRow {
	rows := map[string]apiRow{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 8 {
			continue
		}
		route, load := "", ""
		switch {
		case strings.Contains(line, "/api/instance/list"):
			route = "list"
		case strings.Contains(line, "/api/instance/reconnect"):
			route = "reconnect"
		}
		switch {
		case strings.Contains(line, " closed, "):
			load = "closed"
		case strings.Contains(line, " open, "):
			load = "open"
		}
		if route == "" || load == "" {
			continue
		}
		num := func(s string) float64 { v, _ := strconv.ParseFloat(s, 64); return v }
		e, _ := strconv.Atoi(f[len(f)-1])
		at := strings.Index(line, " "+load+", ") + 1
		rows[route+" "+load] = apiRow{load: strings.Join(strings.Fields(line[at:])[:3], " "), rps: num(f[len(f)-4]), p50: num(f[len(f)-3]), p99: num(f[len(f)-2]), errors: e}
	}
	return rows
}

// parseWS reads the p99 and subscribers columns of bench/ws-fanout's "measured" row.
func parseWS(out string) (p99, subscribers string) {
	for _, line := range strings.Split(out, "\n") {
		if c := strings.Split(line, "|"); len(c) > 7 && strings.TrimSpace(c[1]) == "measured" {
			return strings.TrimSpace(c[7]), strings.TrimSpace(c[2])
		}
	}
	return "?", "?"
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
