package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/robfig/cron/v3"

	"talkbot/remind"
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
		subs: []subcommand{
			{name: "setup", description: "Post reminders and update posts for some talks in a channel",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionChannel, Name: "channel", Description: "The text or announcement channel to post in", Required: true,
						ChannelTypes: []discordgo.ChannelType{discordgo.ChannelTypeGuildText, discordgo.ChannelTypeGuildNews}},
					{Type: discordgo.ApplicationCommandOptionRole, Name: "role", Description: "A role to ping with each reminder (default: ping nobody)"},
					remindersOption(),
					trackOption(),
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
		},
	}
}

// adminOnly checks the caller may change the server's settings. Discord's
// default_member_permissions only hides the command: a server's admins can
// grant it to anyone in Integrations settings, so this is the check.
func adminOnly(h handler) handler {
	return func(ctx context.Context, req Request) (Reply, error) {
		if req.GuildID == "" {
			return Reply{}, userErrorf("/talks-admin changes a server's settings, so it works only in a server. For reminders by DM, use /talks subscribe.")
		}
		if req.MemberPermissions&(discordgo.PermissionManageGuild|discordgo.PermissionAdministrator) == 0 {
			return Reply{}, userErrorf("/talks-admin needs the **Manage Server** permission (or Administrator) in this server, and you do not have it. " +
				"Ask someone who does, or use /talks subscribe to get reminders by DM.")
		}
		return h(ctx, req)
	}
}

// postPermissions are what the bot needs to post an embed in a channel.
var postPermissions = []struct {
	bit  int64
	name string
}{
	{discordgo.PermissionViewChannel, "View Channel"},
	{discordgo.PermissionSendMessages, "Send Messages"},
	{discordgo.PermissionEmbedLinks, "Embed Links"},
}

// missingToPost names the post permissions absent from have.
func missingToPost(have int64) []string {
	if have&discordgo.PermissionAdministrator != 0 {
		return nil
	}
	var missing []string
	for _, p := range postPermissions {
		if have&p.bit == 0 {
			missing = append(missing, "**"+p.name+"**")
		}
	}
	return missing
}

const grantHint = "In the channel's settings (Permissions), allow talkbot View Channel, Send Messages and Embed Links"

// --- /talks-admin setup ---

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

// --- /talks-admin digest ---

// digestExample is what a refusal suggests.
const digestExample = "Use five fields (minute hour day-of-month month weekday), e.g. `0 9 * * 1` for Mondays at 09:00, or @daily or @weekly."

// minDigestGap keeps a digest to at most one a day; 23 hours, since a
// daily run is 23 hours after the last one when clocks go forward.
const minDigestGap = 23 * time.Hour

func (c *Commands) digest(ctx context.Context, req Request) (Reply, error) {
	expr := strings.Join(strings.Fields(req.Option("schedule")), " ")
	if err := tooLong("schedule", expr, maxScheduleLength, "`0 9 * * 1`"); err != nil {
		return Reply{}, err
	}
	follows, err := c.settings.Follows(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("follows of %s: %w", req.GuildID, err)
	}
	followed := active(follows)
	loc, zoneNote, err := c.digestZone(ctx, req, followed)
	if err != nil {
		return Reply{}, err
	}
	sched, err := parseDigestSchedule(expr, loc)
	if err != nil {
		return Reply{}, err
	}
	runs := nextRuns(sched, c.now(), 3)
	if len(runs) == 0 {
		return Reply{}, userErrorf("The schedule %s never runs (is that date real?). %s", echoCode(expr), digestExample)
	}
	d := store.Digest{GuildID: req.GuildID, Schedule: expr, Timezone: loc.String(), UpdatedAt: c.now()}
	if err := c.settings.SaveDigest(ctx, d); err != nil {
		return Reply{}, fmt.Errorf("saving digest of %s: %w", req.GuildID, err)
	}
	c.replan("")
	lines := []string{fmt.Sprintf("Saved: a digest of the coming week goes out on `%s` in **%s**%s.", expr, loc, zoneNote), "Next runs:"}
	for _, r := range runs {
		lines = append(lines, fmt.Sprintf("• <t:%d:F> (<t:%d:R>)", r.Unix(), r.Unix()))
	}
	if len(followed) == 0 {
		lines = append(lines, "This server follows no talks yet, so the digest has no channel to go to: run /talks-admin setup first.")
	}
	return Reply{Content: strings.Join(lines, "\n"), Ephemeral: true}, nil
}

// digestZone is the timezone option, or else that of the first track the
// server follows (fs, its active follows), or else UTC; zoneNote says
// where a default came from.
func (c *Commands) digestZone(ctx context.Context, req Request, fs []store.Follow) (loc *time.Location, zoneNote string, err error) {
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
				return loc, fmt.Sprintf(" (the timezone of %s; set timezone: to change it)", t.Title), nil
			}
		}
	}
	return time.UTC, " (set timezone: to use another, e.g. Europe/Istanbul)", nil
}

// zoneOption reads the timezone option (store.LoadZone holds the rule)
// and says in the user's terms why a zone is refused.
func zoneOption(typed string) (*time.Location, error) {
	name := strings.TrimSpace(typed)
	if textLen(name) > maxZoneLength {
		return nil, tooLong("timezone", name, maxZoneLength, "Europe/Istanbul")
	}
	loc, err := store.LoadZone(name)
	var ze *store.ZoneError
	if !errors.As(err, &ze) {
		return loc, err
	}
	const example = "Use an IANA name such as Europe/Istanbul, America/New_York or UTC."
	switch ze.Problem {
	case store.ZoneMissing:
		return nil, userErrorf("Name the timezone. %s", example)
	case store.ZoneLocal:
		return nil, userErrorf("\"Local\" is the clock of the machine talkbot runs on, which nobody in the server can see. %s", example)
	}
	return nil, userErrorf("There is no timezone %s. %s", echo(name), example)
}

// parseDigestSchedule reads a standard cron expression (five fields, or a
// descriptor such as @daily) in loc, as remind.DigestSpec has the
// scheduler read it.
func parseDigestSchedule(expr string, loc *time.Location) (cron.Schedule, error) {
	upper := strings.ToUpper(expr)
	switch {
	case expr == "":
		return nil, userErrorf("Give a schedule. %s", digestExample)
	case strings.HasPrefix(upper, "TZ=") || strings.HasPrefix(upper, "CRON_TZ="):
		// The timezone has its own option; cron's own prefix also panics
		// when no space follows it.
		return nil, userErrorf("Put the timezone in the timezone option, not in the schedule. %s", digestExample)
	case strings.HasPrefix(expr, "@every"):
		// @every counts from whenever the scheduler last looked, not
		// from the calendar, so it would drift with restarts.
		return nil, userErrorf("@every is not a calendar schedule. %s", digestExample)
	}
	// Read exactly as the scheduler will read the saved digest.
	s, err := cron.ParseStandard(remind.DigestSpec(store.Digest{Schedule: expr, Timezone: loc.String()}))
	if err != nil {
		return nil, userErrorf("Cannot read the schedule %s: %v. %s", echoCode(expr), err, digestExample)
	}
	spec, ok := s.(*cron.SpecSchedule)
	if !ok {
		return nil, userErrorf("Cannot read the schedule %s. %s", echoCode(expr), digestExample)
	}
	// A digest runs at most daily: a schedule that posts every minute to
	// every followed channel would be spam and spend the rate limit.
	// Close runs come from the minute and hour fields, which repeat daily,
	// so a few weeks of runs show them.
	runs := nextRuns(spec, time.Date(2025, 1, 1, 0, 0, 0, 0, loc), 20)
	for i := 1; i < len(runs); i++ {
		if runs[i].Sub(runs[i-1]) < minDigestGap {
			return nil, userErrorf("The schedule %s runs more than once a day; a digest goes at most daily. %s", echoCode(expr), digestExample)
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

// --- /talks-admin show ---

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
	if len(follows) == 0 && digest == nil {
		return Reply{Content: "This server gets no reminders, update posts or digest. " +
			"`/talks-admin setup channel:#news` starts reminders in a channel.", Ephemeral: true}, nil
	}
	pending, err := c.settings.PendingFor(ctx, req.GuildID, showPending)
	if err != nil {
		return Reply{}, fmt.Errorf("pending deliveries of %s: %w", req.GuildID, err)
	}
	titles, err := c.trackTitles(ctx)
	if err != nil {
		return Reply{}, err
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
	if digest != nil {
		b.field("Digest", c.digestLine(*digest), false)
	}
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
	b.footer("Change with /talks-admin setup, digest or disable")
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
	default:
		what = string(d.Kind)
	}
	if ch, ok := strings.CutPrefix(d.Target, store.ChannelPrefix); ok {
		what += " in <#" + ch + ">"
	}
	return what
}

// --- /talks-admin disable ---

func (c *Commands) disable(ctx context.Context, req Request) (Reply, error) {
	typed := strings.TrimSpace(req.Option("track"))
	if typed == "" {
		n, err := c.settings.DeleteFollows(ctx, req.GuildID, "")
		if err != nil {
			return Reply{}, fmt.Errorf("deleting follows of %s: %w", req.GuildID, err)
		}
		if err := c.settings.DeleteDigest(ctx, req.GuildID); err != nil {
			return Reply{}, fmt.Errorf("deleting digest of %s: %w", req.GuildID, err)
		}
		c.replan("")
		return Reply{Content: fmt.Sprintf("Removed %s and any digest schedule: talkbot posts nothing in this server now. "+
			"/talks-admin setup starts again.", plural(n, "follow")), Ephemeral: true}, nil
	}
	follows, err := c.settings.Follows(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("follows of %s: %w", req.GuildID, err)
	}
	id, title, err := c.ownTrack(ctx, typed, followedTracks(follows))
	if err != nil {
		return Reply{}, err
	}
	n, err := c.settings.DeleteFollows(ctx, req.GuildID, id)
	if err != nil {
		return Reply{}, fmt.Errorf("deleting follows of %s in %s: %w", id, req.GuildID, err)
	}
	if n == 0 {
		return Reply{Content: fmt.Sprintf("This server does not follow **%s**; nothing changed.", title), Ephemeral: true}, nil
	}
	c.replan(id)
	return Reply{Content: fmt.Sprintf("Removed %s of **%s**: no more reminders or update posts for it in this server. "+
		"The digest, if any, stays (/talks-admin disable without a track removes it).", plural(n, "follow"), title), Ephemeral: true}, nil
}

func followedTracks(fs []store.Follow) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Track)
	}
	return ids
}

// ownTrack resolves a track to stop: one the caller has by id (even if
// it is no longer recorded), else any track by id or title.
func (c *Commands) ownTrack(ctx context.Context, typed string, owned []string) (id, title string, err error) {
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return "", "", fmt.Errorf("tracks: %w", err)
	}
	titles := titlesOf(tracks)
	for _, o := range owned {
		if strings.EqualFold(o, typed) {
			return o, titles.of(o), nil
		}
	}
	id, err = matchTrack(tracks, typed)
	if err != nil {
		return "", "", err
	}
	return id, titles.of(id), nil
}

// --- shared ---

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

// andList joins "a", "b" and "c" as "a, b and c".
func andList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}
