package session

import (
	"testing"
	"time"
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
