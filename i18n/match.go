package i18n

import (
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"talkbot/locales"
)

// Lang is a language talkbot speaks: the name of its catalog in locales/
// without ".toml" ("en", "uk", "ru", "tr").
type Lang string

// The languages talkbot ships with. A new catalog file adds a language
// without a constant: Langs and Match read the catalogs themselves.
const (
	English   Lang = "en" // the default, and the fallback of every missing message
	Ukrainian Lang = "uk"
	Russian   Lang = "ru"
	Turkish   Lang = "tr"
)

// Langs lists the languages of the embedded catalogs, English first.
func Langs() []Lang { return slices.Clone(embeddedLangs()) }

// embeddedLangs reads the catalogs' names once: they cannot change while
// the program runs, and Match is asked once a request.
var embeddedLangs = sync.OnceValue(func() []Lang { return langsIn(locales.Files) })

func langsIn(fsys fs.FS) []Lang {
	names, _ := fs.Glob(fsys, "*.toml") // the pattern is valid: no error
	out := []Lang{English}
	for _, n := range names {
		if l := Lang(strings.TrimSuffix(path.Base(n), ".toml")); l != English {
			out = append(out, l)
		}
	}
	return out
}

// Match maps what a client says about its language to one of Langs, or
// English: a Discord locale ("uk", "pt-BR", "en-GB"), a POSIX locale from
// LANG or LC_ALL ("uk_UA.UTF-8", "tr_TR.UTF-8@euro", "C"), a LANGUAGE list
// ("uk:en") or an Accept-Language header ("ru-RU,ru;q=0.9,en;q=0.8"). The
// first language the client prefers that talkbot speaks wins.
func Match(tag string) Lang { return matchIn(embeddedLangs(), tag) }

func matchIn(langs []Lang, tag string) Lang {
	for _, want := range preferences(tag) {
		wantBase, _ := want.Base()
		for _, l := range langs {
			have := language.Make(string(l))
			if have == want {
				return l
			}
			// A catalog for a whole language serves every region of it; one
			// for a region ("pt-BR") only that region.
			if base, _ := have.Base(); base == wantBase {
				if _, conf := have.Region(); conf != language.Exact {
					return l
				}
			}
		}
	}
	return English
}

// preferences parses tag into languages, most preferred first; what it
// cannot parse it skips, so anything at all is safe to pass.
func preferences(tag string) []language.Tag {
	tag = strings.TrimSpace(tag)
	if strings.ContainsAny(tag, ",;*") { // an Accept-Language header
		tags, _, err := language.ParseAcceptLanguage(tag)
		if err != nil {
			return nil
		}
		return tags
	}
	var out []language.Tag
	for _, part := range strings.Split(tag, ":") {
		// POSIX: language[_territory][.codeset][@modifier]
		if i := strings.IndexAny(part, ".@"); i >= 0 {
			part = part[:i]
		}
		part = strings.ReplaceAll(strings.TrimSpace(part), "_", "-")
		if part == "" || part == "C" || part == "POSIX" {
			continue
		}
		if t, err := language.Parse(part); err == nil {
			out = append(out, t)
		}
	}
	return out
}
