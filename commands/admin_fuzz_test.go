package commands

import (
	"testing"
	"time"
)

// FuzzParseDigestSchedule feeds what a server admin might type to the cron
// parser: it must refuse, never panic (cron's own TZ= prefix can).
func FuzzParseDigestSchedule(f *testing.F) {
	for _, seed := range []string{"@weekly", "@daily", "0 9 * * 1", "30 18 * * 1-5", "0 9 * *", "*/15 * * * *",
		"TZ=Europe/Istanbul", "CRON_TZ=UTC 0 9 * * 1", "@every 1h", "0 9 30 2 *", "61 9 * * 1", "0 9 * * MON", "@", "- - - - -", "0-60/0 * * * *"} {
		f.Add(seed)
	}
	loc, err := time.LoadLocation("Europe/Istanbul")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := parseDigestSchedule(expr, loc)
		if err != nil {
			if _, ok := AsUserError(err); !ok {
				t.Errorf("%q: %v is not a user error", expr, err)
			}
			return
		}
		runs := nextRuns(s, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), 3)
		for i := 1; i < len(runs); i++ {
			if runs[i].Sub(runs[i-1]) < minDigestGap {
				t.Errorf("%q runs %v then %v", expr, runs[i-1], runs[i])
			}
		}
	})
}
