package storetest

import (
	"time"

	"talkbot/store"
)

// mustZone loads a zone the fixtures rely on; the test binary embeds tzdata
// where the machine has none.
func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // fixture zones are fixed names that always exist
	}
	return loc
}

func date(s string) store.Date {
	d, err := store.ParseDate(s)
	if err != nil {
		panic(err) // fixture dates are literals
	}
	return d
}

// dateOnly is a start whose time was not announced.
func dateOnly(s, zone string) store.When {
	return store.When{Date: date(s), Zone: zone}
}

// exact is a start at local wall time hh:mm in zone.
func exact(s string, hh, mm int, zone string) store.When {
	d := date(s)
	at := time.Date(d.Year, d.Month, d.Day, hh, mm, 0, 0, mustZone(zone))
	return store.When{Date: d, At: at.UTC(), Zone: zone}
}

// fixture is two small tracks that use every field.
func fixture() []store.Track {
	const ist = "Europe/Istanbul"
	return []store.Track{
		{
			ID: "ru-ua-istanbul", Title: "Russia–Ukraine direct talks in Istanbul", Timezone: ist,
			Names: store.Names{"uk": "Прямі переговори Росії та України в Стамбулі", "tr": "İstanbul'da Rusya–Ukrayna doğrudan müzakereleri"},
			Parties: []store.Party{
				{ID: "russia", Name: "Russia", Role: store.RoleParty},
				{ID: "ukraine", Name: "Ukraine", Names: store.Names{"uk": "Україна", "ru": "Украина", "tr": "Ukrayna"}, Role: store.RoleParty},
				{ID: "turkiye", Name: "Türkiye", Role: store.RoleHost},
				{ID: "usa", Name: "United States", Role: store.RoleMediator},
			},
			People: []store.Person{
				{ID: "lavrov", Name: "Sergey Lavrov", Party: "russia", Title: "Foreign Minister"},
				{ID: "medinsky", Name: "Vladimir Medinsky", Party: "russia", Title: "Head of delegation"},
				{ID: "umerov", Name: "Rustem Umerov", Names: store.Names{"uk": "Рустем Умєров"}, Party: "ukraine", Title: "Defence Minister"},
				{ID: "sybiha", Name: "Andrii Sybiha", Party: "ukraine", Title: "Foreign Minister"},
			},
			Sources: []store.Source{
				{ID: "reuters-2025-05-28", Publisher: "Reuters", Title: "Moscow proposes second round", URL: "https://example.org/r", Published: date("2025-05-28")},
				{ID: "tass", Publisher: "TASS"},
			},
			Rounds: []store.Round{
				{
					Track: "ru-ua-istanbul", Number: 1, Status: store.StatusHeld, Starts: dateOnly("2025-05-16", ist),
					Venue: "Istanbul", Outcomes: []string{"Prisoner exchange of 1,000 for 1,000", "Commitment to prepare position documents"},
					Sources: []string{"reuters-2025-05-28"},
				},
				{
					Track: "ru-ua-istanbul", Number: 2, Status: store.StatusProposed, Starts: dateOnly("2025-06-02", ist),
					Venue: "Istanbul", ProposedBy: "russia",
					Delegations: []store.Delegation{{Party: "russia", Head: "medinsky"}, {Party: "ukraine", Head: "umerov", Members: []string{"sybiha"}}},
					Mediators:   []string{"usa", "turkiye"},
					Agenda:      []string{"Russia presents its memorandum"},
					Documents:   []string{"Russian memorandum on the core causes"},
					Notes:       []string{"Lavrov thanked Türkiye for facilitating the negotiations.", "Credited: 1:a, \"quoted\""},
					Sources:     []string{"reuters-2025-05-28", "tass"},
				},
				{
					Track: "ru-ua-istanbul", Number: 3, Status: store.StatusScheduled, Starts: exact("2025-07-23", 19, 0, ist),
					Ends: exact("2025-07-23", 21, 30, ist), Venue: "Çırağan Palace, Istanbul",
					VenueNames: store.Names{"tr": "Çırağan Sarayı, İstanbul"}, Sources: []string{"tass"},
				},
				{
					Track: "ru-ua-istanbul", Number: 4, Status: store.StatusCancelled, Starts: dateOnly("2025-07-01", ist),
					Sources: []string{"tass"},
				},
			},
			Positions: []store.Position{
				{Track: "ru-ua-istanbul", Party: "russia", Topic: "memorandum", Summary: "Russia has finalised a memorandum on the core causes of the conflict.", StatedOn: date("2025-05-28"), By: "lavrov", Sources: []string{"reuters-2025-05-28"}},
				{Track: "ru-ua-istanbul", Party: "ukraine", Topic: "ceasefire", Summary: "Ukraine is ready for a complete and unconditional ceasefire.", StatedOn: date("2025-05-28"), By: "umerov", Sources: []string{"reuters-2025-05-28"}},
				{Track: "ru-ua-istanbul", Party: "ukraine", Topic: "memorandum", Summary: "Ukraine expects the memorandum before the meeting.", StatedOn: date("2025-05-29"), By: "sybiha", Sources: []string{"reuters-2025-05-28"}},
				{Track: "ru-ua-istanbul", Party: "ukraine", Topic: "preparation", Summary: "Only a well-prepared meeting can produce results.", StatedOn: date("2025-05-20"), Sources: []string{"tass"}},
			},
			Statements: []store.Statement{
				{Track: "ru-ua-istanbul", By: "lavrov", Party: "russia", SaidOn: date("2025-05-28"), Medium: "written statement carried by TASS", Text: "Our delegation, headed by Vladimir Medinsky, is ready to present this memorandum.", Sources: []string{"reuters-2025-05-28"}},
				{Track: "ru-ua-istanbul", By: "umerov", Party: "ukraine", SaidOn: date("2025-05-28"), Medium: "post on X", Text: "We are not against meetings with the Russians @everyone", Language: "en", Sources: []string{"reuters-2025-05-28"}},
				{Track: "ru-ua-istanbul", By: "sybiha", Party: "ukraine", SaidOn: date("2025-05-29"), Text: "Only a well-prepared meeting has the potential to produce tangible results.", Sources: []string{"reuters-2025-05-28"}},
			},
		},
		{
			ID: "geneva", Title: "Geneva humanitarian talks", Timezone: "Europe/Zurich",
			Parties: []store.Party{{ID: "red-cross", Name: "Red Cross", Role: store.RoleObserver}, {ID: "russia", Name: "Russian Federation", Role: store.RoleParty}},
			People:  []store.Person{{ID: "lavrov", Name: "Sergey Lavrov", Party: "russia"}},
			Sources: []store.Source{{ID: "icrc", Publisher: "ICRC", Published: date("2025-01-10")}},
			Rounds: []store.Round{
				{Track: "geneva", Number: 1, Status: store.StatusScheduled, Starts: exact("2025-06-02", 9, 0, "America/New_York"), Timezone: "America/New_York", Venue: "New York", Sources: []string{"icrc"}},
				{Track: "geneva", Number: 2, Status: store.StatusPostponed, Starts: dateOnly("2025-06-10", "Europe/Zurich"), Sources: []string{"icrc"}},
			},
			Statements: []store.Statement{
				{Track: "geneva", By: "lavrov", Party: "russia", SaidOn: date("2025-01-10"), Text: "Ceasefires in winter are discussed here.", Sources: []string{"icrc"}},
			},
		},
	}
}
