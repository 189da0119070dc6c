package dataset

import (
	"math"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"talkbot/store"
)

// The keys each kind of entry allows, in the order Write puts them.
var (
	datasetKeys    = []string{"version", "tracks"}
	trackKeys      = []string{"id", "title", "names", "timezone", "guild", "public", "parties", "people", "sources", "rounds", "positions", "statements", "feeds"}
	feedKeys       = []string{"url", "title", "keywords"}
	partyKeys      = []string{"id", "name", "names", "role"}
	personKeys     = []string{"id", "name", "names", "party", "title"}
	sourceKeys     = []string{"id", "publisher", "title", "url", "published"}
	roundKeys      = []string{"number", "status", "starts", "ends", "timezone", "venue", "venue_names", "proposed_by", "delegations", "mediators", "agenda", "outcomes", "documents", "notes", "sources"}
	delegationKeys = []string{"head", "members"}
	positionKeys   = []string{"party", "topic", "summary", "stated_on", "by", "sources"}
	statementKeys  = []string{"by", "party", "said_on", "medium", "text", "language", "sources"}
)

func (d *decoder) dataset(root *yaml.Node) File {
	o := d.object(root, "the dataset", datasetKeys)
	if o == nil {
		return File{}
	}
	version := d.version(o)
	if o.get("tracks") == nil {
		d.errorf(root, "missing required field %q", "tracks")
		return File{}
	}
	items := d.items(o, "tracks")
	seen := map[string]int{}
	tracks := make([]store.Track, 0, len(items))
	for _, n := range items {
		if t, ok := d.track(n, seen); ok {
			tracks = append(tracks, t)
		}
	}
	return File{Version: version, Tracks: tracks}
}

// version reads the history version an export recorded; 0 when the file
// does not say, as a hand-written one does not.
func (d *decoder) version(o *object) int64 {
	s, n := d.text(o, "version", false)
	if n == nil {
		return 0
	}
	// Digits only: a sign, a fraction or an exponent is no export's doing.
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || strings.TrimLeft(s, "0123456789") != "" {
		d.errorf(n, "bad version %q: keep the whole number talkbot export wrote (e.g. 42), or leave version out of a hand-written file", s)
		return 0
	}
	return v
}

// scope is what references inside one track resolve against.
type scope struct {
	track        string
	zone         string
	loc          *time.Location // nil when the track's zone is bad
	parties      *ids
	people       *ids
	sources      *ids
	personParty  map[string]string
	partyRole    map[string]store.Role
	roundNumbers map[int]int // number -> line
	// The line of each position and statement so far, by what makes two of
	// them the same, to refuse exact duplicates.
	positionLines, statementLines map[string]int
}

func (d *decoder) track(n *yaml.Node, seen map[string]int) (store.Track, bool) {
	o := d.object(n, "a track", trackKeys)
	if o == nil {
		return store.Track{}, false
	}
	var t store.Track
	var idNode, tzNode *yaml.Node
	t.ID, idNode = d.slug(o, "id", true)
	if idNode != nil {
		if line, dup := seen[t.ID]; dup {
			d.errorf(idNode, "duplicate track id %q (first at line %d): track ids must be unique in the file", t.ID, line)
		} else {
			seen[t.ID] = idNode.Line
		}
	}
	t.Title, _ = d.text(o, "title", true)
	t.Names = d.names(o, "names")
	t.Timezone, tzNode = d.text(o, "timezone", true)
	if guild, gn := d.text(o, "guild", false); gn != nil {
		if store.IsSnowflake(guild) {
			t.Guild = guild
		} else {
			d.errorf(gn, "bad guild %q: use the server's id (Copy Server ID in Discord), e.g. \"1098765432109876543\", or leave guild out for a track every server sees", guild)
		}
	}
	if public, pn := d.text(o, "public", false); pn != nil {
		switch {
		case public != "true" && public != "false":
			d.errorf(pn, "bad public %q: use true (the server's track is shown on the web page and in the calendar feeds) or false", public)
		case public == "true" && t.Guild == "":
			d.errorf(pn, "public: true needs guild: a global track is always published; public says whether a server's own track is")
		default:
			t.Public = public == "true"
		}
	}
	sc := &scope{
		track:        t.ID,
		zone:         t.Timezone,
		parties:      newIDs("party", "parties"),
		people:       newIDs("person", "people"),
		sources:      newIDs("source", "sources"),
		personParty:  map[string]string{},
		partyRole:    map[string]store.Role{},
		roundNumbers: map[int]int{},

		positionLines:  map[string]int{},
		statementLines: map[string]int{},
	}
	if tzNode != nil {
		sc.loc = d.zoneAt(tzNode, t.Timezone)
	}
	// Definitions first, so that references resolve whatever the order of
	// the keys in the file.
	for _, n := range d.items(o, "parties") {
		if p, ok := d.party(n, sc); ok {
			t.Parties = append(t.Parties, p)
		}
	}
	for _, n := range d.items(o, "people") {
		if p, ok := d.person(n, sc); ok {
			t.People = append(t.People, p)
		}
	}
	for _, n := range d.items(o, "sources") {
		if s, ok := d.source(n, sc); ok {
			t.Sources = append(t.Sources, s)
		}
	}
	for _, n := range d.items(o, "rounds") {
		if r, ok := d.round(n, sc); ok {
			t.Rounds = append(t.Rounds, r)
		}
	}
	for _, n := range d.items(o, "positions") {
		if p, ok := d.position(n, sc); ok {
			t.Positions = append(t.Positions, p)
		}
	}
	for _, n := range d.items(o, "statements") {
		if s, ok := d.statement(n, sc); ok {
			t.Statements = append(t.Statements, s)
		}
	}
	feedLines := map[string]int{}
	for _, n := range d.items(o, "feeds") {
		if f, ok := d.feed(n, sc, feedLines); ok {
			t.Feeds = append(t.Feeds, f)
		}
	}
	return t, true
}

// zoneAt loads a zone named at n, reporting a bad name there.
func (d *decoder) zoneAt(n *yaml.Node, name string) *time.Location {
	loc, err := d.zone(name)
	if err != nil {
		d.errorf(n, "%s", err)
	}
	return loc
}

func (d *decoder) party(n *yaml.Node, sc *scope) (store.Party, bool) {
	o := d.object(n, "a party", partyKeys)
	if o == nil {
		return store.Party{}, false
	}
	var p store.Party
	var idNode *yaml.Node
	p.ID, idNode = d.slug(o, "id", true)
	if idNode != nil {
		d.define(sc.parties, p.ID, idNode)
	}
	p.Name, _ = d.text(o, "name", true)
	p.Names = d.names(o, "names")
	p.Role = store.RoleParty
	if role, rn := d.text(o, "role", false); rn != nil {
		p.Role = store.Role(role)
		if !p.Role.Valid() {
			d.errorf(rn, "unknown role %q: use one of %s", role, joinRoles())
		}
	}
	if idNode != nil {
		sc.partyRole[p.ID] = p.Role
	}
	return p, true
}

func joinRoles() string {
	s := make([]string, len(store.Roles))
	for i, r := range store.Roles {
		s[i] = string(r)
	}
	return strings.Join(s, ", ")
}

func joinStatuses() string {
	s := make([]string, len(store.Statuses))
	for i, st := range store.Statuses {
		s[i] = string(st)
	}
	return strings.Join(s, ", ")
}

func (d *decoder) person(n *yaml.Node, sc *scope) (store.Person, bool) {
	o := d.object(n, "a person", personKeys)
	if o == nil {
		return store.Person{}, false
	}
	var p store.Person
	var idNode *yaml.Node
	p.ID, idNode = d.slug(o, "id", true)
	if idNode != nil {
		d.define(sc.people, p.ID, idNode)
	}
	p.Name, _ = d.text(o, "name", true)
	p.Names = d.names(o, "names")
	p.Party = d.ref(o, "party", sc.parties, false)
	p.Title, _ = d.text(o, "title", false)
	if idNode != nil {
		sc.personParty[p.ID] = p.Party
	}
	return p, true
}

func (d *decoder) source(n *yaml.Node, sc *scope) (store.Source, bool) {
	o := d.object(n, "a source", sourceKeys)
	if o == nil {
		return store.Source{}, false
	}
	var s store.Source
	var idNode *yaml.Node
	s.ID, idNode = d.slug(o, "id", true)
	if idNode != nil {
		d.define(sc.sources, s.ID, idNode)
	}
	s.Publisher, _ = d.text(o, "publisher", true)
	s.Title, _ = d.text(o, "title", false)
	s.URL, _ = d.text(o, "url", false)
	s.Published = d.date(o, "published", false)
	return s, true
}

func (d *decoder) round(n *yaml.Node, sc *scope) (store.Round, bool) {
	o := d.object(n, "a round", roundKeys)
	if o == nil {
		return store.Round{}, false
	}
	r := store.Round{Track: sc.track}
	r.Number = d.roundNumber(o, sc)
	if status, sn := d.text(o, "status", true); sn != nil {
		r.Status = store.Status(status)
		if !r.Status.Valid() {
			d.errorf(sn, "unknown status %q: use one of %s", status, joinStatuses())
		}
	}
	statusNode := o.get("status")
	zone, loc := sc.zone, sc.loc
	var tzNode *yaml.Node
	if r.Timezone, tzNode = d.text(o, "timezone", false); tzNode != nil {
		zone, loc = r.Timezone, d.zoneAt(tzNode, r.Timezone)
	}
	var startsNode, endsNode *yaml.Node
	r.Starts, startsNode = d.when(o, "starts", true, zone, loc)
	r.Ends, endsNode = d.when(o, "ends", false, zone, loc)
	if !r.Starts.IsZero() && !r.Ends.IsZero() && endsBefore(r.Starts, r.Ends) {
		d.errorf(endsNode, "ends %s is before starts %s: give an end no earlier than the start", endsNode.Value, startsNode.Value)
	}
	r.Venue, _ = d.text(o, "venue", false)
	r.VenueNames = d.names(o, "venue_names")
	r.ProposedBy = d.ref(o, "proposed_by", sc.parties, false)
	r.Delegations = d.delegations(o, sc)
	r.Mediators = d.refs(o, "mediators", sc.parties)
	d.checkSides(o, &r, sc)
	if statusNode != nil && startsNode != nil && loc != nil {
		d.checkStatusAgainstNow(&r, statusNode, startsNode, loc)
	}
	r.Agenda = d.texts(o, "agenda")
	r.Outcomes = d.texts(o, "outcomes")
	r.Documents = d.texts(o, "documents")
	r.Notes = d.texts(o, "notes")
	r.Sources = d.nonEmptyRefs(o, "sources", sc.sources)
	return r, true
}

func (d *decoder) roundNumber(o *object, sc *scope) int {
	s, n := d.text(o, "number", true)
	if n == nil {
		return 0
	}
	number := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' || number > math.MaxInt32 {
			number = 0
			break
		}
		number = number*10 + int(s[i]-'0')
	}
	// Bounded so that every database column type can hold it.
	if number < 1 || number > math.MaxInt32 {
		d.errorf(n, "bad round number %q: use a whole number from 1 up, e.g. 2", s)
		return 0
	}
	if line, dup := sc.roundNumbers[number]; dup {
		d.errorf(n, "duplicate round number %d (first at line %d): each round of a track has its own number", number, line)
	} else {
		sc.roundNumbers[number] = n.Line
	}
	return number
}

// when reads a starts or ends value in the round's zone. When the zone is
// bad (already reported) the value is still checked for its form.
func (d *decoder) when(o *object, key string, required bool, zone string, loc *time.Location) (store.When, *yaml.Node) {
	s, n := d.text(o, key, required)
	if n == nil {
		return store.When{}, nil
	}
	if loc == nil {
		if _, err := parseStartsIn(s, "UTC", time.UTC); err != nil {
			d.errorf(n, "%s", err)
		}
		return store.When{}, nil
	}
	w, err := parseStartsIn(s, zone, loc)
	if err != nil {
		d.errorf(n, "%s", err)
	}
	return w, n
}

// endsBefore compares instants when both are known and dates otherwise, so
// a round that ends "2025-06-02" may start at 10:00 that day.
func endsBefore(starts, ends store.When) bool {
	if starts.TimeKnown() && ends.TimeKnown() {
		return ends.At.Before(starts.At)
	}
	return ends.Date.Before(starts.Date)
}

// delegations reads a mapping from party id to who that party sends, in
// the file's order.
func (d *decoder) delegations(o *object, sc *scope) []store.Delegation {
	n := o.get("delegations")
	if n == nil || isNull(n) || !d.kind(n, yaml.MappingNode, quote("delegations")) {
		return nil
	}
	var out []store.Delegation
	lines := map[string]int{}
	seats := map[string]seat{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a delegation key must be a party id, not %s", kindName(k))
			continue
		}
		del := store.Delegation{Party: k.Value}
		if !d.resolves(k, k.Value, sc.parties) {
			continue
		}
		if line, dup := lines[k.Value]; dup {
			d.errorf(k, "duplicate delegation for %q (first at line %d): keep one", k.Value, line)
			continue
		}
		lines[k.Value] = k.Line
		if !isNull(v) {
			if do := d.object(v, "a delegation (head, members)", delegationKeys); do != nil {
				del.Head = d.ref(do, "head", sc.people, false)
				del.Members = d.refs(do, "members", sc.people)
				d.checkSeats(seats, del, do)
			}
		}
		out = append(out, del)
	}
	return out
}

func (d *decoder) position(n *yaml.Node, sc *scope) (store.Position, bool) {
	o := d.object(n, "a position", positionKeys)
	if o == nil {
		return store.Position{}, false
	}
	p := store.Position{Track: sc.track}
	p.Party = d.ref(o, "party", sc.parties, true)
	p.Topic, _ = d.slug(o, "topic", true)
	p.Summary, _ = d.text(o, "summary", true)
	p.StatedOn = d.date(o, "stated_on", true)
	p.By = d.ref(o, "by", sc.people, false)
	p.Sources = d.nonEmptyRefs(o, "sources", sc.sources)
	if p.By != "" && p.Party != "" {
		d.checkSpeaker(o.get("by"), "position", p.By, p.Party, sc)
	}
	if p.Party != "" && p.Topic != "" && !p.StatedOn.IsZero() && p.Summary != "" {
		key := strings.Join([]string{p.Party, p.Topic, p.StatedOn.String(), p.Summary}, "\x00")
		d.checkDuplicate(n, sc.positionLines, key, "position", "party, topic, stated_on and summary")
	}
	return p, true
}

func (d *decoder) statement(n *yaml.Node, sc *scope) (store.Statement, bool) {
	o := d.object(n, "a statement", statementKeys)
	if o == nil {
		return store.Statement{}, false
	}
	s := store.Statement{Track: sc.track}
	s.By = d.ref(o, "by", sc.people, true)
	s.Party = d.ref(o, "party", sc.parties, false)
	if p := o.get("party"); p == nil || isNull(p) {
		s.Party = sc.personParty[s.By]
	}
	s.SaidOn = d.date(o, "said_on", true)
	s.Medium, _ = d.text(o, "medium", false)
	s.Text, _ = d.text(o, "text", true)
	s.Language = d.language(o, "language")
	s.Sources = d.nonEmptyRefs(o, "sources", sc.sources)
	if pn := o.get("party"); s.By != "" && s.Party != "" && pn != nil && !isNull(pn) {
		d.checkSpeaker(pn, "statement", s.By, s.Party, sc)
	}
	if s.By != "" && !s.SaidOn.IsZero() && s.Text != "" {
		key := strings.Join([]string{s.By, s.SaidOn.String(), s.Text}, "\x00")
		d.checkDuplicate(n, sc.statementLines, key, "statement", "speaker, said_on and text")
	}
	return s, true
}
