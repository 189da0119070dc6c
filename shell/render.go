package shell

import (
	"cmp"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/i18n"
)

var (
	timestamp = regexp.MustCompile(`<t:(-?\d+)(?::([tTdDfFR]))?>`)
	link      = regexp.MustCompile(`\[([^\]]*)\]\((https?://[^)\s]+)\)`)
	// mention is a channel, role or user: <#id>, <@&id>, <@id>, <@!id>.
	mention = regexp.MustCompile(`<(#|@&|@!?)(\d+)>`)
	// codeBlock and code are ```text``` (with an optional language) and
	// `text`; the shell prints their text as is.
	codeBlock = regexp.MustCompile("(?s)```(?:[a-z]+\n)?(.*?)```")
	code      = regexp.MustCompile("`([^`\n]+)`")
	// italic is *text*, not a lone asterisk as in a cron schedule ("0 9 * * 1").
	italic = regexp.MustCompile(`\*([^*\s](?:[^*\n]*[^*\s])?)\*`)
	// heading and subtext are Discord's "# ", "## ", "### " and "-# " at a
	// line's start; quoteLine is "> ".
	heading   = regexp.MustCompile(`(?m)^(?:#{1,3}|-#) `)
	quoteLine = regexp.MustCompile(`(?m)^>>?>? ?`)
	escaped   = regexp.MustCompile(`\\([*_~|` + "`" + `>#\[\]()\\-])`)
)

// render is Render in the shell's language, timezone and time.
func (s *Shell) render(r commands.Reply) string { return Render(r, s.w, s.loc, s.now()) }

// text is text in the shell's language, timezone and time.
func (s *Shell) text(msg string) string { return text(msg, s.w, s.loc, s.now()) }

// Render writes a reply as plain text: Discord timestamps in loc, written
// in w's language as Discord would show them, links as "text <url>",
// markdown emphasis dropped, buttons as "press" hints.
func Render(r commands.Reply, w *i18n.Localizer, loc *time.Location, now time.Time) string {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(text(r.Content, w, loc, now) + "\n")
	}
	for _, e := range r.Embeds {
		if e.Title != "" {
			t := text(e.Title, w, loc, now)
			b.WriteString(t + "\n" + strings.Repeat("=", min(len([]rune(t)), 72)) + "\n")
		}
		if e.Description != "" {
			b.WriteString(text(e.Description, w, loc, now) + "\n")
		}
		for _, f := range e.Fields {
			b.WriteString("\n" + text(f.Name, w, loc, now) + ":\n")
			for _, line := range strings.Split(text(f.Value, w, loc, now), "\n") {
				b.WriteString("  " + line + "\n")
			}
		}
		if e.Footer != nil && e.Footer.Text != "" {
			b.WriteString("\n(" + text(e.Footer.Text, w, loc, now) + ")\n")
		}
	}
	for _, row := range r.Components {
		ar, ok := row.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range ar.Components {
			if btn, ok := c.(discordgo.Button); ok && !btn.Disabled {
				fmt.Fprintf(&b, "[%s: press %s]\n", btn.Label, btn.CustomID)
			}
		}
	}
	for _, c := range r.Choices {
		fmt.Fprintf(&b, "- %s (%v)\n", c.Name, c.Value)
	}
	return b.String()
}

func text(s string, w *i18n.Localizer, loc *time.Location, now time.Time) string {
	s = timestamp.ReplaceAllStringFunc(s, func(m string) string {
		parts := timestamp.FindStringSubmatch(m)
		unix, err := strconv.ParseInt(parts[1], 10, 64)
		if err != nil {
			return m
		}
		t := time.Unix(unix, 0).In(loc)
		switch cmp.Or(parts[2], "f") {
		case "t":
			return t.Format("15:04")
		case "T":
			return t.Format("15:04:05")
		case "d":
			return t.Format("2006-01-02")
		case "D":
			return date(w, t, false)
		case "f":
			return date(w, t, false) + t.Format(" 15:04 MST")
		case "F":
			return date(w, t, true) + t.Format(" 15:04 MST")
		}
		return relative(w, t, now)
	})
	s = link.ReplaceAllString(s, "$1 <$2>")
	s = mention.ReplaceAllStringFunc(s, func(m string) string {
		parts := mention.FindStringSubmatch(m)
		switch parts[1] {
		case "#":
			return w.Say("shell.mention.channel", "ID", parts[2])
		case "@&":
			return w.Say("shell.mention.role", "ID", parts[2])
		}
		return w.Say("shell.mention.user", "ID", parts[2])
	})
	s = codeBlock.ReplaceAllString(s, "$1")
	s = code.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "~~", "", "||", "").Replace(s)
	s = italic.ReplaceAllString(s, "$1")
	s = heading.ReplaceAllString(s, "")
	s = quoteLine.ReplaceAllString(s, "  ")
	return escaped.ReplaceAllString(s, "$1")
}

// date is t's calendar date in w's language: "2 June 2025", "2 червня
// 2025", with the weekday when asked.
func date(w *i18n.Localizer, t time.Time, weekday bool) string {
	month := w.Say("date.month." + strconv.Itoa(int(t.Month())))
	if !weekday {
		return w.Say("date.day", "Day", t.Day(), "Month", month, "Year", t.Year())
	}
	return w.Say("date.weekday_day", "Weekday", w.Say("date.weekday."+strconv.Itoa(int(t.Weekday()))), "Day", t.Day(), "Month", month, "Year", t.Year())
}

// relative is Discord's "in 3 days" / "2 hours ago", in w's language.
func relative(w *i18n.Localizer, t, now time.Time) string {
	d := t.Sub(now)
	future := d >= 0
	if !future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		s = w.Say("shell.relative.seconds")
	case d < time.Hour:
		s = w.SayN("shell.relative.minute", int(d/time.Minute))
	case d < 24*time.Hour:
		s = w.SayN("shell.relative.hour", int(d/time.Hour))
	case d < 30*24*time.Hour:
		s = w.SayN("shell.relative.day", int(d/(24*time.Hour)))
	case d < 365*24*time.Hour:
		s = w.SayN("shell.relative.month", int(d/(30*24*time.Hour)))
	default:
		s = w.SayN("shell.relative.year", int(d/(365*24*time.Hour)))
	}
	if future {
		return w.Say("shell.relative.future", "Span", s)
	}
	return w.Say("shell.relative.past", "Span", s)
}
