package commands_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"talkbot/data"
)

// englishMarkers are words of talkbot's own English that a Ukrainian or
// Turkish reply has no reason to hold once what the editors and the
// feeds wrote is set aside.
var englishMarkers = []string{"the ", "The ", " is ", " not ", "you ", "You ", "Use ", "Run "}

// notOurWords are the parts of a reply that are not talkbot's words and
// so may be English in any language:
//   - code spans and blocks: commands, ids, typed input and the quoted
//     detail of a library (cron's, the date parser's, a store's);
//   - addresses (links and their targets);
//   - quotations: "…" echoes typed input or a feed's own error, “…” and
//     lines starting "> " quote what a side or a person said.
var notOurWords = []*regexp.Regexp{
	regexp.MustCompile("(?s)```.*?```"),
	regexp.MustCompile("`[^`]*`"),
	regexp.MustCompile(`https?://[^\s)>]+`),
	regexp.MustCompile(`"[^"\n]*"`),
	regexp.MustCompile(`“[^”]*”`),
	regexp.MustCompile(`(?m)^> .*$`),
}

// fixtureText is English the tests themselves feed in (besides the
// bundled data): a news item's summary.
var fixtureText = []string{
	"Both delegations confirmed the third round in Istanbul.",
}

// TestNoEnglishLeftInTranslatedReplies fails when a uk or tr golden holds
// talkbot's own English: a message a catalog lacks, or a reason worded in
// another package and passed through untranslated.
func TestNoEnglishLeftInTranslatedReplies(t *testing.T) {
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	// The editors' words, longest first so that a name inside a summary
	// does not break the summary up before it is removed.
	var dataText []string
	collectStrings(reflect.ValueOf(tracks), &dataText)
	dataText = append(dataText, fixtureText...)
	slices.SortFunc(dataText, func(a, b string) int { return len(b) - len(a) })

	for _, lang := range []string{"uk", "tr"} {
		files, err := filepath.Glob(filepath.Join("testdata", lang, "*.json"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no %s goldens (%v)", lang, err)
		}
		for _, file := range files {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var v any
			if err := json.Unmarshal(raw, &v); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			for _, s := range visibleText(v, "") {
				if m, at := englishIn(s, dataText); m != "" {
					t.Errorf("%s holds talkbot's English %q: …%s…", file, m, at)
				}
			}
		}
	}
}

// englishIn returns the first marker left in s once data and quoted
// text are set aside, with its surroundings.
func englishIn(s string, dataText []string) (marker, around string) {
	for _, d := range dataText {
		if len(d) > 3 {
			s = strings.ReplaceAll(s, d, " ")
		}
	}
	for _, re := range notOurWords {
		s = re.ReplaceAllString(s, " ")
	}
	for _, m := range englishMarkers {
		if i := strings.Index(s, m); i >= 0 {
			from, to := max(i-40, 0), min(i+len(m)+40, len(s))
			return m, s[from:to]
		}
	}
	return "", ""
}

// visibleText is every string of a golden that a reader sees: not custom
// ids (routing state) or addresses.
func visibleText(v any, key string) []string {
	switch x := v.(type) {
	case string:
		switch key {
		case "custom_id", "url", "URL", "proxy_url", "icon_url":
			return nil
		}
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, visibleText(e, key)...)
		}
		return out
	case map[string]any:
		var out []string
		for k, e := range x {
			out = append(out, visibleText(e, k)...)
		}
		return out
	}
	return nil
}

// collectStrings appends every string held anywhere in v.
func collectStrings(v reflect.Value, out *[]string) {
	switch v.Kind() {
	case reflect.String:
		if s := strings.TrimSpace(v.String()); s != "" {
			*out = append(*out, s)
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			collectStrings(v.Index(i), out)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			collectStrings(v.MapIndex(k), out)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				collectStrings(v.Field(i), out)
			}
		}
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			collectStrings(v.Elem(), out)
		}
	}
}

// The check itself: it finds our English and lets quoted and data text be.
func TestEnglishInSetsAsideOnlyWhatIsNotOurs(t *testing.T) {
	data := []string{"Russia is prepared to hold the second round"}
	for _, tc := range []struct {
		text string
		want string
	}{
		{"Не вдається прочитати розклад: Use five fields.", "Use "},
		{"Остання помилка: the server answered 410 Gone", "the "},
		{"Розклад `expected exactly 5 fields, not 4` не читається.", ""},
		{`Не відстежується: "the feed is not here".`, ""},
		{"Позиція: Russia is prepared to hold the second round.", ""},
		{"> We are not against meetings\n— Умєров", ""},
		{"Посилання: https://example.org/the-news-is-not-here", ""},
	} {
		if got, _ := englishIn(tc.text, data); got != tc.want {
			t.Errorf("englishIn(%q) = %q; want %q", tc.text, got, tc.want)
		}
	}
}
