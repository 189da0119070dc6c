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
	"talkbot/i18n"
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
	// PostLanguage is the language a server's channel posts are written
	// in ("" when none is set: English).
	PostLanguage(ctx context.Context, guildID string) (string, error)
	// Subscriptions holds a subscriber's language, for their DMs.
	Subscriptions(ctx context.Context, userID string) ([]store.Subscription, error)
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

// wordsFor is the language of a delivery: a channel's post is in its
// server's post language, a DM in the language the subscriber had when
// subscribing to the track; English when none is known.
func (a *Announcer) wordsFor(ctx context.Context, d store.Delivery) (words, error) {
	tag := ""
	if strings.HasPrefix(d.Target, store.ChannelPrefix) && d.GuildID != "" {
		lang, err := a.changes.PostLanguage(ctx, d.GuildID)
		if err != nil {
			return words{}, err
		}
		tag = lang
	} else if user, ok := strings.CutPrefix(d.Target, store.UserTarget("")); ok && user != "" {
		subs, err := a.changes.Subscriptions(ctx, user)
		if err != nil {
			return words{}, fmt.Errorf("language of %s: %w", d.Target, err)
		}
		for _, s := range subs {
			if s.Track == d.Track {
				tag = s.Language
			}
		}
	}
	return wordsIn(langOf(tag)), nil
}

// trackIn is a post's track with its display names (title, parties,
// people) in the post's language, as the replies show them.
func (a *Announcer) trackIn(ctx context.Context, w words, id string) (*trackInfo, error) {
	t, err := a.c.loadTrack(ctx, id)
	if err != nil {
		return nil, err
	}
	return t.in(w.lang()), nil
}

// langOf is the language a stored tag names, English for none.
func langOf(tag string) i18n.Lang {
	if tag == "" {
		return i18n.English
	}
	return i18n.Match(tag)
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
	w, err := a.wordsFor(ctx, d)
	if err != nil {
		return remind.Message{}, false, err
	}
	t, err := a.trackIn(ctx, w, d.Track)
	if err != nil {
		return remind.Message{}, false, err
	}
	var content string
	if r.Starts.TimeKnown() {
		u := strconv.FormatInt(start.Unix(), 10)
		content = w.t("post.reminder", "Number", r.Number, "Track", t.Title, "Relative", "<t:"+u+":R>", "Full", "<t:"+u+":F>")
	} else {
		// The weekday apart, so that each language can place it without
		// declining it ("2 июня 2025 (понедельник)").
		weekday := w.t(weekdayIDs[r.Starts.Date.In(time.UTC).Weekday()])
		content = w.t("post.reminder_date", "Number", r.Number, "Track", t.Title, "Weekday", weekday, "Date", w.date(r.Starts.Date, false))
	}
	content = rolePrefix(d.RoleID) + content
	if late {
		content += " " + w.t("post.sent_late")
	}
	reply, err := a.c.roundReplyIn(ctx, w, t, r, w.t("post.heading_coming_up"))
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
	w, err := a.wordsFor(ctx, d)
	if err != nil {
		return remind.Message{}, err
	}
	t, err := a.trackIn(ctx, w, ch.Track)
	if err != nil {
		return remind.Message{}, err
	}
	content := rolePrefix(d.RoleID) + w.t("post.update", "Text", w.describeChange(t, ch))
	var embeds []*discordgo.MessageEmbed
	r, err := a.c.store.Round(ctx, ch.Track, ch.Round)
	if err == nil {
		reply, err := a.c.roundReplyIn(ctx, w, t, r, "")
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
func (w words) describeChange(t *trackInfo, ch store.RoundChange) string {
	n, title := ch.Round, t.Title
	pending := ch.NewStatus.Pending()
	switch ch.Kind {
	case store.ChangeAdded:
		return w.t("post.change.added", "Number", n, "Track", title, "Status", w.status(ch.NewStatus), "When", w.shortWhen(ch.NewStarts, pending))
	case store.ChangeRescheduled:
		return w.t("post.change.rescheduled", "Number", n, "Track", title, "Old", w.shortWhen(ch.OldStarts, true), "New", w.shortWhen(ch.NewStarts, pending))
	case store.ChangePostponed:
		return w.t("post.change.postponed", "Number", n, "Track", title, "Old", w.shortWhen(ch.OldStarts, true))
	case store.ChangeCancelled:
		return w.t("post.change.cancelled", "Number", n, "Track", title, "Old", w.shortWhen(ch.OldStarts, true))
	case store.ChangeHeld:
		return w.t("post.change.held", "Number", n, "Track", title, "When", w.shortWhen(ch.NewStarts, false))
	}
	return w.t("post.change.status", "Number", n, "Track", title, "Status", w.status(ch.NewStatus), "Old", w.status(ch.OldStatus))
}

// digestDays is how far ahead a digest looks.
const digestDays = 7

// Digest renders the coming week's meetings and the latest positions of
// the tracks a channel follows.
func (a *Announcer) Digest(ctx context.Context, d store.Delivery) (remind.Message, error) {
	now := a.c.now()
	w, err := a.wordsFor(ctx, d)
	if err != nil {
		return remind.Message{}, err
	}
	var embeds []*embed
	for _, track := range strings.Split(d.Payload, ",") {
		if track == "" {
			continue
		}
		t, err := a.trackIn(ctx, w, track)
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
			line := w.t("post.digest.line", "Number", r.Number, "When", w.shortWhen(r.Starts, true))
			if r.Venue != "" {
				line += " · " + w.venue(r)
			}
			lines = append(lines, line+" · "+w.status(r.Status))
		}
		b := w.embed(w.t("post.digest.title", "Track", t.Title), "("+w.command("talks/upcoming")+")")
		if len(lines) == 0 {
			lines = []string{w.t("post.digest.no_meeting")}
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
			attrib := "— " + w.date(p.StatedOn, false) + " · " + shortCite(srcs)
			b.field(w.t("post.digest.position", "Party", t.partyName(p.Party), "Topic", p.Topic), truncate(p.Summary, 300, "")+"\n"+attrib, false)
		}
		embeds = append(embeds, b)
		if len(embeds) == 10 {
			break
		}
	}
	if len(embeds) == 0 {
		return message(w.t("post.digest.nothing"), nil, ""), nil
	}
	reply := embedsReply(embeds...)
	return message(w.t("post.digest"), reply.Embeds, ""), nil
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
	w, err := a.wordsFor(ctx, d)
	if err != nil {
		return remind.Message{}, err
	}
	t, err := a.trackIn(ctx, w, to.Entity.Track)
	if err != nil {
		return remind.Message{}, err
	}
	byline, err := a.byline(ctx, w, t, from, to)
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
		content = w.roundEditWords(t, n, before, after)
		r, err := a.c.store.Round(ctx, t.ID, n)
		switch {
		case err == nil:
			reply, err := a.c.roundReplyIn(ctx, w, t, r, "")
			if err != nil {
				return remind.Message{}, err
			}
			embeds = reply.Embeds
		case !errors.Is(err, store.ErrNotFound):
			return remind.Message{}, err
		}
	case store.EntityPosition, store.EntityStatement:
		var b *embed
		content, b, err = a.factUpdate(ctx, w, t, to.Entity.Kind, before, after)
		if err != nil {
			return remind.Message{}, err
		}
		embeds = embedsReply(b).Embeds
	default:
		heading, detail := w.describeEdit(t, store.Change{Entity: to.Entity, Op: to.Op, Before: before, After: after})
		content = w.t("post.edit.other", "What", heading, "Track", inert(t.Title))
		embeds = embedsReply(w.embed(heading+" · "+t.Title, "").description(detail)).Embeds
	}
	if len(embeds) == 0 {
		embeds = embedsReply(w.embed(t.Title, "")).Embeds
	}
	// Who and from where close the post; Fit cuts the embed if need be.
	e := embeds[len(embeds)-1]
	e.Fields = append(e.Fields, byline...)
	return message(rolePrefix(d.RoleID)+w.t("post.update", "Text", content), embeds, d.RoleID), nil
}

// byline says who made the edits and from which sources.
func (a *Announcer) byline(ctx context.Context, w words, t *trackInfo, from, to store.Change) ([]*discordgo.MessageEmbedField, error) {
	who := w.editorName(to)
	if from.Editor != to.Editor {
		who = w.andWords([]string{w.editorName(from), who})
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
		who = w.t("post.edit.citing", "Who", who, "Sources", w.andWords(strings.Split(w.cite(srcs), "\n")))
	}
	return newEmbed("", "").field(w.t("post.field.changed_by"), who, false).e.Fields, nil
}

// roundEditWords says in one sentence what the edits did to a round: its
// addition, status, date, outcomes and venue, and which other fields.
func (w words) roundEditWords(t *trackInfo, n int, before, after map[string]string) string {
	title := inert(t.Title)
	zone := func(f map[string]string) string { return firstOf(f["timezone"], t.Timezone) }
	switch {
	case after == nil:
		return w.t("post.edit.round_removed", "Number", n, "Track", title)
	case before == nil:
		status := store.Status(after["status"])
		if after["starts"] == "" {
			return w.t("post.edit.round_added_no_date", "Number", n, "Track", title, "Status", w.status(status))
		}
		return w.t("post.change.added", "Number", n, "Track", title, "Status", w.status(status),
			"When", w.whenWords(after["starts"], zone(after), status.Pending()))
	}
	var parts, others []string
	for _, d := range inOrder(store.Diff(before, after)) {
		switch d.Field {
		case "status":
			switch old, now := store.Status(d.Old), store.Status(d.New); now {
			case store.StatusPostponed, store.StatusCancelled:
				parts = append(parts, w.t("post.edit.status_was", "Status", w.status(now), "Old", w.status(old)))
			case store.StatusHeld:
				parts = append(parts, w.status(now))
			default:
				parts = append(parts, w.t("post.edit.status_now", "Status", w.status(now), "Old", w.status(old)))
			}
		case "starts":
			pending := store.Status(after["status"]).Pending()
			if d.Old == "" {
				parts = append(parts, w.t("post.edit.date_set", "When", w.whenWords(d.New, zone(after), pending)))
			} else if d.New == "" {
				parts = append(parts, w.t("post.edit.date_removed", "When", w.whenWords(d.Old, zone(before), true)))
			} else {
				parts = append(parts, w.t("post.edit.moved", "Old", w.whenWords(d.Old, zone(before), true), "New", w.whenWords(d.New, zone(after), pending)))
			}
		case "outcomes":
			if d.New != "" {
				parts = append(parts, w.t("post.edit.outcomes_recorded"))
			} else {
				others = append(others, w.fieldLabel("outcomes"))
			}
		case "venue":
			parts = append(parts, w.t("post.edit.venue", "Old", w.valueText(t, "venue", d.Old), "New", w.valueText(t, "venue", d.New)))
		default:
			others = append(others, w.fieldLabel(d.Field))
		}
	}
	if len(others) > 0 {
		parts = append(parts, w.t("post.edit.changed", "Fields", w.andWords(others)))
	}
	if len(parts) == 0 {
		return w.t("post.edit.unchanged", "Number", n, "Track", title)
	}
	return w.t("post.edit.round", "Number", n, "Track", title, "Parts", strings.Join(parts, "; "))
}

// whenWords shows a start as written in the history ("2025-06-02T13:00"
// in the round's zone) as the replies show one; as written when it does
// not read.
func (w words) whenWords(text, zone string, pending bool) string {
	at, err := dataset.ParseStarts(text, zone)
	if err != nil {
		return inert(text)
	}
	return w.shortWhen(at, pending)
}

// factUpdate renders a position or a statement from its fields as they
// are after the edits (before them, when it was removed): a sentence, and
// the fact itself in an embed.
func (a *Announcer) factUpdate(ctx context.Context, w words, t *trackInfo, kind store.EntityKind, before, after map[string]string) (string, *embed, error) {
	f := after
	if f == nil {
		f = before
	}
	srcs, err := a.c.sources(ctx, t.ID, splitLines(f["sources"]))
	if err != nil {
		return "", nil, err
	}
	// The sentence's id: post.edit.position_new, post.edit.statement_removed...
	id := "post.edit.statement_"
	var b *embed
	args := []any{"Track", inert(t.Title)}
	if kind == store.EntityPosition {
		id = "post.edit.position_"
		args = append(args, "Party", inert(t.partyName(f["party"])), "Topic", inert(f["topic"]))
		b = w.embed(w.t("post.edit.position_title", "Party", t.partyName(f["party"]), "Topic", f["topic"], "Track", t.Title),
			"("+w.command("talks/positions", "side:"+f["party"])+")")
		b.description(f["summary"])
		stated := w.dateWords(f["stated_on"])
		if f["by"] != "" {
			stated = w.t("post.edit.stated_by", "Date", stated, "Person", t.personLine(f["by"]))
		}
		b.field(w.t("post.field.stated"), stated, false)
	} else {
		args = append(args, "Person", inert(t.personName(f["by"])))
		name := t.personLine(f["by"])
		if f["party"] != "" {
			name += " (" + t.partyName(f["party"]) + ")"
		}
		b = w.embed(w.t("post.edit.statement_title", "Person", name, "Track", t.Title),
			"("+w.command("talks/statements", "speaker:"+f["by"])+")")
		b.description(quote(f["text"]))
		said := w.dateWords(f["said_on"])
		if f["medium"] != "" {
			said += ", " + f["medium"]
		}
		b.field(w.t("post.field.said"), said, false)
	}
	b.field(w.t("field.sources"), w.cite(srcs), false)
	switch {
	case after == nil:
		return w.t(id+"removed", args...), b, nil
	case before == nil:
		return w.t(id+"new", args...), b, nil
	}
	return w.t(id+"changed", args...), b, nil
}

// dateWords is a history date ("2025-06-02") as the replies write one.
func (w words) dateWords(s string) string {
	d, err := store.ParseDate(s)
	if err != nil {
		return inert(s)
	}
	return w.date(d, false)
}

// andWords joins "a", "b" and "c" as "a, b and c" in the language's words.
func (w words) andWords(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return w.t("list.and_last", "List", strings.Join(items[:len(items)-1], ", "), "Last", items[len(items)-1])
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
