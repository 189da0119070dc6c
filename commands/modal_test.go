package commands_test

import (
	"strings"
	"testing"

	"talkbot/commands"
)

// roundModal is a modal within every limit, as the round editor builds it.
func roundModal() *commands.Modal {
	return &commands.Modal{CustomID: "edit/round:ru-ua-istanbul:3:v7", Title: "Round 3 · Istanbul", Inputs: []commands.TextInput{
		{ID: "starts", Label: "Starts", Value: "2025-06-02T13:00", Required: true},
		{ID: "venue", Label: "Venue", Placeholder: "Çırağan Palace"},
		{ID: "agenda", Label: "Agenda (one item a line)", Long: true, MaxLength: 4000},
		{ID: "outcomes", Label: "Outcomes (one item a line)", Long: true},
		{ID: "documents", Label: "Documents (one a line)", Long: true, Value: strings.Repeat("ж", 4000)},
	}}
}

func TestModalValidate(t *testing.T) {
	tests := []struct {
		name    string
		change  func(m *commands.Modal)
		wantErr string // "" for valid
	}{
		{"a modal within every limit is valid", func(*commands.Modal) {}, ""},
		{"a title of 45 characters (not bytes) is valid", func(m *commands.Modal) { m.Title = strings.Repeat("я", 45) }, ""},
		{"a custom id of 100 bytes is valid", func(m *commands.Modal) { m.CustomID = strings.Repeat("x", 100) }, ""},
		{"a missing custom id is refused", func(m *commands.Modal) { m.CustomID = "" }, "custom id of 0 bytes"},
		{"a custom id past 100 bytes is refused", func(m *commands.Modal) { m.CustomID = strings.Repeat("é", 51) }, "custom id of 102 bytes"},
		{"an empty title is refused", func(m *commands.Modal) { m.Title = "" }, "title of 0 characters"},
		{"a title past 45 characters is refused", func(m *commands.Modal) { m.Title = strings.Repeat("t", 46) }, "title of 46 characters"},
		{"no inputs is refused", func(m *commands.Modal) { m.Inputs = nil }, "0 inputs"},
		{"a sixth input is refused", func(m *commands.Modal) {
			m.Inputs = append(m.Inputs, commands.TextInput{ID: "extra", Label: "Extra"})
		}, "6 inputs"},
		{"an input without an id is refused", func(m *commands.Modal) { m.Inputs[1].ID = "" }, "input 2: custom id of 0 bytes"},
		{"an input id past 100 bytes is refused", func(m *commands.Modal) { m.Inputs[1].ID = strings.Repeat("i", 101) }, "input 2: custom id of 101 bytes"},
		{"two inputs with one id are refused", func(m *commands.Modal) { m.Inputs[3].ID = "agenda" }, `input id "agenda" is used twice`},
		{"an input without a label is refused", func(m *commands.Modal) { m.Inputs[0].Label = "" }, `input "starts": label of 0 characters`},
		{"a label past 45 characters is refused", func(m *commands.Modal) { m.Inputs[0].Label = strings.Repeat("l", 46) }, "label of 46 characters"},
		{"a value past 4,000 characters is refused", func(m *commands.Modal) { m.Inputs[4].Value += "ж" }, "value of 4001 characters"},
		{"a placeholder past 100 characters is refused", func(m *commands.Modal) { m.Inputs[1].Placeholder = strings.Repeat("p", 101) }, "placeholder of 101 characters"},
		{"a max length past 4,000 is refused", func(m *commands.Modal) { m.Inputs[2].MaxLength = 4001 }, "max length 4001"},
		{"a negative max length is refused", func(m *commands.Modal) { m.Inputs[2].MaxLength = -1 }, "max length -1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := roundModal()
			tc.change(m)
			err := m.Validate()
			switch {
			case tc.wantErr == "" && err != nil:
				t.Errorf("Validate = %v; want nil", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Errorf("Validate = %v; want an error saying %q", err, tc.wantErr)
			}
		})
	}
	var none *commands.Modal
	if none.Validate() == nil {
		t.Error("a nil modal is valid; want an error")
	}
}

func TestModalRequestReadsTheCustomIDAsAComponentDoes(t *testing.T) {
	fields := map[string]string{"summary": "Ceasefire first", "by": ""}
	r, err := commands.ModalRequest("edit/position:ru-ua-istanbul:ukraine:v2", fields)
	if err != nil {
		t.Fatal(err)
	}
	if r.Kind != commands.KindModal || r.Path != "edit/position" || strings.Join(r.Args, "|") != "ru-ua-istanbul|ukraine|v2" {
		t.Errorf("request = %+v; want kind modal, path edit/position and three args", r)
	}
	if r.Fields["summary"] != "Ceasefire first" || len(r.Fields) != 2 || r.Options == nil {
		t.Errorf("fields %v, options %v; want the fields as given and an options map", r.Fields, r.Options)
	}
	if r, err := commands.ModalRequest("edit/round", nil); err != nil || r.Fields == nil {
		t.Errorf("no fields: %+v, %v; want an empty map", r, err)
	}
	if _, err := commands.ModalRequest(strings.Repeat("x", 101), nil); err == nil || !strings.Contains(err.Error(), "Discord allows 100") {
		t.Errorf("a custom id past 100 bytes: %v; want an error naming the limit", err)
	}
}
