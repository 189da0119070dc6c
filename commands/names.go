package commands

import (
	"context"
	"fmt"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"talkbot/i18n"
	"talkbot/store"
)

// Display names in the reader's language: the dataset may translate a
// track's title, a party's or a person's name and a round's venue
// (store.Names); a reply shows the reader's translation when there is one,
// else the name as the editors wrote it. Quotes are never translated.

// in returns t as read in lang: its title translated, and partyName,
// personName, personLine and venue answering in lang. The cached t is
// shared by every request, so this is a shallow copy.
func (t *trackInfo) in(lang i18n.Lang) *trackInfo {
	if t == nil {
		return nil
	}
	c := *t
	c.lang = string(lang)
	c.Title = t.Names.In(c.lang, t.Title)
	return &c
}

// readTrack is track for the replies of /talks: the track in the reader's
// language. Edits and settings keep the names as written (track).
func (c *Commands) readTrack(ctx context.Context, req Request) (*trackInfo, error) {
	t, err := c.track(ctx, req)
	if err != nil {
		return nil, err
	}
	return t.in(c.words(req).lang()), nil
}

// venue is a round's venue in the reader's language.
func (w words) venue(r store.Round) string { return r.VenueNames.In(string(w.lang()), r.Venue) }

// title is a track summary's title in the reader's language.
func (w words) title(t store.TrackSummary) string { return t.Names.In(string(w.lang()), t.Title) }

// trackTitlesIn is trackTitles in the reader's language.
func (c *Commands) trackTitlesIn(ctx context.Context, w words) (trackTitles, error) {
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return nil, fmt.Errorf("tracks: %w", err)
	}
	titles := make(trackTitles, len(tracks))
	for _, t := range tracks {
		titles[t.ID] = w.title(t)
	}
	return titles, nil
}

// quoteLanguage says which language a quote is in, "(in Ukrainian)", when
// it is known and not the reader's own; "" otherwise.
func (w words) quoteLanguage(code string) string {
	if code == "" || code == string(w.lang()) {
		return ""
	}
	tag, err := language.Parse(code)
	if err != nil {
		return ""
	}
	name := display.Languages(language.Make(string(w.lang()))).Name(tag)
	if name == "" {
		name = code
	}
	return w.t("quote.language", "Language", name)
}
