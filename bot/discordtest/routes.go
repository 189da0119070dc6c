package discordtest

import (
	"sort"
	"strings"
)

// router matches request paths against the path templates of Discord's
// OpenAPI description, so every request gets the route name Discord's own
// documentation uses, whether or not the fake implements it.
type router struct {
	templates []template
	known     map[string]bool
}

type template struct {
	path string   // "/channels/{channel_id}/messages"
	segs []string // "channels", "{channel_id}", "messages"
}

func newRouter(paths []string) *router {
	rt := &router{known: map[string]bool{}}
	for _, p := range paths {
		rt.templates = append(rt.templates, template{path: p, segs: strings.Split(strings.Trim(p, "/"), "/")})
		rt.known[p] = true
	}
	// Literal segments beat parameters at the first place two templates of
	// the same length differ, so "/users/@me" wins over "/users/{user_id}"
	// and ".../messages/@original" over ".../messages/{message_id}".
	sort.Slice(rt.templates, func(i, j int) bool {
		a, b := rt.templates[i], rt.templates[j]
		if len(a.segs) != len(b.segs) {
			return len(a.segs) < len(b.segs)
		}
		if sa, sb := shape(a.segs), shape(b.segs); sa != sb {
			return sa < sb
		}
		return a.path < b.path
	})
	return rt
}

// shape writes a template as '0' for each literal segment and '1' for each
// parameter, so that sorting shapes puts literals first.
func shape(segs []string) string {
	var b strings.Builder
	for _, s := range segs {
		if isParam(s) {
			b.WriteByte('1')
		} else {
			b.WriteByte('0')
		}
	}
	return b.String()
}

func isParam(seg string) bool { return strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") }

func (rt *router) knows(path string) bool { return rt.known[path] }

// match returns the template that path fits and its parameters.
func (rt *router) match(path string) (string, map[string]string, bool) {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	for _, t := range rt.templates {
		if len(t.segs) != len(segs) {
			continue
		}
		params := map[string]string{}
		ok := true
		for i, ts := range t.segs {
			switch {
			case isParam(ts) && segs[i] != "":
				params[strings.Trim(ts, "{}")] = segs[i]
			case ts != segs[i]:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			return t.path, params, true
		}
	}
	return "", nil, false
}
