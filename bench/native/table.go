package main

import (
	"fmt"
	"strings"
	"time"
)

// Anchors of the cold-restart row: wuzapi and GOWA, patched only to dial the emulator, from process start to all
// N sessions connected, measured on the team's machine (issue 17).
var anchors = map[int][2]float64{1000: {9.6, 11.2}, 200: {1.8, 3.8}}

// printTable prints the comparison as a Markdown table. The verdict column judges the native gateway against
// the goal of its row.
func printTable(rs map[string]*result, modes []string, n int) {
	jvm, nat := rs["jvm"], rs["native"]
	jvmMissing, natMissing := jvm == nil, nat == nil
	if jvmMissing {
		jvm = &result{api: map[string]apiRow{}}
	}
	if natMissing {
		nat = &result{api: map[string]apiRow{}}
	}
	fmt.Println()
	fmt.Println("| measurement | JVM | native | goal (native) | native vs goal |")
	fmt.Println("|---|---|---|---|---|")
	row := func(what, j, nv, goal, verdict string) {
		if jvmMissing {
			j = "not run"
		}
		if natMissing {
			nv, verdict = "not run", "-"
		}
		fmt.Printf("| %s | %s | %s | %s | %s |\n", what, j, nv, goal, verdict)
	}
	readyCell := func(r *result) string {
		if len(r.ready) == 0 {
			return "-"
		}
		lo, hi := r.ready[0], r.ready[0]
		for _, d := range r.ready {
			lo, hi = min(lo, d), max(hi, d)
		}
		return fmt.Sprintf("%.2f s (%.2f-%.2f)", median(r.ready).Seconds(), lo.Seconds(), hi.Seconds())
	}
	nr := 0.0
	if len(nat.ready) > 0 {
		nr = median(nat.ready).Seconds()
	}
	// rows of a phase left out (-phases) are not printed: a goal cannot be met by a measurement never made
	if len(jvm.ready)+len(nat.ready) > 0 {
		row(fmt.Sprintf("time to ready (median of %d starts; min-max)", max(len(jvm.ready), len(nat.ready))), readyCell(jvm), readyCell(nat), "≤ 0.3 s",
			atMost(nr, 0.3, "s", 2))
		row("RSS idle (5 s after ready)", mb(jvm.rssIdle), mb(nat.rssIdle), "≤ 80 MB", atMost(nat.rssIdle, 80, "MB", 0))
	}
	if len(jvm.api)+len(nat.api) > 0 || jvm.wsP99 != "" || nat.wsP99 != "" {
		printLoadRows(row, jvm, nat)
	}
	if n > 0 && (jvm.restore > 0 || nat.restore > 0 || jvm.cold > 0 || nat.cold > 0) {
		printFleetRows(row, jvm, nat, n)
	}
}

func printLoadRows(row func(what, j, nv, goal, verdict string), jvm, nat *result) {
	row("RSS after the bench/api and ws-fanout load", mb(jvm.rssLoad), mb(nat.rssLoad), "-", "-")
	for _, route := range []string{"list", "reconnect"} {
		label := map[string]string{"list": "GET /api/instance/list?instanceName=x", "reconnect": "POST /api/instance/reconnect (connected)"}[route]
		for _, load := range []string{"closed", "open"} {
			j, jok := jvm.api[route+" "+load]
			nv, nok := nat.api[route+" "+load]
			if !jok && !nok {
				continue // left out by -api-args '-only …': a goal cannot be met by a measurement never made
			}
			goal, verdict := "p99 ≤ 10 ms", "-"
			if load == "closed" {
				goal, verdict = "≥ 80 % of the JVM's req/s", throughputVerdict(j, nv)
			} else if nok {
				verdict = atMost(nv.p99, 10, "ms", 2)
			}
			row(label+", "+either(j.load, nv.load), apiCell(j, jok), apiCell(nv, nok), goal, verdict)
		}
	}
	wsVerdict := "-" // no p99 parsed: no verdict either
	if nat.wsP99 != "" {
		wsVerdict = atMost(msOf(nat.wsP99), 100, "ms", 1)
	}
	row(fmt.Sprintf("bench/ws-fanout p99 (%s subscribers, measured row)", either(jvm.wsSubs, nat.wsSubs)), jvm.wsP99, nat.wsP99, "≤ 100 ms (bench/ws-fanout's goal)",
		wsVerdict)
}

func printFleetRows(row func(what, j, nv, goal, verdict string), jvm, nat *result, n int) {
	row(fmt.Sprintf("restore of %d instances after a sidecar restart (sidecar start to all connected on the list)", n),
		secs(jvm.restore), secs(nat.restore), "-", "-")
	goal := "-"
	verdict := "-"
	if a, ok := anchors[n]; ok {
		goal = fmt.Sprintf("< %.1f s (wuzapi %.1f s, GOWA %.1f s)", a[0], a[0], a[1])
		verdict = atMost(nat.cold.Seconds(), a[0], "s", 1)
	}
	row(fmt.Sprintf("cold restart of gateway + sidecar, %d saved instances: process start to all connected on the list", n),
		secs(jvm.cold), secs(nat.cold), goal, verdict)
	row("  of which: gateway ready (from the same start)", secs(jvm.coldReady), secs(nat.coldReady), "-", "-")
	row(fmt.Sprintf("RSS with %d connected instances", n), mb(jvm.rssFleet), mb(nat.rssFleet), "-", "-")
}

func atMost(v, goal float64, unit string, prec int) string {
	if v <= goal {
		return fmt.Sprintf("met (%.*f %s under)", prec, goal-v, unit)
	}
	return fmt.Sprintf("missed by %.*f %s", prec, v-goal, unit)
}

// throughputVerdict judges the closed loop: the goal is a ratio, so one side alone proves nothing.
func throughputVerdict(j, nv apiRow) string {
	if j.rps == 0 || nv.rps == 0 {
		return "not compared: a mode was not run"
	}
	share := 100 * nv.rps / j.rps
	if share < 80 {
		return fmt.Sprintf("missed by %.0f points: %.0f %% of the JVM's", 80-share, share)
	}
	return fmt.Sprintf("met: %.0f %% of the JVM's", share)
}

func apiCell(r apiRow, ok bool) string {
	if !ok {
		return "-"
	}
	c := fmt.Sprintf("%s req/s, p50 %.2f ms, p99 %.2f ms", thousands(r.rps), r.p50, r.p99)
	if r.errors > 0 {
		c += fmt.Sprintf(", %d errors", r.errors)
	}
	return c
}

func thousands(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	if len(s) > 3 {
		s = s[:len(s)-3] + "," + s[len(s)-3:]
	}
	return s
}

func mb(v float64) string         { return fmt.Sprintf("%.0f MB", v) }
func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func msOf(s string) float64 {
	var v float64
	fmt.Sscanf(strings.TrimSuffix(s, " ms"), "%f", &v)
	return v
}

// either is the first non-empty of two labels that the two gateways' runs share.
func either(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
