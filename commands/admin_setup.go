package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

func (c *Commands) setup(ctx context.Context, req Request) (Reply, error) {
	channel := req.Option("channel")
	if !store.IsSnowflake(channel) {
		return Reply{}, userErrorf("Pick the channel from the list as you type, e.g. `/talks-admin setup channel:#news`.")
	}
	role := req.Option("role")
	switch {
	case role != "" && !store.IsSnowflake(role):
		return Reply{}, userErrorf("Pick the role from the list as you type, or leave it out to ping nobody.")
	case role != "" && role == req.GuildID:
		// The @everyone role's id is the server's; pinging it needs a
		// different mention than a role's, and a bot should not.
		return Reply{}, userErrorf("talkbot does not ping @everyone. Pick a role that wants the reminders, or leave role out to ping nobody.")
	}
	offsets, err := reminderOffsets(req.Option("reminders"))
	if err != nil {
		return Reply{}, err
	}
	updates, err := updatesMode(req.Option("updates"))
	if err != nil {
		return Reply{}, err
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	news, err := c.newsSetting(ctx, req, channel, t.ID)
	if err != nil {
		return Reply{}, err
	}
	// app_permissions are the bot's in the channel the command was used
	// in, so only that channel can be checked now.
	if channel == req.ChannelID {
		if missing := missingToPost(req.AppPermissions); len(missing) > 0 {
			return Reply{}, userErrorf("talkbot cannot post in <#%s>: it lacks %s there. %s, then run /talks-admin setup again.",
				channel, andList(missing), grantHint)
		}
	}
	f := store.Follow{GuildID: req.GuildID, ChannelID: channel, Track: t.ID, RoleID: role, Offsets: offsets, Updates: updates, News: news, UpdatedAt: c.now()}
	if err := c.settings.SaveFollow(ctx, f); err != nil {
		return Reply{}, fmt.Errorf("saving follow of %s in channel %s: %w", t.ID, channel, err)
	}
	c.replan(t.ID)
	first, err := c.firstReminder(ctx, t, offsets)
	if err != nil {
		return Reply{}, err
	}
	what := "reminders and update posts"
	if updates == store.UpdatesNone {
		what = "reminders"
	}
	lines := []string{fmt.Sprintf("Saved: %s for **%s** go to <#%s>.", what, t.Title, channel)}
	if role != "" {
		lines = append(lines, fmt.Sprintf("Each reminder pings <@&%s>. If that role is not set to let anyone mention it, "+
			"talkbot also needs the Mention @everyone, @here and All Roles permission there.", role))
	} else {
		lines = append(lines, "Reminders ping nobody.")
	}
	lines = append(lines, "Reminders: "+offsetsText(offsets)+" before each meeting.", "Update posts: "+updatesText(updates)+".", newsText(news), first)
	if channel != req.ChannelID {
		lines = append(lines, fmt.Sprintf("talkbot can only see its permissions in the channel a command is used in, so it checks <#%s> "+
			"when the first post goes out; if it cannot post there, /talks-admin show says so. "+
			"Run this command in <#%s> to check now.", channel, channel))
	}
	return Reply{Content: strings.Join(lines, "\n"), Ephemeral: true}, nil
}

func updatesOption() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: "updates", Description: "Which changes to post (default: rounds)", MaxLength: 6,
		Choices: []*discordgo.ApplicationCommandOptionChoice{
			{Name: "Rounds: added, rescheduled, status, outcomes", Value: string(store.UpdatesRounds)},
			{Name: "All: rounds, new positions and statements", Value: string(store.UpdatesAll)},
			{Name: "None: reminders only", Value: string(store.UpdatesNone)},
		},
	}
}

// updatesMode reads the updates option; Discord offers only the choices,
// but the shell and hand-made requests may send anything.
func updatesMode(typed string) (store.UpdatesMode, error) {
	switch m := store.UpdatesMode(strings.ToLower(strings.TrimSpace(typed))); m {
	case "":
		return store.UpdatesRounds, nil
	case store.UpdatesRounds, store.UpdatesAll, store.UpdatesNone:
		return m, nil
	}
	return "", userErrorf("updates takes rounds, all or none, not %s, e.g. `/talks-admin setup channel:#news updates:all`.", echo(typed))
}

// updatesText says which changes a follow posts.
func updatesText(m store.UpdatesMode) string {
	switch m {
	case store.UpdatesAll:
		return "round changes, new positions and new statements"
	case store.UpdatesNone:
		return "none"
	}
	return "round changes (added, rescheduled, status, outcomes)"
}
