package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"talkbot/remind"
	"talkbot/store"
)

// News posts (issue 13): one feed item as a card whose title links to it,
// and the digest of a channel's items past the hourly cap. Both ping
// nobody: feed text is strangers' text, and the sender's allowed_mentions
// parse nothing when PingRole is "".

// News renders a news post; ok is false when the item is gone (its feed
// was removed since).
func (a *Announcer) News(ctx context.Context, d store.Delivery) (remind.Message, bool, error) {
	refs, err := store.DecodeItemRefs(d.Payload)
	if err != nil {
		return remind.Message{}, false, err
	}
	if len(refs) != 1 {
		return remind.Message{}, false, fmt.Errorf("news post %q names %d items; want one", d.Key, len(refs))
	}
	it, err := a.changes.FeedItem(ctx, refs[0])
	if errors.Is(err, store.ErrNotFound) {
		return remind.Message{}, false, nil
	}
	if err != nil {
		return remind.Message{}, false, err
	}
	w, err := a.wordsFor(ctx, d)
	if err != nil {
		return remind.Message{}, false, err
	}
	content := w.t("post.news")
	if t, err := a.trackIn(ctx, w, it.Track); err == nil {
		content = w.t("post.news_of", "Track", t.Title)
	} else if !errors.Is(err, store.ErrNotFound) {
		return remind.Message{}, false, err
	}
	title := it.Title
	if title == "" {
		title = w.t("post.news.untitled")
	}
	b := newEmbed(title, "")
	b.e.URL = it.Link
	var desc []string
	if it.Summary != "" {
		desc = append(desc, it.Summary)
	}
	if by := byline(it); by != "" {
		desc = append(desc, "— "+by)
	}
	b.description(strings.Join(desc, "\n\n"))
	return message(content, embedsReply(b).Embeds, ""), true, nil
}

// byline is an item's publisher and time, "" when it has neither.
func byline(it store.FeedItem) string {
	var parts []string
	if it.FeedTitle != "" {
		parts = append(parts, it.FeedTitle)
	}
	if it.HasDate {
		parts = append(parts, fmt.Sprintf("<t:%d:f>", it.Published.Unix()))
	}
	return strings.Join(parts, " · ")
}

// NewsDigest renders a channel's news past the hourly cap: each item's
// title as a link, with its publisher and time. Items gone since are left
// out; ok is false when none is left.
func (a *Announcer) NewsDigest(ctx context.Context, d store.Delivery) (remind.Message, bool, error) {
	refs, err := store.DecodeItemRefs(d.Payload)
	if err != nil {
		return remind.Message{}, false, err
	}
	w, err := a.wordsFor(ctx, d)
	if err != nil {
		return remind.Message{}, false, err
	}
	var lines []string
	for _, ref := range refs {
		it, err := a.changes.FeedItem(ctx, ref)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return remind.Message{}, false, err
		}
		line := "• " + w.maskedLink(it.Title, it.Link)
		if by := byline(it); by != "" {
			line += " — " + by
		}
		lines = append(lines, line)
	}
	if len(lines) == 0 {
		return remind.Message{}, false, nil
	}
	// Whole lines only: a link cut in half would show its markup.
	var desc strings.Builder
	for i, line := range lines {
		rest := "\n" + w.t("post.news_digest.more", "Count", len(lines)-i)
		if textLen(desc.String())+1+textLen(line)+textLen(rest) > maxDescription {
			desc.WriteString(rest)
			break
		}
		if i > 0 {
			desc.WriteByte('\n')
		}
		desc.WriteString(line)
	}
	b := w.embed(w.t("post.news_digest.title"), "")
	b.description(desc.String())
	content := w.n("post.news_digest", len(lines))
	return message(content, embedsReply(b).Embeds, ""), true, nil
}

// maskedLink is [title](url) with the characters that would end either
// part escaped; the bare title when there is no link.
func (w words) maskedLink(title, link string) string {
	if title == "" {
		title = w.t("post.news.untitled")
	}
	title = strings.NewReplacer(`\`, `\\`, "[", `\[`, "]", `\]`, "\n", " ").Replace(title)
	if link == "" {
		return title
	}
	link = strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(link)
	return "[" + title + "](" + link + ")"
}
