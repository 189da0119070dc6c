// Package discordtest is a fake Discord for end-to-end tests: a real REST
// server and a real gateway websocket on 127.0.0.1 that an unmodified
// discordgo session talks to.
//
// It records what the bot sends (REST requests, IDENTIFY and RESUME
// payloads, messages per channel), checks every JSON request body against
// Discord's OpenAPI description and against the rules Discord documents but
// the description cannot express, and can be told to misbehave: fail the next
// requests of a route, answer 429, enforce real rate-limit buckets, drop the
// gateway socket, ask the client to reconnect or invalidate its session.
//
// Point discordgo at it with an http.Client whose transport rewrites
// "https://discord.com/api/v9/" to APIBase+"/", as bot.Rebase does;
// discordgo's Open then asks GET /gateway and dials the websocket URL the
// fake returns:
//
//	fake := discordtest.New(t)
//	session, _ := discordgo.New("Bot " + fake.Token)
//	rebase, _ := bot.Rebase(fake.APIBase, http.DefaultTransport)
//	session.Client = &http.Client{Transport: rebase}
//	session.Open() // IDENTIFY, then READY
//	fake.WaitReady(ctx)
//	fake.Dispatch("INTERACTION_CREATE", interaction)
//	fake.WaitRequest(ctx, func(r discordtest.Request) bool {
//		return r.Route == "POST /interactions/{interaction_id}/{interaction_token}/callback"
//	})
//	if v := fake.Violations(); len(v) > 0 { t.Error(v) }
//
// Interaction builds interactions from a Caller (a server member with a
// nickname and roles, or a user in a DM); ModalSubmit builds a form's
// submit, SubmitModal sends one over the gateway, and PostInteraction and
// PostModalSubmit sign one to the bot's HTTP interactions endpoint and
// record its answer as the callback it stands for. Forms the bot answers
// with (callback type 9) are checked and kept: Modals, WaitModal.
//
// Guild scheduled events (list, create, get, edit, delete) are kept per
// guild with Discord's rules: EXTERNAL events need a location and an end
// after the start, a start may not have passed, statuses move only
// SCHEDULED -> ACTIVE or CANCELED and ACTIVE -> COMPLETED, a finished event
// cannot be edited (180000), and a guild holds at most 100 unfinished events
// (30038). Events shows them; DeleteEventByHand, SetEventStatus and
// DenyManageEvents act as a moderator or Discord itself would; DropNextReply
// makes a request take effect while its answer is lost.
//
// Routes are named as in Discord's OpenAPI description, method first:
// "PUT /applications/{application_id}/commands",
// "POST /webhooks/{webhook_id}/{webhook_token}" (an interaction's
// follow-ups: webhook_id is the application id, webhook_token the
// interaction token).
//
// Closing a discordgo v0.29 session can reconnect it: Close holds the
// session's lock for a second, and a heartbeat due meanwhile fails on the
// closed socket and calls reconnect. Before Close, set
// ShouldReconnectOnError to false while holding the session's lock (the
// bot's own shutdown should do the same), or the session may outlive the
// test and retry the stopped fake in the background.
package discordtest
