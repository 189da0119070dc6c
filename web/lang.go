package web

import (
	"net/http"
	"net/url"
	"slices"

	"talkbot/i18n"
)

// langCookie keeps a language chosen with the switch (?lang=uk) for the
// pages that follow, whose links do not carry it.
const langCookie = "lang"

// langOf is the language of the page asked for: ?lang= when it names one
// of ours, else the one chosen before (the cookie), else the browser's
// Accept-Language, else English.
func langOf(r *http.Request) i18n.Lang {
	if l, ok := ourLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil {
		if l, ok := ourLang(c.Value); ok {
			return l
		}
	}
	return i18n.Match(r.Header.Get("Accept-Language"))
}

func ourLang(v string) (i18n.Lang, bool) {
	l := i18n.Lang(v)
	return l, v != "" && slices.Contains(i18n.Langs(), l)
}

// varyByLang says a page differs by language, and remembers a language
// chosen with the switch. The ETag names the language too (notModified),
// so a cache never serves one language for another.
func varyByLang(w http.ResponseWriter, r *http.Request) {
	w.Header().Add("Vary", "Accept-Language, Cookie")
	if l, ok := ourLang(r.URL.Query().Get("lang")); ok {
		http.SetCookie(w, &http.Cookie{Name: langCookie, Value: string(l), Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
}

// langLink is one entry of the language switch.
type langLink struct {
	Code, Name, URL string
	Current         bool
}

// langLinks is the switch for the page at r: each language by its own
// name, linking to this page (and its page of statements) in it.
func (p *pages) langLinks(r *http.Request, current i18n.Lang) []langLink {
	out := make([]langLink, 0, len(p.langs))
	for _, l := range p.langs {
		q := url.Values{}
		if v := r.URL.Query().Get("page"); v != "" {
			q.Set("page", v)
		}
		q.Set("lang", string(l))
		out = append(out, langLink{Code: string(l), Name: p.words[l].Say("web.lang_name"),
			URL: r.URL.Path + "?" + q.Encode(), Current: l == current})
	}
	return out
}
