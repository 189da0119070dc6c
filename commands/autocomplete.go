package commands

import (
	"context"
	"fmt"

	"github.com/bwmarrin/discordgo"

	"talkbot/store"
)

// autocomplete offers choices for the focused option. Errors the user
// could fix still answer with no choices: an autocomplete cannot show one.
func (c *Commands) autocomplete(ctx context.Context, req Request) (Reply, error) {
	complete, ok := c.completers[req.Focused]
	// Discord stops typing at max_length; past it nothing can match, and a
	// long pattern is too complex for SQLite's LIKE.
	if !ok || textLen(req.Option(req.Focused)) > maxIDLength {
		return Reply{Choices: []*discordgo.ApplicationCommandOptionChoice{}}, nil
	}
	found, err := complete(ctx, req, req.Option(req.Focused))
	if err != nil {
		if _, user := AsUserError(err); user {
			return Reply{Choices: []*discordgo.ApplicationCommandOptionChoice{}}, nil
		}
		return Reply{}, err
	}
	choices := make([]*discordgo.ApplicationCommandOptionChoice, 0, min(len(found), maxChoices))
	for _, f := range found[:min(len(found), maxChoices)] {
		if f.Value == "" || len(f.Value) > maxChoiceName {
			continue
		}
		choices = append(choices, &discordgo.ApplicationCommandOptionChoice{Name: truncate(f.Name, maxChoiceName, ""), Value: f.Value})
	}
	return Reply{Choices: choices}, nil
}

func (c *Commands) completeTracks(ctx context.Context, req Request, typed string) ([]store.Choice, error) {
	return c.store.Complete(ctx, store.CompleteQuery{Kind: store.CompleteTracks, Prefix: typed, Limit: maxChoices})
}

// completeIn completes within the request's track (as resolved so far).
func (c *Commands) completeIn(kind store.CompleteKind) completer {
	return func(ctx context.Context, req Request, typed string) ([]store.Choice, error) {
		track, err := c.trackID(ctx, req.Option("track"))
		if err != nil {
			return nil, err
		}
		found, err := c.store.Complete(ctx, store.CompleteQuery{Kind: kind, Track: track, Prefix: typed, Limit: maxChoices})
		if err != nil {
			return nil, fmt.Errorf("completing %s: %w", kind, err)
		}
		return found, nil
	}
}
