package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"talkbot/store"
)

// editRoundStatus changes only a round's status: no form.
func (c *Commands) editRoundStatus(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	r, err := c.editedRound(ctx, t, req.Option("number"))
	if err != nil {
		return Reply{}, err
	}
	status := store.Status(strings.ToLower(strings.TrimSpace(req.Option("status"))))
	if !status.Valid() {
		names := make([]string, 0, len(store.Statuses))
		for _, s := range store.Statuses {
			names = append(names, "`"+string(s)+"`")
		}
		return Reply{}, userErrorf("%s is not a status: use one of %s.", echo(req.Option("status")), andList(names))
	}
	src, newSrc, err := c.resolveSource(t, req.Option("source"))
	if err != nil {
		return Reply{}, err
	}
	if r.Status == status {
		return Reply{Content: fmt.Sprintf("Round %d of %s is already %s: nothing changed.", r.Number, t.Title, status), Ephemeral: true}, nil
	}
	version, err := c.edits.Version(ctx, store.RoundEntity(t.ID, r.Number))
	if err != nil {
		return Reply{}, err
	}
	r.Status = status
	if !slices.Contains(r.Sources, src.ID) {
		r.Sources = append(r.Sources, src.ID)
	}
	e := store.Edit{Editor: editor(req), Base: version, Source: src.ID, NewSource: newSrc, Round: &r, TrackID: t.ID,
		SettleUntil: c.now().Add(c.settle)}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(t, err)
	}
	c.replan(t.ID)
	return c.saved(fmt.Sprintf("round %d of %s is now %s", r.Number, t.Title, status), src, true), nil
}

// editTrackNew starts a track: a server editor's belongs to their server.
func (c *Commands) editTrackNew(ctx context.Context, req Request) (Reply, error) {
	guild, err := c.mayCreate(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	id, err := checkSlug("id", req.Option("id"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	title, err := cleanText("title", req.Option("title"), maxTitleLength, false, true)
	if err != nil {
		return Reply{}, optionError(err)
	}
	zone := strings.TrimSpace(req.Option("timezone"))
	if textLen(zone) > maxZoneLength {
		return Reply{}, tooLong("timezone", zone, maxZoneLength, "Europe/Istanbul")
	}
	if _, err := store.LoadZone(zone); err != nil {
		return Reply{}, userErrorf("The timezone option: %v. Use an IANA name such as Europe/Istanbul.", err)
	}
	if _, err := c.store.Track(ctx, id); err == nil {
		return Reply{}, userErrorf("There is already a track `%s`: pick another id.", id)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Reply{}, err
	}
	public := req.Option("public") == "true"
	e := store.Edit{Editor: editor(req), New: true, Track: &store.Track{ID: id, Title: title, Timezone: zone, Guild: guild, Public: public && guild != ""}, TrackID: id}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(&trackInfo{Track: *e.Track}, err) // a new track has no parties or people to name
	}
	whose := "every server sees it, and the web page and calendar feeds show it"
	switch {
	case guild != "" && public:
		whose = "it belongs to this server: only this server sees it in Discord and its editors keep it; the web page and calendar feeds show it to everyone"
	case guild != "":
		whose = "it belongs to this server: only this server sees it and its editors keep it; it is not on the web page or in the calendar feeds"
	}
	return Reply{Ephemeral: true, Content: fmt.Sprintf("Started %s (`%s`, times in %s); %s. Next: its parties with "+
		"`/talks-edit party add track:%s`, their people with `/talks-edit person add`, then its rounds with `/talks-edit round add`.",
		echo(title), id, zone, whose, id)}, nil
}

func (c *Commands) editPartyAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	id, err := checkSlug("id", req.Option("id"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	if _, taken := t.parties[id]; taken {
		return Reply{}, userErrorf("%s already has a party `%s`.", t.Title, id)
	}
	name, err := cleanText("name", req.Option("name"), maxNameLength, false, true)
	if err != nil {
		return Reply{}, optionError(err)
	}
	role := store.Role(strings.TrimSpace(req.Option("role")))
	if !role.Valid() {
		return Reply{}, userErrorf("%s is not a role: use party, mediator, host, facilitator or observer.", echo(string(role)))
	}
	e := store.Edit{Editor: editor(req), New: true, Party: &store.Party{ID: id, Name: name, Role: role}, TrackID: t.ID}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(t, err)
	}
	return Reply{Ephemeral: true, Content: fmt.Sprintf("Added %s (`%s`, %s) to %s.", echo(name), id, role, t.Title)}, nil
}

func (c *Commands) editPersonAdd(ctx context.Context, req Request) (Reply, error) {
	t, err := c.editTrack(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	id, err := checkSlug("id", req.Option("id"))
	if err != nil {
		return Reply{}, optionError(err)
	}
	if _, taken := t.people[id]; taken {
		return Reply{}, userErrorf("%s already has a person `%s`.", t.Title, id)
	}
	name, err := cleanText("name", req.Option("name"), maxNameLength, false, true)
	if err != nil {
		return Reply{}, optionError(err)
	}
	party, err := partyOf(t, req.Option("party"))
	if err != nil {
		return Reply{}, err
	}
	title, err := cleanText("title", req.Option("title"), maxNameLength, false, false)
	if err != nil {
		return Reply{}, optionError(err)
	}
	e := store.Edit{Editor: editor(req), New: true, Person: &store.Person{ID: id, Name: name, Party: party, Title: title}, TrackID: t.ID}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(t, err)
	}
	return Reply{Ephemeral: true, Content: fmt.Sprintf("Added %s (`%s`) to %s, speaking for %s.", echo(name), id, t.Title, t.partyName(party))}, nil
}

// editUndo reverts the caller's latest change, unless someone changed the
// same thing since.
func (c *Commands) editUndo(ctx context.Context, req Request) (Reply, error) {
	if !c.isGlobalEditor(req) {
		server, err := c.isServerEditor(ctx, req)
		if err != nil {
			return Reply{}, err
		}
		if !server {
			return Reply{}, userErrorf("Only editors may undo changes: members with the server's editor role (set with /talks-admin editors role:) or talkbot's editors.")
		}
	}
	ch, err := c.edits.Undo(ctx, editor(req), c.now().Add(c.settle))
	var blocked *store.UndoBlockedError
	switch {
	case errors.Is(err, store.ErrNothingToUndo):
		return Reply{Content: "You have no change left to undo.", Ephemeral: true}, nil
	case errors.As(err, &blocked):
		return Reply{}, userErrorf("Cannot undo your change to %s (<t:%d:R>): %s changed it after you <t:%d:R>. Fix it with a new edit instead.",
			entityWords(blocked.Mine.Entity), blocked.Mine.At.Unix(), echo(blocked.Later.Editor.Name), blocked.Later.At.Unix())
	case err != nil:
		return Reply{}, err
	}
	if ch.Entity.Kind == store.EntityRound {
		c.replan(ch.Entity.Track)
	}
	var what string
	switch {
	case ch.After == nil:
		what = "removed " + entityWords(ch.Entity) + ", which you had added"
	default:
		var fields []string
		for _, f := range store.Diff(ch.Before, ch.After) {
			fields = append(fields, f.Field)
		}
		what = "restored " + entityWords(ch.Entity)
		if len(fields) > 0 {
			what += " (" + strings.Join(fields, ", ") + ")"
		}
	}
	return Reply{Ephemeral: true, Content: "Undone: " + what + ". If followers had not been told yet, they will not be."}, nil
}

// entityWords names an entity for an editor: "round 3 of ru-ua-istanbul".
func entityWords(e store.Entity) string {
	switch e.Kind {
	case store.EntityTrack:
		return "track `" + e.Track + "`"
	case store.EntityRound:
		return "round " + e.Key + " of `" + e.Track + "`"
	case store.EntityPosition, store.EntityStatement:
		return "a " + string(e.Kind) + " in `" + e.Track + "`"
	}
	return string(e.Kind) + " `" + e.Key + "` of `" + e.Track + "`"
}
