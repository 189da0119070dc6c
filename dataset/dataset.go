// Package dataset owns the curated dataset file: the YAML format curators
// edit (see docs/dataset.md), the checker that reports every problem with
// its line and column, and a deterministic writer for exports.
package dataset

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"talkbot/store"
)

// Error is one problem in a dataset file, at the value that is wrong. A
// warning is a problem that does not stop the file from being used.
type Error struct {
	File      string
	Line, Col int
	Msg       string
	Warning   bool
}

func (e *Error) Error() string {
	if e.Warning {
		return fmt.Sprintf("%s:%d:%d: warning: %s", e.File, e.Line, e.Col, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// Errors is every problem found in a file, sorted by position.
type Errors []*Error

func (es Errors) Error() string {
	lines := make([]string, len(es))
	for i, e := range es {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// File is a whole dataset file: its tracks and, for an export, the
// history version it was made at, so that an import can tell which edits
// it has not seen.
type File struct {
	// Version is the highest history record the export included; 0 when
	// the file does not say (a hand-written file).
	Version int64
	Tracks  []store.Track
}

// Parse reads a dataset. name is the file name used in errors (as given on
// the command line). On any problem it returns nil and an Errors value
// holding every error found, sorted by line then column.
//
// Parse applies only the rules that hold whatever the date; Check adds
// those that depend on when the file is checked.
func Parse(name string, data []byte) ([]store.Track, error) {
	f, err := ParseFile(name, data)
	return f.Tracks, err
}

// ParseFile is Parse that also returns the file's version.
func ParseFile(name string, data []byte) (File, error) {
	f, _, err := parse(name, data, time.Time{})
	return f, err
}

// Check is Parse plus the rules that compare rounds with now, the time of
// checking: a round "held" that starts after now is an error, and a round
// still "proposed" or "scheduled" well after its day (staleAfter) is a
// warning. Warnings, sorted like errors, come back whether or not there
// are errors; they never make the file unusable.
func Check(name string, data []byte, now time.Time) (tracks []store.Track, warnings Errors, err error) {
	f, warnings, err := parse(name, data, now)
	return f.Tracks, warnings, err
}

// CheckFile is Check that also returns the file's version.
func CheckFile(name string, data []byte, now time.Time) (File, Errors, error) {
	return parse(name, data, now)
}

func parse(name string, data []byte, now time.Time) (File, Errors, error) {
	d := &decoder{file: name, zones: map[string]zoneResult{}, now: now}
	var f File
	if root := d.document(data); root != nil {
		f = d.dataset(root)
	}
	sortErrors(d.warns)
	if len(d.errs) > 0 {
		sortErrors(d.errs)
		return File{}, d.warns, d.errs
	}
	return f, d.warns, nil
}

func sortErrors(es Errors) {
	sort.SliceStable(es, func(i, j int) bool {
		a, b := es[i], es[j]
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
}

// decoder collects errors while walking one file's YAML tree.
type decoder struct {
	file  string
	errs  Errors
	warns Errors
	now   time.Time             // the time of checking; zero skips the rules that need it
	zones map[string]zoneResult // LoadLocation reads a file each call
	// suggestions counts ids compared for "did you mean", which is capped
	// by suggestionBudget.
	suggestions int
}

type zoneResult struct {
	loc *time.Location
	err error
}

func (d *decoder) errorAt(line, col int, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.file, Line: line, Col: col, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) warnf(n *yaml.Node, format string, args ...any) {
	d.warns = append(d.warns, &Error{File: d.file, Line: n.Line, Col: n.Column, Msg: fmt.Sprintf(format, args...), Warning: true})
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errorAt(n.Line, n.Column, format, args...)
}

func (d *decoder) zone(name string) (*time.Location, error) {
	if z, ok := d.zones[name]; ok {
		return z.loc, z.err
	}
	loc, err := store.LoadZone(name)
	d.zones[name] = zoneResult{loc, err}
	return loc, err
}

// document parses data into a YAML tree and returns its root node, or nil
// after recording why there is none.
func (d *decoder) document(data []byte) *yaml.Node {
	if !utf8.Valid(data) {
		line, col := invalidUTF8(data)
		d.errorAt(line, col, "invalid UTF-8: save the file as UTF-8")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	err := decodeSafely(dec, &doc)
	if errors.Is(err, io.EOF) || err == nil && len(doc.Content) == 0 {
		d.errorAt(1, 1, "empty dataset: a dataset file starts with \"tracks:\"")
		return nil
	}
	if err != nil {
		d.syntaxError(err, data)
		return nil
	}
	var extra yaml.Node
	switch err := decodeSafely(dec, &extra); {
	case err == nil:
		d.errorf(&extra, "a second YAML document starts here: a dataset is one document, so remove the \"---\" and merge what follows into the first")
	case !errors.Is(err, io.EOF):
		d.syntaxError(err, data)
	}
	return doc.Content[0]
}

// decodeSafely turns a panic inside the YAML library into an error: Parse
// promises never to panic, whatever the input.
func decodeSafely(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return dec.Decode(n)
}

var syntaxLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// syntaxError reports an error from the YAML library, which gives a line
// but no column.
func (d *decoder) syntaxError(err error, data []byte) {
	line, col, msg := 1, 1, strings.TrimPrefix(err.Error(), "yaml: ")
	if m := syntaxLine.FindStringSubmatch(err.Error()); m != nil {
		if n, convErr := strconv.Atoi(m[1]); convErr == nil {
			line, msg = n, m[2]
		}
	}
	if strings.Contains(msg, "tab character") {
		// The library names the line where the enclosing block began;
		// point at the tab itself.
		line, col = indentTab(data, line)
	} else if p, ok := d.indentation(data, line, msg); ok {
		d.errorAt(p.line, p.col, "%s", p.msg)
		return
	}
	d.errorAt(line, col, "YAML syntax: %s (%s)", msg, syntaxHint(msg))
}

// indentation finds a badly indented line behind a syntax error reported
// at line. "mapping values are not allowed" on a line that is indented
// right is a colon in a value, which needs quotes, not indentation.
func (d *decoder) indentation(data []byte, line int, msg string) (indentProblem, bool) {
	p, ok := misindented(data, line)
	if !ok {
		return p, false
	}
	if strings.Contains(msg, "mapping values are not allowed") && p.line != line {
		return p, false
	}
	return p, true
}

// indentTab finds the first tab in the indentation of a line from line on.
func indentTab(data []byte, line int) (int, int) {
	for i, text := range strings.Split(string(data), "\n") {
		if i+1 < line {
			continue
		}
		for col, c := range []byte(text) {
			if c == '\t' {
				return i + 1, col + 1
			}
			if c != ' ' {
				break
			}
		}
	}
	return line, 1
}

func syntaxHint(msg string) string {
	switch {
	case strings.Contains(msg, "tab character"):
		return "indent with spaces, not tabs"
	case strings.Contains(msg, "cannot start any token"):
		return "quote text that starts with @, ` or a tab"
	case strings.Contains(msg, "mapping values are not allowed"):
		return "quote text that contains \": \""
	case strings.Contains(msg, "anchor"):
		return "anchors and aliases are not supported: write the value out in full"
	case strings.Contains(msg, "'-' indicator"):
		return "check the indentation of the list items"
	default:
		return "check the indentation and quoting on this line and the one before"
	}
}

// invalidUTF8 returns the line and column (in characters) of the first
// byte that is not UTF-8.
func invalidUTF8(data []byte) (line, col int) {
	line, col = 1, 1
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return line, col
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		data = data[size:]
	}
	return line, col
}
