package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"talkbot/config"
	"talkbot/store"
)

// history prints the history of changes, oldest first: on a terminal the
// latest change is then the last line, where the eye lands, as in a log.
func (e env) history(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("history", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	track := fs.String("track", "", "only the changes of this track (its id)")
	since := fs.String("since", "", "only changes at or after this day or time, in UTC: 2026-12-01, 2026-12-01T15:04 or RFC 3339")
	asJSON := fs.Bool("json", false, "print one JSON object a line, with every field of each change")
	fs.Usage = func() {
		fmt.Fprintln(e.stderr, "usage: talkbot history [--track ID] [--since DATE] [--json]\n\nPrints the changes to the data, from Discord and from imports, oldest first.")
		fs.PrintDefaults()
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return reportedError{2}
	}
	if len(rest) > 0 {
		fmt.Fprintf(e.stderr, "talkbot history: unexpected argument %q\n", rest[0])
		fs.Usage()
		return reportedError{2}
	}
	q := store.HistoryQuery{Track: strings.TrimSpace(*track)}
	if *since != "" {
		if q.Since, err = parseSince(*since); err != nil {
			fmt.Fprintf(e.stderr, "talkbot history: --since: %v\n", err)
			return reportedError{2}
		}
	}
	return e.withStore(ctx, config.CmdHistory, func(_ config.Config, s store.Store) error {
		changes, err := allChanges(ctx, s, q)
		if err != nil {
			return err
		}
		if len(changes) == 0 && q.Track != "" {
			if _, err := s.Track(ctx, q.Track); errors.Is(err, store.ErrNotFound) {
				return fmt.Errorf("there is no track %q: talkbot export lists the tracks, and talkbot history without --track shows every change", q.Track)
			}
		}
		if *asJSON {
			return writeChangesJSON(e.stdout, changes)
		}
		for _, c := range changes {
			fmt.Fprintln(e.stdout, describeChange(c))
		}
		return nil
	})
}

// parseSince reads a day (its start, in UTC), a minute in UTC, or an
// RFC 3339 time.
func parseSince(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, time.UTC); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date: use e.g. 2026-12-01, 2026-12-01T15:04 (UTC) or 2026-12-01T15:04:05+02:00", s)
}

// historyPage is how many changes one store call reads.
const historyPage = 500

// allChanges reads every change the query matches, oldest first. The store
// pages newest first, so a change saved while reading shifts later pages:
// one already read comes again and is skipped, none is missed.
func allChanges(ctx context.Context, s store.Store, q store.HistoryQuery) ([]store.Change, error) {
	var out []store.Change
	seen := map[int64]bool{}
	q.Limit = historyPage
	for {
		page, err := s.History(ctx, q)
		if err != nil {
			return nil, fmt.Errorf("reading the history: %w", err)
		}
		for _, c := range page.Items {
			if !seen[c.ID] {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
		q.Offset += len(page.Items)
		if len(page.Items) < q.Limit || q.Offset >= page.Total {
			break
		}
	}
	slices.SortFunc(out, func(a, b store.Change) int { return int(min(max(a.ID-b.ID, -1), 1)) })
	return out, nil
}

// historyValueMax keeps a change on one line; --json has the whole value.
const historyValueMax = 40

// describeChange is one line of the history:
//
//	2026-12-06 18:00:05 UTC #12 Olena (123) edit round/istanbul/3: venue "Ankara" -> "Istanbul"; source wire
func describeChange(c store.Change) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s #%d %s %s", c.At.UTC().Format("2006-01-02 15:04:05 UTC"), c.ID, editorName(c.Editor), c.Op)
	if c.Undoes != 0 {
		fmt.Fprintf(&b, " of #%d", c.Undoes)
	}
	if c.Forced {
		b.WriteString(" (forced over newer edits)")
	}
	fmt.Fprintf(&b, " %s:", c.Entity)
	switch {
	case c.After == nil:
		b.WriteString(" removed")
	default:
		diff := store.Diff(c.Before, c.After)
		for i, f := range diff {
			if i > 0 {
				b.WriteByte(';')
			}
			if c.Before == nil {
				fmt.Fprintf(&b, " %s %s", f.Field, quoteCut(f.New, historyValueMax))
			} else {
				fmt.Fprintf(&b, " %s %s -> %s", f.Field, quoteCut(f.Old, historyValueMax), quoteCut(f.New, historyValueMax))
			}
		}
		if len(diff) == 0 {
			b.WriteString(" no field changed")
		}
	}
	if c.Source != "" {
		fmt.Fprintf(&b, "; source %s", c.Source)
	}
	return b.String()
}

// changeJSON is store.Change as talkbot history --json prints it.
type changeJSON struct {
	ID     int64             `json:"id"`
	At     time.Time         `json:"at"`
	Editor editorJSON        `json:"editor"`
	Entity string            `json:"entity"` // store.ParseEntity reads it back
	Op     store.Op          `json:"op"`
	Before map[string]string `json:"before"` // null: it did not exist
	After  map[string]string `json:"after"`  // null: it no longer exists
	Source string            `json:"source"`
	Undoes int64             `json:"undoes"`
	Forced bool              `json:"forced"`
}

type editorJSON struct {
	ID   string `json:"id"` // "" for an import
	Name string `json:"name"`
}

func writeChangesJSON(w io.Writer, changes []store.Change) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "<t:..>" and "&" stay as typed
	for _, c := range changes {
		err := enc.Encode(changeJSON{
			ID: c.ID, At: c.At.UTC(), Editor: editorJSON{c.Editor.ID, c.Editor.Name}, Entity: c.Entity.String(),
			Op: c.Op, Before: c.Before, After: c.After, Source: c.Source, Undoes: c.Undoes, Forced: c.Forced,
		})
		if err != nil {
			return err
		}
	}
	return nil
}
