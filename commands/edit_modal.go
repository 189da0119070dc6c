package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/i18n"
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

// The words of a form are keyed by its kind and input id:
// "form.round.starts.label"; formInputs holds the English.

// formLabel is a form field's label in the reader's words, for refusals.
func formLabel(w words, kind store.EntityKind, id string) string {
	if l, ok := w.lookup("form." + string(kind) + "." + id + ".label"); ok {
		return l
	}
	return id
}

// inWords is a form's input with its label and placeholder in w's words.
func (in TextInput) inWords(w words, kind store.EntityKind) TextInput {
	key := "form." + string(kind) + "." + in.ID
	if l, ok := w.lookup(key + ".label"); ok {
		in.Label = l
	}
	if in.Placeholder != "" {
		if p, ok := w.lookup(key + ".placeholder"); ok {
			in.Placeholder = p
		}
	}
	return in
}

// openForm saves the draft and answers with its form.
func (c *Commands) openForm(ctx context.Context, w words, t *trackInfo, d store.Draft) (Reply, error) {
	d.Created = c.now()
	id, err := c.edits.SaveDraft(ctx, d)
	if err != nil {
		return Reply{}, err
	}
	d.ID = id
	return Reply{Modal: formFor(w, t, d)}, nil
}

// formFor is the modal of a draft, filled with its values.
func formFor(w words, t *trackInfo, d store.Draft) *Modal {
	var title string
	switch d.Kind {
	case store.EntityRound:
		if n := d.Context[ctxNumber]; n != "" {
			title = w.t("form.title.round", "Number", n)
		} else {
			title = w.t("form.title.new_round")
		}
	case store.EntityPosition:
		title = w.t("form.title.position", "Party", t.partyName(d.Context[ctxSide]), "Topic", d.Context[ctxTopic])
	case store.EntityStatement:
		title = w.t("form.title.statement", "Person", t.personName(d.Context[ctxSpeaker]))
	}
	title = truncate(title+" · "+t.Title, maxModalTitle, "")
	m := &Modal{CustomID: "edit:" + strconv.FormatInt(d.ID, 10) + ":" + string(d.Kind) + "@" + strconv.FormatInt(d.Base, 10), Title: title}
	for _, in := range formInputs[d.Kind] {
		in = in.inWords(w, d.Kind)
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
	return c.openForm(ctx, c.words(req), t, store.Draft{UserID: req.UserID, Kind: store.EntityRound,
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
	return c.openForm(ctx, c.words(req), t, store.Draft{UserID: req.UserID, Kind: store.EntityRound, Base: version, Values: values,
		Context: map[string]string{ctxTrack: t.ID, ctxNumber: strconv.Itoa(r.Number), ctxSource: draftSource(src, newSrc)}})
}

// editedRound finds the round an edit names, or says which exist.
func (c *Commands) editedRound(ctx context.Context, t *trackInfo, number string) (store.Round, error) {
	n, err := strconv.Atoi(strings.TrimSpace(number))
	if err != nil || n < 1 {
		return store.Round{}, sayError("edit.round_number")
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
			return store.Round{}, sayError("edit.no_round_yet", "Track", t.Title, "Add", cmdOf("talks-edit/round/add"))
		}
		return store.Round{}, sayError("edit.no_such_round", "Track", t.Title, "Number", n, "Rounds", listRef{nums, 30}, "Add", cmdOf("talks-edit/round/add"))
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
	return c.openForm(ctx, c.words(req), t, store.Draft{UserID: req.UserID, Kind: store.EntityPosition, Values: map[string]string{"stated_on": today.String()},
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
	return c.openForm(ctx, c.words(req), t, store.Draft{UserID: req.UserID, Kind: store.EntityStatement, Values: map[string]string{"said_on": today.String()},
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
		return "", sayError("edit.no_parties", "Track", t.Title, "Add", cmdOf("talks-edit/party/add"))
	}
	return "", sayError("edit.no_party", "Track", t.Title, "Typed", echo(typed), "Parties", listRef{names, 20})
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
		return "", fieldSay("by", "field.no_people", "Who", who, "Add", cmdOf("talks-edit/person/add"))
	}
	return "", fieldSay("by", "field.not_a_person", "Typed", echo(typed), "Who", who, "People", listRef{names, 20})
}

// --- submitting forms ---

// editSubmit saves a submitted form, or refuses it with the field, the
// reason and the text as typed, and a button that reopens the form.
func (c *Commands) editSubmit(ctx context.Context, req Request) (Reply, error) {
	d, t, err := c.draftOf(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	w := c.words(req)
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
		return c.refuse(ctx, w, d, w.t("edit.refused_field", "Label", formLabel(w, d.Kind, fe.Field), "Reason", fe.why.in(w)), fe.Field)
	case errors.As(err, &stale):
		// Reopening must be able to save: the form is now based on what
		// is stored, which the editor has just been shown.
		if len(stale.Since) > 0 {
			d.Base = stale.Since[len(stale.Since)-1].ID
		}
		return c.refuse(ctx, w, d, w.t("edit.refused_stale", "Changes", describeStale(t, stale).in(w)), "")
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
	return c.saved(w, what, src, true), nil
}

// draftOf loads the draft a form or button names, and checks that the
// caller is the editor who opened it and still may edit its track.
func (c *Commands) draftOf(ctx context.Context, req Request) (store.Draft, *trackInfo, error) {
	if len(req.Args) < 1 {
		return store.Draft{}, nil, sayError("edit.form_out_of_date", "Command", cmdOf("talks-edit"))
	}
	id, err := strconv.ParseInt(req.Args[0], 10, 64)
	if err != nil {
		return store.Draft{}, nil, sayError("edit.form_out_of_date", "Command", cmdOf("talks-edit"))
	}
	d, err := c.edits.Draft(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.Draft{}, nil, sayError("edit.form_expired", "Command", cmdOf("talks-edit"))
	}
	if err != nil {
		return store.Draft{}, nil, err
	}
	if d.UserID != req.UserID {
		return store.Draft{}, nil, sayError("edit.form_of_another", "Command", cmdOf("talks-edit"))
	}
	t, err := c.editTrackByID(ctx, req, d.Context[ctxTrack])
	if err != nil {
		return store.Draft{}, nil, err
	}
	return d, t, nil
}

// editFromForm turns a submitted draft into the edit to save, and says
// what it is in words.
func (c *Commands) editFromForm(ctx context.Context, t *trackInfo, d store.Draft) (store.Edit, phrase, error) {
	e := store.Edit{TrackID: t.ID}
	src, newSrc, err := c.resolveSource(t, d.Context[ctxSource])
	if err != nil {
		return e, phrase{}, err
	}
	e.Source, e.NewSource = src.ID, newSrc
	v := d.Values
	switch d.Kind {
	case store.EntityRound:
		r, what, err := c.roundFromForm(ctx, t, d)
		if err != nil {
			return e, phrase{}, err
		}
		if !slices.Contains(r.Sources, src.ID) {
			r.Sources = append(r.Sources, src.ID)
		}
		e.Round, e.New = &r, d.Context[ctxNumber] == ""
		return e, what, nil
	case store.EntityPosition:
		p := store.Position{Track: t.ID, Party: d.Context[ctxSide], Topic: d.Context[ctxTopic], Sources: []string{src.ID}}
		if p.Summary, err = cleanText("summary", v["summary"], maxQuoteLength, true, true); err != nil {
			return e, phrase{}, err
		}
		if p.StatedOn, err = parseDay("stated_on", v["stated_on"], t.Timezone, c.now()); err != nil {
			return e, phrase{}, err
		}
		if by := strings.TrimSpace(v["by"]); by != "" {
			if p.By, err = personOf(t, by, p.Party); err != nil {
				return e, phrase{}, err
			}
		}
		e.Position, e.New = &p, true
		return e, say("edit.what.position", "Party", t.partyName(p.Party), "Topic", p.Topic), nil
	case store.EntityStatement:
		speaker := t.people[d.Context[ctxSpeaker]]
		s := store.Statement{Track: t.ID, By: speaker.ID, Party: speaker.Party, Sources: []string{src.ID}}
		if s.Text, err = cleanText("text", v["text"], maxQuoteLength, true, true); err != nil {
			return e, phrase{}, err
		}
		if s.SaidOn, err = parseDay("said_on", v["said_on"], t.Timezone, c.now()); err != nil {
			return e, phrase{}, err
		}
		if s.Medium, err = cleanText("medium", v["medium"], maxShortText, false, false); err != nil {
			return e, phrase{}, err
		}
		e.Statement, e.New = &s, true
		return e, say("edit.what.statement", "Person", t.personName(s.By)), nil
	}
	return e, phrase{}, sayError("edit.form_out_of_date", "Command", cmdOf("talks-edit"))
}

// roundFromForm is the round a round form describes: a new one numbered
// after the last, or the stored one with the form's fields replaced.
func (c *Commands) roundFromForm(ctx context.Context, t *trackInfo, d store.Draft) (store.Round, phrase, error) {
	v := d.Values
	var r store.Round
	if n := d.Context[ctxNumber]; n != "" {
		num, _ := strconv.Atoi(n)
		old, err := c.store.Round(ctx, t.ID, num)
		if errors.Is(err, store.ErrNotFound) {
			return r, phrase{}, sayError("edit.round_gone", "Number", n, "Track", t.Title)
		}
		if err != nil {
			return r, phrase{}, err
		}
		r = old
	} else {
		rounds, err := c.store.Rounds(ctx, t.ID)
		if err != nil {
			return r, phrase{}, err
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
		return r, phrase{}, err
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
		return r, phrase{}, err
	}
	if r.Agenda, err = parseLines("agenda", v["agenda"]); err != nil {
		return r, phrase{}, err
	}
	if r.Outcomes, err = parseLines("outcomes", v["outcomes"]); err != nil {
		return r, phrase{}, err
	}
	if r.Documents, err = parseLines("documents", v["documents"]); err != nil {
		return r, phrase{}, err
	}
	if d.Context[ctxNumber] == "" {
		return r, say("edit.what.new_round", "Number", r.Number, "Track", t.Title,
			"Status", cmdOf("talks-edit/round/status", "number:"+strconv.Itoa(r.Number))), nil
	}
	return r, say("edit.what.round", "Number", r.Number, "Track", t.Title), nil
}

// refuse answers a submit that cannot be saved: why, everything the editor
// typed (the refused field first), and a button that reopens the form
// filled with it. Nothing is saved but the draft.
func (c *Commands) refuse(ctx context.Context, w words, d store.Draft, why, field string) (Reply, error) {
	if _, err := c.edits.SaveDraft(ctx, d); err != nil {
		return Reply{}, err
	}
	reply := Reply{Ephemeral: true,
		Content: w.t("edit.refused", "Why", why, "Again", w.t("edit.again")),
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: w.t("edit.again"), Style: discordgo.PrimaryButton, CustomID: "editagain:" + strconv.FormatInt(d.ID, 10)},
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
		reply.Embeds = append(reply.Embeds, &discordgo.MessageEmbed{Title: in.inWords(w, d.Kind).Label, Description: codeBlock(typed)})
	}
	return reply, nil
}

// codeBlock shows typed text verbatim, in full: nothing in a code block
// formats or pings, and a typed ``` cannot end it early.
func codeBlock(s string) string {
	return "```\n" + strings.ReplaceAll(s, "```", "`\u200b``") + "\n```"
}

// staleAccount lists what others changed since the form was opened, in
// the words of /talks history, once its reader is known.
type staleAccount struct {
	t *trackInfo
	e *store.StaleError
}

func describeStale(t *trackInfo, e *store.StaleError) staleAccount { return staleAccount{t, e} }

func (a staleAccount) in(w words) string {
	lines := make([]string, 0, len(a.e.Since))
	for _, ch := range a.e.Since {
		heading, detail := w.describeEdit(a.t, ch)
		if detail != "" {
			heading += ": " + detail
		}
		lines = append(lines, w.t("edit.stale_line", "Change", heading, "Editor", inert(ch.Editor.Name),
			"When", fmt.Sprintf("<t:%d:R>", ch.At.Unix())))
	}
	return strings.Join(lines, "\n")
}

// editAgain reopens a refused form, filled with what was typed.
func (c *Commands) editAgain(ctx context.Context, req Request) (Reply, error) {
	d, t, err := c.draftOf(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	return Reply{Modal: formFor(c.words(req), t, d)}, nil
}

// editError turns what the store refused about track t into what the
// editor reads.
func editError(t *trackInfo, err error) error {
	var stale *store.StaleError
	if errors.As(err, &stale) {
		return sayError("edit.stale", "Changes", describeStale(t, stale))
	}
	var fe *fieldError
	if errors.As(err, &fe) {
		return optionError(fe)
	}
	var sfe *store.FieldError
	if errors.As(err, &sfe) {
		return storeRefused(sfe)
	}
	return err
}

func storeRefused(e *store.FieldError) error {
	return sayError("edit.store_refused", "Field", storeField(e.Field), "Reason", storeRefusal{e})
}

// storeField is a field the store refused: English names it as stored,
// as before; other languages by its label (field.data.*).
type storeField string

func (f storeField) in(w words) string {
	if w.lang() == i18n.English {
		return string(f)
	}
	return w.fieldLabel(string(f))
}

// storeRefusal is why the store refused a field. English reads the
// store's own Reason, as before; other languages read the reason by its
// code, and the store's English, quoted, only where it has no code (a
// time zone or date the store could not read).
type storeRefusal struct{ e *store.FieldError }

func (r storeRefusal) in(w words) string {
	if w.lang() == i18n.English {
		return r.e.Reason
	}
	switch r.e.Code {
	case store.FieldRequired, store.FieldUnknown, store.FieldTaken, store.FieldInvalid, store.FieldCited, store.FieldNotEmpty:
		return w.t("store.why."+string(r.e.Code), "Value", echo(r.e.Value))
	}
	return w.t("store.why.other", "Detail", echoCode(r.e.Reason))
}
