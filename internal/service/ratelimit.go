package service

import (
	"context"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// Limit is a rate limit: at most Max actions per Window. A zero Max
// disables the limit.
type Limit struct {
	Max    int64
	Window time.Duration
}

// limitOr returns l, or def when l is the zero value, so that an unset
// limit takes its default; a negative Max is how a limit is turned off.
func limitOr(l, def Limit) Limit {
	if l == (Limit{}) {
		return def
	}
	return l
}

// checkLimit counts one action against key and returns a rate_limited
// error with the seconds until the window ends when the count exceeds the
// limit. The count is part of the caller's transaction, so when the error
// rolls it back, a rejected action does not use up the budget.
func (s *Service) checkLimit(ctx context.Context, q *store.Q, key string, limit Limit, message string) error {
	if limit.Max <= 0 || limit.Window <= 0 {
		return nil
	}
	now := s.now()
	hits, windowEnd, err := q.Hit(ctx, key, now, int64(limit.Window/time.Second))
	if err != nil {
		return err
	}
	if hits > limit.Max {
		return accountnet.RateLimited(message, windowEnd-now)
	}
	return nil
}
