package mail

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// ErrPermanent marks a delivery failure that retrying cannot fix.
var ErrPermanent = errors.New("permanent delivery failure")

// Worker delivers queued mail. Several workers, in one process or in
// several instances on one PostgreSQL database, may run at once: a mail is
// leased to one worker before it is sent.
type Worker struct {
	DB        *store.DB
	Transport Transport
	Clock     accountnet.Clock
	Log       *slog.Logger

	MaxAttempts int           // attempts before a mail fails; default 8
	Poll        time.Duration // wait between empty polls; default 1s
	Lease       time.Duration // how long one attempt may take; default 2m
	Concurrency int           // mails sent at once by this process; default 4
	Metrics     *Metrics      // nil counts nothing

	wake chan struct{}
}

// NewWorker returns a worker with the default limits.
func NewWorker(db *store.DB, transport Transport, clock accountnet.Clock, log *slog.Logger) *Worker {
	return &Worker{DB: db, Transport: transport, Clock: clock, Log: log, wake: make(chan struct{}, 1)}
}

// Wake makes a waiting worker poll at once; the service calls it after
// committing a mail. It never blocks.
func (w *Worker) Wake() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// Run delivers mail with Concurrency loops until ctx ends. A send in
// flight when ctx ends is finished and recorded first, so shutdown loses
// nothing. After a crash the lease runs out and another attempt follows.
func (w *Worker) Run(ctx context.Context) {
	n := w.Concurrency
	if n <= 0 {
		n = 4
	}
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.loop(ctx)
		}()
	}
	wg.Wait()
}

func (w *Worker) loop(ctx context.Context) {
	poll := orDefault(w.Poll, time.Second)

	for {
		sent, err := w.DeliverOne(context.WithoutCancel(ctx))
		if err != nil {
			w.Log.Error("mail worker: claiming mail failed", "error", err)
		}
		if sent {
			if ctx.Err() != nil {
				return
			}
			continue
		}

		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-time.After(poll):
		}
	}
}

// DeliverOne claims one due mail and tries to send it. It reports whether
// a mail was claimed.
func (w *Worker) DeliverOne(ctx context.Context) (bool, error) {
	now := w.Clock.Now().Unix()
	// Whole seconds, rounded up: a lease that rounds to 0 would let every
	// idle worker claim the mail at once.
	lease := max(1, int64((orDefault(w.Lease, 2*time.Minute)+time.Second-1)/time.Second))

	var m *accountnet.Mail
	err := w.DB.Tx(ctx, func(q *store.Q) error {
		var err error
		m, err = q.ClaimMail(ctx, now, lease)
		return err
	})
	if err != nil || m == nil {
		return false, err
	}

	sendErr := w.Transport.Send(ctx, m)
	return true, w.record(ctx, m, sendErr)
}

// record stores the outcome of one attempt.
func (w *Worker) record(ctx context.Context, m *accountnet.Mail, sendErr error) error {
	maxAttempts := w.MaxAttempts
	if maxAttempts == 0 {
		maxAttempts = 8
	}
	now := w.Clock.Now()

	err := w.DB.Tx(ctx, func(q *store.Q) error {
		switch {
		case sendErr == nil:
			w.Metrics.inc(func(m *Metrics) prometheus.Counter { return m.sent })
			return q.MarkMailSent(ctx, m.ID, m.Attempts, now.Unix())
		case errors.Is(sendErr, ErrPermanent) || m.Attempts >= maxAttempts:
			w.Log.Warn("mail failed", "mail_id", m.ID, "attempts", m.Attempts, "error", sendErr)
			w.Metrics.inc(func(m *Metrics) prometheus.Counter { return m.failed })
			return q.MarkMailFailed(ctx, m.ID, m.Attempts, sendErr.Error())
		default:
			next := now.Add(Backoff(m.Attempts))
			w.Log.Warn("mail will be retried", "mail_id", m.ID, "attempts", m.Attempts, "next_attempt", next.Unix(), "error", sendErr)
			w.Metrics.inc(func(m *Metrics) prometheus.Counter { return m.retried })
			return q.MarkMailRetry(ctx, m.ID, m.Attempts, sendErr.Error(), next.Unix())
		}
	})
	if accountnet.ErrorCode(err) == accountnet.CodeNotFound {
		// The send outlasted the lease and another worker claimed the
		// mail; its attempt decides the outcome.
		w.Log.Warn("mail lease ran out during the send; the newer attempt's result is kept", "mail_id", m.ID, "attempts", m.Attempts, "send_error", sendErr)
		return nil
	}
	return err
}

// Backoff returns the wait after the given number of failed attempts:
// exponential from 10 seconds, capped at one hour, with up to 20% jitter so
// that retries from many workers spread out.
func Backoff(attempts int) time.Duration {
	d := 10 * time.Second << min(attempts-1, 9)
	d = min(d, time.Hour)
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}
