package mail_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

type fixedClock struct{ now time.Time }

func (c *fixedClock) Now() time.Time { return c.now }

// scriptedTransport fails with the queued errors, then succeeds. It
// replaces an SMTP server because no SMTP transport exists yet.
type scriptedTransport struct {
	errs []error
	sent int
}

func (s *scriptedTransport) Send(ctx context.Context, m *accountnet.Mail) error {
	if len(s.errs) > 0 {
		err := s.errs[0]
		s.errs = s.errs[1:]
		return err
	}
	s.sent++
	return nil
}

func queueMail(t *testing.T, db *store.DB, now int64) string {
	t.Helper()
	ctx := context.Background()
	app := &accountnet.App{ID: accountnet.NewID(accountnet.PrefixApp), Title: "A", InvitationTTL: time.Hour, Created: now, Updated: now}
	m := &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: app.ID, Kind: accountnet.MailInvitation, To: "x@example.com",
		Subject: "S", Text: "T", HTML: "H", Status: accountnet.DeliveryQueued, NextAttempt: now, Created: now}
	err := db.Tx(ctx, func(q *store.Q) error { return errors.Join(q.CreateApp(ctx, app), q.CreateMail(ctx, m)) })
	if err != nil {
		t.Fatal(err)
	}
	return app.ID
}

func mailStatus(t *testing.T, db *store.DB, appID string) *accountnet.Mail {
	t.Helper()
	list, _, err := db.Reader().FindMails(context.Background(), appID, "", store.Page{Index: 1, Size: 1})
	if err != nil || len(list) != 1 {
		t.Fatalf("FindMails = %v, %v", list, err)
	}
	return list[0]
}

func TestWorkerRetriesThenSends(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		db := testdb.Open(t, url)
		clock := &fixedClock{now: time.Unix(1_000_000, 0)}
		appID := queueMail(t, db, clock.now.Unix())
		transport := &scriptedTransport{errs: []error{errors.New("421 try later")}}
		w := mail.NewWorker(db, transport, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))

		if claimed, err := w.DeliverOne(context.Background()); !claimed || err != nil {
			t.Fatalf("first attempt: claimed %v, %v", claimed, err)
		}
		m := mailStatus(t, db, appID)
		if m.Status != accountnet.DeliveryQueued || m.Attempts != 1 || m.LastError != "421 try later" || m.NextAttempt <= clock.now.Unix() {
			t.Fatalf("after a temporary failure: %+v", m)
		}

		if claimed, _ := w.DeliverOne(context.Background()); claimed {
			t.Fatal("retried before the backoff passed")
		}
		clock.now = clock.now.Add(time.Hour)
		if claimed, err := w.DeliverOne(context.Background()); !claimed || err != nil {
			t.Fatalf("second attempt: claimed %v, %v", claimed, err)
		}
		if m := mailStatus(t, db, appID); m.Status != accountnet.DeliverySent || m.Attempts != 2 || transport.sent != 1 {
			t.Errorf("after the retry: %+v, sent %d", m, transport.sent)
		}
	})
}

func TestWorkerPermanentFailure(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		db := testdb.Open(t, url)
		clock := &fixedClock{now: time.Unix(1_000_000, 0)}
		appID := queueMail(t, db, clock.now.Unix())
		transport := &scriptedTransport{errs: []error{fmt.Errorf("550 no such user: %w", mail.ErrPermanent)}}
		w := mail.NewWorker(db, transport, clock, slog.New(slog.NewTextHandler(io.Discard, nil)))

		w.DeliverOne(context.Background())
		m := mailStatus(t, db, appID)
		if m.Status != accountnet.DeliveryFailed || m.Attempts != 1 {
			t.Errorf("after a permanent failure: %+v", m)
		}
		clock.now = clock.now.Add(24 * time.Hour)
		if claimed, _ := w.DeliverOne(context.Background()); claimed {
			t.Error("a failed mail was attempted again")
		}
	})
}

func TestBackoffGrowsAndCaps(t *testing.T) {
	for attempts, min := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 5: 160 * time.Second, 30: time.Hour} {
		got := mail.Backoff(attempts)
		if got < min || got > min+min/5 {
			t.Errorf("Backoff(%d) = %v, want %v to %v", attempts, got, min, min+min/5)
		}
	}
}
