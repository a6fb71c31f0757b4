package store

import (
	"context"
	"strings"
	"time"

	"github.com/accountnet/accountnet"
)

const appColumns = `id, title, network_url, login_url, reset_url, invitation_ttl,
	mail_from_name, mail_from_address, cors_origins, webhook_url, created, updated`

func scanApp(row interface{ Scan(...any) error }) (*accountnet.App, error) {
	var a accountnet.App
	var ttl int64
	var origins string
	err := row.Scan(&a.ID, &a.Title, &a.NetworkURL, &a.LoginURL, &a.ResetURL, &ttl,
		&a.MailFromName, &a.MailFromAddress, &origins, &a.WebhookURL, &a.Created, &a.Updated)
	if err != nil {
		return nil, err
	}
	a.InvitationTTL = time.Duration(ttl) * time.Second
	if origins != "" {
		a.CORSOrigins = strings.Split(origins, "\n")
	}
	return &a, nil
}

// CreateApp inserts an app.
func (q *Q) CreateApp(ctx context.Context, a *accountnet.App) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO apps (`+appColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		a.ID, a.Title, a.NetworkURL, a.LoginURL, a.ResetURL, int64(a.InvitationTTL/time.Second),
		a.MailFromName, a.MailFromAddress, strings.Join(a.CORSOrigins, "\n"), a.WebhookURL, a.Created, a.Updated)
	return translate(q.dialect, err)
}

// UpdateApp writes every setting of a.
func (q *Q) UpdateApp(ctx context.Context, a *accountnet.App) error {
	res, err := q.db.ExecContext(ctx, `UPDATE apps SET title = $2, network_url = $3, login_url = $4,
		reset_url = $5, invitation_ttl = $6, mail_from_name = $7, mail_from_address = $8,
		cors_origins = $9, webhook_url = $10, updated = $11 WHERE id = $1`,
		a.ID, a.Title, a.NetworkURL, a.LoginURL, a.ResetURL, int64(a.InvitationTTL/time.Second),
		a.MailFromName, a.MailFromAddress, strings.Join(a.CORSOrigins, "\n"), a.WebhookURL, a.Updated)
	return q.expectOne(res, err, "app")
}

// FindApp returns the app with id, or a not-found error.
func (q *Q) FindApp(ctx context.Context, id string) (*accountnet.App, error) {
	a, err := scanApp(q.db.QueryRowContext(ctx, `SELECT `+appColumns+` FROM apps WHERE id = $1`, id))
	return a, q.notFound(err, "app")
}

// FindApps returns every app, newest first.
func (q *Q) FindApps(ctx context.Context) ([]*accountnet.App, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+appColumns+` FROM apps ORDER BY created DESC, id`)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, scanApp)
}

// CountApps returns the number of apps; the demo set-up runs only at zero.
func (q *Q) CountApps(ctx context.Context) (int64, error) {
	var n int64
	err := q.db.QueryRowContext(ctx, `SELECT count(*) FROM apps`).Scan(&n)
	return n, translate(q.dialect, err)
}

const keyColumns = `id, app_id, kind, token_hash, hint, created, revoked`

func scanKey(row interface{ Scan(...any) error }) (*accountnet.Key, error) {
	var k accountnet.Key
	err := row.Scan(&k.ID, &k.AppID, &k.Kind, &k.Hash, &k.Hint, &k.Created, &k.Revoked)
	return &k, err
}

// CreateKey inserts an app key.
func (q *Q) CreateKey(ctx context.Context, k *accountnet.Key) error {
	_, err := q.db.ExecContext(ctx, `INSERT INTO app_keys (`+keyColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		k.ID, k.AppID, k.Kind, k.Hash, k.Hint, k.Created, k.Revoked)
	return translate(q.dialect, err)
}

// FindKeyByHash returns the key whose token hashes to hash, revoked or not.
func (q *Q) FindKeyByHash(ctx context.Context, hash string) (*accountnet.Key, error) {
	k, err := scanKey(q.db.QueryRowContext(ctx, `SELECT `+keyColumns+` FROM app_keys WHERE token_hash = $1`, hash))
	return k, q.notFound(err, "key")
}

// FindKeys returns the app's keys, newest first.
func (q *Q) FindKeys(ctx context.Context, appID string) ([]*accountnet.Key, error) {
	rows, err := q.db.QueryContext(ctx, `SELECT `+keyColumns+` FROM app_keys WHERE app_id = $1 ORDER BY created DESC, id`, appID)
	if err != nil {
		return nil, translate(q.dialect, err)
	}
	return collect(q, rows, scanKey)
}

// RevokeKey marks the app's key revoked at time now; revoking twice is a
// not-found error so that the caller learns nothing changed.
func (q *Q) RevokeKey(ctx context.Context, appID, keyID string, now int64) error {
	res, err := q.db.ExecContext(ctx, `UPDATE app_keys SET revoked = $3 WHERE app_id = $1 AND id = $2 AND revoked = 0`,
		appID, keyID, now)
	return q.expectOne(res, err, "key")
}

// LockApp holds the app's row lock until the transaction ends, so that
// checks across the app's rows, such as the cycle check of the domain
// graph, cannot race. On SQLite it does nothing, because the write
// transaction already excludes every other writer.
func (q *Q) LockApp(ctx context.Context, appID string) error {
	if q.dialect != Postgres {
		return nil
	}
	var id string
	err := q.db.QueryRowContext(ctx, `SELECT id FROM apps WHERE id = $1 FOR UPDATE`, appID).Scan(&id)
	return q.notFound(err, "app")
}
