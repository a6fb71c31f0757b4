package store_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

// fixture is one app with a domain, an account and a user.
type fixture struct {
	db      *store.DB
	app     *accountnet.App
	domain  *accountnet.Domain
	account *accountnet.Account
	user    *accountnet.User
}

func newFixture(t *testing.T, databaseURL string) *fixture {
	return newFixtureTB(t, databaseURL)
}

func newFixtureTB(t testing.TB, databaseURL string) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{db: testdb.Open(t, databaseURL)}
	f.app = &accountnet.App{ID: accountnet.NewID(accountnet.PrefixApp), Title: "App", InvitationTTL: accountnet.DefaultInvitationTTL, Created: 1, Updated: 1}
	f.domain = &accountnet.Domain{ID: accountnet.NewID(accountnet.PrefixDomain), AppID: f.app.ID, Title: "Maker", Created: 1}
	f.account = &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: f.app.ID, DomainID: f.domain.ID, Title: "Parent", CountryID: "US", VersionID: 1, Created: 1, Updated: 1}
	f.user = &accountnet.User{ID: accountnet.NewID(accountnet.PrefixUser), AppID: f.app.ID, Username: "Jane", Email: "Jane@Example.com", Created: 1}

	err := f.db.Tx(ctx, func(q *store.Q) error {
		return errors.Join(q.CreateApp(ctx, f.app), q.CreateDomain(ctx, f.domain), q.CreateAccount(ctx, f.account),
			q.CreateUser(ctx, f.user), q.CreateMembership(ctx, f.app.ID, &accountnet.Membership{AccountID: f.account.ID, UserID: f.user.ID, Role: accountnet.RoleOwner, Created: 1}))
	})
	if err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return f
}

// newInvitation returns an unsaved pending invitation from the fixture's
// account.
func (f *fixture) newInvitation(email string, expires int64) *accountnet.Invitation {
	return &accountnet.Invitation{ID: accountnet.NewID(accountnet.PrefixInvitation), AppID: f.app.ID, ParentAccountID: f.account.ID,
		CreatedByUserID: f.user.ID, Email: email, EmailKey: email, DomainID: f.domain.ID, CountryID: "US",
		TokenHash: accountnet.HashToken(accountnet.NewToken("")), Stored: accountnet.StatusPending, Expires: expires, Created: 1, Updated: 1}
}

func (f *fixture) invitation(t *testing.T, email string, expires int64) *accountnet.Invitation {
	t.Helper()
	ctx := context.Background()
	inv := f.newInvitation(email, expires)
	if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateInvitation(ctx, inv) }); err != nil {
		t.Fatalf("create invitation: %v", err)
	}
	return inv
}

func TestMigrateTwice(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		db := testdb.Open(t, url)
		applied, err := db.Migrate(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) != 0 {
			t.Errorf("second Migrate applied %d migrations, want 0", len(applied))
		}
		all, err := db.Migrations(context.Background())
		if err != nil || len(all) == 0 || all[0].Applied == 0 {
			t.Errorf("Migrations() = %+v, %v; want the first applied", all, err)
		}
	})
}

func TestUniqueUserEmailIgnoresCase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		dup := &accountnet.User{ID: accountnet.NewID(accountnet.PrefixUser), AppID: f.app.ID, Username: "other", Email: "jane@EXAMPLE.com", Created: 2}

		err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateUser(ctx, dup) })
		if !errors.Is(err, store.ErrUnique) {
			t.Fatalf("CreateUser(duplicate email) error = %v, want ErrUnique", err)
		}
		if _, err := f.db.Reader().FindUser(ctx, f.app.ID, dup.ID); accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("duplicate user was stored: %v", err)
		}
	})
}

func TestForeignKeyEnforced(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		a := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: f.app.ID, DomainID: "dom_missing", Title: "X", CountryID: "US", Created: 1, Updated: 1}

		err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateAccount(ctx, a) })
		if !errors.Is(err, store.ErrForeignKey) {
			t.Fatalf("CreateAccount(unknown domain) error = %v, want ErrForeignKey", err)
		}
	})
}

func TestFindScopedToApp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()

		_, err := f.db.Reader().FindAccount(ctx, "app_other", f.account.ID)
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("FindAccount(other app) error = %v, want not found", err)
		}
		_, err = f.db.Reader().FindInvitation(ctx, f.app.ID, "acc_other", f.invitation(t, "a@example.com", 100).ID)
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("FindInvitation(other parent) error = %v, want not found", err)
		}
	})
}

func TestTxRollsBackOnError(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		d := &accountnet.Domain{ID: accountnet.NewID(accountnet.PrefixDomain), AppID: f.app.ID, Title: "Seller", Created: 1}

		boom := errors.New("boom")
		err := f.db.Tx(ctx, func(q *store.Q) error {
			if err := q.CreateDomain(ctx, d); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx error = %v, want boom", err)
		}
		if _, err := f.db.Reader().FindDomain(ctx, f.app.ID, d.ID); accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("domain survived the rollback: %v", err)
		}
	})
}

func TestAcceptInvitationOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		inv := f.invitation(t, "b@example.com", 1000)

		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				err := f.db.Tx(ctx, func(q *store.Q) error {
					ok, err := q.AcceptInvitation(ctx, inv.ID, inv.TokenHash, 10)
					if ok {
						mu.Lock()
						wins++
						mu.Unlock()
					}
					return err
				})
				if err != nil {
					t.Errorf("AcceptInvitation: %v", err)
				}
			}()
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d concurrent accepts succeeded, want 1", wins)
		}
	})
}

func TestAcceptInvitationExpired(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		inv := f.invitation(t, "c@example.com", 1000)

		var ok bool
		err := f.db.Tx(ctx, func(q *store.Q) (err error) {
			ok, err = q.AcceptInvitation(ctx, inv.ID, inv.TokenHash, 1000)
			return err
		})
		if err != nil || ok {
			t.Errorf("AcceptInvitation at expiry = %v, %v; want false", ok, err)
		}
	})
}

func TestCountActiveInvitations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		f.invitation(t, "d@example.com", 1000)
		f.invitation(t, "d@example.com", 50)

		n, err := f.db.Reader().CountActiveInvitations(ctx, f.account.ID, "d@example.com", 100, "")
		if err != nil || n != 1 {
			t.Errorf("CountActiveInvitations = %d, %v; want 1 (one expired)", n, err)
		}
	})
}

func TestFindAccountsSearchAndPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		err := f.db.Tx(ctx, func(q *store.Q) error {
			for i, title := range []string{"Alpha 100%", "alpha_two", "Beta", "Gamma"} {
				a := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: f.app.ID, DomainID: f.domain.ID,
					Title: title, CountryID: "US", Created: int64(10 + i), Updated: 1}
				if err := q.CreateAccount(ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		cases := []struct {
			search string
			page   store.Page
			total  int64
			titles []string
		}{
			{"", store.Page{Index: 1, Size: 2}, 5, []string{"Gamma", "Beta"}},
			{"", store.Page{Index: 3, Size: 2}, 5, []string{"Parent"}},
			{"ALPHA", store.Page{Index: 1, Size: 10}, 2, []string{"alpha_two", "Alpha 100%"}},
			{"%", store.Page{Index: 1, Size: 10}, 1, []string{"Alpha 100%"}},
			{"_", store.Page{Index: 1, Size: 10}, 1, []string{"alpha_two"}},
			{"none", store.Page{Index: 1, Size: 10}, 0, nil},
		}
		for _, c := range cases {
			list, total, err := f.db.Reader().FindAccounts(ctx, f.app.ID, c.search, c.page)
			if err != nil {
				t.Fatal(err)
			}
			var titles []string
			for _, a := range list {
				titles = append(titles, a.Title)
			}
			if total != c.total || len(titles) != len(c.titles) {
				t.Errorf("search %q page %v: total %d titles %v; want %d %v", c.search, c.page, total, titles, c.total, c.titles)
				continue
			}
			for i := range titles {
				if titles[i] != c.titles[i] {
					t.Errorf("search %q page %v: titles %v, want %v", c.search, c.page, titles, c.titles)
					break
				}
			}
		}
	})
}

func TestClaimMailLeasesOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		m := &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: f.app.ID, Kind: accountnet.MailInvitation,
			To: "x@example.com", Subject: "S", Text: "T", HTML: "H", Status: accountnet.DeliveryQueued, NextAttempt: 100, Created: 100}
		if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateMail(ctx, m) }); err != nil {
			t.Fatal(err)
		}

		claim := func(now int64) *accountnet.Mail {
			var got *accountnet.Mail
			if err := f.db.Tx(ctx, func(q *store.Q) (err error) { got, err = q.ClaimMail(ctx, now, 60); return err }); err != nil {
				t.Fatal(err)
			}
			return got
		}
		if got := claim(99); got != nil {
			t.Errorf("claimed a mail before it was due")
		}
		first := claim(100)
		if first == nil || first.ID != m.ID || first.Attempts != 1 {
			t.Fatalf("first claim = %+v, want the mail with 1 attempt", first)
		}
		if got := claim(120); got != nil {
			t.Errorf("claimed a leased mail again")
		}
		if got := claim(161); got == nil || got.Attempts != 2 {
			t.Errorf("after the lease ran out: %+v, want a second attempt", got)
		}
	})
}

func TestHitCountsPerWindow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		db := testdb.Open(t, url)
		ctx := context.Background()
		hit := func(key string, now int64) (int64, int64) {
			var hits, end int64
			err := db.Tx(ctx, func(q *store.Q) (err error) { hits, end, err = q.Hit(ctx, key, now, 60); return err })
			if err != nil {
				t.Fatal(err)
			}
			return hits, end
		}

		if h, end := hit("a", 120); h != 1 || end != 180 {
			t.Errorf("first hit = %d, end %d; want 1, 180", h, end)
		}
		if h, _ := hit("a", 179); h != 2 {
			t.Errorf("second hit in the window = %d, want 2", h)
		}
		if h, _ := hit("b", 179); h != 1 {
			t.Errorf("other key = %d, want 1", h)
		}
		if h, _ := hit("a", 180); h != 1 {
			t.Errorf("first hit of the next window = %d, want 1", h)
		}
		if n, err := db.Reader().Hits(ctx, "a", 150, 60); err != nil || n != 2 {
			t.Errorf("Hits = %d, %v; want 2", n, err)
		}

		var removed int64
		db.Tx(ctx, func(q *store.Q) (err error) { removed, err = q.DeleteExpiredRateCounters(ctx, 181); return err })
		if removed != 2 {
			t.Errorf("DeleteExpiredRateCounters removed %d, want 2", removed)
		}
	})
}

func TestAccountCountersFollowChanges(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		child := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: f.app.ID, DomainID: f.domain.ID,
			Title: "Child", CountryID: "US", VersionID: 1, Created: 2, Updated: 2}
		err := f.db.Tx(ctx, func(q *store.Q) error {
			return errors.Join(q.CreateAccount(ctx, child),
				q.CreateNetwork(ctx, &accountnet.Network{AccountID: child.ID, AppID: f.app.ID, ParentAccountID: f.account.ID, Created: 2}),
				q.CreateMembership(ctx, f.app.ID, &accountnet.Membership{AccountID: child.ID, UserID: f.user.ID, Role: accountnet.RoleOwner, Created: 2}))
		})
		if err != nil {
			t.Fatal(err)
		}
		counts := func() (users, children int64) {
			a, err := f.db.Reader().FindAccount(ctx, f.app.ID, f.account.ID)
			if err != nil {
				t.Fatal(err)
			}
			c, err := f.db.Reader().FindAccount(ctx, f.app.ID, child.ID)
			if err != nil {
				t.Fatal(err)
			}
			return c.UserCount, a.ChildrenCount
		}

		if users, children := counts(); users != 1 || children != 1 {
			t.Errorf("after adding: child users %d, parent children %d; want 1 and 1", users, children)
		}
		if err := f.db.Tx(ctx, func(q *store.Q) error { return q.DeleteNetwork(ctx, f.app.ID, child.ID) }); err != nil {
			t.Fatal(err)
		}
		if _, children := counts(); children != 0 {
			t.Errorf("after removing the network: parent children %d, want 0", children)
		}
		err = f.db.Tx(ctx, func(q *store.Q) error { return q.DeleteNetwork(ctx, f.app.ID, child.ID) })
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("second DeleteNetwork error = %v, want not found", err)
		}
		if _, children := counts(); children != 0 {
			t.Errorf("a failed delete changed the counter to %d", children)
		}
	})
}

func TestMailsNewestFirstWithinASecond(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		var ids []string
		for range 12 {
			m := &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: f.app.ID, Kind: accountnet.MailInvitation,
				To: "same@example.com", Subject: "S", Text: "T", HTML: "H", Status: accountnet.DeliveryQueued, NextAttempt: 5, Created: 5}
			if err := f.db.Tx(ctx, func(q *store.Q) error { return q.CreateMail(ctx, m) }); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, m.ID)
		}

		list, _, err := f.db.Reader().FindMails(ctx, f.app.ID, "", store.Page{Index: 1, Size: 20})
		if err != nil {
			t.Fatal(err)
		}
		for i, m := range list {
			if want := ids[len(ids)-1-i]; m.ID != want {
				t.Fatalf("position %d: %s, want %s (insertion order, newest first)", i, m.ID, want)
			}
		}
	})
}

// TestConcurrentMigrations starts several migrations of one empty database
// at once, as instances starting together do: all succeed, and each
// migration is applied once.
func TestConcurrentMigrations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := store.Open(ctx, url, t.TempDir())
				if err != nil {
					errs[i] = err
					return
				}
				defer db.Close()
				_, errs[i] = db.Migrate(ctx)
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("migration %d: %v", i, err)
			}
		}

		db := testdb.Open(t, url)
		all, err := db.Migrations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range all {
			if m.Applied == 0 {
				t.Errorf("migration %04d_%s not applied", m.Version, m.Name)
			}
		}
	})
}

// TestMarkMailKeepsNewestAttempt records the outcome of an attempt whose
// lease ran out after another worker claimed the mail: nothing changes.
func TestMarkMailKeepsNewestAttempt(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := newFixture(t, url)
		ctx := context.Background()
		m := &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: f.app.ID, Kind: accountnet.MailInvitation,
			To: "x@example.com", Subject: "S", Text: "T", HTML: "H", Status: accountnet.DeliveryQueued, NextAttempt: 100, Created: 100}
		tx := func(fn func(q *store.Q) error) error { return f.db.Tx(ctx, fn) }
		if err := tx(func(q *store.Q) error { return q.CreateMail(ctx, m) }); err != nil {
			t.Fatal(err)
		}

		var first, second *accountnet.Mail
		tx(func(q *store.Q) (err error) { first, err = q.ClaimMail(ctx, 100, 60); return err })
		tx(func(q *store.Q) (err error) { second, err = q.ClaimMail(ctx, 161, 60); return err })
		if first == nil || second == nil || first.Attempts != 1 || second.Attempts != 2 {
			t.Fatalf("claims = %+v, %+v; want attempts 1 and 2", first, second)
		}

		err := tx(func(q *store.Q) error { return q.MarkMailFailed(ctx, m.ID, first.Attempts, "550 late") })
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			t.Errorf("recording the stale attempt: %v, want not found", err)
		}
		if err := tx(func(q *store.Q) error { return q.MarkMailSent(ctx, m.ID, second.Attempts, 170) }); err != nil {
			t.Fatalf("recording the newest attempt: %v", err)
		}
		list, _, _ := f.db.Reader().FindMails(ctx, f.app.ID, "", store.Page{Index: 1, Size: 1})
		if list[0].Status != accountnet.DeliverySent || list[0].LastError != "" {
			t.Errorf("mail = %+v, want sent with no error", list[0])
		}
	})
}
