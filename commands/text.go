package commands

import (
	"fmt"
	"strings"

	"talkbot/i18n"
)

// maxIDLength is the longest track, side, speaker or topic a user may type:
// ids and names are far shorter, and Discord enforces it as max_length.
const maxIDLength = 100

// maxEcho is how much of what a user typed a reply repeats; the rest of a
// reply (what would work instead) matters more than a long echo.
const maxEcho = 100

// echo shows what a user typed, as typed, inside quotes: "Sergey Lavrov",
// not Go's "\"Sergey Lavrov\"". Discord markdown in it is escaped so that
// a typed backtick or asterisk cannot change the reply's formatting, and
// @everyone and @here are broken with a zero-width space (replies never
// ping, but they should not look like a ping either). Long input is cut.
func echo(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = truncate(s, maxEcho, "")
	s = markdownEscaper.Replace(s)
	return `"` + s + `"`
}

// echoCode shows typed code, such as a cron expression, as typed in a
// code span, where markdown does nothing; input that holds a backtick,
// which would end the span, is shown as echo does.
func echoCode(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" || strings.Contains(s, "`") {
		return echo(s)
	}
	return "`" + truncate(s, maxEcho, "") + "`"
}

var markdownEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "~", `\~`, "|", `\|`,
	"<", `\<`, "[", `\[`, "]", `\]`,
	"@everyone", "@\u200beveryone", "@here", "@\u200bhere",
)

// plural is "1 statement" or "3 statements": a count with its noun (every
// noun counted here takes an s).
func plural(n int, one string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %ss", n, one)
}

// tooLong refuses an option typed longer than its max_length (Discord
// enforces it; the shell and hand-made requests do not), before a parser
// repeats all of it in its own error.
// optionRef is an option a refusal names: English keeps its own wording
// ("reminders option"), other languages read the option's name as
// Discord shows it to them.
type optionRef struct{ path, name, english string }

func (o optionRef) in(w words) string {
	if w.lang() == i18n.English {
		return o.english
	}
	return w.option(o.path, o.name)
}

func tooLong(option optionRef, typed string, limit int, example string) error {
	if n := textLen(typed); n > limit {
		return sayError("error.too_long", "Option", option, "Length", sayN("count.characters", n), "Max", limit, "Example", example)
	}
	return nil
}
