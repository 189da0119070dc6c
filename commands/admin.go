package commands

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// The max_length of /talks-admin's text options.
const (
	maxScheduleLength = 100
	maxZoneLength     = 64
)

// adminCommand is /talks-admin: where a server's reminders, update posts
// and digest go. Discord shows it only to members with Manage Server, in
// servers that installed the bot (it posts in their channels).
func (c *Commands) adminCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:                     "talks-admin",
			Description:              "Server settings: where reminders, update posts and the digest go (Manage Server)",
			DefaultMemberPermissions: ptr(int64(discordgo.PermissionManageGuild)),
			Contexts:                 &serversOnly,
			IntegrationTypes:         &guildInstall,
		},
		subs: append([]subcommand{
			{name: "setup", description: "Post reminders and update posts for some talks in a channel",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: "The text or announcement channel to post in", Required: true,
						ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
					{Type: discordgo.ApplicationCommandOptionRole, Name: "role", Description: "A role to ping with each reminder (default: ping nobody)"},
					remindersOption(),
					trackOption(),
					updatesOption(),
					newsOption(),
					languageOption(),
				}, handle: adminOnly(c.setup)},
			{name: "digest", description: "Post a digest of the coming week on a schedule",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "schedule", Description: "Cron expression or @daily / @weekly, e.g. 0 9 * * 1 (Mondays 09:00)", Required: true, MaxLength: maxScheduleLength},
					{Type: discordgo.ApplicationCommandOptionString, Name: "timezone", Description: "IANA timezone, e.g. Europe/Istanbul (default: that of the talks followed)", MaxLength: maxZoneLength},
				}, handle: adminOnly(c.digest)},
			{name: "show", description: "This server's settings and the next announcements it will get", handle: adminOnly(c.show)},
			{name: "disable", description: "Stop reminders and update posts in this server",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "track", Description: "Only these talks (default: all, and the digest)", Autocomplete: true, MaxLength: maxIDLength},
				}, handle: adminOnly(c.disable)},
			c.editorsSub(),
		}, c.eventsSubs()...),
		groups: []group{{"events", "The rounds in this server's Events list (talkbot needs Manage Events)"}},
	}
}

// adminOnly checks the caller may change the server's settings. Discord's
// default_member_permissions only hides the command: a server's admins can
// grant it to anyone in Integrations settings, so this is the check.
func adminOnly(h handler) handler {
	return func(ctx context.Context, req Request) (Reply, error) {
		if req.GuildID == "" {
			return Reply{}, sayError("admin.refused.dm", "Admin", cmdOf("talks-admin"), "Subscribe", cmdOf("talks/subscribe"))
		}
		if req.MemberPermissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) == 0 {
			return Reply{}, sayError("admin.refused.permission", "Admin", cmdOf("talks-admin"), "Subscribe", cmdOf("talks/subscribe"))
		}
		return h(ctx, req)
	}
}

// postPermissions are what the bot needs to post an embed in a channel.
// Their names are Discord's own, in the reader's Discord:
// "admin.permission.ID" of locales/*.toml.
var postPermissions = []struct {
	bit  int64
	id   string
	name string
}{
	{discordgo.PermissionViewChannel, "view_channel", "View Channel"},
	{discordgo.PermissionSendMessages, "send_messages", "Send Messages"},
	{discordgo.PermissionEmbedLinks, "embed_links", "Embed Links"},
}

// missingToPost names the post permissions absent from have.
func missingToPost(have int64) []string { return english().missingToPost(have) }

// missingToPost names the post permissions absent from have, as the
// reader's Discord names them.
func (w words) missingToPost(have int64) []string {
	if have&discordgo.PermissionAdministrator != 0 {
		return nil
	}
	var missing []string
	for _, p := range postPermissions {
		if have&p.bit == 0 {
			name, ok := w.lookup("admin.permission." + p.id)
			if !ok {
				name = p.name
			}
			missing = append(missing, "**"+name+"**")
		}
	}
	return missing
}

const grantHint = "In the channel's settings (Permissions), allow talkbot View Channel, Send Messages and Embed Links"

// grantHint is grantHint in the reader's words.
func (w words) grantHint() string { return w.t("admin.grant_hint") }

// active leaves out follows whose channel was disabled.
func active(fs []store.Follow) []store.Follow {
	var out []store.Follow
	for _, f := range fs {
		if f.Disabled == "" {
			out = append(out, f)
		}
	}
	return out
}

// trackTitles names tracks by id.
type trackTitles map[string]string

func (t trackTitles) of(id string) string {
	if title, ok := t[id]; ok {
		return title
	}
	return id
}

func (c *Commands) trackTitles(ctx context.Context) (trackTitles, error) {
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracks: %w", err)
	}
	return titlesOf(tracks), nil
}

func titlesOf(tracks []store.TrackSummary) trackTitles {
	titles := trackTitles{}
	for _, t := range tracks {
		titles[t.ID] = t.Title
	}
	return titles
}

// replan tells the scheduler, if there is one, that settings changed.
func (c *Commands) replan(track string) {
	if c.planner != nil {
		c.planner.Replan(track)
	}
}
