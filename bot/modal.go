package bot

import (
	"fmt"

	"github.com/bwmarrin/discordgo"

	"talkbot/bot/metrics"
	"talkbot/commands"
)

// modalTooLate is what the caller sees when a handler answered with a form
// after the dispatcher had deferred: Discord takes a form only as the
// first response, and the deferral was that.
const modalTooLate = "Opening the form took too long. Please run the command again."

// modalResponse answers with a form (type 9) if Discord would take it:
// as the first response, to a command or a button, within Discord's
// limits. Otherwise the caller gets an ephemeral message: "try again" when
// the form came after a deferral, else the apology of an internal error,
// since a form Discord refuses is our bug, not theirs.
func (d *Dispatcher) modalResponse(req commands.Request, name string, m *commands.Modal, deferred bool) (*discordgo.InteractionResponse, string) {
	if deferred {
		d.log.Warn("a form came after the deferral; asked the caller to try again", "command", name, "modal", m.CustomID)
		return errorResponse(req, modalTooLate), metrics.OutcomeTooSlow
	}
	err := m.Validate()
	if err == nil && req.Kind != commands.KindCommand && req.Kind != commands.KindComponent {
		// Discord: a modal is "not available for MODAL_SUBMIT and PING
		// interactions", and autocomplete takes only choices.
		err = fmt.Errorf("a form cannot answer an interaction of kind %d", req.Kind)
	}
	if err != nil {
		return d.internalError(req, name, fmt.Errorf("refusing to send a form Discord would reject: %w", err), false), metrics.OutcomeInternalError
	}
	return toModalResponse(m), metrics.OutcomeOK
}

// toModalResponse renders a valid form: one action row per text input, as
// Discord's modals take them.
func toModalResponse(m *commands.Modal) *discordgo.InteractionResponse {
	rows := make([]discordgo.MessageComponent, 0, len(m.Inputs))
	for _, in := range m.Inputs {
		style := discordgo.TextInputShort
		if in.Long {
			style = discordgo.TextInputParagraph
		}
		rows = append(rows, discordgo.ActionsRow{Components: []discordgo.MessageComponent{discordgo.TextInput{
			CustomID: in.ID, Label: in.Label, Style: style, Value: in.Value,
			Placeholder: in.Placeholder, Required: in.Required, MaxLength: in.MaxLength,
		}}})
	}
	return &discordgo.InteractionResponse{Type: discordgo.InteractionResponseModal, Data: &discordgo.InteractionResponseData{
		CustomID: m.CustomID, Title: m.Title, Components: rows,
	}}
}
