package schedule

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/robfig/cron/v3"

	"talkbot/remind"
	"talkbot/store"
)

// syncDigests makes the cron entries match the servers' digest schedules.
func (s *Scheduler) syncDigests(ctx context.Context, c *cron.Cron) {
	digests, err := s.store.Digests(ctx)
	if err != nil {
		s.log.Error("reading digest schedules", "err", err)
		return
	}
	seen := map[string]bool{}
	for _, d := range digests {
		seen[d.GuildID] = true
		spec := remind.DigestSpec(d)
		old, ok := s.digests[d.GuildID]
		if ok && old.spec == spec {
			continue
		}
		if ok {
			c.Remove(old.id)
			delete(s.digests, d.GuildID)
		}
		guild := d.GuildID
		id, err := c.AddFunc(spec, func() { s.planDigest(context.WithoutCancel(ctx), guild) })
		if err != nil {
			s.log.Error("a stored digest schedule does not parse", "guild", guild, "schedule", spec, "err", err)
			continue
		}
		s.digests[guild] = digestEntry{id, spec}
	}
	for guild, e := range s.digests {
		if !seen[guild] {
			c.Remove(e.id)
			delete(s.digests, guild)
		}
	}
}

// digestEntry is a server's cron entry and the spec it runs.
type digestEntry struct {
	id   cron.EntryID
	spec string
}

// planDigest records one digest per channel the server follows talks in.
// The key holds the minute it ran, so replicas whose cron fired together
// record it once.
func (s *Scheduler) planDigest(ctx context.Context, guild string) {
	follows, err := s.store.Follows(ctx, guild)
	if err != nil {
		s.log.Error("reading follows for a digest", "guild", guild, "err", err)
		return
	}
	tracks := map[string][]string{} // channel -> tracks
	for _, f := range follows {
		if f.Disabled == "" {
			tracks[f.ChannelID] = append(tracks[f.ChannelID], f.Track)
		}
	}
	now := s.now()
	minute := now.Unix() / 60 * 60
	var ds []store.Delivery
	for ch, ts := range tracks {
		sort.Strings(ts)
		ds = append(ds, store.Delivery{
			Key: fmt.Sprintf("digest:%s:%d", guild, minute), Target: store.ChannelTarget(ch), Kind: store.DeliveryDigest,
			GuildID: guild, DueAt: now, Deadline: now.Add(maxWait), Payload: strings.Join(ts, ","),
		})
	}
	if _, err := s.store.AddDeliveries(ctx, ds); err != nil {
		s.log.Error("planning a digest", "guild", guild, "err", err)
		return
	}
	s.poke()
}
