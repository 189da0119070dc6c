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
	w := c.words(req)
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	n, err := strconv.Atoi(req.Option("number"))
	if err != nil || n < 1 {
		return Reply{}, &UserError{w.t("error.round_number", "Example", w.command("talks/round", "number:1"))}
	}
	r, err := c.store.Round(ctx, t.ID, n)
	if errors.Is(err, store.ErrNotFound) {
		rounds, err := c.store.Rounds(ctx, t.ID)
		if err != nil {
			return Reply{}, err
		}
		if len(rounds) == 0 {
			return Reply{}, &UserError{w.t("error.no_round_yet", "Track", t.Title)}
		}
		var nums []string
		for _, r := range rounds {
			nums = append(nums, strconv.Itoa(r.Number))
		}
		return Reply{}, &UserError{w.t("error.no_such_round", "Number", n, "Track", t.Title, "Rounds", w.listOf(nums, 30))}
	}
	if err != nil {
		return Reply{}, fmt.Errorf("round %d of %s: %w", n, t.ID, err)
	}
	return c.roundReplyIn(ctx, w, t, r, "")
}

// roundReply shows one round in full, in English (for channel posts).
func (c *Commands) roundReply(ctx context.Context, t *trackInfo, r store.Round, heading string) (Reply, error) {
	return c.roundReplyIn(ctx, english(), t, r, heading)
}

// roundReplyIn shows one round in full in the reader's words; heading, in
// those words too, says why this round ("Next meeting").
func (c *Commands) roundReplyIn(ctx context.Context, w words, t *trackInfo, r store.Round, heading string) (Reply, error) {
	srcs, err := c.sources(ctx, t.ID, r.Sources)
	if err != nil {
		return Reply{}, err
	}
	past := lapsed(r, c.now())
	title := w.t("round.title", "Number", r.Number, "Track", t.Title)
	switch {
	case past:
		title = w.lapsedHeading(r) + " · " + t.Title
	case heading != "":
		title = heading + ": " + title
	}
	more := "(" + w.command("talks/round", "number:"+strconv.Itoa(r.Number)) + ")"
	b := w.embed(title, more)
	pending := r.Status.Pending() && !past
	b.field(w.t("field.when"), w.when(r.Starts, pending), false)
	if !r.Ends.IsZero() {
		b.field(w.t("field.ends"), w.when(r.Ends, pending), false)
	}
	b.field(w.t("field.venue"), w.venue(r), true)
	status := w.capital(w.status(r.Status))
	switch {
	case r.ProposedBy != "" && r.Status == store.StatusProposed:
		status = w.t("round.proposed_by", "Party", t.partyName(r.ProposedBy))
	case r.ProposedBy != "":
		status = w.t("round.status_proposed_by", "Status", status, "Party", t.partyName(r.ProposedBy))
	}
	if past {
		status = w.t("round.no_later_report", "Status", status)
	}
	b.field(w.t("field.status"), status, true)
	var dels []string
	for _, d := range r.Delegations {
		line := "**" + t.partyName(d.Party) + "**"
		if d.Head != "" {
			line += ": " + w.t("round.head", "Person", t.personName(d.Head))
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
	b.field(w.t("field.delegations"), strings.Join(dels, "\n"), false)
	var meds []string
	for _, m := range r.Mediators {
		meds = append(meds, t.partyName(m))
	}
	// Only a round that names mediators has them; a party the sources
	// credit with facilitating is a note or a role, never a mediator.
	b.field(w.t("field.mediators"), strings.Join(meds, ", "), false)
	b.field(w.t("field.notes"), bullets(r.Notes), false)
	b.field(w.agendaName(t, r), bullets(r.Agenda), false)
	b.field(w.t("field.outcomes"), bullets(r.Outcomes), false)
	b.field(w.t("field.documents"), bullets(r.Documents), false)
	b.field(w.t("field.sources"), w.cite(srcs), false)
	last, err := c.lastChanged(ctx, w, t, r)
	if err != nil {
		return Reply{}, err
	}
	b.field(w.t("field.last_changed"), last, false)
	return embedsReply(b), nil
}

// agendaName heads a round's agenda: a proposed round's agenda is its
// proposer's proposal, not an agreed one.
func (w words) agendaName(t *trackInfo, r store.Round) string {
	switch {
	case r.Status != store.StatusProposed:
		return w.t("field.agenda")
	case r.ProposedBy != "":
		return w.t("field.agenda_proposed_by", "Party", t.partyName(r.ProposedBy))
	}
	return w.t("field.agenda_proposed")
}

const roundsPerPage = 10

func (c *Commands) rounds(ctx context.Context, req Request) (Reply, error) {
	t, err := c.readTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	return c.roundsList(ctx, c.words(req), t, 0)
}

func (c *Commands) roundsList(ctx context.Context, w words, t *trackInfo, page int) (Reply, error) {
	res, err := c.store.RoundsPage(ctx, t.ID, roundsPerPage, page*roundsPerPage)
	if err != nil {
		return Reply{}, fmt.Errorf("rounds of %s: %w", t.ID, err)
	}
	if res.Total == 0 {
		return Reply{Content: w.t("rounds.none", "Track", t.Title)}, nil
	}
	pages := (res.Total + roundsPerPage - 1) / roundsPerPage
	if page >= pages {
		return c.roundsList(ctx, w, t, pages-1)
	}
	var lines []string
	for _, r := range res.Items {
		past := lapsed(r, c.now())
		line := w.t("rounds.line", "Number", r.Number, "When", w.shortWhen(r.Starts, r.Status.Pending() && !past))
		if r.Venue != "" {
			line += " · " + w.venue(r)
		}
		status := w.status(r.Status)
		if past {
			status = w.t("round.no_later_report", "Status", status)
		}
		line += " · " + status
		if len(r.Outcomes) > 0 {
			line += "\n  " + truncate(r.Outcomes[0], 200, "")
		}
		lines = append(lines, line)
	}
	one := w.command("talks/round", "number:N")
	b := w.embed(w.t("rounds.title", "Track", t.Title), "("+one+")").description(strings.Join(lines, "\n"))
	b.footer(w.t("rounds.footer", "Page", page+1, "Pages", pages, "Command", one))
	reply := embedsReply(b)
	reply.Components = w.pager("rounds:"+t.ID, page, pages)
	return reply, nil
}
