package store

import "context"

// IdempotencyKey is the saved outcome of a write sent with an
// Idempotency-Key header. Keys are scoped to the app, the account and the
// route. Status is 0 until the response is saved, which happens in the
// same transaction as the claim.
type IdempotencyKey struct {
	AppID       string
	AccountID   string
	Route       string
	Key         string
	Fingerprint string // hash of the request, to tell a retry from another request
	Status      int
	Body        []byte
	Created     int64
	Expires     int64
}

// ClaimIdempotencyKey inserts k unless a live row with the same scope and
// key exists, and reports whether it inserted. An expired row is deleted
// first, so an expired key may be used again. While another transaction
// holds an uncommitted claim of the same key, the INSERT waits for it to
// end (PostgreSQL waits on the primary key, SQLite has one writer), so a
// concurrent duplicate reads the first request's committed row.
func (q *Q) ClaimIdempotencyKey(ctx context.Context, k *IdempotencyKey) (bool, error) {
	_, err := q.db.ExecContext(ctx, `DELETE FROM idempotency_keys
		WHERE app_id = $1 AND account_id = $2 AND route = $3 AND key = $4 AND expires <= $5`,
		k.AppID, k.AccountID, k.Route, k.Key, k.Created)
	if err != nil {
		return false, translate(q.dialect, err)
	}

	res, err := q.db.ExecContext(ctx, `INSERT INTO idempotency_keys (app_id, account_id, route, key, fingerprint, created, expires)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
		k.AppID, k.AccountID, k.Route, k.Key, k.Fingerprint, k.Created, k.Expires)
	if err != nil {
		return false, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n == 1, translate(q.dialect, err)
}

// FindIdempotencyKey returns the row of a key.
func (q *Q) FindIdempotencyKey(ctx context.Context, appID, accountID, route, key string) (*IdempotencyKey, error) {
	k := &IdempotencyKey{AppID: appID, AccountID: accountID, Route: route, Key: key}
	var body string
	err := q.db.QueryRowContext(ctx, `SELECT fingerprint, status, body, created, expires FROM idempotency_keys
		WHERE app_id = $1 AND account_id = $2 AND route = $3 AND key = $4`, appID, accountID, route, key).
		Scan(&k.Fingerprint, &k.Status, &body, &k.Created, &k.Expires)
	k.Body = []byte(body)
	return k, q.notFound(err, "idempotency key")
}

// SaveIdempotentResponse stores the response of a claimed key. Call it in
// the transaction that claimed the key and made the change.
func (q *Q) SaveIdempotentResponse(ctx context.Context, k *IdempotencyKey) error {
	res, err := q.db.ExecContext(ctx, `UPDATE idempotency_keys SET status = $5, body = $6
		WHERE app_id = $1 AND account_id = $2 AND route = $3 AND key = $4`,
		k.AppID, k.AccountID, k.Route, k.Key, k.Status, string(k.Body))
	return q.expectOne(res, err, "idempotency key")
}

// DeleteExpiredIdempotencyKeys removes keys that expired at or before now,
// as ClaimIdempotencyKey judges them, and returns how many it removed.
func (q *Q) DeleteExpiredIdempotencyKeys(ctx context.Context, now int64) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE expires <= $1`, now)
	if err != nil {
		return 0, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n, translate(q.dialect, err)
}
