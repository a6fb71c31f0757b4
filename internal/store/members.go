package store

import (
	"context"
	"strings"

	"github.com/accountnet/accountnet"
)

// AccountUser is a user with their membership in one account.
type AccountUser struct {
	User       *accountnet.User
	Membership *accountnet.Membership
}

const accountUserSelect = `SELECT u.id, u.app_id, u.username, u.email, u.name, u.password_hash, u.created,
	m.account_id, m.user_id, m.role, m.created, m.last_login
	FROM memberships m JOIN users u ON u.id = m.user_id`

func scanAccountUser(row interface{ Scan(...any) error }) (*AccountUser, error) {
	var u accountnet.User
	var m accountnet.Membership
	err := row.Scan(&u.ID, &u.AppID, &u.Username, &u.Email, &u.Name, &u.PasswordHash, &u.Created,
		&m.AccountID, &m.UserID, &m.Role, &m.Created, &m.LastLogin)
	return &AccountUser{User: &u, Membership: &m}, err
}

// FindAccountUsers returns one page of the account's users with their
// roles, oldest membership first, and the total count. search matches the
// username, email or name case-insensitively; role, unless "", keeps only
// that role.
func (q *Q) FindAccountUsers(ctx context.Context, appID, accountID, search string, role accountnet.Role, page Page) ([]*AccountUser, int64, error) {
	where := ` WHERE m.app_id = $1 AND m.account_id = $2 AND ($3 = '' OR m.role = $3)
		AND (lower(u.username) LIKE $4 ESCAPE '\' OR u.email_key LIKE $4 ESCAPE '\' OR lower(u.name) LIKE $4 ESCAPE '\')`
	pattern := "%" + likeEscape(strings.ToLower(search)) + "%"

	var total int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id`+where,
		appID, accountID, string(role), pattern).Scan(&total)
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}

	rows, err := q.db.QueryContext(ctx, accountUserSelect+where+` ORDER BY m.created, u.id LIMIT $5 OFFSET $6`,
		appID, accountID, string(role), pattern, page.Size, page.Offset())
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanAccountUser)
	return list, total, err
}

// FindAccountUser returns one user of the account with their membership.
func (q *Q) FindAccountUser(ctx context.Context, appID, accountID, userID string) (*AccountUser, error) {
	au, err := scanAccountUser(q.db.QueryRowContext(ctx, accountUserSelect+` WHERE m.app_id = $1 AND m.account_id = $2 AND m.user_id = $3`,
		appID, accountID, userID))
	return au, q.notFound(err, "user")
}

// CountOwners returns how many owners the account has.
func (q *Q) CountOwners(ctx context.Context, accountID string) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM memberships WHERE account_id = $1 AND role = 'owner'`, accountID).Scan(&n)
	return n, translate(q.dialect, err)
}

// SetRole changes the user's role in the account.
func (q *Q) SetRole(ctx context.Context, accountID, userID string, role accountnet.Role) error {
	res, err := q.db.ExecContext(ctx, `UPDATE memberships SET role = $3 WHERE account_id = $1 AND user_id = $2`,
		accountID, userID, string(role))
	return q.expectOne(res, err, "user")
}

// LockUsers serialises the creation of users in the app until the
// transaction ends. The unique indexes cover a username against usernames
// and an email against emails. Log-in accepts either, so a new username
// must also differ from every email, and that check holds only when no
// other transaction creates a user between the check and the insert.
// PostgreSQL takes a transaction-level advisory lock keyed on the
// app; SQLite needs nothing, because its write transaction already
// excludes every other writer.
func (q *Q) LockUsers(ctx context.Context, appID string) error {
	if q.dialect != Postgres {
		return nil
	}
	_, err := q.db.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('accountnet.users:' || $1, 0))`, appID)
	return translate(q.dialect, err)
}
