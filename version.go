package main

import (
	"fmt"
	"io"
	"runtime/debug"
)

// revision and buildDate, like version in cli.go, are set at build time:
//
//	go build -ldflags "-X main.version=v1.2.3 -X main.revision=$(git rev-parse HEAD) -X main.buildDate=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
//
// The Dockerfile passes them from build arguments, because a Docker build
// has no .git to read them from. A value set here takes precedence over
// what the Go toolchain recorded in the build info.
var (
	revision  string
	buildDate string
)

// unsetVersion is version's value when no -X main.version was given.
const unsetVersion = "dev"

// buildStamp is what `talkbot version` prints.
type buildStamp struct {
	version  string
	revision string
	date     string
	modified string // "true", "false" or "" (unknown)
	goLine   string // toolchain and platform, "" without build info
}

// stampOf merges the values set with -ldflags (ld*) over the build info
// (nil when the binary carries none).
func stampOf(ldVersion, ldRevision, ldDate string, info *debug.BuildInfo) buildStamp {
	var s buildStamp
	settings := map[string]string{}
	if info != nil {
		for _, kv := range info.Settings {
			settings[kv.Key] = kv.Value
		}
		if v := info.Main.Version; v != "" && v != "(devel)" {
			s.version = v
		}
		s.goLine = info.GoVersion
		if os, arch := settings["GOOS"], settings["GOARCH"]; os != "" && arch != "" {
			s.goLine += " " + os + "/" + arch
		}
		if cgo, ok := settings["CGO_ENABLED"]; ok {
			s.goLine += " CGO_ENABLED=" + cgo
		}
	}
	s.revision, s.date = settings["vcs.revision"], settings["vcs.time"]
	// vcs.modified describes the recorded revision only.
	if ldRevision == "" || ldRevision == s.revision {
		s.modified = settings["vcs.modified"]
	}
	if ldVersion != "" && ldVersion != unsetVersion {
		s.version = ldVersion
	}
	if ldRevision != "" {
		s.revision = ldRevision
	}
	if ldDate != "" {
		s.date = ldDate
	}
	if s.version == "" {
		s.version = unsetVersion
	}
	return s
}

func (s buildStamp) write(w io.Writer) {
	fmt.Fprintf(w, "talkbot %s\n", s.version)
	if s.revision == "" {
		fmt.Fprintln(w, "revision: unknown (built without .git: pass -ldflags \"-X main.revision=...\", or docker build --build-arg REVISION=...)")
	} else {
		fmt.Fprintf(w, "revision: %s\n", s.revision)
	}
	if s.modified != "" {
		fmt.Fprintf(w, "modified: %s\n", s.modified)
	}
	if s.date == "" {
		fmt.Fprintln(w, "date: unknown")
	} else {
		fmt.Fprintf(w, "date: %s\n", s.date)
	}
	if s.goLine != "" {
		fmt.Fprintf(w, "go: %s\n", s.goLine)
	}
}
