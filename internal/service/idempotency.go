package service

import (
	"context"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// IdempotencyTTL is how long a saved response is replayed. After it, the
// key may be used for a new request.
const IdempotencyTTL = 24 * time.Hour

// Once makes a write idempotent under an Idempotency-Key header. The first
// request with a key runs and saves its response in the transaction of its
// change. A retry with the same key and the same request gets that response
// and changes nothing.
type Once struct {
	Key         string // 1 to 255 printable ASCII characters
	Route       string // the route pattern; a key is scoped to app, account and route
	Fingerprint string // hash of the path values, query and body
	// Encode renders the result of the write as the response to save.
	// It runs inside the write transaction.
	Encode func(result any) (status int, body []byte, err error)
}

// SavedResponse is the response of an idempotent write. Replayed is true
// when it comes from an earlier request with the same key.
type SavedResponse struct {
	Status   int
	Body     []byte
	Replayed bool
}

func errKeyReused() *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeConflict, Party: accountnet.PartyCodebase, Reason: "idempotency_key_reused",
		Message: "This request reuses the key of an earlier, different request, so nothing was done.",
		Detail:  "this Idempotency-Key was used for a different request in the last 24 hours; send a new key for a new request"}
}

func errKeyInProgress() *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeConflict, Party: accountnet.PartyCodebase, Reason: "idempotency_in_progress",
		Message: "This request is still being processed. Try again in a moment.",
		Detail:  "a request with this Idempotency-Key has not finished; retry it later with the same key"}
}

// runOnce runs write in one transaction. With a nil once it only does
// that. Otherwise it first claims the key in the same transaction: a
// claim that finds the key already used returns the saved response when
// the fingerprint matches, and idempotency_key_reused when it does not.
// After write succeeds, the encoded result is saved before the commit, so
// a change never exists without its saved response. A failed write rolls
// back the claim too, so its retry runs again.
func runOnce[T any](ctx context.Context, s *Service, c *Caller, once *Once, write func(q *store.Q) (T, error)) (T, *SavedResponse, error) {
	var result T
	var saved *SavedResponse
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		var key *store.IdempotencyKey
		if once != nil {
			now := s.Clock.Now()
			key = &store.IdempotencyKey{AppID: c.App.ID, AccountID: c.Account.ID, Route: once.Route, Key: once.Key,
				Fingerprint: once.Fingerprint, Created: now.Unix(), Expires: now.Add(IdempotencyTTL).Unix()}
			claimed, err := q.ClaimIdempotencyKey(ctx, key)
			if err != nil {
				return err
			}
			if !claimed {
				saved, err = replay(ctx, q, key)
				return err
			}
		}

		var err error
		if result, err = write(q); err != nil {
			return err
		}
		if once == nil {
			return nil
		}

		if key.Status, key.Body, err = once.Encode(result); err != nil {
			return err
		}
		saved = &SavedResponse{Status: key.Status, Body: key.Body}
		return q.SaveIdempotentResponse(ctx, key)
	})
	if err != nil {
		var zero T
		return zero, nil, err
	}
	return result, saved, nil
}

// replay returns the saved response of a key that is already taken.
func replay(ctx context.Context, q *store.Q, claim *store.IdempotencyKey) (*SavedResponse, error) {
	prior, err := q.FindIdempotencyKey(ctx, claim.AppID, claim.AccountID, claim.Route, claim.Key)
	if err != nil {
		return nil, err
	}
	if prior.Fingerprint != claim.Fingerprint {
		return nil, errKeyReused()
	}
	// The claim waited for the transaction that wrote prior to end, and
	// that transaction saves the response before it commits. A row without
	// one is therefore not expected; this guard keeps it from being
	// replayed as an empty response.
	if prior.Status == 0 {
		return nil, errKeyInProgress()
	}
	return &SavedResponse{Status: prior.Status, Body: prior.Body, Replayed: true}, nil
}
