// Package i18n gives talkbot its words in the reader's language: the
// catalogs of package locales, one Localizer a language chosen at the edge
// and passed down like a clock, CLDR plurals, and language-aware case
// mapping. It uses go-i18n (see the README's Languages section).
package i18n

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"github.com/nicksnyder/go-i18n/v2/i18n/template"
	"golang.org/x/text/language"

	"talkbot/locales"
)

// Missing is what a reader sees where a message exists in no catalog, not
// even English, or cannot be rendered: never the raw id. The catalog tests
// keep it from happening.
const Missing = "…"

// Catalog is every language's messages.
type Catalog struct {
	langs    []Lang
	messages map[Lang]map[string]Message
	locs     map[Lang]*Localizer
}

// Message is one catalog entry as a translator wrote it: its text by CLDR
// plural category ("one", "few", "many", "other"); a message without
// plurals has "other" alone.
type Message struct {
	ID    string
	Forms map[string]string
}

// Load reads the embedded catalogs.
func Load() (*Catalog, error) { return loadEmbedded() }

// loadEmbedded parses the embedded catalogs once: they cannot change while
// the program runs, and parsing them costs milliseconds.
var loadEmbedded = sync.OnceValues(func() (*Catalog, error) { return LoadFS(locales.Files) })

// LoadFS reads the catalogs *.toml at the root of fsys; en.toml must be one.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	bundle := goi18n.NewBundle(language.English)
	bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	c := &Catalog{langs: langsIn(fsys), messages: map[Lang]map[string]Message{}, locs: map[Lang]*Localizer{}}
	for _, l := range c.langs {
		name := string(l) + ".toml"
		buf, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		file, err := bundle.ParseMessageFileBytes(buf, path.Join("locales", name))
		if err != nil {
			return nil, fmt.Errorf("catalog %s: %w", name, err)
		}
		msgs := map[string]Message{}
		for _, m := range file.Messages {
			msg := Message{ID: m.ID, Forms: forms(m)}
			// go-i18n parses a template when it is first used: a typo in a
			// translation is found here instead, by every test and at start.
			if _, err := msg.Placeholders(); err != nil {
				return nil, fmt.Errorf("catalog %s: %w", name, err)
			}
			msgs[m.ID] = msg
		}
		c.messages[l] = msgs
	}
	for _, l := range c.langs {
		c.locs[l] = &Localizer{lang: l, loc: goi18n.NewLocalizer(bundle, string(l)), own: c.messages[l],
			tag: language.Make(string(l)), compiled: compileAll(c.messages[l])}
	}
	en := c.locs[English]
	for _, l := range c.locs {
		l.en = en.loc
		if l != en {
			l.english = en
		}
	}
	return c, nil
}

func forms(m *goi18n.Message) map[string]string {
	out := map[string]string{}
	for form, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			out[form] = text
		}
	}
	return out
}

// Langs lists the catalog's languages, English first.
func (c *Catalog) Langs() []Lang { return slices.Clone(c.langs) }

// Messages returns a language's own messages by id (no English fallback).
func (c *Catalog) Messages(l Lang) map[string]Message { return maps.Clone(c.messages[l]) }

// Localizer returns the words of l; of English when the catalog has no l.
func (c *Catalog) Localizer(l Lang) *Localizer {
	if loc, ok := c.locs[l]; ok {
		return loc
	}
	return c.locs[English]
}

// Localizer speaks one language, falling back to English message by
// message. Safe for concurrent use.
type Localizer struct {
	lang    Lang
	loc, en *goi18n.Localizer
	own     map[string]Message
	// The plain messages, ready to render without go-i18n (see fast.go),
	// by id and plural form; the language's tag picks the form.
	compiled map[string]map[string]compiled
	tag      language.Tag
	english  *Localizer // nil for English itself
}

// parser renders placeholders strictly: an argument the caller forgot is an
// error (and then the English text, or Missing), never "<no value>".
var parser = &template.TextParser{Option: "missingkey=error"}

// Lang is the language the Localizer speaks.
func (l *Localizer) Lang() Lang { return l.lang }

// T renders message id with its placeholders ({{.Name}}) from args.
func (l *Localizer) T(id string, data map[string]any) string {
	if s, ok := l.fast(id, args{m: data}, 0, false); ok {
		return s
	}
	return l.render(id, nil, data)
}

// Say is T with the arguments as name, value pairs:
// Say("round.title", "Number", 2, "Track", title). A reply renders dozens
// of messages, and pairs spare each a map.
func (l *Localizer) Say(id string, kv ...any) string {
	a := args{kv: kv}
	if s, ok := l.fast(id, a, 0, false); ok {
		return s
	}
	return l.render(id, nil, a.asMap())
}

// SayN is N with the arguments as name, value pairs.
func (l *Localizer) SayN(id string, count int, kv ...any) string {
	a := args{kv: kv}
	if s, ok := l.fast(id, a, count, true); ok {
		return s
	}
	return l.N(id, count, a.asMap())
}

// N renders the plural form of message id that count takes in this
// language (1 раунд, 2 раунди, 5 раундів); the message's {{.Count}} is count.
func (l *Localizer) N(id string, count int, given map[string]any) string {
	if s, ok := l.fast(id, args{m: given}, count, true); ok {
		return s
	}
	data := make(map[string]any, len(given)+1)
	maps.Copy(data, given)
	data["Count"] = count
	return l.render(id, count, data)
}

func (l *Localizer) render(id string, count any, args map[string]any) string {
	if args == nil {
		args = map[string]any{}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: id, TemplateData: args, PluralCount: count, TemplateParser: parser}
	s, err := l.loc.Localize(cfg)
	var notHere *goi18n.MessageNotFoundErr
	switch {
	case err == nil:
		return s
	case errors.As(err, &notHere) && s != "":
		return s // go-i18n rendered the English text
	}
	// A translation that cannot be rendered (a placeholder the arguments
	// lack) still has its English original.
	if s, err := l.en.Localize(cfg); err == nil {
		return s
	}
	return Missing
}

// Lookup returns message id's own text in this language (its "other"
// form, placeholders as written), and false when this catalog lacks it:
// for places where English is already the default, such as command names.
func (l *Localizer) Lookup(id string) (string, bool) {
	m, ok := l.own[id]
	if !ok || m.Forms["other"] == "" {
		return "", false
	}
	return m.Forms["other"], true
}

// PluralForms lists the CLDR plural categories l uses for whole numbers,
// and "other", which every language has: what a plural message must give.
func PluralForms(l Lang) []string {
	probe := &goi18n.Message{ID: "probe", Zero: "zero", One: "one", Two: "two", Few: "few", Many: "many", Other: "other"}
	bundle := goi18n.NewBundle(language.English)
	// The rules are the bundle language's, so the probe joins it as l.
	if err := bundle.AddMessages(language.Make(string(l)), probe); err != nil {
		return []string{"other"}
	}
	loc := goi18n.NewLocalizer(bundle, string(l))
	seen := map[string]bool{"other": true}
	for n := range 1000 {
		form, err := loc.Localize(&goi18n.LocalizeConfig{MessageID: probe.ID, PluralCount: n})
		if err == nil {
			seen[form] = true
		}
	}
	var out []string
	for _, f := range []string{"zero", "one", "two", "few", "many", "other"} {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}
