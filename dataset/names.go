package dataset

import (
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"talkbot/store"
)

// nameLangs are the languages a display name may be given in (names:,
// venue_names:), in the order Write puts them: the languages talkbot
// speaks. English is among them for data whose original is in another
// language (a venue written in Turkish).
var nameLangs = []string{"en", "uk", "ru", "tr"}

// names reads a mapping of language to display name, such as a party's
// names: {uk: Україна, ru: Украина, tr: Ukrayna}; nil when absent.
func (d *decoder) names(o *object, key string) store.Names {
	n := o.get(key)
	if n == nil || isNull(n) || !d.kind(n, yaml.MappingNode, quote(key)) {
		return nil
	}
	out := store.Names{}
	lines := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || !slices.Contains(nameLangs, k.Value) {
			d.errorf(k, "unknown language %q in %s: use %s", k.Value, key, strings.Join(nameLangs, ", "))
			continue
		}
		if line, dup := lines[k.Value]; dup {
			d.errorf(k, "duplicate language %q in %s (first at line %d): keep one", k.Value, key, line)
			continue
		}
		lines[k.Value] = k.Line
		if v.Kind != yaml.ScalarNode || isNull(v) || strings.TrimSpace(v.Value) == "" {
			d.errorf(v, "missing name in %s for %q: write the name, or leave the language out", key, k.Value)
			continue
		}
		out[k.Value] = v.Value
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var isoCode = regexp.MustCompile(`^[a-z]{2,3}$`)

// language reads a statement's language: an ISO 639 code such as "uk".
func (d *decoder) language(o *object, key string) string {
	s, n := d.text(o, key, false)
	if n == nil {
		return ""
	}
	if _, err := language.ParseBase(s); err != nil || !isoCode.MatchString(s) {
		d.errorf(n, "unknown language %q: use the language's ISO 639 code in lower case, e.g. uk, ru, tr or en, or leave language out when unknown", s)
		return ""
	}
	return s
}

// names writes key: and one line a language, in the order of nameLangs.
func (e *emitter) names(key string, n store.Names) {
	if len(n) == 0 {
		return
	}
	e.key(key)
	e.w.WriteByte('\n')
	outer := e.ind
	e.ind = outer + 2
	for _, l := range nameLangs {
		e.text(l, n[l])
	}
	e.ind = outer
}
