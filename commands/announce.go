package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/dataset"
	"talkbot/remind"
	"talkbot/store"
)

// AnnouncerStore is what the announcer reads: what the replies read, and
// the record of round changes that update posts describe.
type AnnouncerStore interface {
	Reads
	RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error)
	// Change returns one history record, for the posts about edits.
	Change(ctx context.Context, id int64) (store.Change, error)
	// FeedItem reads the feed item a news post tells of.
	FeedItem(ctx context.Context, ref store.ItemRef) (store.FeedItem, error)
}

// Announcer renders what the scheduler posts: reminders, update posts and
// digests (schedule.Renderer), with the same renderers as the replies.
type Announcer struct {
	c       *Commands // the renderers; it reads, and keeps no settings
	changes AnnouncerStore
}

// NewAnnouncer builds the scheduler's renderer on a store and a clock. It
// needs no command table, so the scheduler can be built before the
// commands that tell it to re-plan.
func NewAnnouncer(s AnnouncerStore, now func() time.Time) *Announcer {
	return &Announcer{c: &Commands{store: s, now: now}, changes: s}
}

// message is a post with the embeds of a reply, pinging role (if any),
// cut to Discord's limits as every reply is (Reply.Fit).
func message(content string, embeds []*discordgo.MessageEmbed, role string) remind.Message {
	fit := Reply{Content: content, Embeds: embeds}.Fit()
	m := remind.Message{Content: fit.Content, PingRole: role}
	for _, e := range fit.Embeds {
		m.Embeds = append(m.Embeds, plainEmbed(e))
	}
	return m
}

// plainEmbed is e without Discord's types: the parts the renderers set.
func plainEmbed(e *discordgo.MessageEmbed) remind.Embed {
	out := remind.Embed{Title: e.Title, Description: e.Description, URL: e.URL, Color: e.Color}
	for _, f := range e.Fields {
		out.Fields = append(out.Fields, remind.Field{Name: f.Name, Value: f.Value, Inline: f.Inline})
	}
	if e.Footer != nil {
		out.Footer = e.Footer.Text
	}
	return out
}

func rolePrefix(role string) string {
	if role == "" {
		return ""
	}
	return "<@&" + role + "> "
}

// Reminder renders a reminder, unless the round no longer starts when the
// reminder was planned for or is no longer expected.
func (a *Announcer) Reminder(ctx context.Context, d store.Delivery, late bool) (remind.Message, bool, error) {
	r, err := a.c.store.Round(ctx, d.Track, d.Round)
	if errors.Is(err, store.ErrNotFound) {
		return remind.Message{}, false, nil
	}
	if err != nil {
		return remind.Message{}, false, err
	}
	start, _, err := r.Starts.Bounds()
	if err != nil {
		return remind.Message{}, false, err
	}
	if !r.Status.Pending() || !start.Equal(d.Deadline) {
		return remind.Message{}, false, nil
	}
	t, err := a.c.loadTrack(ctx, d.Track)
	if err != nil {
		return remind.Message{}, false, err
	}
	var when string
	if r.Starts.TimeKnown() {
		when = fmt.Sprintf("starts <t:%d:R>, <t:%d:F>", start.Unix(), start.Unix())
	} else {
		when = fmt.Sprintf("is on %s (time not announced)", formatDate(r.Starts.Date, true))
	}
	content := fmt.Sprintf("%sReminder: round %d of **%s** %s.", rolePrefix(d.RoleID), r.Number, t.Title, when)
	if late {
		content += " (Sent late: talkbot or Discord was unavailable when this reminder was due.)"
	}
	reply, err := a.c.roundReply(ctx, t, r, "Coming up")
	if err != nil {
		return remind.Message{}, false, err
	}
	return message(content, reply.Embeds, d.RoleID), true, nil
}

// Update renders the post saying what changed about a round.
func (a *Announcer) Update(ctx context.Context, d store.Delivery) (remind.Message, error) {
	if ids, ok := strings.CutPrefix(d.Payload, editPayloadPrefix); ok {
		return a.editUpdate(ctx, d, ids)
	}
	id, err := strconv.ParseInt(d.Payload, 10, 64)
	if err != nil {
		return remind.Message{}, fmt.Errorf("update %q: %w", d.Payload, err)
	}
	changes, err := a.changes.RoundChanges(ctx, id-1, 1)
	if err != nil {
		return remind.Message{}, err
	}
	if len(changes) == 0 || changes[0].ID != id {
		return remind.Message{}, fmt.Errorf("round change %d is not recorded", id)
	}
	ch := changes[0]
	t, err := a.c.loadTrack(ctx, ch.Track)
	if err != nil {
		return remind.Message{}, err
	}
	content := rolePrefix(d.RoleID) + "Update: " + describeChange(t, ch)
	var embeds []*discordgo.MessageEmbed
	r, err := a.c.store.Round(ctx, ch.Track, ch.Round)
	if err == nil {
		reply, err := a.c.roundReply(ctx, t, r, "")
		if err != nil {
			return remind.Message{}, err
		}
		embeds = reply.Embeds
	} else if !errors.Is(err, store.ErrNotFound) {
		return remind.Message{}, err
	}
	return message(content, embeds, d.RoleID), nil
}

// describeChange says in one sentence what happened to a round.
func describeChange(t *trackInfo, ch store.RoundChange) string {
	round := fmt.Sprintf("round %d of **%s**", ch.Round, t.Title)
	pending := ch.NewStatus.Pending()
	switch ch.Kind {
	case store.ChangeAdded:
		return fmt.Sprintf("%s is %s for %s.", capitalise(round), ch.NewStatus, shortWhen(ch.NewStarts, pending))
	case store.ChangeRescheduled:
		return fmt.Sprintf("%s moved from %s to %s.", capitalise(round), shortWhen(ch.OldStarts, true), shortWhen(ch.NewStarts, pending))
	case store.ChangePostponed:
		return fmt.Sprintf("%s, planned for %s, is postponed.", capitalise(round), shortWhen(ch.OldStarts, true))
	case store.ChangeCancelled:
		return fmt.Sprintf("%s, planned for %s, is cancelled.", capitalise(round), shortWhen(ch.OldStarts, true))
	case store.ChangeHeld:
		return fmt.Sprintf("%s was held (%s).", capitalise(round), shortWhen(ch.NewStarts, false))
	}
	return fmt.Sprintf("%s is now %s (was %s).", capitalise(round), ch.NewStatus, ch.OldStatus)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// digestDays is how far ahead a digest looks.
const digestDays = 7

// Digest renders the coming week's meetings and the latest positions of
// the tracks a channel follows.
func (a *Announcer) Digest(ctx context.Context, d store.Delivery) (remind.Message, error) {
	now := a.c.now()
	var embeds []*embed
	for _, track := range strings.Split(d.Payload, ",") {
		if track == "" {
			continue
		}
		t, err := a.c.loadTrack(ctx, track)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return remind.Message{}, err
		}
		rounds, err := a.c.store.UpcomingRounds(ctx, track, now, 10)
		if err != nil {
			return remind.Message{}, err
		}
		var lines []string
		for _, r := range rounds {
			start, _, err := r.Starts.Bounds()
			if err != nil || start.After(now.Add(digestDays*24*time.Hour)) {
				continue
			}
			line := fmt.Sprintf("Round %d · %s", r.Number, shortWhen(r.Starts, true))
			if r.Venue != "" {
				line += " · " + r.Venue
			}
			lines = append(lines, line+" · "+string(r.Status))
		}
		b := newEmbed("This week · "+t.Title, "(/talks upcoming)")
		if len(lines) == 0 {
			lines = []string{"No meeting in the coming week."}
		}
		b.description(strings.Join(lines, "\n"))
		ps, err := a.c.store.Positions(ctx, store.PositionQuery{Track: track, Limit: 3})
		if err != nil {
			return remind.Message{}, err
		}
		var lists [][]string
		for _, p := range ps {
			lists = append(lists, p.Sources)
		}
		cited, err := a.c.cite(ctx, track, lists...)
		if err != nil {
			return remind.Message{}, err
		}
		for _, p := range ps {
			srcs := cited.of(p.Sources)
			attrib := "— " + formatDate(p.StatedOn, false) + " · " + shortCite(srcs)
			b.field(t.partyName(p.Party)+" on "+p.Topic, truncate(p.Summary, 300, "")+"\n"+attrib, false)
		}
		embeds = append(embeds, b)
		if len(embeds) == 10 {
			break
		}
	}
	if len(embeds) == 0 {
		return message("Digest: no talks are followed here any more.", nil, ""), nil
	}
	reply := embedsReply(embeds...)
	return message("Digest of the coming week", reply.Embeds, ""), nil
}

// editPayloadPrefix starts the payload of a post about edits from Discord:
// "edit:FIRST:LAST", the ids of the first and last history records that
// folded into it during the settle window.
const editPayloadPrefix = "edit:"

// editUpdate renders what changed between the first record's Before and
// the last one's After: the edits folded in between are one update. The
// embed shows the thing as it is now, who changed it and from which source.
func (a *Announcer) editUpdate(ctx context.Context, d store.Delivery, ids string) (remind.Message, error) {
	firstText, lastText, ok := strings.Cut(ids, ":")
	first, err1 := strconv.ParseInt(firstText, 10, 64)
	last, err2 := strconv.ParseInt(lastText, 10, 64)
	if !ok || err1 != nil || err2 != nil || first > last {
		return remind.Message{}, fmt.Errorf("edit update %q: want edit:FIRST:LAST", d.Payload)
	}
	from, err := a.changes.Change(ctx, first)
	if err != nil {
		return remind.Message{}, fmt.Errorf("edit update %q: change %d: %w", d.Payload, first, err)
	}
	to := from
	if last != first {
		if to, err = a.changes.Change(ctx, last); err != nil {
			return remind.Message{}, fmt.Errorf("edit update %q: change %d: %w", d.Payload, last, err)
		}
	}
	t, err := a.c.loadTrack(ctx, to.Entity.Track)
	if err != nil {
		return remind.Message{}, err
	}
	byline, err := a.byline(ctx, t, from, to)
	if err != nil {
		return remind.Message{}, err
	}
	before, after := from.Before, to.After
	var content string
	var embeds []*discordgo.MessageEmbed
	switch to.Entity.Kind {
	case store.EntityRound:
		n, err := strconv.Atoi(to.Entity.Key)
		if err != nil {
			return remind.Message{}, fmt.Errorf("edit update %q: round %q: %w", d.Payload, to.Entity.Key, err)
		}
		content = roundEditWords(t, n, before, after)
		r, err := a.c.store.Round(ctx, t.ID, n)
		switch {
		case err == nil:
			reply, err := a.c.roundReply(ctx, t, r, "")
			if err != nil {
				return remind.Message{}, err
			}
			embeds = reply.Embeds
		case !errors.Is(err, store.ErrNotFound):
			return remind.Message{}, err
		}
	case store.EntityPosition, store.EntityStatement:
		var b *embed
		content, b, err = a.factUpdate(ctx, t, to.Entity.Kind, before, after)
		if err != nil {
			return remind.Message{}, err
		}
		embeds = embedsReply(b).Embeds
	default:
		heading, detail := describeEdit(t, store.Change{Entity: to.Entity, Op: to.Op, Before: before, After: after})
		content = heading + " in **" + inert(t.Title) + "**."
		embeds = embedsReply(newEmbed(heading+" · "+t.Title, "").description(detail)).Embeds
	}
	if len(embeds) == 0 {
		embeds = embedsReply(newEmbed(t.Title, "")).Embeds
	}
	// Who and from where close the post; Fit cuts the embed if need be.
	e := embeds[len(embeds)-1]
	e.Fields = append(e.Fields, byline...)
	return message(rolePrefix(d.RoleID)+"Update: "+content, embeds, d.RoleID), nil
}

// byline says who made the edits and from which sources.
func (a *Announcer) byline(ctx context.Context, t *trackInfo, from, to store.Change) ([]*discordgo.MessageEmbedField, error) {
	who := editorName(to)
	if from.Editor != to.Editor {
		who = editorName(from) + " and " + who
	}
	var ids []string
	for _, ch := range []store.Change{from, to} {
		if ch.Source != "" {
			ids = append(ids, ch.Source)
		}
	}
	cited, err := a.c.cite(ctx, t.ID, ids)
	if err != nil {
		return nil, err
	}
	if srcs := cited.of(ids); len(srcs) > 0 {
		who += ", citing " + strings.ReplaceAll(cite(srcs), "\n", " and ")
	}
	return newEmbed("", "").field("Changed by", who, false).e.Fields, nil
}

// roundEditWords says in one sentence what the edits did to a round: its
// addition, status, date, outcomes and venue, and which other fields.
func roundEditWords(t *trackInfo, n int, before, after map[string]string) string {
	round := fmt.Sprintf("round %d of **%s**", n, inert(t.Title))
	zone := func(f map[string]string) string { return firstOf(f["timezone"], t.Timezone) }
	switch {
	case after == nil:
		return capitalise(round) + " was removed."
	case before == nil:
		status := store.Status(after["status"])
		if after["starts"] == "" {
			return fmt.Sprintf("%s is added (%s; no date yet).", capitalise(round), status)
		}
		return fmt.Sprintf("%s is %s for %s.", capitalise(round), status, whenWords(after["starts"], zone(after), status.Pending()))
	}
	var parts, others []string
	for _, d := range inOrder(store.Diff(before, after)) {
		switch d.Field {
		case "status":
			switch old, now := store.Status(d.Old), store.Status(d.New); now {
			case store.StatusPostponed, store.StatusCancelled:
				parts = append(parts, fmt.Sprintf("%s (was %s)", now, old))
			case store.StatusHeld:
				parts = append(parts, "held")
			default:
				parts = append(parts, fmt.Sprintf("now %s (was %s)", now, old))
			}
		case "starts":
			pending := store.Status(after["status"]).Pending()
			if d.Old == "" {
				parts = append(parts, "date set: "+whenWords(d.New, zone(after), pending))
			} else if d.New == "" {
				parts = append(parts, "date removed (was "+whenWords(d.Old, zone(before), true)+")")
			} else {
				parts = append(parts, "moved from "+whenWords(d.Old, zone(before), true)+" to "+whenWords(d.New, zone(after), pending))
			}
		case "outcomes":
			if d.New != "" {
				parts = append(parts, "outcomes recorded")
			} else {
				others = append(others, "outcomes")
			}
		case "venue":
			parts = append(parts, "venue "+valueText(t, "venue", d.Old)+" → "+valueText(t, "venue", d.New))
		default:
			others = append(others, fieldLabel(d.Field))
		}
	}
	if len(others) > 0 {
		parts = append(parts, andList(others)+" changed")
	}
	if len(parts) == 0 {
		return capitalise(round) + " was edited and is as it was."
	}
	return capitalise(round) + ": " + strings.Join(parts, "; ") + "."
}

// whenWords shows a start as written in the history ("2025-06-02T13:00"
// in the round's zone) as the replies show one; as written when it does
// not read.
func whenWords(text, zone string, pending bool) string {
	w, err := dataset.ParseStarts(text, zone)
	if err != nil {
		return inert(text)
	}
	return shortWhen(w, pending)
}

// factUpdate renders a position or a statement from its fields as they
// are after the edits (before them, when it was removed): a sentence, and
// the fact itself in an embed.
func (a *Announcer) factUpdate(ctx context.Context, t *trackInfo, kind store.EntityKind, before, after map[string]string) (string, *embed, error) {
	f := after
	if f == nil {
		f = before
	}
	srcs, err := a.c.sources(ctx, t.ID, splitLines(f["sources"]))
	if err != nil {
		return "", nil, err
	}
	var what string
	var b *embed
	if kind == store.EntityPosition {
		what = fmt.Sprintf("position of **%s** on %s", inert(t.partyName(f["party"])), inert(f["topic"]))
		b = newEmbed(fmt.Sprintf("Position of %s on %s · %s", t.partyName(f["party"]), f["topic"], t.Title),
			fmt.Sprintf("(/talks positions side:%s)", f["party"]))
		b.description(f["summary"])
		stated := dateWords(f["stated_on"])
		if f["by"] != "" {
			stated += " by " + t.personLine(f["by"])
		}
		b.field("Stated", stated, false)
	} else {
		what = "statement by **" + inert(t.personName(f["by"])) + "**"
		name := t.personLine(f["by"])
		if f["party"] != "" {
			name += " (" + t.partyName(f["party"]) + ")"
		}
		b = newEmbed("Statement by "+name+" · "+t.Title, fmt.Sprintf("(/talks statements speaker:%s)", f["by"]))
		b.description(quote(f["text"]))
		said := dateWords(f["said_on"])
		if f["medium"] != "" {
			said += ", " + f["medium"]
		}
		b.field("Said", said, false)
	}
	b.field("Sources", cite(srcs), false)
	in := " in **" + inert(t.Title) + "**"
	switch {
	case after == nil:
		return "A " + what + in + " was removed.", b, nil
	case before == nil:
		return "New " + what + in + ".", b, nil
	}
	return "A " + what + in + " was changed.", b, nil
}

// dateWords is a history date ("2025-06-02") as the replies write one.
func dateWords(s string) string {
	d, err := store.ParseDate(s)
	if err != nil {
		return inert(s)
	}
	return formatDate(d, false)
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// inOrder puts a diff's fields in the order lists of changes use.
func inOrder(diff []store.FieldChange) []store.FieldChange {
	names := map[string]string{}
	byName := map[string]store.FieldChange{}
	for _, d := range diff {
		names[d.Field], byName[d.Field] = "", d
	}
	out := make([]store.FieldChange, 0, len(diff))
	for _, k := range fieldOrder(names) {
		out = append(out, byName[k])
	}
	return out
}
