package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"talkbot/store"
)

// An editable is one entity as an edit or an undo writes it: what it is
// named, how to read its stored fields, how to check its references, and
// how to write or remove it, all inside the caller's transaction.
type editable interface {
	entity() store.Entity
	// side is the party the entity belongs to (History's Party filter).
	side() string
	fields() map[string]string
	// stored reads the entity's stored fields; nil when it does not exist.
	stored(ctx context.Context, s *DB, q querier) (map[string]string, error)
	check(ctx context.Context, s *DB, q querier) error
	write(ctx context.Context, s *DB, q querier) error
	remove(ctx context.Context, s *DB, q querier) error
}

// fieldErr refuses field for the reason code, naming the value refused.
func fieldErr(code store.FieldCode, field, value, format string, args ...any) error {
	return &store.FieldError{Field: field, Reason: fmt.Sprintf(format, args...), Code: code, Value: value}
}

// scanOne reads one row with scan; found is false when there is none.
func scanOne(row *sql.Row, dest ...any) (found bool, err error) {
	err = row.Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// missingIDs returns the ids of want that table lacks in track, in order.
func (s *DB) missingIDs(ctx context.Context, q querier, table, track string, want []string) ([]string, error) {
	var ids []string
	for _, id := range want {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{track}
	for _, id := range ids {
		args = append(args, id)
	}
	rows, err := s.query(ctx, q, `SELECT id FROM `+table+` WHERE track_id = ? AND id IN (`+placeholders(len(ids))+`)`, args...)
	found, err := collect(rows, err, func(r *sql.Rows) (id string, err error) {
		err = r.Scan(&id)
		return id, err
	})
	if err != nil {
		return nil, fmt.Errorf("checking %s of %q: %w", table, track, err)
	}
	var missing []string
	for _, id := range ids {
		if !slices.Contains(found, id) {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

// checkRefs refuses field when any of ids is not in table of track.
func (s *DB) checkRefs(ctx context.Context, q querier, field, table, track string, ids ...string) error {
	missing, err := s.missingIDs(ctx, q, table, track, ids)
	if err != nil {
		return err
	}
	if len(missing) > 0 {
		return fieldErr(store.FieldUnknown, field, missing[0], "%q is not in track %q", missing[0], track)
	}
	return nil
}

// nextSeq is the seq that places a new row last in a track's list.
const nextSeq = `(SELECT COALESCE(MAX(seq), -1) + 1 FROM %s WHERE track_id = ?)`

// citedBy says what in a track still refers to id (a party, person or
// source), "" when nothing does; removing it would leave a dangling
// reference. Only undo removes such entities, so reading the whole track
// is affordable.
func (s *DB) citedBy(ctx context.Context, q querier, kind store.EntityKind, track, id string) (string, error) {
	t, err := s.loadTrack(ctx, q, track)
	if err != nil {
		return "", err
	}
	has := func(list []string) bool { return slices.Contains(list, id) }
	for _, p := range t.People {
		if kind == store.EntityParty && p.Party == id {
			return "person " + p.ID, nil
		}
	}
	for _, r := range t.Rounds {
		cited := false
		switch kind {
		case store.EntitySource:
			cited = has(r.Sources)
		case store.EntityParty:
			cited = r.ProposedBy == id || has(r.Mediators)
		}
		for _, d := range r.Delegations {
			cited = cited || (kind == store.EntityParty && d.Party == id) || (kind == store.EntityPerson && (d.Head == id || has(d.Members)))
		}
		if cited {
			return "round " + strconv.Itoa(r.Number), nil
		}
	}
	for _, p := range t.Positions {
		if (kind == store.EntitySource && has(p.Sources)) || (kind == store.EntityParty && p.Party == id) || (kind == store.EntityPerson && p.By == id) {
			return "a position of " + p.Party + " on " + p.StatedOn.String(), nil
		}
	}
	for _, st := range t.Statements {
		if (kind == store.EntitySource && has(st.Sources)) || (kind == store.EntityParty && st.Party == id) || (kind == store.EntityPerson && st.By == id) {
			return "a statement of " + st.By + " on " + st.SaidOn.String(), nil
		}
	}
	return "", nil
}

func (s *DB) removeUncited(ctx context.Context, q querier, kind store.EntityKind, table, track, id string) error {
	by, err := s.citedBy(ctx, q, kind, track, id)
	if err != nil {
		return err
	}
	if by != "" {
		return fieldErr(store.FieldCited, "id", id, "%s %q is still cited by %s", kind, id, by)
	}
	return s.exec(ctx, q, `DELETE FROM `+table+` WHERE track_id = ? AND id = ?`, track, id)
}

// trackEdit is a track's header.
type trackEdit struct{ t store.Track }

func (e trackEdit) entity() store.Entity      { return store.Entity{Kind: store.EntityTrack, Track: e.t.ID} }
func (e trackEdit) side() string              { return "" }
func (e trackEdit) fields() map[string]string { return e.t.Fields() }

func (e trackEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	t, err := s.trackHeader(ctx, q, e.t.ID)
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return t.Fields(), nil
}

func (e trackEdit) check(ctx context.Context, s *DB, q querier) error {
	switch {
	case e.t.ID == "" || len(words(e.t.ID)) == 0:
		return fieldErr(store.FieldRequired, "id", "", "a track needs an id")
	case e.t.Title == "":
		return fieldErr(store.FieldRequired, "title", "", "a track needs a title")
	}
	if _, err := store.LoadZone(e.t.Timezone); err != nil {
		return fieldErr("", "timezone", "", "%v", err)
	}
	return nil
}

func (e trackEdit) write(ctx context.Context, s *DB, q querier) error {
	return s.editTrackHeader(ctx, q, e.t)
}

// remove deletes a track only while nothing was recorded in it.
func (e trackEdit) remove(ctx context.Context, s *DB, q querier) error {
	var n int
	err := s.queryRow(ctx, q, `SELECT (SELECT COUNT(*) FROM parties WHERE track_id = ?) + (SELECT COUNT(*) FROM people WHERE track_id = ?)
		+ (SELECT COUNT(*) FROM sources WHERE track_id = ?) + (SELECT COUNT(*) FROM rounds WHERE track_id = ?)
		+ (SELECT COUNT(*) FROM positions WHERE track_id = ?) + (SELECT COUNT(*) FROM statements WHERE track_id = ?)`,
		e.t.ID, e.t.ID, e.t.ID, e.t.ID, e.t.ID, e.t.ID).Scan(&n)
	if err != nil {
		return fmt.Errorf("counting what track %q holds: %w", e.t.ID, err)
	}
	if n > 0 {
		return fieldErr(store.FieldNotEmpty, "id", e.t.ID, "track %q holds %d record(s) now", e.t.ID, n)
	}
	return s.exec(ctx, q, `DELETE FROM tracks WHERE id = ?`, e.t.ID)
}

// partyEdit is a party of a track.
type partyEdit struct {
	track string
	p     store.Party
}

func (e partyEdit) entity() store.Entity {
	return store.Entity{Kind: store.EntityParty, Track: e.track, Key: e.p.ID}
}
func (e partyEdit) side() string              { return e.p.ID }
func (e partyEdit) fields() map[string]string { return e.p.Fields() }

func (e partyEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	p := store.Party{ID: e.p.ID}
	found, err := scanOne(s.queryRow(ctx, q, `SELECT name, role FROM parties WHERE track_id = ? AND id = ?`, e.track, e.p.ID), &p.Name, &p.Role)
	if !found {
		return nil, err
	}
	return p.Fields(), nil
}

func (e partyEdit) check(ctx context.Context, s *DB, q querier) error {
	switch {
	case e.p.ID == "":
		return fieldErr(store.FieldRequired, "id", "", "a party needs an id")
	case e.p.Name == "":
		return fieldErr(store.FieldRequired, "name", "", "a party needs a name")
	case e.p.Role != "" && !e.p.Role.Valid():
		return fieldErr(store.FieldInvalid, "role", string(e.p.Role), "%q is not a role", e.p.Role)
	}
	return nil
}

func (e partyEdit) write(ctx context.Context, s *DB, q querier) error {
	return s.exec(ctx, q, `INSERT INTO parties (track_id, id, seq, name, role, search_key)
		VALUES (?, ?, `+fmt.Sprintf(nextSeq, "parties")+`, ?, ?, ?)
		ON CONFLICT (track_id, id) DO UPDATE SET name = excluded.name, role = excluded.role, search_key = excluded.search_key`,
		e.track, e.p.ID, e.track, e.p.Name, string(e.p.Role), searchKey(e.p.ID, e.p.Name))
}

func (e partyEdit) remove(ctx context.Context, s *DB, q querier) error {
	return s.removeUncited(ctx, q, store.EntityParty, "parties", e.track, e.p.ID)
}

// personEdit is a person of a track.
type personEdit struct {
	track string
	p     store.Person
}

func (e personEdit) entity() store.Entity {
	return store.Entity{Kind: store.EntityPerson, Track: e.track, Key: e.p.ID}
}
func (e personEdit) side() string              { return "" }
func (e personEdit) fields() map[string]string { return e.p.Fields() }

func (e personEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	p := store.Person{ID: e.p.ID}
	found, err := scanOne(s.queryRow(ctx, q, `SELECT name, party, title FROM people WHERE track_id = ? AND id = ?`, e.track, e.p.ID), &p.Name, &p.Party, &p.Title)
	if !found {
		return nil, err
	}
	return p.Fields(), nil
}

func (e personEdit) check(ctx context.Context, s *DB, q querier) error {
	switch {
	case e.p.ID == "":
		return fieldErr(store.FieldRequired, "id", "", "a person needs an id")
	case e.p.Name == "":
		return fieldErr(store.FieldRequired, "name", "", "a person needs a name")
	}
	return s.checkRefs(ctx, q, "party", "parties", e.track, e.p.Party)
}

func (e personEdit) write(ctx context.Context, s *DB, q querier) error {
	return s.exec(ctx, q, `INSERT INTO people (track_id, id, seq, name, party, title, search_key)
		VALUES (?, ?, `+fmt.Sprintf(nextSeq, "people")+`, ?, ?, ?, ?)
		ON CONFLICT (track_id, id) DO UPDATE SET name = excluded.name, party = excluded.party,
			title = excluded.title, search_key = excluded.search_key`,
		e.track, e.p.ID, e.track, e.p.Name, e.p.Party, e.p.Title, searchKey(e.p.ID, e.p.Name))
}

func (e personEdit) remove(ctx context.Context, s *DB, q querier) error {
	return s.removeUncited(ctx, q, store.EntityPerson, "people", e.track, e.p.ID)
}

// sourceEdit is a source of a track.
type sourceEdit struct {
	track string
	src   store.Source
}

func (e sourceEdit) entity() store.Entity {
	return store.Entity{Kind: store.EntitySource, Track: e.track, Key: e.src.ID}
}
func (e sourceEdit) side() string              { return "" }
func (e sourceEdit) fields() map[string]string { return e.src.Fields() }

func (e sourceEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	src, found, err := s.source(ctx, q, e.track, `id = ?`, e.src.ID)
	if !found {
		return nil, err
	}
	return src.Fields(), nil
}

// source reads the first source of a track matching cond.
func (s *DB) source(ctx context.Context, q querier, track, cond string, arg any) (store.Source, bool, error) {
	rows, err := s.query(ctx, q, `SELECT `+sourceColumns+` FROM sources WHERE track_id = ? AND `+cond+` ORDER BY seq, id LIMIT 1`, track, arg)
	found, err := collect(rows, err, scanSource)
	if err != nil || len(found) == 0 {
		return store.Source{}, false, err
	}
	return found[0], true, nil
}

func (e sourceEdit) check(ctx context.Context, s *DB, q querier) error {
	if e.src.ID == "" {
		return fieldErr(store.FieldRequired, "id", "", "a source needs an id")
	}
	return nil
}

func (e sourceEdit) write(ctx context.Context, s *DB, q querier) error {
	err := s.exec(ctx, q, `INSERT INTO sources (track_id, id, seq, publisher, title, url, published)
		VALUES (?, ?, `+fmt.Sprintf(nextSeq, "sources")+`, ?, ?, ?, ?)
		ON CONFLICT (track_id, id) DO UPDATE SET publisher = excluded.publisher, title = excluded.title,
			url = excluded.url, published = excluded.published`,
		e.track, e.src.ID, e.track, e.src.Publisher, e.src.Title, e.src.URL, e.src.Published.String())
	if err != nil {
		return err
	}
	return s.exec(ctx, q, `INSERT INTO publishers (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, e.src.Publisher)
}

func (e sourceEdit) remove(ctx context.Context, s *DB, q querier) error {
	return s.removeUncited(ctx, q, store.EntitySource, "sources", e.track, e.src.ID)
}

// roundEdit is a round of a track; its writes go through the import's.
type roundEdit struct{ r store.Round }

func (e roundEdit) entity() store.Entity      { return store.RoundEntity(e.r.Track, e.r.Number) }
func (e roundEdit) side() string              { return "" }
func (e roundEdit) fields() map[string]string { return e.r.Fields() }

func (e roundEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	r, err := scanRound(s.queryRow(ctx, q, `SELECT `+roundColumns+` FROM rounds WHERE track_id = ? AND number = ?`, e.r.Track, e.r.Number))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading round %d of %q: %w", e.r.Number, e.r.Track, err)
	}
	return r.Fields(), nil
}

func (e roundEdit) check(ctx context.Context, s *DB, q querier) error {
	r := e.r
	switch {
	case r.Number <= 0:
		return fieldErr(store.FieldInvalid, "number", strconv.Itoa(r.Number), "a round's number is 1 or more")
	case !r.Status.Valid():
		return fieldErr(store.FieldInvalid, "status", string(r.Status), "%q is not a status", r.Status)
	case r.Starts.IsZero():
		return fieldErr(store.FieldRequired, "starts", "", "a round needs a start date")
	case len(r.Sources) == 0:
		return fieldErr(store.FieldRequired, "sources", "", "a round needs a source")
	}
	if _, _, err := timeline(r.Starts); err != nil {
		return fieldErr("", "starts", "", "%v", err)
	}
	if r.Timezone != "" {
		if _, err := store.LoadZone(r.Timezone); err != nil {
			return fieldErr("", "timezone", "", "%v", err)
		}
	}
	parties := append([]string{r.ProposedBy}, r.Mediators...)
	var people []string
	for _, d := range r.Delegations {
		parties = append(parties, d.Party)
		people = append(append(people, d.Head), d.Members...)
	}
	if err := s.checkRefs(ctx, q, "sources", "sources", r.Track, r.Sources...); err != nil {
		return err
	}
	if err := s.checkRefs(ctx, q, "proposed_by", "parties", r.Track, r.ProposedBy); err != nil {
		return err
	}
	if err := s.checkRefs(ctx, q, "mediators", "parties", r.Track, r.Mediators...); err != nil {
		return err
	}
	if err := s.checkRefs(ctx, q, "delegations", "parties", r.Track, parties...); err != nil {
		return err
	}
	return s.checkRefs(ctx, q, "delegations", "people", r.Track, people...)
}

func (e roundEdit) write(ctx context.Context, s *DB, q querier) error {
	// An edit leaves the venue's translations as stored (see encodeNames).
	w := &trackWriter{s: s, tx: q, track: e.r.Track, edit: true}
	var stats store.ImportStats
	return s.importRounds(ctx, w, nil, &store.Track{ID: e.r.Track, Rounds: []store.Round{e.r}}, &stats, nil)
}

func (e roundEdit) remove(ctx context.Context, s *DB, q querier) error {
	if err := s.exec(ctx, q, `DELETE FROM rounds WHERE track_id = ? AND number = ?`, e.r.Track, e.r.Number); err != nil {
		return err
	}
	return s.exec(ctx, q, `DELETE FROM search_docs WHERE track_id = ? AND kind = 'outcome' AND round = ?`, e.r.Track, e.r.Number)
}

// positionEdit is a position, found by what its key is made of.
type positionEdit struct{ p store.Position }

func (e positionEdit) entity() store.Entity {
	return store.Entity{Kind: store.EntityPosition, Track: e.p.Track, Key: store.PositionKey(e.p)}
}
func (e positionEdit) side() string              { return e.p.Party }
func (e positionEdit) fields() map[string]string { return e.p.Fields() }

const positionMatch = `track_id = ? AND party = ? AND topic = ? AND stated_on = ? AND summary = ?`

func (e positionEdit) matchArgs() []any {
	return []any{e.p.Track, e.p.Party, e.p.Topic, e.p.StatedOn.String(), e.p.Summary}
}

func (e positionEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	p := e.p
	var sources string
	found, err := scanOne(s.queryRow(ctx, q, `SELECT by_person, sources FROM positions WHERE `+positionMatch+` ORDER BY seq LIMIT 1`, e.matchArgs()...), &p.By, &sources)
	if !found {
		return nil, err
	}
	if p.Sources, err = decodeList(sources); err != nil {
		return nil, err
	}
	return p.Fields(), nil
}

func (e positionEdit) check(ctx context.Context, s *DB, q querier) error {
	p := e.p
	switch {
	case p.Party == "":
		return fieldErr(store.FieldRequired, "party", "", "a position needs a side")
	case p.Topic == "":
		return fieldErr(store.FieldRequired, "topic", "", "a position needs a topic")
	case p.Summary == "":
		return fieldErr(store.FieldRequired, "summary", "", "a position needs a summary")
	case p.StatedOn.IsZero():
		return fieldErr(store.FieldRequired, "stated_on", "", "a position needs the day it was stated")
	case len(p.Sources) == 0:
		return fieldErr(store.FieldRequired, "sources", "", "a position needs a source")
	}
	if err := s.checkRefs(ctx, q, "party", "parties", p.Track, p.Party); err != nil {
		return err
	}
	if err := s.checkRefs(ctx, q, "by", "people", p.Track, p.By); err != nil {
		return err
	}
	return s.checkRefs(ctx, q, "sources", "sources", p.Track, p.Sources...)
}

func (e positionEdit) write(ctx context.Context, s *DB, q querier) error {
	if err := e.remove(ctx, s, q); err != nil {
		return err
	}
	p := e.p
	err := s.exec(ctx, q, `INSERT INTO positions (track_id, seq, party, topic, summary, stated_on, by_person, sources)
		VALUES (?, `+fmt.Sprintf(nextSeq, "positions")+`, ?, ?, ?, ?, ?, ?)`,
		p.Track, p.Track, p.Party, p.Topic, p.Summary, p.StatedOn.String(), p.By, encodeList(p.Sources))
	if err != nil {
		return fmt.Errorf("writing the position: %w", err)
	}
	w := &trackWriter{s: s, tx: q, track: p.Track}
	return w.insertDocs(ctx, [][]any{{string(store.HitPosition), 0, p.Party, p.By, p.Topic, p.StatedOn.String(), p.Summary, encodeList(p.Sources)}})
}

// remove deletes the position and its search document. An edit of a
// position (new sources, who stated it) replaces both, so the position
// moves to the end of the track's list.
func (e positionEdit) remove(ctx context.Context, s *DB, q querier) error {
	args := e.matchArgs()
	err := s.exec(ctx, q, `DELETE FROM positions WHERE id = (SELECT MIN(id) FROM positions WHERE `+positionMatch+`)`, args...)
	if err != nil {
		return fmt.Errorf("removing the position: %w", err)
	}
	err = s.exec(ctx, q, `DELETE FROM search_docs WHERE id = (SELECT MIN(id) FROM search_docs
		WHERE track_id = ? AND kind = 'position' AND party = ? AND topic = ? AND on_date = ? AND body = ?)`, args...)
	if err != nil {
		return fmt.Errorf("removing the position from search: %w", err)
	}
	return nil
}

// statementEdit is a statement, found by what its key is made of.
type statementEdit struct{ st store.Statement }

func (e statementEdit) entity() store.Entity {
	return store.Entity{Kind: store.EntityStatement, Track: e.st.Track, Key: store.StatementKey(e.st)}
}
func (e statementEdit) side() string              { return e.st.Party }
func (e statementEdit) fields() map[string]string { return e.st.Fields() }

const statementMatch = `track_id = ? AND person = ? AND said_on = ? AND text = ?`

func (e statementEdit) matchArgs() []any {
	return []any{e.st.Track, e.st.By, e.st.SaidOn.String(), e.st.Text}
}

func (e statementEdit) stored(ctx context.Context, s *DB, q querier) (map[string]string, error) {
	st := e.st
	var sources string
	found, err := scanOne(s.queryRow(ctx, q, `SELECT party, medium, sources FROM statements WHERE `+statementMatch+` ORDER BY seq LIMIT 1`, e.matchArgs()...),
		&st.Party, &st.Medium, &sources)
	if !found {
		return nil, err
	}
	if st.Sources, err = decodeList(sources); err != nil {
		return nil, err
	}
	return st.Fields(), nil
}

func (e statementEdit) check(ctx context.Context, s *DB, q querier) error {
	st := e.st
	switch {
	case st.By == "":
		return fieldErr(store.FieldRequired, "by", "", "a statement needs a speaker")
	case st.Text == "":
		return fieldErr(store.FieldRequired, "text", "", "a statement needs its text")
	case st.SaidOn.IsZero():
		return fieldErr(store.FieldRequired, "said_on", "", "a statement needs the day it was made")
	case len(st.Sources) == 0:
		return fieldErr(store.FieldRequired, "sources", "", "a statement needs a source")
	}
	if err := s.checkRefs(ctx, q, "by", "people", st.Track, st.By); err != nil {
		return err
	}
	if err := s.checkRefs(ctx, q, "party", "parties", st.Track, st.Party); err != nil {
		return err
	}
	return s.checkRefs(ctx, q, "sources", "sources", st.Track, st.Sources...)
}

func (e statementEdit) write(ctx context.Context, s *DB, q querier) error {
	if err := e.remove(ctx, s, q); err != nil {
		return err
	}
	st := e.st
	err := s.exec(ctx, q, `INSERT INTO statements (track_id, seq, person, party, said_on, medium, text, sources)
		VALUES (?, `+fmt.Sprintf(nextSeq, "statements")+`, ?, ?, ?, ?, ?, ?)`,
		st.Track, st.Track, st.By, st.Party, st.SaidOn.String(), st.Medium, st.Text, encodeList(st.Sources))
	if err != nil {
		return fmt.Errorf("writing the statement: %w", err)
	}
	w := &trackWriter{s: s, tx: q, track: st.Track}
	return w.insertDocs(ctx, [][]any{{string(store.HitStatement), 0, st.Party, st.By, "", st.SaidOn.String(), st.Text, encodeList(st.Sources)}})
}

func (e statementEdit) remove(ctx context.Context, s *DB, q querier) error {
	args := e.matchArgs()
	err := s.exec(ctx, q, `DELETE FROM statements WHERE id = (SELECT MIN(id) FROM statements WHERE `+statementMatch+`)`, args...)
	if err != nil {
		return fmt.Errorf("removing the statement: %w", err)
	}
	err = s.exec(ctx, q, `DELETE FROM search_docs WHERE id = (SELECT MIN(id) FROM search_docs
		WHERE track_id = ? AND kind = 'statement' AND person = ? AND on_date = ? AND body = ?)`, args...)
	if err != nil {
		return fmt.Errorf("removing the statement from search: %w", err)
	}
	return nil
}

// editableOf rebuilds the entity e from its fields f, as a history record
// keeps them; trackZone is the track's timezone (for rounds).
func editableOf(e store.Entity, trackZone string, f map[string]string) (editable, error) {
	switch e.Kind {
	case store.EntityTrack:
		return trackEdit{store.TrackFromFields(e.Track, f)}, nil
	case store.EntityParty:
		return partyEdit{e.Track, store.PartyFromFields(e.Key, f)}, nil
	case store.EntityPerson:
		return personEdit{e.Track, store.PersonFromFields(e.Key, f)}, nil
	case store.EntitySource:
		src, err := store.SourceFromFields(e.Key, f)
		return sourceEdit{e.Track, src}, err
	case store.EntityRound:
		n, err := strconv.Atoi(e.Key)
		if err != nil {
			return nil, fmt.Errorf("entity %s: %w", e, err)
		}
		r, err := store.RoundFromFields(e.Track, n, trackZone, f)
		r.Starts, r.Ends = normalizeWhen(r.Starts), normalizeWhen(r.Ends)
		return roundEdit{r}, err
	case store.EntityPosition:
		p, err := store.PositionFromFields(e.Track, f)
		return positionEdit{p}, err
	case store.EntityStatement:
		st, err := store.StatementFromFields(e.Track, f)
		return statementEdit{st}, err
	}
	return nil, fmt.Errorf("entity %s: unknown kind", e)
}
