package remind_test

import (
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"talkbot/remind"
	"talkbot/store"
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

func TestRoundEventKeepsDiscordsLimits(t *testing.T) {
	now := time.Date(2025, 5, 1, 9, 0, 0, 0, time.UTC)
	at := time.Date(2025, 5, 16, 10, 30, 0, 0, time.UTC)
	long := strings.Repeat("Переговори ", 30) // Cyrillic, 330 characters
	track := store.Track{ID: "ru-ua", Title: long, Timezone: "Europe/Istanbul",
		Parties: []store.Party{{ID: "tr", Name: "Türkiye"}},
		Sources: []store.Source{{ID: "s1", Publisher: "Reuters", Title: "Talks", URL: "https://example.org/1"}}}
	exact := store.Round{Track: "ru-ua", Number: 12, Status: store.StatusScheduled, ProposedBy: "tr", Sources: []string{"s1"},
		Starts: store.When{Date: store.DateOf(at), At: at, Zone: "Europe/Istanbul"}, Venue: strings.Repeat("Dolmabahçe ", 20),
		Agenda: []string{strings.Repeat("prisoner exchange ", 100)}}
	dateOnly := store.Round{Track: "ru-ua", Number: 3, Status: store.StatusProposed, Sources: []string{"s1"},
		Starts: store.When{Date: store.Date{Year: 2025, Month: 6, Day: 2}, Zone: "Europe/Istanbul"}}
	istanbul, _ := time.LoadLocation("Europe/Istanbul")
	cases := []struct {
		name                 string
		round                store.Round
		start, end           time.Time
		nameEnd, description string
	}{
		{"a long title and agenda are cut, the marker kept", exact, at, at.Add(3 * time.Hour), "…",
			"talkbot:round/ru-ua/12"},
		{"a date-only round spans its day in its zone and says the time is not announced", dateOnly,
			time.Date(2025, 6, 2, 0, 0, 0, 0, istanbul), time.Date(2025, 6, 3, 0, 0, 0, 0, istanbul), "… (time not announced)",
			"Time not announced"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e, ok, err := remind.RoundEvent(track, tc.round, now)
			if err != nil || !ok {
				t.Fatalf("RoundEvent = %v, %v", ok, err)
			}
			if n := units(e.Name); n > 100 || !strings.HasPrefix(e.Name, "Round ") || !strings.HasSuffix(e.Name, tc.nameEnd) {
				t.Errorf("name (%d units) = %q; want at most 100, ending %q", n, e.Name, tc.nameEnd)
			}
			if n := units(e.Description); n > 1000 || !strings.HasSuffix(e.Description, "\n"+e.Marker) || !strings.Contains(e.Description, tc.description) {
				t.Errorf("description (%d units) = %q; want at most 1,000, holding %q and ending with the marker", n, e.Description, tc.description)
			}
			if n := units(e.Location); n < 1 || n > 100 {
				t.Errorf("location (%d units) = %q; want 1 to 100", n, e.Location)
			}
			if !e.Start.Equal(tc.start) || !e.End.Equal(tc.end) {
				t.Errorf("span = %v .. %v; want %v .. %v", e.Start, e.End, tc.start, tc.end)
			}
			if e.Marker != remind.EventMarker("ru-ua", tc.round.Number) {
				t.Errorf("marker = %q", e.Marker)
			}
		})
	}
}

func TestADateOnlyRoundOfTodayStartsAfterNow(t *testing.T) {
	istanbul, _ := time.LoadLocation("Europe/Istanbul")
	now := time.Date(2025, 6, 2, 11, 7, 30, 0, istanbul)
	r := store.Round{Track: "t", Number: 1, Status: store.StatusProposed, Sources: []string{"s"},
		Starts: store.When{Date: store.Date{Year: 2025, Month: 6, Day: 2}, Zone: "Europe/Istanbul"}}
	e, ok, err := remind.RoundEvent(store.Track{ID: "t", Title: "T"}, r, now)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if !e.Start.After(now) || !e.End.Equal(time.Date(2025, 6, 3, 0, 0, 0, 0, istanbul)) || !strings.Contains(e.Name, "time not announced") {
		t.Errorf("today's date-only event = %v .. %v %q; want from after now to midnight, time not announced", e.Start, e.End, e.Name)
	}
}

func TestEventHashChangesWithTheEvent(t *testing.T) {
	e := remind.Event{Marker: "m", Name: "Round 1", Start: time.Unix(0, 0)}
	c := e
	c.Cancelled = true
	if remind.EventHash(e) != remind.EventHash(e) || remind.EventHash(e) == remind.EventHash(c) {
		t.Error("the hash is not a function of the event")
	}
}
