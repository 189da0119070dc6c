package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/feeds"
	"talkbot/i18n"
	"talkbot/store"
)

// Reads is what every reply reads: the talks, their rounds, positions,
// statements and sources. The announcer needs no more than this.
type Reads interface {
	Tracks(ctx context.Context) ([]store.TrackSummary, error)
	Track(ctx context.Context, id string) (store.Track, error)
	Sources(ctx context.Context, track string, ids []string) ([]store.Source, error)
	Publishers(ctx context.Context) ([]string, error)
	NextRound(ctx context.Context, track string, after time.Time) (store.Round, error)
	UpcomingRounds(ctx context.Context, track string, after time.Time, limit int) ([]store.Round, error)
	Round(ctx context.Context, track string, number int) (store.Round, error)
	Rounds(ctx context.Context, track string) ([]store.Round, error)
	RoundsPage(ctx context.Context, track string, limit, offset int) (store.Page[store.Round], error)
	LatestRound(ctx context.Context, track string) (store.Round, error)
	Positions(ctx context.Context, q store.PositionQuery) ([]store.Position, error)
	Statements(ctx context.Context, q store.StatementQuery) (store.Page[store.Statement], error)
	Search(ctx context.Context, q store.SearchQuery) ([]store.SearchHit, error)
	Complete(ctx context.Context, q store.CompleteQuery) ([]store.Choice, error)
	LastChanged(ctx context.Context) (time.Time, error)
	DataVersion(ctx context.Context) (int64, error)
}

// ServerSettings is what /talks-admin keeps: a server's follows, its
// digest, its scheduled events, and what is planned for it.
type ServerSettings interface {
	SaveFollow(ctx context.Context, f store.Follow) error
	Follows(ctx context.Context, guildID string) ([]store.Follow, error)
	DeleteFollows(ctx context.Context, guildID, track string) (int, error)
	SaveDigest(ctx context.Context, d store.Digest) error
	SaveEditorRole(ctx context.Context, guildID, roleID string) error // "" clears
	EditorRole(ctx context.Context, guildID string) (string, error)
	DeleteDigest(ctx context.Context, guildID string) error
	Digests(ctx context.Context) ([]store.Digest, error)
	PendingFor(ctx context.Context, guildID string, limit int) ([]store.Delivery, error)
	EnableEvents(ctx context.Context, guildID, track string) error
	DisableEvents(ctx context.Context, guildID, track string) (bool, error)
	EventSettings(ctx context.Context, guildID string) ([]store.EventSetting, error)
	GuildEvents(ctx context.Context, guildID string) ([]store.GuildEvent, error)
	// FeedsOf lists a track's news feeds: show names those failing.
	FeedsOf(ctx context.Context, track string) ([]store.Feed, error)
	// The language of the server's channel posts ("" when none is set).
	SavePostLanguage(ctx context.Context, guildID, lang string) error
	PostLanguage(ctx context.Context, guildID string) (string, error)
}

// Subscriptions is what /talks subscribe keeps: a user's DM reminders.
type Subscriptions interface {
	SaveSubscription(ctx context.Context, s store.Subscription) error
	DeleteSubscription(ctx context.Context, userID, track string) (bool, error)
	Subscriptions(ctx context.Context, userID string) ([]store.Subscription, error)
	MarkPauseNoticed(ctx context.Context, userID string) error
}

// Edits is what /talks-edit writes and reads back: changes with their
// history, undo, the drafts of modals, and each server's editor role.
type Edits interface {
	ApplyEdit(ctx context.Context, e store.Edit) (store.Change, error)
	Undo(ctx context.Context, editor store.Editor, settleUntil time.Time) (store.Change, error)
	Version(ctx context.Context, e store.Entity) (int64, error)
	SaveDraft(ctx context.Context, d store.Draft) (int64, error)
	Draft(ctx context.Context, id int64) (store.Draft, error)
	EditorRole(ctx context.Context, guildID string) (string, error)
}

// Store is everything the handlers use, as New takes it; each part is
// kept apart, and the announcer takes only Reads.
type Store interface {
	Reads
	ServerSettings
	Subscriptions
	Edits
	History
	Feeds
}

// Planner is told when reminder settings change so that the scheduler
// plans at once instead of at its next periodic pass. Commands do not
// depend on the scheduler: the bot passes one to New, the shell none.
type Planner interface {
	// Replan re-plans a track's deliveries; track "" means a change that is
	// not about one track (a server's digest, or all of its follows), so
	// everything is re-planned. It must return quickly: the user is
	// waiting for the reply (a scheduler only wakes its loop).
	Replan(track string)
}

// Commands holds the command table and what its handlers need.
type Commands struct {
	store      Reads          // what every reply reads
	settings   ServerSettings // /talks-admin
	subs       Subscriptions  // /talks subscribe, and the pause notice
	history    History        // nil in the announcer: posts say no "last changed"
	now        func() time.Time
	planner    Planner // nil: the scheduler plans on its own time
	edits      Edits
	feeds      Feeds           // /talks-edit feed and inbox, /talks news
	feedCheck  FeedChecker     // fetches a feed once before it is followed
	editors    map[string]bool // global editors' user ids (TALKBOT_EDITORS)
	settle     time.Duration   // how long edits wait before followers hear of them
	publicURL  string          // PUBLIC_URL without a trailing slash; "" when unpublished
	commands   []command
	handlers   map[string]handler // by path: "talks/next"
	components map[string]handler // by custom id prefix: "rounds"
	modals     map[string]handler // by custom id prefix: "edit"
	completers map[string]completer
	tracks     trackCache
	locales    map[string]i18n.Lang // Discord's locales, each to its language
}

// trackCache keeps tracks as loaded (title, parties, people), which nearly
// every reply needs, until the data changes: every import that changes
// something, from any process or replica, moves the store's DataVersion,
// and one look at that costs a fraction of loading a track. Cached tracks
// are shared, so read-only.
type trackCache struct {
	mu      sync.Mutex
	version int64
	byID    map[string]*trackInfo
	// owners maps each server-owned track to its server; nil until loaded.
	owners map[string]string
}

// at forgets everything cached when the data is no longer at version;
// tc.mu is held.
func (tc *trackCache) at(version int64) {
	if tc.version != version {
		tc.version, tc.byID, tc.owners = version, nil, nil
	}
}

// get returns the cached track if the data is still at version, and
// forgets everything when it is not.
func (tc *trackCache) get(version int64, id string) *trackInfo {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.at(version)
	return tc.byID[id]
}

// ownersAt returns the cached owners if the data is still at version.
func (tc *trackCache) ownersAt(version int64) map[string]string {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.at(version)
	return tc.owners
}

// putOwners caches owners as loaded at version, unless the data has moved
// on since.
func (tc *trackCache) putOwners(version int64, owners map[string]string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.version == version {
		tc.owners = owners
	}
}

// put caches t as loaded at version, unless the data has moved on since.
func (tc *trackCache) put(version int64, t *trackInfo) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.version != version {
		return
	}
	if tc.byID == nil {
		tc.byID = map[string]*trackInfo{}
	}
	tc.byID[t.ID] = t
}

type handler func(ctx context.Context, req Request) (Reply, error)

type completer func(ctx context.Context, req Request, typed string) ([]store.Choice, error)

// command is one top-level slash command with its subcommands.
type command struct {
	def  *discordgo.ApplicationCommand
	subs []subcommand
	// groups describes the subcommand groups the subs name, by name, in
	// the order they are registered.
	groups []group
}

type group struct{ name, description string }

// subcommand is a definition and its handler, side by side: registration
// and routing both read this table.
type subcommand struct {
	group             string // "" for a subcommand outside any group
	name, description string
	options           []*discordgo.ApplicationCommandOption
	handle            handler
}

// path is how requests name the subcommand: "talks-edit/round/add".
func (s subcommand) path(cmd string) string {
	if s.group != "" {
		return cmd + "/" + s.group + "/" + s.name
	}
	return cmd + "/" + s.name
}

// Option configures New.
type Option func(*Commands)

// WithEditors names the global editors by Discord user id: they may edit
// every track.
func WithEditors(ids []string) Option {
	return func(c *Commands) {
		for _, id := range ids {
			c.editors[id] = true
		}
	}
}

// WithSettle sets how long an edit waits before followers are told, so
// that quick fixes fold into one post.
func WithSettle(d time.Duration) Option { return func(c *Commands) { c.settle = d } }

// WithPublicURL sets the public base URL where the calendar feeds and
// pages are published (PUBLIC_URL); without it /talks calendar says they
// are not.
func WithPublicURL(u string) Option {
	return func(c *Commands) { c.publicURL = strings.TrimRight(u, "/") }
}

// DefaultSettle is the settle window unless WithSettle says otherwise.
const DefaultSettle = 2 * time.Minute

// New builds the command table. A nil planner leaves planning to the
// scheduler's own time (the shell has none).
func New(s Store, now func() time.Time, p Planner, opts ...Option) *Commands {
	c := &Commands{store: s, settings: s, subs: s, edits: s, history: s, feeds: s, now: now, planner: p,
		editors: map[string]bool{}, settle: DefaultSettle, locales: discordLangs()}
	for _, o := range opts {
		o(c)
	}
	if c.feedCheck == nil {
		c.feedCheck = FetchFeed(feeds.NewClient(feeds.ClientOptions{}))
	}
	c.commands = []command{c.talksCommand(), c.adminCommand(), c.editCommand()}
	c.handlers = map[string]handler{}
	for _, cmd := range c.commands {
		for _, sub := range cmd.subs {
			c.handlers[sub.path(cmd.def.Name)] = sub.handle
		}
	}
	c.components = map[string]handler{
		"rounds": c.pageButton("talks/rounds", 0, func(ctx context.Context, w words, t *trackInfo, _ []string, page int) (Reply, error) {
			return c.roundsList(ctx, w, t, page)
		}),
		"positions": c.pageButton("talks/positions", 2, func(ctx context.Context, w words, t *trackInfo, a []string, page int) (Reply, error) {
			return c.positionsList(ctx, w, t, a[0], a[1], page)
		}),
		"statements": c.pageButton("talks/statements", 2, func(ctx context.Context, w words, t *trackInfo, a []string, page int) (Reply, error) {
			return c.statementsList(ctx, w, t, a[0], a[1], page)
		}),
		"history": c.pageButton("talks/history", 2, c.historyPage),
	}
	c.components["editagain"] = c.editAgain
	c.components[inboxPath] = c.inboxButton
	c.components[inboxUsePath] = c.inboxUse
	c.components[inboxDismissPath] = c.inboxDismiss
	c.modals = map[string]handler{"edit": c.editSubmit}
	c.completers = map[string]completer{
		"track":   c.completeTracks,
		"side":    c.completeIn(store.CompleteParties),
		"topic":   c.completeIn(store.CompleteTopics),
		"speaker": c.completeIn(store.CompletePeople),
		"party":   c.completeIn(store.CompleteParties),
		"source":  c.completeSources,
		"url":     c.completeFeedURLs, // only /talks-edit feed remove completes a url
	}
	return c
}

// Definitions returns the command tree to register with Discord.
func (c *Commands) Definitions() []*discordgo.ApplicationCommand {
	out := make([]*discordgo.ApplicationCommand, 0, len(c.commands))
	for _, cmd := range c.commands {
		def := *cmd.def
		def.Options = nil
		groups := map[string]*discordgo.ApplicationCommandOption{}
		for _, g := range cmd.groups {
			opt := &discordgo.ApplicationCommandOption{Type: discordgo.ApplicationCommandOptionSubCommandGroup, Name: g.name, Description: g.description}
			groups[g.name] = opt
			def.Options = append(def.Options, opt)
		}
		for _, sub := range cmd.subs {
			opt := &discordgo.ApplicationCommandOption{
				Type:        discordgo.ApplicationCommandOptionSubCommand,
				Name:        sub.name,
				Description: sub.description,
				Options:     sub.options,
			}
			if g := groups[sub.group]; g != nil {
				g.Options = append(g.Options, opt)
				continue
			}
			def.Options = append(def.Options, opt)
		}
		out = append(out, &def)
	}
	return localize(out)
}

// Handle answers a request. A user whose DM reminders were paused is told
// why with their next successful reply (see pauseNotice). Every reply and
// every user error leaves here cut to Discord's limits, whatever was typed.
func (c *Commands) Handle(ctx context.Context, req Request) (Reply, error) {
	reply, err := c.handle(ctx, req)
	if err != nil {
		inWords(err, c.words(req))
	}
	if ue, ok := AsUserError(err); ok {
		ue.Message = truncate(ue.Message, maxContent, "")
	}
	return reply.Fit(), err
}

func (c *Commands) handle(ctx context.Context, req Request) (Reply, error) {
	reply, err := c.route(ctx, req)
	// Autocomplete cannot show a notice, the shell has no user, and a failed
	// command's reply is not shown: the notice waits for the next one.
	// A form creates no message to attach the notice to either.
	if err != nil || req.Kind == KindAutocomplete || req.UserID == "" || reply.Modal != nil {
		return reply, err
	}
	if reply.Notice, err = c.pauseNotice(ctx, c.words(req), req.UserID); err != nil {
		return Reply{}, err
	}
	return reply, nil
}

func (c *Commands) route(ctx context.Context, req Request) (Reply, error) {
	switch req.Kind {
	case KindAutocomplete:
		return c.autocomplete(ctx, req)
	case KindComponent:
		if h, ok := c.components[req.Path]; ok {
			return h(ctx, req)
		}
		return Reply{}, &UserError{c.words(req).t("error.button_unsupported")}
	case KindModal:
		if h, ok := c.modals[req.Path]; ok {
			return h(ctx, req)
		}
		return Reply{}, &UserError{c.words(req).t("error.form_unsupported")}
	}
	h, ok := c.handlers[req.Path]
	if !ok {
		w := c.words(req)
		return Reply{}, &UserError{w.t("error.unknown_command", "Command", "/"+strings.ReplaceAll(req.Path, "/", " "),
			"Next", w.command("talks/next"), "Rounds", w.command("talks/rounds"), "About", w.command("talks/about"))}
	}
	return h(ctx, req)
}

// Command names the request for metrics and logs: "talks/next",
// "autocomplete/talks/next", "button/rounds".
func Command(req Request) string {
	switch req.Kind {
	case KindAutocomplete:
		return "autocomplete/" + req.Path
	case KindComponent:
		return "button/" + req.Path
	case KindModal:
		return "modal/" + req.Path
	}
	return req.Path
}

// everywhere is where talkbot's read commands work: servers, the bot's DMs
// and private channels (as a user-installed app). Server settings work
// only in servers that installed the bot: they post in its channels.
var (
	everywhere = []discordgo.InteractionContextType{
		discordgo.InteractionContextGuild, discordgo.InteractionContextBotDM, discordgo.InteractionContextPrivateChannel,
	}
	bothInstalls = []discordgo.ApplicationIntegrationType{
		discordgo.ApplicationIntegrationGuildInstall, discordgo.ApplicationIntegrationUserInstall,
	}
	serversOnly  = []discordgo.InteractionContextType{discordgo.InteractionContextGuild}
	guildInstall = []discordgo.ApplicationIntegrationType{discordgo.ApplicationIntegrationGuildInstall}
)

// --- tracks ---

// trackInfo is a track's header, parties, people and sources, for naming
// and citing things.
type trackInfo struct {
	store.Track
	parties map[string]store.Party
	people  map[string]store.Person
	// lang is the language names are read in (see in); "" for the names
	// as written.
	lang string
}

func (t *trackInfo) partyName(id string) string {
	if p, ok := t.parties[id]; ok {
		return p.Names.In(t.lang, p.Name)
	}
	return id
}

func (t *trackInfo) personName(id string) string {
	if p, ok := t.people[id]; ok {
		return p.Names.In(t.lang, p.Name)
	}
	return id
}

// personLine is "Sergey Lavrov, Foreign Minister".
func (t *trackInfo) personLine(id string) string {
	p, ok := t.people[id]
	if !ok {
		return id
	}
	name := p.Names.In(t.lang, p.Name)
	if p.Title != "" {
		return name + ", " + p.Title
	}
	return name
}

func (c *Commands) loadTrack(ctx context.Context, id string) (*trackInfo, error) {
	// The version is read before the track, so a track cached under a
	// version is never older than it.
	version, err := c.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	return c.loadTrackAt(ctx, version, id)
}

// loadTrackAt is loadTrack with the data version already read, for
// replies that load many tracks.
func (c *Commands) loadTrackAt(ctx context.Context, version int64, id string) (*trackInfo, error) {
	if t := c.tracks.get(version, id); t != nil {
		return t, nil
	}
	tr, err := c.store.Track(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("loading track %q: %w", id, err)
	}
	// Newest first: /talks about lists them so and reads the latest report.
	slices.SortFunc(tr.Sources, func(a, b store.Source) int {
		switch {
		case a.Published.Before(b.Published):
			return 1
		case b.Published.Before(a.Published):
			return -1
		}
		return strings.Compare(a.ID, b.ID)
	})
	t := &trackInfo{Track: tr, parties: map[string]store.Party{}, people: map[string]store.Person{}}
	for _, p := range tr.Parties {
		t.parties[p.ID] = p
	}
	for _, p := range tr.People {
		t.people[p.ID] = p
	}
	c.tracks.put(version, t)
	return t, nil
}

// track resolves the request's track: the one named (by id, or a title
// typed by hand), else the track with the nearest upcoming round, else the
// most recently active.
func (c *Commands) track(ctx context.Context, req Request) (*trackInfo, error) {
	typed := strings.TrimSpace(req.Option("track"))
	if typed != "" {
		// Autocomplete fills in the id itself, so try it as one before
		// matching titles and letter case against every track.
		t, err := c.loadTrack(ctx, typed)
		if err == nil && visible(t.Guild, req.GuildID) {
			return t, nil
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
	}
	id, err := c.trackIDIn(ctx, c.words(req), typed, req.GuildID)
	if err != nil {
		return nil, err
	}
	return c.loadTrack(ctx, id)
}

// visible reports whether a track owned by owner ("" for a global track)
// is seen in guild: a server's own track is listed and answered only in
// that server (not in DMs, where talkbot cannot tell whose member asks).
func visible(owner, guild string) bool { return owner == "" || owner == guild }

// visibleTracks lists the tracks seen in guild.
func (c *Commands) visibleTracks(ctx context.Context, guild string) ([]store.TrackSummary, error) {
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(tracks, func(t store.TrackSummary) bool { return !visible(t.Guild, guild) }), nil
}

func (c *Commands) trackID(ctx context.Context, typed, guild string) (string, error) {
	return c.trackIDIn(ctx, english(), typed, guild)
}

func (c *Commands) trackIDIn(ctx context.Context, w words, typed, guild string) (string, error) {
	typed = strings.TrimSpace(typed)
	if typed == "" {
		return c.defaultTrack(ctx, w, guild)
	}
	tracks, err := c.visibleTracks(ctx, guild)
	if err != nil {
		return "", err
	}
	return w.matchTrack(tracks, typed)
}

// matchTrack finds a typed track by id or title, ignoring case.
func matchTrack(tracks []store.TrackSummary, typed string) (string, error) {
	return english().matchTrack(tracks, typed)
}

func (w words) matchTrack(tracks []store.TrackSummary, typed string) (string, error) {
	for _, t := range tracks {
		if strings.EqualFold(t.ID, typed) || strings.EqualFold(t.Title, typed) {
			return t.ID, nil
		}
	}
	var names []string
	for _, t := range tracks {
		names = append(names, "`"+t.ID+"`")
	}
	return "", &UserError{w.t("error.no_track", "Typed", echo(typed), "Tracks", w.listOf(names, 10))}
}

func (c *Commands) defaultTrack(ctx context.Context, w words, guild string) (string, error) {
	r, err := c.nextVisibleRound(ctx, guild)
	if err == nil {
		return r.Track, nil
	}
	if !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	return c.latestActiveTrack(ctx, w, guild)
}

// nextVisibleRound is the next round of any track seen in guild. Nearly
// always the next round of all is one: the rest is for servers whose own
// track's round comes after another server's.
func (c *Commands) nextVisibleRound(ctx context.Context, guild string) (store.Round, error) {
	r, err := c.store.NextRound(ctx, "", c.now())
	if err != nil {
		return r, err
	}
	owners, err := c.trackOwners(ctx)
	if err != nil {
		return store.Round{}, err
	}
	if visible(owners[r.Track], guild) {
		return r, nil
	}
	rounds, err := c.store.UpcomingRounds(ctx, "", c.now(), 0)
	if err != nil {
		return store.Round{}, err
	}
	for _, r := range rounds {
		if visible(owners[r.Track], guild) {
			return r, nil
		}
	}
	return store.Round{}, store.ErrNotFound
}

// trackOwners maps each track that a server owns to that server. Nearly
// every reply without a track asks, so it is cached with the tracks until
// the data changes.
func (c *Commands) trackOwners(ctx context.Context) (map[string]string, error) {
	version, err := c.store.DataVersion(ctx)
	if err != nil {
		return nil, err
	}
	if owners := c.tracks.ownersAt(version); owners != nil {
		return owners, nil
	}
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return nil, err
	}
	owners := map[string]string{}
	for _, t := range tracks {
		if t.Guild != "" {
			owners[t.ID] = t.Guild
		}
	}
	c.tracks.putOwners(version, owners)
	return owners, nil
}

// latestActiveTrack is the default track when no round is ahead.
func (c *Commands) latestActiveTrack(ctx context.Context, w words, guild string) (string, error) {
	tracks, err := c.visibleTracks(ctx, guild)
	if err != nil {
		return "", err
	}
	if len(tracks) == 0 {
		return "", &UserError{w.t("error.no_tracks")}
	}
	sort.SliceStable(tracks, func(i, j int) bool { return tracks[j].LastActive.Before(tracks[i].LastActive) })
	return tracks[0].ID, nil
}

// listOf joins up to n names and says how many more there are, in English.
func listOf(names []string, n int) string { return english().listOf(names, n) }

// citations are the sources of the facts in one reply, fetched with one
// query rather than one per fact.
type citations map[string]store.Source

// cite fetches the sources every list names.
func (c *Commands) cite(ctx context.Context, track string, lists ...[]string) (citations, error) {
	var ids []string
	for _, l := range lists {
		ids = append(ids, l...)
	}
	// Facts share sources: ask for each once.
	slices.Sort(ids)
	srcs, err := c.sources(ctx, track, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	out := make(citations, len(srcs))
	for _, s := range srcs {
		out[s.ID] = s
	}
	return out, nil
}

// of returns the sources named by ids, in their order, each once.
func (cs citations) of(ids []string) []store.Source {
	out := make([]store.Source, 0, len(ids))
	seen := map[string]bool{}
	for _, id := range ids {
		if s, ok := cs[id]; ok && !seen[id] {
			seen[id] = true
			out = append(out, s)
		}
	}
	return out
}

// sources fetches the sources a fact cites.
func (c *Commands) sources(ctx context.Context, track string, ids []string) ([]store.Source, error) {
	srcs, err := c.store.Sources(ctx, track, ids)
	if err != nil {
		return nil, fmt.Errorf("loading sources: %w", err)
	}
	return srcs, nil
}

// Private reports whether a command answers its caller alone: settings and
// editing always do, so a slow one is deferred without a public trace.
func (c *Commands) Private(req Request) bool {
	name, _, _ := strings.Cut(req.Path, "/")
	return name == "talks-admin" || name == "talks-edit"
}
