package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

func TestVersionStamp(t *testing.T) {
	recorded := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "talkbot", Version: "v0.0.0-20261206051500-7b8f39c1a2b3+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "CGO_ENABLED", Value: "0"},
			{Key: "GOARCH", Value: "amd64"},
			{Key: "GOOS", Value: "linux"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "7b8f39c1a2b3d4e5f60718293a4b5c6d7e8f9012"},
			{Key: "vcs.time", Value: "2026-12-06T05:15:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	devel := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Path: "talkbot", Version: "(devel)"}}
	for _, tc := range []struct {
		name                 string
		ldVersion, ldRev, ld string
		info                 *debug.BuildInfo
		want                 string
	}{
		{"the build info alone (go build in a checkout)", unsetVersion, "", "", recorded, `talkbot v0.0.0-20261206051500-7b8f39c1a2b3+dirty
revision: 7b8f39c1a2b3d4e5f60718293a4b5c6d7e8f9012
modified: true
date: 2026-12-06T05:15:00Z
go: go1.26.8 linux/amd64 CGO_ENABLED=0
`},
		{"ldflags values take precedence (the Docker build)", "v1.4.0", "0123456789abcdef0123456789abcdef01234567", "2026-12-01T10:00:00Z", recorded, `talkbot v1.4.0
revision: 0123456789abcdef0123456789abcdef01234567
date: 2026-12-01T10:00:00Z
go: go1.26.8 linux/amd64 CGO_ENABLED=0
`},
		{"ldflags only, no VCS in the build info (Docker without .git)", "v1.4.0", "0123456", "2026-12-01T10:00:00Z", devel, `talkbot v1.4.0
revision: 0123456
date: 2026-12-01T10:00:00Z
go: go1.26.8
`},
		{"ldflags naming the recorded revision keep its modified flag", "", "7b8f39c1a2b3d4e5f60718293a4b5c6d7e8f9012", "", recorded, `talkbot v0.0.0-20261206051500-7b8f39c1a2b3+dirty
revision: 7b8f39c1a2b3d4e5f60718293a4b5c6d7e8f9012
modified: true
date: 2026-12-06T05:15:00Z
go: go1.26.8 linux/amd64 CGO_ENABLED=0
`},
		{"nothing known says how to set it", unsetVersion, "", "", devel, `talkbot dev
revision: unknown (built without .git: pass -ldflags "-X main.revision=...", or docker build --build-arg REVISION=...)
date: unknown
go: go1.26.8
`},
		{"no build info at all", unsetVersion, "", "", nil, `talkbot dev
revision: unknown (built without .git: pass -ldflags "-X main.revision=...", or docker build --build-arg REVISION=...)
date: unknown
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			stampOf(tc.ldVersion, tc.ldRev, tc.ld, tc.info).write(&b)
			if b.String() != tc.want {
				t.Errorf("version prints\n%s\nwant\n%s", b.String(), tc.want)
			}
		})
	}
}

// The Dockerfile's -X flags reach the variables `talkbot version` prints:
// build the binary with them and run it.
func TestVersionFromLdflags(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	flags := dockerfileLdflags(t)
	for k, v := range map[string]string{"${VERSION}": "v1.4.0", "${REVISION}": "0123456789abcdef", "${BUILD_DATE}": "2026-12-01T10:00:00Z"} {
		flags = strings.ReplaceAll(flags, k, v)
	}
	bin := filepath.Join(t.TempDir(), "talkbot")
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-ldflags", flags, "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build -ldflags %q: %v\n%s", flags, err, out)
	}
	out, err := exec.CommandContext(ctx, bin, "version").Output()
	if err != nil {
		t.Fatalf("talkbot version: %v", err)
	}
	for _, want := range []string{"talkbot v1.4.0\n", "revision: 0123456789abcdef\n", "date: 2026-12-01T10:00:00Z\n"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("talkbot version printed\n%s\nwant a line %q", out, want)
		}
	}
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// dockerfileLdflags is the -ldflags value of the Dockerfile's go build.
func dockerfileLdflags(t *testing.T) string {
	t.Helper()
	m := regexp.MustCompile(`go build [^\n]*-ldflags "([^"]*)"`).FindStringSubmatch(readFile(t, "Dockerfile"))
	if m == nil {
		t.Fatal(`the Dockerfile has no go build -ldflags "..."`)
	}
	return m[1]
}
