package webhook

import (
	"encoding/json"
	"testing"

	"github.com/bwmarrin/discordgo"
)

func TestIsPing(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"Discord's PING is a PING", `{"application_id":"1","id":"2","token":"t","type":1,"user":{"id":"3","username":"discord"},"version":1}`, true},
		{"type first is a PING", `{"type":1}`, true},
		{"spaces around the member are fine", " {\n\t\"type\" : 1 ,\r\n \"version\":1 } ", true},
		{"a differently cased key is matched as encoding/json does", `{"TYPE":1}`, true},
		{"a nested type does not count", `{"data":{"type":1},"type":2}`, false},
		{"a type inside a string does not count", `{"note":"\"type\":1","type":2}`, false},
		{"a command is not a PING", `{"type":2,"data":{"name":"talks"}}`, false},
		{"the last type wins", `{"type":1,"type":2}`, false},
		{"the last type wins the other way too", `{"type":2,"type":1}`, true},
		{"no type is not a PING", `{"id":"1"}`, false},
		{"10 is not 1", `{"type":10}`, false},
		{"1.0 is left to encoding/json", `{"type":1.0}`, false},
		{"a string type is not a PING", `{"type":"1"}`, false},
		{"an escaped key is left to encoding/json", `{"typ\u0065":1}`, false},
		{"an array is not a PING", `[{"type":1}]`, false},
		{"an empty object is not a PING", `{}`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !json.Valid([]byte(tc.body)) {
				t.Fatalf("test body %s is not valid JSON", tc.body)
			}
			if got := isPing([]byte(tc.body)); got != tc.want {
				t.Errorf("isPing(%s) = %v, want %v", tc.body, got, tc.want)
			}
		})
	}
}

// FuzzIsPing checks isPing against encoding/json: whenever the handler
// would answer PONG (isPing, then json.Valid), decoding the type the
// standard way must agree. (It may say false for a PING; the handler then
// decodes the whole interaction.) isPing runs on every body first, as in
// the handler, so invalid JSON must not make it panic either.
func FuzzIsPing(f *testing.F) {
	for _, seed := range []string{
		`{"type":1}`, `{"TYPE":1,"type":2}`, `{"a":[1,{"type":1}],"type":1}`, `{"type":1,"type":null}`,
		`{"s":"\\\"}","type":1}`, `{"type" : 1 }`, `{"type":1e0}`,
		`{"type":1`, `{"type":1}}`, `{"type":1,,}`, `{"s":"\`, `{"type":`, `{"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if !isPing(body) || !json.Valid(body) {
			return
		}
		var head struct {
			Type discordgo.InteractionType `json:"type"`
		}
		if err := json.Unmarshal(body, &head); err != nil || head.Type != discordgo.InteractionPing {
			t.Fatalf("isPing(%q) but encoding/json decodes type %d (err %v)", body, head.Type, err)
		}
	})
}
