package web_test

import (
	"net/http"
	"strings"
	"testing"

	"talkbot/store/sqlite/sqlitetest"
	"talkbot/web"
)

// The pages speak the browser's language (Accept-Language), or the one
// chosen with the switch (?lang=, then remembered); the data stays as
// written. Golden pages in Ukrainian show every word of two of them.
func TestPagesInTheReadersLanguage(t *testing.T) {
	h := web.New(sqlitetest.Bundled(t, fixed(bundledNow)), "https://talks.example.org", nil, web.WithClock(fixed(bundledNow)))
	for _, tc := range []struct {
		name, path, file string
		header           map[string]string
		status           int
	}{
		{"a track page by Accept-Language", "/t/ru-ua-istanbul", "track.uk.html", map[string]string{"Accept-Language": "uk-UA,uk;q=0.9,en;q=0.8"}, 200},
		{"a round page by the switch", "/t/ru-ua-istanbul/round/2?lang=uk", "round-2.uk.html", nil, 200},
		{"a page not found", "/t/ru-ua-istanbul/round/9", "notfound.uk.html", map[string]string{"Cookie": "lang=uk"}, 404},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := get(t, h, tc.path, tc.header)
			if res.StatusCode != tc.status {
				t.Errorf("status %d, want %d", res.StatusCode, tc.status)
			}
			b := body(t, res)
			if !strings.Contains(b, `<html lang="uk">`) {
				t.Errorf("the page is not marked Ukrainian")
			}
			golden(t, tc.file, staticVersions.ReplaceAllString(b, "?v=HASH"))
		})
	}
}

func TestTheLanguageIsChosenAndVariesTheCache(t *testing.T) {
	h := web.New(sqlitetest.Bundled(t, fixed(bundledNow)), "", nil, web.WithClock(fixed(bundledNow)))
	const path = "/t/ru-ua-istanbul"
	cases := []struct {
		name   string
		path   string
		header map[string]string
		lang   string
		word   string // the track page's "Positions" heading
	}{
		{"no preference is English", path, nil, "en", ">Positions</h2>"},
		{"a browser in Russian", path, map[string]string{"Accept-Language": "ru-RU,ru;q=0.9"}, "ru", ">Позиции</h2>"},
		{"a language we lack is English", path, map[string]string{"Accept-Language": "pt-BR,pt;q=0.9"}, "en", ">Positions</h2>"},
		{"the switch wins over the browser", path + "?lang=tr", map[string]string{"Accept-Language": "ru"}, "tr", ">Tutumlar</h2>"},
		{"a remembered choice wins over the browser", path, map[string]string{"Accept-Language": "ru", "Cookie": "lang=uk"}, "uk", ">Позиції</h2>"},
		{"a bad ?lang= is ignored", path + "?lang=xx", map[string]string{"Accept-Language": "ru"}, "ru", ">Позиции</h2>"},
	}
	etags := map[string]string{}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := get(t, h, tc.path, tc.header)
			b := body(t, res)
			if !strings.Contains(b, `<html lang="`+tc.lang+`">`) || !strings.Contains(b, tc.word) {
				t.Errorf("want a page in %s with %q:\n%.600s", tc.lang, tc.word, b)
			}
			if v := res.Header.Get("Vary"); !strings.Contains(v, "Accept-Language") {
				t.Errorf("Vary %q; want Accept-Language", v)
			}
			etag := res.Header.Get("ETag")
			if other, ok := etags[etag]; ok && other != tc.lang {
				t.Errorf("ETag %s names both a %s and a %s page", etag, other, tc.lang)
			}
			etags[etag] = tc.lang
			// The ETag of one language never answers for another.
			if tc.lang != "en" {
				again := get(t, h, path, map[string]string{"If-None-Match": etag})
				if again.StatusCode == http.StatusNotModified {
					t.Errorf("an English request with the %s page's ETag got 304", tc.lang)
				}
			}
		})
	}
	res := get(t, h, path+"?lang=uk", nil)
	var remembered bool
	for _, c := range res.Cookies() {
		remembered = remembered || c.Name == "lang" && c.Value == "uk" && c.HttpOnly
	}
	if !remembered {
		t.Errorf("the switch's choice is not remembered: cookies %v", res.Cookies())
	}
	if b := body(t, res); !strings.Contains(b, `<strong lang="uk" aria-current="page">Українська</strong>`) || !strings.Contains(b, `href="/t/ru-ua-istanbul?lang=en"`) {
		t.Errorf("the switch does not mark Ukrainian and link to English:\n%s", b)
	}
}
