package commands

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// Discord's message limits (see shared/DISCORD.md). Lengths are counted in
// UTF-16 code units, which is never less than what Discord counts.
const (
	maxContent     = 2000
	maxTitle       = 256
	maxDescription = 4096
	maxFields      = 25
	maxFieldName   = 256
	maxFieldValue  = 1024
	maxFooter      = 2048
	maxEmbedsTotal = 6000
	maxChoices     = 25
	maxChoiceName  = 100
)

// embedColor is talkbot's accent.
const embedColor = 0x2F6FEB

func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
		if r == utf8.RuneError {
			n++ // counted generously
		}
	}
	return n
}

// truncate cuts s to at most max units, ending in an ellipsis and, when
// given, a pointer to where the rest can be read.
func truncate(s string, max int, more string) string {
	if textLen(s) <= max {
		return s
	}
	tail := "…"
	if more != "" {
		tail = "… " + more
	}
	budget := max - textLen(tail)
	if budget < 0 {
		return cutUnits(tail, max)
	}
	return strings.TrimRight(cutUnits(s, budget), " \n") + tail
}

// cutUnits returns the longest prefix of s of at most max units.
func cutUnits(s string, max int) string {
	n := 0
	for i, r := range s {
		n += utf16.RuneLen(r)
		if n > max {
			return s[:i]
		}
	}
	return s
}

// embed builds an embed that Discord will accept: every part is cut to its
// limit, and the whole to the message limit, pointing at more.
type embed struct {
	e    *discordgo.MessageEmbed
	more string // where to read what was cut, e.g. "(/talks round number:2)"
	// moreName heads the last field when more fields than fit were given:
	// "More" in English, the reader's word through words.embed.
	moreName string
}

func newEmbed(title, more string) *embed {
	return &embed{e: &discordgo.MessageEmbed{Title: truncate(title, maxTitle, ""), Color: embedColor}, more: more, moreName: "More"}
}

func (b *embed) description(s string) *embed {
	b.e.Description = truncate(s, maxDescription, b.more)
	return b
}

// field adds a field; empty values are skipped, and past 25 fields the
// last one says there is more.
func (b *embed) field(name, value string, inline bool) *embed {
	if strings.TrimSpace(value) == "" {
		return b
	}
	if len(b.e.Fields) == maxFields {
		return b
	}
	if len(b.e.Fields) == maxFields-1 {
		name, value, inline = b.moreName, "…"+strings.TrimPrefix(" "+b.more, " "), false
		if b.more == "" {
			value = "…"
		}
	}
	b.e.Fields = append(b.e.Fields, &discordgo.MessageEmbedField{
		Name:   truncate(name, maxFieldName, ""),
		Value:  truncate(value, maxFieldValue, b.more),
		Inline: inline,
	})
	return b
}

func (b *embed) footer(s string) *embed {
	b.e.Footer = &discordgo.MessageEmbedFooter{Text: truncate(s, maxFooter, "")}
	return b
}

// build returns the embed cut to fit within total units.
func (b *embed) build(total int) *discordgo.MessageEmbed {
	e := b.e
	for embedLen(e) > total && len(e.Fields) > 0 {
		last := e.Fields[len(e.Fields)-1]
		if last.Name == b.moreName {
			e.Fields = e.Fields[:len(e.Fields)-1]
			continue
		}
		e.Fields[len(e.Fields)-1] = &discordgo.MessageEmbedField{Name: b.moreName, Value: "…" + strings.TrimPrefix(" "+b.more, " ")}
	}
	if over := embedLen(e) - total; over > 0 {
		e.Description = truncate(e.Description, max(textLen(e.Description)-over, 0), b.more)
	}
	return e
}

// embedLen counts what Discord counts towards the 6,000-character limit.
func embedLen(e *discordgo.MessageEmbed) int {
	n := textLen(e.Title) + textLen(e.Description)
	for _, f := range e.Fields {
		n += textLen(f.Name) + textLen(f.Value)
	}
	if e.Footer != nil {
		n += textLen(e.Footer.Text)
	}
	if e.Author != nil {
		n += textLen(e.Author.Name)
	}
	return n
}

// reply wraps embeds, splitting the 6,000-unit budget between them.
func embedsReply(bs ...*embed) Reply {
	var r Reply
	for _, b := range bs {
		r.Embeds = append(r.Embeds, b.build(maxEmbedsTotal/len(bs)))
	}
	return r
}

// --- formatting of facts ---

// formatDate, formatWhen, shortWhen and cite write in English, for the
// texts that do not know their reader's language (see words for those
// that do).

func formatDate(d store.Date, weekday bool) string { return english().date(d, weekday) }

func formatWhen(w store.When, pending bool) string { return english().when(w, pending) }

func shortWhen(w store.When, pending bool) string { return english().shortWhen(w, pending) }

func bullets(items []string) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString("• ")
		b.WriteString(it)
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

func cite(srcs []store.Source) string { return english().cite(srcs) }

// shortCite is the publisher list used beside each item in a list.
func shortCite(srcs []store.Source) string {
	var parts []string
	for _, s := range srcs {
		label := escapeLinkText(s.Publisher)
		if s.URL != "" {
			label = "[" + label + "](" + s.URL + ")"
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, ", ")
}

func escapeLinkText(s string) string {
	return strings.NewReplacer("[", "(", "]", ")").Replace(s)
}

// quote renders text as a Discord block quote.
func quote(s string) string {
	return "> " + strings.ReplaceAll(strings.TrimSpace(s), "\n", "\n> ")
}

// inert shows text someone else typed (an editor's name, a stored value)
// on one line, so that markdown in it does not format and @everyone does
// not even look like a ping.
func inert(s string) string {
	return markdownEscaper.Replace(strings.Join(strings.Fields(s), " "))
}
