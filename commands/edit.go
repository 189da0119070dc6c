package commands

import (
	"context"
	"errors"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// editCommand is /talks-edit: editors record rounds, positions, statements
// and sources from Discord. It is registered without
// default_member_permissions: server editors are a role, not a
// permission, so mayEdit is the only check, on every path.
func (c *Commands) editCommand() command {
	sourceOpt := func() *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "source", Required: true, Autocomplete: true, MaxLength: maxURLLength,
			Description: "Where this comes from: a source of the track, or paste its http(s) URL"}
	}
	number := func() *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionInteger, Name: "number", Description: "The round's number", Required: true, MinValue: ptr(1.0)}
	}
	track := func() *discordgo.ApplicationCommandOption {
		o := trackOption()
		o.Description = "Which talks (default: the ones with the nearest meeting)"
		return o
	}
	requiredTrack := func() *discordgo.ApplicationCommandOption {
		o := trackOption()
		o.Description, o.Required = "Which talks", true
		return o
	}
	slugOpt := func(desc string) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: "id", Description: desc, Required: true, MaxLength: maxSlugLength}
	}
	text := func(name, desc string, required bool, max int) *discordgo.ApplicationCommandOption {
		return &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionString, Name: name, Description: desc, Required: required, MaxLength: max}
	}
	statuses := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(store.Statuses))
	for _, s := range store.Statuses {
		statuses = append(statuses, &discordgo.ApplicationCommandOptionChoice{Name: string(s), Value: string(s)})
	}
	roles := make([]*discordgo.ApplicationCommandOptionChoice, 0, len(store.Roles))
	for _, r := range store.Roles {
		roles = append(roles, &discordgo.ApplicationCommandOptionChoice{Name: string(r), Value: string(r)})
	}
	return command{
		def: &discordgo.ApplicationCommand{
			Name:             "talks-edit",
			Description:      "Record rounds, positions, statements and sources, with their source (editors)",
			Contexts:         &[]discordgo.InteractionContextType{discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM},
			IntegrationTypes: &guildInstall,
		},
		groups: []group{
			{"round", "Record or fix a round of talks"},
			{"position", "Record a position a side has stated"},
			{"statement", "Record what someone said"},
			{"source", "Record a source: a report, a statement's page, a document"},
			{"track", "Start talks this server follows on its own"},
			{"party", "Add a party to this server's talks"},
			{"person", "Add a person to this server's talks"},
			{"feed", "Follow news feeds whose items reach the inbox and /talks news"},
		},
		subs: append([]subcommand{
			{group: "round", name: "add", description: "Add a round (opens a form)",
				options: []*discordgo.ApplicationCommandOption{sourceOpt(), track()}, handle: c.editRoundAdd},
			{group: "round", name: "edit", description: "Fix a round's date, venue, agenda, outcomes or documents (opens a form)",
				options: []*discordgo.ApplicationCommandOption{number(), sourceOpt(), track()}, handle: c.editRoundEdit},
			{group: "round", name: "status", description: "Change a round's status",
				options: []*discordgo.ApplicationCommandOption{number(),
					{Type: discordgo.ApplicationCommandOptionString, Name: "status", Description: "What the round is now", Required: true, Choices: statuses, MaxLength: 16},
					sourceOpt(), track()}, handle: c.editRoundStatus},
			{group: "position", name: "add", description: "Record a position a side stated (opens a form)",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "side", Description: "The party that stated it", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "A topic of the track, or a new one such as prisoner-exchange", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					sourceOpt(), track()}, handle: c.editPositionAdd},
			{group: "statement", name: "add", description: "Record a quote (opens a form)",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "speaker", Description: "Who said it", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					sourceOpt(), track()}, handle: c.editStatementAdd},
			{group: "source", name: "add", description: "Add a source, or fix the one with this URL; replies with its id",
				options: []*discordgo.ApplicationCommandOption{
					text("url", "Its http(s) address", true, maxURLLength),
					text("publisher", "Who published it, e.g. Reuters", true, maxNameLength),
					text("title", "Its headline or title", true, maxTitleLength),
					text("published", "When, as YYYY-MM-DD", false, 10),
					track()}, handle: c.editSourceAdd},
			{group: "track", name: "new", description: "Start talks that belong to this server",
				options: []*discordgo.ApplicationCommandOption{
					slugOpt("A short id: lowercase letters, digits and hyphens, e.g. geneva-talks"),
					text("title", "Its title, e.g. Geneva talks on Syria", true, maxTitleLength),
					text("timezone", "IANA timezone of its meetings, e.g. Europe/Zurich", true, maxZoneLength),
					{Type: discordgo.ApplicationCommandOptionBoolean, Name: "public", Description: "Also show it on talkbot's web page and calendar feeds (default: no)"},
				}, handle: c.editTrackNew},
			{group: "party", name: "add", description: "Add a party, mediator, host or observer",
				options: []*discordgo.ApplicationCommandOption{
					requiredTrack(),
					slugOpt("A short id, e.g. ukraine"),
					text("name", "Its name, e.g. Ukraine", true, maxNameLength),
					{Type: discordgo.ApplicationCommandOptionString, Name: "role", Description: "Its part in the talks", Required: true, Choices: roles, MaxLength: 16},
				}, handle: c.editPartyAdd},
			{group: "person", name: "add", description: "Add a person who speaks for a party",
				options: []*discordgo.ApplicationCommandOption{
					requiredTrack(),
					slugOpt("A short id, e.g. umerov"),
					text("name", "Their name, e.g. Rustem Umerov", true, maxNameLength),
					{Type: discordgo.ApplicationCommandOptionString, Name: "party", Description: "The party they speak for", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					text("title", "Their title, e.g. Defence Minister", false, maxNameLength),
				}, handle: c.editPersonAdd},
			{name: "undo", description: "Undo your latest change, unless someone changed the same thing since", handle: c.editUndo},
		}, append(c.feedSubs(track), c.inboxSub())...),
	}
}

// editor is the caller as the history names them.
func editor(req Request) store.Editor {
	name := req.UserName
	if name == "" {
		name = req.UserID
	}
	return store.Editor{ID: req.UserID, Name: name}
}

// isGlobalEditor reports whether the caller is named in TALKBOT_EDITORS.
func (c *Commands) isGlobalEditor(req Request) bool {
	return req.UserID != "" && c.editors[req.UserID]
}

// isServerEditor reports whether the caller holds the server's editor
// role, in that server.
func (c *Commands) isServerEditor(ctx context.Context, req Request) (bool, error) {
	if req.GuildID == "" || req.UserID == "" || len(req.MemberRoles) == 0 {
		return false, nil
	}
	role, err := c.edits.EditorRole(ctx, req.GuildID)
	if err != nil || role == "" {
		return false, err
	}
	for _, r := range req.MemberRoles {
		if r == role {
			return true, nil
		}
	}
	return false, nil
}

// mayEdit checks, on our side, that the caller may change track t: a
// global editor may change any track; a server editor only the tracks of
// their own server. The refusal says who may.
func (c *Commands) mayEdit(ctx context.Context, req Request, t *trackInfo) error {
	if c.isGlobalEditor(req) {
		return nil
	}
	server, err := c.isServerEditor(ctx, req)
	if err != nil {
		return err
	}
	if t.Guild == "" {
		if server {
			return sayError("edit.refused.global_track", "Track", t.Title, "New", cmdOf("talks-edit/track/new"))
		}
		return sayError("edit.refused.global_only", "Track", t.Title)
	}
	if server && t.Guild == req.GuildID {
		return nil
	}
	return sayError("edit.refused.server_track", "Track", t.Title, "Editors", cmdOf("talks-admin/editors", "role:"))
}

// mayCreate checks the caller may start a track here, and says whose it
// will be: a global editor's is global, a server editor's belongs to the
// server.
func (c *Commands) mayCreate(ctx context.Context, req Request) (guild string, err error) {
	if c.isGlobalEditor(req) {
		return "", nil
	}
	server, err := c.isServerEditor(ctx, req)
	if err != nil {
		return "", err
	}
	if server {
		return req.GuildID, nil
	}
	return "", sayError("edit.refused.start", "Editors", cmdOf("talks-admin/editors", "role:"))
}

// editTrack resolves the track of an edit and checks the caller may
// change it.
func (c *Commands) editTrack(ctx context.Context, req Request) (*trackInfo, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return nil, err
	}
	if err := c.mayEdit(ctx, req, t); err != nil {
		return nil, err
	}
	return t, nil
}

// editTrackByID is editTrack for a track named in a draft or a button.
func (c *Commands) editTrackByID(ctx context.Context, req Request, id string) (*trackInfo, error) {
	t, err := c.loadTrack(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, sayError("edit.track_gone")
	}
	if err != nil {
		return nil, err
	}
	if err := c.mayEdit(ctx, req, t); err != nil {
		return nil, err
	}
	return t, nil
}

// saved is the editor's confirmation: what was saved, from which source,
// and how to take it back.
func (c *Commands) saved(w words, what phrase, src store.Source, announced bool) Reply {
	msg := w.t("edit.saved", "What", what.in(w), "Source", sourceLine(src))
	undo := w.command("talks-edit/undo")
	if announced {
		msg += " " + w.t("edit.saved.announced", "In", durationSay(c.settle).in(w), "Undo", undo)
	} else {
		msg += " " + w.t("edit.saved.undo", "Undo", undo)
	}
	return Reply{Content: msg, Ephemeral: true}
}

// mayEditTyped is mayEdit for an autocomplete: the track as typed so far,
// or, before one is known, whether the caller edits anything at all.
func (c *Commands) mayEditTyped(ctx context.Context, req Request) (bool, error) {
	if c.isGlobalEditor(req) {
		return true, nil
	}
	server, err := c.isServerEditor(ctx, req)
	if err != nil || !server {
		return false, err
	}
	t, err := c.track(ctx, req)
	if err != nil {
		if _, user := AsUserError(err); user {
			return false, nil
		}
		return false, err
	}
	return t.Guild == req.GuildID, nil
}
