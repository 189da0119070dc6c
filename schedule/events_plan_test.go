package schedule_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"talkbot/schedule"
	"talkbot/store"
)

func TestPlanEvents(t *testing.T) {
	now := time.Date(2025, 5, 30, 12, 0, 0, 0, time.UTC)
	g := guildID(1)
	ahead := func(n int, hours int, status store.Status) store.Round {
		return meeting(t, n, now.Add(time.Duration(hours)*time.Hour), "Europe/Istanbul", status)
	}
	rec := func(track string, n int, state store.GuildEventState) store.GuildEvent {
		return store.GuildEvent{GuildID: g, Track: track, Round: n, EventID: "e" + track + strconv.Itoa(n), State: state, SpecHash: "old"}
	}
	all := []store.EventSetting{{GuildID: g, Track: "", Enabled: true}}
	tracksOf := func(ts ...store.Track) map[string]schedule.EventTrack {
		out := map[string]schedule.EventTrack{}
		for _, tr := range ts {
			out[tr.ID] = schedule.EventTrack{Track: tr, Rounds: tr.Rounds}
		}
		return out
	}
	cases := []struct {
		name    string
		se      schedule.ServerEvents
		tracks  map[string]schedule.EventTrack
		want    []string // delivery keys, without their hash
		done    []int
		leftOut int
	}{
		{name: "a pending round ahead is made, a held, postponed or past one is not",
			se: schedule.ServerEvents{Settings: all, Follows: []string{"a"}},
			tracks: tracksOf(trackOf("a", ahead(1, 24, store.StatusScheduled), ahead(2, 48, store.StatusHeld),
				ahead(3, 72, store.StatusPostponed), ahead(4, -24, store.StatusScheduled), ahead(5, 96, store.StatusCancelled))),
			want: []string{"event:a:1"}},
		{name: "a track left out of all, or not followed, gets nothing; one enabled alone does",
			se: schedule.ServerEvents{Settings: []store.EventSetting{{GuildID: g, Track: "", Enabled: true}, {GuildID: g, Track: "a"},
				{GuildID: g, Track: "c", Enabled: true}}, Follows: []string{"a"}},
			tracks: tracksOf(trackOf("a", ahead(1, 24, store.StatusScheduled)), trackOf("b", ahead(1, 24, store.StatusScheduled)),
				trackOf("c", ahead(1, 24, store.StatusScheduled))),
			want: []string{"event:c:1"}},
		{name: "a recorded event is cancelled, deleted when postponed or no longer covered, done when held",
			se: schedule.ServerEvents{Settings: all, Follows: []string{"a"},
				Recorded: []store.GuildEvent{rec("a", 1, store.GuildEventActive), rec("a", 2, store.GuildEventActive),
					rec("a", 3, store.GuildEventActive), rec("b", 1, store.GuildEventActive), rec("a", 4, store.GuildEventCancelled)}},
			tracks: tracksOf(trackOf("a", ahead(1, 24, store.StatusCancelled), ahead(2, 24, store.StatusPostponed),
				ahead(3, 24, store.StatusHeld), ahead(4, 24, store.StatusCancelled)), trackOf("b", ahead(1, 24, store.StatusScheduled))),
			want: []string{"event-delete:a:2:ea2", "event-delete:b:1:eb1", "event:a:1"}, done: []int{3}},
		{name: "an event deleted by hand or left to Discord is not made again",
			se: schedule.ServerEvents{Settings: all, Follows: []string{"a"},
				Recorded: []store.GuildEvent{rec("a", 1, store.GuildEventGone), rec("a", 2, store.GuildEventDone)}},
			tracks: tracksOf(trackOf("a", ahead(1, 24, store.StatusScheduled), ahead(2, 48, store.StatusScheduled)))},
		{name: "a meeting under way is neither made nor edited",
			se:     schedule.ServerEvents{Settings: all, Follows: []string{"a"}, Recorded: []store.GuildEvent{rec("a", 1, store.GuildEventActive)}},
			tracks: tracksOf(trackOf("a", ahead(1, -1, store.StatusScheduled), ahead(2, -1, store.StatusScheduled)))},
		{name: "past the limit the farthest are left out, and their events deleted",
			se: schedule.ServerEvents{Settings: all, Follows: []string{"a", "b"}, Recorded: []store.GuildEvent{rec("a", 1, store.GuildEventActive)}},
			tracks: func() map[string]schedule.EventTrack {
				var a, b []store.Round
				for i := range 60 {
					a = append(a, ahead(i+1, 1000-i, store.StatusScheduled)) // round 1 is the farthest
					b = append(b, ahead(i+1, 24+i, store.StatusScheduled))
				}
				return tracksOf(trackOf("a", a...), trackOf("b", b...))
			}(),
			want: []string{"event-delete:a:1:ea1"}, leftOut: 20},
		{name: "a server that lost Manage Events gets nothing, not even deletes",
			se: schedule.ServerEvents{Settings: []store.EventSetting{{GuildID: g, Enabled: true, Problem: "lost Manage Events", LeftOut: 3}},
				Follows: []string{"a"}, Recorded: []store.GuildEvent{rec("a", 1, store.GuildEventActive)}},
			tracks: tracksOf(trackOf("a", ahead(1, 24, store.StatusPostponed), ahead(2, 24, store.StatusScheduled))), leftOut: 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.se.GuildID = g
			p, err := schedule.PlanEvents(tc.se, tc.tracks, now, now.Add(24*time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, d := range p.Want {
				if d.Kind != store.DeliveryEvent || d.Target != store.GuildTarget(g) || d.GuildID != g {
					t.Errorf("delivery %+v is not an event sync of the server", d)
				}
				key := d.Key
				if strings.HasPrefix(key, "event:") {
					key = key[:strings.LastIndexByte(key, ':')]
				}
				got = append(got, key)
			}
			if len(got) > 0 && tc.leftOut > 0 {
				// Only the deletes matter here; the 100 creates are many.
				got = slices.DeleteFunc(got, func(k string) bool { return strings.HasPrefix(k, "event:") })
			}
			slices.Sort(got)
			if !slices.Equal(got, tc.want) {
				t.Errorf("wanted %q; want %q", got, tc.want)
			}
			var done []int
			for _, r := range p.Done {
				done = append(done, r.Round)
			}
			if !slices.Equal(done, tc.done) || p.LeftOut != tc.leftOut {
				t.Errorf("done %v, left out %d; want %v, %d", done, p.LeftOut, tc.done, tc.leftOut)
			}
		})
	}
}
