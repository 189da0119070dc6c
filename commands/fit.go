package commands

import (
	"strings"

	"github.com/bwmarrin/discordgo"
)

// Limits Discord puts on a reply beyond those in render.go (see
// shared/DISCORD.md).
const (
	maxEmbeds      = 10
	maxAuthor      = 256
	maxActionRows  = 5
	maxRowButtons  = 5
	maxButtonLabel = 80
	maxChoiceValue = 100
)

// Fit returns the reply cut to Discord's limits, whatever the handler
// built: content and notice to 2,000 characters, at most 10 embeds whose
// parts fit their own limits and together 6,000 characters, autocomplete
// choices of 1–100 characters (at most 25), and only components whose
// custom id fits. Texts are cut on character boundaries and end in an
// ellipsis. The reply's embeds are copied, never changed in place.
func (r Reply) Fit() Reply {
	r.Content = truncate(r.Content, maxContent, "")
	r.Notice = truncate(r.Notice, maxContent, "")
	if r.Embeds != nil {
		r.Embeds = fitEmbeds(r.Embeds)
	}
	if r.Components != nil {
		r.Components = fitComponents(r.Components)
	}
	if r.Choices != nil {
		r.Choices = fitChoices(r.Choices)
	}
	return r
}

// fitEmbeds cuts each embed to its own limits and then to what is left of
// the 6,000 characters all embeds share; an embed nothing is left for is
// dropped.
func fitEmbeds(in []*discordgo.MessageEmbed) []*discordgo.MessageEmbed {
	out := make([]*discordgo.MessageEmbed, 0, min(len(in), maxEmbeds))
	left := maxEmbedsTotal
	for _, e := range in {
		if e == nil {
			continue
		}
		if len(out) == maxEmbeds || left <= 0 {
			break
		}
		f := fitEmbed(e, left)
		n := embedLen(f)
		if n > left {
			break
		}
		left -= n
		out = append(out, f)
	}
	return out
}

// fitEmbed returns a copy of e within its part limits and total units.
func fitEmbed(e *discordgo.MessageEmbed, total int) *discordgo.MessageEmbed {
	c := *e
	c.Title = truncate(c.Title, maxTitle, "")
	c.Description = truncate(c.Description, maxDescription, "")
	if c.Footer != nil {
		f := *c.Footer
		f.Text = truncate(f.Text, maxFooter, "")
		c.Footer = &f
	}
	if c.Author != nil {
		a := *c.Author
		a.Name = truncate(a.Name, maxAuthor, "")
		c.Author = &a
	}
	if c.Fields != nil {
		fields := make([]*discordgo.MessageEmbedField, 0, min(len(c.Fields), maxFields))
		for _, f := range c.Fields {
			if f == nil || len(fields) == maxFields {
				continue
			}
			fields = append(fields, &discordgo.MessageEmbedField{
				Name: truncate(f.Name, maxFieldName, ""), Value: truncate(f.Value, maxFieldValue, ""), Inline: f.Inline,
			})
		}
		c.Fields = fields
	}
	// Over the total: fields go from the end, then the description, the
	// footer and the title are cut.
	for embedLen(&c) > total && len(c.Fields) > 0 {
		c.Fields = c.Fields[:len(c.Fields)-1]
	}
	if over := embedLen(&c) - total; over > 0 {
		c.Description = truncate(c.Description, max(textLen(c.Description)-over, 0), "")
	}
	if over := embedLen(&c) - total; over > 0 && c.Footer != nil {
		c.Footer.Text = truncate(c.Footer.Text, max(textLen(c.Footer.Text)-over, 0), "")
	}
	if over := embedLen(&c) - total; over > 0 {
		c.Title = truncate(c.Title, max(textLen(c.Title)-over, 0), "")
	}
	return &c
}

// fitComponents keeps at most five rows of five buttons, and drops a
// button whose custom id is too long: cut, it would lead elsewhere.
func fitComponents(in []discordgo.MessageComponent) []discordgo.MessageComponent {
	var out []discordgo.MessageComponent
	for _, row := range in {
		ar, ok := row.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		var kept []discordgo.MessageComponent
		for _, c := range ar.Components {
			b, ok := c.(discordgo.Button)
			if !ok || len(kept) == maxRowButtons {
				continue
			}
			if b.URL == "" && (b.CustomID == "" || len(b.CustomID) > maxCustomID) {
				continue
			}
			b.Label = truncate(b.Label, maxButtonLabel, "")
			kept = append(kept, b)
		}
		if len(kept) > 0 && len(out) < maxActionRows {
			out = append(out, discordgo.ActionsRow{Components: kept})
		}
	}
	return out
}

// fitChoices keeps at most 25 choices with names of 1–100 characters; a
// string value longer than 100 cannot be cut (it is what would be sent),
// so its choice is dropped.
func fitChoices(in []*discordgo.ApplicationCommandOptionChoice) []*discordgo.ApplicationCommandOptionChoice {
	out := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(in), maxChoices))
	for _, ch := range in {
		if ch == nil || len(out) == maxChoices {
			continue
		}
		if v, ok := ch.Value.(string); ok && (v == "" || textLen(v) > maxChoiceValue) {
			continue
		}
		name := truncate(strings.TrimSpace(ch.Name), maxChoiceName, "")
		if name == "" {
			continue
		}
		c := *ch
		c.Name = name
		out = append(out, &c)
	}
	return out
}
