package main

import "testing"

// The rows as bench/api and bench/ws-fanout print them (copied from a run).
const apiOut = `scenario                                     load                        req/s    p50 ms    p99 ms    errors
GET /api/instance/list?instanceName=x        closed, 32 workers             96    338.93    801.53         0
GET /api/instance/list?instanceName=x        open, 5000 req/s             1228   2922.79   6154.68         0
POST /api/instance/reconnect (connected)     closed, 32 workers           1361     17.16    144.51         3
POST /api/instance/reconnect (connected)     open, 5000 req/s             2188   1494.05   2558.51         0
`

const wsOut = `| phase | subscribers | events | frames | p50 | p90 | p99 | max | first frame p50 | first-to-last p50 |
|---|---|---|---|---|---|---|---|---|---|
| warm-up (JIT cold) | 50 | 3 | 150 | 222.0 ms | 227.7 ms | 227.9 ms | 228ms | 221.6 ms | 6.3 ms |
| measured | 50 | 6 | 300 | 70.1 ms | 97.0 ms | 97.3 ms | 97ms | 62.9 ms | 5.1 ms |
`

func TestParseAPI(t *testing.T) {
	rows := parseAPI(apiOut)
	if len(rows) != 4 {
		t.Fatalf("want 4 rows, got %v", rows)
	}
	if r := rows["list open"]; r.load != "open, 5000 req/s" || r.rps != 1228 || r.p50 != 2922.79 || r.p99 != 6154.68 {
		t.Errorf("list open: %+v", r)
	}
	if r := rows["reconnect closed"]; r.rps != 1361 || r.errors != 3 {
		t.Errorf("reconnect closed: %+v", r)
	}
}

func TestParseWS(t *testing.T) {
	p99, subs := parseWS(wsOut)
	if p99 != "97.3 ms" || subs != "50" {
		t.Errorf("p99 = %q, subscribers = %q", p99, subs)
	}
	if got := msOf(p99); got != 97.3 {
		t.Errorf("ms = %v", got)
	}
}

func TestThroughputVerdict(t *testing.T) {
	for _, c := range []struct {
		j, nv float64
		want  string
	}{
		{8000, 7000, "met: 88 % of the JVM's"},
		{8000, 3000, "missed by 42 points: 38 % of the JVM's"},
		{0, 3000, "not compared: a mode was not run"},
		{8000, 0, "not compared: a mode was not run"},
	} {
		if got := throughputVerdict(apiRow{rps: c.j}, apiRow{rps: c.nv}); got != c.want {
			t.Errorf("%v vs %v: %q, want %q", c.nv, c.j, got, c.want)
		}
	}
}
