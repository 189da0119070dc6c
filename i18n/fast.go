package i18n

import (
	"strconv"
	"strings"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
)

// A reply renders dozens of messages, and go-i18n's Localize costs
// microseconds each (it resolves the language, builds a template's data
// and executes it by reflection). Nearly every message is text with
// {{.Name}} placeholders, so those are split once, when the catalogs are
// loaded, into text and names, and rendered by joining; anything else a
// translator writes still goes through go-i18n.

// compiled is a message form of only text and {{.Name}} placeholders:
// parts alternate text, name, text, name, ..., text.
type compiled struct {
	parts []string
	size  int // a guess of the rendered length, to allocate once
}

// compile splits text into its parts, or reports that it holds more than
// plain placeholders.
func compile(text string) (compiled, bool) {
	var parts []string
	for {
		i := strings.Index(text, "{{")
		if i < 0 {
			parts = append(parts, text)
			size := 0
			for i, p := range parts {
				size += len(p)
				if i%2 == 1 {
					size += 24 // an argument: a number, a name, a title
				}
			}
			return compiled{parts: parts, size: size}, true
		}
		j := strings.Index(text[i:], "}}")
		if j < 0 {
			return compiled{}, false
		}
		name, ok := field(text[i+2 : i+j])
		if !ok {
			return compiled{}, false
		}
		parts = append(parts, text[:i], name)
		text = text[i+j+2:]
	}
}

// field is the name in a plain placeholder: ".Name", spaces around allowed.
func field(action string) (string, bool) {
	a := strings.TrimSpace(action)
	if len(a) < 2 || a[0] != '.' {
		return "", false
	}
	for i, r := range a[1:] {
		letter := r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !letter && (i == 0 || r < '0' || r > '9') {
			return "", false
		}
	}
	return a[1:], true
}

// args are a message's arguments: a map, or name, value pairs.
type args struct {
	m  map[string]any
	kv []any
}

func (a args) get(name string) (any, bool) {
	if a.m != nil {
		v, ok := a.m[name]
		return v, ok
	}
	for i := 0; i+1 < len(a.kv); i += 2 {
		if a.kv[i] == name {
			return a.kv[i+1], true
		}
	}
	return nil, false
}

// asMap is the arguments as go-i18n takes them.
func (a args) asMap() map[string]any {
	if a.m != nil || len(a.kv) == 0 {
		return a.m
	}
	m := make(map[string]any, len(a.kv)/2)
	for i := 0; i+1 < len(a.kv); i += 2 {
		if k, ok := a.kv[i].(string); ok {
			m[k] = a.kv[i+1]
		}
	}
	return m
}

// render fills in the placeholders from args, and count for {{.Count}}
// when counted; false when an argument is missing, as text/template's
// missingkey=error would say, or of a type go-i18n should print.
func (c compiled) render(args args, count int, counted bool) (string, bool) {
	if len(c.parts) == 1 {
		return c.parts[0], true
	}
	var b strings.Builder
	b.Grow(c.size)
	for i, p := range c.parts {
		if i%2 == 0 {
			b.WriteString(p)
			continue
		}
		if counted && p == "Count" {
			b.WriteString(strconv.Itoa(count))
			continue
		}
		v, ok := args.get(p)
		if !ok {
			return "", false
		}
		switch v := v.(type) {
		case string:
			b.WriteString(v)
		case int:
			b.WriteString(strconv.Itoa(v))
		case int64:
			b.WriteString(strconv.FormatInt(v, 10))
		default:
			return "", false // go-i18n prints the rest as fmt does
		}
	}
	return b.String(), true
}

// compileAll compiles every form that is plain placeholders; a message
// with any other form is left out, so that go-i18n renders all of it.
func compileAll(msgs map[string]Message) map[string]map[string]compiled {
	out := make(map[string]map[string]compiled, len(msgs))
	for id, m := range msgs {
		forms := make(map[string]compiled, len(m.Forms))
		for f, text := range m.Forms {
			c, ok := compile(text)
			if !ok {
				forms = nil
				break
			}
			forms[f] = c
		}
		if forms != nil {
			out[id] = forms
		}
	}
	return out
}

var formNames = map[plural.Form]string{
	plural.Other: "other", plural.Zero: "zero", plural.One: "one",
	plural.Two: "two", plural.Few: "few", plural.Many: "many",
}

// pluralForm is the CLDR category of a whole number n in lang.
func pluralForm(lang language.Tag, n int) string {
	if n < 0 {
		n = -n
	}
	return formNames[plural.Cardinal.MatchPlural(lang, n, 0, 0, 0, 0)]
}

// fast renders message id from this language's own catalog, else from
// English; false when neither has a plain form for it (go-i18n then
// renders it, and says why it cannot).
func (l *Localizer) fast(id string, args args, count int, counted bool) (string, bool) {
	for _, loc := range [...]*Localizer{l, l.english} {
		if loc == nil {
			continue
		}
		forms, ok := loc.compiled[id]
		if !ok {
			if _, own := loc.own[id]; own {
				return "", false // a form go-i18n must render
			}
			continue // not in this catalog: English's, if any
		}
		form := "other"
		if counted {
			form = pluralForm(loc.tag, count)
		}
		c, ok := forms[form]
		if !ok {
			c, ok = forms["other"]
		}
		if !ok {
			return "", false
		}
		if s, ok := c.render(args, count, counted); ok {
			return s, true
		}
		// A translation missing an argument falls back to English.
	}
	return "", false
}
