package store_test

import (
	"context"
	"testing"

	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestIdempotencyKeyLifecycle claims, saves, replays, expires and sweeps
// a key.
func TestIdempotencyKeyLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		key := func(now int64, fingerprint string) *store.IdempotencyKey {
			return &store.IdempotencyKey{AppID: f.app.ID, AccountID: f.account.ID, Route: "POST /v1/network/initiate", Key: "k-1",
				Fingerprint: fingerprint, Created: now, Expires: now + 100}
		}
		claim := func(k *store.IdempotencyKey) bool {
			t.Helper()
			var claimed bool
			err := f.db.Tx(ctx, func(q *store.Q) (err error) {
				if claimed, err = q.ClaimIdempotencyKey(ctx, k); err != nil || !claimed {
					return err
				}
				k.Status, k.Body = 201, []byte(`{"id":"nwi_x"}`)
				return q.SaveIdempotentResponse(ctx, k)
			})
			if err != nil {
				t.Fatalf("claim: %v", err)
			}
			return claimed
		}

		if !claim(key(1000, "a")) {
			t.Fatal("first claim failed")
		}
		if claim(key(1099, "b")) {
			t.Error("second claim before expiry succeeded")
		}
		saved, err := f.db.Reader().FindIdempotencyKey(ctx, f.app.ID, f.account.ID, "POST /v1/network/initiate", "k-1")
		if err != nil || saved.Fingerprint != "a" || saved.Status != 201 || string(saved.Body) != `{"id":"nwi_x"}` || saved.Expires != 1100 {
			t.Errorf("saved key = %+v, %v", saved, err)
		}

		if !claim(key(1100, "c")) {
			t.Error("claim at expiry failed")
		}
		var swept int64
		err = f.db.Tx(ctx, func(q *store.Q) (err error) {
			swept, err = q.DeleteExpiredIdempotencyKeys(ctx, 1199)
			return err
		})
		if err != nil || swept != 0 {
			t.Errorf("sweep before expiry removed %d, %v", swept, err)
		}
		err = f.db.Tx(ctx, func(q *store.Q) (err error) {
			swept, err = q.DeleteExpiredIdempotencyKeys(ctx, 1200)
			return err
		})
		if err != nil || swept != 1 {
			t.Errorf("sweep at expiry removed %d, %v; want 1", swept, err)
		}
	})
}
