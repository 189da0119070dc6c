package commands

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// eventLimit is Discord's limit of scheduled events in a server.
const eventLimit = 100

// eventsSubs are /talks-admin events enable and disable: the rounds of a
// server's talks in its Events list, kept in sync by the scheduler.
func (c *Commands) eventsSubs() []subcommand {
	track := func(description string) []*discordgo.ApplicationCommandOption {
		return []*discordgo.ApplicationCommandOption{{Type: discordgo.ApplicationCommandOptionString, Name: "track",
			Description: description, Autocomplete: true, MaxLength: maxIDLength}}
	}
	return []subcommand{
		{group: "events", name: "enable", description: "Show the coming rounds in this server's Events list, kept in sync",
			options: track("Only these talks (default: every track this server follows)"), handle: adminOnly(c.eventsEnable)},
		{group: "events", name: "disable", description: "Delete the events talkbot made and stop making them",
			options: track("Only these talks (default: all)"), handle: adminOnly(c.eventsDisable)},
	}
}

func (c *Commands) eventsEnable(ctx context.Context, req Request) (Reply, error) {
	// app_permissions is what the bot may do here; Manage Events is a
	// server permission, so any channel tells.
	if req.AppPermissions&(discordgo.PermissionManageEvents|discordgo.PermissionAdministrator) == 0 {
		return Reply{}, sayError("events.refused.permission", "Enable", cmdOf("talks-admin/events/enable"))
	}
	w := c.words(req)
	var (
		id, title string
		tracks    []string
	)
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.track(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		id, title, tracks = t.ID, "**"+t.Title+"**", []string{t.ID}
	} else {
		follows, err := c.settings.Follows(ctx, req.GuildID)
		if err != nil {
			return Reply{}, fmt.Errorf("follows of %s: %w", req.GuildID, err)
		}
		for _, f := range follows {
			if !slices.Contains(tracks, f.Track) {
				tracks = append(tracks, f.Track)
			}
		}
		title = w.t("events.every_track")
	}
	if err := c.settings.EnableEvents(ctx, req.GuildID, id); err != nil {
		return Reply{}, fmt.Errorf("enabling events of %q in %s: %w", id, req.GuildID, err)
	}
	c.replan(id)
	if len(tracks) == 0 {
		return Reply{Content: w.t("events.enabled_none_followed", "Setup", w.command("talks-admin/setup"),
			"Track", w.option("talks-admin/events/enable", "track")), Ephemeral: true}, nil
	}
	n := 0
	for _, t := range tracks {
		rounds, err := c.store.UpcomingRounds(ctx, t, c.now(), 0)
		if err != nil {
			return Reply{}, fmt.Errorf("upcoming rounds of %s: %w", t, err)
		}
		n += len(rounds)
	}
	lines := []string{w.t("events.enabled", "Tracks", title)}
	switch {
	case n == 0:
		lines = append(lines, w.t("events.none_planned"))
	case n > eventLimit:
		lines = append(lines, w.n("events.over_limit", n, "Limit", eventLimit, "Show", w.command("talks-admin/show")))
	default:
		lines = append(lines, w.n("events.will_appear", n))
	}
	lines = append(lines, w.t("events.kept_in_sync"), w.t("events.disable_hint", "Disable", w.command("talks-admin/events/disable")))
	return Reply{Content: strings.Join(lines, "\n"), Ephemeral: true}, nil
}

func (c *Commands) eventsDisable(ctx context.Context, req Request) (Reply, error) {
	typed := strings.TrimSpace(req.Option("track"))
	w := c.words(req)
	id, title := "", w.t("events.any_talks")
	if typed != "" {
		settings, err := c.settings.EventSettings(ctx, req.GuildID)
		if err != nil {
			return Reply{}, fmt.Errorf("event settings of %s: %w", req.GuildID, err)
		}
		var own []string
		for _, s := range settings {
			if s.Track != "" {
				own = append(own, s.Track)
			}
		}
		var t string
		if id, t, err = c.ownTrack(ctx, c.words(req), typed, own); err != nil {
			return Reply{}, err
		}
		title = "**" + t + "**"
	}
	was, err := c.settings.DisableEvents(ctx, req.GuildID, id)
	if err != nil {
		return Reply{}, fmt.Errorf("disabling events of %q in %s: %w", id, req.GuildID, err)
	}
	if !was {
		return Reply{Content: w.t("events.were_not_on", "Tracks", title), Ephemeral: true}, nil
	}
	c.replan(id)
	what := w.t("events.off_here")
	if id != "" {
		what = w.t("events.off_for", "Track", title)
	}
	return Reply{Content: w.t("events.disabled", "What", what, "Enable", w.command("talks-admin/events/enable")), Ephemeral: true}, nil
}

// eventsField is /talks-admin show's account of the server's events: ""
// when it never enabled them.
func (c *Commands) eventsField(ctx context.Context, guildID string, titles trackTitles) (string, error) {
	return c.eventsFieldIn(ctx, english(), guildID, titles)
}

// eventsFieldIn is eventsField in w's words.
func (c *Commands) eventsFieldIn(ctx context.Context, w words, guildID string, titles trackTitles) (string, error) {
	settings, err := c.settings.EventSettings(ctx, guildID)
	if err != nil {
		return "", fmt.Errorf("event settings of %s: %w", guildID, err)
	}
	events, err := c.settings.GuildEvents(ctx, guildID)
	if err != nil {
		return "", fmt.Errorf("events of %s: %w", guildID, err)
	}
	var on, off []string
	every := w.t("events.status.every_track")
	problem, leftOut := "", 0
	for _, s := range settings {
		problem, leftOut = cmp.Or(problem, s.Problem), max(leftOut, s.LeftOut)
		switch {
		case s.Track == "" && s.Enabled:
			on = append([]string{every}, on...)
		case s.Enabled:
			on = append(on, "**"+titles.of(s.Track)+"**")
		case s.Track != "":
			off = append(off, "**"+titles.of(s.Track)+"**")
		}
	}
	var lines []string
	if len(on) == 0 {
		lines = append(lines, w.t("events.status.off"))
	} else {
		line := w.t("events.status.on", "Tracks", w.andList(on))
		if len(off) > 0 && on[0] == every {
			line = w.t("events.status.on_except", "Tracks", w.andList(on), "Except", w.andList(off))
		}
		lines = append(lines, line)
	}
	synced := 0
	var gone []string
	for _, e := range events {
		switch e.State {
		case store.GuildEventActive, store.GuildEventCancelled:
			synced++
		case store.GuildEventGone:
			gone = append(gone, w.t("events.status.round", "Number", e.Round, "Track", titles.of(e.Track)))
		}
	}
	if len(on) == 0 && synced == 0 && len(gone) == 0 {
		if len(settings) == 0 {
			return "", nil
		}
		return w.t("events.status.off"), nil
	}
	if problem == "" {
		lines = append(lines, w.n("events.status.synced", synced))
	} else {
		lines = append(lines, w.n("events.status.unsynced", synced))
	}
	if leftOut > 0 {
		lines = append(lines, w.n("events.status.left_out", leftOut, "Limit", eventLimit))
	}
	enable := w.command("talks-admin/events/enable")
	if problem != "" {
		lines = append(lines, w.t("events.status.stopped", "Problem", strings.TrimSuffix(problem, "."), "Enable", enable))
	}
	if len(gone) > 0 {
		lines = append(lines, w.t("events.status.gone", "Rounds", w.andList(gone), "Enable", enable))
	}
	return strings.Join(lines, "\n"), nil
}
