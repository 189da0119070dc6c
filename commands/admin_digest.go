package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"talkbot/remind"
	"talkbot/store"
)

// digestExample is what a refusal suggests.
var digestExample = say("digest.example")

// minDigestGap keeps a digest to at most one a day; 23 hours, since a
// daily run is 23 hours after the last one when clocks go forward.
const minDigestGap = 23 * time.Hour

func (c *Commands) digest(ctx context.Context, req Request) (Reply, error) {
	expr := strings.Join(strings.Fields(req.Option("schedule")), " ")
	if err := tooLong(optionRef{"talks-admin/digest", "schedule", "schedule"}, expr, maxScheduleLength, "`0 9 * * 1`"); err != nil {
		return Reply{}, err
	}
	follows, err := c.settings.Follows(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("follows of %s: %w", req.GuildID, err)
	}
	followed := active(follows)
	loc, zoneNote, err := c.digestZone(ctx, c.words(req), req, followed)
	if err != nil {
		return Reply{}, err
	}
	sched, err := parseDigestSchedule(expr, loc)
	if err != nil {
		return Reply{}, err
	}
	runs := nextRuns(sched, c.now(), 3)
	if len(runs) == 0 {
		return Reply{}, sayError("digest.never_runs", "Schedule", echoCode(expr), "Example", digestExample)
	}
	d := store.Digest{GuildID: req.GuildID, Schedule: expr, Timezone: loc.String(), UpdatedAt: c.now()}
	if err := c.settings.SaveDigest(ctx, d); err != nil {
		return Reply{}, fmt.Errorf("saving digest of %s: %w", req.GuildID, err)
	}
	c.replan("")
	w := c.words(req)
	lines := []string{w.t("digest.saved", "Schedule", expr, "Zone", loc.String(), "Note", zoneNote), w.t("digest.next_runs")}
	for _, r := range runs {
		lines = append(lines, fmt.Sprintf("• <t:%d:F> (<t:%d:R>)", r.Unix(), r.Unix()))
	}
	if len(followed) == 0 {
		lines = append(lines, w.t("digest.no_channel", "Setup", w.command("talks-admin/setup")))
	}
	return Reply{Content: strings.Join(lines, "\n"), Ephemeral: true}, nil
}

// digestZone is the timezone option, or else that of the first track the
// server follows (fs, its active follows), or else UTC; zoneNote says
// where a default came from.
func (c *Commands) digestZone(ctx context.Context, w words, req Request, fs []store.Follow) (loc *time.Location, zoneNote string, err error) {
	if typed, given := req.Options["timezone"]; given {
		loc, err := zoneOption(typed)
		return loc, "", err
	}
	if len(fs) > 0 {
		t, err := c.loadTrack(ctx, fs[0].Track)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, "", err
		}
		if err == nil && t.Timezone != "" {
			if loc, err := time.LoadLocation(t.Timezone); err == nil {
				return loc, w.t("digest.zone_of", "Track", t.Title, "Option", w.option("talks-admin/digest", "timezone")), nil
			}
		}
	}
	return time.UTC, w.t("digest.zone_utc", "Option", w.option("talks-admin/digest", "timezone")), nil
}

// zoneOption reads the timezone option (store.LoadZone holds the rule)
// and says in the user's terms why a zone is refused.
func zoneOption(typed string) (*time.Location, error) {
	name := strings.TrimSpace(typed)
	if textLen(name) > maxZoneLength {
		return nil, tooLong(optionRef{"talks-admin/digest", "timezone", "timezone"}, name, maxZoneLength, "Europe/Istanbul")
	}
	loc, err := store.LoadZone(name)
	var ze *store.ZoneError
	if !errors.As(err, &ze) {
		return loc, err
	}
	example := say("digest.zone_example")
	switch ze.Problem {
	case store.ZoneMissing:
		return nil, sayError("digest.zone_missing", "Example", example)
	case store.ZoneLocal:
		return nil, sayError("digest.zone_local", "Example", example)
	}
	return nil, sayError("digest.zone_unknown", "Zone", echo(name), "Example", example)
}

// parseDigestSchedule reads a standard cron expression (five fields, or a
// descriptor such as @daily) in loc, as remind.DigestSpec has the
// scheduler read it.
func parseDigestSchedule(expr string, loc *time.Location) (cron.Schedule, error) {
	upper := strings.ToUpper(expr)
	switch {
	case expr == "":
		return nil, sayError("digest.no_schedule", "Example", digestExample)
	case strings.HasPrefix(upper, "TZ=") || strings.HasPrefix(upper, "CRON_TZ="):
		// The timezone has its own option; cron's own prefix also panics
		// when no space follows it.
		return nil, sayError("digest.zone_in_schedule", "Example", digestExample)
	case strings.HasPrefix(expr, "@every"):
		// @every counts from whenever the scheduler last looked, not
		// from the calendar, so it would drift with restarts.
		return nil, sayError("digest.every", "Example", digestExample)
	}
	// Read exactly as the scheduler will read the saved digest.
	s, err := cron.ParseStandard(remind.DigestSpec(store.Digest{Schedule: expr, Timezone: loc.String()}))
	if err != nil {
		return nil, sayError("digest.unreadable_because", "Schedule", echoCode(expr), "Error", detail{"digest.cron_detail", err.Error()}, "Example", digestExample)
	}
	spec, ok := s.(*cron.SpecSchedule)
	if !ok {
		return nil, sayError("digest.unreadable", "Schedule", echoCode(expr), "Example", digestExample)
	}
	// A digest runs at most daily: a schedule that posts every minute to
	// every followed channel would be spam and spend the rate limit.
	// Close runs come from the minute and hour fields, which repeat daily,
	// so a few weeks of runs show them.
	runs := nextRuns(spec, time.Date(2025, 1, 1, 0, 0, 0, 0, loc), 20)
	for i := 1; i < len(runs); i++ {
		if runs[i].Sub(runs[i-1]) < minDigestGap {
			return nil, sayError("digest.too_often", "Schedule", echoCode(expr), "Example", digestExample)
		}
	}
	return spec, nil
}

// nextRuns lists up to n runs after from; fewer when the schedule never
// runs again (cron gives up after five years).
func nextRuns(s cron.Schedule, from time.Time, n int) []time.Time {
	var out []time.Time
	for t := from; len(out) < n; {
		t = s.Next(t)
		if t.IsZero() {
			break
		}
		out = append(out, t)
	}
	return out
}
