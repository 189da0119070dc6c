package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/schedule"
	"talkbot/store"
)

// announceStore is what the announcer reads beyond the command handlers.
type announceStore interface {
	RoundChanges(ctx context.Context, after int64, limit int) ([]store.RoundChange, error)
}

// Announcer renders what the scheduler posts: reminders, update posts and
// digests. It is schedule.Renderer.
type Announcer struct {
	c       *Commands
	changes announceStore
}

var _ schedule.Renderer = (*Announcer)(nil)

// NewAnnouncer builds the scheduler's renderer on the command handlers'
// store and clock.
func NewAnnouncer(c *Commands, changes announceStore) *Announcer {
	return &Announcer{c: c, changes: changes}
}

// mentions pings the configured role, and nobody else.
func mentions(role string) *discordgo.MessageAllowedMentions {
	m := &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
	if role != "" {
		m.Roles = []string{role}
	}
	return m
}

func rolePrefix(role string) string {
	if role == "" {
		return ""
	}
	return "<@&" + role + "> "
}

// Reminder renders a reminder, unless the round no longer starts when the
// reminder was planned for or is no longer expected.
func (a *Announcer) Reminder(ctx context.Context, d store.Delivery, late bool) (schedule.Message, bool, error) {
	r, err := a.c.store.Round(ctx, d.Track, d.Round)
	if errors.Is(err, store.ErrNotFound) {
		return schedule.Message{}, false, nil
	}
	if err != nil {
		return schedule.Message{}, false, err
	}
	start, _, err := r.Starts.Bounds()
	if err != nil {
		return schedule.Message{}, false, err
	}
	if !r.Status.Pending() || !start.Equal(d.Deadline) {
		return schedule.Message{}, false, nil
	}
	t, err := a.c.loadTrack(ctx, d.Track)
	if err != nil {
		return schedule.Message{}, false, err
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
		return schedule.Message{}, false, err
	}
	return schedule.Message{Content: truncate(content, maxContent, ""), Embeds: reply.Embeds, AllowedMentions: mentions(d.RoleID)}, true, nil
}

// Update renders the post saying what changed about a round.
func (a *Announcer) Update(ctx context.Context, d store.Delivery) (schedule.Message, error) {
	id, err := strconv.ParseInt(d.Payload, 10, 64)
	if err != nil {
		return schedule.Message{}, fmt.Errorf("update %q: %w", d.Payload, err)
	}
	changes, err := a.changes.RoundChanges(ctx, id-1, 1)
	if err != nil {
		return schedule.Message{}, err
	}
	if len(changes) == 0 || changes[0].ID != id {
		return schedule.Message{}, fmt.Errorf("round change %d is not recorded", id)
	}
	ch := changes[0]
	t, err := a.c.loadTrack(ctx, ch.Track)
	if err != nil {
		return schedule.Message{}, err
	}
	content := rolePrefix(d.RoleID) + "Update: " + describeChange(t, ch)
	msg := schedule.Message{Content: truncate(content, maxContent, ""), AllowedMentions: mentions(d.RoleID)}
	r, err := a.c.store.Round(ctx, ch.Track, ch.Round)
	if err == nil {
		reply, err := a.c.roundReply(ctx, t, r, "")
		if err != nil {
			return schedule.Message{}, err
		}
		msg.Embeds = reply.Embeds
	} else if !errors.Is(err, store.ErrNotFound) {
		return schedule.Message{}, err
	}
	return msg, nil
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
func (a *Announcer) Digest(ctx context.Context, d store.Delivery) (schedule.Message, error) {
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
			return schedule.Message{}, err
		}
		rounds, err := a.c.store.UpcomingRounds(ctx, track, now, 10)
		if err != nil {
			return schedule.Message{}, err
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
			return schedule.Message{}, err
		}
		var lists [][]string
		for _, p := range ps {
			lists = append(lists, p.Sources)
		}
		cited, err := a.c.cite(ctx, track, lists...)
		if err != nil {
			return schedule.Message{}, err
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
		return schedule.Message{Content: "Digest: no talks are followed here any more.", AllowedMentions: mentions("")}, nil
	}
	reply := embedsReply(embeds...)
	return schedule.Message{Content: "Digest of the coming week", Embeds: reply.Embeds, AllowedMentions: mentions("")}, nil
}
