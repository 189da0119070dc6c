package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"talkbot/store"
)

// The meta keys that record the bundled data a store was seeded with:
// its hash, and the data version (meta 'version', which every import that
// changes anything counts) that the seeding left. A version past it means
// something else was imported since.
const (
	keyBundledHash    = "bundled_hash"
	keyBundledVersion = "bundled_version"
)

// SeedBundled imports the bundled data when the store is empty or holds
// only earlier bundled data, or when forced; see store.Bundled.
func (s *DB) SeedBundled(ctx context.Context, tracks []store.Track, hash string, force bool) (store.SeedResult, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.SeedResult{}, fmt.Errorf("starting to seed: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	// Write first: the transaction holds the write lock (SQLite) or the
	// row's lock (PostgreSQL) before it reads, so processes starting
	// together seed one after the other and the second sees the first's.
	if err := s.exec(ctx, tx, `INSERT INTO meta (key, value) VALUES (?, '') ON CONFLICT (key) DO UPDATE SET value = meta.value`, keyBundledHash); err != nil {
		return store.SeedResult{}, fmt.Errorf("locking the store to seed: %w", err)
	}
	var res store.SeedResult
	if res.Seeded, err = s.metaValue(ctx, tx, keyBundledHash); err != nil {
		return res, err
	}
	seededAt, err := s.metaInt(ctx, tx, keyBundledVersion)
	if err != nil {
		return res, err
	}
	version, err := s.dataVersion(ctx, tx)
	if err != nil {
		return res, err
	}
	empty, err := s.empty(ctx, tx)
	if err != nil {
		return res, err
	}
	onlyBundled := res.Seeded != "" && seededAt == version
	switch {
	case empty:
		res.Outcome = store.SeedFilled
	case force:
		res.Outcome = store.SeedUpdated
	case !onlyBundled:
		res.Outcome = store.SeedKept
		return res, nil
	case res.Seeded == hash:
		res.Outcome = store.SeedCurrent
		return res, nil
	default:
		res.Outcome = store.SeedUpdated
	}
	// Seeding replaces only earlier bundled data (or is forced): no
	// conflict check.
	if res.Stats, err = s.importIn(ctx, tx, tracks, store.ImportOptions{By: "bundled data"}, false); err != nil {
		return store.SeedResult{}, err
	}
	if res.Outcome == store.SeedUpdated && !res.Stats.Wrote() {
		res.Outcome = store.SeedCurrent // the file changed, not the data
	}
	if version, err = s.dataVersion(ctx, tx); err != nil {
		return store.SeedResult{}, err
	}
	err = s.exec(ctx, tx, `INSERT INTO meta (key, value) VALUES (?, ?), (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
		keyBundledHash, hash, keyBundledVersion, strconv.FormatInt(version, 10))
	if err != nil {
		return store.SeedResult{}, fmt.Errorf("recording the bundled data: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return store.SeedResult{}, fmt.Errorf("committing the bundled data: %w", err)
	}
	return res, nil
}

// metaValue reads a meta key; "" when it is not set.
func (s *DB) metaValue(ctx context.Context, tx *sql.Tx, key string) (string, error) {
	var v string
	err := s.queryRow(ctx, tx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("reading %s: %w", key, err)
	}
	return v, nil
}

// metaInt reads a numeric meta key; 0 when it is not set.
func (s *DB) metaInt(ctx context.Context, tx *sql.Tx, key string) (int64, error) {
	v, err := s.metaValue(ctx, tx, key)
	if err != nil || v == "" {
		return 0, err
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("reading %s: %q is not a number", key, v)
	}
	return n, nil
}
