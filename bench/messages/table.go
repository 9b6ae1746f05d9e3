package main

import (
	"fmt"
	"slices"
	"time"
)

// quantile of sorted durations (nearest rank), in milliseconds.
func quantile(sorted []time.Duration, q float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := min(len(sorted)-1, max(0, int(float64(len(sorted))*q+0.5)-1))
	return float64(sorted[i].Microseconds()) / 1000
}

func latency(r *result) (p50, p99 float64) {
	s := slices.Clone(r.lat)
	slices.Sort(s)
	return quantile(s, 0.50), quantile(s, 0.99)
}

// verdict of the one ratio goal: wagate's p50 API call to server ack against raw whatsmeow's send to ack.
func verdict(wagate, raw float64) string {
	if raw == 0 {
		return "not compared: no raw sends"
	}
	ratio := wagate / raw
	if ratio <= 1.2 {
		return fmt.Sprintf("met: %.2f×", ratio)
	}
	return fmt.Sprintf("missed: %.2f× (%.1f ms over)", ratio, wagate-1.2*raw)
}

func printTable(n, msgs int, out, in, raw *result) {
	op50, op99 := latency(out)
	ip50, ip99 := latency(in)
	rp50, rp99 := latency(raw)
	fmt.Printf("\n%d instances × %d texts each way; the limit: %d pairs of virtual contacts × %d texts (same emulator, same run)\n\n",
		n, msgs, n, msgs)
	fmt.Println("| measurement | wagate | raw whatsmeow | goal | verdict |")
	fmt.Println("|---|---|---|---|---|")
	fmt.Printf("| sends/s (%d senders in parallel, each in order) | %.0f | %.0f | - | - |\n", n, out.perSecond(), raw.perSecond())
	fmt.Printf("| send to server ack, p50 / p99 (wagate: API call to its 200) | %.1f / %.1f ms | %.1f / %.1f ms | p50 ≤ 1.2× raw | %s |\n",
		op50, op99, rp50, rp99, verdict(op50, rp50))
	fmt.Printf("| contact send to message.exchange on the WebSocket, p50 / p99 | %.1f / %.1f ms | - | - | - |\n", ip50, ip99)
	fmt.Printf("| outbound: sent / at the contact / lost / duplicated | %d / %d / %d / %d | %d / %d / %d / %d | 0 lost, 0 duplicated | %s |\n",
		out.sent, out.deliveredAtContacts, out.lost, out.dup, raw.sent, raw.deliveredAtContacts, raw.lost, raw.dup, zero(out.lost+out.dup+raw.lost+raw.dup))
	fmt.Printf("| inbound: sent by the contacts / lost / duplicated on the WebSocket | %d / %d / %d | - | 0 lost, 0 duplicated | %s |\n",
		in.sent, in.lost, in.dup, zero(in.lost+in.dup))
	for what, r := range map[string]*result{"outbound": out, "inbound": in, "raw": raw} {
		if r.errors > 0 {
			fmt.Printf("\n%s: %d failed sends, the first: %s\n", what, r.errors, r.firstError)
		}
	}
}

func zero(n int) string {
	if n == 0 {
		return "met"
	}
	return fmt.Sprintf("missed: %d", n)
}
