package dataset

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"talkbot/store"
)

// object is a YAML mapping whose keys were checked against the keys its
// kind of entry allows.
type object struct {
	node *yaml.Node
	keys []string
	vals []*yaml.Node // vals[i] is the value of keys[i], nil when absent
}

func (o *object) get(key string) *yaml.Node {
	for i, k := range o.keys {
		if k == key {
			return o.vals[i]
		}
	}
	panic("dataset: unknown key " + key) // a bug in this package, not in the input
}

// object checks that n is a mapping of known keys, each at most once. It
// returns nil when n is no mapping at all.
func (d *decoder) object(n *yaml.Node, what string, keys []string) *object {
	if !d.kind(n, yaml.MappingNode, what) {
		return nil
	}
	o := &object{node: n, keys: keys, vals: make([]*yaml.Node, len(keys))}
	var keyNodes, unknown []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind != yaml.ScalarNode {
			d.errorf(k, "a key must be a plain name such as %s, not %s", keys[0], kindName(k))
			continue
		}
		idx := slices.Index(keys, k.Value)
		if idx < 0 {
			unknown = append(unknown, k)
			continue
		}
		if o.vals[idx] != nil {
			d.errorf(k, "duplicate key %q (first at line %d): keep one", k.Value, keyNodes[idx].Line)
			continue
		}
		if keyNodes == nil {
			keyNodes = make([]*yaml.Node, len(keys))
		}
		o.vals[idx], keyNodes[idx] = n.Content[i+1], k
	}
	// Suggest only once every key is known: a typo most likely stands for
	// a key the mapping lacks ("stauts" is "status", not "starts").
	for _, k := range unknown {
		d.errorf(k, "unknown key %q %s", k.Value, suggestKey(k.Value, keys, o.vals))
	}
	return o
}

// kind checks that n is of the wanted kind; what names the expected value
// in the error ("a round", "the agenda").
func (d *decoder) kind(n *yaml.Node, want yaml.Kind, what string) bool {
	if n.Kind == yaml.AliasNode {
		d.errorf(n, "aliases such as *%s are not supported: write the value out in full", n.Value)
		return false
	}
	if n.Kind == want {
		return true
	}
	switch want {
	case yaml.MappingNode:
		d.errorf(n, "expected %s as \"key: value\" lines, found %s", what, kindName(n))
	case yaml.SequenceNode:
		d.errorf(n, "expected %s as a list (\"- item\" lines or [a, b]), found %s", what, kindName(n))
	default:
		d.errorf(n, "expected %s as a single value, found %s", what, kindName(n))
	}
	return false
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	}
	if isNull(n) {
		return "nothing"
	}
	return "text"
}

// isNull reports whether n is an empty value, ~ or null, all of which mean
// "not given".
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

// text reads a single value as written. Whatever type YAML would give it
// (a number, a date), the raw text is what counts. It returns the value
// node, nil when the key is absent.
func (d *decoder) text(o *object, key string, required bool) (string, *yaml.Node) {
	n := o.get(key)
	if n == nil {
		if required {
			d.errorf(o.node, "missing required field %q", key)
		}
		return "", nil
	}
	if !d.kind(n, yaml.ScalarNode, quote(key)) {
		return "", nil
	}
	if isNull(n) {
		if required {
			d.errorf(n, "missing value for required field %q", key)
		}
		return "", nil
	}
	if required && strings.TrimSpace(n.Value) == "" {
		d.errorf(n, "missing value for required field %q", key)
		return "", nil
	}
	return n.Value, n
}

func quote(key string) string { return strconv.Quote(key) }

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// slug reads an id or topic. A bad one is reported but still returned, so
// that references to it do not each report an error of their own.
func (d *decoder) slug(o *object, key string, required bool) (string, *yaml.Node) {
	s, n := d.text(o, key, required)
	if n != nil && !slugPattern.MatchString(s) {
		d.errorf(n, "bad %s %q: use lowercase letters, digits and single hyphens%s", key, s, slugExample(s))
	}
	return s, n
}

// slugExample suggests the slug a curator most likely meant.
func slugExample(s string) string {
	slug := Slug(s)
	if slug == "" {
		return ", e.g. \"russia\""
	}
	return ", e.g. " + strconv.Quote(slug)
}

// Slug makes an id out of free text: "Reuters World!" -> "reuters-world";
// "" when the text has no Latin letter or digit.
func Slug(s string) string {
	var b strings.Builder
	hyphen := false
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
		default:
			hyphen = true
		}
	}
	return b.String()
}

func (d *decoder) date(o *object, key string, required bool) store.Date {
	s, n := d.text(o, key, required)
	if n == nil {
		return store.Date{}
	}
	date, err := store.ParseDate(s)
	if err != nil {
		if why := impossibleDay(s); why != "" {
			d.errorf(n, "bad date %q: %s", s, why)
		} else {
			d.errorf(n, "bad date %q: use YYYY-MM-DD", s)
		}
	}
	return date
}

// impossibleDay says why s, which starts with the shape YYYY-MM-DD, names
// no day of the calendar ("February 2025 has 28 days"); "" when s does not
// start with that shape or its day exists.
func impossibleDay(s string) string {
	if len(s) < 10 || !shaped(s[:10], "0000-00-00") {
		return ""
	}
	year, _ := strconv.Atoi(s[:4])
	month, _ := strconv.Atoi(s[5:7])
	day, _ := strconv.Atoi(s[8:10])
	switch {
	case month < 1 || month > 12:
		return fmt.Sprintf("there is no month %d, months run from 01 to 12", month)
	case day < 1:
		return "days run from 01"
	}
	// Day 0 of the next month is the last day of this one.
	days := time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
	if day > days {
		return fmt.Sprintf("%s %d has %d days", time.Month(month), year, days)
	}
	return ""
}

// items returns the entries of a list; an absent or empty value is an
// empty list.
func (d *decoder) items(o *object, key string) []*yaml.Node {
	n := o.get(key)
	if n == nil || isNull(n) {
		return nil
	}
	if !d.kind(n, yaml.SequenceNode, quote(key)) {
		return nil
	}
	return n.Content
}

// texts reads a list of text entries such as the agenda.
func (d *decoder) texts(o *object, key string) []string {
	var out []string
	for _, n := range d.items(o, key) {
		if !d.kind(n, yaml.ScalarNode, "each entry of "+quote(key)) {
			continue
		}
		if isNull(n) || strings.TrimSpace(n.Value) == "" {
			d.errorf(n, "empty entry in %q: write the text or remove the line", key)
			continue
		}
		out = append(out, n.Value)
	}
	return out
}
