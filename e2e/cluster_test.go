package e2e

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wagate/wagate/e2e/driver"
	"github.com/wagate/wagate/e2e/lease"
)

// The multi-pod suite: three gateway+sidecar pairs of scripts/run.sh on one PostgreSQL and one emulator, real
// processes killed, frozen and restarted by pid, then a fourth member joining. The outcomes asserted: every instance
// connected and owned (instance_lease) by the member rendezvous hashing gives it among the live members, no device
// ever logged in twice (the emulator's maxConcurrentConnections), and each instance's stored state events telling
// one story. Every wait is bounded; nothing is timed. With WAGATE_NATIVE=1 the pods run the native binary (run.sh).

const clusterInstances = 60

// fleet is what the phases share: the cluster, its instances and the pod reads go to.
type fleet struct {
	c      *cluster
	token  string
	names  []string
	phones map[string]string // name → phone of its device
	reader int               // the pod whose list route the checks read (any pod answers reads)
}

func TestClusterOfThreePods(t *testing.T) {
	c := startCluster(t, 3)
	f := &fleet{c: c, phones: map[string]string{}, reader: 1}
	a := f.api()
	token, err := a.NewAccount(c.adminToken, "cluster", clusterInstances, 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	f.token = token
	base := time.Now().UnixNano() / 1000 % 900_000_000
	for i := range clusterInstances {
		name := fmt.Sprintf("pod-%03d", i)
		f.names = append(f.names, name)
		f.phones[name] = fmt.Sprintf("5513%09d", (base+int64(i))%1_000_000_000)
	}
	// paired through pod 1, which takes each lease on connect; the hand-over to the others is part of what is checked
	if err := a.PairAll(token, f.names, func(i int) string { return f.phones[f.names[i]] }, 8, driver.Pairing{Attempts: 3}); err != nil {
		t.Fatal(err)
	}
	phases := []struct {
		name string
		run  func(*testing.T)
	}{
		{"SpreadOverThree", f.spread},
		{"DroppedSocketsComeBack", f.dropped},
		{"Kill9OnePair", f.kill9},
		{"FreezeOnePairForThreeLeases", f.freeze},
		{"RollingRestart", f.rollingRestart},
		{"FourthPairJoins", f.join},
	}
	for _, p := range phases {
		// each phase starts from the settled state the one before it left
		if !t.Run(p.name, p.run) {
			return
		}
	}
}

func (f *fleet) api() *driver.Client {
	return &driver.Client{Gateway: f.c.url(max(f.reader, 1)), Emulator: f.c.emulator, HTTP: httpClient}
}

// 60 instances paired through one pod end up spread over all three, each on its rendezvous owner.
func (f *fleet) spread(t *testing.T) {
	f.awaitSettled(t, 0, 180*time.Second, 3, nil, nil)
	perPod := map[string]int{}
	v := f.view(t)
	for _, l := range v.Leases {
		perPod[v.Members[l.Owner]]++
	}
	for p := 1; p <= 3; p++ {
		if perPod[f.c.url(p)] == 0 {
			t.Errorf("pod %d owns no instance: %v", p, perPod)
		}
	}
	f.expectNoDoubleLogin(t)
	t.Logf("instances per pod: %v", perPod)
}

// The emulator drops the sockets of a few devices: their sidecars do not reconnect fenced sessions by themselves, the
// owners do, and nothing else moves.
func (f *fleet) dropped(t *testing.T) {
	kicked := f.names[:6]
	before := f.lastEventID(t)
	f.resetCounters(t)
	devs := f.c.devices(t)
	for _, name := range kicked {
		expectStatus(t, call(t, "POST", f.c.emulator, "/devices/"+url.PathEscape(devs[f.phones[name]].JID)+"/kick", "", nil), 200)
	}
	f.awaitSettled(t, before, 120*time.Second, 3, nil, kicked)
	f.expectNoDoubleLogin(t)
	f.expectOneStory(t, before, kicked, true)
}

// kill -9 of pod 3's gateway and sidecar, held down: its instances connect on the other two, nobody else's move.
func (f *fleet) kill9(t *testing.T) {
	victim := f.memberAt(t, 3)
	moved := f.ownedBy(t, victim)
	before := f.lastEventID(t)
	f.resetCounters(t)
	f.c.signalPod(t, 3, syscall.SIGKILL, true)
	f.awaitSettled(t, before, 120*time.Second, 2, []string{victim}, moved)
	f.expectNoDoubleLogin(t)
	f.expectOneStory(t, before, moved, true)

	// pod 3 back for the next phases: a new process, a new member
	if err := os.Remove(f.c.downFile(3)); err != nil {
		t.Fatal(err)
	}
	f.awaitSettled(t, 0, 240*time.Second, 3, []string{victim}, nil)
}

// SIGSTOP of pod 2 for three lease lifetimes, then SIGCONT: the woken pod finds its leases gone and drops those
// sessions, no device logs in twice, and what it says afterwards changes no instance's state.
func (f *fleet) freeze(t *testing.T) {
	victim := f.memberAt(t, 2)
	moved := f.ownedBy(t, victim)
	before := f.lastEventID(t)
	stopped := time.Now()
	f.c.signalPod(t, 2, syscall.SIGSTOP, false)
	t.Cleanup(func() { f.c.signalPod(t, 2, syscall.SIGCONT, false) }) // a failure must not leave it frozen
	f.awaitSettled(t, before, 120*time.Second, 2, []string{victim}, moved)
	eventually(t, 4*clusterLease, "three lease lifetimes since the SIGSTOP", func() bool { return time.Since(stopped) >= 3*clusterLease })
	f.expectOneStory(t, before, moved, true)

	// the new owners logged in while the frozen sockets were still open (the emulator replaces those): watch only
	// what happens from the wake-up on
	f.resetCounters(t)
	woke := f.lastEventID(t)
	gatewayLog := filepath.Join(f.c.home, "logs", "gateway-2.log")
	logBefore, _ := os.ReadFile(gatewayLog)
	f.c.signalPod(t, 2, syscall.SIGCONT, false)
	// the same process wakes as the same member: once its heartbeat is live again rendezvous hands its share back
	f.awaitSettled(t, 0, 180*time.Second, 3, nil, nil)
	if got := f.memberAt(t, 2); got != victim {
		t.Fatalf("pod 2 is member %s after waking, want the same process %s", got, victim)
	}
	f.expectNoDoubleLogin(t)
	f.expectOneStory(t, woke, nil, false)
	logAll, _ := os.ReadFile(gatewayLog)
	if added := string(logAll[min(len(logBefore), len(logAll)):]); !strings.Contains(added, "Lost the lease of") {
		t.Errorf("the woken gateway did not log dropping the leases it lost; log since the wake-up:\n%s", added[max(0, len(added)-4000):])
	}
}

// SIGTERM of each pod in turn (gateway, then its sidecar), run.sh restarting both: each hands its instances over and
// takes its share back as a new member; at the end every instance is connected and no device logged in twice.
func (f *fleet) rollingRestart(t *testing.T) {
	f.resetCounters(t)
	for pod := 1; pod <= 3; pod++ {
		f.reader = pod%3 + 1
		old := f.memberAt(t, pod)
		for _, kind := range []string{"gateway", "sidecar"} {
			pid := f.c.pid(t, pod, kind)
			if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
				t.Fatal(err)
			}
			eventually(t, 60*time.Second, fmt.Sprintf("pod %d's %s to exit", pod, kind), func() bool { return exited(pid) })
		}
		f.awaitSettled(t, 0, 240*time.Second, 3, []string{old}, nil)
	}
	f.reader = 1
	f.expectNoDoubleLogin(t)
	if got := f.lastStates(t); len(got) != len(f.names) {
		t.Errorf("%d instances have a last state event, want %d", len(got), len(f.names))
	}
}

// A fourth member joins: it takes about a quarter of the instances, and only those move.
func (f *fleet) join(t *testing.T) {
	before := f.view(t).Leases
	f.resetCounters(t)
	m := f.c.join(t)
	f.awaitSettled(t, 0, 240*time.Second, 4, nil, nil)
	v := f.view(t)
	newcomer := v.MemberAt(m.gateway)
	if newcomer == "" {
		t.Fatalf("the new member (%s) is not among the live members %v", m.gateway, v.Members)
	}
	gained := 0
	for name, l := range v.Leases {
		if l.Owner == newcomer {
			gained++
		} else if l.Owner != before[name].Owner {
			t.Errorf("%s moved from %s to %s, not to the new member", name, before[name].Owner, l.Owner)
		}
	}
	// binomial(60, 1/4): 15 expected, 5 to 27 is more than three standard deviations either side
	if gained < clusterInstances/4-10 || gained > clusterInstances/4+12 {
		t.Errorf("the new member took %d of %d instances, want about a quarter", gained, clusterInstances)
	}
	f.expectNoDoubleLogin(t)
	t.Logf("the fourth member took %d of %d instances", gained, clusterInstances)
}

func (f *fleet) view(t *testing.T) lease.View {
	t.Helper()
	v, err := lease.Read(f.c.dsn(), clusterLease, f.names)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// memberAt is the live member id of pod p ("" when none).
func (f *fleet) memberAt(t *testing.T, p int) string {
	t.Helper()
	return f.view(t).MemberAt(f.c.url(p))
}

func (f *fleet) ownedBy(t *testing.T, member string) []string {
	t.Helper()
	out := f.view(t).OwnedBy(member)
	if len(out) == 0 {
		t.Fatalf("member %s owns no instance", member)
	}
	return out
}

// awaitSettled waits until exactly n members are live, none of gone among them, every instance holds a valid lease
// of its rendezvous owner, is listed connected, its device has exactly one socket open, and every one of moved has
// a connected event after event id since, taken before the change (on a quiet machine the reconnect is stored before
// this is even called).
func (f *fleet) awaitSettled(t *testing.T, since int64, bound time.Duration, n int, gone, moved []string) {
	t.Helper()
	var why string
	settled := func() bool {
		if ok, reason := f.view(t).Settled(n, gone, f.names); !ok {
			why = reason
			return false
		}
		states, err := f.api().States(f.token)
		if err != nil {
			why = err.Error()
			return false
		}
		if k := driver.CountNot(states, f.names, "connected"); k > 0 {
			why = fmt.Sprintf("%d instances not listed connected", k)
			return false
		}
		devs := f.c.devices(t)
		for _, name := range f.names {
			if d := devs[f.phones[name]]; !d.Connected || d.Open != 1 {
				why = fmt.Sprintf("%s: device %+v, want connected with one socket", name, d)
				return false
			}
		}
		if len(moved) == 0 {
			return true
		}
		last := f.lastStates(t, since)
		for _, name := range moved {
			if last[name] != "connected" {
				why = fmt.Sprintf("%s: no connected event since the change (last %q)", name, last[name])
				return false
			}
		}
		return true
	}
	deadline := time.Now().Add(bound)
	for !settled() {
		if time.Now().After(deadline) {
			t.Fatalf("not settled within %s: %s", bound, why)
		}
		<-time.After(500 * time.Millisecond)
	}
}

// expectNoDoubleLogin: since the last reset, no device of the fleet had two sockets open at once.
func (f *fleet) expectNoDoubleLogin(t *testing.T) {
	t.Helper()
	devs := f.c.devices(t)
	for _, name := range f.names {
		if d := devs[f.phones[name]]; d.Max > 1 {
			t.Errorf("%s: device %s had %d sockets open at once (a double login)", name, d.JID, d.Max)
		}
	}
}

func (f *fleet) resetCounters(t *testing.T) {
	t.Helper()
	expectStatus(t, call(t, "POST", f.c.emulator, "/devices/reset-counters", "", nil), 200)
}

func (f *fleet) lastEventID(t *testing.T) int64 {
	t.Helper()
	id, err := strconv.ParseInt(strings.TrimSpace(f.c.sql(t, "SELECT coalesce(max(id), 0) FROM instance_event")), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// stateEvents lists each instance's stored instance.state events after an event id, in id order.
func (f *fleet) stateEvents(t *testing.T, after int64) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, r := range lease.Rows(f.c.sql(t, fmt.Sprintf(`SELECT instance_name, state FROM instance_event
		WHERE event = 'instance.state' AND id > %d AND instance_name = ANY(%s) ORDER BY id`, after, lease.Names(f.names)))) {
		out[r[0]] = append(out[r[0]], r[1])
	}
	return out
}

// lastStates is each instance's last stored state event (after an event id, 0 by default).
func (f *fleet) lastStates(t *testing.T, after ...int64) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, evs := range f.stateEvents(t, append(after, 0)[0]) {
		out[name] = evs[len(evs)-1]
	}
	return out
}

// expectOneStory checks each instance's state events after an event id: no state recorded twice in a row (a
// duplicate, or a stale pod's echo), the last one connected; the moved instances were logged in again (one
// connected each), and with onlyMoved the others recorded nothing at all.
func (f *fleet) expectOneStory(t *testing.T, after int64, moved []string, onlyMoved bool) {
	t.Helper()
	events := f.stateEvents(t, after)
	for _, name := range f.names {
		evs := events[name]
		wasMoved := slices.Contains(moved, name)
		if onlyMoved && !wasMoved && len(evs) > 0 {
			t.Errorf("%s did not move but recorded %v", name, evs)
			continue
		}
		if wasMoved && slices.Index(evs, "connected") < 0 {
			t.Errorf("%s moved but recorded no connected: %v", name, evs)
		}
		if wasMoved && onlyMoved && count(evs, "connected") != 1 {
			t.Errorf("%s: %d connected events after it moved once: %v", name, count(evs, "connected"), evs)
		}
		for i := 1; i < len(evs); i++ {
			if evs[i] == evs[i-1] {
				t.Errorf("%s: %q recorded twice in a row: %v", name, evs[i], evs)
				break
			}
		}
		if len(evs) > 0 && evs[len(evs)-1] != "connected" {
			t.Errorf("%s: last state event %q, want connected: %v", name, evs[len(evs)-1], evs)
		}
	}
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// exited: the process is gone or a zombie (not yet reaped by run.sh).
func exited(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	return err != nil || strings.Contains(string(b), ") Z ")
}
