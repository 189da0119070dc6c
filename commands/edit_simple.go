package commands

import (
	"context"
	"errors"
	"slices"
	"strings"

	"talkbot/i18n"
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
		names := make([]sayer, 0, len(store.Statuses))
		for _, s := range store.Statuses {
			names = append(names, said("`"+string(s)+"`"))
		}
		return Reply{}, sayError("edit.not_a_status", "Typed", echo(req.Option("status")), "Statuses", sayers(names))
	}
	src, newSrc, err := c.resolveSource(t, req.Option("source"))
	if err != nil {
		return Reply{}, err
	}
	if r.Status == status {
		w := c.words(req)
		return Reply{Content: w.t("edit.status_unchanged", "Number", r.Number, "Track", t.Title, "Status", w.status(status)), Ephemeral: true}, nil
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
	return c.saved(c.words(req), say("edit.what.status", "Number", r.Number, "Track", t.Title, "Status", statusRef(status)), src, true), nil
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
		return Reply{}, tooLong(optionRef{"talks-edit/track/new", "timezone", "timezone"}, zone, maxZoneLength, "Europe/Istanbul")
	}
	if _, err := store.LoadZone(zone); err != nil {
		return Reply{}, sayError("edit.bad_timezone", "Error", zoneWhy{err})
	}
	if _, err := c.store.Track(ctx, id); err == nil {
		return Reply{}, sayError("edit.track_taken", "ID", id)
	} else if !errors.Is(err, store.ErrNotFound) {
		return Reply{}, err
	}
	public := req.Option("public") == "true"
	e := store.Edit{Editor: editor(req), New: true, Track: &store.Track{ID: id, Title: title, Timezone: zone, Guild: guild, Public: public && guild != ""}, TrackID: id}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(&trackInfo{Track: *e.Track}, err) // a new track has no parties or people to name
	}
	w := c.words(req)
	whose := w.t("edit.track_new.global")
	switch {
	case guild != "" && public:
		whose = w.t("edit.track_new.server_public")
	case guild != "":
		whose = w.t("edit.track_new.server")
	}
	return Reply{Ephemeral: true, Content: w.t("edit.track_new", "Title", echo(title), "ID", id, "Zone", zone, "Whose", whose,
		"Party", w.command("talks-edit/party/add", "track:"+id), "Person", w.command("talks-edit/person/add"), "Round", w.command("talks-edit/round/add"))}, nil
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
		return Reply{}, sayError("edit.party_taken", "Track", t.Title, "ID", id)
	}
	name, err := cleanText("name", req.Option("name"), maxNameLength, false, true)
	if err != nil {
		return Reply{}, optionError(err)
	}
	role := store.Role(strings.TrimSpace(req.Option("role")))
	if !role.Valid() {
		return Reply{}, sayError("edit.not_a_role", "Typed", echo(string(role)))
	}
	e := store.Edit{Editor: editor(req), New: true, Party: &store.Party{ID: id, Name: name, Role: role}, TrackID: t.ID}
	if _, err := c.edits.ApplyEdit(ctx, e); err != nil {
		return Reply{}, editError(t, err)
	}
	w := c.words(req)
	return Reply{Ephemeral: true, Content: w.t("edit.party_added", "Name", echo(name), "ID", id, "Role", w.role(role), "Track", t.Title)}, nil
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
		return Reply{}, sayError("edit.person_taken", "Track", t.Title, "ID", id)
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
	return Reply{Ephemeral: true, Content: c.words(req).t("edit.person_added", "Name", echo(name), "ID", id, "Track", t.Title, "Party", t.partyName(party))}, nil
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
			return Reply{}, sayError("edit.refused.undo", "Editors", cmdOf("talks-admin/editors", "role:"))
		}
	}
	ch, err := c.edits.Undo(ctx, editor(req), c.now().Add(c.settle))
	var blocked *store.UndoBlockedError
	var refused *store.FieldError
	switch {
	case errors.As(err, &refused):
		// Undoing an addition others now cite.
		return Reply{}, storeRefused(refused)
	case errors.Is(err, store.ErrNothingToUndo):
		return Reply{Content: c.words(req).t("edit.nothing_to_undo"), Ephemeral: true}, nil
	case errors.As(err, &blocked):
		return Reply{}, sayError("edit.undo_blocked", "What", entityWords(blocked.Mine.Entity), "Mine", blocked.Mine.At.Unix(),
			"Editor", echo(blocked.Later.Editor.Name), "Later", blocked.Later.At.Unix())
	case err != nil:
		return Reply{}, err
	}
	if ch.Entity.Kind == store.EntityRound {
		c.replan(ch.Entity.Track)
	}
	w := c.words(req)
	var what string
	switch {
	case ch.After == nil:
		what = w.t("edit.undone.removed", "What", entityWords(ch.Entity).in(w))
	default:
		var fields []string
		for _, f := range store.Diff(ch.Before, ch.After) {
			fields = append(fields, storeField(f.Field).in(w))
		}
		what = w.t("edit.undone.restored", "What", entityWords(ch.Entity).in(w))
		if len(fields) > 0 {
			what += " (" + strings.Join(fields, ", ") + ")"
		}
	}
	return Reply{Ephemeral: true, Content: w.t("edit.undone", "What", what)}, nil
}

// entityWords names an entity for an editor: "round 3 of ru-ua-istanbul".
func entityWords(e store.Entity) phrase {
	switch e.Kind {
	case store.EntityTrack:
		return say("undo.entity.track", "Track", e.Track)
	case store.EntityRound:
		return say("undo.entity.round", "Number", e.Key, "Track", e.Track)
	case store.EntityPosition:
		return say("undo.entity.position", "Track", e.Track)
	case store.EntityStatement:
		return say("undo.entity.statement", "Track", e.Track)
	case store.EntityParty:
		return say("undo.entity.party", "Key", e.Key, "Track", e.Track)
	case store.EntityPerson:
		return say("undo.entity.person", "Key", e.Key, "Track", e.Track)
	case store.EntitySource:
		return say("undo.entity.source", "Key", e.Key, "Track", e.Track)
	}
	return say("undo.entity.other", "Kind", string(e.Kind), "Key", e.Key, "Track", e.Track)
}

// statusRef is a round's status in the reader's words.
type statusRef store.Status

func (s statusRef) in(w words) string { return w.status(store.Status(s)) }

// zoneWhy is why store.LoadZone refused a zone: English reads its own
// words, as before; other languages read them by the problem.
type zoneWhy struct{ err error }

func (z zoneWhy) in(w words) string {
	var ze *store.ZoneError
	if w.lang() == i18n.English || !errors.As(z.err, &ze) {
		return z.err.Error()
	}
	switch ze.Problem {
	case store.ZoneMissing:
		return w.t("edit.zone_why.missing")
	case store.ZoneLocal:
		return w.t("edit.zone_why.local", "Zone", echo(ze.Name))
	}
	return w.t("edit.zone_why.unknown", "Zone", echo(ze.Name))
}
