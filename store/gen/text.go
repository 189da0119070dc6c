package gen

import (
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// skewed picks from s with early entries far likelier than late ones
// (density falling off like 1/sqrt(x)), a cheap stand-in for the skew of
// real word frequencies.
func skewed[T any](r *rand.Rand, s []T) T {
	u := r.Float64()
	return s[int(u*u*float64(len(s)))]
}

// text is n sentences; now and then one is an awkward string instead.
func (g *generator) text(n int) string {
	if g.r.IntN(100) < 2 {
		return pick(g.r, awkward)
	}
	var b strings.Builder
	for k := range n {
		if k > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(g.sentence())
	}
	return b.String()
}

// sentence is one statement-like sentence built from the vocabulary.
func (g *generator) sentence() string {
	var b strings.Builder
	switch g.r.IntN(4) {
	case 0:
		b.WriteString(g.t.Parties[g.someParty()].Name)
	case 1:
		p := g.t.People[g.r.IntN(len(g.t.People))].Name
		b.WriteString(p[strings.LastIndexByte(p, ' ')+1:])
	default:
		b.WriteString(skewed(g.r, subjectsGeneric))
	}
	b.WriteByte(' ')
	b.WriteString(skewed(g.r, verbs))
	b.WriteByte(' ')
	b.WriteString(g.nounPhrase())
	if g.r.IntN(3) > 0 {
		b.WriteByte(' ')
		b.WriteString(skewed(g.r, phrases))
	}
	switch g.r.IntN(8) {
	case 0:
		b.WriteString(", citing ")
		b.WriteString(pick(g.r, rare))
	case 1:
		b.WriteString(" and ")
		b.WriteString(skewed(g.r, verbs))
		b.WriteByte(' ')
		b.WriteString(g.nounPhrase())
	}
	b.WriteByte('.')
	return b.String()
}

// nounPhrase is "[the] [adjective] noun [on noun]", without a capital.
func (g *generator) nounPhrase() string {
	var b strings.Builder
	b.WriteString([]string{"the ", "the ", "", "", "its ", "their ", "further "}[g.r.IntN(7)])
	if g.r.IntN(3) > 0 {
		b.WriteString(skewed(g.r, adjectives))
		b.WriteByte(' ')
	}
	b.WriteString(skewed(g.r, nouns))
	if g.r.IntN(4) == 0 {
		b.WriteString(" on ")
		b.WriteString(skewed(g.r, nouns))
	}
	return b.String()
}

// item is an agenda line: a capitalised noun phrase, or an awkward string.
func (g *generator) item() string {
	if g.r.IntN(100) < 2 {
		return pick(g.r, awkward)
	}
	s := g.nounPhrase()
	for _, det := range []string{"the ", "its ", "their ", "further "} {
		s = strings.TrimPrefix(s, det)
	}
	return capitalise(s)
}

// headline is a source title, sometimes with a colon or “quotes”.
func (g *generator) headline() string {
	if g.r.IntN(100) < 2 {
		return pick(g.r, awkward)
	}
	s := strings.TrimSuffix(g.sentence(), ".")
	switch g.r.IntN(6) {
	case 0:
		return pick(g.r, rare) + ": " + s
	case 1:
		return "“" + s + "”"
	}
	return s
}

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}
