// Package schedule plans and sends reminders before meetings, update posts
// when a meeting changes, and digests on each server's schedule. Plans live
// in the store, not in memory: a restart plans the same deliveries again,
// and a delivery recorded as sent is never sent twice. The rules of what to
// plan are package remind's; sending and rendering are the caller's
// (Sender, Renderer), so nothing here knows Discord.
package schedule

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"talkbot/remind"
	"talkbot/store"
)

// Store is what the scheduler reads and records.
type Store interface {
	store.Scheduling
	store.Events
	Tracks(ctx context.Context) ([]store.TrackSummary, error)
	UpcomingRounds(ctx context.Context, track string, after time.Time, limit int) ([]store.Round, error)
	Track(ctx context.Context, id string) (store.Track, error)
	Rounds(ctx context.Context, track string) ([]store.Round, error)
	DataVersion(ctx context.Context) (int64, error)

	// Edits made from Discord wait out a settle window before followers
	// hear of them (store.Editing).
	DueEditUpdates(ctx context.Context, now time.Time) ([]store.EditUpdate, error)
	FinishEditUpdate(ctx context.Context, u store.EditUpdate, ds []store.Delivery) error
	Change(ctx context.Context, id int64) (store.Change, error)
}

// Renderer writes the messages (commands.Announcer).
type Renderer interface {
	// Reminder renders a reminder; ok is false when it no longer holds
	// (the round moved or is no longer pending).
	Reminder(ctx context.Context, d store.Delivery, late bool) (m remind.Message, ok bool, err error)
	Update(ctx context.Context, d store.Delivery) (remind.Message, error)
	Digest(ctx context.Context, d store.Delivery) (remind.Message, error)
	NewsRenderer
}

// Sender posts a message to a target ("channel:ID" or "user:ID") with a
// nonce Discord enforces, and returns the message id.
type Sender interface {
	Send(ctx context.Context, target string, m remind.Message, nonce string) (string, error)
}

// GoneError means the target refused for good: a channel or user that is
// gone (404 with 10003 or 10013) or forbidden (403 with 50001 or 50013), or
// a user whose DMs are closed (50007). It is never retried.
type GoneError struct {
	Code   int // Discord's error code
	Reason string
}

func (e *GoneError) Error() string { return e.Reason }

// Observer counts what happened to deliveries (bot/metrics).
type Observer interface {
	ObserveDelivery(kind, result string, lateness time.Duration)
}

// Options tune the scheduler; zero values take the defaults.
type Options struct {
	Lease       time.Duration // a claim is taken over after this (default 30 s)
	WatchEvery  time.Duration // how often to look for imports by other processes (2 s)
	ReplanEvery string        // cron spec of the safety-net re-plan ("@every 10m")
	LateAfter   time.Duration // sent later than this after due is marked late (1 min)
	Workers     int           // sends in flight (16)
	Owner       string        // this process's claim name (random)
}

// Scheduler plans and sends deliveries.
type Scheduler struct {
	store  Store
	render Renderer
	now    func() time.Time
	log    *slog.Logger
	obs    Observer
	o      Options
	events EventSender // the sender's, when it keeps scheduled events; set by Run

	wake             chan struct{}
	replan           chan string // a track to re-plan now ("" for all)
	replanEverything atomic.Bool // set when replan was full
	lastChange       int64
	lastData         int64

	idle     chan struct{} // a token per idle worker
	inflight sync.WaitGroup

	digests map[string]digestEntry // by guild; only Run's goroutine uses it
}

// New builds a scheduler; Run sends what it plans. It needs no sender to
// be built, so the commands that tell it to re-plan can be built on it
// before the bot that sends.
func New(s Store, r Renderer, now func() time.Time, log *slog.Logger, obs Observer, o Options) *Scheduler {
	if o.Lease == 0 {
		o.Lease = 30 * time.Second
	}
	if o.WatchEvery == 0 {
		o.WatchEvery = 2 * time.Second
	}
	if o.ReplanEvery == "" {
		o.ReplanEvery = "@every 10m"
	}
	if o.LateAfter == 0 {
		o.LateAfter = time.Minute
	}
	if o.Workers == 0 {
		o.Workers = 16
	}
	if o.Owner == "" {
		b := make([]byte, 6)
		_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
		o.Owner = hex.EncodeToString(b)
	}
	idle := make(chan struct{}, o.Workers)
	for range o.Workers {
		idle <- struct{}{}
	}
	return &Scheduler{store: s, render: r, now: now, log: log, obs: obs, o: o,
		wake: make(chan struct{}, 1), replan: make(chan string, 64), idle: idle,
		digests: map[string]digestEntry{}}
}

// Replan asks for a track's reminders ("" for all) to be planned again at
// once: the set-up commands call it after a change.
func (s *Scheduler) Replan(track string) {
	select {
	case s.replan <- track:
	default: // the buffer is full: re-plan everything rather than lose one
		s.replanEverything.Store(true)
	}
	s.poke()
}

func (s *Scheduler) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run plans, and sends through send, until ctx is cancelled, and returns
// once the sends under way have finished. Changes made before it started
// are planned without update posts: the reminders tell followers. When
// send is also an EventSender (bot.Sender is), it keeps servers'
// scheduled events too; otherwise their syncs fail, recorded as refused.
func (s *Scheduler) Run(ctx context.Context, send Sender) error {
	defer s.inflight.Wait()
	s.events, _ = send.(EventSender)
	// The data version is read first: an import that commits between the
	// two reads is then seen as a change, and its round changes, already
	// counted in lastChange, get no update posts, as before the start.
	// Read the other way round, its changes would wait for the next import.
	var err error
	if s.lastData, err = s.store.DataVersion(ctx); err != nil {
		return fmt.Errorf("reading the data version: %w", err)
	}
	if s.lastChange, err = s.store.LastRoundChange(ctx); err != nil {
		return fmt.Errorf("reading the last round change: %w", err)
	}
	c := cron.New()
	if _, err := c.AddFunc(s.o.ReplanEvery, func() { s.Replan("") }); err != nil {
		return fmt.Errorf("re-plan schedule %q: %w", s.o.ReplanEvery, err)
	}
	c.Start()
	// A digest being planned when Run ends finishes before the store closes.
	defer func() { <-c.Stop().Done() }()
	s.replanAll(ctx)
	s.syncDigests(ctx, c)

	timer := time.NewTimer(0)
	defer timer.Stop()
	for {
		s.deliverDue(ctx, send)
		// Settled edit updates are looked for on every pass rather than
		// woken for: the loop wakes every WatchEvery anyway to see other
		// processes' imports, an edit saved by another replica could not
		// poke this one, and a post a second or two after a two-minute
		// window is not late.
		wait := s.o.WatchEvery
		if at, ok, err := s.store.NextDue(ctx); err != nil {
			s.log.Error("reading the next due delivery", "err", err)
		} else if ok {
			wait = min(wait, max(at.Sub(s.now()), 0))
		}
		timer.Reset(wait)
		select {
		case <-ctx.Done():
			return nil
		case <-timer.C:
		case <-s.wake:
		}
		s.watch(ctx, c)
	}
}

// watch re-plans what changed: tracks named by Replan, and everything when
// an import (perhaps by another process) changed the data.
func (s *Scheduler) watch(ctx context.Context, c *cron.Cron) {
	tracks := map[string]bool{}
	if s.replanEverything.Swap(false) {
		tracks[""] = true
	}
	for more := true; more; {
		select {
		case t := <-s.replan:
			tracks[t] = true
		default:
			more = false
		}
	}
	if changed, err := s.store.DataVersion(ctx); err != nil {
		s.log.Error("reading the data version", "err", err)
	} else if changed != s.lastData {
		// Until the update posts are recorded, the change is not taken as
		// seen, so a failure is tried again at the next wake instead of
		// waiting for another import.
		if s.postUpdates(ctx) {
			s.lastData = changed
		}
		tracks[""] = true
	}
	s.postEditUpdates(ctx)
	if tracks[""] {
		s.replanAll(ctx)
		s.syncDigests(ctx, c)
		return
	}
	// A track's follows and subscriptions do not change digests: those are
	// saved and removed with Replan(""), handled above.
	for t := range tracks {
		if err := s.replanTrack(ctx, t); err != nil {
			s.log.Error("planning reminders", "track", t, "err", err)
		}
	}
	if len(tracks) > 0 {
		// A server's events span its tracks (the 100-event limit counts
		// them together), so a track's change re-plans every server that
		// shows events, each in one read of its settings and events.
		s.replanEvents(ctx)
	}
}

func (s *Scheduler) replanAll(ctx context.Context) {
	s.dropExpired(ctx)
	tracks, err := s.store.Tracks(ctx)
	if err != nil {
		s.log.Error("listing tracks to plan", "err", err)
		return
	}
	for _, t := range tracks {
		if err := s.replanTrack(ctx, t.ID); err != nil {
			s.log.Error("planning reminders", "track", t.ID, "err", err)
		}
	}
	s.replanEvents(ctx)
}

// dropExpired marks dropped, and counts, what is past its deadline
// without having been sent: reminders that fell due while no process ran,
// for a meeting that has since started. Re-planning would otherwise just
// remove them, uncounted.
func (s *Scheduler) dropExpired(ctx context.Context) {
	dropped, err := s.store.DropExpired(ctx, s.now())
	if err != nil {
		s.log.Error("dropping expired deliveries", "err", err)
		return
	}
	for kind, n := range dropped {
		s.log.Warn("dropped deliveries past their deadline", "kind", kind, "count", n)
		for range n {
			s.obs.ObserveDelivery(string(kind), "dropped", 0)
		}
	}
}

// replanTrack makes a track's pending reminders match its rounds and
// followers now.
func (s *Scheduler) replanTrack(ctx context.Context, track string) error {
	now := s.now()
	rounds, err := s.store.UpcomingRounds(ctx, track, now, 0)
	if err != nil {
		return err
	}
	// With no meeting ahead nothing is wanted, whoever follows the track:
	// the followers are not read, so a re-plan of a quiet track costs the
	// same for ten servers as for ten thousand.
	var want []store.Delivery
	if len(rounds) > 0 {
		targets, err := s.targets(ctx, track)
		if err != nil {
			return err
		}
		if want, err = remind.PlanReminders(rounds, targets, now); err != nil {
			return err
		}
	}
	added, removed, err := s.store.ReplanReminders(ctx, track, want)
	if err != nil {
		return err
	}
	if added+removed > 0 {
		s.log.Info("planned reminders", "track", track, "added", added, "removed", removed)
	}
	return nil
}

// targets lists who is reminded of a track's meetings: every follow and
// subscription, whatever its updates setting.
func (s *Scheduler) targets(ctx context.Context, track string) ([]remind.Target, error) {
	return s.followers(ctx, track, func(store.Follow) bool { return true }, true)
}

// updateTargets lists who hears of a change: for a round, the channels
// whose follow takes round updates (the default) and the subscribers; for
// a new position or statement, only the channels that asked for all.
func (s *Scheduler) updateTargets(ctx context.Context, track string, kind store.EntityKind) ([]remind.Target, error) {
	if kind == store.EntityRound {
		return s.followers(ctx, track, func(f store.Follow) bool { return f.Updates != store.UpdatesNone }, true)
	}
	return s.followers(ctx, track, func(f store.Follow) bool { return f.Updates == store.UpdatesAll }, false)
}

func (s *Scheduler) followers(ctx context.Context, track string, channel func(store.Follow) bool, users bool) ([]remind.Target, error) {
	follows, err := s.store.FollowsOf(ctx, track)
	if err != nil {
		return nil, err
	}
	var subs []store.Subscription
	if users {
		if subs, err = s.store.SubscriptionsOf(ctx, track); err != nil {
			return nil, err
		}
	}
	out := make([]remind.Target, 0, len(follows)+len(subs))
	for _, f := range follows {
		if channel(f) {
			out = append(out, remind.Target{ID: store.ChannelTarget(f.ChannelID), GuildID: f.GuildID, RoleID: f.RoleID, Offsets: f.Offsets})
		}
	}
	for _, sub := range subs {
		out = append(out, remind.Target{ID: store.UserTarget(sub.UserID), Offsets: sub.Offsets})
	}
	return out, nil
}

// postUpdates plans one update post per follower for each round change
// since the last one seen, and reports whether it recorded them all. Keys
// are the change's id, so replicas that all see the change record it once.
func (s *Scheduler) postUpdates(ctx context.Context) bool {
	changes, err := s.store.RoundChanges(ctx, s.lastChange, 0)
	if err != nil {
		s.log.Error("reading round changes", "err", err)
		return false
	}
	now := s.now()
	for _, ch := range changes {
		targets, err := s.updateTargets(ctx, ch.Track, store.EntityRound)
		if err != nil {
			s.log.Error("listing followers for an update", "track", ch.Track, "err", err)
			return false
		}
		ds := make([]store.Delivery, 0, len(targets))
		for _, t := range targets {
			ds = append(ds, store.Delivery{
				Key: fmt.Sprintf("update:%d", ch.ID), Target: t.ID, Kind: store.DeliveryUpdate, GuildID: t.GuildID, RoleID: t.RoleID,
				Track: ch.Track, Round: ch.Round, DueAt: now, Deadline: now.Add(maxWait), Payload: fmt.Sprint(ch.ID),
			})
		}
		if _, err := s.store.AddDeliveries(ctx, ds); err != nil {
			s.log.Error("planning update posts", "track", ch.Track, "round", ch.Round, "err", err)
			return false
		}
		s.lastChange = ch.ID
	}
	return true
}

// postEditUpdates plans the posts of edits whose settle window has ended.
// Each update is finished (its posts recorded and the update forgotten)
// in one transaction, so replicas that see the same update record its
// posts once; one that fails is tried again on the next pass.
func (s *Scheduler) postEditUpdates(ctx context.Context) {
	now := s.now()
	updates, err := s.store.DueEditUpdates(ctx, now)
	if err != nil {
		s.log.Error("reading due edit updates", "err", err)
		return
	}
	for _, u := range updates {
		if err := s.postEditUpdate(ctx, u, now); err != nil {
			s.log.Error("planning an edit update", "entity", u.Entity.String(), "err", err)
		}
	}
}

func (s *Scheduler) postEditUpdate(ctx context.Context, u store.EditUpdate, now time.Time) error {
	first, err := s.store.Change(ctx, u.First)
	if err != nil {
		return fmt.Errorf("reading change %d: %w", u.First, err)
	}
	last := first
	if u.Last != u.First {
		if last, err = s.store.Change(ctx, u.Last); err != nil {
			return fmt.Errorf("reading change %d: %w", u.Last, err)
		}
	}
	// The edits of the window fold into one: what followers hear is the
	// entity before the first and after the last. An edit undone inside
	// the window leaves no difference, and posts nothing.
	var ds []store.Delivery
	if worthPosting(u.Entity.Kind, first.Before, last.After) {
		targets, err := s.updateTargets(ctx, u.Entity.Track, u.Entity.Kind)
		if err != nil {
			return fmt.Errorf("listing followers: %w", err)
		}
		round := 0
		if u.Entity.Kind == store.EntityRound {
			round, _ = strconv.Atoi(u.Entity.Key) // a round's key is its number
		}
		ds = make([]store.Delivery, 0, len(targets))
		for _, t := range targets {
			// The key names the last change folded in: an edit after the
			// window opens a new update, with a key of its own. The nonce
			// is a hash of key and target, so the key's length is free.
			ds = append(ds, store.Delivery{
				Key: fmt.Sprintf("edit:%s:%d", u.Entity, u.Last), Target: t.ID, Kind: store.DeliveryUpdate, GuildID: t.GuildID, RoleID: t.RoleID,
				Track: u.Entity.Track, Round: round, DueAt: now, Deadline: now.Add(maxWait), Payload: fmt.Sprintf("edit:%d:%d", u.First, u.Last),
			})
		}
	}
	if err := s.store.FinishEditUpdate(ctx, u, ds); err != nil {
		return fmt.Errorf("recording its posts: %w", err)
	}
	if len(ds) > 0 {
		s.log.Info("planned edit update posts", "entity", u.Entity.String(), "changes", fmt.Sprintf("%d..%d", u.First, u.Last), "posts", len(ds))
	}
	return nil
}

// roundNews are the fields of a round whose change followers are told of:
// when and where it meets, whether it goes ahead, and what came of it. A
// fixed typo in the agenda or a new source is not news.
var roundNews = []string{"starts", "ends", "status", "venue", "outcomes"}

// worthPosting says whether the net change of a settled update is news
// to followers: a round added, removed (an add undone after its post) or
// changed in a field of roundNews; a new position or statement. Sources,
// parties, people and track headers are never posted.
func worthPosting(kind store.EntityKind, before, after map[string]string) bool {
	diff := store.Diff(before, after)
	if len(diff) == 0 {
		return false
	}
	switch kind {
	case store.EntityRound:
		if before == nil || after == nil {
			return true
		}
		for _, f := range diff {
			if slices.Contains(roundNews, f.Field) {
				return true
			}
		}
	case store.EntityPosition, store.EntityStatement:
		return before == nil && after != nil
	}
	return false
}

// deliverDue claims what is due, never more than there are idle workers,
// and hands each claim to a worker at once. A claim that waited in a queue
// behind slow sends could outlive its lease and be taken over and sent
// again by another replica; and a slow send holds up one worker, not the
// claims of a whole batch. Sends still under way when it returns go on in
// the background (Run waits for them).
func (s *Scheduler) deliverDue(ctx context.Context, send Sender) {
	for ctx.Err() == nil {
		n := s.reserveWorkers(ctx)
		if n == 0 {
			return
		}
		claimed, err := s.store.ClaimDue(ctx, s.o.Owner, s.now(), s.o.Lease, n)
		for range n - len(claimed) {
			s.idle <- struct{}{}
		}
		if err != nil {
			s.log.Error("claiming due deliveries", "err", err)
			return
		}
		for _, d := range claimed {
			s.inflight.Go(func() {
				defer func() { s.idle <- struct{}{} }()
				s.deliver(ctx, send, d)
			})
		}
		if len(claimed) < n {
			return // all that is due is under way
		}
	}
}

// reserveWorkers takes the idle workers. It waits (up to WatchEvery) for
// half of them to be idle, so that claims come in batches rather than one
// per finished send, and may return 0 while sends are slow.
func (s *Scheduler) reserveWorkers(ctx context.Context) int {
	n, want := 0, max(s.o.Workers/2, 1)
	if len(s.idle) < want {
		t := time.NewTimer(s.o.WatchEvery)
		defer t.Stop()
	wait:
		for n < want {
			select {
			case <-s.idle:
				n++
			case <-t.C:
				break wait
			case <-ctx.Done():
				break wait
			}
		}
	}
	for {
		select {
		case <-s.idle:
			n++
		default:
			return n
		}
	}
}

// deliver sends one claimed delivery and records how it ended. A send in
// flight when the scheduler stops is finished, not abandoned: its context
// outlives the scheduler's by up to sendTimeout. Rendering and sending stop
// when the claim's lease ends, after which another replica may take the
// delivery over; recording the outcome is still worth trying.
func (s *Scheduler) deliver(ctx context.Context, send Sender, d store.Delivery) {
	now := s.now()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sendTimeout)
	defer cancel()
	sendCtx, cancelSend := context.WithTimeout(ctx, d.LeaseEnds.Sub(now))
	defer cancelSend()
	finish := func(o store.Outcome, result string) {
		o.At = s.now()
		if ok, err := s.store.FinishDelivery(ctx, d, s.o.Owner, o); err != nil {
			s.log.Error("recording a delivery", "key", d.Key, "target", d.Target, "err", err)
		} else if !ok {
			s.log.Warn("a delivery's claim was taken over before it finished", "key", d.Key, "target", d.Target)
		}
		s.obs.ObserveDelivery(string(d.Kind), result, o.At.Sub(d.DueAt))
	}
	if !d.Deadline.IsZero() && !now.Before(d.Deadline) {
		reason := "past its deadline"
		if d.Kind == store.DeliveryReminder {
			reason = "the meeting had started"
		}
		finish(store.Outcome{State: store.DeliveryDropped, Error: reason}, "dropped")
		return
	}
	if d.Kind == store.DeliveryEvent {
		o, result := s.deliverEvent(sendCtx, d)
		finish(o, result)
		return
	}
	if d.Attempts > 1 {
		// An earlier try failed, or its process died mid-send: the same
		// nonce makes Discord return the first message if one was posted.
		s.log.Info("sending a delivery again", "key", d.Key, "target", d.Target, "attempt", d.Attempts)
	}
	late := now.Sub(d.DueAt) > s.o.LateAfter
	msg, ok, err := s.message(sendCtx, d, late)
	if err != nil {
		s.log.Error("rendering a delivery", "key", d.Key, "err", err)
		finish(store.Outcome{State: store.DeliveryPending, NextTry: now.Add(backoff(d.Attempts)), Error: err.Error()}, "error")
		return
	}
	if !ok {
		finish(store.Outcome{State: store.DeliveryDropped, Error: "no longer holds"}, "dropped")
		return
	}
	id, err := send.Send(sendCtx, d.Target, msg, remind.NonceFor(d.Key, d.Target))
	var gone *GoneError
	switch {
	case err == nil:
		result := "sent"
		if late {
			result = "late"
		}
		finish(store.Outcome{State: store.DeliverySent, MessageID: id, Late: late}, result)
	case errors.As(err, &gone):
		s.lost(ctx, d, gone)
		finish(store.Outcome{State: store.DeliveryFailed, Error: gone.Reason}, "refused")
	default:
		s.log.Warn("sending failed; will retry", "key", d.Key, "target", d.Target, "attempt", d.Attempts, "err", err)
		finish(store.Outcome{State: store.DeliveryPending, NextTry: s.now().Add(backoff(d.Attempts)), Error: err.Error()}, "retry")
	}
}

func (s *Scheduler) message(ctx context.Context, d store.Delivery, late bool) (remind.Message, bool, error) {
	switch d.Kind {
	case store.DeliveryReminder:
		return s.render.Reminder(ctx, d, late)
	case store.DeliveryUpdate:
		m, err := s.render.Update(ctx, d)
		return m, err == nil, err
	case store.DeliveryDigest:
		m, err := s.render.Digest(ctx, d)
		return m, err == nil, err
	case store.DeliveryNews:
		return s.render.News(ctx, d)
	case store.DeliveryNewsDigest:
		return s.render.NewsDigest(ctx, d)
	}
	return remind.Message{}, false, fmt.Errorf("unknown delivery kind %q", d.Kind)
}

// lost disables a channel the bot can no longer post to, or pauses a
// user's subscriptions when their DMs are closed; neither is retried.
func (s *Scheduler) lost(ctx context.Context, d store.Delivery, gone *GoneError) {
	kind, id, _ := strings.Cut(d.Target, ":")
	var err error
	if kind == "user" {
		err = s.store.PauseSubscriptions(ctx, id, gone.Reason)
	} else {
		err = s.store.DisableChannel(ctx, d.GuildID, id, gone.Reason)
	}
	s.log.Warn("target refused a delivery; stopped posting there", "target", d.Target, "guild", d.GuildID, "code", gone.Code, "reason", gone.Reason)
	if err != nil {
		s.log.Error("recording a lost target", "target", d.Target, "err", err)
	}
}

// sendTimeout bounds one send, retries on 429 and 502 included.
const sendTimeout = 30 * time.Second

// maxWait is how long an update post or a digest may wait for Discord
// before it is dropped: a lasting error must not be retried forever.
const maxWait = 24 * time.Hour

// backoff waits longer after each failed try, up to 30 s: while Discord
// answers 5xx or times out, deliveries wait and go out when it is back.
func backoff(attempts int) time.Duration {
	d := time.Second << min(max(attempts-1, 0), 5)
	return min(d, 30*time.Second)
}

// EventSender keeps a server's scheduled events (bot.Sender implements it
// on Discord's scheduled-event routes). A refusal for good is a
// *GoneError: 403 with 50013 (Manage Events removed), 404 with 10070 (the
// event was deleted by hand).
type EventSender interface {
	// CreateEvent makes the event, unless the guild already has one whose
	// description holds e.Marker (a create whose reply was lost), which it
	// edits to e instead; it returns the event's id either way.
	CreateEvent(ctx context.Context, guildID string, e remind.Event) (id string, err error)
	// EditEvent brings an existing event to e (PATCH).
	EditEvent(ctx context.Context, guildID, eventID string, e remind.Event) error
	// DeleteEvent deletes an event talkbot made; one already gone is not an error.
	DeleteEvent(ctx context.Context, guildID, eventID string) error
}
