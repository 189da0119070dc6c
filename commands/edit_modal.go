package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// A modal's custom id is "edit:DRAFT:KIND@VERSION": the draft (kept in the
// store) holds what the command chose before the form opened (the track,
// the round, the side, the source) and, after a refused submit, what was
// typed; VERSION is the entity's version the form was filled from. That
// keeps every id far within Discord's 100 characters, whatever the ids.

// Context keys of a draft.
const (
	ctxTrack   = "track"
	ctxNumber  = "number" // a round edit; absent for an add
	ctxSource  = "source" // a source id, or a pasted URL to create
	ctxSide    = "side"
	ctxTopic   = "topic"
	ctxSpeaker = "speaker"
)

// formInputs are a form's fields in their order, with labels and limits.
var formInputs = map[store.EntityKind][]TextInput{
	store.EntityRound: {
		{ID: "starts", Label: "Starts (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", Placeholder: "2025-06-02T13:00, in the track's timezone", Required: true, MaxLength: 40},
		{ID: "venue", Label: "Venue", Placeholder: "e.g. Çırağan Palace, Istanbul", MaxLength: maxShortText},
		{ID: "agenda", Label: "Agenda (one item a line)", Long: true, MaxLength: 4000},
		{ID: "outcomes", Label: "Outcomes (one item a line)", Long: true, MaxLength: 4000},
		{ID: "documents", Label: "Documents (one item a line)", Long: true, MaxLength: 4000},
	},
	store.EntityPosition: {
		{ID: "summary", Label: "What the side stated", Long: true, Required: true, MaxLength: maxQuoteLength},
		{ID: "stated_on", Label: "Stated on (YYYY-MM-DD)", Required: true, MaxLength: 10},
		{ID: "by", Label: "Stated by (a person of that side; optional)", MaxLength: maxNameLength},
	},
	store.EntityStatement: {
		{ID: "text", Label: "The quote, as said", Long: true, Required: true, MaxLength: maxQuoteLength},
		{ID: "said_on", Label: "Said on (YYYY-MM-DD)", Required: true, MaxLength: 10},
		{ID: "medium", Label: "Where (e.g. press conference; optional)", MaxLength: maxShortText},
	},
}

// formLabel is a form field's label, for refusals.
func formLabel(kind store.EntityKind, id string) string {
	for _, in := range formInputs[kind] {
		if in.ID == id {
			return in.Label
		}
	}
	return id
}

// openForm saves the draft and answers with its form.
func (c *Commands) openForm(ctx context.Context, t *trackInfo, d store.Draft) (Reply, error) {
	d.Created = c.now()
	id, err := c.edits.SaveDraft(ctx, d)
	if err != nil {
		return Reply{}, err
	}
	d.ID = id
	return Reply{Modal: formFor(t, d)}, nil
}

// formFor is the modal of a draft, filled with its values.
func formFor(t *trackInfo, d store.Draft) *Modal {
	var title string
	switch d.Kind {
	case store.EntityRound:
		if n := d.Context[ctxNumber]; n != "" {
			title = "Round " + n
		} else {
			title = "New round"
		}
	case store.EntityPosition:
		title = "Position of " + t.partyName(d.Context[ctxSide]) + " on " + d.Context[ctxTopic]
	case store.EntityStatement:
		title = "Quote of " + t.personName(d.Context[ctxSpeaker])
	}
	title = truncate(title+" · "+t.Title, maxModalTitle, "")
	m := &Modal{CustomID: "edit:" + strconv.FormatInt(d.ID, 10) + ":" + string(d.Kind) + "@" + strconv.FormatInt(d.Base, 10), Title: title}
	for _, in := range formInputs[d.Kind] {
		in.Value = d.Values[in.ID]
		m.Inputs = append(m.Inputs, in)
	}
	return m
}

// maxModalTitle is Discord's limit for a modal's title.
const maxModalTitle = 45

// --- opening forms ---

func (c *Commands) editRoundAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	src, newSrc, err := c.resolveSource(t, req.Option("source"))
	if err != nil {
		return Reply{}, err
	}
	return c.openForm(ctx, t, store.Draft{UserID: req.UserID, Kind: store.EntityRound,
		Context: map[string]string{ctxTrack: t.ID, ctxSource: draftSource(src, newSrc)}})
}

func (c *Commands) editRoundEdit(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	r, err := c.editedRound(ctx, t, req.Option("number"))
	if err != nil {
		return Reply{}, err
	}
	src, newSrc, err := c.resolveSource(t, req.Option("source"))
	if err != nil {
		return Reply{}, err
	}
	version, err := c.edits.Version(ctx, store.RoundEntity(t.ID, r.Number))
	if err != nil {
		return Reply{}, err
	}
	f := r.Fields()
	values := map[string]string{"starts": f["starts"], "venue": f["venue"], "agenda": f["agenda"], "outcomes": f["outcomes"], "documents": f["documents"]}
	return c.openForm(ctx, t, store.Draft{UserID: req.UserID, Kind: store.EntityRound, Base: version, Values: values,
		Context: map[string]string{ctxTrack: t.ID, ctxNumber: strconv.Itoa(r.Number), ctxSource: draftSource(src, newSrc)}})
}

// editedRound finds the round an edit names, or says which exist.
func (c *Commands) editedRound(ctx context.Context, t *trackInfo, number string) (store.Round, error) {
	n, err := strconv.Atoi(strings.TrimSpace(number))
	if err != nil || n < 1 {
		return store.Round{}, userErrorf("The round number must be a whole number from 1, e.g. `number:2`.")
	}
	r, err := c.store.Round(ctx, t.ID, n)
	if errors.Is(err, store.ErrNotFound) {
		rounds, err := c.store.Rounds(ctx, t.ID)
		if err != nil {
			return store.Round{}, err
		}
		nums := make([]string, 0, len(rounds))
		for _, r := range rounds {
			nums = append(nums, strconv.Itoa(r.Number))
		}
		if len(nums) == 0 {
			return store.Round{}, userErrorf("%s has no round yet: add one with `/talks-edit round add`.", t.Title)
		}
		return store.Round{}, userErrorf("%s has no round %d. Rounds recorded: %s; add one with `/talks-edit round add`.", t.Title, n, listOf(nums, 30))
	}
	return r, err
}

func (c *Commands) editPositionAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	side, err := partyOf(t, req.Option("side"))
	if err != nil {
		return Reply{}, err
	}
	topic, err := checkSlug("topic", req.Option("topic"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	src, newSrc, err := c.resolveSource(t, req.Option("source"))
	if err != nil {
		return Reply{}, err
	}
	today, _ := parseDay("stated_on", "", t.Timezone, c.now())
	return c.openForm(ctx, t, store.Draft{UserID: req.UserID, Kind: store.EntityPosition, Values: map[string]string{"stated_on": today.String()},
		Context: map[string]string{ctxTrack: t.ID, ctxSide: side, ctxTopic: topic, ctxSource: draftSource(src, newSrc)}})
}

func (c *Commands) editStatementAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	speaker, err := personOf(t, req.Option("speaker"), "")
	if err != nil {
		return Reply{}, err
	}
	src, newSrc, err := c.resolveSource(t, req.Option("source"))
	if err != nil {
		return Reply{}, err
	}
	today, _ := parseDay("said_on", "", t.Timezone, c.now())
	return c.openForm(ctx, t, store.Draft{UserID: req.UserID, Kind: store.EntityStatement, Values: map[string]string{"said_on": today.String()},
		Context: map[string]string{ctxTrack: t.ID, ctxSpeaker: speaker, ctxSource: draftSource(src, newSrc)}})
}

// draftSource is what a draft keeps of the source: its id, or the pasted
// URL of one to create with the edit.
func draftSource(src store.Source, newSrc *store.Source) string {
	if newSrc != nil {
		return newSrc.URL
	}
	return src.ID
}

// partyOf finds a party of the track by id or name.
func partyOf(t *trackInfo, typed string) (string, error) {
	typed = strings.TrimSpace(typed)
	for _, p := range t.Parties {
		if p.ID == typed || strings.EqualFold(p.Name, typed) || strings.EqualFold(p.ID, typed) {
			return p.ID, nil
		}
	}
	names := make([]string, 0, len(t.Parties))
	for _, p := range t.Parties {
		names = append(names, "`"+p.ID+"`")
	}
	if len(names) == 0 {
		return "", userErrorf("%s has no parties yet: add them with `/talks-edit party add`.", t.Title)
	}
	return "", userErrorf("%s has no party %s. Parties: %s.", t.Title, echo(typed), listOf(names, 20))
}

// personOf finds a person of the track by id or name; with party set,
// only that party's people count.
func personOf(t *trackInfo, typed, party string) (string, error) {
	typed = strings.TrimSpace(typed)
	var names []string
	for _, p := range t.People {
		if party != "" && p.Party != party {
			continue
		}
		if p.ID == typed || strings.EqualFold(p.Name, typed) || strings.EqualFold(p.ID, typed) {
			return p.ID, nil
		}
		names = append(names, "`"+p.ID+"`")
	}
	who := t.Title
	if party != "" {
		who = t.partyName(party)
	}
	if len(names) == 0 {
		return "", &fieldError{Field: "by", Reason: fmt.Sprintf("%s has no people recorded: add them with `/talks-edit person add`", who)}
	}
	return "", &fieldError{Field: "by", Reason: fmt.Sprintf("%s is not a person of %s: one of %s", echo(typed), who, listOf(names, 20))}
}

// --- submitting forms ---

// editSubmit saves a submitted form, or refuses it with the field, the
// reason and the text as typed, and a button that reopens the form.
func (c *Commands) editSubmit(ctx context.Context, req Request) (Reply, error) {
	d, t, err := c.draftOf(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	d.Values = map[string]string{}
	for _, in := range formInputs[d.Kind] {
		d.Values[in.ID] = req.Fields[in.ID]
	}
	e, what, err := c.editFromForm(ctx, t, d)
	if err == nil {
		e.Editor, e.Base, e.SettleUntil = editor(req), d.Base, c.now().Add(c.settle)
		_, err = c.edits.ApplyEdit(ctx, e)
	}
	var fe *fieldError
	var stale *store.StaleError
	switch {
	case errors.As(err, &fe):
		return c.refuse(ctx, t, d, "**"+formLabel(d.Kind, fe.Field)+"**: "+fe.Reason+".", fe.Field)
	case errors.As(err, &stale):
		// Reopening must be able to save: the form is now based on what
		// is stored, which the editor has just been shown.
		if len(stale.Since) > 0 {
			d.Base = stale.Since[len(stale.Since)-1].ID
		}
		return c.refuse(ctx, t, d, "someone saved this meanwhile:\n"+describeStale(t, stale), "")
	case err != nil:
		return Reply{}, editError(t, err)
	}
	if d.Kind == store.EntityRound {
		c.replan(t.ID)
	}
	src := store.Source{ID: e.Source}
	if e.NewSource != nil {
		src = *e.NewSource
	} else if s, ok := sourceByID(t, e.Source); ok {
		src = s
	}
	return c.saved(what, src, true), nil
}

// draftOf loads the draft a form or button names, and checks that the
// caller is the editor who opened it and still may edit its track.
func (c *Commands) draftOf(ctx context.Context, req Request) (store.Draft, *trackInfo, error) {
	if len(req.Args) < 1 {
		return store.Draft{}, nil, userErrorf("This form is out of date: run the /talks-edit command again.")
	}
	id, err := strconv.ParseInt(req.Args[0], 10, 64)
	if err != nil {
		return store.Draft{}, nil, userErrorf("This form is out of date: run the /talks-edit command again.")
	}
	d, err := c.edits.Draft(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Draft{}, nil, userErrorf("This form has expired (forms are kept for a day): run the /talks-edit command again.")
	}
	if err != nil {
		return store.Draft{}, nil, err
	}
	if d.UserID != req.UserID {
		return store.Draft{}, nil, userErrorf("This form was opened by another editor: run the /talks-edit command yourself.")
	}
	t, err := c.editTrackByID(ctx, req, d.Context[ctxTrack])
	if err != nil {
		return store.Draft{}, nil, err
	}
	return d, t, nil
}

// editFromForm turns a submitted draft into the edit to save, and says
// what it is in words.
func (c *Commands) editFromForm(ctx context.Context, t *trackInfo, d store.Draft) (store.Edit, string, error) {
	e := store.Edit{TrackID: t.ID}
	src, newSrc, err := c.resolveSource(t, d.Context[ctxSource])
	if err != nil {
		return e, "", err
	}
	e.Source, e.NewSource = src.ID, newSrc
	v := d.Values
	switch d.Kind {
	case store.EntityRound:
		r, what, err := c.roundFromForm(ctx, t, d)
		if err != nil {
			return e, "", err
		}
		if !slices.Contains(r.Sources, src.ID) {
			r.Sources = append(r.Sources, src.ID)
		}
		e.Round, e.New = &r, d.Context[ctxNumber] == ""
		return e, what, nil
	case store.EntityPosition:
		p := store.Position{Track: t.ID, Party: d.Context[ctxSide], Topic: d.Context[ctxTopic], Sources: []string{src.ID}}
		if p.Summary, err = cleanText("summary", v["summary"], maxQuoteLength, true, true); err != nil {
			return e, "", err
		}
		if p.StatedOn, err = parseDay("stated_on", v["stated_on"], t.Timezone, c.now()); err != nil {
			return e, "", err
		}
		if by := strings.TrimSpace(v["by"]); by != "" {
			if p.By, err = personOf(t, by, p.Party); err != nil {
				return e, "", err
			}
		}
		e.Position, e.New = &p, true
		return e, "a position of " + t.partyName(p.Party) + " on " + p.Topic, nil
	case store.EntityStatement:
		speaker := t.people[d.Context[ctxSpeaker]]
		s := store.Statement{Track: t.ID, By: speaker.ID, Party: speaker.Party, Sources: []string{src.ID}}
		if s.Text, err = cleanText("text", v["text"], maxQuoteLength, true, true); err != nil {
			return e, "", err
		}
		if s.SaidOn, err = parseDay("said_on", v["said_on"], t.Timezone, c.now()); err != nil {
			return e, "", err
		}
		if s.Medium, err = cleanText("medium", v["medium"], maxShortText, false, false); err != nil {
			return e, "", err
		}
		e.Statement, e.New = &s, true
		return e, "a quote of " + t.personName(s.By), nil
	}
	return e, "", userErrorf("This form is out of date: run the /talks-edit command again.")
}

// roundFromForm is the round a round form describes: a new one numbered
// after the last, or the stored one with the form's fields replaced.
func (c *Commands) roundFromForm(ctx context.Context, t *trackInfo, d store.Draft) (store.Round, string, error) {
	v := d.Values
	var r store.Round
	if n := d.Context[ctxNumber]; n != "" {
		num, _ := strconv.Atoi(n)
		old, err := c.store.Round(ctx, t.ID, num)
		if errors.Is(err, store.ErrNotFound) {
			return r, "", userErrorf("Round %s of %s is no longer recorded (someone undid it).", n, t.Title)
		}
		if err != nil {
			return r, "", err
		}
		r = old
	} else {
		rounds, err := c.store.Rounds(ctx, t.ID)
		if err != nil {
			return r, "", err
		}
		r = store.Round{Track: t.ID, Number: 1, Status: store.StatusProposed}
		if len(rounds) > 0 {
			r.Number = rounds[len(rounds)-1].Number + 1
		}
	}
	zone := t.Timezone
	if r.Timezone != "" {
		zone = r.Timezone
	}
	var err error
	if r.Starts, err = parseStartsField("starts", v["starts"], zone); err != nil {
		return r, "", err
	}
	if !r.Ends.IsZero() {
		// An end before the new start would contradict it; the end is
		// not on the form, so it goes rather than stay wrong.
		if from, _, e1 := r.Starts.Bounds(); e1 == nil {
			if until, _, e2 := r.Ends.Bounds(); e2 == nil && until.Before(from) {
				r.Ends = store.When{}
			}
		}
	}
	if r.Venue, err = cleanText("venue", v["venue"], maxShortText, false, false); err != nil {
		return r, "", err
	}
	if r.Agenda, err = parseLines("agenda", v["agenda"]); err != nil {
		return r, "", err
	}
	if r.Outcomes, err = parseLines("outcomes", v["outcomes"]); err != nil {
		return r, "", err
	}
	if r.Documents, err = parseLines("documents", v["documents"]); err != nil {
		return r, "", err
	}
	if d.Context[ctxNumber] == "" {
		return r, fmt.Sprintf("round %d of %s (status: proposed; change it with `/talks-edit round status number:%d`)", r.Number, t.Title, r.Number), nil
	}
	return r, fmt.Sprintf("round %d of %s", r.Number, t.Title), nil
}

// refuse answers a submit that cannot be saved: why, everything the editor
// typed (the refused field first), and a button that reopens the form
// filled with it. Nothing is saved but the draft.
func (c *Commands) refuse(ctx context.Context, t *trackInfo, d store.Draft, why, field string) (Reply, error) {
	if _, err := c.edits.SaveDraft(ctx, d); err != nil {
		return Reply{}, err
	}
	reply := Reply{Ephemeral: true,
		Content: "Not saved: " + why + "\nWhat you typed is below, and **Edit again** reopens the form with it.",
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Edit again", Style: discordgo.PrimaryButton, CustomID: "editagain:" + strconv.FormatInt(d.ID, 10)},
		}}},
	}
	inputs := slices.Clone(formInputs[d.Kind])
	slices.SortStableFunc(inputs, func(a, b TextInput) int {
		switch {
		case a.ID == field && b.ID != field:
			return -1
		case b.ID == field && a.ID != field:
			return 1
		}
		return 0
	})
	for _, in := range inputs {
		typed := d.Values[in.ID]
		if strings.TrimSpace(typed) == "" {
			continue
		}
		reply.Embeds = append(reply.Embeds, &discordgo.MessageEmbed{Title: in.Label, Description: codeBlock(typed)})
	}
	return reply, nil
}

// codeBlock shows typed text verbatim, in full: nothing in a code block
// formats or pings, and a typed ``` cannot end it early.
func codeBlock(s string) string {
	return "```\n" + strings.ReplaceAll(s, "```", "`\u200b``") + "\n```"
}

// describeStale lists what others changed since the form was opened, in
// the words of /talks history.
func describeStale(t *trackInfo, e *store.StaleError) string {
	lines := make([]string, 0, len(e.Since))
	for _, ch := range e.Since {
		heading, detail := describeEdit(t, ch)
		if detail != "" {
			heading += ": " + detail
		}
		lines = append(lines, fmt.Sprintf("- %s, by %s <t:%d:R>", heading, inert(ch.Editor.Name), ch.At.Unix()))
	}
	return strings.Join(lines, "\n")
}

// editAgain reopens a refused form, filled with what was typed.
func (c *Commands) editAgain(ctx context.Context, req Request) (Reply, error) {
	d, t, err := c.draftOf(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Modal: formFor(t, d)}, nil
}

// editError turns what the store refused about track t into what the
// editor reads.
func editError(t *trackInfo, err error) error {
	var stale *store.StaleError
	if errors.As(err, &stale) {
		return userErrorf("Not saved: someone saved this meanwhile:\n%s\nRun the command again to see the current values.", describeStale(t, stale))
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return optionError(fe)
	}
	var sfe *store.FieldError
	if errors.As(err, &sfe) {
		return userErrorf("Not saved: %s: %s.", sfe.Field, sfe.Reason)
	}
	return err
}
