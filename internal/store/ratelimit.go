package store

import "context"

// Hit counts one hit of key in the fixed window of windowSeconds that
// contains now and returns the count including this hit and the end of
// the window (Unix seconds). The row is kept until the window ends.
// Call it in the transaction of the action it limits, so that a rolled
// back action does not count, or in a transaction of its own for attempts
// that must count even when they fail (log-in).
func (q *Q) Hit(ctx context.Context, key string, now, windowSeconds int64) (hits, windowEnd int64, err error) {
	start := now - now%windowSeconds
	windowEnd = start + windowSeconds
	err = q.db.QueryRowContext(ctx, `INSERT INTO rate_counters (key, window_start, hits, expires) VALUES ($1, $2, 1, $3)
		ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_counters.hits + 1
		RETURNING hits`, key, start, windowEnd).Scan(&hits)
	return hits, windowEnd, translate(q.dialect, err)
}

// Hits returns the count of key in the window that contains now, without
// counting a hit.
func (q *Q) Hits(ctx context.Context, key string, now, windowSeconds int64) (int64, error) {
	var hits int64
	err := q.db.QueryRowContext(ctx, `SELECT COALESCE(SUM(hits), 0) FROM rate_counters WHERE key = $1 AND window_start = $2`,
		key, now-now%windowSeconds).Scan(&hits)
	return hits, translate(q.dialect, err)
}

// DeleteExpiredRateCounters removes counters whose window ended before
// now and returns how many it removed.
func (q *Q) DeleteExpiredRateCounters(ctx context.Context, now int64) (int64, error) {
	res, err := q.db.ExecContext(ctx, `DELETE FROM rate_counters WHERE expires < $1`, now)
	if err != nil {
		return 0, translate(q.dialect, err)
	}
	n, err := res.RowsAffected()
	return n, translate(q.dialect, err)
}
