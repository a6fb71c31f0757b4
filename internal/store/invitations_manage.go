package store

import (
	"context"
	"strconv"
	"strings"

	"github.com/accountnet/accountnet"
)

// InvitationFilter selects invitations for a record list.
type InvitationFilter struct {
	Search string                      // part of the email, matched case-insensitively
	Status accountnet.InvitationStatus // "" for every status
	Now    int64                       // Unix seconds; splits pending from expired
}

// where returns the conditions that follow the list's scope, with their
// arguments appended to args (the scope's arguments). Expired is derived,
// because it is stored as pending with expires <= now.
func (f InvitationFilter) where(args []any) (string, []any) {
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}

	// Without a search the condition is left out, so that the count reads
	// the parent's index entries only.
	conditions := ""
	if f.Search != "" {
		conditions = ` AND i.email_key LIKE ` + arg("%"+likeEscape(strings.ToLower(f.Search))+"%") + ` ESCAPE '\'`
	}
	switch f.Status {
	case "":
	case accountnet.StatusPending:
		conditions += ` AND i.status = 'pending' AND i.expires > ` + arg(f.Now)
	case accountnet.StatusExpired:
		conditions += ` AND i.status = 'pending' AND i.expires <= ` + arg(f.Now)
	default:
		conditions += ` AND i.status = ` + arg(string(f.Status))
	}
	return conditions, args
}

// FindInvitations returns one page of the parent's invitations, newest
// first (ties by id, descending), with the total that match the filter.
func (q *Q) FindInvitations(ctx context.Context, appID, parentAccountID string, f InvitationFilter, page Page) ([]*accountnet.Invitation, int64, error) {
	return q.pageInvitations(ctx, `i.app_id = $1 AND i.parent_account_id = $2`, []any{appID, parentAccountID}, f, page)
}

// pageInvitations returns one page of the invitations that match scope,
// a condition on the arguments args, and the filter, newest first, with
// their total.
func (q *Q) pageInvitations(ctx context.Context, scope string, args []any, f InvitationFilter, page Page) ([]*accountnet.Invitation, int64, error) {
	conditions, args := f.where(args)
	where := ` WHERE ` + scope + conditions

	var total int64
	if err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM invitations i`+where, args...).Scan(&total); err != nil {
		return nil, 0, translate(q.dialect, err)
	}

	n := len(args)
	args = append(args, page.Size, page.Offset())
	// Both keys descending, so that for one parent the
	// invitations_parent_page index (parent, app, created, id) gives the
	// order and the page is read without sorting every invitation of the
	// parent.
	rows, err := q.db.QueryContext(ctx, invitationSelect+where+` ORDER BY i.created DESC, i.id DESC
		LIMIT $`+strconv.Itoa(n+1)+` OFFSET $`+strconv.Itoa(n+2), args...)
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanInvitation)
	return list, total, err
}

// FindInvitationForUpdate is FindInvitation that also holds the row lock
// until the transaction ends on PostgreSQL, so that a concurrent change
// of the same invitation waits and then reads the committed result. On
// SQLite the write transaction already excludes every other writer.
func (q *Q) FindInvitationForUpdate(ctx context.Context, appID, parentAccountID, id string) (*accountnet.Invitation, error) {
	lock := ""
	if q.dialect == Postgres {
		lock = ` FOR UPDATE OF i`
	}
	inv, err := scanInvitation(q.db.QueryRowContext(ctx, invitationSelect+`
		WHERE i.app_id = $1 AND i.parent_account_id = $2 AND i.id = $3`+lock, appID, parentAccountID, id))
	return inv, q.notFound(err, "invitation")
}

// RenewInvitation stores the changed fields of a pending (possibly
// expired) invitation with a new token hash and expiry, and counts one
// more sending. It reports not found when the invitation is no longer
// pending.
func (q *Q) RenewInvitation(ctx context.Context, inv *accountnet.Invitation) error {
	res, err := q.db.ExecContext(ctx, `UPDATE invitations SET email = $4, email_key = $5, domain_id = $6,
			country_id = $7, fee_proposed = $8, title = $9, token_hash = $10, expires = $11,
			sent_count = sent_count + 1, last_sent = $12, updated = $12
		WHERE app_id = $1 AND parent_account_id = $2 AND id = $3 AND status = 'pending'`,
		inv.AppID, inv.ParentAccountID, inv.ID, inv.Email, inv.EmailKey, inv.DomainID, inv.CountryID,
		nullPercent(inv.FeeProposed), inv.Title, inv.TokenHash, inv.Expires, inv.LastSent)
	return q.expectOne(res, err, "invitation")
}

// DeclineInvitation moves a pending, unexpired invitation whose token
// hashes to tokenHash to declined, and reports whether it did. Like
// AcceptInvitation, the conditions are part of the UPDATE, so a token
// replaced or used concurrently does not decline.
func (q *Q) DeclineInvitation(ctx context.Context, id, tokenHash string, now int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE invitations SET status = 'declined', updated = $3
		WHERE id = $1 AND token_hash = $2 AND status = 'pending' AND expires > $3`, id, tokenHash, now)
	if err != nil {
		return false, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(q.dialect, err)
}
