package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"talkbot/store"
)

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
	last, err := c.lastChanged(ctx, t, r)
	if err != nil {
		return Reply{}, err
	}
	b.field("Last changed", last, false)
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
