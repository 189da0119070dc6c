package dataset

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

const roundsAt = `tracks:
  - id: t
    title: T
    timezone: Europe/Istanbul
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        starts: 2025-06-02
        sources: [s1]
      - number: 2
        status: held
        starts: 2025-06-02T13:00
        sources: [s1]
      - number: 3
        status: proposed
        starts: 2025-05-20
        sources: [s1]
      - number: 4
        status: scheduled
        starts: 2025-05-26T10:00
        sources: [s1]
`

func TestCheckComparesStatusesWithNow(t *testing.T) {
	cases := []struct {
		name           string
		now            time.Time
		errs, warnings []string
	}{
		{
			name: "a held round that starts after now is an error",
			// 2 June 2025 08:00 in Istanbul: round 1's day has begun, round 2 has not.
			now:  time.Date(2025, 6, 2, 5, 0, 0, 0, time.UTC),
			errs: []string{`talks.yaml:12:17: round 2 is "held" but starts 2025-06-02T13:00, after now (2025-06-02 08:00 +03): use "scheduled" or "proposed" until a source reports it was held`},
			warnings: []string{
				`talks.yaml:16:17: warning: round 3 is still "proposed" but its start, 2025-05-20, is more than 7 days past: set the status a later report gives (held, postponed or cancelled)`,
			},
		},
		{
			name: "a held date-only round is in the future until its day begins",
			now:  time.Date(2025, 6, 1, 20, 59, 0, 0, time.UTC), // 23:59 in Istanbul
			errs: []string{
				`talks.yaml:8:17: round 1 is "held" but starts 2025-06-02, after now (2025-06-01 23:59 +03): use "scheduled" or "proposed" until a source reports it was held`,
				`talks.yaml:12:17: round 2 is "held" but starts 2025-06-02T13:00, after now (2025-06-01 23:59 +03): use "scheduled" or "proposed" until a source reports it was held`,
			},
			warnings: []string{
				`talks.yaml:16:17: warning: round 3 is still "proposed" but its start, 2025-05-20, is more than 7 days past: set the status a later report gives (held, postponed or cancelled)`,
			},
		},
		{
			name: "pending rounds warn only once the end of their day is more than 7 days past",
			// Round 3's day ended 20 May 21:00 UTC; round 4 began 26 May 07:00 UTC.
			now: time.Date(2025, 5, 27, 21, 0, 0, 0, time.UTC),
			errs: []string{
				`talks.yaml:8:17: round 1 is "held" but starts 2025-06-02, after now (2025-05-28 00:00 +03): use "scheduled" or "proposed" until a source reports it was held`,
				`talks.yaml:12:17: round 2 is "held" but starts 2025-06-02T13:00, after now (2025-05-28 00:00 +03): use "scheduled" or "proposed" until a source reports it was held`,
			},
		},
		{
			name: "long past pending rounds are warnings, not errors",
			now:  time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC),
			warnings: []string{
				`talks.yaml:16:17: warning: round 3 is still "proposed" but its start, 2025-05-20, is more than 7 days past: set the status a later report gives (held, postponed or cancelled)`,
				`talks.yaml:20:17: warning: round 4 is still "scheduled" but its start, 2025-05-26T10:00, is more than 7 days past: set the status a later report gives (held, postponed or cancelled)`,
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tracks, warnings, err := Check("talks.yaml", []byte(roundsAt), tc.now)
			var errs Errors
			if err != nil && !errors.As(err, &errs) {
				t.Fatalf("Check error is %T, want Errors", err)
			}
			if got := lines(errs); !reflect.DeepEqual(got, tc.errs) {
				t.Errorf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.errs, "\n"))
			}
			if got := lines(warnings); !reflect.DeepEqual(got, tc.warnings) {
				t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.warnings, "\n"))
			}
			if (len(tc.errs) == 0) != (tracks != nil) {
				t.Errorf("Check returned %d tracks with %d errors: tracks come back exactly when there are no errors", len(tracks), len(errs))
			}
		})
	}
}

func TestParseIgnoresTheClock(t *testing.T) {
	// A held round in 9999 is in the future whenever this runs, yet Parse,
	// which has no clock, accepts it.
	src := strings.Replace(roundsAt, "starts: 2025-06-02\n", "starts: 9999-06-02\n", 1)
	if _, err := Parse("talks.yaml", []byte(src)); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Check("talks.yaml", []byte(src), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Fatal("Check accepted a held round in 9999")
	}
}

func lines(es Errors) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Error())
	}
	return out
}
