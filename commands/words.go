package commands

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"

	"talkbot/i18n"
	"talkbot/store"
)

// words is the reader's language, looked up once a request (see
// Commands.words) and passed down to every renderer: handlers and
// renderers name a message of locales/*.toml and its arguments.
type words struct {
	l *i18n.Localizer
}

// wordsIn returns the words of lang. The catalogs are parsed once (i18n.Load);
// without them (a broken build, which the catalog tests catch) every
// message reads i18n.Missing rather than panicking.
func wordsIn(lang i18n.Lang) words {
	cat, err := i18n.Load()
	if err != nil {
		return words{}
	}
	return words{l: cat.Localizer(lang)}
}

// english is the words of the posts and shared texts that do not know
// their reader yet (channel posts, the edit history shown to editors).
func english() words { return wordsIn(i18n.English) }

// words returns the language of the request's reader: Discord's locale
// when talkbot speaks it, else English ("pt-BR" reads English).
func (c *Commands) words(req Request) words {
	if lang, ok := c.locales[req.Locale]; ok {
		return wordsIn(lang)
	}
	return wordsIn(req.Lang())
}

// discordLangs maps each of Discord's locales to the language its readers
// get, matched once rather than once a request.
func discordLangs() map[string]i18n.Lang {
	out := make(map[string]i18n.Lang, len(discordgo.Locales)+1)
	out[""] = i18n.English
	for loc := range discordgo.Locales {
		out[string(loc)] = i18n.Match(string(loc))
	}
	return out
}

// Lang is the language the reply to r is written in: r.Locale when talkbot
// speaks it, else English.
func (r Request) Lang() i18n.Lang {
	if r.Locale == "" {
		return i18n.English
	}
	return i18n.Match(r.Locale)
}

func (w words) lang() i18n.Lang {
	if w.l == nil {
		return i18n.English
	}
	return w.l.Lang()
}

// t renders message id with arguments given as name, value pairs.
func (w words) t(id string, kv ...any) string {
	if w.l == nil {
		return i18n.Missing
	}
	return w.l.Say(id, kv...)
}

// n renders the plural form of message id for count ({{.Count}}).
func (w words) n(id string, count int, kv ...any) string {
	if w.l == nil {
		return i18n.Missing
	}
	return w.l.SayN(id, count, kv...)
}

// lookup is message id in the reader's language, else English, else
// false: for words that may be missing on purpose (a data field's name).
func (w words) lookup(id string) (string, bool) {
	if w.l == nil {
		return "", false
	}
	if s, ok := w.l.Lookup(id); ok {
		return s, true
	}
	if w.l.Lang() != i18n.English {
		return english().lookup(id)
	}
	return "", false
}

// capital upper-cases the first letter by the language's rules (Turkish
// "iptal" is "İptal").
func (w words) capital(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return cases.Upper(language.Make(string(w.lang()))).String(string(r)) + s[size:]
}

// command is a slash command as the reader sees it in Discord, with
// localised command and option names: "/talks round number:2" is
// "/переговори раунд номер:2" to a Ukrainian reader. path is
// "talks/round"; each option is "name:value".
func (w words) command(path string, opts ...string) string {
	parts := strings.Split(path, "/")
	var b strings.Builder
	key := ""
	for i, p := range parts {
		key = "cmd." + strings.Join(parts[:i+1], ".")
		name, ok := w.lookup(key + ".name")
		if !ok {
			name = p
		}
		if i == 0 {
			b.WriteByte('/')
		} else {
			b.WriteByte(' ')
		}
		b.WriteString(name)
	}
	for _, o := range opts {
		k, v, _ := strings.Cut(o, ":")
		name, ok := w.lookup(key + ".option." + k + ".name")
		if !ok {
			name = k
		}
		b.WriteString(" " + name + ":" + v)
	}
	return b.String()
}

// --- dates and times ---

// date is how talkbot writes a calendar date in the reader's language:
// "Monday 2 June 2025", "2 червня 2025, понеділок", "2 Haziran 2025 Pazartesi".
func (w words) date(d store.Date, weekday bool) string {
	t := d.In(time.UTC)
	month := w.t(monthIDs[t.Month()-1])
	if !weekday {
		return w.t("date.day", "Day", t.Day(), "Month", month, "Year", t.Year())
	}
	return w.t("date.weekday_day", "Weekday", w.t(weekdayIDs[t.Weekday()]), "Day", t.Day(), "Month", month, "Year", t.Year())
}

// The ids of the months and weekdays, by time.Month-1 and time.Weekday.
var (
	monthIDs = [12]string{"date.month.1", "date.month.2", "date.month.3", "date.month.4", "date.month.5", "date.month.6",
		"date.month.7", "date.month.8", "date.month.9", "date.month.10", "date.month.11", "date.month.12"}
	weekdayIDs = [7]string{"date.weekday.0", "date.weekday.1", "date.weekday.2", "date.weekday.3", "date.weekday.4", "date.weekday.5", "date.weekday.6"}
)

// zone names a timezone for a date with no announced time: "Istanbul time".
// The zones of the talks have their own words; any other is named by its
// city as the tz database spells it.
func (w words) zone(zone string) string {
	if s, ok := w.lookup("zone." + zone); ok {
		return s
	}
	if i := strings.LastIndexByte(zone, '/'); i >= 0 {
		return w.t("zone.other", "City", strings.ReplaceAll(zone[i+1:], "_", " "))
	}
	return zone
}

// when shows a start or end so that every reader sees their own timezone
// (Discord timestamps, which Discord itself puts in the reader's
// language); a date with no announced time is written out with its zone,
// since a timestamp would shift the day for some. A meeting that is over
// is given its date alone: "time not announced" only matters while it is
// ahead.
func (w words) when(at store.When, pending bool) string {
	if at.IsZero() {
		return ""
	}
	if at.TimeKnown() {
		u := strconv.FormatInt(at.At.Unix(), 10)
		return "<t:" + u + ":F> (<t:" + u + ":R>)"
	}
	if !pending {
		return w.date(at.Date, true) + " (" + w.zone(at.Zone) + ")"
	}
	return w.t("when.not_announced", "Date", w.date(at.Date, true), "Zone", w.zone(at.Zone))
}

// shortWhen is a compact form for lists.
func (w words) shortWhen(at store.When, pending bool) string {
	if at.TimeKnown() {
		return "<t:" + strconv.FormatInt(at.At.Unix(), 10) + ":f>"
	}
	if !pending {
		return w.date(at.Date, false)
	}
	return w.t("when.short_not_announced", "Date", w.date(at.Date, false))
}

// status is a round's status in words ("held", "проведений"); a status
// this version does not know is shown as stored.
func (w words) status(s store.Status) string {
	if t, ok := w.lookup("status." + string(s)); ok {
		return t
	}
	return string(s)
}

// role is a party's role in words ("facilitator", "посередник").
func (w words) role(r store.Role) string {
	if t, ok := w.lookup("role." + string(r)); ok {
		return t
	}
	return string(r)
}

// listOf joins up to n names and says how many more there are.
func (w words) listOf(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return w.t("list.more", "List", strings.Join(names[:n], ", "), "Count", len(names)-n)
}

// cite lists sources as links where they have one.
func (w words) cite(srcs []store.Source) string {
	var parts []string
	for _, s := range srcs {
		label := s.Publisher
		if s.Title != "" {
			label += ": " + s.Title
		}
		label = escapeLinkText(label)
		if s.URL != "" {
			label = "[" + label + "](" + s.URL + ")"
		}
		if !s.Published.IsZero() {
			label += " (" + w.date(s.Published, false) + ")"
		}
		parts = append(parts, label)
	}
	return strings.Join(parts, "\n")
}

// embed starts an embed whose "more" field is in the reader's language.
func (w words) embed(title, more string) *embed {
	b := newEmbed(title, more)
	b.moreName = w.t("field.more")
	return b
}

// InternalError is the apology for a failure on talkbot's side, in the
// language of locale (Discord's), with the reference id also logged.
func InternalError(locale, ref string) string {
	return wordsIn(Request{Locale: locale}.Lang()).t("error.internal", "Ref", ref)
}
