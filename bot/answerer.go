// Package bot is talkbot's Discord edge: the gateway session, the HTTP
// interactions endpoint, REST calls, and the wiring of the scheduler.
package bot

import (
	"context"

	"github.com/bwmarrin/discordgo"
)

// AnswererFunc answers an interaction, whichever way it arrived: it calls
// send exactly once with the initial response, within Discord's 3-second
// deadline, then finishes any follow-up before it returns. It is the shape
// webhook.Answerer and the gateway handler both call.
type AnswererFunc func(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error)

// Answer calls f.
func (f AnswererFunc) Answer(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
	f(ctx, i, send)
}
