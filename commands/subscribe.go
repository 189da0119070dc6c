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

	"talkbot/remind"
	"talkbot/store"
)

// subscribeSub and unsubscribeSub are /talks subcommands: personal
// reminders work wherever /talks does, servers and DMs alike.
func (c *Commands) subscribeSub() subcommand {
	return subcommand{name: "subscribe", description: "Get reminders before each meeting by DM",
		options: []*discordgo.ApplicationCommandOption{
			trackOption(),
			remindersOption(),
		}, handle: c.subscribe}
}

// maxRemindersLength is the reminders option's max_length.
const maxRemindersLength = 100

func remindersOption() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: "reminders", MaxLength: maxRemindersLength,
		Description: "How long before each meeting, e.g. 7d,24h,1h (default: " + remind.FormatOffsets(remind.DefaultOffsets) + ")",
	}
}

func (c *Commands) unsubscribeSub() subcommand {
	return subcommand{name: "unsubscribe", description: "Stop reminders by DM",
		options: []*discordgo.ApplicationCommandOption{
			{Type: discordgo.ApplicationCommandOptionString, Name: "track", Description: "Only these talks (default: all you get)", Autocomplete: true, MaxLength: maxIDLength},
		}, handle: c.unsubscribe}
}

// --- /talks subscribe ---

// subscribe keeps the caller's language with the subscription: their DM
// reminders are written in it.
func (c *Commands) subscribe(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	if req.UserID == "" {
		return Reply{}, &UserError{w.t("subscribe.no_account", "Command", w.command("talks/subscribe"))}
	}
	offsets, err := w.reminderOffsets(req.Option("reminders"))
	if err != nil {
		return Reply{}, err
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	// Saving clears a pause: subscribing again is what the pause notice
	// asks for once DMs are open.
	if err := c.subs.SaveSubscription(ctx, store.Subscription{UserID: req.UserID, Track: t.ID, Offsets: offsets, Language: string(w.lang())}); err != nil {
		return Reply{}, fmt.Errorf("saving subscription of %s to %s: %w", req.UserID, t.ID, err)
	}
	c.replan(t.ID)
	first, err := c.firstReminder(ctx, w, t, offsets)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Content: strings.Join([]string{
		w.t("subscribe.saved", "Track", t.Title, "Offsets", w.offsetsText(offsets)),
		first,
		w.t("subscribe.pause_hint", "Command", w.command("talks/unsubscribe")),
	}, "\n"), Ephemeral: true}, nil
}

// --- /talks unsubscribe ---

func (c *Commands) unsubscribe(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	if req.UserID == "" {
		return Reply{}, &UserError{w.t("subscribe.no_account", "Command", w.command("talks/unsubscribe"))}
	}
	subs, err := c.subs.Subscriptions(ctx, req.UserID)
	if err != nil {
		return Reply{}, fmt.Errorf("subscriptions of %s: %w", req.UserID, err)
	}
	var owned []string
	for _, s := range subs {
		owned = append(owned, s.Track)
	}
	if typed := strings.TrimSpace(req.Option("track")); typed != "" {
		id, title, err := c.ownTrack(ctx, w, typed, owned)
		if err != nil {
			return Reply{}, err
		}
		gone, err := c.subs.DeleteSubscription(ctx, req.UserID, id)
		if err != nil {
			return Reply{}, fmt.Errorf("deleting subscription of %s to %s: %w", req.UserID, id, err)
		}
		if !gone {
			return Reply{Content: w.t("unsubscribe.not_subscribed", "Track", title), Ephemeral: true}, nil
		}
		c.replan(id)
		return Reply{Content: w.t("unsubscribe.stopped", "Track", title), Ephemeral: true}, nil
	}
	if len(owned) == 0 {
		return Reply{Content: w.t("unsubscribe.none", "Command", w.command("talks/subscribe")), Ephemeral: true}, nil
	}
	titles, err := c.trackTitles(ctx)
	if err != nil {
		return Reply{}, err
	}
	var stopped []string
	for _, id := range owned {
		gone, err := c.subs.DeleteSubscription(ctx, req.UserID, id)
		if err != nil {
			return Reply{}, fmt.Errorf("deleting subscription of %s to %s: %w", req.UserID, id, err)
		}
		if gone {
			c.replan(id)
			stopped = append(stopped, "**"+titles.of(id)+"**")
		}
	}
	return Reply{Content: w.t("unsubscribe.stopped_all", "Tracks", w.listOf(stopped, 10)), Ephemeral: true}, nil
}

// --- the pause notice ---

// pauseNotice tells a user, once, that their DM reminders were paused
// because Discord refused a DM, in the words of the reply it goes with.
// One query per command, and the rare case that has something to say pays
// for the rest.
func (c *Commands) pauseNotice(ctx context.Context, w words, userID string) (string, error) {
	subs, err := c.subs.Subscriptions(ctx, userID)
	if err != nil {
		return "", fmt.Errorf("subscriptions of %s: %w", userID, err)
	}
	var paused []store.Subscription
	for _, s := range subs {
		if s.Paused != "" && !s.Noticed {
			paused = append(paused, s)
		}
	}
	if len(paused) == 0 {
		return "", nil
	}
	titles, err := c.trackTitles(ctx)
	if err != nil {
		return "", err
	}
	var names []string
	for _, s := range paused {
		names = append(names, "**"+titles.of(s.Track)+"**")
	}
	if err := c.subs.MarkPauseNoticed(ctx, userID); err != nil {
		return "", fmt.Errorf("marking pause noticed for %s: %w", userID, err)
	}
	return truncate(w.t("subscribe.paused", "Tracks", w.listOf(names, 5), "Reason", strings.TrimSuffix(paused[0].Paused, "."),
		"Command", w.command("talks/subscribe")), maxContent, ""), nil
}

// --- reminder times ---

// reminderOffsets reads the reminders option; empty means the defaults.
func (w words) reminderOffsets(typed string) ([]time.Duration, error) {
	if strings.TrimSpace(typed) == "" {
		return slices.Clone(remind.DefaultOffsets), nil
	}
	if err := tooLong(optionRef{"talks/subscribe", "reminders", "reminders option"}, typed, maxRemindersLength, "`7d,24h,1h`"); err != nil {
		return nil, err
	}
	offsets, err := remind.ParseOffsets(typed)
	if err != nil {
		return nil, &UserError{w.t("reminders.unreadable", "Typed", echo(typed), "Reason", w.offsetReason(err))}
	}
	return offsets, nil
}

// offsetReason words why remind.ParseOffsets refused, in the reader's
// language; English reads as the parser's own Error().
func (w words) offsetReason(err error) string {
	var oe *remind.OffsetError
	if !errors.As(err, &oe) {
		return err.Error()
	}
	id := map[remind.OffsetErrorKind]string{
		remind.OffsetsNone:       "reminders.why.none",
		remind.OffsetUnreadable:  "reminders.why.unreadable",
		remind.OffsetTwice:       "reminders.why.twice",
		remind.OffsetsTooMany:    "reminders.why.too_many",
		remind.OffsetUnknownUnit: "reminders.why.unit",
		remind.OffsetTooLong:     "reminders.why.too_long",
	}[oe.Kind]
	if id == "" {
		return err.Error()
	}
	return w.t(id, "Part", strconv.Quote(oe.Part), "Max", oe.Max)
}

// offsetsText is "1 day and 1 hour", as in "1 day and 1 hour before".
func (w words) offsetsText(ds []time.Duration) string {
	words := make([]string, len(ds))
	for i, d := range ds {
		words[i] = w.offsetWords(d)
	}
	return w.andWords(words)
}

// offsetWords is one reminder time as it stands before "before": the
// catalogs give the form that takes ("за 1 годину до" in Ukrainian).
func (w words) offsetWords(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return w.n("offset.days", int(d/(24*time.Hour)))
	case d%time.Hour == 0:
		return w.n("offset.hours", int(d/time.Hour))
	}
	return w.n("offset.minutes", int(d/time.Minute))
}

// firstReminder says when the first reminder goes, as the scheduler plans
// it (remind.PlanReminders holds the rules: calendar days, no short
// reminders while a meeting's time is not announced, one catch-up
// reminder when the first times have passed).
func (c *Commands) firstReminder(ctx context.Context, w words, t *trackInfo, offsets []time.Duration) (string, error) {
	now := c.now()
	rounds, err := c.store.UpcomingRounds(ctx, t.ID, now, 0)
	if err != nil {
		return "", fmt.Errorf("upcoming rounds of %s: %w", t.ID, err)
	}
	if len(rounds) == 0 {
		return w.t("first.none_upcoming", "Track", t.Title, "Offset", w.offsetWords(offsets[0])), nil
	}
	planned, err := remind.PlanReminders(rounds, []remind.Target{{ID: "preview", Offsets: offsets}}, now)
	if err != nil {
		return "", fmt.Errorf("planning reminders of %s: %w", t.ID, err)
	}
	if len(planned) == 0 {
		r := rounds[0]
		if !r.Starts.TimeKnown() && offsets[0] < 24*time.Hour {
			return w.t("first.no_time", "Number", r.Number, "Date", w.date(r.Starts.Date, false)), nil
		}
		return w.t("first.too_close", "Number", r.Number, "When", w.shortWhen(r.Starts, true)), nil
	}
	first := slices.MinFunc(planned, func(a, b store.Delivery) int { return a.DueAt.Compare(b.DueAt) })
	what := w.t("first.before_round", "Number", first.Round, "When", w.roundWhen(rounds, first.Round))
	if offs, err := remind.ParseOffsets(first.Payload); err == nil {
		what = w.t("first.offset_before_round", "Offset", w.offsetWords(offs[0]), "Number", first.Round, "When", w.roundWhen(rounds, first.Round))
	}
	if !first.DueAt.After(now) {
		return w.t("first.right_away", "What", what), nil
	}
	u := strconv.FormatInt(first.DueAt.Unix(), 10)
	return w.t("first.at", "Full", "<t:"+u+":F>", "Relative", "<t:"+u+":R>", "What", what), nil
}

// roundWhen is the start of round n among rounds, in brief.
func (w words) roundWhen(rounds []store.Round, n int) string {
	for _, r := range rounds {
		if r.Number == n {
			return w.shortWhen(r.Starts, true)
		}
	}
	return w.t("first.its_date")
}
