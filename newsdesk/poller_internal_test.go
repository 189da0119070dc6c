package newsdesk

import (
	"testing"
	"time"
)

func TestNextRoundKeepsEachFeedAtItsPoint(t *testing.T) {
	at := func(s string) time.Time {
		t.Helper()
		v, err := time.Parse(time.TimeOnly, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name, now string
		offset    time.Duration
		want      string
	}{
		{"later in this round", "10:02:00", 3 * time.Minute, "10:03:00"},
		{"past its point: the next round", "10:04:00", 3 * time.Minute, "10:13:00"},
		{"exactly at its point: the next round", "10:03:00", 3 * time.Minute, "10:13:00"},
		{"a late poll does not push the next one later", "10:03:07", 3 * time.Minute, "10:13:00"},
		{"offset zero", "10:09:59", 0, "10:10:00"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextRound(at(tc.now), 10*time.Minute, tc.offset); !got.Equal(at(tc.want)) {
				t.Errorf("nextRound(%s, 10m, %v) = %v; want %s", tc.now, tc.offset, got.Format(time.TimeOnly), tc.want)
			}
		})
	}
}
