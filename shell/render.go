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

// Render writes a reply as plain text: Discord timestamps in loc, links as
// "text <url>", markdown emphasis dropped, buttons as "press" hints.
func Render(r commands.Reply, loc *time.Location, now time.Time) string {
	var b strings.Builder
	if r.Content != "" {
		b.WriteString(text(r.Content, loc, now) + "\n")
	}
	for _, e := range r.Embeds {
		if e.Title != "" {
			t := text(e.Title, loc, now)
			b.WriteString(t + "\n" + strings.Repeat("=", min(len([]rune(t)), 72)) + "\n")
		}
		if e.Description != "" {
			b.WriteString(text(e.Description, loc, now) + "\n")
		}
		for _, f := range e.Fields {
			b.WriteString("\n" + text(f.Name, loc, now) + ":\n")
			for _, line := range strings.Split(text(f.Value, loc, now), "\n") {
				b.WriteString("  " + line + "\n")
			}
		}
		if e.Footer != nil && e.Footer.Text != "" {
			b.WriteString("\n(" + text(e.Footer.Text, loc, now) + ")\n")
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

func text(s string, loc *time.Location, now time.Time) string {
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
			return t.Format("2 January 2006")
		case "f":
			return t.Format("2 January 2006 15:04 MST")
		case "F":
			return t.Format("Monday 2 January 2006 15:04 MST")
		}
		return relative(t, now)
	})
	s = link.ReplaceAllString(s, "$1 <$2>")
	s = mention.ReplaceAllStringFunc(s, func(m string) string {
		parts := mention.FindStringSubmatch(m)
		switch parts[1] {
		case "#":
			return "channel " + parts[2]
		case "@&":
			return "role " + parts[2]
		}
		return "user " + parts[2]
	})
	s = codeBlock.ReplaceAllString(s, "$1")
	s = code.ReplaceAllString(s, "$1")
	s = strings.NewReplacer("**", "", "__", "", "~~", "", "||", "").Replace(s)
	s = italic.ReplaceAllString(s, "$1")
	s = heading.ReplaceAllString(s, "")
	s = quoteLine.ReplaceAllString(s, "  ")
	return escaped.ReplaceAllString(s, "$1")
}

// relative is Discord's "in 3 days" / "2 hours ago".
func relative(t, now time.Time) string {
	d := t.Sub(now)
	future := d >= 0
	if !future {
		d = -d
	}
	var s string
	switch {
	case d < time.Minute:
		s = "a few seconds"
	case d < time.Hour:
		s = plural(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		s = plural(int(d/time.Hour), "hour")
	case d < 30*24*time.Hour:
		s = plural(int(d/(24*time.Hour)), "day")
	case d < 365*24*time.Hour:
		s = plural(int(d/(30*24*time.Hour)), "month")
	default:
		s = plural(int(d/(365*24*time.Hour)), "year")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
