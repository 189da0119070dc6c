package bot

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"runtime/debug"
	"time"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/metrics"
	"talkbot/commands"
)

// Handler turns requests into replies (commands.Commands).
type Handler interface {
	Handle(ctx context.Context, req commands.Request) (commands.Reply, error)
}

// privateHandler is a Handler that knows which commands answer their
// caller alone (commands.Commands does): a slow one is deferred as
// ephemeral, so no public "thinking" message shows in the channel.
type privateHandler interface {
	Private(req commands.Request) bool
}

// Observer records what happened to each interaction (bot/metrics).
type Observer interface {
	ObserveInteraction(command, outcome string, d time.Duration)
}

// Follow-up REST calls for a deferred reply.
type followUps interface {
	InteractionResponseEdit(i *discordgo.Interaction, edit *discordgo.WebhookEdit, opts ...discordgo.RequestOption) (*discordgo.Message, error)
	InteractionResponseDelete(i *discordgo.Interaction, opts ...discordgo.RequestOption) error
	FollowupMessageCreate(i *discordgo.Interaction, wait bool, data *discordgo.WebhookParams, opts ...discordgo.RequestOption) (*discordgo.Message, error)
}

// Dispatcher answers interactions with the handlers. It answers for
// both the gateway and the HTTP endpoint.
type Dispatcher struct {
	handler Handler
	rest    followUps
	log     *slog.Logger
	observe Observer
	// budget is how long a handler may run before the dispatcher defers
	// (type 5), well inside Discord's 3 seconds.
	budget time.Duration
	// limit bounds a handler's whole run; a deferred reply may be edited for
	// 15 minutes, but nobody waits that long.
	limit time.Duration
}

// NewDispatcher builds a dispatcher.
func NewDispatcher(h Handler, rest followUps, log *slog.Logger, observe Observer) *Dispatcher {
	return &Dispatcher{handler: h, rest: rest, log: log, observe: observe, budget: 2 * time.Second, limit: 60 * time.Second}
}

// noMentions pings nobody: stored text may hold "@everyone" or a role.
func noMentions() *discordgo.MessageAllowedMentions {
	return &discordgo.MessageAllowedMentions{Parse: []discordgo.AllowedMentionType{}}
}

// outcome of one handler run.
type outcome struct {
	reply commands.Reply
	err   error
	panic bool
}

// Answer answers i through send, deferring when the handler is slow.
func (d *Dispatcher) Answer(ctx context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
	start := time.Now()
	req, err := FromInteraction(i)
	if err != nil {
		d.log.Warn("unusable interaction", "type", int(i.Type), "err", err)
		d.sendLogged(send, errorResponse(commands.Request{}, "This interaction is not something talkbot can answer."), "unusable")
		return
	}
	name := commands.Command(req)
	hctx, cancel := context.WithTimeout(ctx, d.limit)
	defer cancel()
	done := make(chan outcome, 1)
	go d.run(hctx, req, done)

	timer := time.NewTimer(d.budget)
	defer timer.Stop()
	select {
	case o := <-done:
		resp, label := d.response(req, name, o, false)
		if d.sendLogged(send, resp, name) {
			d.notify(ctx, i, name, o)
		}
		d.observe.ObserveInteraction(name, label, time.Since(start))
		return
	case <-timer.C:
	}
	if req.Kind == commands.KindAutocomplete {
		// Autocomplete cannot be deferred: answer with no choices now.
		d.sendLogged(send, toResponse(req, commands.Reply{}), name)
		d.observe.ObserveInteraction(name, metrics.OutcomeTooSlow, time.Since(start))
		return
	}
	deferral := &discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}
	private := false
	if ph, ok := d.handler.(privateHandler); ok && req.Kind == commands.KindCommand && ph.Private(req) {
		private = true
		deferral.Data = &discordgo.InteractionResponseData{Flags: discordgo.MessageFlagsEphemeral}
	}
	if req.Kind == commands.KindComponent {
		deferral.Type = discordgo.InteractionResponseDeferredMessageUpdate
	}
	if err := send(deferral); err != nil {
		d.log.Error("deferring failed", "command", name, "err", err)
		return
	}
	var o outcome
	select {
	case o = <-done:
	case <-hctx.Done():
		o = outcome{err: fmt.Errorf("handler did not finish: %w", hctx.Err())}
	}
	resp, label := d.response(req, name, o, true)
	// The follow-ups run under ctx, not hctx: the handler's bound may be
	// what just ran out, and the apology must still be sent.
	d.finishDeferred(ctx, i, name, resp, private)
	d.notify(ctx, i, name, o)
	d.observe.ObserveInteraction(name, label+metrics.DeferredSuffix, time.Since(start))
}

// notify sends a reply's notice (why the caller's reminders stopped, say)
// as an ephemeral follow-up, for the caller alone.
func (d *Dispatcher) notify(ctx context.Context, i *discordgo.Interaction, name string, o outcome) {
	// A form (type 9) creates no message that a follow-up could go after.
	if o.err != nil || o.reply.Notice == "" || o.reply.Modal != nil {
		return
	}
	_, err := d.rest.FollowupMessageCreate(i, false, &discordgo.WebhookParams{
		Content: o.reply.Notice, Flags: discordgo.MessageFlagsEphemeral, AllowedMentions: noMentions(),
	}, discordgo.WithContext(ctx))
	if err != nil {
		d.log.Warn("sending a notice failed", "command", name, "err", err)
	}
}

// run calls the handler, turning a panic into an error.
func (d *Dispatcher) run(ctx context.Context, req commands.Request, done chan<- outcome) {
	defer func() {
		if p := recover(); p != nil {
			done <- outcome{err: fmt.Errorf("panic: %v\n%s", p, debug.Stack()), panic: true}
		}
	}()
	r, err := d.handler.Handle(ctx, req)
	done <- outcome{reply: r, err: err}
}

// response turns an outcome into the message to send, logging internal
// errors once, here, with the reference id the user sees. deferred says
// the first response (a deferral) has gone already.
func (d *Dispatcher) response(req commands.Request, name string, o outcome, deferred bool) (*discordgo.InteractionResponse, string) {
	if o.err == nil && o.reply.Modal != nil {
		return d.modalResponse(req, name, o.reply.Modal, deferred)
	}
	if o.err == nil {
		return toResponse(req, o.reply), metrics.OutcomeOK
	}
	if ue, ok := commands.AsUserError(o.err); ok {
		return errorResponse(req, ue.Message), metrics.OutcomeUserError
	}
	label := metrics.OutcomeInternalError
	if o.panic {
		label = metrics.OutcomePanic
	}
	return d.internalError(req, name, o.err, o.panic), label
}

// internalError logs err once with a reference id and returns the
// apology that shows the user the same id.
func (d *Dispatcher) internalError(req commands.Request, name string, err error, panicked bool) *discordgo.InteractionResponse {
	ref := newRef()
	d.log.Error("interaction failed", "ref", ref, "command", name, "guild", req.GuildID, "channel", req.ChannelID, "panic", panicked, "err", err)
	return errorResponse(req, commands.InternalError(req.Locale, ref))
}

// finishDeferred edits the deferred reply; an ephemeral one replaces the
// public "thinking" message with an ephemeral follow-up, so an error meant
// for the caller is not shown to the channel.
func (d *Dispatcher) finishDeferred(ctx context.Context, i *discordgo.Interaction, name string, resp *discordgo.InteractionResponse, private bool) {
	data := resp.Data // never nil: toResponse always fills it
	// A private deferral is already ephemeral: editing it keeps it so.
	if !private && data.Flags&discordgo.MessageFlagsEphemeral != 0 && resp.Type != discordgo.InteractionResponseUpdateMessage {
		// A command's deferral posted a public "thinking" message: remove
		// it. A button's (type 6) posted nothing, and @original is the
		// message the button is on, which must stay.
		if i.Type != discordgo.InteractionMessageComponent {
			if err := d.rest.InteractionResponseDelete(i, discordgo.WithContext(ctx)); err != nil {
				d.log.Warn("removing a deferred reply failed", "command", name, "err", err)
			}
		}
		_, err := d.rest.FollowupMessageCreate(i, false, &discordgo.WebhookParams{
			Content: data.Content, Embeds: data.Embeds, Flags: data.Flags, AllowedMentions: noMentions(),
		}, discordgo.WithContext(ctx))
		if err != nil {
			d.log.Error("sending a deferred reply failed", "command", name, "err", err)
		}
		return
	}
	edit := &discordgo.WebhookEdit{Content: &data.Content, Embeds: &data.Embeds, AllowedMentions: noMentions()}
	if data.Components != nil {
		edit.Components = &data.Components
	}
	if _, err := d.rest.InteractionResponseEdit(i, edit, discordgo.WithContext(ctx)); err != nil {
		d.log.Error("editing a deferred reply failed", "command", name, "err", err)
	}
}

func (d *Dispatcher) sendLogged(send func(*discordgo.InteractionResponse) error, resp *discordgo.InteractionResponse, name string) bool {
	if err := send(resp); err != nil {
		d.log.Error("answering an interaction failed", "command", name, "err", err)
		return false
	}
	return true
}

// toResponse renders a reply as Discord's interaction response.
func toResponse(req commands.Request, r commands.Reply) *discordgo.InteractionResponse {
	if req.Kind == commands.KindAutocomplete {
		choices := r.Choices
		if choices == nil {
			choices = []*discordgo.ApplicationCommandOptionChoice{}
		}
		return &discordgo.InteractionResponse{Type: discordgo.InteractionApplicationCommandAutocompleteResult,
			Data: &discordgo.InteractionResponseData{Choices: choices}}
	}
	typ := discordgo.InteractionResponseChannelMessageWithSource
	if r.Update {
		typ = discordgo.InteractionResponseUpdateMessage
	}
	data := &discordgo.InteractionResponseData{
		Content: r.Content, Embeds: r.Embeds, Components: r.Components, AllowedMentions: noMentions(),
	}
	if r.Ephemeral {
		data.Flags = discordgo.MessageFlagsEphemeral
	}
	return &discordgo.InteractionResponse{Type: typ, Data: data}
}

// errorResponse is an ephemeral message; for autocomplete, no choices.
func errorResponse(req commands.Request, msg string) *discordgo.InteractionResponse {
	if req.Kind == commands.KindAutocomplete {
		return toResponse(req, commands.Reply{})
	}
	return toResponse(commands.Request{}, commands.Reply{Content: msg, Ephemeral: true})
}

// newRef is a short id tying a user's apology to a log line.
func newRef() string {
	b := make([]byte, 4)
	rand.Read(b) // never fails: since Go 1.24 a failure crashes the program
	return hex.EncodeToString(b)
}

// commandsRequestKind is the little errorResponse needs to know about an
// interaction it will not handle.
func commandsRequestKind(i *discordgo.Interaction) commands.Request {
	if i.Type == discordgo.InteractionApplicationCommandAutocomplete {
		return commands.Request{Kind: commands.KindAutocomplete}
	}
	return commands.Request{}
}
