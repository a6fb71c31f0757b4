package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/accountnet/accountnet"
)

// NetworkDetail is a network with the child account's title and domain and
// the fee history, as the networks endpoints show it.
type NetworkDetail struct {
	accountnet.Network
	AccountTitle string
	DomainID     string
	DomainTitle  string
	History      []accountnet.FeeChange // oldest first
}

const networkColumns = `n.child_account_id, n.app_id, n.parent_account_id, n.fee, n.fee_proposed,
	n.fee_proposed_date, n.proposed_account_id, n.proposed_user_id, n.created`

const networkDetailSelect = `SELECT ` + networkColumns + `, a.title, a.domain_id, d.title
	FROM networks n JOIN accounts a ON a.id = n.child_account_id JOIN domains d ON d.id = a.domain_id`

func scanNetwork(row interface{ Scan(...any) error }, n *accountnet.Network, extra ...any) error {
	var fee, proposed sql.NullInt64
	dest := append([]any{&n.AccountID, &n.AppID, &n.ParentAccountID, &fee, &proposed,
		&n.FeeProposedDate, &n.ProposedAccountID, &n.ProposedUserID, &n.Created}, extra...)
	err := row.Scan(dest...)
	n.Fee, n.FeeProposed = percent(fee), percent(proposed)
	return err
}

func scanNetworkDetail(row interface{ Scan(...any) error }) (*NetworkDetail, error) {
	var d NetworkDetail
	err := scanNetwork(row, &d.Network, &d.AccountTitle, &d.DomainID, &d.DomainTitle)
	return &d, err
}

// FindChildNetwork returns the network of childAccountID whose parent is
// parentAccountID, with its fee history. Any other account's network is
// not found, exactly like a missing one.
func (q *Q) FindChildNetwork(ctx context.Context, appID, parentAccountID, childAccountID string) (*NetworkDetail, error) {
	d, err := scanNetworkDetail(q.db.QueryRowContext(ctx, networkDetailSelect+`
		WHERE n.app_id = $1 AND n.parent_account_id = $2 AND n.child_account_id = $3`, appID, parentAccountID, childAccountID))
	if err != nil {
		return nil, q.notFound(err, "network")
	}
	return d, q.attachHistory(ctx, []*NetworkDetail{d})
}

// FindParentNetwork returns the network in which childAccountID is the
// child, with its fee history.
func (q *Q) FindParentNetwork(ctx context.Context, appID, childAccountID string) (*NetworkDetail, error) {
	d, err := scanNetworkDetail(q.db.QueryRowContext(ctx, networkDetailSelect+`
		WHERE n.app_id = $1 AND n.child_account_id = $2`, appID, childAccountID))
	if err != nil {
		return nil, q.notFound(err, "network")
	}
	return d, q.attachHistory(ctx, []*NetworkDetail{d})
}

// LockNetwork returns the network of childAccountID and, on PostgreSQL,
// holds its row lock (FOR UPDATE) until the transaction ends. Proposals,
// accepts, declines and removals of one network therefore run one after
// another, and revenue recording (FOR SHARE) waits for them. On SQLite the write transaction already excludes
// every other writer.
func (q *Q) LockNetwork(ctx context.Context, appID, childAccountID string) (*accountnet.Network, error) {
	var n accountnet.Network
	err := scanNetwork(q.db.QueryRowContext(ctx, `SELECT `+networkColumns+` FROM networks n
		WHERE n.app_id = $1 AND n.child_account_id = $2`+q.forUpdate(), appID, childAccountID), &n)
	return &n, q.notFound(err, "network")
}

// forUpdate returns the row-locking clause of the dialect.
func (q *Q) forUpdate() string {
	if q.dialect == Postgres {
		return ` FOR UPDATE`
	}
	return ``
}

// UpdateNetworkFee writes the accepted fee and the pending proposal of n.
func (q *Q) UpdateNetworkFee(ctx context.Context, n *accountnet.Network) error {
	res, err := q.db.ExecContext(ctx, `UPDATE networks SET fee = $3, fee_proposed = $4, fee_proposed_date = $5,
			proposed_account_id = $6, proposed_user_id = $7
		WHERE app_id = $1 AND child_account_id = $2`,
		n.AppID, n.AccountID, nullPercent(n.Fee), nullPercent(n.FeeProposed), n.FeeProposedDate,
		n.ProposedAccountID, n.ProposedUserID)
	return q.expectOne(res, err, "network")
}

// AddFeeChange appends an accepted fee to the network's history. Callers
// hold the network's lock (LockNetwork), so the next sequence number
// cannot be taken twice.
func (q *Q) AddFeeChange(ctx context.Context, appID, childAccountID string, c accountnet.FeeChange) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO network_fee_history (child_account_id, seq, app_id, fee, accepted_date)
		SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4 FROM network_fee_history WHERE child_account_id = $1`,
		childAccountID, appID, int64(c.Fee), c.Accepted)
	return translate(q.dialect, err)
}

// DeleteNetwork ends the relationship of childAccountID with its parent.
// The accounts, their users and the share entries stay; the fee history
// goes with the network.
func (q *Q) DeleteNetwork(ctx context.Context, appID, childAccountID string) error {
	var parentID string
	err := q.db.QueryRowContext(ctx, `DELETE FROM networks WHERE app_id = $1 AND child_account_id = $2 RETURNING parent_account_id`,
		appID, childAccountID).Scan(&parentID)
	if err := q.notFound(err, "network"); err != nil {
		return err
	}
	return q.addToCounter(ctx, "children_count", parentID, -1)
}

// NetworkFilter selects networks for a record list.
type NetworkFilter struct {
	Search   string // matches the child account title, case-insensitively
	FeeState string // accountnet.FeeState* value; "" for all
}

// feeStateCondition returns the SQL condition for a fee state.
func feeStateCondition(state string) string {
	switch state {
	case accountnet.FeeStatePending:
		return ` AND n.fee_proposed IS NOT NULL`
	case accountnet.FeeStateAccepted:
		return ` AND n.fee_proposed IS NULL AND n.fee IS NOT NULL`
	case accountnet.FeeStateNone:
		return ` AND n.fee_proposed IS NULL AND n.fee IS NULL`
	}
	return ``
}

// FindNetworks returns one page of the parent's child networks, newest
// first, with the exact total.
//
// Without a search or filter, the total is the parent's children_count.
// With a fee filter the count reads the parent's entries of the
// networks_parent_page index (parent, created, child, with the app and fee
// columns) and no table row.
// The page walks the index backwards and joins the accounts of the page's
// rows only, although OFFSET still steps over the entries of earlier
// pages.
// A search compares account titles, so it reads every child account of the
// parent once.
func (q *Q) FindNetworks(ctx context.Context, appID, parentAccountID string, f NetworkFilter, page Page) ([]*NetworkDetail, int64, error) {
	conditions, args := f.where([]any{appID, parentAccountID})
	where := ` WHERE n.app_id = $1 AND n.parent_account_id = $2` + conditions

	// Without a search or filter the total is the parent's counter, one
	// row however many children there are; otherwise it is counted.
	countSQL, countArgs := `SELECT children_count FROM accounts WHERE app_id = $1 AND id = $2`, args
	switch {
	case f.Search != "":
		countSQL = `SELECT count(*) FROM networks n JOIN accounts a ON a.id = n.child_account_id` + where
	case f.FeeState != "":
		countSQL = `SELECT count(*) FROM networks n` + where
	}
	var total int64
	if err := q.db.QueryRowContext(ctx, countSQL, countArgs...).Scan(&total); err != nil {
		return nil, 0, q.notFound(err, "account")
	}
	list, err := q.pageNetworks(ctx, where, args, total, page)
	if err != nil {
		return nil, 0, err
	}
	return list, total, nil
}

// where returns the fee and search conditions that follow the list's
// scope, with their arguments appended to args (the scope's arguments).
// The search condition needs the child account joined as a.
func (f NetworkFilter) where(args []any) (string, []any) {
	conditions := feeStateCondition(f.FeeState)
	if f.Search != "" {
		args = append(args, "%"+likeEscape(strings.ToLower(f.Search))+"%")
		conditions += ` AND lower(a.title) LIKE ` + placeholder(len(args)) + ` ESCAPE '\'`
	}
	return conditions, args
}

// pageNetworks returns one page, newest first, of the networks that match
// where, whose arguments are args, with their fee history. total is the
// number that match, so that a page past the end runs no query.
func (q *Q) pageNetworks(ctx context.Context, where string, args []any, total int64, page Page) ([]*NetworkDetail, error) {
	if total == 0 || page.Offset() >= int(total) {
		return []*NetworkDetail{}, nil
	}

	n := len(args)
	rows, err := q.db.QueryContext(ctx, networkDetailSelect+where+`
		ORDER BY n.created DESC, n.child_account_id DESC LIMIT `+placeholder(n+1)+` OFFSET `+placeholder(n+2),
		append(args, page.Size, page.Offset())...)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanNetworkDetail)
	if err != nil {
		return nil, err
	}
	return list, q.attachHistory(ctx, list)
}

// attachHistory loads the fee history of every network in list with one
// query.
func (q *Q) attachHistory(ctx context.Context, list []*NetworkDetail) error {
	if len(list) == 0 {
		return nil
	}
	byChild := map[string]*NetworkDetail{}
	placeholders := make([]string, len(list))
	args := make([]any, len(list))
	for i, d := range list {
		byChild[d.AccountID] = d
		d.History = []accountnet.FeeChange{}
		placeholders[i] = placeholder(i + 1)
		args[i] = d.AccountID
	}

	rows, err := q.db.QueryContext(ctx, `SELECT child_account_id, fee, accepted_date FROM network_fee_history
		WHERE child_account_id IN (`+strings.Join(placeholders, ", ")+`) ORDER BY child_account_id, seq`, args...)
	if err != nil {
		return translate(q.dialect, err)
	}
	defer rows.Close()
	for rows.Next() {
		var child string
		var c accountnet.FeeChange
		if err := rows.Scan(&child, &c.Fee, &c.Accepted); err != nil {
			return translate(q.dialect, err)
		}
		d := byChild[child]
		d.History = append(d.History, c)
	}
	return translate(q.dialect, rows.Err())
}

// FindUsersOfAccount returns every user of the account, oldest membership
// first, for mail that goes to all of them; FindAccountUsers pages the
// same rows with roles for the admin API.
func (q *Q) FindUsersOfAccount(ctx context.Context, appID, accountID string) ([]*accountnet.User, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT u.id, u.app_id, u.username, u.email, u.name, u.password_hash, u.created
		FROM memberships m JOIN users u ON u.id = m.user_id
		WHERE m.app_id = $1 AND m.account_id = $2 ORDER BY m.created, u.id`, appID, accountID)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, scanUser)
}

// placeholder returns the query parameter $i.
func placeholder(i int) string { return "$" + strconv.Itoa(i) }
