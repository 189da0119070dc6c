// Package bot is talkbot's Discord edge: the gateway session, the HTTP
// interactions endpoint, REST calls, and the wiring of the scheduler.
package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// Answerer answers interactions, whichever way they arrive (gateway or HTTP).
type Answerer interface {
	// Answer calls send exactly once with the initial response, within
	// Discord's 3-second deadline (a deferral when the work is slow), then
	// finishes any follow-up (editing a deferred reply over REST) before it
	// returns. ctx bounds the follow-up, not the initial response.
	Answer(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error)
}

// AnswererFunc adapts a function to Answerer.
type AnswererFunc func(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error)

// Answer calls f.
func (f AnswererFunc) Answer(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
	f(ctx, i, send)
}
