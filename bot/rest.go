package bot

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// discordgoAPI is the base discordgo builds every endpoint from, once, at
// package init.
var discordgoAPI = discordgo.EndpointAPI

// rebase is an http.RoundTripper that sends discordgo's requests to another
// API base (DISCORD_API_URL: a REST proxy, or the fake Discord in tests)
// instead of forking discordgo.
type rebase struct {
	base *url.URL // e.g. https://discord.com/api/v10
	next http.RoundTripper
}

// newRebase returns a transport that rewrites discordgo's base to apiURL.
func newRebase(apiURL string, next http.RoundTripper) (*rebase, error) {
	u, err := url.Parse(strings.TrimRight(apiURL, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("DISCORD_API_URL %q is not a URL", apiURL)
	}
	if next == nil {
		next = http.DefaultTransport
	}
	return &rebase{base: u, next: next}, nil
}

func (t *rebase) RoundTrip(r *http.Request) (*http.Response, error) {
	full := r.URL.String()
	if !strings.HasPrefix(full, discordgoAPI) {
		return t.next.RoundTrip(r)
	}
	rest := strings.TrimPrefix(full, discordgoAPI)
	u, err := url.Parse(t.base.String() + "/" + rest)
	if err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	r2.URL = u
	r2.Host = u.Host
	return t.next.RoundTrip(r2)
}
