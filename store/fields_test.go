package store

import (
	"reflect"
	"testing"
	"time"
)

// Undo restores an entity from the fields its history record kept, so
// every entity must read back from its Fields exactly.
func TestFieldsReadBack(t *testing.T) {
	ist, err := LoadZone("Europe/Istanbul")
	if err != nil {
		t.Fatal(err)
	}
	d := Date{Year: 2025, Month: 6, Day: 2}
	at := func(h, m, s int) When {
		return When{Date: d, At: time.Date(2025, 6, 2, h, m, s, 0, ist).UTC(), Zone: "Europe/Istanbul"}
	}
	rounds := []struct {
		name string
		r    Round
	}{
		{"a date-only round with nothing else", Round{Track: "t", Number: 1, Status: StatusProposed, Starts: When{Date: d, Zone: "Europe/Istanbul"}, Sources: []string{"s"}}},
		{"an exact start and end, delegations and every list", Round{Track: "t", Number: 2, Status: StatusScheduled, Starts: at(13, 0, 0), Ends: at(18, 30, 0),
			Venue: "Çırağan Palace", ProposedBy: "russia",
			Delegations: []Delegation{{Party: "russia", Head: "medinsky", Members: []string{"a", "b"}}, {Party: "ukraine"}, {Party: "usa", Members: []string{"c"}}, {Party: "eu", Head: "k"}},
			Mediators:   []string{"turkiye"}, Agenda: []string{"one", "two"}, Outcomes: []string{"done"}, Documents: []string{"memo"},
			Notes: []string{"Credited: 1:a, \"quoted\""}, Sources: []string{"s", "t"}}},
		{"a start with seconds", Round{Track: "t", Number: 3, Status: StatusHeld, Starts: at(9, 15, 30), Sources: []string{"s"}}},
		{"a round in its own zone", Round{Track: "t", Number: 4, Status: StatusHeld, Timezone: "America/New_York",
			Starts: When{Date: d, At: time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC), Zone: "America/New_York"}, Sources: []string{"s"}}},
	}
	for _, tc := range rounds {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RoundFromFields("t", tc.r.Number, "Europe/Istanbul", tc.r.Fields())
			if err != nil || !reflect.DeepEqual(got, tc.r) {
				t.Errorf("RoundFromFields(Fields) = %+v, %v; want %+v", got, err, tc.r)
			}
		})
	}
	p := Position{Track: "t", Party: "a", Topic: "x", Summary: "S", StatedOn: d, By: "p", Sources: []string{"s"}}
	if got, err := PositionFromFields("t", p.Fields()); err != nil || !reflect.DeepEqual(got, p) {
		t.Errorf("PositionFromFields = %+v, %v; want %+v", got, err, p)
	}
	st := Statement{Track: "t", By: "p", Party: "a", SaidOn: d, Medium: "X", Text: "T <@&1>", Sources: []string{"s"}}
	if got, err := StatementFromFields("t", st.Fields()); err != nil || !reflect.DeepEqual(got, st) {
		t.Errorf("StatementFromFields = %+v, %v; want %+v", got, err, st)
	}
	src := Source{ID: "s", Publisher: "P", Title: "T", URL: "https://e.org", Published: d}
	if got, err := SourceFromFields("s", src.Fields()); err != nil || got != src {
		t.Errorf("SourceFromFields = %+v, %v; want %+v", got, err, src)
	}
	if got := PartyFromFields("a", Party{ID: "a", Name: "A", Role: RoleHost}.Fields()); !reflect.DeepEqual(got, Party{ID: "a", Name: "A", Role: RoleHost}) {
		t.Errorf("PartyFromFields = %+v", got)
	}
	if got := PersonFromFields("p", Person{ID: "p", Name: "P", Party: "a", Title: "T"}.Fields()); !reflect.DeepEqual(got, Person{ID: "p", Name: "P", Party: "a", Title: "T"}) {
		t.Errorf("PersonFromFields = %+v", got)
	}
	tr := Track{ID: "t", Title: "T", Timezone: "UTC", Guild: "9"}
	if got := TrackFromFields("t", tr.Fields()); !reflect.DeepEqual(got, tr) {
		t.Errorf("TrackFromFields = %+v", got)
	}
	if _, err := ParseWhenText("2025-06-02T25:00", "UTC"); err == nil {
		t.Error("ParseWhenText accepted hour 25")
	}
	if _, err := RoundFromFields("t", 1, "UTC", map[string]string{"delegations": "no colon"}); err == nil {
		t.Error("RoundFromFields accepted a delegation without a party")
	}
}
