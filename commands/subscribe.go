package commands

import (
	"context"
	"fmt"
	"slices"
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

func (c *Commands) subscribe(ctx context.Context, req Request) (Reply, error) {
	if req.UserID == "" {
		return Reply{}, userErrorf("Reminders by DM need a Discord account: use /talks subscribe in Discord.")
	}
	offsets, err := reminderOffsets(req.Option("reminders"))
	if err != nil {
		return Reply{}, err
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	// Saving clears a pause: subscribing again is what the pause notice
	// asks for once DMs are open.
	if err := c.subs.SaveSubscription(ctx, store.Subscription{UserID: req.UserID, Track: t.ID, Offsets: offsets}); err != nil {
		return Reply{}, fmt.Errorf("saving subscription of %s to %s: %w", req.UserID, t.ID, err)
	}
	c.replan(t.ID)
	first, err := c.firstReminder(ctx, t, offsets)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Content: strings.Join([]string{
		fmt.Sprintf("You will get reminders for **%s** by DM, %s before each meeting.", t.Title, offsetsText(offsets)),
		first,
		"If talkbot cannot DM you, your reminders pause and talkbot tells you the next time you use a command. /talks unsubscribe stops them.",
	}, "\n"), Ephemeral: true}, nil
}

// --- /talks unsubscribe ---

func (c *Commands) unsubscribe(ctx context.Context, req Request) (Reply, error) {
	if req.UserID == "" {
		return Reply{}, userErrorf("Reminders by DM need a Discord account: use /talks unsubscribe in Discord.")
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
		id, title, err := c.ownTrack(ctx, typed, owned)
		if err != nil {
			return Reply{}, err
		}
		gone, err := c.subs.DeleteSubscription(ctx, req.UserID, id)
		if err != nil {
			return Reply{}, fmt.Errorf("deleting subscription of %s to %s: %w", req.UserID, id, err)
		}
		if !gone {
			return Reply{Content: fmt.Sprintf("You were not subscribed to **%s**; nothing changed.", title), Ephemeral: true}, nil
		}
		c.replan(id)
		return Reply{Content: fmt.Sprintf("You will get no more reminders for **%s** by DM.", title), Ephemeral: true}, nil
	}
	if len(owned) == 0 {
		return Reply{Content: "You get no reminders by DM, so there is nothing to stop. /talks subscribe starts them.", Ephemeral: true}, nil
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
	return Reply{Content: fmt.Sprintf("You will get no more reminders by DM (stopped: %s).", listOf(stopped, 10)), Ephemeral: true}, nil
}

// --- the pause notice ---

// pauseNotice tells a user, once, that their DM reminders were paused
// because Discord refused a DM. One query per command, and the rare case
// that has something to say pays for the rest.
func (c *Commands) pauseNotice(ctx context.Context, userID string) (string, error) {
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
	return truncate(fmt.Sprintf("Your reminders by DM for %s are paused because talkbot could not DM you: %s. "+
		"Your DMs seem closed to talkbot: allow direct messages from server members (the server's Privacy Settings) "+
		"or from apps, then run /talks subscribe again.",
		listOf(names, 5), strings.TrimSuffix(paused[0].Paused, ".")), maxContent, ""), nil
}

// --- reminder times ---

// reminderOffsets reads the reminders option; empty means the defaults.
func reminderOffsets(typed string) ([]time.Duration, error) {
	if strings.TrimSpace(typed) == "" {
		return slices.Clone(remind.DefaultOffsets), nil
	}
	if err := tooLong("reminders option", typed, maxRemindersLength, "`7d,24h,1h`"); err != nil {
		return nil, err
	}
	offsets, err := remind.ParseOffsets(typed)
	if err != nil {
		return nil, userErrorf("Cannot read the reminder times %s: %v.", echo(typed), err)
	}
	return offsets, nil
}

// offsetsText is "1 day and 1 hour".
func offsetsText(ds []time.Duration) string {
	words := make([]string, len(ds))
	for i, d := range ds {
		words[i] = offsetWords(d)
	}
	return andList(words)
}

func offsetWords(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return plural(int(d/(24*time.Hour)), "day")
	case d%time.Hour == 0:
		return plural(int(d/time.Hour), "hour")
	}
	return plural(int(d/time.Minute), "minute")
}

// firstReminder says when the first reminder goes, as the scheduler plans
// it (remind.PlanReminders holds the rules: calendar days, no short
// reminders while a meeting's time is not announced, one catch-up
// reminder when the first times have passed).
func (c *Commands) firstReminder(ctx context.Context, t *trackInfo, offsets []time.Duration) (string, error) {
	now := c.now()
	rounds, err := c.store.UpcomingRounds(ctx, t.ID, now, 0)
	if err != nil {
		return "", fmt.Errorf("upcoming rounds of %s: %w", t.ID, err)
	}
	if len(rounds) == 0 {
		return fmt.Sprintf("No meeting of **%s** is upcoming; the first reminder goes %s before the next one once it is announced.",
			t.Title, offsetWords(offsets[0])), nil
	}
	planned, err := remind.PlanReminders(rounds, []remind.Target{{ID: "preview", Offsets: offsets}}, now)
	if err != nil {
		return "", fmt.Errorf("planning reminders of %s: %w", t.ID, err)
	}
	if len(planned) == 0 {
		r := rounds[0]
		if !r.Starts.TimeKnown() && offsets[0] < 24*time.Hour {
			return fmt.Sprintf("Round %d (%s) has no announced time yet, so reminders shorter than a day wait until it has one.",
				r.Number, formatDate(r.Starts.Date, false)), nil
		}
		return fmt.Sprintf("Round %d (%s) is too close for these reminder times; the first reminder comes before the meeting after it.",
			r.Number, shortWhen(r.Starts, true)), nil
	}
	first := slices.MinFunc(planned, func(a, b store.Delivery) int { return a.DueAt.Compare(b.DueAt) })
	what := fmt.Sprintf("before round %d on %s", first.Round, roundWhen(rounds, first.Round))
	if offs, err := remind.ParseOffsets(first.Payload); err == nil {
		what = offsetWords(offs[0]) + " " + what
	}
	if !first.DueAt.After(now) {
		return fmt.Sprintf("First reminder: right away (%s), since its time has passed.", what), nil
	}
	u := first.DueAt.Unix()
	return fmt.Sprintf("First reminder: <t:%d:F> (<t:%d:R>), %s.", u, u, what), nil
}

// roundWhen is the start of round n among rounds, in brief.
func roundWhen(rounds []store.Round, n int) string {
	for _, r := range rounds {
		if r.Number == n {
			return shortWhen(r.Starts, true)
		}
	}
	return "its date"
}
