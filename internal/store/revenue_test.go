package store_test

import (
	"context"
	"errors"
	"math/big"
	"math/rand"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

// ledger adds two child accounts with networks to a fixture.
func (f *fixture) ledger(t *testing.T) (childA, childB *accountnet.Account) {
	t.Helper()
	ctx := context.Background()
	childA = &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: f.app.ID, DomainID: f.domain.ID, Title: "A child", CountryID: "US", VersionID: 1, Created: 1, Updated: 1}
	childB = &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: f.app.ID, DomainID: f.domain.ID, Title: "B child", CountryID: "US", VersionID: 1, Created: 1, Updated: 1}
	err := f.db.Tx(ctx, func(q *store.Q) error {
		return errors.Join(q.CreateAccount(ctx, childA), q.CreateAccount(ctx, childB),
			q.CreateNetwork(ctx, &accountnet.Network{AccountID: childA.ID, AppID: f.app.ID, ParentAccountID: f.account.ID, Created: 1}),
			q.CreateNetwork(ctx, &accountnet.Network{AccountID: childB.ID, AppID: f.app.ID, ParentAccountID: f.account.ID, Created: 1}))
	})
	if err != nil {
		t.Fatal(err)
	}
	return childA, childB
}

// TestShareTotalsExact records entries whose sums overflow int64 and
// checks the totals against big.Int sums of the entries, per child and
// currency, and that the month bounds hold.
func TestShareTotalsExact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		f := newFixture(t, url)
		childA, childB := f.ledger(t)
		rng := rand.New(rand.NewSource(4217))

		type key struct{ child, currency string }
		wantAmount, wantShare, wantCount := map[key]*big.Int{}, map[key]*big.Int{}, map[key]int64{}
		var events []*accountnet.RevenueEvent
		var entries []*accountnet.ShareEntry
		const start, end = 1_000_000, 2_000_000
		for i := range 24_000 {
			// Half the entries go to child A in EUR, whose sums then pass
			// the int64 limit; the rest spread over the other three keys.
			child, currency := childA, "EUR"
			if rng.Intn(2) == 0 {
				child = []*accountnet.Account{childA, childB}[rng.Intn(2)]
				currency = []string{"JPY", "EUR"}[rng.Intn(2)]
				if child == childA {
					currency = "JPY"
				}
			}
			amount := accountnet.MaxAmount - rng.Int63n(1000)
			if rng.Intn(50) == 0 {
				amount = -amount
			}
			created := int64(start + rng.Intn(end-start))
			switch i % 100 { // a few entries just outside the period
			case 0:
				created = start - 1
			case 1:
				created = end
			}
			e := &accountnet.RevenueEvent{ID: accountnet.NewID(accountnet.PrefixRevenue), AppID: f.app.ID, AccountID: child.ID,
				Reference: accountnet.NewID("ref_"), Amount: amount, Currency: currency, Created: created}
			s := accountnet.NewShareEntry(e, f.account.ID, accountnet.Percent(rng.Intn(100_001)))
			events, entries = append(events, e), append(entries, s)

			if created < start || created >= end {
				continue
			}
			k := key{child.ID, currency}
			if wantAmount[k] == nil {
				wantAmount[k], wantShare[k] = new(big.Int), new(big.Int)
			}
			wantAmount[k].Add(wantAmount[k], big.NewInt(s.Amount))
			wantShare[k].Add(wantShare[k], big.NewInt(s.Share))
			wantCount[k]++
		}
		err := f.db.Tx(ctx, func(q *store.Q) error {
			return errors.Join(q.CreateRevenueEvents(ctx, events...), q.CreateShareEntries(ctx, entries...))
		})
		if err != nil {
			t.Fatal(err)
		}

		totals, err := f.db.Reader().FindShareTotals(ctx, f.app.ID, store.LedgerParent, f.account.ID, start, end)
		if err != nil {
			t.Fatal(err)
		}
		if len(totals) != 4 {
			t.Fatalf("%d totals, want 4 (two children, two currencies)", len(totals))
		}
		for i, tot := range totals {
			k := key{tot.AccountID, tot.Currency}
			if tot.Amount.Cmp(wantAmount[k]) != 0 || tot.Share.Cmp(wantShare[k]) != 0 || tot.Count != wantCount[k] {
				t.Errorf("total %v: %s / %s / %d, want %s / %s / %d", k, tot.Amount, tot.Share, tot.Count, wantAmount[k], wantShare[k], wantCount[k])
			}
			if k == (key{childA.ID, "EUR"}) && wantAmount[k].IsInt64() {
				t.Errorf("total %v fits in int64, so it tests no overflow", k)
			}
			if i > 0 && totals[i-1].AccountTitle > tot.AccountTitle {
				t.Errorf("totals not ordered by title: %s before %s", totals[i-1].AccountTitle, tot.AccountTitle)
			}
		}

		// The child's side sees the same entries from the other end.
		fees, err := f.db.Reader().FindShareTotals(ctx, f.app.ID, store.LedgerChild, childA.ID, start, end)
		if err != nil {
			t.Fatal(err)
		}
		for _, tot := range fees {
			k := key{childA.ID, tot.Currency}
			if tot.AccountID != f.account.ID || tot.Share.Cmp(wantShare[k]) != 0 {
				t.Errorf("child's total %+v, want parent %s and share %s", tot, f.account.ID, wantShare[k])
			}
		}
	})
}

// TestShareEntriesPage checks the order and bounds of a page of entries
// and that an event cannot get two entries.
func TestShareEntriesPage(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		ctx := context.Background()
		f := newFixture(t, url)
		childA, _ := f.ledger(t)

		var events []*accountnet.RevenueEvent
		var entries []*accountnet.ShareEntry
		for i := range 1200 { // more than two insert batches
			e := &accountnet.RevenueEvent{ID: accountnet.NewID(accountnet.PrefixRevenue), AppID: f.app.ID, AccountID: childA.ID,
				Reference: accountnet.NewID("ref_"), Amount: int64(i), Currency: "EUR", Created: int64(100 + i)}
			events, entries = append(events, e), append(entries, accountnet.NewShareEntry(e, f.account.ID, 10_000))
		}
		err := f.db.Tx(ctx, func(q *store.Q) error {
			return errors.Join(q.CreateRevenueEvents(ctx, events...), q.CreateShareEntries(ctx, entries...))
		})
		if err != nil {
			t.Fatal(err)
		}

		page, err := f.db.Reader().FindShareEntries(ctx, f.app.ID, store.LedgerParent, f.account.ID, 200, 300, store.Page{Index: 2, Size: 30})
		if err != nil {
			t.Fatal(err)
		}
		if len(page) != 30 || page[0].Created != 230 || page[29].Created != 259 || page[0].Amount != 130 || page[0].Share != 13 {
			t.Errorf("page 2 = %d entries from %+v", len(page), page[0])
		}

		again := accountnet.NewShareEntry(events[0], f.account.ID, 5_000)
		err = f.db.Tx(ctx, func(q *store.Q) error { return q.CreateShareEntries(ctx, again) })
		if !errors.Is(err, store.ErrUnique) {
			t.Errorf("second entry for an event: %v, want ErrUnique", err)
		}
		dup := *events[1]
		dup.ID = accountnet.NewID(accountnet.PrefixRevenue)
		err = f.db.Tx(ctx, func(q *store.Q) error { return q.CreateRevenueEvents(ctx, &dup) })
		if !errors.Is(err, store.ErrUnique) {
			t.Errorf("repeated reference: %v, want ErrUnique", err)
		}
	})
}
