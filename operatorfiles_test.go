package main

import (
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The operator's files (.dockerignore, Dockerfile, docker-compose.yml,
// deploy/nginx.conf, README, go.mod) are checked here by content: no Docker
// engine runs in CI. .ci/run runs these first.

// dockerignored reports whether .dockerignore's patterns keep name (a
// slash-separated path from the context's root) out of the build context,
// as Docker reads them: a pattern matches the path or a folder above it,
// "**/" matches any number of folders, a leading "!" takes a path back, and
// the last matching pattern wins.
func dockerignored(patterns []string, name string) bool {
	parts := strings.Split(name, "/")
	ignored := false
	for _, p := range patterns {
		keep := strings.HasPrefix(p, "!")
		p = strings.TrimPrefix(strings.TrimPrefix(p, "!"), "/")
		for i := 1; i <= len(parts); i++ {
			if globMatch(p, parts[:i]) {
				ignored = !keep
				break
			}
		}
	}
	return ignored
}

func globMatch(pattern string, parts []string) bool {
	if rest, ok := strings.CutPrefix(pattern, "**/"); ok {
		for i := range parts {
			if globMatch(rest, parts[i:]) {
				return true
			}
		}
		return false
	}
	ok, err := path.Match(pattern, strings.Join(parts, "/"))
	return err == nil && ok
}

func dockerignorePatterns(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(readFile(t, ".dockerignore"), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

func TestOperatorFilesDockerignoreKeepsSecretsOut(t *testing.T) {
	patterns := dockerignorePatterns(t)
	for _, name := range []string{
		".env", ".env.local", "deploy/.env",
		"talkbot.db", "talkbot.db-wal", "talkbot.db-shm", "talkbot.db-journal", "data/old.db", "tmp/x/talkbot.db-wal",
		".git", ".git/HEAD", ".git/objects/ab/cdef",
		"talkbot.test", "store/sqlite/sqlite.test", "cover.out", "talkbot",
		".vscode/settings.json", "main.go.swp", "store/store.go~",
	} {
		if !dockerignored(patterns, name) {
			t.Errorf(".dockerignore lets %s into the build context", name)
		}
	}
	// Everything the build reads stays in: the Go sources, go.mod, go.sum
	// and the embedded files.
	var needed []string
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if strings.HasPrefix(d.Name(), ".") && p != "." {
				return filepath.SkipDir
			}
			return nil
		}
		p = filepath.ToSlash(p)
		switch {
		case p == "go.mod", p == "go.sum", strings.HasSuffix(p, ".go"),
			strings.HasSuffix(p, ".sql"), strings.HasPrefix(p, "data/"), strings.HasPrefix(p, "bot/discordtest/openapi/"), strings.HasPrefix(p, "locales/"):
			needed = append(needed, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(needed, "data/talks.yaml") || !slices.Contains(needed, "main.go") {
		t.Fatalf("the walk found %d needed files, without data/talks.yaml or main.go", len(needed))
	}
	for _, p := range needed {
		if dockerignored(patterns, p) {
			t.Errorf(".dockerignore keeps %s out, but the build needs it", p)
		}
	}
}

func TestDockerignoreMatcher(t *testing.T) {
	patterns := []string{"*.db", "**/.env", "docs", "!docs/keep.md"}
	for name, want := range map[string]bool{
		"a.db": true, "sub/a.db": false, ".env": true, "x/y/.env": true,
		"docs/a.md": true, "docs/keep.md": false, "main.go": false,
	} {
		if got := dockerignored(patterns, name); got != want {
			t.Errorf("dockerignored(%s) = %v; want %v", name, got, want)
		}
	}
}

// nginxLocation is one location block of nginx.conf.
type nginxLocation struct {
	modifier, path string // modifier is "", "=", "^~", "~" or "~*"
	body           string
}

var nginxLocationRE = regexp.MustCompile(`location\s+(?:(=|\^~|~\*|~)\s*)?(\S+)\s*\{([^{}]*)\}`)

func nginxLocations(t *testing.T, conf string) []nginxLocation {
	t.Helper()
	var lines []string
	for _, l := range strings.Split(conf, "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		lines = append(lines, l)
	}
	var out []nginxLocation
	for _, m := range nginxLocationRE.FindAllStringSubmatch(strings.Join(lines, "\n"), -1) {
		out = append(out, nginxLocation{modifier: m[1], path: m[2], body: m[3]})
	}
	if len(out) == 0 {
		t.Fatal("deploy/nginx.conf has no location blocks")
	}
	return out
}

// nginxRoute is the location nginx picks for a request path: an exact
// match, else the longest prefix if it says ^~, else the first matching
// regular expression, else the longest prefix; nil when none matches.
func nginxRoute(locs []nginxLocation, uri string) *nginxLocation {
	var prefix *nginxLocation
	for i, l := range locs {
		switch l.modifier {
		case "=":
			if l.path == uri {
				return &locs[i]
			}
		case "", "^~":
			if strings.HasPrefix(uri, l.path) && (prefix == nil || len(l.path) > len(prefix.path)) {
				prefix = &locs[i]
			}
		}
	}
	if prefix != nil && prefix.modifier == "^~" {
		return prefix
	}
	for i, l := range locs {
		if l.modifier == "~" || l.modifier == "~*" {
			expr := l.path
			if l.modifier == "~*" {
				expr = "(?i)" + expr
			}
			if re, err := regexp.Compile(expr); err == nil && re.MatchString(uri) {
				return &locs[i]
			}
		}
	}
	return prefix
}

func proxied(l *nginxLocation) bool {
	return l != nil && strings.Contains(l.body, "proxy_pass") && !strings.Contains(l.body, "deny all")
}

func TestOperatorFilesNginxExposesOnlyInteractions(t *testing.T) {
	locs := nginxLocations(t, readFile(t, "deploy/nginx.conf"))
	for _, uri := range []string{"/interactions", "/calendar.ics", "/calendar/ru-ua-istanbul.ics",
		"/", "/t/ru-ua-istanbul", "/t/ru-ua-istanbul/round/2", "/t/ru-ua-istanbul/updates.atom", "/static/style.css"} {
		if !proxied(nginxRoute(locs, uri)) {
			t.Errorf("deploy/nginx.conf does not pass %s on to talkbot", uri)
		}
	}
	for _, uri := range []string{"/metrics", "/metrics/", "/readyz", "/interactions/x", "/debug/pprof/", "/calendar", "/t", "/static", "/index.html"} {
		if l := nginxRoute(locs, uri); proxied(l) {
			t.Errorf("deploy/nginx.conf passes %s on to talkbot (location %s %s): only /interactions, the calendar feeds, the pages (and /healthz) belong on the internet", uri, l.modifier, l.path)
		}
	}
}

func TestNginxRoute(t *testing.T) {
	locs := nginxLocations(t, `location / { proxy_pass x; } # location /metrics { return 404; }
		location = /a { return 404; } location ~ ^/m { proxy_pass y; } location ^~ /mm { return 404; }`)
	for uri, want := range map[string]string{"/a": "/a", "/b": "/", "/metrics": "^/m", "/mm": "/mm"} {
		if got := nginxRoute(locs, uri); got == nil || got.path != want {
			t.Errorf("nginxRoute(%s) = %v; want location %s", uri, got, want)
		}
	}
	if proxied(nginxRoute(locs, "/a")) || !proxied(nginxRoute(locs, "/metrics")) {
		t.Error("proxied misreads return and proxy_pass")
	}
}

// dockerfileBinary is where the image keeps the talkbot binary.
func dockerfileBinary(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^ENTRYPOINT \["([^"]+)"\]`).FindStringSubmatch(readFile(t, "Dockerfile"))
	if m == nil {
		t.Fatal(`the Dockerfile has no ENTRYPOINT ["/path/to/talkbot"]`)
	}
	return m[1]
}

func TestOperatorFilesDockerfileStampsTheVersion(t *testing.T) {
	df := readFile(t, "Dockerfile")
	flags := dockerfileLdflags(t)
	for arg, v := range map[string]string{"VERSION": "main.version", "REVISION": "main.revision", "BUILD_DATE": "main.buildDate"} {
		if !regexp.MustCompile(`(?m)^ARG ` + arg + `\b`).MatchString(df) {
			t.Errorf("the Dockerfile has no ARG %s", arg)
		}
		if !strings.Contains(flags, "-X "+v+"=${"+arg+"}") {
			t.Errorf("the Dockerfile's -ldflags %q do not set %s from ${%s}", flags, v, arg)
		}
	}
	if bin := dockerfileBinary(t); !strings.Contains(df, "COPY --from=build /out/talkbot "+bin+"\n") {
		t.Errorf("the Dockerfile's ENTRYPOINT %s is not where the binary is copied", bin)
	}
}

func TestOperatorFilesComposeHasHealthchecks(t *testing.T) {
	var compose struct {
		Services map[string]struct {
			Image       string `yaml:"image"`
			Build       any    `yaml:"build"`
			Healthcheck *struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
			DependsOn yaml.Node `yaml:"depends_on"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal([]byte(readFile(t, "docker-compose.yml")), &compose); err != nil {
		t.Fatalf("docker-compose.yml: %v", err)
	}
	bin := dockerfileBinary(t)
	healthy := map[string]bool{}
	var talkbots []string
	for name, s := range compose.Services {
		if s.Healthcheck == nil || len(s.Healthcheck.Test) == 0 {
			continue
		}
		healthy[name] = true
		if s.Build != nil {
			talkbots = append(talkbots, name)
			if want := []string{"CMD", bin, "healthcheck"}; !slices.Equal(s.Healthcheck.Test, want) {
				t.Errorf("service %s: healthcheck %q; want %q (the image has no curl or wget)", name, s.Healthcheck.Test, want)
			}
		}
		if strings.HasPrefix(s.Image, "postgres") && !strings.Contains(strings.Join(s.Healthcheck.Test, " "), "pg_isready") {
			t.Errorf("service %s: healthcheck %q does not run pg_isready", name, s.Healthcheck.Test)
		}
	}
	for name, s := range compose.Services {
		if s.Build != nil && !slices.Contains(talkbots, name) {
			t.Errorf("service %s runs talkbot without a healthcheck", name)
		}
		if strings.HasPrefix(s.Image, "postgres") && !healthy[name] {
			t.Errorf("service %s runs PostgreSQL without a healthcheck", name)
		}
		// Every dependency on a service with a healthcheck waits for it to
		// be healthy (a list form waits only for the start).
		switch s.DependsOn.Kind {
		case yaml.SequenceNode:
			for _, n := range s.DependsOn.Content {
				if healthy[n.Value] {
					t.Errorf("service %s: depends_on %s starts it only; use condition: service_healthy", name, n.Value)
				}
			}
		case yaml.MappingNode:
			var deps map[string]struct {
				Condition string `yaml:"condition"`
			}
			if err := s.DependsOn.Decode(&deps); err != nil {
				t.Fatal(err)
			}
			for dep, d := range deps {
				if healthy[dep] && d.Condition != "service_healthy" {
					t.Errorf("service %s: depends_on %s has condition %q; want service_healthy", name, dep, d.Condition)
				}
			}
		}
	}
	if len(talkbots) == 0 {
		t.Error("docker-compose.yml builds no talkbot service with a healthcheck")
	}
}

// README states the Go release go.mod requires, exactly, so a newcomer on
// an older 1.26 release knows what to install; the Dockerfile's Go image
// is of the same minor release.
func TestOperatorFilesGoVersionAgrees(t *testing.T) {
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+(?:\.\d+)?)\s*$`).FindStringSubmatch(readFile(t, "go.mod"))
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	goLine := m[1]
	readme := readFile(t, "README.md")
	stated := regexp.MustCompile(`Go (\d+\.\d+(?:\.\d+)?)`).FindAllStringSubmatch(readme, -1)
	if !strings.Contains(readme, "Go "+goLine+" or newer") {
		t.Errorf(`README.md does not say "Go %s or newer", as go.mod's go line requires`, goLine)
	}
	for _, s := range stated {
		if s[1] != goLine {
			t.Errorf("README.md says %q, go.mod says go %s", s[0], goLine)
		}
	}
	minor := goLine
	if parts := strings.Split(goLine, "."); len(parts) > 2 {
		minor = parts[0] + "." + parts[1]
	}
	img := regexp.MustCompile(`(?m)^FROM golang:(\d+\.\d+(?:\.\d+)?)`).FindStringSubmatch(readFile(t, "Dockerfile"))
	if img == nil || (img[1] != minor && img[1] != goLine) {
		t.Errorf("the Dockerfile builds with golang:%v; want golang:%s (the newest %s release) or golang:%s", img, minor, minor, goLine)
	}
}
