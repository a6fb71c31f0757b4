package store

import (
	"database/sql"
	"errors"

	"github.com/accountnet/accountnet"
)

// collect scans every row with scan and closes rows.
func collect[T any](q *Q, rows *sql.Rows, scan func(interface{ Scan(...any) error }) (*T, error)) ([]*T, error) {
	defer rows.Close()

	var out []*T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, translate(q.dialect, err)
		}
		out = append(out, v)
	}
	return out, translate(q.dialect, rows.Err())
}

// notFound turns "no rows" into the domain not-found error for what.
func (q *Q) notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return accountnet.NotFound(what)
	}
	return translate(q.dialect, err)
}

// expectOne checks that an UPDATE or DELETE touched exactly one row, and
// reports a not-found error for what otherwise.
func (q *Q) expectOne(res sql.Result, err error, what string) error {
	if err != nil {
		return translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(q.dialect, err)
	}
	if n != 1 {
		return accountnet.NotFound(what)
	}
	return nil
}

// percent converts a nullable column into an optional percentage.
func percent(v sql.NullInt64) *accountnet.Percent {
	if !v.Valid {
		return nil
	}
	p := accountnet.Percent(v.Int64)
	return &p
}

// nullPercent converts an optional percentage into a nullable value.
func nullPercent(p *accountnet.Percent) sql.NullInt64 {
	if p == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*p), Valid: true}
}

// nullString stores "" as NULL, for nullable foreign keys.
func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}

// Page selects one page of a record list; Index is 1-based.
type Page struct {
	Index int
	Size  int
}

func (p Page) Offset() int { return (p.Index - 1) * p.Size }
