package dataset

import (
	"reflect"
	"strings"
	"testing"

	"talkbot/store"
)

const namesHead = `tracks:
  - id: t
    title: Talks
    timezone: UTC
    parties:
      - id: a
        name: Ukraine
`

// Names in other languages are read for a track's title, a party, a
// person and a round's venue; a statement says its language.
func TestParseReadsNamesAndLanguages(t *testing.T) {
	src := `tracks:
  - id: t
    title: Talks
    names: {uk: Переговори, tr: Müzakereler}
    timezone: UTC
    parties:
      - {id: a, name: Ukraine, names: {uk: Україна, ru: Украина, tr: Ukrayna}}
    people:
      - id: p
        name: Rustem Umerov
        names:
          uk: Рустем Умєров
        party: a
    sources:
      - {id: s, publisher: Reuters}
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16
        venue: Dolmabahçe Palace
        venue_names: {en: Dolmabahce Palace, tr: Dolmabahçe Sarayı}
        sources: [s]
    statements:
      - {by: p, said_on: 2025-05-16, text: Ми готові., language: uk, sources: [s]}
`
	tracks, err := Parse("talks.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tr := tracks[0]
	checks := []struct {
		what      string
		got, want any
	}{
		{"the track's names", tr.Names, store.Names{"uk": "Переговори", "tr": "Müzakereler"}},
		{"the party's names", tr.Parties[0].Names, store.Names{"uk": "Україна", "ru": "Украина", "tr": "Ukrayna"}},
		{"the person's names", tr.People[0].Names, store.Names{"uk": "Рустем Умєров"}},
		{"the venue's names", tr.Rounds[0].VenueNames, store.Names{"en": "Dolmabahce Palace", "tr": "Dolmabahçe Sarayı"}},
		{"the statement's language", tr.Statements[0].Language, "uk"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s = %v; want %v", c.what, c.got, c.want)
		}
	}
	roundTrip(t, tracks)
}

func TestParseRefusesBadNames(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"a language talkbot does not speak", namesHead + "        names: {uk: Україна, de: Ukraine}\n",
			[]string{`talks.yaml:8:30: unknown language "de" in names: use en, uk, ru, tr`}},
		{"a region is not a language", namesHead + "        names:\n          uk-UA: Україна\n",
			[]string{`talks.yaml:9:11: unknown language "uk-UA" in names: use en, uk, ru, tr`}},
		{"a language twice", namesHead + "        names:\n          uk: Україна\n          uk: Вкраїна\n",
			[]string{`talks.yaml:10:11: duplicate language "uk" in names (first at line 9): keep one`}},
		{"an empty name", namesHead + "        names: {uk: }\n",
			[]string{`talks.yaml:8:21: missing name in names for "uk": write the name, or leave the language out`}},
		{"names as a list", namesHead + "        names: [Україна]\n",
			[]string{`talks.yaml:8:16: expected "names" as "key: value" lines, found a list`}},
		{"a statement in no known language", strings.Replace(namesHead, "    parties:", `    people:
      - {id: p, name: P}
    sources:
      - {id: s, publisher: R}
    statements:
      - {by: p, said_on: 2025-05-16, text: x, language: Ukrainian, sources: [s]}
    parties:`, 1),
			[]string{`talks.yaml:10:57: unknown language "Ukrainian": use the language's ISO 639 code in lower case, e.g. uk, ru, tr or en, or leave language out when unknown`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := errorLines(t, tc.src)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}
