package commands

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// History is what /talks history and "last changed" read: the record of
// every edit and import.
type History interface {
	History(ctx context.Context, q store.HistoryQuery) (store.Page[store.Change], error)
	LatestChanges(ctx context.Context, es []store.Entity) (map[store.Entity]store.Change, error)
}

// changesPerPage is how many changes a page of /talks history shows.
const changesPerPage = 10

// maxChangeText is what one change may take of a page: ten of them, the
// title and the footer stay within an embed's 6,000 characters.
const maxChangeText = 560

func (c *Commands) historySub() subcommand {
	return subcommand{name: "history", description: "Who changed what, when, and from which source, newest first",
		options: []*discordgo.ApplicationCommandOption{
			trackOption(),
			{Type: discordgo.ApplicationCommandOptionInteger, Name: "round", Description: "Only this round's changes", MinValue: ptr(1.0)},
			{Type: discordgo.ApplicationCommandOptionString, Name: "side", Description: "Only this party's positions and statements", Autocomplete: true, MaxLength: maxIDLength},
		}, handle: c.historyCmd}
}

func (c *Commands) historyCmd(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	round := 0
	if typed := req.Option("round"); typed != "" {
		if round, err = strconv.Atoi(typed); err != nil || round < 1 {
			return Reply{}, &UserError{w.t("error.round_number", "Example", w.command("talks/history", "round:1"))}
		}
	}
	var party string
	if req.Option("side") != "" {
		if party, err = c.party(w, t, req.Option("side")); err != nil {
			return Reply{}, err
		}
	}
	return c.historyList(ctx, w, t, round, party, 0)
}

// historyPage answers a page button: args are the round ("" for any) and
// the party.
func (c *Commands) historyPage(ctx context.Context, w words, t *trackInfo, args []string, page int) (Reply, error) {
	round, err := strconv.Atoi(args[0])
	if err != nil || round < 0 {
		round = 0
	}
	return c.historyList(ctx, w, t, round, args[1], page)
}

func (c *Commands) historyList(ctx context.Context, w words, t *trackInfo, round int, party string, page int) (Reply, error) {
	res, err := c.history.History(ctx, store.HistoryQuery{Track: t.ID, Round: round, Party: party, Limit: changesPerPage, Offset: page * changesPerPage})
	if err != nil {
		return Reply{}, fmt.Errorf("history of %s: %w", t.ID, err)
	}
	// Which changes: all, a round's, a side's, or both, by message suffix.
	which := ""
	switch {
	case round > 0 && party != "":
		which = "_round_side"
	case round > 0:
		which = "_round"
	case party != "":
		which = "_side"
	}
	if res.Total == 0 {
		return Reply{Content: w.t("history.none"+which, "Track", t.Title, "Number", round, "Party", t.partyName(party),
			"Command", w.command("talks-edit")), Ephemeral: true}, nil
	}
	pages := (res.Total + changesPerPage - 1) / changesPerPage
	if page >= pages {
		return c.historyList(ctx, w, t, round, party, pages-1)
	}
	var ids []string
	for _, ch := range res.Items {
		if ch.Source != "" {
			ids = append(ids, ch.Source)
		}
	}
	cited, err := c.cite(ctx, t.ID, ids)
	if err != nil {
		return Reply{}, err
	}
	b := w.embed(w.t("history.title"+which, "Track", t.Title, "Number", round, "Party", t.partyName(party)), "")
	for _, ch := range res.Items {
		heading, detail := w.describeEdit(t, ch)
		meta := w.t("history.meta", "When", fmt.Sprintf("<t:%d:R>", ch.At.Unix()), "Editor", w.editorName(ch))
		if s, ok := cited[ch.Source]; ok {
			src := w.cite([]store.Source{s})
			// A source with a very long address would crowd out the rest
			// of the page: its name alone is enough there.
			if textLen(src) > maxChangeText/2 {
				src = inert(truncate(s.Publisher+": "+s.Title, 100, ""))
			}
			meta += " · " + src
		} else if ch.Source != "" {
			meta += " · " + w.t("history.source_id", "ID", inert(ch.Source))
		}
		room := max(maxChangeText-textLen(heading)-textLen(meta)-1, 60)
		value := meta
		if detail != "" {
			value = truncate(detail, room, "") + "\n" + meta
		}
		b.field(heading, value, false)
	}
	b.footer(w.n("history.footer", res.Total, "Page", page+1, "Pages", pages))
	reply := embedsReply(b)
	reply.Components = w.pager(fmt.Sprintf("history:%s:%s:%s", t.ID, roundArg(round), party), page, pages)
	return reply, nil
}

func roundArg(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// editorName is who made a change, as readers see it: the editor's name
// (inert), or the import that made it.
func editorName(ch store.Change) string { return english().editorName(ch) }

func (w words) editorName(ch store.Change) string {
	name := inert(ch.Editor.Name)
	switch {
	case name == "" && ch.Editor.IsImport():
		name = w.t("history.an_import")
	case name == "import" && ch.Editor.IsImport():
		// The name a plain import is given (store.Store.Import): a word,
		// not data, so it is said in the reader's language.
		name = w.t("history.import")
	case name == "":
		name = "<@" + ch.Editor.ID + ">" // shown as the user's name; an embed never pings
	}
	if ch.Forced {
		name = w.t("history.forced", "Editor", name)
	}
	return name
}

// lastChanged is the "last changed" line of a round, "" when the round has
// no record of a change (or the replies have no history to read).
func (c *Commands) lastChanged(ctx context.Context, w words, t *trackInfo, r store.Round) (string, error) {
	if c.history == nil {
		return "", nil
	}
	e := store.RoundEntity(t.ID, r.Number)
	latest, err := c.history.LatestChanges(ctx, []store.Entity{e})
	if err != nil {
		return "", fmt.Errorf("last change of round %d of %s: %w", r.Number, t.ID, err)
	}
	ch, ok := latest[e]
	if !ok {
		return "", nil
	}
	return w.t("round.last_changed", "When", fmt.Sprintf("<t:%d:R>", ch.At.Unix()), "Editor", w.editorName(ch),
		"Command", w.command("talks/history", "round:"+strconv.Itoa(r.Number))), nil
}

// --- a change in words ---

// describeEdit says what one change did: a heading ("Round 3", "New
// position of Ukraine on ceasefire", "Undid a change to round 3") and the
// details (the fields that changed, or what was added), user text inert.
func describeEdit(t *trackInfo, ch store.Change) (heading, detail string) {
	return english().describeEdit(t, ch)
}

func (w words) describeEdit(t *trackInfo, ch store.Change) (heading, detail string) {
	fields := ch.After
	if fields == nil {
		fields = ch.Before
	}
	name := w.entityName(t, ch.Entity, fields)
	switch {
	case ch.Op == store.OpUndo && ch.After == nil:
		return w.t("change.undid_addition", "Name", name), ""
	case ch.Op == store.OpUndo && ch.Before == nil:
		return w.t("change.undid_removal", "Name", name), w.summary(t, ch.Entity.Kind, ch.After)
	case ch.Op == store.OpUndo:
		return w.t("change.undid_change", "Name", name), w.changeList(t, store.Diff(ch.Before, ch.After))
	case ch.After == nil:
		return w.capital(w.t("change.removed", "Name", name)), ""
	case ch.Before == nil:
		return w.capital(w.t("change.new", "Name", name)), w.summary(t, ch.Entity.Kind, ch.After)
	}
	diff := store.Diff(ch.Before, ch.After)
	if len(diff) == 0 {
		return w.capital(name), w.t("change.no_field_changed")
	}
	return w.capital(name), w.changeList(t, diff)
}

// entityName names what a change is about, from its fields: "round 3",
// "position of Ukraine on ceasefire", "statement by Sergey Lavrov".
func (w words) entityName(t *trackInfo, e store.Entity, f map[string]string) string {
	switch e.Kind {
	case store.EntityRound:
		return w.t("entity.round", "Number", e.Key)
	case store.EntityPosition:
		return w.t("entity.position", "Party", inert(t.partyName(f["party"])), "Topic", inert(f["topic"]))
	case store.EntityStatement:
		return w.t("entity.statement", "Person", inert(t.personName(f["by"])))
	case store.EntitySource:
		return w.t("entity.source", "Name", inert(firstOf(f["publisher"], e.Key)))
	case store.EntityParty:
		return w.t("entity.party", "Name", inert(firstOf(f["name"], e.Key)))
	case store.EntityPerson:
		return w.t("entity.person", "Name", inert(firstOf(f["name"], e.Key)))
	case store.EntityTrack:
		return w.t("entity.track", "Name", inert(firstOf(f["title"], e.Track)))
	}
	return inert(e.String())
}

func firstOf(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// summary says what a new entity holds: a position's summary, a
// statement's text, a round's status, date and venue.
func (w words) summary(t *trackInfo, kind store.EntityKind, f map[string]string) string {
	switch kind {
	case store.EntityPosition:
		return quoteInert(f["summary"])
	case store.EntityStatement:
		return quoteInert(f["text"])
	case store.EntitySource:
		return inert(f["title"])
	case store.EntityPerson:
		return inert(firstOf(f["title"], t.partyName(f["party"])))
	case store.EntityParty:
		if f["role"] == "" {
			return ""
		}
		return inert(w.role(store.Role(f["role"])))
	}
	// A new round is named by when, where and how far along it is; the
	// rest is one /talks round away, and would crowd the page.
	var parts []string
	for _, k := range []string{"status", "starts", "venue"} {
		if f[k] == "" {
			continue
		}
		parts = append(parts, w.fieldLabel(k)+" "+w.valueText(t, k, f[k]))
	}
	return strings.Join(parts, "; ")
}

// changeList is "venue Ankara → Istanbul; status proposed → scheduled".
func (w words) changeList(t *trackInfo, diff []store.FieldChange) string {
	var parts []string
	for _, d := range inOrder(diff) {
		parts = append(parts, w.fieldLabel(d.Field)+" "+w.valueText(t, d.Field, d.Old)+" → "+w.valueText(t, d.Field, d.New))
	}
	return strings.Join(parts, "; ")
}

// leadingFields come first in a list of fields; the rest follow by name.
var leadingFields = []string{"status", "starts", "ends", "venue", "summary", "text", "title", "name"}

func fieldOrder(f map[string]string) []string {
	var out []string
	for _, k := range leadingFields {
		if _, ok := f[k]; ok {
			out = append(out, k)
		}
	}
	var rest []string
	for k := range f {
		if !slices.Contains(leadingFields, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// fieldLabel is a field's name in words: "proposed_by" -> "proposed by".
// A field the catalogs do not name is shown as stored.
func fieldLabel(k string) string { return english().fieldLabel(k) }

func (w words) fieldLabel(k string) string {
	if s, ok := w.lookup("field.data." + k); ok {
		return s
	}
	return strings.ReplaceAll(k, "_", " ")
}

// maxValueText is how much of one field's value a list of changes shows.
const maxValueText = 80

// valueText is a field's value in a list of changes: ids named, lines
// joined, long text cut, nothing that formats or pings.
func valueText(t *trackInfo, field, v string) string { return english().valueText(t, field, v) }

func (w words) valueText(t *trackInfo, field, v string) string {
	if strings.TrimSpace(v) == "" {
		return w.t("change.none")
	}
	switch field {
	case "status":
		v = w.status(store.Status(v))
	case "role":
		v = w.role(store.Role(v))
	case "party", "proposed_by":
		v = t.partyName(v)
	case "by":
		v = t.personName(v)
	case "mediators":
		var names []string
		for _, id := range strings.Split(v, "\n") {
			names = append(names, t.partyName(id))
		}
		v = strings.Join(names, ", ")
	}
	lines := strings.Split(v, "\n")
	if len(lines) > 1 {
		v = strings.Join(lines, " / ")
	}
	return inert(truncate(strings.Join(strings.Fields(v), " "), maxValueText, ""))
}

// quoteInert shows user text in quotes, on one line, cut.
func quoteInert(s string) string {
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return "“" + inert(truncate(strings.Join(strings.Fields(s), " "), 200, "")) + "”"
}
