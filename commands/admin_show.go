package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"talkbot/remind"
	"talkbot/store"
)

// showPending is how many coming announcements /talks-admin show lists.
const showPending = 5

// show answers in the caller's language; it names the language the
// server's posts are written in.
func (c *Commands) show(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	follows, err := c.settings.Follows(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("follows of %s: %w", req.GuildID, err)
	}
	digest, err := c.guildDigest(ctx, req.GuildID)
	if err != nil {
		return Reply{}, err
	}
	titles, err := c.trackTitles(ctx)
	if err != nil {
		return Reply{}, err
	}
	events, err := c.eventsFieldIn(ctx, w, req.GuildID, titles)
	if err != nil {
		return Reply{}, err
	}
	if len(follows) == 0 && digest == nil && events == "" {
		return Reply{Content: w.t("show.nothing", "Command", w.command("talks-admin/setup", "channel:#news")), Ephemeral: true}, nil
	}
	pending, err := c.settings.PendingFor(ctx, req.GuildID, showPending)
	if err != nil {
		return Reply{}, fmt.Errorf("pending deliveries of %s: %w", req.GuildID, err)
	}
	lang, err := c.settings.PostLanguage(ctx, req.GuildID)
	if err != nil {
		return Reply{}, err
	}
	var lines, problems []string
	for _, f := range follows {
		if f.Disabled != "" {
			problems = append(problems, w.t("show.stopped", "Channel", f.ChannelID, "Track", titles.of(f.Track),
				"Reason", strings.TrimSuffix(f.Disabled, "."), "Command", w.command("talks-admin/setup")))
			continue
		}
		line := w.t("show.follow", "Channel", f.ChannelID, "Track", titles.of(f.Track), "Offsets", w.offsetsText(f.Offsets))
		if f.RoleID != "" {
			line += " · " + w.t("show.pings", "Role", f.RoleID)
		}
		line += " · " + w.t("show.updates", "Updates", w.updatesShort(f.Updates))
		if f.News {
			line += " · " + w.t("show.news")
		}
		lines = append(lines, line)
		// The one channel whose permissions this request shows.
		if f.ChannelID == req.ChannelID {
			if missing := w.missingToPost(req.AppPermissions); len(missing) > 0 {
				problems = append(problems, w.t("show.cannot_post_here", "Channel", f.ChannelID, "Missing", w.andWords(missing),
					"Hint", w.grantHint()))
			}
		}
	}
	if len(lines) == 0 {
		lines = append(lines, w.t("show.no_channel"))
	}
	b := w.embed(w.t("show.title"), "").description(strings.Join(lines, "\n"))
	b.field(w.t("show.field.language"), languageName(langOf(lang)), false)
	b.field(w.t("show.field.cannot_post"), strings.Join(problems, "\n"), false)
	failing, err := c.failingFeeds(ctx, w, follows, titles)
	if err != nil {
		return Reply{}, err
	}
	b.field(w.t("show.field.failing_feeds"), strings.Join(failing, "\n"), false)
	if digest != nil {
		b.field(w.t("show.field.digest"), c.digestLine(w, *digest), false)
	}
	b.field(w.t("show.field.events"), events, false)
	var next []string
	for _, d := range pending {
		// A delivery waiting to retry goes at its next try, not when due.
		at := d.DueAt
		if d.NextTry.After(at) {
			at = d.NextTry
		}
		next = append(next, fmt.Sprintf("<t:%d:F> · %s", at.Unix(), w.deliveryText(d, titles)))
	}
	if len(next) == 0 {
		next = append(next, w.t("show.nothing_planned"))
	}
	b.field(w.t("show.field.next"), strings.Join(next, "\n"), false)
	b.footer(w.t("show.footer", "Setup", w.command("talks-admin/setup"), "Digest", w.subName("talks-admin", "digest"),
		"Events", w.subName("talks-admin", "events"), "Disable", w.subName("talks-admin", "disable")))
	reply := embedsReply(b)
	reply.Ephemeral = true
	return reply, nil
}

// guildDigest is the server's digest, nil when it has none.
func (c *Commands) guildDigest(ctx context.Context, guildID string) (*store.Digest, error) {
	ds, err := c.settings.Digests(ctx)
	if err != nil {
		return nil, fmt.Errorf("digests: %w", err)
	}
	for _, d := range ds {
		if d.GuildID == guildID {
			return &d, nil
		}
	}
	return nil, nil
}

func (c *Commands) digestLine(w words, d store.Digest) string {
	line := w.t("show.digest", "Schedule", d.Schedule, "Zone", d.Timezone)
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		return line + " " + w.t("show.digest_unknown_zone", "Command", w.command("talks-admin/digest"))
	}
	sched, err := parseDigestSchedule(d.Schedule, loc)
	if err != nil {
		return line + " " + w.t("show.digest_unreadable", "Command", w.command("talks-admin/digest"))
	}
	if runs := nextRuns(sched, c.now(), 1); len(runs) == 1 {
		line += " · " + w.t("show.digest_next", "When", fmt.Sprintf("<t:%d:F>", runs[0].Unix()))
	}
	return line
}

// deliveryText says what a coming delivery is and where it goes.
func (w words) deliveryText(d store.Delivery, titles trackTitles) string {
	var what string
	track := titles.of(d.Track)
	switch d.Kind {
	case store.DeliveryReminder:
		what = w.t("show.delivery.reminder", "Number", d.Round, "Track", track)
		// A reminder's payload is its offset (remind.PlanReminders).
		if offs, err := remind.ParseOffsets(d.Payload); err == nil && len(offs) == 1 {
			what = w.t("show.delivery.reminder_before", "Offset", w.offsetWords(offs[0]), "Number", d.Round, "Track", track)
		}
	case store.DeliveryUpdate:
		what = w.t("show.delivery.update", "Track", track)
		if d.Round > 0 {
			what = w.t("show.delivery.update_round", "Number", d.Round, "Track", track)
		}
	case store.DeliveryDigest:
		what = w.t("show.delivery.digest")
	case store.DeliveryNews:
		what = w.t("show.delivery.news", "Track", track)
	case store.DeliveryNewsDigest:
		what = w.t("show.delivery.news_digest")
	default:
		what = string(d.Kind)
	}
	if ch, ok := strings.CutPrefix(d.Target, store.ChannelPrefix); ok {
		what = w.t("show.delivery.in", "What", what, "Channel", ch)
	}
	return what
}

// updatesShort names a follow's updates mode in /talks-admin show.
func (w words) updatesShort(m store.UpdatesMode) string {
	switch m {
	case store.UpdatesAll:
		return w.t("show.updates.all")
	case store.UpdatesNone:
		return w.t("setup.updates.none")
	}
	return w.t("show.updates.rounds")
}

// subName is a subcommand's name as the reader sees it in Discord.
func (w words) subName(command, sub string) string {
	if n, ok := w.lookup("cmd." + command + "." + sub + ".name"); ok {
		return n
	}
	return sub
}
