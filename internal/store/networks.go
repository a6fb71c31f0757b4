package store

import (
	"context"

	"github.com/accountnet/accountnet"
)

// CreateNetwork records the parent→child relationship.
func (q *Q) CreateNetwork(ctx context.Context, n *accountnet.Network) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO networks (child_account_id, app_id, parent_account_id, fee, fee_proposed,
			fee_proposed_date, proposed_account_id, proposed_user_id, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		n.AccountID, n.AppID, n.ParentAccountID, nullPercent(n.Fee), nullPercent(n.FeeProposed),
		n.FeeProposedDate, n.ProposedAccountID, n.ProposedUserID, n.Created)
	if err != nil {
		return translate(q.dialect, err)
	}
	return q.addToCounter(ctx, "children_count", n.ParentAccountID, 1)
}
