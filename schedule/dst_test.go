package schedule_test

import (
	"testing"
	"time"

	"talkbot/bot/discordtest"
	"talkbot/schedule"
	"talkbot/store"
	"talkbot/store/sqlite/sqlitetest"
)

func TestDayRemindersKeepTheLocalHourAcrossDSTChanges(t *testing.T) {
	utc := func(s string) time.Time {
		at, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	local := func(zone, s string) time.Time {
		loc, err := time.LoadLocation(zone)
		if err != nil {
			t.Fatal(err)
		}
		at, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return at
	}
	offsets := []time.Duration{7 * 24 * time.Hour, 24 * time.Hour, time.Hour}
	cases := []struct {
		name     string
		round    store.Round
		planned  time.Time
		deadline time.Time
		due      []time.Time // by offset, longest first
	}{
		{
			// Kyiv moves from UTC+2 to UTC+3 on 30 March 2025.
			name:     "a meeting after clocks go forward is reminded at 10:00 local before it",
			round:    meeting(t, 1, local("Europe/Kyiv", "2025-03-31 10:00"), "Europe/Kyiv", store.StatusScheduled),
			planned:  utc("2025-03-20T12:00:00Z"),
			deadline: utc("2025-03-31T07:00:00Z"),
			due:      []time.Time{utc("2025-03-24T08:00:00Z"), utc("2025-03-30T07:00:00Z"), utc("2025-03-31T06:00:00Z")},
		},
		{
			// New York moves from UTC-4 to UTC-5 on 2 November 2025.
			name:     "a meeting after clocks go back is reminded at 10:00 local before it",
			round:    meeting(t, 1, local("America/New_York", "2025-11-03 10:00"), "America/New_York", store.StatusScheduled),
			planned:  utc("2025-10-20T12:00:00Z"),
			deadline: utc("2025-11-03T15:00:00Z"),
			due:      []time.Time{utc("2025-10-27T14:00:00Z"), utc("2025-11-02T15:00:00Z"), utc("2025-11-03T14:00:00Z")},
		},
		{
			// Kyiv moves back to UTC+2 on 26 October 2025; a date-only
			// meeting gets day reminders from the start of its day.
			name: "a date-only meeting after clocks go back is reminded at midnight local",
			round: store.Round{Number: 1, Status: store.StatusProposed, Venue: "Geneva", Sources: []string{"wire"},
				Starts: store.When{Date: store.Date{Year: 2025, Month: time.October, Day: 27}, Zone: "Europe/Kyiv"}},
			planned:  utc("2025-10-10T12:00:00Z"),
			deadline: utc("2025-10-26T22:00:00Z"),
			due:      []time.Time{utc("2025-10-19T21:00:00Z"), utc("2025-10-25T21:00:00Z")},
		},
	}
	for _, e := range engines {
		for _, tc := range cases {
			t.Run(e.name+"/"+tc.name, func(t *testing.T) {
				fake := discordtest.New(t)
				now := func() time.Time { return tc.planned }
				s := e.open(t, now)
				importTracks(t, s, trackOf("tr", tc.round))
				saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "tr", Offsets: offsets})
				start(t, s, newSender(t, fake, via{}), now, schedule.Options{})
				var ds []store.Delivery
				waitFor(t, 5*time.Second, "the plan", func() bool {
					var err error
					ds, err = s.PendingFor(t.Context(), guildID(1), 0)
					if err != nil {
						t.Fatal(err)
					}
					return len(ds) == len(tc.due)
				})
				for i, d := range ds {
					if !d.DueAt.Equal(tc.due[i]) || !d.Deadline.Equal(tc.deadline) {
						t.Errorf("%s reminder due %v, deadline %v; want %v, %v", d.Payload, d.DueAt, d.Deadline, tc.due[i], tc.deadline)
					}
				}
			})
		}
	}
}

// The scheduler's clock is set to a few seconds before a reminder that a
// DST change makes 23 hours before its meeting; in real time, it goes out
// at that instant, not an hour early (as 24 hours would).
func TestADayReminderAcrossADSTChangeGoesOutAtItsPlannedInstant(t *testing.T) {
	fake := discordtest.New(t)
	// Kyiv: 10:00 on 30 March 2025 is 07:00Z (UTC+3); 10:00 the day
	// before is 08:00Z (UTC+2).
	meetingAt := time.Date(2025, 3, 30, 7, 0, 0, 0, time.UTC)
	due := time.Date(2025, 3, 29, 8, 0, 0, 0, time.UTC)
	shift := due.Add(-4 * time.Second).Sub(time.Now())
	now := func() time.Time { return time.Now().Add(shift) }
	s := sqlitetest.Open(t, now)
	importTracks(t, s, trackOf("tr", meeting(t, 1, meetingAt, "Europe/Kyiv", store.StatusScheduled)))
	saveFollow(t, s, store.Follow{GuildID: guildID(1), ChannelID: channelID(1), Track: "tr", Offsets: []time.Duration{24 * time.Hour}})
	start(t, s, newSender(t, fake, via{}), now, schedule.Options{})

	dueReal := due.Add(-shift)
	var got []discordtest.Message
	waitFor(t, 10*time.Second, "the reminder", func() bool {
		got = messagesIn(fake, channelID(1), "Reminder: round 1")
		return len(got) > 0
	})
	if early := dueReal.Sub(got[0].At); early > 0 {
		t.Errorf("the reminder came %v before its planned instant", early)
	} else if -early > time.Second {
		t.Errorf("the reminder came %v after its planned instant; want within 1 s", -early)
	}
	time.Sleep(500 * time.Millisecond)
	if got = messagesIn(fake, channelID(1), "Reminder:"); len(got) != 1 {
		t.Errorf("%d reminders; want 1", len(got))
	}
	noViolations(t, fake)
}
