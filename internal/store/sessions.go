package store

import (
	"context"
	"database/sql"

	"github.com/accountnet/accountnet"
)

const sessionColumns = `id, app_id, token_hash, user_id, account_id, created, expires, last_seen, revoked`

func scanSession(row interface{ Scan(...any) error }) (*accountnet.Session, error) {
	var s accountnet.Session
	var user, account sql.NullString
	err := row.Scan(&s.ID, &s.AppID, &s.Hash, &user, &account, &s.Created, &s.Expires, &s.LastSeen, &s.Revoked)
	s.UserID, s.AccountID = user.String, account.String
	return &s, err
}

// CreateSession inserts a session.
func (q *Q) CreateSession(ctx context.Context, s *accountnet.Session) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO sessions (`+sessionColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		s.ID, s.AppID, s.Hash, nullString(s.UserID), nullString(s.AccountID), s.Created, s.Expires, s.LastSeen, s.Revoked)
	return translate(q.dialect, err)
}

// RevokeSession marks one working session revoked at now, so that its
// token stops working. A session that is missing or already revoked is
// not found, so of two concurrent requests that end one session exactly
// one succeeds.
func (q *Q) RevokeSession(ctx context.Context, id string, now int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE sessions SET revoked = $2 WHERE id = $1 AND revoked = 0`, id, now)
	return q.expectOne(res, err, "session")
}

// RevokeUserSessions marks every working session of the user revoked at
// now.
func (q *Q) RevokeUserSessions(ctx context.Context, userID string, now int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE sessions SET revoked = $2 WHERE user_id = $1 AND revoked = 0`, userID, now)
	return translate(q.dialect, err)
}

// TouchSession sets the session's last use to now unless it was already
// recorded after notAfter, so a busy session is written at most once per
// interval. Revoked sessions are left alone.
func (q *Q) TouchSession(ctx context.Context, id string, now, notAfter int64) error {
	_, err := q.db.ExecContext(ctx, `UPDATE sessions SET last_seen = $2 WHERE id = $1 AND last_seen <= $3 AND revoked = 0`,
		id, now, notAfter)
	return translate(q.dialect, err)
}

// FindSessionByHash returns the session whose token hashes to hash,
// expired or not.
func (q *Q) FindSessionByHash(ctx context.Context, hash string) (*accountnet.Session, error) {
	s, err := scanSession(q.db.QueryRowContext(ctx, `SELECT `+sessionColumns+` FROM sessions WHERE token_hash = $1`, hash))
	return s, q.notFound(err, "session")
}

// UpdateSession writes the user, account, expiry and last use of s.
func (q *Q) UpdateSession(ctx context.Context, s *accountnet.Session) error {
	res, err := q.db.ExecContext(ctx, `UPDATE sessions SET user_id = $2, account_id = $3, expires = $4, last_seen = $5
		WHERE id = $1`, s.ID, nullString(s.UserID), nullString(s.AccountID), s.Expires, s.LastSeen)
	return q.expectOne(res, err, "session")
}

// DeleteExpiredSessions removes sessions that expired before now and
// returns how many it removed.
func (q *Q) DeleteExpiredSessions(ctx context.Context, now int64) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM sessions WHERE expires < $1`, now)
	if err != nil {
		return 0, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n, translate(q.dialect, err)
}

const passwordTokenColumns = `id, app_id, user_id, token_hash, expires, used, created`

// CreatePasswordToken inserts a set-password token.
func (q *Q) CreatePasswordToken(ctx context.Context, t *accountnet.PasswordToken) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO password_tokens (`+passwordTokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		t.ID, t.AppID, t.UserID, t.Hash, t.Expires, t.Used, t.Created)
	return translate(q.dialect, err)
}

// FindPasswordToken returns the app's password token whose hash is hash.
func (q *Q) FindPasswordToken(ctx context.Context, appID, hash string) (*accountnet.PasswordToken, error) {
	var t accountnet.PasswordToken
	err := q.db.QueryRowContext(ctx, `SELECT `+passwordTokenColumns+` FROM password_tokens WHERE app_id = $1 AND token_hash = $2`,
		appID, hash).Scan(&t.ID, &t.AppID, &t.UserID, &t.Hash, &t.Expires, &t.Used, &t.Created)
	return &t, q.notFound(err, "password token")
}

// DeleteUnusedPasswordTokens deletes the user's unused password tokens
// except keepID, so that only the newest link works.
func (q *Q) DeleteUnusedPasswordTokens(ctx context.Context, userID, keepID string) error {
	_, err := q.db.ExecContext(ctx, `DELETE FROM password_tokens WHERE user_id = $1 AND used = 0 AND id <> $2`, userID, keepID)
	return translate(q.dialect, err)
}

// UsePasswordToken marks the token used at now, only if it is unused, so
// that of two concurrent uses exactly one succeeds. It reports whether this
// call used it.
func (q *Q) UsePasswordToken(ctx context.Context, id string, now int64) (bool, error) {
	res, err := q.db.ExecContext(ctx, `UPDATE password_tokens SET used = $2 WHERE id = $1 AND used = 0`, id, now)
	if err != nil {
		return false, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(q.dialect, err)
}

// CreateAdminUser inserts an admin user; an email already used, in any
// letter case, is ErrUnique.
func (q *Q) CreateAdminUser(ctx context.Context, a *accountnet.AdminUser) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO admin_users (id, email, email_key, password_hash, created)
		VALUES ($1, $2, lower($2), $3, $4)`, a.ID, a.Email, a.PasswordHash, a.Created)
	return translate(q.dialect, err)
}

// FindAdminUserByEmail returns the admin user with the email.
func (q *Q) FindAdminUserByEmail(ctx context.Context, email string) (*accountnet.AdminUser, error) {
	var a accountnet.AdminUser
	err := q.db.QueryRowContext(ctx, `SELECT id, email, password_hash, created FROM admin_users WHERE email_key = lower($1)`,
		email).Scan(&a.ID, &a.Email, &a.PasswordHash, &a.Created)
	return &a, q.notFound(err, "admin user")
}

// CreateAdminSession inserts an admin session.
func (q *Q) CreateAdminSession(ctx context.Context, id, adminUserID, hash string, created, expires int64) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO admin_sessions (id, admin_user_id, token_hash, created, expires)
		VALUES ($1, $2, $3, $4, $5)`, id, adminUserID, hash, created, expires)
	return translate(q.dialect, err)
}

// FindAdminSession returns the admin user id and expiry of the admin
// session whose token hashes to hash.
func (q *Q) FindAdminSession(ctx context.Context, hash string) (adminUserID string, expires int64, err error) {
	err = q.db.QueryRowContext(ctx, `SELECT admin_user_id, expires FROM admin_sessions WHERE token_hash = $1`, hash).
		Scan(&adminUserID, &expires)
	return adminUserID, expires, q.notFound(err, "admin session")
}
