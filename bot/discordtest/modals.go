package discordtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Modal is a form the bot answered an interaction with (callback type 9),
// as Discord would show it.
type Modal struct {
	InteractionID string
	CustomID      string
	Title         string
	Inputs        []TextInput // in the order shown
	Raw           json.RawMessage
	At            time.Time
}

// TextInput is one text input of a Modal.
type TextInput struct {
	CustomID    string
	Label       string
	Style       int // 1 short, 2 paragraph
	Value       string
	Placeholder string
	Required    bool // as sent; Discord's default when absent is true
	MinLength   int
	MaxLength   int
}

// Values returns what the form shows prefilled, by custom id.
func (m Modal) Values() map[string]string {
	out := map[string]string{}
	for _, in := range m.Inputs {
		out[in.CustomID] = in.Value
	}
	return out
}

// Modals returns every form the bot has shown, oldest first.
func (s *Server) Modals() []Modal {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Modal(nil), s.state.modals...)
}

// WaitModal returns the form the bot answered interaction interactionID
// with, waiting until it comes or ctx ends.
func (s *Server) WaitModal(ctx context.Context, interactionID string) (Modal, error) {
	var found Modal
	err := s.waitFor(ctx, func() bool {
		for _, m := range s.state.modals {
			if m.InteractionID == interactionID {
				found = m
				return true
			}
		}
		return false
	})
	if err != nil {
		return Modal{}, fmt.Errorf("discordtest: no form for interaction %s: %w", interactionID, err)
	}
	return found, nil
}

// modalBody is the data of a type 9 callback, in the legacy layout the
// bot uses: action rows of one text input each.
type modalBody struct {
	CustomID   string `json:"custom_id"`
	Title      string `json:"title"`
	Components []struct {
		Type       int `json:"type"`
		Components []struct {
			Type        int     `json:"type"`
			CustomID    string  `json:"custom_id"`
			Label       *string `json:"label"`
			Style       int     `json:"style"`
			Value       *string `json:"value"`
			Placeholder *string `json:"placeholder"`
			Required    *bool   `json:"required"`
			MinLength   *int    `json:"min_length"`
			MaxLength   *int    `json:"max_length"`
		} `json:"components"`
	} `json:"components"`
}

func readModal(data json.RawMessage) (Modal, error) {
	var b modalBody
	if err := json.Unmarshal(data, &b); err != nil {
		return Modal{}, err
	}
	m := Modal{CustomID: b.CustomID, Title: b.Title, Raw: data}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	for _, row := range b.Components {
		for _, c := range row.Components {
			in := TextInput{CustomID: c.CustomID, Label: deref(c.Label), Style: c.Style, Value: deref(c.Value),
				Placeholder: deref(c.Placeholder), Required: c.Required == nil || *c.Required}
			if c.MinLength != nil {
				in.MinLength = *c.MinLength
			}
			if c.MaxLength != nil {
				in.MaxLength = *c.MaxLength
			}
			m.Inputs = append(m.Inputs, in)
		}
	}
	return m, nil
}

// Interaction types a form may answer: Discord's MODAL response is "not
// available for MODAL_SUBMIT and PING interactions", and autocomplete
// takes only choices.
func modalAllowed(interactionType int) bool {
	return interactionType == 2 || interactionType == 3
}

// modalCallbackLocked records a type 9 callback to it, or refuses one that
// Discord would; s.mu must be held.
func (s *Server) modalCallbackLocked(r *Request, it *interaction, data json.RawMessage, now time.Time) *response {
	if !modalAllowed(it.typ) {
		is := issue{path: []string{"type"}, code: "INTERACTION_CALLBACK_TYPE_INVALID",
			message: fmt.Sprintf("a MODAL response cannot answer an interaction of type %d", it.typ)}
		s.violationLocked(r.Route, is)
		resp := response{status: http.StatusBadRequest, body: issuesBody([]issue{is})}
		return &resp
	}
	m, err := readModal(data)
	if err != nil {
		resp := s.misread(r, err)
		return &resp
	}
	m.InteractionID, m.At = it.id, now
	s.state.modals = append(s.state.modals, m)
	return nil
}

// violationLocked records one violation; s.mu must be held.
func (s *Server) violationLocked(route string, is issue) {
	line := route + ": " + is.String()
	s.violations = append(s.violations, line)
	s.t.Logf("discordtest: violation: %s", line)
}

// modalRules checks a type 9 callback's data beyond the OpenAPI
// description, which allows 40 components of several kinds. The
// documentation: "Between 1 and 5 (inclusive) components that make up the
// modal"; an action row in a modal holds a single text input; and each
// input's custom_id names its value in the submit, so two alike would be
// ambiguous.
func modalRules(data json.RawMessage) []issue {
	var b modalBody
	if json.Unmarshal(data, &b) != nil {
		return nil // the schema check has said what is wrong
	}
	var out []issue
	if len(b.Components) > 5 {
		out = append(out, issue{path: []string{"data", "components"}, code: "BASE_TYPE_BAD_LENGTH",
			message: fmt.Sprintf("Must be between 1 and 5 in length (%d).", len(b.Components))})
	}
	seen := map[string]bool{}
	for i, row := range b.Components {
		if row.Type == 1 && len(row.Components) > 1 {
			out = append(out, issue{path: []string{"data", "components", fmt.Sprint(i), "components"}, code: "BASE_TYPE_BAD_LENGTH",
				message: "an action row in a modal holds a single text input"})
		}
		for j, c := range row.Components {
			if seen[c.CustomID] {
				out = append(out, issue{path: []string{"data", "components", fmt.Sprint(i), "components", fmt.Sprint(j), "custom_id"},
					code: "COMPONENT_CUSTOM_ID_DUPLICATED", message: fmt.Sprintf("custom_id %q is used twice", c.CustomID)})
			}
			seen[c.CustomID] = true
		}
	}
	return out
}
