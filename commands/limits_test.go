package commands_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/bwmarrin/discordgo"

	"talkbot/commands"
	"talkbot/data"
	"talkbot/store/sqlite/sqlitetest"
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

// checkLimits fails when Discord would reject the reply.
func checkLimits(t *testing.T, r commands.Reply) {
	t.Helper()
	if units(r.Content) > 2000 {
		t.Errorf("content is %d characters", units(r.Content))
	}
	if units(r.Notice) > 2000 {
		t.Errorf("notice is %d characters", units(r.Notice))
	}
	if len(r.Embeds) > 10 {
		t.Errorf("%d embeds", len(r.Embeds))
	}
	total := 0
	for _, e := range r.Embeds {
		n := units(e.Title) + units(e.Description)
		if units(e.Title) > 256 || units(e.Description) > 4096 {
			t.Errorf("embed title %d / description %d characters", units(e.Title), units(e.Description))
		}
		if len(e.Fields) > 25 {
			t.Errorf("%d fields", len(e.Fields))
		}
		for _, f := range e.Fields {
			if units(f.Name) > 256 || units(f.Value) > 1024 || f.Name == "" || f.Value == "" {
				t.Errorf("field %q: name %d, value %d characters", f.Name, units(f.Name), units(f.Value))
			}
			n += units(f.Name) + units(f.Value)
		}
		if e.Author != nil {
			if units(e.Author.Name) > 256 {
				t.Errorf("author %d characters", units(e.Author.Name))
			}
			n += units(e.Author.Name)
		}
		if e.Footer != nil {
			if units(e.Footer.Text) > 2048 {
				t.Errorf("footer %d characters", units(e.Footer.Text))
			}
			n += units(e.Footer.Text)
		}
		total += n
	}
	if total > 6000 {
		t.Errorf("embeds hold %d characters in all; Discord allows 6,000", total)
	}
	for _, row := range r.Components {
		ar, ok := row.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		for _, c := range ar.Components {
			if b, ok := c.(discordgo.Button); ok && units(b.CustomID) > 100 {
				t.Errorf("custom id of %d characters", units(b.CustomID))
			}
		}
	}
	if len(r.Choices) > 25 {
		t.Errorf("%d choices", len(r.Choices))
	}
	for _, c := range r.Choices {
		if units(c.Name) < 1 || units(c.Name) > 100 {
			t.Errorf("choice name %q", c.Name)
		}
	}
}

// Every string option has a max_length, so Discord refuses what no id or
// name could be; ids and names of tracks, sides, speakers and topics are
// at most 100 characters.
func TestEveryStringOptionHasAMaxLength(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	idOptions := map[string]bool{"track": true, "side": true, "speaker": true, "topic": true}
	var walk func(path string, opts []*discordgo.ApplicationCommandOption)
	n := 0
	walk = func(path string, opts []*discordgo.ApplicationCommandOption) {
		for _, o := range opts {
			switch o.Type {
			case discordgo.ApplicationCommandOptionSubCommand, discordgo.ApplicationCommandOptionSubCommandGroup:
				walk(path+" "+o.Name, o.Options)
			case discordgo.ApplicationCommandOptionString:
				n++
				if o.MaxLength < 1 || o.MaxLength > 6000 {
					t.Errorf("%s %s: max_length %d", path, o.Name, o.MaxLength)
				}
				if idOptions[o.Name] && o.MaxLength != 100 {
					t.Errorf("%s %s: max_length %d; want 100", path, o.Name, o.MaxLength)
				}
			}
		}
	}
	for _, def := range c.Definitions() {
		walk("/"+def.Name, def.Options)
	}
	if n < 15 {
		t.Errorf("found %d string options; the walk missed some", n)
	}
}

// Whatever is typed into any option of any subcommand, 5,000 or 100,000
// characters of it, the reply or the error fits Discord and does not
// echo the input whole.
func TestLongInputFitsEveryReply(t *testing.T) {
	c := commands.New(bundled(t), at("2025-05-30T12:00:00Z"), nil)
	for _, def := range c.Definitions() {
		for _, sub := range def.Options {
			for _, opt := range sub.Options {
				for _, size := range []int{5000, 100000} {
					for _, kind := range []commands.Kind{commands.KindCommand, commands.KindAutocomplete} {
						if kind == commands.KindAutocomplete && !opt.Autocomplete {
							continue
						}
						name := fmt.Sprintf("/%s %s %s: %d characters (kind %d)", def.Name, sub.Name, opt.Name, size, kind)
						t.Run(name, func(t *testing.T) {
							long := strings.Repeat("é`*@everyone ", size/13+1)[:size]
							req := admin(def.Name+"/"+sub.Name, "channel:"+here)
							req.Options[opt.Name] = long
							req.Kind = kind
							if kind == commands.KindAutocomplete {
								req.Focused = opt.Name
							}
							reply, err := c.Handle(t.Context(), req)
							if ue, ok := commands.AsUserError(err); ok {
								if units(ue.Message) > 2000 {
									t.Errorf("the error is %d characters", units(ue.Message))
								}
								if strings.Contains(ue.Message, long[:300]) {
									t.Errorf("the error echoes the input whole: %.200s", ue.Message)
								}
								return
							}
							if err != nil {
								t.Fatalf("internal error: %.300v", err)
							}
							checkLimits(t, reply)
						})
					}
				}
			}
		}
	}
	t.Run("a button with a long custom id", func(t *testing.T) {
		_, err := c.Handle(t.Context(), commands.Request{Kind: commands.KindComponent, Path: "rounds", Args: []string{strings.Repeat("x", 5000), "1"}})
		if ue, ok := commands.AsUserError(err); !ok || units(ue.Message) > 2000 {
			t.Errorf("a long button id: %v", err)
		}
	})
}

// Fit cuts whatever a handler built to Discord's limits.
func TestFitCutsEveryPartOfAReply(t *testing.T) {
	long := strings.Repeat("ж", 100000)
	var fields []*discordgo.MessageEmbedField
	for range 40 {
		fields = append(fields, &discordgo.MessageEmbedField{Name: long, Value: long})
	}
	var embeds []*discordgo.MessageEmbed
	for range 12 {
		embeds = append(embeds, &discordgo.MessageEmbed{Title: long, Description: long, Fields: fields,
			Footer: &discordgo.MessageEmbedFooter{Text: long}, Author: &discordgo.MessageEmbedAuthor{Name: long}})
	}
	var choices []*discordgo.ApplicationCommandOptionChoice
	for range 30 {
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: long, Value: "v"})
	}
	choices = append([]*discordgo.ApplicationCommandOptionChoice{{Name: "x", Value: long}}, choices...)
	r := commands.Reply{Content: long, Notice: long, Embeds: embeds, Choices: choices,
		Components: []discordgo.MessageComponent{discordgo.ActionsRow{Components: []discordgo.MessageComponent{
			discordgo.Button{Label: "Long", CustomID: strings.Repeat("x", 101)},
			discordgo.Button{Label: long, CustomID: "ok:1"},
		}}}}
	got := r.Fit()
	checkLimits(t, got)
	if !strings.HasSuffix(got.Content, "…") || !strings.HasPrefix(got.Content, "жж") {
		t.Errorf("content is not cut with an ellipsis: %.20q…", got.Content)
	}
	if len(got.Choices) != 25 || got.Choices[0].Value != "v" {
		t.Errorf("choices %v; want 25, without the one whose value is too long", got.Choices)
	}
	row := got.Components[0].(discordgo.ActionsRow)
	if len(row.Components) != 1 || row.Components[0].(discordgo.Button).CustomID != "ok:1" {
		t.Errorf("buttons = %+v; want only the one whose custom id fits", row.Components)
	}
	if units(r.Embeds[0].Title) != 100000 {
		t.Error("Fit changed the handler's embed in place")
	}
	if len(got.Embeds) == 0 {
		t.Error("Fit dropped every embed")
	}
}

// Stored texts past every limit (an editor's very long title or name) are
// cut too, in content as in embeds, whichever command shows them.
func TestLongStoredTextFitsEveryReply(t *testing.T) {
	tracks, err := data.Tracks()
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("Very long title of talks ", 120) // 3,000 characters
	tr := &tracks[0]
	tr.Title = long
	for i := range tr.Parties {
		tr.Parties[i].Name = long
	}
	for i := range tr.People {
		tr.People[i].Name = long
	}
	s := sqlitetest.Open(t, at("2025-05-29T08:00:00Z"))
	if _, err := s.Import(t.Context(), tracks); err != nil {
		t.Fatal(err)
	}
	for _, now := range []string{"2025-05-30T12:00:00Z", "2025-06-10T12:00:00Z"} {
		c := commands.New(s, at(now), nil)
		for _, req := range []commands.Request{
			cmd("talks/next"), cmd("talks/next", "track:"+tr.ID), cmd("talks/rounds"), cmd("talks/round", "number:2"), cmd("talks/round", "number:9"),
			cmd("talks/positions", "side:ukraine"), cmd("talks/positions", "side:ukraine", "topic:memo"), cmd("talks/positions", "side:nobody"),
			cmd("talks/compare", "topic:memorandum"), cmd("talks/compare", "topic:none"), cmd("talks/statements"), cmd("talks/statements", "speaker:nobody"),
			cmd("talks/upcoming"), cmd("talks/upcoming", "track:"+tr.ID), cmd("talks/search", "query:memorandum"), cmd("talks/search", "query:zeppelin"),
			cmd("talks/about"), cmd("talks/about", "track:"+tr.ID),
			admin("talks-admin/setup", "channel:"+here), inDM("talks/subscribe"),
		} {
			t.Run(now+" "+req.Path+" "+fmt.Sprint(req.Options), func(t *testing.T) {
				reply, err := c.Handle(t.Context(), req)
				if ue, ok := commands.AsUserError(err); ok {
					if units(ue.Message) > 2000 {
						t.Errorf("the error is %d characters", units(ue.Message))
					}
					return
				}
				if err != nil {
					t.Fatalf("internal error: %.300v", err)
				}
				checkLimits(t, reply)
			})
		}
	}
}
