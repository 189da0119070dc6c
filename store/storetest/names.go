package storetest

import (
	"reflect"
	"testing"

	"talkbot/store"
)

// An edit from Discord carries no translations: they stay while the name
// they translate stays, are hidden when it changes (they would name the
// old one), and come back with an undo of the rename.
func testNamesThroughEdits(t *testing.T, open Factory) {
	s, _ := openWith(t, open, fixture())
	ctx := t.Context()
	const track = "ru-ua-istanbul"
	ann := store.Editor{ID: "1001", Name: "Ann"}
	edit := func(e store.Edit) {
		t.Helper()
		ent := store.Entity{Kind: store.EntityTrack, Track: track}
		switch {
		case e.Party != nil:
			ent = store.Entity{Kind: store.EntityParty, Track: track, Key: e.Party.ID}
		case e.Person != nil:
			ent = store.Entity{Kind: store.EntityPerson, Track: track, Key: e.Person.ID}
		case e.Round != nil:
			ent = store.RoundEntity(track, e.Round.Number)
		}
		e.Editor, e.Source, e.Base = ann, "tass", version(t, s, ent)
		if e.Track == nil {
			e.TrackID = track
		}
		mustEdit(t, s, e)
	}
	want := fixture()[0]
	check := func(what string, kept bool) {
		t.Helper()
		tr, err := s.Track(ctx, track)
		if err != nil {
			t.Fatal(err)
		}
		r3, err := s.Round(ctx, track, 3)
		if err != nil {
			t.Fatal(err)
		}
		got := []store.Names{tr.Names, tr.Parties[1].Names, tr.People[2].Names, r3.VenueNames}
		wanted := []store.Names{want.Names, want.Parties[1].Names, want.People[2].Names, want.Rounds[2].VenueNames}
		if !kept {
			wanted = make([]store.Names, 4)
		}
		if !reflect.DeepEqual(got, wanted) {
			t.Errorf("%s: the names of the track, party, person and venue are %v; want %v", what, got, wanted)
		}
	}

	// The same names, other fields: the translations stay.
	edit(store.Edit{Party: &store.Party{ID: "ukraine", Name: "Ukraine", Role: store.RoleHost}})
	edit(store.Edit{Person: &store.Person{ID: "umerov", Name: "Rustem Umerov", Party: "ukraine", Title: "Secretary of the NSDC"}})
	edit(store.Edit{Track: &store.Track{ID: track, Title: want.Title, Timezone: "Europe/Kyiv"}})
	r3, err := s.Round(ctx, track, 3)
	if err != nil {
		t.Fatal(err)
	}
	r3.VenueNames, r3.Status = nil, store.StatusHeld
	edit(store.Edit{Round: &r3})
	check("after edits that kept the names", true)

	// New names: the translations of the old ones are not shown.
	edit(store.Edit{Party: &store.Party{ID: "ukraine", Name: "Ukraine (government)", Role: store.RoleHost}})
	edit(store.Edit{Person: &store.Person{ID: "umerov", Name: "R. Umerov", Party: "ukraine"}})
	edit(store.Edit{Track: &store.Track{ID: track, Title: "Istanbul talks", Timezone: "Europe/Kyiv"}})
	r3, _ = s.Round(ctx, track, 3)
	r3.Venue = "Dolmabahçe Palace"
	edit(store.Edit{Round: &r3})
	check("after renaming", false)

	// Undoing the renames brings the names, and their translations, back.
	for range 4 {
		mustUndo(t, s, ann)
	}
	check("after undoing the renames", true)
}
