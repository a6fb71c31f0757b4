package store

import (
	"context"
	"database/sql"
	"errors"
	"math/big"
	"strings"

	"github.com/accountnet/accountnet"
)

const revenueColumns = `e.id, e.app_id, e.account_id, e.reference, e.amount, e.currency, e.description, e.created`

const shareColumns = `s.id, s.app_id, s.event_id, s.parent_account_id, s.child_account_id, s.fee, s.amount, s.share,
	s.currency, s.created`

func scanShare(row interface{ Scan(...any) error }) (*accountnet.ShareEntry, error) {
	var s accountnet.ShareEntry
	err := row.Scan(&s.ID, &s.AppID, &s.EventID, &s.ParentAccountID, &s.ChildAccountID, &s.Fee, &s.Amount, &s.Share,
		&s.Currency, &s.Created)
	return &s, err
}

// eventShare is a revenue event with its share entry, nil when the event
// produced none.
type eventShare struct {
	event *accountnet.RevenueEvent
	share *accountnet.ShareEntry
}

const eventShareSelect = `SELECT ` + revenueColumns + `, ` + shareColumns + `
	FROM revenue_events e LEFT JOIN share_entries s ON s.event_id = e.id`

func scanEventShare(row interface{ Scan(...any) error }) (*eventShare, error) {
	var e accountnet.RevenueEvent
	var shareID, appID, eventID, parentID, childID, currency sql.NullString
	var fee, amount, share, created sql.NullInt64
	err := row.Scan(&e.ID, &e.AppID, &e.AccountID, &e.Reference, &e.Amount, &e.Currency, &e.Description, &e.Created,
		&shareID, &appID, &eventID, &parentID, &childID, &fee, &amount, &share, &currency, &created)
	if err != nil || !shareID.Valid {
		return &eventShare{event: &e}, err
	}
	return &eventShare{event: &e, share: &accountnet.ShareEntry{
		ID: shareID.String, AppID: appID.String, EventID: eventID.String, ParentAccountID: parentID.String,
		ChildAccountID: childID.String, Fee: accountnet.Percent(fee.Int64), Amount: amount.Int64, Share: share.Int64,
		Currency: currency.String, Created: created.Int64,
	}}, nil
}

// FindRevenueByReference returns the app's revenue event with reference
// and its share entry, which is nil when the event produced none.
func (q *Q) FindRevenueByReference(ctx context.Context, appID, reference string) (*accountnet.RevenueEvent, *accountnet.ShareEntry, error) {
	es, err := scanEventShare(q.db.QueryRowContext(ctx, eventShareSelect+` WHERE e.app_id = $1 AND e.reference = $2`, appID, reference))
	if err != nil {
		return nil, nil, q.notFound(err, "revenue event")
	}
	return es.event, es.share, nil
}

// AccountExists reports whether the app has an account with id.
func (q *Q) AccountExists(ctx context.Context, appID, id string) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM accounts WHERE app_id = $1 AND id = $2`, appID, id).Scan(&n)
	return n > 0, translate(q.dialect, err)
}

// ShareNetwork returns the network in which childAccountID is the child,
// or nil when it has no parent, for recording revenue.
//
// On PostgreSQL the row is read FOR SHARE: the lock lasts until the
// revenue transaction commits, so a fee acceptance, a proposal or a
// removal (which lock the row FOR UPDATE) waits for it, and it waits for
// them. The share entry therefore uses the fee that is in force when it
// commits, never one that another transaction is about to replace, and
// the event time, read after this lock, is ordered consistently with the
// fee history. Concurrent revenue events do not block each other, because
// share locks are compatible. On SQLite the write transaction excludes
// every other writer, which gives the same order.
func (q *Q) ShareNetwork(ctx context.Context, appID, childAccountID string) (*accountnet.Network, error) {
	lock := ``
	if q.dialect == Postgres {
		lock = ` FOR SHARE`
	}
	var n accountnet.Network
	err := scanNetwork(q.db.QueryRowContext(ctx, `SELECT `+networkColumns+` FROM networks n
		WHERE n.app_id = $1 AND n.child_account_id = $2`+lock, appID, childAccountID), &n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return &n, nil
}

// batchRows returns the number of rows per multi-row INSERT. PostgreSQL
// gains from large batches (a round trip each) and stays far below its
// 65535 parameters. The SQLite driver binds parameters in time that grows
// faster than linearly with their number, so small batches are faster
// there: 96 000 share entries and events took 18 s in batches of 500 and
// 3.6 s in batches of 20 (one run on a shared 2-core machine).
func (q *Q) batchRows() int {
	if q.dialect == Postgres {
		return 500
	}
	return 20
}

// insertRows inserts rows into table with one multi-row INSERT per batch.
func (q *Q) insertRows(ctx context.Context, table, columns string, width int, rows [][]any) error {
	size := q.batchRows()
	for start := 0; start < len(rows); start += size {
		batch := rows[start:min(start+size, len(rows))]
		var sb strings.Builder
		sb.WriteString(`INSERT INTO ` + table + ` (` + columns + `) VALUES `)
		args := make([]any, 0, len(batch)*width)
		for i, row := range batch {
			if i > 0 {
				sb.WriteString(", ")
			}
			sb.WriteString("(")
			for j := range width {
				if j > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString(placeholder(len(args) + j + 1))
			}
			sb.WriteString(")")
			args = append(args, row...)
		}
		if _, err := q.db.ExecContext(ctx, sb.String(), args...); err != nil {
			return translate(q.dialect, err)
		}
	}
	return nil
}

// CreateRevenueEvents inserts events. A reference the app already used is
// ErrUnique.
func (q *Q) CreateRevenueEvents(ctx context.Context, events ...*accountnet.RevenueEvent) error {
	rows := make([][]any, len(events))
	for i, e := range events {
		rows[i] = []any{e.ID, e.AppID, e.AccountID, e.Reference, e.Amount, e.Currency, e.Description, e.Created}
	}
	return q.insertRows(ctx, "revenue_events", "id, app_id, account_id, reference, amount, currency, description, created", 8, rows)
}

// CreateShareEntries inserts share entries.
func (q *Q) CreateShareEntries(ctx context.Context, entries ...*accountnet.ShareEntry) error {
	rows := make([][]any, len(entries))
	for i, s := range entries {
		rows[i] = []any{s.ID, s.AppID, s.EventID, s.ParentAccountID, s.ChildAccountID, int64(s.Fee), s.Amount, s.Share, s.Currency, s.Created}
	}
	return q.insertRows(ctx, "share_entries",
		"id, app_id, event_id, parent_account_id, child_account_id, fee, amount, share, currency, created", 10, rows)
}

// LedgerSide selects the account column of the share entries that a
// report reads.
type LedgerSide int

const (
	// LedgerParent selects the entries an account earned from its children.
	LedgerParent LedgerSide = iota
	// LedgerChild selects the entries an account owes to its parent.
	LedgerChild
)

// columns returns the entry column of the report's account and of the
// account on the other side.
func (side LedgerSide) columns() (own, other string) {
	if side == LedgerChild {
		return "s.child_account_id", "s.parent_account_id"
	}
	return "s.parent_account_id", "s.child_account_id"
}

// ShareTotal sums the entries of one counterparty in one currency.
// Amount and Share are exact however many entries there are.
type ShareTotal struct {
	AccountID    string // the other side: the child for earnings, the parent for fees
	AccountTitle string
	Currency     string
	Count        int64
	Amount       *big.Int
	Share        *big.Int
}

// FindShareTotals returns the totals of the account's share entries with
// start <= created < end, per counterparty and currency, ordered by the
// counterparty's title.
//
// Each sum is taken in two parts, the quotient and the remainder of the
// amount by 10^9, and joined in Go with big.Int. With amounts of at most
// 10^15 neither part can overflow a 64-bit sum below about 9 × 10^9
// entries. A plain SUM overflows after about 9 000 maximal entries: SQLite
// then fails, and PostgreSQL returns a numeric.
func (q *Q) FindShareTotals(ctx context.Context, appID string, side LedgerSide, accountID string, start, end int64) ([]*ShareTotal, error) {
	own, other := side.columns()
	// The entries are grouped first and the few groups joined to their
	// account titles after, so no sort or join runs over every entry.
	rows, err := q.db.QueryContext(ctx, `SELECT t.account_id, a.title, t.currency, t.entries,
			t.amount_high, t.amount_low, t.share_high, t.share_low
		FROM (SELECT `+other+` AS account_id, s.currency, count(*) AS entries,
				CAST(SUM(s.amount / 1000000000) AS BIGINT) AS amount_high, CAST(SUM(s.amount % 1000000000) AS BIGINT) AS amount_low,
				CAST(SUM(s.share / 1000000000) AS BIGINT) AS share_high, CAST(SUM(s.share % 1000000000) AS BIGINT) AS share_low
			FROM share_entries s
			WHERE s.app_id = $1 AND `+own+` = $2 AND s.created >= $3 AND s.created < $4
			GROUP BY `+other+`, s.currency) t
		JOIN accounts a ON a.id = t.account_id
		ORDER BY a.title, t.account_id, t.currency`, appID, accountID, start, end)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, func(row interface{ Scan(...any) error }) (*ShareTotal, error) {
		var t ShareTotal
		var amountHigh, amountLow, shareHigh, shareLow int64
		err := row.Scan(&t.AccountID, &t.AccountTitle, &t.Currency, &t.Count, &amountHigh, &amountLow, &shareHigh, &shareLow)
		t.Amount, t.Share = joinParts(amountHigh, amountLow), joinParts(shareHigh, shareLow)
		return &t, err
	})
}

// joinParts returns high × 10^9 + low.
func joinParts(high, low int64) *big.Int {
	n := new(big.Int).Mul(big.NewInt(high), big.NewInt(1_000_000_000))
	return n.Add(n, big.NewInt(low))
}

// FindShareEntries returns one page of the account's share entries with
// start <= created < end, oldest first. The page walks the
// (account, created, id) index of its side.
func (q *Q) FindShareEntries(ctx context.Context, appID string, side LedgerSide, accountID string, start, end int64, page Page) ([]*accountnet.ShareEntry, error) {
	own, _ := side.columns()
	rows, err := q.db.QueryContext(ctx, `SELECT `+shareColumns+` FROM share_entries s
		WHERE s.app_id = $1 AND `+own+` = $2 AND s.created >= $3 AND s.created < $4
		ORDER BY s.created, s.id LIMIT $5 OFFSET $6`, appID, accountID, start, end, page.Size, page.Offset())
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanShare)
	if list == nil {
		list = []*accountnet.ShareEntry{}
	}
	return list, err
}

// FindEventShares returns every revenue event of the app with its share
// entry (nil when none), oldest first, so that the ledger can be
// recomputed from the events.
func (q *Q) FindEventShares(ctx context.Context, appID string) ([]*accountnet.RevenueEvent, []*accountnet.ShareEntry, error) {
	rows, err := q.db.QueryContext(ctx, eventShareSelect+` WHERE e.app_id = $1 ORDER BY e.created, e.id`, appID)
	if err != nil {
		return nil, nil, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanEventShare)
	if err != nil {
		return nil, nil, err
	}
	events, shares := splitEventShares(list)
	return events, shares, nil
}

// Analyze refreshes PostgreSQL's planner statistics of every table, as
// autovacuum does on its own a while after large changes, so that a
// benchmark that has just seeded them measures the plans of a running
// deployment. Without them, PostgreSQL planned the network list of a
// parent with 100,000 children as a sort of every child (408 ms against
// 0.2 ms after ANALYZE, one EXPLAIN ANALYZE each).
//
// On SQLite it does nothing, because nothing in accountnet runs ANALYZE
// there. With statistics, the SQLite 3.54.1 of modernc.org/sqlite v1.62.0
// read 100 000 earnings entries about three times slower than without
// (BenchmarkEarnings, one run). The sqlite3 3.40 shell plans that query as
// a skip-scan of the child index once statistics exist.
func (db *DB) Analyze(ctx context.Context) error {
	if db.Dialect == SQLite {
		return nil
	}
	_, err := db.write.ExecContext(ctx, `ANALYZE`)
	return db.translate(err)
}
