package store

import (
	"context"
	"strings"

	"github.com/accountnet/accountnet"
)

// The account's parent comes from the networks table, so that the
// relationship has one source of truth; the counts are the counters that
// CreateMembership, CreateNetwork and DeleteNetwork keep.
const accountSelect = `SELECT a.id, a.app_id, a.domain_id, COALESCE(n.parent_account_id, ''), a.title,
	a.address, a.city, a.state, a.zip, a.phone, a.url, a.contact_name, a.contact_email,
	a.country_id, a.timezone_id, a.version_id, a.created, a.updated, a.user_count, a.children_count
	FROM accounts a LEFT JOIN networks n ON n.child_account_id = a.id`

func scanAccount(row interface{ Scan(...any) error }) (*accountnet.Account, error) {
	var a accountnet.Account
	err := row.Scan(&a.ID, &a.AppID, &a.DomainID, &a.ParentAccountID, &a.Title,
		&a.Address, &a.City, &a.State, &a.Zip, &a.Phone, &a.URL, &a.ContactName, &a.ContactEmail,
		&a.CountryID, &a.TimezoneID, &a.VersionID, &a.Created, &a.Updated, &a.UserCount, &a.ChildrenCount)
	return &a, err
}

// CreateAccount inserts an account. ParentAccountID is not stored here:
// CreateNetwork records the relationship.
func (q *Q) CreateAccount(ctx context.Context, a *accountnet.Account) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO accounts (id, app_id, domain_id, title, address, city, state, zip,
			phone, url, contact_name, contact_email, country_id, timezone_id, version_id, created, updated)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
		a.ID, a.AppID, a.DomainID, a.Title, a.Address, a.City, a.State, a.Zip,
		a.Phone, a.URL, a.ContactName, a.ContactEmail, a.CountryID, a.TimezoneID, a.VersionID, a.Created, a.Updated)
	return translate(q.dialect, err)
}

// FindAccount returns the app's account with id.
func (q *Q) FindAccount(ctx context.Context, appID, id string) (*accountnet.Account, error) {
	a, err := scanAccount(q.db.QueryRowContext(ctx, accountSelect+` WHERE a.app_id = $1 AND a.id = $2`, appID, id))
	return a, q.notFound(err, "account")
}

// FindAccounts returns one page of the app's accounts, newest first, with
// the total count. search matches the title case-insensitively.
func (q *Q) FindAccounts(ctx context.Context, appID, search string, page Page) ([]*accountnet.Account, int64, error) {
	pattern := "%" + likeEscape(strings.ToLower(search)) + "%"

	var total int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM accounts a
		WHERE a.app_id = $1 AND lower(a.title) LIKE $2 ESCAPE '\'`, appID, pattern).Scan(&total)
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}

	rows, err := q.db.QueryContext(ctx, accountSelect+` WHERE a.app_id = $1 AND lower(a.title) LIKE $2 ESCAPE '\'
		ORDER BY a.created DESC, a.id LIMIT $3 OFFSET $4`, appID, pattern, page.Size, page.Offset())
	if err != nil {
		return nil, 0, translate(q.dialect, err)
	}
	list, err := collect(q, rows, scanAccount)
	return list, total, err
}

// addToCounter adds delta to one of the account's counters. Call it in
// the transaction that adds or removes what the counter counts.
func (q *Q) addToCounter(ctx context.Context, column, accountID string, delta int) error {
	res, err := q.db.ExecContext(ctx, `UPDATE accounts SET `+column+` = `+column+` + $2 WHERE id = $1`, accountID, delta)
	return q.expectOne(res, err, "account")
}

// likeEscape escapes the LIKE wildcards in s with a backslash.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

const userColumns = `id, app_id, username, email, name, password_hash, created`

func scanUser(row interface{ Scan(...any) error }) (*accountnet.User, error) {
	var u accountnet.User
	err := row.Scan(&u.ID, &u.AppID, &u.Username, &u.Email, &u.Name, &u.PasswordHash, &u.Created)
	return &u, err
}

// CreateUser inserts a user. A username or email already used in the app,
// in any letter case, is ErrUnique.
func (q *Q) CreateUser(ctx context.Context, u *accountnet.User) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO users (id, app_id, username, username_key, email, email_key, name, password_hash, created)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		u.ID, u.AppID, u.Username, strings.ToLower(u.Username), u.Email, strings.ToLower(u.Email), u.Name, u.PasswordHash, u.Created)
	return translate(q.dialect, err)
}

// SetPassword stores a new password hash for the app's user.
func (q *Q) SetPassword(ctx context.Context, appID, userID, hash string) error {
	res, err := q.db.ExecContext(ctx, `UPDATE users SET password_hash = $3 WHERE app_id = $1 AND id = $2`, appID, userID, hash)
	return q.expectOne(res, err, "user")
}

// FindUser returns the app's user with id.
func (q *Q) FindUser(ctx context.Context, appID, id string) (*accountnet.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE app_id = $1 AND id = $2`, appID, id))
	return u, q.notFound(err, "user")
}

// FindUserByEmail returns the app's user with the email, compared
// case-insensitively.
func (q *Q) FindUserByEmail(ctx context.Context, appID, email string) (*accountnet.User, error) {
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE app_id = $1 AND email_key = $2`,
		appID, strings.ToLower(email)))
	return u, q.notFound(err, "user")
}

// FindUserByLogin returns the app's user whose username or email is login,
// compared case-insensitively.
func (q *Q) FindUserByLogin(ctx context.Context, appID, login string) (*accountnet.User, error) {
	key := strings.ToLower(login)
	u, err := scanUser(q.db.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users
		WHERE app_id = $1 AND (username_key = $2 OR email_key = $2) ORDER BY (username_key = $2) DESC LIMIT 1`, appID, key))
	return u, q.notFound(err, "user")
}

// LoginTaken reports whether login already names a user of the app, as a
// username or as an email, compared case-insensitively. Log-in accepts
// either, so a new username must not equal another user's email.
func (q *Q) LoginTaken(ctx context.Context, appID, login string) (bool, error) {
	var n int
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE app_id = $1 AND (username_key = $2 OR email_key = $2)`,
		appID, strings.ToLower(login)).Scan(&n)
	return n > 0, translate(q.dialect, err)
}

// CreateMembership adds the user to the account with a role.
func (q *Q) CreateMembership(ctx context.Context, appID string, m *accountnet.Membership) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO memberships (account_id, user_id, app_id, role, created, last_login)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.AccountID, m.UserID, appID, m.Role, m.Created, m.LastLogin)
	if err != nil {
		return translate(q.dialect, err)
	}
	return q.addToCounter(ctx, "user_count", m.AccountID, 1)
}

// FindMembership returns the user's membership in the account.
func (q *Q) FindMembership(ctx context.Context, accountID, userID string) (*accountnet.Membership, error) {
	var m accountnet.Membership
	err := q.db.QueryRowContext(ctx, `SELECT account_id, user_id, role, created, last_login FROM memberships
		WHERE account_id = $1 AND user_id = $2`, accountID, userID).Scan(&m.AccountID, &m.UserID, &m.Role, &m.Created, &m.LastLogin)
	return &m, q.notFound(err, "membership")
}

// AccountChoice is an account a user can log in to.
type AccountChoice struct {
	AccountID string
	Title     string
	Role      accountnet.Role
	LastLogin int64
}

// FindUserAccounts returns the accounts the user belongs to, most recently
// logged in first.
func (q *Q) FindUserAccounts(ctx context.Context, userID string) ([]*AccountChoice, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT a.id, a.title, m.role, m.last_login FROM memberships m
		JOIN accounts a ON a.id = m.account_id WHERE m.user_id = $1 ORDER BY m.last_login DESC, m.created, a.id`, userID)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, func(row interface{ Scan(...any) error }) (*AccountChoice, error) {
		var c AccountChoice
		err := row.Scan(&c.AccountID, &c.Title, &c.Role, &c.LastLogin)
		return &c, err
	})
}

// TouchLogin records that the user logged in to the account at now.
func (q *Q) TouchLogin(ctx context.Context, accountID, userID string, now int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE memberships SET last_login = $3 WHERE account_id = $1 AND user_id = $2`,
		accountID, userID, now)
	return q.expectOne(res, err, "membership")
}
