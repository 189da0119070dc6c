package web

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"

	"talkbot/i18n"
	"talkbot/store"
)

// The pages' templates, stylesheet and script are files in the binary: the
// pages load nothing from anywhere else (the CSP says so too).
//
//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/*
var staticFS embed.FS

// pages holds the parsed templates, once a language, and the static files
// with their hashes.
type pages struct {
	langs     []i18n.Lang
	words     map[i18n.Lang]*i18n.Localizer
	byName    map[i18n.Lang]map[string]*template.Template
	source    *template.Template // one source, rendered once a request however often it is cited
	static    map[string]staticFile
	styleURL  string
	scriptURL string
	iconURL   string
}

type staticFile struct {
	body        []byte
	hash        string
	contentType string
}

// newPages parses the embedded templates once for each language, its
// words bound as the templates' functions (t, n, status): parsing at start
// costs milliseconds a language, where binding them at each request would
// cost a clone of every template. The templates and catalogs are part of
// the binary, so an error is a bug that every test catches, hence the
// panic.
func newPages() *pages {
	cat, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	p := &pages{langs: cat.Langs(), words: map[i18n.Lang]*i18n.Localizer{},
		byName: map[i18n.Lang]map[string]*template.Template{}, static: map[string]staticFile{}}
	for _, lang := range p.langs {
		l := cat.Localizer(lang)
		p.words[lang] = l
		funcs := template.FuncMap{
			"t":      l.Say,
			"n":      l.SayN,
			"status": func(s store.Status) string { return l.Say("status." + string(s)) },
		}
		layout := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
		p.byName[lang] = map[string]*template.Template{}
		for _, name := range []string{"home", "track", "round", "notfound"} {
			p.byName[lang][name] = template.Must(template.Must(layout.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
		}
	}
	p.source = template.Must(template.ParseFS(templateFS, "templates/source.html"))
	files, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, f := range files {
		body, err := staticFS.ReadFile("static/" + f.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(body)
		p.static[f.Name()] = staticFile{body: body, hash: hex.EncodeToString(sum[:6]), contentType: contentType(f.Name())}
	}
	p.styleURL = p.staticURL("style.css")
	p.scriptURL = p.staticURL("local-time.js")
	p.iconURL = p.staticURL("favicon.svg") // else browsers ask for /favicon.ico and log a 404
	return p
}

// staticURL names a file by its content hash, so it can be cached for a
// year and a new build is fetched at once.
func (p *pages) staticURL(name string) string {
	return "/static/" + name + "?v=" + p.static[name].hash
}

func (p *pages) execute(w io.Writer, lang i18n.Lang, name string, data any) error {
	t, ok := p.byName[lang][name]
	if !ok {
		return fmt.Errorf("no template %q", name)
	}
	return t.ExecuteTemplate(w, "layout", data)
}

func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}

// static serves the stylesheet and the script: for a year when asked by
// the current hash, briefly otherwise (an old page asking for an old file).
func (h *Handler) static(w http.ResponseWriter, r *http.Request) {
	f, ok := h.pages.static[r.PathValue("file")]
	if !ok {
		h.notFound(w, r, "web.notfound.file")
		return
	}
	etag := `"` + f.hash + `"`
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("ETag", etag)
	if r.URL.Query().Get("v") == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=300")
	}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", f.contentType)
	w.Write(f.body)
}
