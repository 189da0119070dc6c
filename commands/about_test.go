package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"talkbot/commands"
)

// /talks upcoming takes a track and lists only that track's meetings.
func TestUpcomingInOneTrack(t *testing.T) {
	s, tracks := large(t)
	c := commands.New(s, at("2026-11-25T00:00:00Z"), nil)
	for _, tr := range tracks[:2] {
		reply, err := c.Handle(t.Context(), cmd("talks/upcoming", "track:"+tr.ID))
		if err != nil {
			t.Fatal(err)
		}
		checkLimits(t, reply)
		e := reply.Embeds[0]
		if !strings.HasSuffix(e.Title, " · "+tr.Title) {
			t.Errorf("title = %q; want the track's title", e.Title)
		}
		all, err := s.UpcomingRounds(t.Context(), tr.ID, at("2026-11-25T00:00:00Z")(), 20)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(e.Description, "\n")
		if len(all) == 0 || len(lines) != len(all) {
			t.Fatalf("upcoming in %s has %d lines; the track has %d upcoming rounds", tr.ID, len(lines), len(all))
		}
		for i, r := range all {
			if !strings.Contains(lines[i], fmt.Sprintf(" · round %d", r.Number)) {
				t.Errorf("line %d = %q; want round %d of %s", i, lines[i], r.Number, tr.ID)
			}
		}
	}
	if msg := userError(t, c, cmd("talks/upcoming", "track:nowhere")); !strings.Contains(msg, `There is no track "nowhere"`) {
		t.Errorf("an unknown track: %q", msg)
	}
	var opt bool
	for _, sub := range c.Definitions()[0].Options {
		if sub.Name == "upcoming" || sub.Name == "about" {
			for _, o := range sub.Options {
				opt = opt || (o.Name == "track" && o.Autocomplete)
			}
			if !opt {
				t.Errorf("/talks %s has no track option with autocomplete", sub.Name)
			}
			opt = false
		}
	}
}

// /talks about tells how recent the news is apart from when this copy of
// the data was last updated.
func TestAboutSaysTheLatestReportAndWhenThisCopyChanged(t *testing.T) {
	c := commands.New(bundled(t), at("2026-12-05T12:00:00Z"), nil)
	for _, req := range []commands.Request{cmd("talks/about"), cmd("talks/about", "track:ru-ua-istanbul")} {
		reply, err := c.Handle(t.Context(), req)
		if err != nil {
			t.Fatal(err)
		}
		fields := map[string]string{}
		for _, f := range reply.Embeds[0].Fields {
			fields[f.Name] = f.Value
		}
		if got := fields["Latest report"]; got != "28 May 2025" {
			t.Errorf("%v: latest report = %q; want 28 May 2025 (fields %v)", req.Options, got, fields)
		}
		if got := fields["This copy updated"]; !strings.HasPrefix(got, "<t:1748505600:f>") || !strings.Contains(got, ":R>") {
			t.Errorf("%v: this copy updated = %q", req.Options, got)
		}
		if _, ok := fields["Data last changed"]; ok {
			t.Errorf("%v: still says data last changed", req.Options)
		}
	}
}
