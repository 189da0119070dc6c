package commands

import (
	"context"
	"fmt"
	"strings"

	"talkbot/store"
)

func (c *Commands) disable(ctx context.Context, req Request) (Reply, error) {
	typed := strings.TrimSpace(req.Option("track"))
	if typed == "" {
		n, err := c.settings.DeleteFollows(ctx, req.GuildID, "")
		if err != nil {
			return Reply{}, fmt.Errorf("deleting follows of %s: %w", req.GuildID, err)
		}
		if err := c.settings.DeleteDigest(ctx, req.GuildID); err != nil {
			return Reply{}, fmt.Errorf("deleting digest of %s: %w", req.GuildID, err)
		}
		c.replan("")
		w := c.words(req)
		return Reply{Content: w.n("disable.all", n, "Setup", w.command("talks-admin/setup")), Ephemeral: true}, nil
	}
	follows, err := c.settings.Follows(ctx, req.GuildID)
	if err != nil {
		return Reply{}, fmt.Errorf("follows of %s: %w", req.GuildID, err)
	}
	id, title, err := c.ownTrack(ctx, c.words(req), typed, followedTracks(follows))
	if err != nil {
		return Reply{}, err
	}
	n, err := c.settings.DeleteFollows(ctx, req.GuildID, id)
	if err != nil {
		return Reply{}, fmt.Errorf("deleting follows of %s in %s: %w", id, req.GuildID, err)
	}
	if n == 0 {
		return Reply{Content: c.words(req).t("disable.not_followed", "Track", title), Ephemeral: true}, nil
	}
	c.replan(id)
	w := c.words(req)
	return Reply{Content: w.n("disable.one", n, "Track", title, "Disable", w.command("talks-admin/disable")), Ephemeral: true}, nil
}

func followedTracks(fs []store.Follow) []string {
	var ids []string
	for _, f := range fs {
		ids = append(ids, f.Track)
	}
	return ids
}

// ownTrack resolves a track to stop: one the caller has by id (even if
// it is no longer recorded), else any track by id or title.
func (c *Commands) ownTrack(ctx context.Context, w words, typed string, owned []string) (id, title string, err error) {
	tracks, err := c.store.Tracks(ctx)
	if err != nil {
		return "", "", fmt.Errorf("tracks: %w", err)
	}
	titles := titlesOf(tracks)
	for _, o := range owned {
		if strings.EqualFold(o, typed) {
			return o, titles.of(o), nil
		}
	}
	id, err = w.matchTrack(tracks, typed)
	if err != nil {
		return "", "", err
	}
	return id, titles.of(id), nil
}
