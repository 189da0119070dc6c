package bot

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"talkbot/bot/metrics"
	"talkbot/web"
)

func TestTheServerMountsEveryWebRoute(t *testing.T) {
	if !slices.Equal(webRoutes, web.Routes) {
		t.Fatalf("bot mounts %q, web serves %q", webRoutes, web.Routes)
	}
	var reached []string
	b := &Bot{o: Options{Metrics: metrics.New(), Web: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reached = append(reached, r.URL.Path)
	})}}
	mux := b.server(t.Context()).Handler
	for path, toWeb := range map[string]bool{
		"/": true, "/t/ru-ua-istanbul": true, "/t/ru-ua-istanbul/round/2": true, "/t/ru-ua-istanbul/updates.atom": true,
		"/static/style.css": true, "/calendar.ics": true, "/calendar/ru-ua-istanbul.ics": true,
		"/healthz": false, "/metrics": false, "/nope": false, "/t/a/b": false,
	} {
		reached = nil
		mux.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
		if got := len(reached) == 1; got != toWeb {
			t.Errorf("GET %s reaches the web handler: %v, want %v", path, got, toWeb)
		}
	}
}
