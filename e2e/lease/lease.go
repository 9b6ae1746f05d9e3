// Package lease reads a wagate cluster's membership and ownership from its database (tables member and
// instance_lease, through psql) and says where rendezvous hashing puts each instance, so that the multi-pod e2e tests
// and bench/failover can tell when the cluster has settled without asking the gateways.
package lease

import (
	"fmt"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Lease is one instance's row in instance_lease.
type Lease struct {
	ID, Owner string
	Valid     bool // not expired
}

// View is the database's view of membership and ownership.
type View struct {
	Members map[string]string // live member id → address
	Leases  map[string]Lease  // instance name → lease
}

// SQL runs one statement with psql and returns its unaligned output, fields separated by |.
func SQL(dsn, q string) (string, error) {
	out, err := exec.Command("psql", dsn, "-v", "ON_ERROR_STOP=1", "-qtA", "-F", "|", "-c", q).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("psql: %v\n%s", err, out)
	}
	return string(out), nil
}

// Rows splits SQL's output into its fields.
func Rows(out string) [][]string {
	var r [][]string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line != "" {
			r = append(r, strings.Split(line, "|"))
		}
	}
	return r
}

// Names is a SQL text[] literal of instance names (the names are the caller's own, plain).
func Names(names []string) string {
	return "'{" + strings.Join(names, ",") + "}'::text[]"
}

// Read returns the members live within the lease time and the leases of the named instances.
func Read(dsn string, lease time.Duration, names []string) (View, error) {
	v := View{Members: map[string]string{}, Leases: map[string]Lease{}}
	out, err := SQL(dsn, fmt.Sprintf("SELECT id, address FROM member WHERE heartbeat_at > now() - interval '%d milliseconds'", lease.Milliseconds()))
	if err != nil {
		return v, err
	}
	for _, r := range Rows(out) {
		v.Members[r[0]] = r[1]
	}
	out, err = SQL(dsn, fmt.Sprintf(`SELECT i.name, i.id, coalesce(l.owner, ''), coalesce(l.expires_at > now(), false)
		FROM instance i LEFT JOIN instance_lease l ON l.instance_id = i.id WHERE i.name = ANY(%s)`, Names(names)))
	if err != nil {
		return v, err
	}
	for _, r := range Rows(out) {
		v.Leases[r[0]] = Lease{ID: r[1], Owner: r[2], Valid: r[3] == "t"}
	}
	return v, nil
}

// MemberAt is the live member whose address is addr ("" when none).
func (v View) MemberAt(addr string) string {
	for id, a := range v.Members {
		if a == addr {
			return id
		}
	}
	return ""
}

// OwnedBy lists the instances whose lease names member.
func (v View) OwnedBy(member string) []string {
	var out []string
	for name, l := range v.Leases {
		if l.Owner == member {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// Settled says whether exactly n members are live, none of gone among them, and every one of names holds a valid
// lease of its rendezvous owner among them; when not, why.
func (v View) Settled(n int, gone, names []string) (bool, string) {
	if len(v.Members) != n {
		return false, fmt.Sprintf("%d live members, want %d: %v", len(v.Members), n, v.Members)
	}
	live := make([]string, 0, n)
	for id := range v.Members {
		if slices.Contains(gone, id) {
			return false, "member " + id + " still live"
		}
		live = append(live, id)
	}
	for _, name := range names {
		l := v.Leases[name]
		if want := Owner(l.ID, live); !l.Valid || l.Owner != want {
			return false, fmt.Sprintf("%s: lease %+v, want a valid one of %s", name, l, want)
		}
	}
	return true, ""
}

// Owner is io.wagate.cluster.Rendezvous.owner written again from its description (FNV-1a of the member id mixed
// with the instance id's two halves by splitmix64; the highest weight as a signed 64-bit number wins, ties to the
// smaller id), so that a test knows where every instance belongs without asking the gateway.
func Owner(instance string, members []string) string {
	hex := strings.ReplaceAll(instance, "-", "")
	if len(hex) != 32 {
		return ""
	}
	msb, _ := strconv.ParseUint(hex[:16], 16, 64)
	lsb, _ := strconv.ParseUint(hex[16:], 16, 64)
	best, bestWeight := "", int64(0)
	for _, m := range members {
		h := uint64(0xcbf29ce484222325)
		for _, b := range []byte(m) {
			h = (h ^ uint64(b)) * 0x100000001b3
		}
		w := int64(splitmix(h ^ splitmix(msb^splitmix(lsb))))
		if best == "" || w > bestWeight || (w == bestWeight && m < best) {
			best, bestWeight = m, w
		}
	}
	return best
}

func splitmix(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}
