package store_test

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

// benchEach runs fn on a fixture in SQLite and, when configured, in
// PostgreSQL.
func benchEach(b *testing.B, fn func(b *testing.B, f *fixture)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newBenchFixture(b, testdb.SQLiteURL(b))) })
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv(testdb.PostgresEnv) == "" {
			b.Skip(testdb.PostgresEnv + " is not set")
		}
		fn(b, newBenchFixture(b, testdb.PostgresURL(b)))
	})
}

func newBenchFixture(b *testing.B, url string) *fixture {
	return newFixtureTB(b, url)
}

func BenchmarkStore(b *testing.B) {
	ctx := context.Background()

	b.Run("FindAccount", func(b *testing.B) {
		benchEach(b, func(b *testing.B, f *fixture) {
			for b.Loop() {
				if _, err := f.db.Reader().FindAccount(ctx, f.app.ID, f.account.ID); err != nil {
					b.Fatal(err)
				}
			}
		})
	})

	b.Run("FindSessionByHash", func(b *testing.B) {
		benchEach(b, func(b *testing.B, f *fixture) {
			s := &accountnet.Session{ID: accountnet.NewID(accountnet.PrefixSession), AppID: f.app.ID, Hash: accountnet.HashToken("x"),
				UserID: f.user.ID, AccountID: f.account.ID, Created: 1, Expires: 1 << 40, LastSeen: 1}
			if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateSession(ctx, s) }); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := f.db.Reader().FindSessionByHash(ctx, s.Hash); err != nil {
					b.Fatal(err)
				}
			}
		})
	})

	b.Run("CreateInvitation", func(b *testing.B) {
		benchEach(b, func(b *testing.B, f *fixture) {
			for i := 0; b.Loop(); i++ {
				inv := f.newInvitation(fmt.Sprintf("c%d@example.com", i), 1<<40)
				if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateInvitation(ctx, inv) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	})

	b.Run("FindInvitationByToken", func(b *testing.B) {
		benchEach(b, func(b *testing.B, f *fixture) {
			inv := f.newInvitation("t@example.com", 1<<40)
			if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateInvitation(ctx, inv) }); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := f.db.Reader().FindInvitationByToken(ctx, f.app.ID, inv.TokenHash); err != nil {
					b.Fatal(err)
				}
			}
		})
	})

	b.Run("Hit", func(b *testing.B) {
		benchEach(b, func(b *testing.B, f *fixture) {
			for i := 0; b.Loop(); i++ {
				if err := f.db.Tx(ctx, func(q *store.Q) error { _, _, err := q.Hit(ctx, "k", int64(i), 3600); return err }); err != nil {
					b.Fatal(err)
				}
			}
		})
	})

	b.Run("ClaimMail", func(b *testing.B) {
		benchEach(b, func(b *testing.B, f *fixture) {
			err := f.db.Tx(ctx, func(q *store.Q) error {
				for range b.N {
					m := &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: f.app.ID, Kind: accountnet.MailInvitation,
						To: "x@example.com", Subject: "S", Text: "T", HTML: "H", Status: accountnet.DeliveryQueued, NextAttempt: 1, Created: 1}
					if err := q.CreateMail(ctx, m); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for range b.N {
				if err := f.db.Tx(ctx, func(q *store.Q) error { _, err := q.ClaimMail(ctx, 10, 60); return err }); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}
