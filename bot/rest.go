package bot

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bwmarrin/discordgo"
)

// discordgoAPI is the base discordgo builds every endpoint from, once, at
// package init.
var discordgoAPI = discordgo.EndpointAPI

// Rebase returns a transport that sends discordgo's requests to another API
// base, apiURL (DISCORD_API_URL: a REST proxy, or the fake Discord in tests),
// instead of forking discordgo; it passes them, and any other request, on to
// next.
func Rebase(apiURL string, next http.RoundTripper) (http.RoundTripper, error) {
	u, err := url.Parse(strings.TrimRight(apiURL, "/"))
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("DISCORD_API_URL %q is not a URL", apiURL)
	}
	return &rebase{base: u.String(), next: next}, nil
}

type rebase struct {
	base string // e.g. https://discord.com/api/v10
	next http.RoundTripper
}

func (t *rebase) RoundTrip(r *http.Request) (*http.Response, error) {
	rest, ok := strings.CutPrefix(r.URL.String(), discordgoAPI)
	if !ok {
		return t.next.RoundTrip(r)
	}
	u, err := url.Parse(t.base + "/" + rest)
	if err != nil {
		return nil, err
	}
	r2 := r.Clone(r.Context())
	r2.URL = u
	r2.Host = u.Host
	resp, err := t.next.RoundTrip(r2)
	if err != nil && r.Context().Err() == nil {
		// A cancelled or timed-out request is not a wrong DISCORD_API_URL.
		return nil, &unreachableError{method: r.Method, url: u.Redacted(), err: err}
	}
	if err != nil {
		return nil, err
	}
	return resp, nil
}

// unreachableError is a request to DISCORD_API_URL that got no answer.
// net/http wraps it in a *url.Error naming the discord.com URL discordgo
// built, which is not where the request went: apiError unwraps it.
type unreachableError struct {
	method, url string
	err         error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("no answer to %s %s (check DISCORD_API_URL): %v", e.method, e.url, e.err)
}

func (e *unreachableError) Unwrap() error { return e.err }

// apiError returns err, or, when the request got no answer, the error that
// names the URL it was sent to rather than the one discordgo built.
func apiError(err error) error {
	var ue *unreachableError
	if errors.As(err, &ue) {
		return ue
	}
	return err
}
