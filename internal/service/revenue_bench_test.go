package service_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// addChildren creates n Distributor children of the bench world's parent
// account directly in the store, each with fee in force, and returns their
// ids.
func addChildren(b *testing.B, w *benchWorld, n int, fee accountnet.Percent) []string {
	ctx := context.Background()
	ids := make([]string, n)
	err := w.svc.DB.Tx(ctx, func(q *store.Q) error {
		for i := range ids {
			a := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: w.app.ID, DomainID: w.domain,
				Title: fmt.Sprintf("Child %d", i), CountryID: "US", VersionID: 1, Created: 1, Updated: 1}
			f := fee
			err := errors.Join(q.CreateAccount(ctx, a), q.CreateNetwork(ctx, &accountnet.Network{AccountID: a.ID, AppID: w.app.ID,
				ParentAccountID: w.caller.Account.ID, Fee: &f, Created: 1}))
			if err != nil {
				return err
			}
			ids[i] = a.ID
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return ids
}

// BenchmarkRecordRevenue records one revenue event with a share entry per
// iteration, each in its own transaction, as POST /v1/network/revenue does.
func BenchmarkRecordRevenue(b *testing.B) {
	eachDatabase(b, func(b *testing.B, w *benchWorld) {
		ctx := context.Background()
		children := addChildren(b, w, 10, 2_500)
		app := &service.Caller{App: w.app, KeyKind: accountnet.KeySecret}

		i := 0
		for b.Loop() {
			i++
			res, err := w.svc.RecordRevenue(ctx, app, service.RevenueInput{AccountID: children[i%len(children)], Amount: int64(i),
				Currency: "EUR", Reference: fmt.Sprintf("bench-%d", i)})
			if err != nil {
				b.Fatal(err)
			}
			if res.Share == nil {
				b.Fatal("no share entry")
			}
		}
	})
}

// BenchmarkEarnings reads the earnings report of a parent whose month
// holds 100,000 share entries from 100 children: the totals over the whole
// month and one page of 25 entries, first and last.
func BenchmarkEarnings(b *testing.B) {
	eachDatabase(b, func(b *testing.B, w *benchWorld) {
		ctx := context.Background()
		children := addChildren(b, w, 100, 2_500)
		period := accountnet.Period{Year: 2026, Month: time.March}
		start, end := period.Bounds()

		const entries = 100_000
		events := make([]*accountnet.RevenueEvent, entries)
		shares := make([]*accountnet.ShareEntry, entries)
		for i := range events {
			events[i] = &accountnet.RevenueEvent{ID: accountnet.NewID(accountnet.PrefixRevenue), AppID: w.app.ID,
				AccountID: children[i%len(children)], Reference: fmt.Sprintf("seed-%d", i), Amount: int64(1000 + i),
				Currency: []string{"EUR", "USD"}[(i/len(children))%2], Created: start + int64(i)*(end-start)/entries}
			shares[i] = accountnet.NewShareEntry(events[i], w.caller.Account.ID, 2_500)
		}
		err := w.svc.DB.Tx(ctx, func(q *store.Q) error {
			return errors.Join(q.CreateRevenueEvents(ctx, events...), q.CreateShareEntries(ctx, shares...))
		})
		if err != nil {
			b.Fatal(err)
		}
		if err := w.svc.DB.Analyze(ctx); err != nil {
			b.Fatal(err)
		}

		for _, page := range []struct {
			name  string
			index int
		}{{"first_page", 1}, {"last_page", entries / 25}} {
			b.Run(page.name, func(b *testing.B) {
				for b.Loop() {
					r, err := w.svc.Earnings(ctx, w.caller, period, store.Page{Index: page.index, Size: 25})
					if err != nil {
						b.Fatal(err)
					}
					if r.Count != entries || len(r.Entries) != 25 || len(r.Totals) != 200 {
						b.Fatalf("report: %d entries, page of %d, %d totals", r.Count, len(r.Entries), len(r.Totals))
					}
				}
			})
		}
	})
}
