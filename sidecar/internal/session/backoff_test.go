package session

import (
	"testing"
	"time"

	"go.mau.fi/whatsmeow/store"
)

func TestBackoff(t *testing.T) {
	s := time.Second
	cases := []struct {
		n         int
		base, max time.Duration
		want      time.Duration
	}{
		{1, s, 60 * s, s},
		{2, s, 60 * s, 2 * s},
		{3, s, 60 * s, 4 * s},
		{6, s, 60 * s, 32 * s},
		{7, s, 60 * s, 60 * s},
		{1000, s, 60 * s, 60 * s},
		{0, s, 60 * s, s},
		{1, s, 400 * time.Millisecond, 400 * time.Millisecond}, // base above the cap is capped
		{3, 100 * time.Millisecond, 400 * time.Millisecond, 400 * time.Millisecond},
		{2, 100 * time.Millisecond, 400 * time.Millisecond, 200 * time.Millisecond},
		{70, time.Millisecond, time.Hour, time.Hour}, // no overflow however many attempts
	}
	for _, c := range cases {
		if got := Backoff(c.n, c.base, c.max); got != c.want {
			t.Errorf("Backoff(%d, %s, %s) = %s, want %s", c.n, c.base, c.max, got, c.want)
		}
	}
}

func TestWithHistoryDaysSetsAndRestores(t *testing.T) {
	m := &Manager{}
	before := store.DeviceProps.GetHistorySyncConfig().FullSyncDaysLimit
	var during uint32
	m.withHistoryDays(30, func() { during = store.DeviceProps.GetHistorySyncConfig().GetFullSyncDaysLimit() })
	if during != 30 {
		t.Fatalf("FullSyncDaysLimit during connect = %d, want 30", during)
	}
	if after := store.DeviceProps.GetHistorySyncConfig().FullSyncDaysLimit; after != before {
		t.Fatalf("FullSyncDaysLimit not restored: %v, want %v", after, before)
	}
	m.withHistoryDays(0, func() {
		if got := store.DeviceProps.GetHistorySyncConfig().FullSyncDaysLimit; got != before {
			t.Fatalf("history_days 0 changed the default to %v", got)
		}
	})
}
