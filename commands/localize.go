package commands

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/bwmarrin/discordgo"

	"talkbot/i18n"
)

// Localizations of the command tree live in the catalogs (locales/*.toml)
// under the path of each element, so a translator sees where a word goes:
//
//	cmd.talks.name, cmd.talks.description                     a command
//	cmd.talks-edit.round.name                                 a subcommand group
//	cmd.talks-edit.round.status.description                   a subcommand
//	cmd.talks-admin.setup.option.channel.name                 an option
//	cmd.talks-admin.setup.option.updates.choice.all.name      a choice, by its value
//
// Discord shows these to readers of those languages, but still sends the
// default (English) names of commands and options in every interaction
// (Discord's API documentation, Application Commands, "Localization"), so
// routing and option parsing never see a translated name.

// localize returns defs with name and description localisations for every
// language of the catalogs, copying every element it touches: the command
// table's options stay as they are. Without a catalog (a broken build, which
// the catalog tests catch) the tree stays English, as Discord's default.
func localize(defs []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	cat, err := i18n.Load()
	if err != nil {
		return defs
	}
	return localizeWith(cat, defs)
}

func localizeWith(cat *i18n.Catalog, defs []*discordgo.ApplicationCommand) []*discordgo.ApplicationCommand {
	l := localizer{locales: discordLocales(cat)}
	for _, lang := range cat.Langs() {
		l.langs = append(l.langs, cat.Localizer(lang))
	}
	out := make([]*discordgo.ApplicationCommand, len(defs))
	for i, d := range defs {
		c := *d
		key := "cmd." + c.Name
		c.NameLocalizations = ref(l.words(key+".name", deref(c.NameLocalizations)))
		c.DescriptionLocalizations = ref(l.words(key+".description", deref(c.DescriptionLocalizations)))
		c.Options = l.options(key, c.Options)
		out[i] = &c
	}
	return out
}

// discordLocales maps each language but English (Discord's default) to the
// Discord locales it serves: "uk" to uk; a catalog "es" would serve both
// es-ES and es-419.
func discordLocales(cat *i18n.Catalog) map[i18n.Lang][]discordgo.Locale {
	out := map[i18n.Lang][]discordgo.Locale{}
	for _, loc := range slices.Sorted(maps.Keys(discordgo.Locales)) {
		if lang := i18n.Match(string(loc)); lang != i18n.English && slices.Contains(cat.Langs(), lang) {
			out[lang] = append(out[lang], loc)
		}
	}
	return out
}

type localizer struct {
	langs   []*i18n.Localizer
	locales map[i18n.Lang][]discordgo.Locale
}

// words adds the translations of message id to a copy of have (nil when
// there are none at all: the field is left out).
func (l localizer) words(id string, have map[discordgo.Locale]string) map[discordgo.Locale]string {
	out := maps.Clone(have)
	if out == nil {
		out = map[discordgo.Locale]string{}
	}
	for _, loc := range l.langs {
		text, ok := loc.Lookup(id)
		if !ok {
			continue
		}
		for _, dl := range l.locales[loc.Lang()] {
			out[dl] = text
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (l localizer) options(key string, opts []*discordgo.ApplicationCommandOption) []*discordgo.ApplicationCommandOption {
	if opts == nil {
		return nil
	}
	out := make([]*discordgo.ApplicationCommandOption, len(opts))
	for i, o := range opts {
		c := *o
		k := key + "." + c.Name
		if c.Type != discordgo.ApplicationCommandOptionSubCommand && c.Type != discordgo.ApplicationCommandOptionSubCommandGroup {
			k = key + ".option." + c.Name
		}
		c.NameLocalizations = l.words(k+".name", c.NameLocalizations)
		c.DescriptionLocalizations = l.words(k+".description", c.DescriptionLocalizations)
		c.Options = l.options(k, c.Options)
		if c.Choices != nil {
			c.Choices = make([]*discordgo.ApplicationCommandOptionChoice, len(o.Choices))
			for j, ch := range o.Choices {
				cc := *ch
				cc.NameLocalizations = l.words(choiceKey(k, cc.Value), cc.NameLocalizations)
				c.Choices[j] = &cc
			}
		}
		out[i] = &c
	}
	return out
}

// choiceKey names a choice by its value, which stays when its English
// name is reworded: "cmd.talks-admin.setup.option.updates.choice.all.name".
func choiceKey(option string, value any) string {
	v := strings.ReplaceAll(fmt.Sprint(value), ".", "_")
	return option + ".choice." + v + ".name"
}

func deref(m *map[discordgo.Locale]string) map[discordgo.Locale]string {
	if m == nil {
		return nil
	}
	return *m
}

func ref(m map[discordgo.Locale]string) *map[discordgo.Locale]string {
	if m == nil {
		return nil
	}
	return &m
}
