package store_test

import (
	"context"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

func (f *fixture) session(t *testing.T, userID string, lastSeen int64) *accountnet.Session {
	t.Helper()
	ctx := context.Background()
	s := &accountnet.Session{ID: accountnet.NewID(accountnet.PrefixSession), AppID: f.app.ID, Hash: accountnet.HashToken(accountnet.NewToken("st_")),
		UserID: userID, Created: lastSeen, Expires: lastSeen + 1000, LastSeen: lastSeen}
	if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateSession(ctx, s) }); err != nil {
		t.Fatalf("create session: %v", err)
	}
	return s
}

func (f *fixture) reread(t *testing.T, s *accountnet.Session) *accountnet.Session {
	t.Helper()
	got, err := f.db.Reader().FindSessionByHash(context.Background(), s.Hash)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestTouchSessionOnlyWhenStale(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		s := f.session(t, f.user.ID, 100)
		touch := func(now, notAfter int64) {
			if err := f.db.Tx(ctx, func(q *store.Q) error { return q.TouchSession(ctx, s.ID, now, notAfter) }); err != nil {
				t.Fatal(err)
			}
		}

		touch(150, 99) // stored 100 is newer than 99: no write
		if got := f.reread(t, s).LastSeen; got != 100 {
			t.Errorf("last_seen = %d after a touch within the interval, want 100", got)
		}
		touch(160, 100)
		if got := f.reread(t, s).LastSeen; got != 160 {
			t.Errorf("last_seen = %d, want 160", got)
		}

		if err := f.db.Tx(ctx, func(q *store.Q) error { return q.RevokeSession(ctx, s.ID, 170) }); err != nil {
			t.Fatal(err)
		}
		touch(500, 400)
		if got := f.reread(t, s); got.LastSeen != 160 || got.Revoked != 170 {
			t.Errorf("revoked session: last_seen %d revoked %d, want 160 and 170", got.LastSeen, got.Revoked)
		}
	})
}

func TestRevokeOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		a, b := f.session(t, f.user.ID, 1), f.session(t, f.user.ID, 1)
		anonymous := f.session(t, "", 1)

		if err := f.db.Tx(ctx, func(q *store.Q) error { return q.RevokeSession(ctx, a.ID, 10) }); err != nil {
			t.Fatal(err)
		}
		err := f.db.Tx(ctx, func(q *store.Q) error { return q.RevokeSession(ctx, a.ID, 20) })
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("second RevokeSession = %v, want not found", err)
		}
		if err := f.db.Tx(ctx, func(q *store.Q) error { return q.RevokeUserSessions(ctx, f.user.ID, 30) }); err != nil {
			t.Fatal(err)
		}
		if got := f.reread(t, a).Revoked; got != 10 {
			t.Errorf("first session revoked at %d, want 10", got)
		}
		if got := f.reread(t, b).Revoked; got != 30 {
			t.Errorf("second session revoked at %d, want 30", got)
		}
		if got := f.reread(t, anonymous).Revoked; got != 0 {
			t.Errorf("another session was revoked at %d", got)
		}
		err = f.db.Tx(ctx, func(q *store.Q) error { return q.RevokeSession(ctx, "ses_missing", 40) })
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("RevokeSession(missing) = %v, want not found", err)
		}
	})
}

func TestSetRoleAndCountOwners(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		q := f.db.Reader()

		if n, err := q.CountOwners(ctx, f.account.ID); err != nil || n != 1 {
			t.Fatalf("CountOwners = %d, %v; want 1", n, err)
		}
		if err := f.db.Tx(ctx, func(q *store.Q) error { return q.SetRole(ctx, f.account.ID, f.user.ID, accountnet.RoleMember) }); err != nil {
			t.Fatal(err)
		}
		if n, _ := q.CountOwners(ctx, f.account.ID); n != 0 {
			t.Errorf("CountOwners after demotion = %d, want 0", n)
		}
		users, total, err := q.FindAccountUsers(ctx, f.app.ID, f.account.ID, "JANE@", accountnet.RoleMember, store.Page{Index: 1, Size: 10})
		if err != nil || total != 1 || len(users) != 1 || users[0].Membership.Role != accountnet.RoleMember || users[0].User.ID != f.user.ID {
			t.Errorf("FindAccountUsers = %v, %d, %v", users, total, err)
		}
		if _, total, _ := q.FindAccountUsers(ctx, "app_other", f.account.ID, "", "", store.Page{Index: 1, Size: 10}); total != 0 {
			t.Errorf("another app sees %d users", total)
		}
		err = f.db.Tx(ctx, func(q *store.Q) error { return q.SetRole(ctx, f.account.ID, "usr_missing", accountnet.RoleAdmin) })
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("SetRole(missing user) = %v, want not found", err)
		}
	})
}

func TestUpdateAccountScopedToApp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		other := *f.account
		other.AppID, other.Title = "app_other", "Stolen"
		err := f.db.Tx(ctx, func(q *store.Q) error { return q.UpdateAccount(ctx, &other) })
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("UpdateAccount(other app) = %v, want not found", err)
		}
		if a, _ := f.db.Reader().FindAccount(ctx, f.app.ID, f.account.ID); a.Title != "Parent" {
			t.Errorf("title = %q, want Parent", a.Title)
		}
	})
}
