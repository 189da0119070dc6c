package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/i18n"
	"talkbot/store"
)

// setup answers in the caller's language (req.Locale); the posts it sets
// up are in the server's post language, which may differ.
func (c *Commands) setup(ctx context.Context, req Request) (Reply, error) {
	w := c.words(req)
	channel := req.Option("channel")
	if !store.IsSnowflake(channel) {
		return Reply{}, &UserError{w.t("setup.error.channel", "Example", w.command("talks-admin/setup", "channel:#news"))}
	}
	role := req.Option("role")
	switch {
	case role != "" && !store.IsSnowflake(role):
		return Reply{}, &UserError{w.t("setup.error.role")}
	case role != "" && role == req.GuildID:
		// The @everyone role's id is the server's; pinging it needs a
		// different mention than a role's, and a bot should not.
		return Reply{}, &UserError{w.t("setup.error.everyone", "Option", w.optionName("talks-admin/setup", "role"))}
	}
	offsets, err := w.reminderOffsets(req.Option("reminders"))
	if err != nil {
		return Reply{}, err
	}
	updates, err := w.updatesMode(req.Option("updates"))
	if err != nil {
		return Reply{}, err
	}
	lang, err := c.postLanguage(ctx, w, req)
	if err != nil {
		return Reply{}, err
	}
	t, err := c.track(ctx, req)
	if err != nil {
		return Reply{}, err
	}
	news, err := c.newsSetting(ctx, req, channel, t.ID)
	if err != nil {
		return Reply{}, err
	}
	// app_permissions are the bot's in the channel the command was used
	// in, so only that channel can be checked now.
	if channel == req.ChannelID {
		if missing := w.missingToPost(req.AppPermissions); len(missing) > 0 {
			return Reply{}, &UserError{w.t("setup.error.cannot_post", "Channel", channel, "Missing", w.andWords(missing),
				"Hint", w.grantHint(), "Command", w.command("talks-admin/setup"))}
		}
	}
	f := store.Follow{GuildID: req.GuildID, ChannelID: channel, Track: t.ID, RoleID: role, Offsets: offsets, Updates: updates, News: news, UpdatedAt: c.now()}
	if err := c.settings.SaveFollow(ctx, f); err != nil {
		return Reply{}, fmt.Errorf("saving follow of %s in channel %s: %w", t.ID, channel, err)
	}
	if err := c.settings.SavePostLanguage(ctx, req.GuildID, string(lang)); err != nil {
		return Reply{}, err
	}
	c.replan(t.ID)
	first, err := c.firstReminder(ctx, w, t, offsets)
	if err != nil {
		return Reply{}, err
	}
	saved := "setup.saved"
	if updates == store.UpdatesNone {
		saved = "setup.saved_reminders"
	}
	lines := []string{w.t(saved, "Track", t.Title, "Channel", channel)}
	if role != "" {
		lines = append(lines, w.t("setup.pings", "Role", role))
	} else {
		lines = append(lines, w.t("setup.pings_nobody"))
	}
	lines = append(lines, w.t("setup.reminders", "Offsets", w.offsetsText(offsets)),
		w.t("setup.updates", "Updates", w.updatesText(updates)), w.newsText(news),
		w.t("setup.language", "Language", languageName(lang), "Option", w.optionName("talks-admin/setup", "language"),
			"Command", w.command("talks-admin/setup")),
		first)
	if channel != req.ChannelID {
		lines = append(lines, w.t("setup.other_channel", "Channel", channel, "Show", w.command("talks-admin/show")))
	}
	return Reply{Content: strings.Join(lines, "\n"), Ephemeral: true}, nil
}

// postLanguage is the language the server's channel posts are to be
// written in: the language option; else the one stored by an earlier
// setup; else, on the first setup, the server's own language in Discord
// (guild_locale), or English when talkbot does not speak it.
func (c *Commands) postLanguage(ctx context.Context, w words, req Request) (i18n.Lang, error) {
	if typed := strings.TrimSpace(req.Option("language")); typed != "" {
		langs := i18n.Langs()
		if l := i18n.Lang(strings.ToLower(typed)); slices.Contains(langs, l) {
			return l, nil
		}
		names := make([]string, len(langs))
		for i, l := range langs {
			names[i] = string(l)
		}
		return "", &UserError{w.t("setup.error.language", "Option", w.optionName("talks-admin/setup", "language"),
			"Choices", strings.Join(names, ", "), "Typed", echo(typed),
			"Example", w.command("talks-admin/setup", "channel:#news", "language:uk"))}
	}
	stored, err := c.settings.PostLanguage(ctx, req.GuildID)
	if err != nil {
		return "", err
	}
	if stored != "" {
		return langOf(stored), nil
	}
	return langOf(req.GuildLocale), nil
}

// languageNames are the languages as their readers name them, in the
// setup choices and in what setup and show say.
var languageNames = map[i18n.Lang]string{
	i18n.English:   "English",
	i18n.Ukrainian: "Українська",
	i18n.Russian:   "Русский",
	i18n.Turkish:   "Türkçe",
}

func languageName(l i18n.Lang) string {
	if n, ok := languageNames[l]; ok {
		return n
	}
	return string(l)
}

func languageOption() *discordgo.ApplicationCommandOption {
	o := &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: "language", MaxLength: 8,
		Description: "The language of the posts (default: the server's language, else English)",
	}
	for _, l := range []i18n.Lang{i18n.English, i18n.Ukrainian, i18n.Russian, i18n.Turkish} {
		o.Choices = append(o.Choices, &discordgo.ApplicationCommandOptionChoice{Name: languageNames[l], Value: string(l)})
	}
	return o
}

// optionName is an option of a command as the reader sees it in Discord.
func (w words) optionName(path, option string) string {
	if n, ok := w.lookup("cmd." + strings.ReplaceAll(path, "/", ".") + ".option." + option + ".name"); ok {
		return n
	}
	return option
}

// newsText says whether a follow posts news, in the reader's words.
func (w words) newsText(on bool) string {
	if on {
		return w.t("setup.news_on")
	}
	return w.t("setup.news_off", "Example", w.optionName("talks-admin/setup", "news")+":true")
}

func updatesOption() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: "updates", Description: "Which changes to post (default: rounds)", MaxLength: 6,
		Choices: []*discordgo.ApplicationCommandOptionChoice{
			{Name: "Rounds: added, rescheduled, status, outcomes", Value: string(store.UpdatesRounds)},
			{Name: "All: rounds, new positions and statements", Value: string(store.UpdatesAll)},
			{Name: "None: reminders only", Value: string(store.UpdatesNone)},
		},
	}
}

// updatesMode reads the updates option; Discord offers only the choices,
// but the shell and hand-made requests may send anything.
func (w words) updatesMode(typed string) (store.UpdatesMode, error) {
	switch m := store.UpdatesMode(strings.ToLower(strings.TrimSpace(typed))); m {
	case "":
		return store.UpdatesRounds, nil
	case store.UpdatesRounds, store.UpdatesAll, store.UpdatesNone:
		return m, nil
	}
	return "", &UserError{w.t("setup.error.updates", "Option", w.optionName("talks-admin/setup", "updates"), "Typed", echo(typed),
		"Example", w.command("talks-admin/setup", "channel:#news", "updates:all"))}
}

// updatesText says which changes a follow posts.
func (w words) updatesText(m store.UpdatesMode) string {
	switch m {
	case store.UpdatesAll:
		return w.t("setup.updates.all")
	case store.UpdatesNone:
		return w.t("setup.updates.none")
	}
	return w.t("setup.updates.rounds")
}
