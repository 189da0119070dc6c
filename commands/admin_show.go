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

func (c *Commands) show(ctx context.Context, req Request) (Reply, error) {
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
	events, err := c.eventsField(ctx, req.GuildID, titles)
	if err != nil {
		return Reply{}, err
	}
	if len(follows) == 0 && digest == nil && events == "" {
		return Reply{Content: "This server gets no reminders, update posts or digest. " +
			"`/talks-admin setup channel:#news` starts reminders in a channel.", Ephemeral: true}, nil
	}
	pending, err := c.settings.PendingFor(ctx, req.GuildID, showPending)
	if err != nil {
		return Reply{}, fmt.Errorf("pending deliveries of %s: %w", req.GuildID, err)
	}
	var lines, problems []string
	for _, f := range follows {
		if f.Disabled != "" {
			problems = append(problems, fmt.Sprintf("<#%s> · **%s** · stopped: %s. "+
				"To resume, allow talkbot View Channel, Send Messages and Embed Links there (or pick another channel) and run `/talks-admin setup` again.",
				f.ChannelID, titles.of(f.Track), strings.TrimSuffix(f.Disabled, ".")))
			continue
		}
		line := fmt.Sprintf("<#%s> · **%s** · reminders %s before", f.ChannelID, titles.of(f.Track), offsetsText(f.Offsets))
		if f.RoleID != "" {
			line += fmt.Sprintf(" · pings <@&%s>", f.RoleID)
		}
		line += " · update posts: " + updatesShort(f.Updates)
		if f.News {
			line += " · news"
		}
		lines = append(lines, line)
		// The one channel whose permissions this request shows.
		if f.ChannelID == req.ChannelID {
			if missing := missingToPost(req.AppPermissions); len(missing) > 0 {
				problems = append(problems, fmt.Sprintf("<#%s> (this channel): talkbot lacks %s here, so its posts will fail. %s.",
					f.ChannelID, andList(missing), grantHint))
			}
		}
	}
	if len(lines) == 0 {
		lines = append(lines, "No channel gets reminders or update posts.")
	}
	b := newEmbed("talkbot in this server", "").description(strings.Join(lines, "\n"))
	b.field("Channels talkbot cannot post to", strings.Join(problems, "\n"), false)
	failing, err := c.failingFeeds(ctx, follows, titles)
	if err != nil {
		return Reply{}, err
	}
	b.field("News feeds failing for a day or more", strings.Join(failing, "\n"), false)
	if digest != nil {
		b.field("Digest", c.digestLine(*digest), false)
	}
	b.field("Events", events, false)
	var next []string
	for _, d := range pending {
		// A delivery waiting to retry goes at its next try, not when due.
		at := d.DueAt
		if d.NextTry.After(at) {
			at = d.NextTry
		}
		next = append(next, fmt.Sprintf("<t:%d:F> · %s", at.Unix(), deliveryText(d, titles)))
	}
	if len(next) == 0 {
		next = append(next, "Nothing is planned yet.")
	}
	b.field("Next announcements", strings.Join(next, "\n"), false)
	b.footer("Change with /talks-admin setup, digest, events or disable")
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

func (c *Commands) digestLine(d store.Digest) string {
	line := fmt.Sprintf("`%s` in %s", d.Schedule, d.Timezone)
	loc, err := time.LoadLocation(d.Timezone)
	if err != nil {
		return line + " (unknown timezone: run /talks-admin digest again)"
	}
	sched, err := parseDigestSchedule(d.Schedule, loc)
	if err != nil {
		return line + " (no longer readable: run /talks-admin digest again)"
	}
	if runs := nextRuns(sched, c.now(), 1); len(runs) == 1 {
		line += fmt.Sprintf(" · next <t:%d:F>", runs[0].Unix())
	}
	return line
}

// deliveryText says what a coming delivery is and where it goes.
func deliveryText(d store.Delivery, titles trackTitles) string {
	var what string
	switch d.Kind {
	case store.DeliveryReminder:
		what = fmt.Sprintf("reminder for round %d of **%s**", d.Round, titles.of(d.Track))
		// A reminder's payload is its offset (remind.PlanReminders).
		if offs, err := remind.ParseOffsets(d.Payload); err == nil && len(offs) == 1 {
			what = fmt.Sprintf("reminder %s before round %d of **%s**", offsetWords(offs[0]), d.Round, titles.of(d.Track))
		}
	case store.DeliveryUpdate:
		what = "update on **" + titles.of(d.Track) + "**"
		if d.Round > 0 {
			what = fmt.Sprintf("update on round %d of **%s**", d.Round, titles.of(d.Track))
		}
	case store.DeliveryDigest:
		what = "digest"
	case store.DeliveryNews:
		what = "news post on **" + titles.of(d.Track) + "**"
	case store.DeliveryNewsDigest:
		what = "news digest"
	default:
		what = string(d.Kind)
	}
	if ch, ok := strings.CutPrefix(d.Target, store.ChannelPrefix); ok {
		what += " in <#" + ch + ">"
	}
	return what
}

// updatesShort names a follow's updates mode in /talks-admin show.
func updatesShort(m store.UpdatesMode) string {
	switch m {
	case store.UpdatesAll:
		return "rounds, positions and statements"
	case store.UpdatesNone:
		return "none"
	}
	return "rounds"
}
