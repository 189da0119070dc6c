package remind

import (
	"strings"
	"testing"
	"time"

	"talkbot/store"
)

func mustLoc(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func exactRound(t *testing.T, n int, local time.Time, status store.Status) store.Round {
	t.Helper()
	return store.Round{Track: "tr", Number: n, Status: status, Starts: store.When{Date: store.DateOf(local), At: local.UTC(), Zone: local.Location().String()}, Sources: []string{"s"}}
}

func dues(ds []store.Delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Payload+"@"+d.DueAt.UTC().Format("2006-01-02T15:04Z"))
	}
	return out
}

func TestPlanReminders(t *testing.T) {
	ist := mustLoc(t, "Europe/Istanbul")
	kyiv := mustLoc(t, "Europe/Kyiv")
	channel := Target{ID: store.ChannelTarget("10"), GuildID: "1", RoleID: "99", Offsets: []time.Duration{7 * day, day, time.Hour, 15 * time.Minute}}
	now := time.Date(2025, 5, 20, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		name  string
		round store.Round
		now   time.Time
		want  []string
	}{
		{"an exact meeting gets every offset", exactRound(t, 2, time.Date(2025, 6, 2, 10, 0, 0, 0, ist), store.StatusScheduled), now,
			[]string{"7d@2025-05-26T07:00Z", "1d@2025-06-01T07:00Z", "1h@2025-06-02T06:00Z", "15m@2025-06-02T06:45Z"}},
		{"a date-only meeting gets only day offsets, from the start of its day",
			store.Round{Track: "tr", Number: 2, Status: store.StatusProposed, Starts: store.When{Date: store.DateOf(time.Date(2025, 6, 2, 0, 0, 0, 0, time.UTC)), Zone: "Europe/Istanbul"}}, now,
			[]string{"7d@2025-05-25T21:00Z", "1d@2025-05-31T21:00Z"}},
		// Kyiv moves from UTC+2 to UTC+3 on 30 March 2025: a 10:00 meeting
		// on 31 March is 07:00 UTC, and "1d" before is 10:00 on 30 March,
		// already summer time: 07:00 UTC, not 08:00.
		{"a day offset keeps the local hour across a DST change", exactRound(t, 3, time.Date(2025, 3, 31, 10, 0, 0, 0, kyiv), store.StatusScheduled), time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC),
			[]string{"7d@2025-03-24T08:00Z", "1d@2025-03-30T07:00Z", "1h@2025-03-31T06:00Z", "15m@2025-03-31T06:45Z"}},
		{"held, cancelled and postponed rounds get none", exactRound(t, 4, time.Date(2025, 6, 2, 10, 0, 0, 0, ist), store.StatusPostponed), now, nil},
		{"a meeting that has started gets none", exactRound(t, 5, time.Date(2025, 5, 20, 14, 0, 0, 0, ist), store.StatusScheduled), now, nil},
		{"of the reminders already due only the latest is kept, due now", exactRound(t, 6, time.Date(2025, 5, 21, 10, 0, 0, 0, ist), store.StatusScheduled), now,
			[]string{"1d@2025-05-20T12:00Z", "1h@2025-05-21T06:00Z", "15m@2025-05-21T06:45Z"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := PlanReminders([]store.Round{tc.round}, []Target{channel}, tc.now)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(dues(got), " ") != strings.Join(tc.want, " ") {
				t.Errorf("dues = %v\nwant   %v", dues(got), tc.want)
			}
			for _, d := range got {
				if !d.DueAt.Before(d.Deadline) || d.Target != channel.ID || d.RoleID != "99" || d.GuildID != "1" {
					t.Errorf("delivery %+v", d)
				}
			}
		})
	}
}

func TestKeysChangeWithTheStartAndTheRole(t *testing.T) {
	ist := mustLoc(t, "Europe/Istanbul")
	start := time.Date(2025, 6, 2, 10, 0, 0, 0, ist)
	a := ReminderKey("tr", 2, start, time.Hour, "1")
	if a == ReminderKey("tr", 2, start.Add(time.Hour), time.Hour, "1") || a == ReminderKey("tr", 2, start, time.Hour, "2") {
		t.Error("a rescheduled meeting or another role must give a new key")
	}
	if n := NonceFor(a, "channel:1"); len(n) != 25 || n != NonceFor(a, "channel:1") || n == NonceFor(a, "channel:2") {
		t.Errorf("nonce %q: want 25 characters, the same for the same delivery, different for another", n)
	}
}
