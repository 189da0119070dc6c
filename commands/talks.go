package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

func trackOption() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: "track",
		Description: "Which talks (default: the ones with the nearest meeting)", Autocomplete: true, MaxLength: maxIDLength,
	}
}

func (c *Commands) talksCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:             "talks",
			Description:      "Rounds of talks, what each side has said, and the dates coming up",
			Contexts:         &everywhere,
			IntegrationTypes: &bothInstalls,
		},
		subs: []subcommand{
			{name: "next", description: "The next meeting: when, where, who and what is on the table",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.next},
			{name: "rounds", description: "Every round of the talks in order, with its outcome",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.rounds},
			{name: "round", description: "One round in full: outcomes, documents and sources",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "number", Description: "The round's number", Required: true, MinValue: ptr(1.0)},
					trackOption(),
				}, handle: c.round},
			{name: "positions", description: "What one side has stated, newest first, with sources",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "side", Description: "The party, e.g. Ukraine", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Only this topic, e.g. ceasefire", Autocomplete: true, MaxLength: maxIDLength},
					trackOption(),
				}, handle: c.positions},
			{name: "compare", description: "Each side's latest position on a topic, side by side",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "The topic, e.g. ceasefire", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					trackOption(),
				}, handle: c.compare},
			{name: "statements", description: "Quotes, newest first",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "side", Description: "Only this party's people", Autocomplete: true, MaxLength: maxIDLength},
					{Type: discordgo.ApplicationCommandOptionString, Name: "speaker", Description: "Only this person", Autocomplete: true, MaxLength: maxIDLength},
					trackOption(),
				}, handle: c.statements},
			{name: "upcoming", description: "Every upcoming meeting, soonest first: across all talks, or in one",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.upcoming},
			{name: "search", description: "Search positions, statements and outcomes",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "query", Description: "Words to look for, e.g. prisoner exchange", Required: true, MaxLength: 200},
					trackOption(),
				}, handle: c.search},
			c.subscribeSub(),
			c.unsubscribeSub(),
			{name: "about", description: "What this bot is, where its facts come from, and how recent they are",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.about},
		},
	}
}

func ptr[T any](v T) *T { return &v }

// --- /talks next ---

func (c *Commands) next(ctx context.Context, req Request) (Reply, error) {
	if strings.TrimSpace(req.Option("track")) == "" {
		return c.nextAnyTrack(ctx)
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	r, err := c.store.NextRound(ctx, t.ID, c.now())
	if errors.Is(err, store.ErrNotFound) {
		return c.noneUpcoming(ctx, t)
	}
	if err != nil {
		return Reply{}, fmt.Errorf("next round of %s: %w", t.ID, err)
	}
	return c.roundReply(ctx, t, r, "Next meeting")
}

// nextAnyTrack answers /talks next without a track: the default track is
// the one whose round comes next (see defaultTrack), so the one query that
// picks the track also finds the round.
func (c *Commands) nextAnyTrack(ctx context.Context) (Reply, error) {
	r, err := c.store.NextRound(ctx, "", c.now())
	id := r.Track
	if errors.Is(err, store.ErrNotFound) {
		id, err = c.latestActiveTrack(ctx)
	}
	if err != nil {
		return Reply{}, err
	}
	t, err := c.loadTrack(ctx, id)
	if err != nil {
		return Reply{}, err
	}
	if r.Track == "" {
		return c.noneUpcoming(ctx, t)
	}
	return c.roundReply(ctx, t, r, "Next meeting")
}

// noneUpcoming says there is no meeting ahead and shows the latest round;
// a proposal whose date has passed is called exactly that, never upcoming.
func (c *Commands) noneUpcoming(ctx context.Context, t *trackInfo) (Reply, error) {
	latest, err := c.store.LatestRound(ctx, t.ID)
	if errors.Is(err, store.ErrNotFound) {
		return Reply{Content: fmt.Sprintf("No meeting is scheduled in **%s**, and no round is recorded yet.", t.Title)}, nil
	}
	if err != nil {
		return Reply{}, fmt.Errorf("latest round of %s: %w", t.ID, err)
	}
	var note, heading string
	switch {
	case latest.Status.Pending():
		// A proposal whose date passed is not a round that happened: the
		// reply is headed by what it was (see roundReply), not "Latest round".
		note = fmt.Sprintf("No meeting is scheduled in **%s**. Round %d was %s for %s; that date has passed with no later report.",
			t.Title, latest.Number, latest.Status, roundDate(latest.Starts))
	default:
		note = fmt.Sprintf("No meeting is scheduled in **%s**. The latest round is round %d (%s, %s).",
			t.Title, latest.Number, latest.Status, dateOf(latest.Starts))
		heading = "Latest round"
	}
	reply, err := c.roundReply(ctx, t, latest, heading)
	reply.Content = note
	return reply, err
}

// lapsed reports whether r was still only proposed or scheduled when its
// date passed: nothing later says it happened.
func lapsed(r store.Round, now time.Time) bool {
	if !r.Status.Pending() || r.Starts.IsZero() {
		return false
	}
	_, until, err := r.Starts.Bounds()
	return err == nil && !until.After(now)
}

// roundDate is the day of a start in the round's own timezone, as
// recorded: "Monday 2 June 2025".
func roundDate(w store.When) string {
	d := w.Date
	if w.TimeKnown() {
		if loc, err := time.LoadLocation(w.Zone); err == nil {
			d = store.DateOf(w.At.In(loc))
		}
	}
	return formatDate(d, true)
}

// lapsedHeading is how a lapsed round is named:
// "Round 2 (proposed for Monday 2 June 2025; no later report)".
func lapsedHeading(r store.Round) string {
	return fmt.Sprintf("Round %d (%s for %s; no later report)", r.Number, r.Status, roundDate(r.Starts))
}

func dateOf(w store.When) string {
	if w.TimeKnown() {
		return fmt.Sprintf("<t:%d:D>", w.At.Unix())
	}
	return formatDate(w.Date, true)
}

// --- /talks round ---

func (c *Commands) round(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	n, err := strconv.Atoi(req.Option("number"))
	if err != nil || n < 1 {
		return Reply{}, userErrorf("The round number must be a whole number from 1, e.g. `/talks round number:1`.")
	}
	r, err := c.store.Round(ctx, t.ID, n)
	if errors.Is(err, store.ErrNotFound) {
		rounds, err := c.store.Rounds(ctx, t.ID)
		if err != nil {
			return Reply{}, err
		}
		if len(rounds) == 0 {
			return Reply{}, userErrorf("No round of %s is recorded yet.", t.Title)
		}
		var nums []string
		for _, r := range rounds {
			nums = append(nums, strconv.Itoa(r.Number))
		}
		return Reply{}, userErrorf("There is no round %d in %s. Rounds recorded: %s.", n, t.Title, listOf(nums, 30))
	}
	if err != nil {
		return Reply{}, fmt.Errorf("round %d of %s: %w", n, t.ID, err)
	}
	return c.roundReply(ctx, t, r, "")
}

// roundReply shows one round in full.
func (c *Commands) roundReply(ctx context.Context, t *trackInfo, r store.Round, heading string) (Reply, error) {
	srcs, err := c.sources(ctx, t.ID, r.Sources)
	if err != nil {
		return Reply{}, err
	}
	past := lapsed(r, c.now())
	title := fmt.Sprintf("Round %d · %s", r.Number, t.Title)
	switch {
	case past:
		title = lapsedHeading(r) + " · " + t.Title
	case heading != "":
		title = heading + ": " + title
	}
	more := fmt.Sprintf("(/talks round number:%d)", r.Number)
	b := newEmbed(title, more)
	pending := r.Status.Pending() && !past
	b.field("When", formatWhen(r.Starts, pending), false)
	if !r.Ends.IsZero() {
		b.field("Ends", formatWhen(r.Ends, pending), false)
	}
	b.field("Venue", r.Venue, true)
	status := capitalise(string(r.Status))
	switch {
	case r.ProposedBy != "" && r.Status == store.StatusProposed:
		status = "Proposed by " + t.partyName(r.ProposedBy)
	case r.ProposedBy != "":
		status += " · proposed by " + t.partyName(r.ProposedBy)
	}
	if past {
		status += "; no later report"
	}
	b.field("Status", status, true)
	var dels []string
	for _, d := range r.Delegations {
		line := "**" + t.partyName(d.Party) + "**"
		if d.Head != "" {
			line += ": " + t.personName(d.Head) + " (head)"
		}
		for i, m := range d.Members {
			if i == 0 && d.Head == "" {
				line += ": "
			} else {
				line += ", "
			}
			line += t.personName(m)
		}
		dels = append(dels, line)
	}
	b.field("Delegations", strings.Join(dels, "\n"), false)
	var meds []string
	for _, m := range r.Mediators {
		meds = append(meds, t.partyName(m))
	}
	// Only a round that names mediators has them; a party the sources
	// credit with facilitating is a note or a role, never a mediator.
	b.field("Mediators", strings.Join(meds, ", "), false)
	b.field("Notes", bullets(r.Notes), false)
	b.field(agendaName(t, r), bullets(r.Agenda), false)
	b.field("Outcomes", bullets(r.Outcomes), false)
	b.field("Documents", bullets(r.Documents), false)
	b.field("Sources", cite(srcs), false)
	return embedsReply(b), nil
}

// agendaName heads a round's agenda: a proposed round's agenda is its
// proposer's proposal, not an agreed one.
func agendaName(t *trackInfo, r store.Round) string {
	switch {
	case r.Status != store.StatusProposed:
		return "Agenda"
	case r.ProposedBy != "":
		return "Agenda proposed by " + t.partyName(r.ProposedBy)
	}
	return "Proposed agenda"
}

// --- /talks rounds ---

const roundsPerPage = 10

func (c *Commands) rounds(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	return c.roundsList(ctx, t, 0)
}

func (c *Commands) roundsList(ctx context.Context, t *trackInfo, page int) (Reply, error) {
	res, err := c.store.RoundsPage(ctx, t.ID, roundsPerPage, page*roundsPerPage)
	if err != nil {
		return Reply{}, fmt.Errorf("rounds of %s: %w", t.ID, err)
	}
	if res.Total == 0 {
		return Reply{Content: fmt.Sprintf("No round of **%s** is recorded yet.", t.Title)}, nil
	}
	pages := (res.Total + roundsPerPage - 1) / roundsPerPage
	if page >= pages {
		return c.roundsList(ctx, t, pages-1)
	}
	var lines []string
	for _, r := range res.Items {
		past := lapsed(r, c.now())
		line := fmt.Sprintf("**Round %d** · %s", r.Number, shortWhen(r.Starts, r.Status.Pending() && !past))
		if r.Venue != "" {
			line += " · " + r.Venue
		}
		line += " · " + string(r.Status)
		if past {
			line += "; no later report"
		}
		if len(r.Outcomes) > 0 {
			line += "\n  " + truncate(r.Outcomes[0], 200, "")
		}
		lines = append(lines, line)
	}
	b := newEmbed("Rounds · "+t.Title, "(/talks round number:N)").description(strings.Join(lines, "\n"))
	b.footer(fmt.Sprintf("Page %d of %d · /talks round number:N shows one in full", page+1, pages))
	reply := embedsReply(b)
	reply.Components = pager("rounds:"+t.ID, page, pages)
	return reply, nil
}

// --- /talks positions ---

const positionsPerPage = 5

func (c *Commands) positions(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	party, err := c.party(t, req.Option("side"))
	if err != nil {
		return Reply{}, err
	}
	topic := slug(req.Option("topic"))
	return c.positionsList(ctx, t, party, topic, 0)
}

func (c *Commands) positionsList(ctx context.Context, t *trackInfo, party, topic string, page int) (Reply, error) {
	// One more than a page tells whether there is a next one.
	ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: party, Topic: topic, Limit: positionsPerPage + 1, Offset: page * positionsPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("positions of %s: %w", party, err)
	}
	if len(ps) == 0 && page == 0 {
		if topic != "" {
			return Reply{}, c.noPositionOn(ctx, t, party, topic)
		}
		return Reply{Content: fmt.Sprintf("%s has stated no position in **%s** yet.", t.partyName(party), t.Title), Ephemeral: true}, nil
	}
	hasNext := len(ps) > positionsPerPage
	ps = ps[:min(len(ps), positionsPerPage)]
	title := "Positions of " + t.partyName(party)
	if topic != "" {
		title += " on " + topic
	}
	b := newEmbed(title+" · "+t.Title, "")
	var lists [][]string
	for _, p := range ps {
		lists = append(lists, p.Sources)
	}
	cited, err := c.cite(ctx, t.ID, lists...)
	if err != nil {
		return Reply{}, err
	}
	for _, p := range ps {
		srcs := cited.of(p.Sources)
		value := p.Summary
		attrib := formatDate(p.StatedOn, false)
		if p.By != "" {
			attrib = t.personLine(p.By) + " · " + attrib
		}
		cites := shortCite(srcs)
		value = truncate(value, maxFieldValue-textLen(attrib)-textLen(cites)-8, "") + "\n— " + attrib + " · " + cites
		b.field(p.Topic, value, false)
	}
	b.footer(fmt.Sprintf("Page %d · newest first", page+1))
	reply := embedsReply(b)
	reply.Components = pagerOpen(fmt.Sprintf("positions:%s:%s:%s", t.ID, party, topic), page, hasNext)
	return reply, nil
}

// noPositionOn says a side has no position on a topic and lists the
// topics it has positions on, as compare does for a topic nobody has.
func (c *Commands) noPositionOn(ctx context.Context, t *trackInfo, party, topic string) error {
	ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: party, Limit: 1000})
	if err != nil {
		return fmt.Errorf("positions of %s: %w", party, err)
	}
	var topics []string
	seen := map[string]bool{}
	for _, p := range ps {
		if !seen[p.Topic] {
			seen[p.Topic] = true
			topics = append(topics, "`"+p.Topic+"`")
		}
	}
	slices.Sort(topics)
	name := t.partyName(party)
	if len(topics) == 0 {
		return userErrorf("%s has stated no position on %s in %s, nor on any other topic yet.", name, echo(topic), t.Title)
	}
	return userErrorf("%s has stated no position on %s in %s. Topics %s has positions on: %s. Leave out the topic to see all of them.",
		name, echo(topic), t.Title, name, listOf(topics, 15))
}

// party resolves a side typed or picked: a party id, or a name matched
// case-insensitively.
func (c *Commands) party(t *trackInfo, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	for _, p := range t.Parties {
		if strings.EqualFold(p.ID, typed) || strings.EqualFold(p.Name, typed) {
			return p.ID, nil
		}
	}
	var names []string
	for _, p := range t.Parties {
		names = append(names, p.Name+" (`"+p.ID+"`)")
	}
	return "", userErrorf("There is no side %s in %s. Pick one from the list as you type, or use one of: %s.", echo(typed), t.Title, listOf(names, 10))
}

// slug normalises a typed topic: "Security Guarantees" -> "security-guarantees".
func slug(s string) string {
	return strings.Join(strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ' ' || r == '-' || r == '_'
	}), "-")
}

// --- /talks compare ---

func (c *Commands) compare(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	topic := slug(req.Option("topic"))
	b := newEmbed("On "+topic+" · "+t.Title, "(/talks positions side:… topic:"+topic+")")
	type latest struct {
		party string
		pos   store.Position
	}
	var found []latest
	var sources [][]string
	for _, p := range t.Parties {
		ps, err := c.store.Positions(ctx, store.PositionQuery{Track: t.ID, Party: p.ID, Topic: topic, Limit: 1})
		if err != nil {
			return Reply{}, fmt.Errorf("positions of %s on %s: %w", p.ID, topic, err)
		}
		if len(ps) > 0 {
			found = append(found, latest{p.Name, ps[0]})
			sources = append(sources, ps[0].Sources)
		}
	}
	cited, err := c.cite(ctx, t.ID, sources...)
	if err != nil {
		return Reply{}, err
	}
	for _, f := range found {
		attrib := formatDate(f.pos.StatedOn, false) + " · " + shortCite(cited.of(f.pos.Sources))
		b.field(f.party, truncate(f.pos.Summary, maxFieldValue-textLen(attrib)-4, "")+"\n— "+attrib, true)
	}
	if len(found) == 0 {
		topics, err := c.store.Complete(ctx, store.CompleteQuery{Kind: store.CompleteTopics, Track: t.ID, Limit: 15})
		if err != nil {
			return Reply{}, err
		}
		var names []string
		for _, tp := range topics {
			names = append(names, "`"+tp.Value+"`")
		}
		return Reply{}, userErrorf("No side has stated a position on %s in %s. Topics with positions: %s.", echo(topic), t.Title, listOf(names, 15))
	}
	b.footer("Each side's latest stated position on the topic")
	return embedsReply(b), nil
}

// --- /talks statements ---

const statementsPerPage = 5

func (c *Commands) statements(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	var party, person string
	if req.Option("side") != "" {
		if party, err = c.party(t, req.Option("side")); err != nil {
			return Reply{}, err
		}
	}
	if req.Option("speaker") != "" {
		if person, err = c.person(t, req.Option("speaker")); err != nil {
			return Reply{}, err
		}
	}
	return c.statementsList(ctx, t, party, person, 0)
}

func (c *Commands) statementsList(ctx context.Context, t *trackInfo, party, person string, page int) (Reply, error) {
	res, err := c.store.Statements(ctx, store.StatementQuery{Track: t.ID, Party: party, Person: person, Limit: statementsPerPage, Offset: page * statementsPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("statements: %w", err)
	}
	if res.Total == 0 {
		return Reply{Content: "No statement matches in **" + t.Title + "**.", Ephemeral: true}, nil
	}
	pages := (res.Total + statementsPerPage - 1) / statementsPerPage
	if page >= pages {
		return c.statementsList(ctx, t, party, person, pages-1)
	}
	title := "Statements"
	switch {
	case person != "":
		title += " by " + t.personName(person)
	case party != "":
		title += " from " + t.partyName(party)
	}
	b := newEmbed(title+" · "+t.Title, "")
	var lists [][]string
	for _, st := range res.Items {
		lists = append(lists, st.Sources)
	}
	cited, err := c.cite(ctx, t.ID, lists...)
	if err != nil {
		return Reply{}, err
	}
	for _, st := range res.Items {
		srcs := cited.of(st.Sources)
		attrib := "— " + formatDate(st.SaidOn, false)
		if st.Medium != "" {
			attrib += ", " + st.Medium
		}
		attrib += " · " + shortCite(srcs)
		name := t.personLine(st.By)
		if st.Party != "" {
			name += " (" + t.partyName(st.Party) + ")"
		}
		b.field(name, truncate(quote(st.Text), maxFieldValue-textLen(attrib)-1, "")+"\n"+attrib, false)
	}
	b.footer(fmt.Sprintf("Page %d of %d · %s, newest first", page+1, pages, plural(res.Total, "statement")))
	reply := embedsReply(b)
	reply.Components = pager(fmt.Sprintf("statements:%s:%s:%s", t.ID, party, person), page, pages)
	return reply, nil
}

// person resolves a speaker typed or picked: an id, or a name.
func (c *Commands) person(t *trackInfo, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	for _, p := range t.People {
		if strings.EqualFold(p.ID, typed) || strings.EqualFold(p.Name, typed) {
			return p.ID, nil
		}
	}
	var names []string
	for _, p := range t.People {
		names = append(names, p.Name)
	}
	return "", userErrorf("There is no speaker %s in %s. Pick one from the list as you type, or use one of: %s.", echo(typed), t.Title, listOf(names, 10))
}

// --- /talks upcoming ---

func (c *Commands) upcoming(ctx context.Context, req Request) (Reply, error) {
	var track *trackInfo
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.track(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		track = t
	}
	id := ""
	if track != nil {
		id = track.ID
	}
	rounds, err := c.store.UpcomingRounds(ctx, id, c.now(), 20)
	if err != nil {
		return Reply{}, fmt.Errorf("upcoming rounds: %w", err)
	}
	if len(rounds) == 0 && track != nil {
		return Reply{Content: fmt.Sprintf("No meeting is scheduled in **%s**. `/talks next track:%s` shows the latest round or proposal.", track.Title, track.ID)}, nil
	}
	if len(rounds) == 0 {
		return Reply{Content: "No meeting is scheduled in any of the talks. `/talks next` shows the latest round or proposal."}, nil
	}
	titles, err := c.trackTitles(ctx)
	if err != nil {
		return Reply{}, err
	}
	var lines []string
	for _, r := range rounds {
		line := fmt.Sprintf("%s · **%s**, round %d", shortWhen(r.Starts, true), titles.of(r.Track), r.Number)
		if track != nil {
			line = fmt.Sprintf("%s · round %d", shortWhen(r.Starts, true), r.Number)
		}
		if r.Venue != "" {
			line += " · " + r.Venue
		}
		line += " · " + string(r.Status)
		lines = append(lines, line)
	}
	title := "Upcoming meetings"
	if track != nil {
		title += " · " + track.Title
	}
	b := newEmbed(title, "").description(strings.Join(lines, "\n"))
	b.footer("Soonest first · /talks next track:… for details")
	return embedsReply(b), nil
}

// --- /talks search ---

const searchResults = 8

func (c *Commands) search(ctx context.Context, req Request) (Reply, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	text := strings.TrimSpace(req.Option("query"))
	hits, err := c.store.Search(ctx, store.SearchQuery{Track: t.ID, Text: text, Limit: searchResults})
	if err != nil {
		return Reply{}, fmt.Errorf("searching: %w", err)
	}
	if len(hits) == 0 {
		return Reply{}, userErrorf("Nothing in %s matches %s. Try fewer or other words, e.g. `/talks search query:ceasefire`.", t.Title, echo(text))
	}
	b := newEmbed(fmt.Sprintf("Search: %s · %s", text, t.Title), "")
	var lists [][]string
	for _, h := range hits {
		lists = append(lists, h.Sources)
	}
	cited, err := c.cite(ctx, t.ID, lists...)
	if err != nil {
		return Reply{}, err
	}
	for _, h := range hits {
		srcs := cited.of(h.Sources)
		var name, body string
		switch h.Kind {
		case store.HitPosition:
			name = fmt.Sprintf("Position · %s on %s", t.partyName(h.Party), h.Topic)
			body = h.Text
		case store.HitStatement:
			name = "Statement · " + t.personName(h.Person)
			body = quote(h.Text)
		case store.HitOutcome:
			name = fmt.Sprintf("Outcome · round %d", h.Round)
			body = h.Text
		}
		attrib := "— " + formatDate(h.On, false) + " · " + shortCite(srcs)
		b.field(name, truncate(body, 300, "")+"\n"+attrib, false)
	}
	b.footer("Best matches first")
	return embedsReply(b), nil
}

// --- /talks about ---

func (c *Commands) about(ctx context.Context, req Request) (Reply, error) {
	if strings.TrimSpace(req.Option("track")) != "" {
		t, err := c.track(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		return c.aboutTrack(ctx, t)
	}
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return Reply{}, err
	}
	pubs, err := c.store.Publishers(ctx)
	if err != nil {
		return Reply{}, err
	}
	b := newEmbed("About talkbot", "").description("talkbot keeps this community current on diplomatic talks: the rounds, " +
		"what each side has stated, and the dates coming up. Every fact is recorded by editors with its source, " +
		"and every reply cites it. Times show in your own timezone.")
	var ts []string
	var latest store.Date
	version, err := c.store.DataVersion(ctx)
	if err != nil {
		return Reply{}, err
	}
	for _, summary := range tracks {
		ts = append(ts, fmt.Sprintf("**%s** (`%s`)", summary.Title, summary.ID))
		t, err := c.loadTrackAt(ctx, version, summary.ID)
		if errors.Is(err, store.ErrNotFound) {
			continue // removed since the list was read
		}
		if err != nil {
			return Reply{}, err
		}
		srcs, err := c.trackSources(ctx, t)
		if err != nil {
			return Reply{}, err
		}
		latest = newestReport(srcs, latest)
	}
	b.field("Talks followed", listOf(ts, 15), false)
	b.field("Sources", listOf(pubs, 20), false)
	if err := c.dates(ctx, b, latest); err != nil {
		return Reply{}, err
	}
	b.field("Commands", "`/talks next` · `/talks rounds` · `/talks round` · `/talks positions` · `/talks compare` · `/talks statements` · `/talks upcoming` · `/talks search` · `/talks subscribe` · `/talks about track:…`", false)
	return embedsReply(b), nil
}

// aboutTrack is /talks about for one track: its parties as the sources
// describe them, its sources, its latest report and how many rounds.
func (c *Commands) aboutTrack(ctx context.Context, t *trackInfo) (Reply, error) {
	srcs, err := c.trackSources(ctx, t)
	if err != nil {
		return Reply{}, err
	}
	rounds, err := c.store.Rounds(ctx, t.ID)
	if err != nil {
		return Reply{}, fmt.Errorf("rounds of %s: %w", t.ID, err)
	}
	b := newEmbed("About · "+t.Title, "").description(fmt.Sprintf("Where the facts about **%s** (`%s`) come from, and how recent they are.", t.Title, t.ID))
	var parties []string
	for _, p := range t.Parties {
		name := p.Name
		if p.Role != "" && p.Role != store.RoleParty {
			name += " (" + string(p.Role) + ")"
		}
		parties = append(parties, name)
	}
	b.field("Parties", strings.Join(parties, ", "), false)
	b.field("Recorded", plural(len(rounds), "round")+" · "+plural(len(srcs), "source"), false)
	b.field("Sources", cite(srcs), false)
	if err := c.dates(ctx, b, newestReport(srcs, store.Date{})); err != nil {
		return Reply{}, err
	}
	return embedsReply(b), nil
}

// dates adds the two dates a reader of /talks about needs, kept apart:
// how recent the news is (the newest source's publication) and when this
// copy of the data last changed (an import that changed something; a
// copy filled yesterday from old reports is not news from yesterday).
func (c *Commands) dates(ctx context.Context, b *embed, latest store.Date) error {
	changed, err := c.store.LastChanged(ctx)
	if err != nil {
		return err
	}
	if !latest.IsZero() {
		b.field("Latest report", formatDate(latest, false), true)
	}
	if !changed.IsZero() {
		b.field("This copy updated", fmt.Sprintf("<t:%d:f> (<t:%d:R>)", changed.Unix(), changed.Unix()), true)
	}
	return nil
}

// newestReport is the latest publication date among srcs and since.
func newestReport(srcs []store.Source, since store.Date) store.Date {
	for _, s := range srcs {
		if !s.Published.IsZero() && (since.IsZero() || since.Before(s.Published)) {
			since = s.Published
		}
	}
	return since
}

// trackSources is every source a track's facts cite, newest first. The
// store has no list of a track's sources, so they are gathered from every
// fact; that is slow for a large track, so the result is kept with the
// cached track until the data changes.
func (c *Commands) trackSources(ctx context.Context, t *trackInfo) ([]store.Source, error) {
	t.sourcesMu.Lock()
	defer t.sourcesMu.Unlock()
	if t.sources != nil {
		return t.sources, nil
	}
	srcs, err := c.citedSources(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	t.sources = srcs
	return srcs, nil
}

// citedSources gathers the sources a track's rounds, positions and
// statements cite, newest first; never nil.
func (c *Commands) citedSources(ctx context.Context, track string) ([]store.Source, error) {
	var lists [][]string
	rounds, err := c.store.Rounds(ctx, track)
	if err != nil {
		return nil, fmt.Errorf("rounds of %s: %w", track, err)
	}
	for _, r := range rounds {
		lists = append(lists, r.Sources)
	}
	ps, err := c.store.Positions(ctx, store.PositionQuery{Track: track})
	if err != nil {
		return nil, fmt.Errorf("positions of %s: %w", track, err)
	}
	for _, p := range ps {
		lists = append(lists, p.Sources)
	}
	sts, err := c.store.Statements(ctx, store.StatementQuery{Track: track})
	if err != nil {
		return nil, fmt.Errorf("statements of %s: %w", track, err)
	}
	for _, st := range sts.Items {
		lists = append(lists, st.Sources)
	}
	cited, err := c.cite(ctx, track, lists...)
	if err != nil {
		return nil, err
	}
	out := make([]store.Source, 0, len(cited))
	for _, s := range cited {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b store.Source) int {
		switch {
		case a.Published.Before(b.Published):
			return 1
		case b.Published.Before(a.Published):
			return -1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out, nil
}

// --- pagination ---

// pager is Previous/Next buttons whose custom ids carry the page to show;
// none when everything fits on one page or the id would be too long.
func pager(prefix string, page, pages int) []discordgo.MessageComponent {
	if pages <= 1 {
		return nil
	}
	return pagerOpen(prefix, page, page+1 < pages)
}

func pagerOpen(prefix string, page int, hasNext bool) []discordgo.MessageComponent {
	if page == 0 && !hasNext {
		return nil
	}
	prev := prefix + ":" + strconv.Itoa(page-1)
	next := prefix + ":" + strconv.Itoa(page+1)
	if len(prev) > maxCustomID || len(next) > maxCustomID {
		return nil
	}
	return []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
		discordgo.Button{Label: "Previous", Style: discordgo.SecondaryButton, CustomID: prev, Disabled: page == 0},
		discordgo.Button{Label: "Next", Style: discordgo.SecondaryButton, CustomID: next, Disabled: !hasNext},
	}}}
}

// pageButton answers a page button of a list: its custom id holds the
// track, the list's own arguments (nargs of them) and the page.
func (c *Commands) pageButton(command string, nargs int, list func(ctx context.Context, t *trackInfo, args []string, page int) (Reply, error)) handler {
	return func(ctx context.Context, req Request) (Reply, error) {
		if len(req.Args) != nargs+2 {
			return Reply{}, userErrorf("This button is out of date: run %s again.", command)
		}
		t, err := c.trackFromButton(ctx, req.Args[0], command)
		if err != nil {
			return Reply{}, err
		}
		reply, err := list(ctx, t, req.Args[1:nargs+1], pageArg(req.Args[nargs+1]))
		reply.Update = true
		return reply, err
	}
}

func pageArg(s string) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func (c *Commands) trackFromButton(ctx context.Context, id, command string) (*trackInfo, error) {
	t, err := c.loadTrack(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, userErrorf("These talks are no longer recorded: run %s again.", command)
	}
	return t, err
}
