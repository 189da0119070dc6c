package commands_test

import (
	"strings"
	"testing"
	"time"

	"talkbot/commands"
	"talkbot/remind"
	"talkbot/store"
)

// roundTwoStart is the start of round 2 of the bundled data: 2 June in
// Istanbul, time not announced, so the day's start there.
var roundTwoStart = time.Date(2025, 6, 1, 21, 0, 0, 0, time.UTC)

// channelReminder is the reminder a day before round 2 to channel here of
// server g, as the scheduler plans it.
func channelReminder(g string) store.Delivery {
	return store.Delivery{Key: "reminder:" + g, Target: store.ChannelTarget(here), Kind: store.DeliveryReminder, GuildID: g,
		Track: track, Round: 2, RoleID: pingRole, DueAt: roundTwoStart.Add(-24 * time.Hour), Deadline: roundTwoStart, Payload: "1d"}
}

// dmReminder is the same reminder by DM to user.
func dmReminder(user string) store.Delivery {
	return store.Delivery{Key: "reminder:dm", Target: store.UserTarget(user), Kind: store.DeliveryReminder,
		Track: track, Round: 2, DueAt: roundTwoStart.Add(-24 * time.Hour), Deadline: roundTwoStart, Payload: "1d"}
}

func reminder(t *testing.T, a *commands.Announcer, d store.Delivery, late bool) remind.Message {
	t.Helper()
	m, ok, err := a.Reminder(t.Context(), d, late)
	if err != nil || !ok {
		t.Fatalf("Reminder: ok %v, %v", ok, err)
	}
	return m
}

func setLanguage(t *testing.T, s store.Store, g, lang string) {
	t.Helper()
	if err := s.SavePostLanguage(t.Context(), g, lang); err != nil {
		t.Fatal(err)
	}
}

// A server's channel posts are in its post language: the reminder (sent
// late, to show that sentence too) and the digest, in Ukrainian and in
// Turkish, and the news post in Ukrainian.
func TestChannelPostsInTheServersLanguage(t *testing.T) {
	for _, lang := range []string{"uk", "tr"} {
		t.Run(lang, func(t *testing.T) {
			s := bundled(t)
			setLanguage(t, s, guild, lang)
			a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
			golden(t, lang+"/reminder_post", reminder(t, a, channelReminder(guild), true))
			d, err := a.Digest(t.Context(), store.Delivery{Key: "digest:a", Target: store.ChannelTarget(here), Kind: store.DeliveryDigest,
				GuildID: guild, Payload: track})
			if err != nil {
				t.Fatal(err)
			}
			golden(t, lang+"/digest_post", d)
		})
	}
	t.Run("uk news", func(t *testing.T) {
		s, refs := newsItems(t, store.FeedItem{ID: "1", Title: "Round 3 confirmed for 23 July", Link: "https://wire.example.org/1",
			Summary: "Both delegations confirmed the third round in Istanbul.", Published: time.Date(2025, 6, 1, 12, 0, 30, 0, time.UTC), HasDate: true, Matched: true},
			store.FeedItem{ID: "2", Title: "", Link: "https://wire.example.org/2", Matched: true})
		setLanguage(t, s, guild, "uk")
		a := commands.NewAnnouncer(s, time.Now)
		m, ok, err := a.News(t.Context(), store.Delivery{Kind: store.DeliveryNews, Target: store.ChannelTarget(here), GuildID: guild,
			Payload: store.EncodeItemRefs(refs[:1])})
		if err != nil || !ok {
			t.Fatalf("News: ok %v, %v", ok, err)
		}
		golden(t, "uk/news_post", m)
		m, ok, err = a.NewsDigest(t.Context(), store.Delivery{Kind: store.DeliveryNewsDigest, Target: store.ChannelTarget(here), GuildID: guild,
			Payload: store.EncodeItemRefs(refs)})
		if err != nil || !ok {
			t.Fatalf("NewsDigest: ok %v, %v", ok, err)
		}
		golden(t, "uk/news_digest", m)
	})
}

// Edit updates follow the server's language too, the history's field
// names and the byline included.
func TestEditUpdatePostsInTheServersLanguage(t *testing.T) {
	s := bundled(t)
	setLanguage(t, s, guild, "uk")
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	first := editRound(t, s, jane, 2, func(r *store.Round) { r.Status = store.StatusScheduled })
	editRound(t, s, jane, 2, func(r *store.Round) { r.Starts = startsAt(t, "2025-06-02T13:00") })
	last := editRound(t, s, omar, 2, func(r *store.Round) { r.Venue = "Ankara" })
	golden(t, "uk/update_round_scheduled_and_moved", editPost(t, a, first, last, pingRole))

	st := store.Statement{Track: track, By: "lavrov", Party: "russia", SaidOn: mustDate(t, "2025-05-29"), Medium: "press conference",
		Text: "We are ready to continue.", Sources: []string{reuters}}
	ch := applyEdit(t, s, store.Edit{Editor: omar, New: true, TrackID: track, Statement: &st},
		store.Entity{Kind: store.EntityStatement, Track: track, Key: store.StatementKey(st)})
	golden(t, "uk/update_new_statement", editPost(t, a, ch, ch, ""))
}

// A server set to Russian gets Russian reminders, while the admin who set
// it up reads the reply in their own language; another server, with no
// language set, still gets English.
func TestAServerSetToRussianGetsRussianRemindersWhileTheAdminReadsEnglish(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	req := admin("talks-admin/setup", "channel:"+here, "language:ru")
	req.Locale, req.GuildLocale = "en-US", "uk"
	got := answer(t, c, req)
	if got.Reply == nil || !strings.Contains(got.Reply.Content, "Saved: reminders and update posts") ||
		!strings.Contains(got.Reply.Content, "Posts are written in Русский") {
		t.Fatalf("setup reply = %+v; want English, naming Russian posts", got)
	}
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	m := reminder(t, a, channelReminder(guild), false)
	if want := "<@&" + pingRole + "> Напоминание: **"; !strings.HasPrefix(m.Content, want) || !strings.Contains(m.Content, "состоится 2 июня 2025") {
		t.Errorf("reminder = %q; want it in Russian, starting %q", m.Content, want)
	}
	if title := m.Embeds[0].Title; !strings.HasPrefix(title, "Скоро: Раунд 2") {
		t.Errorf("reminder embed title = %q; want it in Russian", title)
	}
	if m := reminder(t, a, channelReminder("another-server"), false); !strings.Contains(m.Content, "Reminder: round 2") {
		t.Errorf("reminder to a server with no language = %q; want English", m.Content)
	}

	// Show, asked in Ukrainian, answers in Ukrainian and names the posts' language.
	show := admin("talks-admin/show")
	show.Locale = "uk"
	got = answer(t, c, show)
	if got.Reply == nil || len(got.Reply.Embeds) == 0 || got.Reply.Embeds[0].Title != "talkbot на цьому сервері" {
		t.Fatalf("show = %+v; want it in Ukrainian", got)
	}
	var lang string
	for _, f := range got.Reply.Embeds[0].Fields {
		if f.Name == "Мова публікацій" {
			lang = f.Value
		}
	}
	if lang != "Русский" {
		t.Errorf("show names the posts' language %q; want Русский", lang)
	}
}

// The first setup without language: takes the server's own language in
// Discord (guild_locale); a later setup without it keeps what is stored,
// whatever guild_locale says by then; a language talkbot does not speak
// reads English.
func TestSetupTakesTheServersLocaleFirstAndKeepsItAfter(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	setup := func(g, guildLocale string, opts ...string) {
		t.Helper()
		req := admin("talks-admin/setup", append([]string{"channel:" + here}, opts...)...)
		req.GuildID, req.GuildLocale, req.Locale = g, guildLocale, "en-GB"
		if got := answer(t, c, req); got.Reply == nil {
			t.Fatalf("setup refused: %s", got.UserError)
		}
	}
	setup(guild, "tr")
	if m := reminder(t, a, channelReminder(guild), false); !strings.HasPrefix(m.Content, "<@&"+pingRole+"> Hatırlatma: **") {
		t.Errorf("reminder after a first setup in a Turkish server = %q; want Turkish", m.Content)
	}
	setup(guild, "uk", "reminders:2d")
	if m := reminder(t, a, channelReminder(guild), false); !strings.Contains(m.Content, "Hatırlatma") {
		t.Errorf("reminder after a second setup without language = %q; want Turkish still", m.Content)
	}
	setup(guild, "uk", "language:uk")
	if m := reminder(t, a, channelReminder(guild), false); !strings.Contains(m.Content, "Нагадування") {
		t.Errorf("reminder after setup language:uk = %q; want Ukrainian", m.Content)
	}
	setup("101", "pt-BR")
	if got, err := s.PostLanguage(t.Context(), "101"); err != nil || got != "en" {
		t.Errorf("post language of a Brazilian server = %q, %v; want en", got, err)
	}
}

func TestSetupRefusesALanguageItDoesNotSpeak(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	for _, tc := range []struct{ name, locale string }{{"setup_with_bad_language", ""}, {"uk/setup_with_bad_language", "uk"}} {
		req := admin("talks-admin/setup", "channel:"+here, "language:de")
		req.Locale = tc.locale
		golden(t, tc.name, answer(t, c, req))
	}
	if got, err := s.PostLanguage(t.Context(), guild); err != nil || got != "" {
		t.Errorf("a refused setup stored post language %q, %v", got, err)
	}
}

// The admin replies in the caller's language, as goldens.
func TestAdminRepliesInTheCallersLanguage(t *testing.T) {
	s := bundled(t)
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	for _, lang := range []string{"uk", "tr"} {
		req := admin("talks-admin/setup", "channel:"+elsewhere, "role:"+pingRole, "reminders:2d,1h")
		req.Locale, req.GuildLocale = lang, "ru"
		golden(t, lang+"/setup_in_another_channel", answer(t, c, req))
		show := admin("talks-admin/show")
		show.Locale = lang
		golden(t, lang+"/show", answer(t, c, show))
	}
}

// A DM reminder is in the language of the Discord the subscriber used to
// subscribe, whatever the server's language.
func TestDMRemindersInTheSubscribersLanguage(t *testing.T) {
	s := bundled(t)
	setLanguage(t, s, guild, "ru")
	c := commands.New(s, at("2025-05-30T12:00:00Z"), nil)
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	for _, tc := range []struct{ user, locale, want string }{
		{"801", "tr", "Hatırlatma: **"},
		{"802", "uk", "Нагадування: **"},
		{"803", "pt-BR", "Reminder: round 2"},
	} {
		req := cmd("talks/subscribe", "reminders:1d")
		req.GuildID, req.UserID, req.Locale = guild, tc.user, tc.locale
		got := answer(t, c, req)
		if got.Reply == nil {
			t.Fatalf("subscribe refused: %s", got.UserError)
		}
		if m := reminder(t, a, dmReminder(tc.user), false); !strings.HasPrefix(m.Content, tc.want) || m.PingRole != "" {
			t.Errorf("DM reminder to a subscriber in %s = %q; want it to start %q, pinging nobody", tc.locale, m.Content, tc.want)
		}
	}
	req := cmd("talks/subscribe", "reminders:1d")
	req.GuildID, req.UserID, req.Locale = guild, "802", "uk"
	golden(t, "uk/subscribe", answer(t, c, req))
}

// Posts show the display names the data translates into the post's
// language (the track's title, the parties, the people, the venue), as the
// replies do; a language the data does not translate keeps the names as
// written.
func TestPostsShowTheNamesOfThePostsLanguage(t *testing.T) {
	s := namedBundled(t)
	setLanguage(t, s, guild, "uk")
	a := commands.NewAnnouncer(s, at("2025-05-30T12:00:00Z"))
	golden(t, "names_uk_reminder_post", reminder(t, a, channelReminder(guild), false))
	d, err := a.Digest(t.Context(), store.Delivery{Key: "digest:a", Target: store.ChannelTarget(here), Kind: store.DeliveryDigest,
		GuildID: guild, Payload: track})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "names_uk_digest_post", d)
	st := store.Statement{Track: track, By: "lavrov", Party: "russia", SaidOn: mustDate(t, "2025-05-29"), Medium: "press conference",
		Text: "We are ready to continue.", Sources: []string{reuters}}
	ch := applyEdit(t, s, store.Edit{Editor: omar, New: true, TrackID: track, Statement: &st},
		store.Entity{Kind: store.EntityStatement, Track: track, Key: store.StatementKey(st)})
	golden(t, "names_uk_update_new_statement", editPost(t, a, ch, ch, ""))

	// The same reminder to a server in English, which the data does not
	// translate, names the talks as written.
	m := reminder(t, a, channelReminder("another-server"), false)
	if want := "Russia–Ukraine direct talks in Istanbul"; !strings.Contains(m.Content, want) || strings.Contains(m.Content, "Прямі") {
		t.Errorf("English reminder = %q; want the title as written (%q)", m.Content, want)
	}

	// A DM reminder names them in the subscriber's language.
	req := cmd("talks/subscribe", "reminders:1d")
	req.GuildID, req.UserID, req.Locale = guild, "804", "ru"
	if got := answer(t, commands.New(s, at("2025-05-30T12:00:00Z"), nil), req); got.Reply == nil {
		t.Fatalf("subscribe refused: %s", got.UserError)
	}
	m = reminder(t, a, dmReminder("804"), false)
	if want := "**Прямые переговоры России и Украины в Стамбуле**"; !strings.Contains(m.Content, want) {
		t.Errorf("DM reminder in Russian = %q; want the Russian title %s", m.Content, want)
	}
	if venue := m.Embeds[0].Fields[1]; venue.Value != "Стамбул" {
		t.Errorf("DM reminder's %s = %q; want Стамбул", venue.Name, venue.Value)
	}
}
