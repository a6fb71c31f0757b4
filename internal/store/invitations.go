package store

import (
	"context"
	"database/sql"

	"github.com/accountnet/accountnet"
)

// The delivery state is that of the newest mail sent for the invitation.
const invitationSelect = `SELECT i.id, i.app_id, i.parent_account_id, i.created_by_user_id, i.email, i.email_key,
	i.domain_id, d.title, i.country_id, i.fee_proposed, i.title, i.token_hash, i.status, i.expires,
	i.sent_count, i.last_sent, COALESCE(i.child_account_id, ''), i.created, i.updated,
	COALESCE((SELECT m.status FROM mails m WHERE m.invitation_id = i.id ORDER BY m.created DESC, m.seq DESC LIMIT 1), '')
	FROM invitations i JOIN domains d ON d.id = i.domain_id`

func scanInvitation(row interface{ Scan(...any) error }) (*accountnet.Invitation, error) {
	var inv accountnet.Invitation
	var fee sql.NullInt64
	err := row.Scan(&inv.ID, &inv.AppID, &inv.ParentAccountID, &inv.CreatedByUserID, &inv.Email, &inv.EmailKey,
		&inv.DomainID, &inv.DomainTitle, &inv.CountryID, &fee, &inv.Title, &inv.TokenHash, &inv.Stored, &inv.Expires,
		&inv.SentCount, &inv.LastSent, &inv.ChildAccountID, &inv.Created, &inv.Updated, &inv.Delivery)
	inv.FeeProposed = percent(fee)
	return &inv, err
}

// CreateInvitation inserts an invitation.
func (q *Q) CreateInvitation(ctx context.Context, inv *accountnet.Invitation) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO invitations (id, app_id, parent_account_id, created_by_user_id,
			email, email_key, domain_id, country_id, fee_proposed, title, token_hash, status, expires,
			sent_count, last_sent, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		inv.ID, inv.AppID, inv.ParentAccountID, inv.CreatedByUserID, inv.Email, inv.EmailKey, inv.DomainID,
		inv.CountryID, nullPercent(inv.FeeProposed), inv.Title, inv.TokenHash, inv.Stored, inv.Expires,
		inv.SentCount, inv.LastSent, inv.Created, inv.Updated)
	return translate(q.dialect, err)
}

// FindInvitation returns the invitation with id sent by parentAccountID.
// Another account's invitation is not found, exactly like a missing one.
func (q *Q) FindInvitation(ctx context.Context, appID, parentAccountID, id string) (*accountnet.Invitation, error) {
	inv, err := scanInvitation(q.db.QueryRowContext(ctx, invitationSelect+`
		WHERE i.app_id = $1 AND i.parent_account_id = $2 AND i.id = $3`, appID, parentAccountID, id))
	return inv, q.notFound(err, "invitation")
}

// FindInvitationByToken returns the app's invitation whose token hashes to
// hash.
func (q *Q) FindInvitationByToken(ctx context.Context, appID, hash string) (*accountnet.Invitation, error) {
	inv, err := scanInvitation(q.db.QueryRowContext(ctx, invitationSelect+`
		WHERE i.app_id = $1 AND i.token_hash = $2`, appID, hash))
	return inv, q.notFound(err, "invitation")
}

// CountActiveInvitations returns how many invitations from the parent to
// the address, other than exceptID, are pending and unexpired at now.
func (q *Q) CountActiveInvitations(ctx context.Context, parentAccountID, emailKey string, now int64, exceptID string) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM invitations
		WHERE parent_account_id = $1 AND email_key = $2 AND status = 'pending' AND expires > $3 AND id <> $4`,
		parentAccountID, emailKey, now, exceptID).Scan(&n)
	return n, translate(q.dialect, err)
}

// AcceptInvitation moves a pending, unexpired invitation whose token
// hashes to tokenHash to accepted. The condition is part of the UPDATE, so
// of two concurrent calls exactly one reports true. On PostgreSQL the
// second waits for the first to commit and then finds the row no longer
// pending. On SQLite writers run one at a time. A token replaced by a
// concurrent re-send no longer matches, so the old link cannot win.
func (q *Q) AcceptInvitation(ctx context.Context, id, tokenHash string, now int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE invitations SET status = 'accepted', updated = $3
		WHERE id = $1 AND token_hash = $2 AND status = 'pending' AND expires > $3`, id, tokenHash, now)
	if err != nil {
		return false, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(q.dialect, err)
}

// SetInvitationChild records the account an accepted invitation created.
func (q *Q) SetInvitationChild(ctx context.Context, id, childAccountID string) error {
	res, err := q.db.ExecContext(ctx, `UPDATE invitations SET child_account_id = $2 WHERE id = $1`, id, childAccountID)
	return q.expectOne(res, err, "invitation")
}

// LockAccount holds the account's row lock (SELECT … FOR UPDATE) until the
// transaction ends, so that checks run after it, such as one pending
// invitation per address, cannot race. On SQLite it does nothing, because
// the write transaction already excludes every other writer.
func (q *Q) LockAccount(ctx context.Context, appID, accountID string) error {
	if q.dialect != Postgres {
		return nil
	}
	var id string
	err := q.db.QueryRowContext(ctx, `SELECT id FROM accounts WHERE app_id = $1 AND id = $2 FOR UPDATE`, appID, accountID).Scan(&id)
	return q.notFound(err, "account")
}

// RevokeInvitation moves the parent's pending invitation to revoked, so
// that its token stops working.
func (q *Q) RevokeInvitation(ctx context.Context, appID, parentAccountID, id string, now int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE invitations SET status = 'revoked', updated = $4
		WHERE app_id = $1 AND parent_account_id = $2 AND id = $3 AND status = 'pending'`, appID, parentAccountID, id, now)
	return q.expectOne(res, err, "invitation")
}

// CountInvitations returns the number of the app's invitations.
func (q *Q) CountInvitations(ctx context.Context, appID string) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM invitations WHERE app_id = $1`, appID).Scan(&n)
	return n, translate(q.dialect, err)
}
