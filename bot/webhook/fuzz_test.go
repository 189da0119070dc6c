package webhook

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// FuzzInteraction feeds arbitrary bodies, each correctly signed, past the
// signature check into decoding and dispatch: whatever Discord (or anyone
// holding the key) sends, the handler answers and never panics.
func FuzzInteraction(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range seeds {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"type":1}`))
	f.Add([]byte(`{"type":2,"data":null}`))
	f.Add([]byte(`{"type":3,"data":{"component_type":99}}`))
	f.Add([]byte(`null`))
	f.Add([]byte(``))

	pub, priv := testKey(f, 1)
	h := New(pub, answerFunc(func(_ context.Context, i *discordgo.Interaction, send func(*discordgo.InteractionResponse) error) {
		// A router reads the data union first; its accessors panic (and the
		// handler answers 500) if decoding left the wrong type behind.
		switch i.Type {
		case discordgo.InteractionApplicationCommand, discordgo.InteractionApplicationCommandAutocomplete:
			i.ApplicationCommandData()
		case discordgo.InteractionMessageComponent:
			i.MessageComponentData()
		case discordgo.InteractionModalSubmit:
			i.ModalSubmitData()
		}
		if err := send(&discordgo.InteractionResponse{Type: discordgo.InteractionResponseDeferredChannelMessageWithSource}); err != nil {
			panic(err)
		}
	}), WithClock(testNow))

	f.Fuzz(func(t *testing.T, body []byte) {
		rec := serve(h, signedRequest(t, priv, testNow(), body))
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest:
		case http.StatusRequestEntityTooLarge:
			if len(body) <= MaxBodyBytes {
				t.Fatalf("a %d-byte body was refused as too large", len(body))
			}
		default:
			t.Fatalf("a correctly signed body got status %d: %s", rec.Code, rec.Body)
		}
	})
}
