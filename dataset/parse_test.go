package dataset

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"talkbot/store"
)

// errorLines parses src as talks.yaml, which must fail, and returns the
// error lines.
func errorLines(t *testing.T, src string) []string {
	t.Helper()
	tracks, err := Parse("talks.yaml", []byte(src))
	if err == nil {
		t.Fatalf("Parse succeeded, want errors; got %+v", tracks)
	}
	if tracks != nil {
		t.Errorf("Parse returned tracks along with errors")
	}
	var errs Errors
	if !errors.As(err, &errs) {
		t.Fatalf("Parse error is %T, want Errors", err)
	}
	lines := make([]string, len(errs))
	for i, e := range errs {
		lines[i] = e.Error()
	}
	if joined := strings.Join(lines, "\n"); err.Error() != joined {
		t.Errorf("Errors.Error() = %q, want one error per line: %q", err.Error(), joined)
	}
	return lines
}

// parseErrorTests are small files each with something wrong. They also
// seed FuzzLoadDataset.
var parseErrorTests = []struct {
	name string
	src  string
	want []string
}{
	{
		name: "a misspelt key is named with the missing key it probably meant",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        stauts: held
        starts: 2025-05-16
        sources: [s1]
`,
		want: []string{
			`talks.yaml:7:9: missing required field "status"`,
			`talks.yaml:8:9: unknown key "stauts" (did you mean "status"?)`,
		},
	},
	{
		name: "an unknown key with no near match lists the allowed keys",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    notes: remember
`,
		want: []string{
			`talks.yaml:5:5: unknown key "notes" (allowed: id, title, names, timezone, guild, public, parties, people, sources, rounds, positions, statements, feeds)`,
		},
	},
	{
		name: "a reference to an unknown party lists the known ones",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties: [{id: russia, name: Russia}, {id: usa, name: USA}, {id: ukraine, name: Ukraine}]
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: proposed
        starts: 2025-05-16
        proposed_by: rusia
        sources: [s1]
`,
		want: []string{
			`talks.yaml:11:22: unknown party "rusia" (known: russia, ukraine, usa)`,
		},
	},
	{
		name: "a reference in a track without that kind of entry says so",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    people: [{id: lavrov, name: Sergey Lavrov, party: russia}]
`,
		want: []string{
			`talks.yaml:5:55: unknown party "russia": the track lists no parties under "parties"`,
		},
	},
	{
		name: "a date that does not exist is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources:
      - id: s1
        publisher: Reuters
        published: 2025-13-01
`,
		want: []string{
			`talks.yaml:8:20: bad date "2025-13-01": there is no month 13, months run from 01 to 12`,
		},
	},
	{
		name: "a misspelt time zone is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: Europe/Kyiw
`,
		want: []string{
			`talks.yaml:4:15: unknown timezone "Europe/Kyiw": use an IANA name such as Europe/Istanbul`,
		},
	},
	{
		name: "the server's local zone is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: Local
`,
		want: []string{
			`talks.yaml:4:15: timezone "Local" means the server's own zone: use an IANA name such as Europe/Istanbul`,
		},
	},
	{
		name: "a bad round zone is refused and its start is still checked for its form",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        timezone: Mars/Olympus
        starts: 2025-05-16 10:00
        sources: [s1]
`,
		want: []string{
			`talks.yaml:9:19: unknown timezone "Mars/Olympus": use an IANA name such as Europe/Istanbul`,
			`talks.yaml:10:17: bad date or time "2025-05-16 10:00": use YYYY-MM-DD (time not announced), YYYY-MM-DDTHH:MM (local time) or RFC 3339 such as 2025-06-02T10:00:00+03:00`,
		},
	},
	{
		name: "missing required fields are reported at the mapping that lacks them",
		src: `tracks:
  - id: t
    parties:
      - name: Russia
    people:
      - id: lavrov
`,
		want: []string{
			`talks.yaml:2:5: missing required field "title"`,
			`talks.yaml:2:5: missing required field "timezone"`,
			`talks.yaml:4:9: missing required field "id"`,
			`talks.yaml:6:9: missing required field "name"`,
		},
	},
	{
		name: "a key with no value counts as missing",
		src: `tracks:
  - id: t
    title:
    timezone: ""
`,
		want: []string{
			`talks.yaml:3:11: missing value for required field "title"`,
			`talks.yaml:4:15: missing value for required field "timezone"`,
		},
	},
	{
		name: "a round without sources is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16
`,
		want: []string{
			`talks.yaml:6:9: missing required field "sources"`,
		},
	},
	{
		name: "an empty list of sources is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    positions:
      - party: russia
        topic: ceasefire
        summary: Not before a memorandum.
        stated_on: 2025-06-02
        sources: []
    parties: [{id: russia, name: Russia}]
`,
		want: []string{
			`talks.yaml:10:18: "sources" is empty: list at least one source id`,
		},
	},
	{
		name: "text where a list belongs is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties: {id: russia, name: Russia}
    sources:
      - id: s1
        publisher: Reuters
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16
        agenda: prisoner exchange
        sources: s1
`,
		want: []string{
			`talks.yaml:5:14: expected "parties" as a list ("- item" lines or [a, b]), found a mapping`,
			`talks.yaml:13:17: expected "agenda" as a list ("- item" lines or [a, b]), found text`,
			`talks.yaml:14:18: expected "sources" as a list ("- item" lines or [a, b]), found text`,
		},
	},
	{
		name: "a list where text belongs is refused",
		src: `tracks:
  - id: t
    title: [Talks]
    timezone: UTC
    statements:
      - {by: [lavrov], said_on: 2025-06-02, text: x, sources: [s1]}
`,
		want: []string{
			`talks.yaml:3:12: expected "title" as a single value, found a list`,
			`talks.yaml:6:14: expected "by" as a single value, found a list`,
			`talks.yaml:6:64: unknown source "s1": the track lists no sources under "sources"`,
		},
	},
	{
		name: "ids that repeat are refused at the repeat",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: russia, name: Russian Federation}
    people:
      - {id: lavrov, name: Sergey Lavrov}
      - {id: lavrov, name: S. Lavrov}
    sources:
      - {id: s1, publisher: Reuters}
      - {id: s1, publisher: TASS}
  - id: t
    title: T again
    timezone: UTC
`,
		want: []string{
			`talks.yaml:7:14: duplicate party id "russia" (first at line 6): ids must be unique within a track`,
			`talks.yaml:10:14: duplicate person id "lavrov" (first at line 9): ids must be unique within a track`,
			`talks.yaml:13:14: duplicate source id "s1" (first at line 12): ids must be unique within a track`,
			`talks.yaml:14:9: duplicate track id "t" (first at line 2): track ids must be unique in the file`,
		},
	},
	{
		name: "the same id may be used in two tracks",
		src: `tracks:
  - id: a
    title: A
    timezone: UTC
    parties: [{id: russia, name: Russia}]
  - id: b
    title: B
    timezone: UTC
    parties: [{id: russia, name: Russia}]
  - id: b
    title: B again
    timezone: UTC
`,
		want: []string{
			`talks.yaml:10:9: duplicate track id "b" (first at line 6): track ids must be unique in the file`,
		},
	},
	{
		name: "a round number used twice in a track is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - {number: 2, status: held, starts: 2025-05-16, sources: [s1]}
      - {number: 2, status: proposed, starts: 2025-06-02, sources: [s1]}
`,
		want: []string{
			`talks.yaml:8:18: duplicate round number 2 (first at line 7): each round of a track has its own number`,
		},
	},
	{
		name: "round numbers must be whole numbers from 1",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - {number: 0, status: held, starts: 2025-05-16, sources: [s1]}
      - {number: 1.5, status: held, starts: 2025-05-16, sources: [s1]}
      - {number: 99999999999999999999999, status: held, starts: 2025-05-16, sources: [s1]}
      - {number: -3, status: held, starts: 2025-05-16, sources: [s1]}
`,
		want: []string{
			`talks.yaml:7:18: bad round number "0": use a whole number from 1 up, e.g. 2`,
			`talks.yaml:8:18: bad round number "1.5": use a whole number from 1 up, e.g. 2`,
			`talks.yaml:9:18: bad round number "99999999999999999999999": use a whole number from 1 up, e.g. 2`,
			`talks.yaml:10:18: bad round number "-3": use a whole number from 1 up, e.g. 2`,
		},
	},
	{
		name: "ids and topics must be slugs",
		src: `tracks:
  - id: Russia Ukraine
    title: T
    timezone: UTC
    parties: [{id: russia, name: Russia}]
    sources: [{id: s1, publisher: Reuters}]
    positions:
      - {party: russia, topic: Cease_Fire, summary: S, stated_on: 2025-06-02, sources: [s1]}
`,
		want: []string{
			`talks.yaml:2:9: bad id "Russia Ukraine": use lowercase letters, digits and single hyphens, e.g. "russia-ukraine"`,
			`talks.yaml:8:32: bad topic "Cease_Fire": use lowercase letters, digits and single hyphens, e.g. "cease-fire"`,
		},
	},
	{
		name: "unknown statuses and roles list the valid ones",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties: [{id: turkiye, name: Türkiye, role: mediater}]
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - {number: 1, status: sheduled, starts: 2025-05-16, sources: [s1]}
`,
		want: []string{
			`talks.yaml:5:50: unknown role "mediater": use one of party, mediator, host, facilitator, observer`,
			`talks.yaml:8:29: unknown status "sheduled": use one of proposed, scheduled, held, postponed, cancelled`,
		},
	},
	{
		name: "a round may not end before it starts",
		src: `tracks:
  - id: t
    title: T
    timezone: Europe/Istanbul
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16T13:30
        ends: 2025-05-16T12:00
        sources: [s1]
      - number: 2
        status: held
        starts: 2025-06-02
        ends: 2025-06-01T23:00
        sources: [s1]
`,
		want: []string{
			`talks.yaml:10:15: ends 2025-05-16T12:00 is before starts 2025-05-16T13:30: give an end no earlier than the start`,
			`talks.yaml:15:15: ends 2025-06-01T23:00 is before starts 2025-06-02: give an end no earlier than the start`,
		},
	},
	{
		name: "a local start skipped by a DST change is refused with the fix",
		src: `tracks:
  - id: t
    title: T
    timezone: Europe/Kyiv
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: scheduled
        starts: 2025-03-30T03:30
        sources: [s1]
`,
		want: []string{
			`talks.yaml:9:17: 2025-03-30T03:30 does not exist in Europe/Kyiv (clocks skip it at a DST change): give the time in RFC 3339 with an explicit offset, e.g. 2025-03-30T04:30:00+03:00`,
		},
	},
	{
		name: "a local start in the round's own zone is checked in that zone",
		src: `tracks:
  - id: t
    title: T
    timezone: Europe/Istanbul
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: scheduled
        timezone: America/New_York
        starts: 2025-11-02T01:30
        sources: [s1]
`,
		want: []string{
			`talks.yaml:10:17: 2025-11-02T01:30 happens twice in America/New_York (clocks repeat it at a DST change): give the time in RFC 3339 with an explicit offset, either 2025-11-02T01:30:00-04:00 or 2025-11-02T01:30:00-05:00`,
		},
	},
	{
		name: "delegations name parties and people of the track",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties: [{id: russia, name: Russia}, {id: ukraine, name: Ukraine}]
    people: [{id: medinsky, name: Vladimir Medinsky, party: russia}]
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16
        sources: [s1]
        delegations:
          russia: {head: medinsky, members: [medinsky, fomin, medinsky]}
          rusia: {head: medinsky}
          ukraine: [umerov]
          russia: {}
`,
		want: []string{
			`talks.yaml:14:46: "medinsky" is already in "russia"'s delegation (line 14): list each person once`,
			`talks.yaml:14:56: unknown person "fomin" (known: medinsky)`,
			`talks.yaml:14:63: person "medinsky" is listed twice in "members": keep one`,
			`talks.yaml:15:11: unknown party "rusia" (known: russia, ukraine)`,
			`talks.yaml:16:20: expected a delegation (head, members) as "key: value" lines, found a list`,
			`talks.yaml:17:11: duplicate delegation for "russia" (first at line 14): keep one`,
		},
	},
	{
		name: "positions and statements need their fields and sources",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties: [{id: russia, name: Russia}]
    people: [{id: lavrov, name: Sergey Lavrov, party: russia}]
    sources: [{id: s1, publisher: Reuters}]
    positions:
      - {party: russia, topic: ceasefire, stated_on: 2025-05-16, by: lavrov, sources: [s2]}
      - {topic: ceasefire, summary: S, stated_on: 2025-05-16}
    statements:
      - {by: lavorv, said_on: 2025-05-16, text: x, sources: [s1]}
      - {by: lavrov, said_on: 16 May 2025, text: "", sources: [s1]}
      - {said_on: 2025-05-16, text: x}
`,
		want: []string{
			`talks.yaml:9:9: missing required field "summary"`,
			`talks.yaml:9:88: unknown source "s2" (known: s1)`,
			`talks.yaml:10:9: missing required field "party"`,
			`talks.yaml:10:9: missing required field "sources"`,
			`talks.yaml:12:14: unknown person "lavorv" (known: lavrov)`,
			`talks.yaml:13:31: bad date "16 May 2025": use YYYY-MM-DD`,
			`talks.yaml:13:50: missing value for required field "text"`,
			`talks.yaml:14:9: missing required field "by"`,
			`talks.yaml:14:9: missing required field "sources"`,
		},
	},
	{
		name: "a long list of known ids is cut short and a near id suggested",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources: [{id: a, publisher: P}, {id: b, publisher: P}, {id: c, publisher: P}, {id: d, publisher: P},
      {id: e, publisher: P}, {id: f, publisher: P}, {id: g, publisher: P}, {id: h, publisher: P},
      {id: i, publisher: P}, {id: j, publisher: P}, {id: reuters-2025-05-28, publisher: Reuters}]
    rounds:
      - {number: 1, status: held, starts: 2025-05-16, sources: [reuters-2025-05-29]}
`,
		want: []string{
			`talks.yaml:9:65: unknown source "reuters-2025-05-29" (did you mean "reuters-2025-05-28"? known: a, b, c, d, e, f, g, h, i, j and 1 more)`,
		},
	},
	{
		name: "a repeated key is refused at the repeat",
		src: `tracks:
  - id: t
    title: T
    title: U
    timezone: UTC
`,
		want: []string{
			`talks.yaml:4:5: duplicate key "title" (first at line 3): keep one`,
		},
	},
	{
		name: "aliases are refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    sources:
      - &reuters {id: s1, publisher: Reuters}
      - *reuters
`,
		want: []string{
			`talks.yaml:7:9: aliases such as *reuters are not supported: write the value out in full`,
		},
	},
	{
		name: "an empty file is refused",
		src:  "",
		want: []string{`talks.yaml:1:1: empty dataset: a dataset file starts with "tracks:"`},
	},
	{
		name: "a file of comments is refused",
		src:  "# nothing yet\n",
		want: []string{`talks.yaml:1:1: empty dataset: a dataset file starts with "tracks:"`},
	},
	{
		name: "a file without tracks is refused",
		src:  "rounds: []\n",
		want: []string{
			`talks.yaml:1:1: unknown key "rounds" (allowed: version, tracks)`,
			`talks.yaml:1:1: missing required field "tracks"`,
		},
	},
	{
		name: "a file that is not a mapping is refused",
		src:  "- id: t\n",
		want: []string{`talks.yaml:1:1: expected the dataset as "key: value" lines, found a list`},
	},
	{
		name: "a second document is refused",
		src:  "tracks: []\n---\ntracks: []\n",
		want: []string{`talks.yaml:2:1: a second YAML document starts here: a dataset is one document, so remove the "---" and merge what follows into the first`},
	},
	{
		name: "a YAML syntax error gives the library's line and a hint",
		src: `tracks:
  - id: t
    title: Talks: round two
    timezone: UTC
`,
		want: []string{`talks.yaml:3:1: YAML syntax: mapping values are not allowed in this context (quote text that contains ": ")`},
	},
	{
		name: "a key indented deeper than its neighbours is an indentation mistake, not a quoting one",
		src: `tracks:
  - id: t
    title: T
      timezone: UTC
    sources: []
`,
		want: []string{`talks.yaml:4:7: bad indentation: this key starts at column 7; indent it to column 5, like the key on line 3`},
	},
	{
		name: "a key indented less than its neighbours is reported on its own line",
		src: `tracks:
  - id: t
    title: T
   timezone: UTC
    sources: []
`,
		want: []string{`talks.yaml:4:4: bad indentation: this key starts at column 4; indent it to column 5, like the key on line 3`},
	},
	{
		name: "a list item indented less than the items before it is reported on its own line",
		src: `tracks:
  - id: t
    title: T
    sources:
      - id: s1
        publisher: R
     - id: s2
`,
		want: []string{`talks.yaml:7:6: bad indentation: this list item starts at column 6; indent it to column 7, like the list item on line 5`},
	},
	{
		name: "a list item at the column of the keys is reported on its own line",
		src: `tracks:
  - id: t
    parties:
      - id: a
        name: A
    - id: b
`,
		want: []string{`talks.yaml:6:5: bad indentation: this list item starts at column 5; indent it to column 7, like the list item on line 4`},
	},
	{
		name: "a key of a list item out of line with the first one is reported on its own line",
		src: `tracks:
  - id: t
    people:
      - id: a
       name: A
`,
		want: []string{`talks.yaml:5:8: bad indentation: this key starts at column 8; indent it to column 9, like the key on line 4`},
	},
	{
		name: "a key where list items start asks for a dash",
		src: `tracks:
  - id: t
    sources:
      - id: s1
        publisher: R
      id: s2
`,
		want: []string{`talks.yaml:6:7: bad indentation: this key starts at column 7, where the list items of line 4 start: begin a new item with "- ", or indent it to column 9 like the key on line 5`},
	},
	{
		name: "indentation is judged past block text and lists over several lines",
		src: `tracks:
  - id: t
    title: |
      Talks:
        in Istanbul
    parties: [
        {id: a, name: A},
      ]
    rounds:
      - number: 1
        agenda:
        - a
        status: held
       - b
`,
		want: []string{`talks.yaml:14:8: bad indentation: this list item starts at column 8; indent it to column 7, like the list item on line 10`},
	},
	{
		name: "a tab in the indentation is pointed at",
		src:  "tracks:\n  - id: t\n\ttitle: T\n",
		want: []string{`talks.yaml:3:1: YAML syntax: found a tab character that violates indentation (indent with spaces, not tabs)`},
	},
	{
		name: "a position stated by a person of another party is refused at by",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: ukraine, name: Ukraine}
      - {id: turkiye, name: Türkiye, role: mediator}
    people:
      - {id: lavrov, name: Sergey Lavrov, party: russia}
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: umerov, name: Rustem Umerov, party: ukraine}
    sources: [{id: s1, publisher: Reuters}]
    positions:
      - {party: ukraine, topic: memo, summary: S., stated_on: 2025-05-28, by: lavrov, sources: [s1]}
`,
		want: []string{`talks.yaml:15:79: "lavrov" speaks for party "russia", but this position is party "ukraine"'s: fix "by" or "party"`},
	},
	{
		name: "a statement given the party of someone other than its speaker is refused at party",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: ukraine, name: Ukraine}
      - {id: turkiye, name: Türkiye, role: mediator}
    people:
      - {id: lavrov, name: Sergey Lavrov, party: russia}
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: umerov, name: Rustem Umerov, party: ukraine}
    sources: [{id: s1, publisher: Reuters}]
    statements:
      - by: umerov
        party: russia
        said_on: 2025-05-28
        text: Q.
        sources: [s1]
`,
		want: []string{`talks.yaml:16:16: "umerov" speaks for party "ukraine", but this statement is party "russia"'s: fix "by" or "party"`},
	},
	{
		name: "a mediator that sends a delegation, proposed the round or is a party of the track is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: ukraine, name: Ukraine}
      - {id: turkiye, name: Türkiye, role: mediator}
    people:
      - {id: lavrov, name: Sergey Lavrov, party: russia}
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: umerov, name: Rustem Umerov, party: ukraine}
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16
        proposed_by: ukraine
        delegations:
          turkiye: {}
        mediators: [turkiye, ukraine, russia]
        sources: [s1]
`,
		want: []string{
			`talks.yaml:21:21: "turkiye" is a mediator of this round but also sends a delegation to it (line 20): a party is either a side or a mediator of a round`,
			`talks.yaml:21:30: "ukraine" is a mediator of this round but also proposed it (proposed_by at line 18): a party is either a side or a mediator of a round`,
			`talks.yaml:21:39: "russia" is a mediator of this round but its role in the track is "party" (line 6): give it role: mediator, or remove it from "mediators"`,
		},
	},
	{
		name: "a person in two delegations of a round, or twice in one, is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: ukraine, name: Ukraine}
      - {id: turkiye, name: Türkiye, role: mediator}
    people:
      - {id: lavrov, name: Sergey Lavrov, party: russia}
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: umerov, name: Rustem Umerov, party: ukraine}
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        starts: 2025-05-16
        delegations:
          russia: {head: medinsky, members: [lavrov, medinsky]}
          ukraine:
            head: lavrov
        sources: [s1]
`,
		want: []string{
			`talks.yaml:19:54: "medinsky" is already in "russia"'s delegation (line 19): list each person once`,
			`talks.yaml:21:19: "lavrov" is already in "russia"'s delegation (line 19): a person sits in one delegation of a round`,
		},
	},
	{
		name: "an exact duplicate position or statement is refused at the second, naming the first",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: ukraine, name: Ukraine}
      - {id: turkiye, name: Türkiye, role: mediator}
    people:
      - {id: lavrov, name: Sergey Lavrov, party: russia}
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: umerov, name: Rustem Umerov, party: ukraine}
    sources: [{id: s1, publisher: Reuters}]
    positions:
      - {party: russia, topic: memo, summary: Ready., stated_on: 2025-05-28, sources: [s1]}
      - {party: russia, topic: memo, summary: Ready., stated_on: 2025-05-29, sources: [s1]}
      - {party: russia, topic: memo, summary: Ready., stated_on: 2025-05-28, by: lavrov, sources: [s1]}
    statements:
      - {by: lavrov, said_on: 2025-05-28, text: Ready., sources: [s1]}
      - {by: lavrov, said_on: 2025-05-28, text: Ready!, sources: [s1]}
      - {by: lavrov, party: russia, said_on: 2025-05-28, text: Ready., medium: TASS, sources: [s1]}
`,
		want: []string{
			`talks.yaml:17:9: duplicate position (same party, topic, stated_on and summary as the one at line 15): keep one`,
			`talks.yaml:21:9: duplicate statement (same speaker, said_on and text as the one at line 19): keep one`,
		},
	},
	{
		name: "an impossible day names how many days its month has",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    parties:
      - {id: russia, name: Russia}
      - {id: ukraine, name: Ukraine}
      - {id: turkiye, name: Türkiye, role: mediator}
    people:
      - {id: lavrov, name: Sergey Lavrov, party: russia}
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: umerov, name: Rustem Umerov, party: ukraine}
    sources: [{id: s1, publisher: Reuters}]
    rounds:
      - number: 1
        status: held
        starts: 2025-02-29T10:00
        ends: 2024-02-30
        sources: [s1]
    positions:
      - {party: russia, topic: memo, summary: S., stated_on: 2025-04-31, sources: [s1]}
      - {party: russia, topic: memo, summary: S., stated_on: 2024-02-29, sources: [s1]}
      - {party: russia, topic: memo, summary: S., stated_on: 2025-13-01, sources: [s1]}
      - {party: russia, topic: memo, summary: S., stated_on: 2025-12-00, sources: [s1]}
      - {party: russia, topic: memo, summary: S., stated_on: 28 May, sources: [s1]}
    statements:
      - {by: lavrov, said_on: 2025-06-31, text: T., sources: [s1]}
`,
		want: []string{
			`talks.yaml:17:17: bad date "2025-02-29T10:00": February 2025 has 28 days`,
			`talks.yaml:18:15: bad date "2024-02-30": February 2024 has 29 days`,
			`talks.yaml:21:62: bad date "2025-04-31": April 2025 has 30 days`,
			`talks.yaml:23:62: bad date "2025-13-01": there is no month 13, months run from 01 to 12`,
			`talks.yaml:24:62: bad date "2025-12-00": days run from 01`,
			`talks.yaml:25:62: bad date "28 May": use YYYY-MM-DD`,
			`talks.yaml:27:31: bad date "2025-06-31": June 2025 has 30 days`,
		},
	},
	{
		name: "a version that is not a whole number from 0 up is refused",
		src:  "version: -3\ntracks: []\n",
		want: []string{`talks.yaml:1:10: bad version "-3": keep the whole number talkbot export wrote (e.g. 42), or leave version out of a hand-written file`},
	},
	{
		name: "a version with a sign, a fraction or past 64 bits is refused",
		src:  "version: +3\ntracks:\n  - {id: a, title: A, timezone: UTC}\n",
		want: []string{`talks.yaml:1:10: bad version "+3": keep the whole number talkbot export wrote (e.g. 42), or leave version out of a hand-written file`},
	},
	{
		name: "a version too large for the history is refused",
		src:  "version: 99999999999999999999\ntracks: []\n",
		want: []string{`talks.yaml:1:10: bad version "99999999999999999999": keep the whole number talkbot export wrote (e.g. 42), or leave version out of a hand-written file`},
	},
	{
		name: "a version as a list is refused",
		src:  "version: [1]\ntracks: []\n",
		want: []string{`talks.yaml:1:10: expected "version" as a single value, found a list`},
	},
	{
		name: "a guild that is no Discord id is refused",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    guild: my-server
  - id: u
    title: U
    timezone: UTC
    guild: "0123"
`,
		want: []string{
			`talks.yaml:5:12: bad guild "my-server": use the server's id (Copy Server ID in Discord), e.g. "1098765432109876543", or leave guild out for a track every server sees`,
			`talks.yaml:9:12: bad guild "0123": use the server's id (Copy Server ID in Discord), e.g. "1098765432109876543", or leave guild out for a track every server sees`,
		},
	},
	{
		name: "public is true or false, and only for a server's track",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    public: true
  - id: u
    title: U
    timezone: UTC
    guild: "1098765432109876543"
    public: yes
`,
		want: []string{
			`talks.yaml:5:13: public: true needs guild: a global track is always published; public says whether a server's own track is`,
			`talks.yaml:10:13: bad public "yes": use true (the server's track is shown on the web page and in the calendar feeds) or false`,
		},
	},
	{
		name: "a feed must be an absolute http or https address",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    feeds:
      - url: ftp://example.org/feed.xml
      - url: news/feed.xml
      - url: file:///etc/passwd
      - url: example.org:8080/feed
      - url: "https:///feed.xml"
      - url: "https://user:secret@example.org/feed"
      - url: https://example.org/ feed
      - title: no address
      - url: https://example.org/feed.xml
      - url: https://example.org/feed.xml
`,
		want: []string{
			`talks.yaml:6:14: bad feed url "ftp://example.org/feed.xml": talkbot fetches feeds only over http and https, not ftp: use the feed's web address, e.g. "https://example.org/news/feed.xml"`,
			`talks.yaml:7:14: bad feed url "news/feed.xml": not a full address: start it with https:// (or http://), e.g. "https://example.org/news/feed.xml"`,
			`talks.yaml:8:14: bad feed url "file:///etc/passwd": talkbot fetches feeds only over http and https, not file: use the feed's web address, e.g. "https://example.org/news/feed.xml"`,
			`talks.yaml:9:14: bad feed url "example.org:8080/feed": not a full address: start it with https:// (or http://), e.g. "https://example.org/news/feed.xml"`,
			`talks.yaml:10:14: bad feed url "https:///feed.xml": no host after https://: e.g. "https://example.org/news/feed.xml"`,
			`talks.yaml:11:14: bad feed url "https://user:secret@example.org/feed": a user name or password in the address would be shown to every reader of the data: use a feed that needs none`,
			`talks.yaml:12:14: bad feed url "https://example.org/ feed": remove the spaces (encode a space in the address as %20)`,
			`talks.yaml:13:9: missing required field "url"`,
			`talks.yaml:15:14: duplicate feed "https://example.org/feed.xml" (first at line 14): keep one, with every keyword in it`,
		},
	},
	{
		name: "a feed's keywords are a list of words, none empty",
		src: `tracks:
  - id: t
    title: T
    timezone: UTC
    feeds:
      - url: https://example.org/a.xml
        keywords: [ceasefire, "", "  "]
      - url: https://example.org/b.xml
        keywords:
          - talks
          -
      - url: https://example.org/c.xml
        keywords: ceasefire
      - url: https://example.org/d.xml
        keywords: [[a, b]]
      - https://example.org/e.xml
`,
		want: []string{
			`talks.yaml:7:31: empty entry in "keywords": write the text or remove the line`,
			`talks.yaml:7:35: empty entry in "keywords": write the text or remove the line`,
			`talks.yaml:11:12: empty entry in "keywords": write the text or remove the line`,
			`talks.yaml:13:19: expected "keywords" as a list ("- item" lines or [a, b]), found text`,
			`talks.yaml:15:20: expected each entry of "keywords" as a single value, found a list`,
			`talks.yaml:16:9: expected a feed as "key: value" lines, found text`,
		},
	},
	{
		name: "bytes that are not UTF-8 are pointed at",
		src:  "tracks:\n  - id: t\n    title: \"caf\xe9\"\n",
		want: []string{`talks.yaml:3:16: invalid UTF-8: save the file as UTF-8`},
	},
}

func TestParseErrors(t *testing.T) {
	for _, tc := range parseErrorTests {
		t.Run(tc.name, func(t *testing.T) {
			got := errorLines(t, tc.src)
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("errors:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestParseNormalises(t *testing.T) {
	src := `tracks:
  - id: ru-ua
    title: Russia–Ukraine talks
    timezone: Europe/Istanbul
    parties:
      - {id: russia, name: Russia}
      - {id: turkiye, name: Türkiye, role: host}
    people:
      - {id: medinsky, name: Vladimir Medinsky, party: russia}
      - {id: fidan, name: Hakan Fidan}
    sources:
      - {id: s1, publisher: Reuters, published: 2025-05-28}
    rounds:
      - number: 2
        status: proposed
        starts: 2025-06-02
        sources: [s1]
        delegations:
          turkiye: {}
          russia: {head: medinsky, members: []}
        agenda: []
      - number: 1
        status: held
        starts: 2025-05-16T13:30
        ends: 2025-05-16T15:00
        timezone: Europe/Moscow
        sources: [s1]
    positions:
      - {party: russia, topic: ceasefire, summary: After a memorandum., stated_on: 2025-06-02, sources: [s1]}
    statements:
      - {by: medinsky, said_on: 2025-06-02, text: We are ready., sources: [s1]}
      - {by: fidan, party: turkiye, said_on: 2025-06-02, medium: X, text: Hosted., sources: [s1]}
`
	want := []store.Track{{
		ID:       "ru-ua",
		Title:    "Russia–Ukraine talks",
		Timezone: "Europe/Istanbul",
		Parties: []store.Party{
			{ID: "russia", Name: "Russia", Role: store.RoleParty},
			{ID: "turkiye", Name: "Türkiye", Role: store.RoleHost},
		},
		People:  []store.Person{{ID: "medinsky", Name: "Vladimir Medinsky", Party: "russia"}, {ID: "fidan", Name: "Hakan Fidan"}},
		Sources: []store.Source{{ID: "s1", Publisher: "Reuters", Published: date(2025, 5, 28)}},
		Rounds: []store.Round{
			{
				Track: "ru-ua", Number: 2, Status: store.StatusProposed,
				Starts:      store.When{Date: date(2025, 6, 2), Zone: "Europe/Istanbul"},
				Delegations: []store.Delegation{{Party: "turkiye"}, {Party: "russia", Head: "medinsky"}},
				Sources:     []string{"s1"},
			},
			{
				Track: "ru-ua", Number: 1, Status: store.StatusHeld,
				Starts:   store.When{Date: date(2025, 5, 16), At: utc(2025, 5, 16, 10, 30, 0, 0), Zone: "Europe/Moscow"},
				Ends:     store.When{Date: date(2025, 5, 16), At: utc(2025, 5, 16, 12, 0, 0, 0), Zone: "Europe/Moscow"},
				Timezone: "Europe/Moscow",
				Sources:  []string{"s1"},
			},
		},
		Positions: []store.Position{
			{Track: "ru-ua", Party: "russia", Topic: "ceasefire", Summary: "After a memorandum.", StatedOn: date(2025, 6, 2), Sources: []string{"s1"}},
		},
		Statements: []store.Statement{
			{Track: "ru-ua", By: "medinsky", Party: "russia", SaidOn: date(2025, 6, 2), Text: "We are ready.", Sources: []string{"s1"}},
			{Track: "ru-ua", By: "fidan", Party: "turkiye", SaidOn: date(2025, 6, 2), Medium: "X", Text: "Hosted.", Sources: []string{"s1"}},
		},
	}}
	got, err := Parse("talks.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Parse =\n%+v\nwant\n%+v", got, want)
	}
}

func TestParseAcceptsAnEmptyListOfTracks(t *testing.T) {
	for _, src := range []string{"tracks: []\n", "tracks:\n"} {
		tracks, err := Parse("talks.yaml", []byte(src))
		if err != nil || len(tracks) != 0 {
			t.Errorf("Parse(%q) = %v, %v; want no tracks and no error", src, tracks, err)
		}
	}
}

func TestParseSurvivesHostileInput(t *testing.T) {
	laughs := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i := 'b'; i <= 'k'; i++ {
		laughs += fmt.Sprintf("%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	tests := []struct {
		name string
		src  string
	}{
		{"deeply nested lists", "tracks: " + strings.Repeat("[", 100_000)},
		{"deeply nested mappings", "tracks:\n" + strings.Repeat("{a: ", 20_000)},
		{"aliases that would expand a billion times", laughs + "tracks: *k\n"},
		{"an alias in place of a track", "t: &t {id: t, title: T, timezone: UTC}\ntracks: [*t, *t]\n"},
		{"a huge round number", "tracks:\n  - {id: t, title: T, timezone: UTC, rounds: [{number: 1e400, status: held, starts: 2025-01-01, sources: [s]}]}\n"},
		{"NUL bytes", "tracks:\x00\n  - id: t\n"},
		{"a UTF-16 byte order mark", "\xff\xfet\x00r\x00"},
		{"a mapping as a key", "tracks:\n  - {? {a: b} : c}\n"},
		{"a million-character title", "tracks:\n  - {id: t, title: " + strings.Repeat("x", 1_000_000) + ", timezone: Nowhere/Land}\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tracks, err := Parse("hostile.yaml", []byte(tc.src))
			if err == nil {
				t.Fatalf("Parse succeeded with %+v, want an error", tracks)
			}
		})
	}
}

// manyBadReferences is a file whose 20,000 statements each name an unknown
// speaker and an unknown source.
func manyBadReferences() []byte {
	var b strings.Builder
	b.WriteString("tracks:\n  - id: t\n    title: T\n    timezone: UTC\n    people:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "      - {id: person-%d, name: P}\n", i)
	}
	b.WriteString("    statements:\n")
	for i := range 20_000 {
		fmt.Fprintf(&b, "      - {by: persn-%d, said_on: 2025-01-01, text: x, sources: [s]}\n", i)
	}
	return []byte(b.String())
}

func TestParseReportsEveryBadReference(t *testing.T) {
	_, err := Parse("slow.yaml", manyBadReferences())
	var errs Errors
	if !errors.As(err, &errs) || len(errs) != 40_000 {
		t.Fatalf("got %d errors, want 40000 (a bad person and a bad source per statement)", len(errs))
	}
}

// BenchmarkParseManyBadReferences guards against quadratic work in the
// reference checks (suggestions, known-id lists).
func BenchmarkParseManyBadReferences(b *testing.B) {
	data := manyBadReferences()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("slow.yaml", data); err == nil {
			b.Fatal("want errors")
		}
	}
}

// A curator may write a server's id as a number and an empty or zero
// version: both mean what they say, as text.
func TestParseReadsVersionAndGuild(t *testing.T) {
	tests := []struct {
		name, src   string
		wantVersion int64
		wantGuild   string
	}{
		{"an export's version and a quoted guild", "version: 42\ntracks:\n  - {id: t, title: T, timezone: UTC, guild: \"1098765432109876543\"}\n", 42, "1098765432109876543"},
		{"a guild written as a number", "tracks:\n  - {id: t, title: T, timezone: UTC, guild: 18446744073709551615}\n", 0, "18446744073709551615"},
		{"version 0", "version: 0\ntracks:\n  - {id: t, title: T, timezone: UTC}\n", 0, ""},
		{"an empty version and guild", "version:\ntracks:\n  - {id: t, title: T, timezone: UTC, guild: ~}\n", 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f, err := ParseFile("talks.yaml", []byte(tc.src))
			if err != nil {
				t.Fatal(err)
			}
			if f.Version != tc.wantVersion || f.Tracks[0].Guild != tc.wantGuild {
				t.Errorf("version %d, guild %q; want %d, %q", f.Version, f.Tracks[0].Guild, tc.wantVersion, tc.wantGuild)
			}
		})
	}
}
