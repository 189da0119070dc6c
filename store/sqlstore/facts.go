package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"talkbot/store"
)

// newestFirst orders positions and statements as readers want them; export
// uses "seq" to keep the curated order instead.
const newestFirst = "newest"

func orderBy(order, dateCol string) string {
	if order == newestFirst {
		return ` ORDER BY ` + dateCol + ` DESC, seq DESC`
	}
	return ` ORDER BY seq`
}

func limitOffset(q string, args []any, limit, offset int) (string, []any) {
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
		if offset > 0 {
			q += ` OFFSET ?`
			args = append(args, offset)
		}
	}
	return q, args
}

// Positions lists positions of a track, newest first.
func (s *DB) Positions(ctx context.Context, q store.PositionQuery) ([]store.Position, error) {
	return s.positions(ctx, s.db, q, newestFirst)
}

func (s *DB) positions(ctx context.Context, db querier, q store.PositionQuery, order string) ([]store.Position, error) {
	sqlText := `SELECT party, topic, summary, stated_on, by_person, sources FROM positions WHERE track_id = ?`
	args := []any{q.Track}
	if q.Party != "" {
		sqlText += ` AND party = ?`
		args = append(args, q.Party)
	}
	if q.Topic != "" {
		sqlText += ` AND topic = ?`
		args = append(args, q.Topic)
	}
	sqlText, args = limitOffset(sqlText+orderBy(order, "stated_on"), args, q.Limit, q.Offset)
	rows, err := s.query(ctx, db, sqlText, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (store.Position, error) {
		p := store.Position{Track: q.Track}
		var on, sources string
		if err := r.Scan(&p.Party, &p.Topic, &p.Summary, &on, &p.By, &sources); err != nil {
			return p, err
		}
		var err error
		if p.StatedOn, err = parseDate(on); err != nil {
			return p, err
		}
		p.Sources, err = decodeList(sources)
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading positions of %q: %w", q.Track, err)
	}
	return out, nil
}

// Statements lists statements of a track, newest first, with the total.
func (s *DB) Statements(ctx context.Context, q store.StatementQuery) (store.Page[store.Statement], error) {
	var page store.Page[store.Statement]
	where, args := statementFilter(q)
	if err := s.queryRow(ctx, s.db, `SELECT COUNT(*) FROM statements`+where, args...).Scan(&page.Total); err != nil {
		return page, fmt.Errorf("counting statements of %q: %w", q.Track, err)
	}
	if page.Total == 0 || q.Offset >= page.Total {
		return page, nil
	}
	var err error
	page.Items, err = s.statements(ctx, s.db, q, newestFirst)
	return page, err
}

func statementFilter(q store.StatementQuery) (string, []any) {
	where := ` WHERE track_id = ?`
	args := []any{q.Track}
	if q.Party != "" {
		where += ` AND party = ?`
		args = append(args, q.Party)
	}
	if q.Person != "" {
		where += ` AND person = ?`
		args = append(args, q.Person)
	}
	return where, args
}

func (s *DB) statements(ctx context.Context, db querier, q store.StatementQuery, order string) ([]store.Statement, error) {
	where, args := statementFilter(q)
	sqlText, args := limitOffset(`SELECT person, party, said_on, medium, text, language, sources FROM statements`+where+orderBy(order, "said_on"), args, q.Limit, q.Offset)
	rows, err := s.query(ctx, db, sqlText, args...)
	out, err := collect(rows, err, func(r *sql.Rows) (store.Statement, error) {
		st := store.Statement{Track: q.Track}
		var on, sources string
		if err := r.Scan(&st.By, &st.Party, &on, &st.Medium, &st.Text, &st.Language, &sources); err != nil {
			return st, err
		}
		var err error
		if st.SaidOn, err = parseDate(on); err != nil {
			return st, err
		}
		st.Sources, err = decodeList(sources)
		return st, err
	})
	if err != nil {
		return nil, fmt.Errorf("reading statements of %q: %w", q.Track, err)
	}
	return out, nil
}
