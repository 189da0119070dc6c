package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"

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
	// Editing is checked on every path: a non-editor gets no choices, so
	// autocomplete reveals nothing a read command would not.
	if strings.HasPrefix(req.Path, "talks-edit/") {
		if ok, err := c.mayEditTyped(ctx, req); err != nil || !ok {
			return Reply{Choices: []*discordgo.ApplicationCommandOptionChoice{}}, err
		}
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
	found, err := c.store.Complete(ctx, store.CompleteQuery{Kind: store.CompleteTracks, Prefix: typed, Limit: maxChoices})
	if err != nil {
		return nil, err
	}
	owners, err := c.trackOwners(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(found, func(ch store.Choice) bool { return !visible(owners[ch.Value], req.GuildID) }), nil
}

// completeIn completes within the request's track (as resolved so far).
func (c *Commands) completeIn(kind store.CompleteKind) completer {
	return func(ctx context.Context, req Request, typed string) ([]store.Choice, error) {
		track, err := c.trackID(ctx, req.Option("track"), req.GuildID)
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
