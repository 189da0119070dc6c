package commands

import (
	"context"
	"fmt"
	"strings"

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
	t, err := c.track(ctx, req)
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
	f := store.Follow{GuildID: req.GuildID, ChannelID: channel, Track: t.ID, RoleID: role, Offsets: offsets, UpdatedAt: c.now()}
	if err := c.settings.SaveFollow(ctx, f); err != nil {
		return Reply{}, fmt.Errorf("saving follow of %s in channel %s: %w", t.ID, channel, err)
	}
	c.replan(t.ID)
	first, err := c.firstReminder(ctx, t, offsets)
	if err != nil {
		return Reply{}, err
	}
	lines := []string{fmt.Sprintf("Saved: reminders and update posts for **%s** go to <#%s>.", t.Title, channel)}
	if role != "" {
		lines = append(lines, fmt.Sprintf("Each reminder pings <@&%s>. If that role is not set to let anyone mention it, "+
			"talkbot also needs the Mention @everyone, @here and All Roles permission there.", role))
	} else {
		lines = append(lines, "Reminders ping nobody.")
	}
	lines = append(lines, "Reminders: "+offsetsText(offsets)+" before each meeting.", first)
	if channel != req.ChannelID {
		lines = append(lines, fmt.Sprintf("talkbot can only see its permissions in the channel a command is used in, so it checks <#%s> "+
			"when the first post goes out; if it cannot post there, /talks-admin show says so. "+
			"Run this command in <#%s> to check now.", channel, channel))
	}
	return Reply{Content: strings.Join(lines, "\n"), Ephemeral: true}, nil
}
