package commands

import (
	"github.com/bwmarrin/discordgo"
)

func trackOption() *discordgo.ApplicationCommandOption {
	return &discordgo.ApplicationCommandOption{
		Type: discordgo.ApplicationCommandOptionString, Name: "track",
		Description: "Which talks (default: the ones with the nearest meeting)", Autocomplete: true, MaxLength: maxIDLength,
	}
}

func (c *Commands) talksCommand() command {
	return command{
		def: &discordgo.ApplicationCommand{
			Name:             "talks",
			Description:      "Rounds of talks, what each side has said, and the dates coming up",
			Contexts:         &everywhere,
			IntegrationTypes: &bothInstalls,
		},
		subs: []subcommand{
			{name: "next", description: "The next meeting: when, where, who and what is on the table",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.next},
			{name: "rounds", description: "Every round of the talks in order, with its outcome",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.rounds},
			{name: "round", description: "One round in full: outcomes, documents and sources",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionInteger, Name: "number", Description: "The round's number", Required: true, MinValue: ptr(1.0)},
					trackOption(),
				}, handle: c.round},
			{name: "positions", description: "What one side has stated, newest first, with sources",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "side", Description: "The party, e.g. Ukraine", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "Only this topic, e.g. ceasefire", Autocomplete: true, MaxLength: maxIDLength},
					trackOption(),
				}, handle: c.positions},
			{name: "compare", description: "Each side's latest position on a topic, side by side",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "topic", Description: "The topic, e.g. ceasefire", Required: true, Autocomplete: true, MaxLength: maxIDLength},
					trackOption(),
				}, handle: c.compare},
			{name: "statements", description: "Quotes, newest first",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "side", Description: "Only this party's people", Autocomplete: true, MaxLength: maxIDLength},
					{Type: discordgo.ApplicationCommandOptionString, Name: "speaker", Description: "Only this person", Autocomplete: true, MaxLength: maxIDLength},
					trackOption(),
				}, handle: c.statements},
			{name: "upcoming", description: "Every upcoming meeting, soonest first: across all talks, or in one",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.upcoming},
			{name: "search", description: "Search positions, statements and outcomes",
				options: []*discordgo.ApplicationCommandOption{
					{Type: discordgo.ApplicationCommandOptionString, Name: "query", Description: "Words to look for, e.g. prisoner exchange", Required: true, MaxLength: 200},
					trackOption(),
				}, handle: c.search},
			c.subscribeSub(),
			c.unsubscribeSub(),
			{name: "about", description: "What this bot is, where its facts come from, and how recent they are",
				options: []*discordgo.ApplicationCommandOption{trackOption()}, handle: c.about},
			c.historySub(),
			c.calendarSub(),
			c.newsSub(),
		},
	}
}

func ptr[T any](v T) *T { return &v }
