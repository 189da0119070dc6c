package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/remind"
	"talkbot/store"
)

// AnnouncerStore is what the announcer reads: what the replies read, and
// the record of round changes that update posts describe.
type AnnouncerStore interface {
	Reads
	RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error)
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
