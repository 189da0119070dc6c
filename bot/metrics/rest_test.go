package metrics

import (
	"errors"
	"net/http"
	"strings"
	"testing"
)

// Tokens shaped like Discord's: an interaction token is long mixed-case
// base64, a webhook token 68 characters of [A-Za-z0-9_-].
const (
	interactionToken = "aW50ZXJhY3Rpb246MTIzNDU2Nzg5MDEyMzQ1Njc4OlNlY3JldFRva2VuVmFsdWVGb3JUZXN0cw"
	webhookToken     = "Xy_9kLmN0pQrStUvWxYz-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefGhIj"
	lowercaseToken   = "abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnop"
)

func TestRouteTemplate(t *testing.T) {
	tests := []struct {
		name string
		path string
		want string
	}{
		{"snowflakes become {id}", "/api/v9/channels/123456789012345678/messages/223456789012345678", "/api/v9/channels/{id}/messages/{id}"},
		{"an interaction callback hides its token", "/api/v9/interactions/123456789012345678/" + interactionToken + "/callback", "/api/v9/interactions/{id}/{token}/callback"},
		{"a webhook edit hides its token and keeps @original", "/api/v9/webhooks/123456789012345678/" + interactionToken + "/messages/@original", "/api/v9/webhooks/{id}/{token}/messages/@original"},
		{"a follow-up hides its token", "/api/v9/webhooks/123456789012345678/" + webhookToken, "/api/v9/webhooks/{id}/{token}"},
		{"a token of lowercase letters in a token position is still hidden", "/api/v9/webhooks/1/" + lowercaseToken, "/api/v9/webhooks/{id}/{token}"},
		{"a token in a route nobody listed becomes {param}", "/api/v9/somethingnew/" + webhookToken + "/x", "/api/v9/somethingnew/{param}/x"},
		{"an emoji becomes {emoji}", "/api/v9/channels/1/messages/2/reactions/👍/@me", "/api/v9/channels/{id}/messages/{id}/reactions/{emoji}/@me"},
		{"a custom emoji becomes {emoji}", "/api/v9/channels/1/messages/2/reactions/party:123456789012345678/@me", "/api/v9/channels/{id}/messages/{id}/reactions/{emoji}/@me"},
		{"bulk overwrite of guild commands", "/api/v9/applications/1/guilds/2/commands", "/api/v9/applications/{id}/guilds/{id}/commands"},
		{"a mixed-case segment becomes {param}", "/api/v9/invites/AbCdEf", "/api/v9/invites/{param}"},
		{"the root stays the root", "/", "/"},
		{"an empty path is the root", "", "/"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := routeTemplate(tc.path); got != tc.want {
				t.Errorf("routeTemplate(%q) = %q, want %q", tc.path, got, tc.want)
			}
		})
	}
}

func TestRESTTransportNeverLeaksAToken(t *testing.T) {
	m := New()
	c := &http.Client{Transport: m.RESTTransport(statusTransport(http.StatusNoContent))}
	for _, url := range []string{
		"https://discord.com/api/v9/interactions/123456789012345678/" + interactionToken + "/callback?with_response=" + webhookToken,
		"https://discord.com/api/v9/webhooks/123456789012345678/" + interactionToken + "/messages/@original",
		"https://discord.com/api/v9/webhooks/123456789012345678/" + webhookToken + "?wait=true",
		"https://discord.com/api/v9/webhooks/123456789012345678/" + lowercaseToken,
		"https://discord.com/api/v9/unknown/" + webhookToken,
	} {
		get(t, c, url)
	}
	exposition := scrape(t, m)
	for _, token := range []string{interactionToken, webhookToken, lowercaseToken} {
		if strings.Contains(exposition, token) {
			t.Errorf("token %.12s... appears in the scrape", token)
		}
	}
	assertSeries(t, exposition,
		`talkbot_rest_requests_total{route="/api/v9/interactions/{id}/{token}/callback",status="204"} 1`,
		`talkbot_rest_requests_total{route="/api/v9/webhooks/{id}/{token}/messages/@original",status="204"} 1`,
		`talkbot_rest_requests_total{route="/api/v9/webhooks/{id}/{token}",status="204"} 2`,
		`talkbot_rest_requests_total{route="/api/v9/unknown/{param}",status="204"} 1`,
	)
}

func TestRESTTransportCountsFailuresAsError(t *testing.T) {
	m := New()
	c := &http.Client{Transport: m.RESTTransport(failingTransport{})}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "https://discord.com/api/v9/gateway", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(req); err == nil {
		t.Fatal("request through a failing transport succeeded")
	}
	assertSeries(t, scrape(t, m), `talkbot_rest_requests_total{route="/api/v9/gateway",status="error"} 1`)
}

type failingTransport struct{}

func (failingTransport) RoundTrip(*http.Request) (*http.Response, error) {
	return nil, errors.New("connection refused")
}

func FuzzRouteTemplate(f *testing.F) {
	f.Add("/api/v9/webhooks/123/" + webhookToken + "/messages/@original")
	f.Add("/api/v9/channels/1/messages/2/reactions/👍/@me")
	f.Fuzz(func(t *testing.T, path string) {
		got := routeTemplate(path)
		for seg := range strings.SplitSeq(strings.Trim(got, "/"), "/") {
			if len(seg) > 32 {
				t.Fatalf("routeTemplate(%q) = %q keeps a long segment", path, got)
			}
		}
	})
}
