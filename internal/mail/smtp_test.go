package mail_test

import (
	"context"
	"crypto/tls"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	mailer "github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/smtptest"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// queueMails stores n queued mails for one new app and returns the app id.
func queueMails(t testing.TB, db *store.DB, n int, now int64) string {
	t.Helper()
	ctx := context.Background()
	app := &accountnet.App{ID: accountnet.NewID(accountnet.PrefixApp), Title: "A", InvitationTTL: time.Hour, Created: now, Updated: now}
	err := db.Tx(ctx, func(q *store.Q) error {
		if err := q.CreateApp(ctx, app); err != nil {
			return err
		}
		for i := range n {
			m := &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: app.ID, Kind: accountnet.MailInvitation,
				To: fmt.Sprintf("user%d@example.com", i), FromName: "Shop\r\nBcc: x@example.com", FromAddress: "noreply@shop.example",
				Subject: "Join <Shop>", Text: "Open https://shop.example/activate?token=abc\n", HTML: "<p><a href=\"https://shop.example/activate?token=abc\">Join</a></p>",
				Status: accountnet.DeliveryQueued, NextAttempt: now, Created: now}
			if err := q.CreateMail(ctx, m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return app.ID
}

func newSMTP(t testing.TB, rawURL string, roots *tls.Config) *mailer.SMTP {
	t.Helper()
	tr, err := mailer.NewSMTP(mailer.SMTPConfig{URL: rawURL, From: "Default <default@accountnet.example>", TLSConfig: roots, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tr.Close)
	return tr
}

func TestSMTPDeliversMessage(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{})
	w := mailer.NewWorker(db, newSMTP(t, "smtp://"+server.Addr+"?tls=none", nil), clock, quiet)

	if claimed, err := w.DeliverOne(context.Background()); !claimed || err != nil {
		t.Fatalf("DeliverOne = %v, %v", claimed, err)
	}
	msgs := server.Messages()
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages, want 1", len(msgs))
	}
	stored := mailStatus(t, db, appID)
	if stored.Status != accountnet.DeliverySent {
		t.Errorf("status %s, want sent", stored.Status)
	}

	parsed, err := mail.ReadMessage(strings.NewReader(string(msgs[0].Data)))
	if err != nil {
		t.Fatal(err)
	}
	h := parsed.Header
	if got := h.Get("Message-Id"); got != "<"+stored.ID+"@shop.example>" {
		t.Errorf("Message-ID %q, want <%s@shop.example>", got, stored.ID)
	}
	if got, _ := h.Date(); !got.Equal(clock.now) {
		t.Errorf("Date %v, want %v", got, clock.now)
	}
	if from := h.Get("From"); !strings.Contains(from, "<noreply@shop.example>") {
		t.Errorf("From %q lacks the app's sender", from)
	}
	if h.Get("Bcc") != "" || len(msgs[0].To) != 1 || msgs[0].To[0] != "user0@example.com" {
		t.Errorf("a header injection reached the envelope: Bcc %q, recipients %v", h.Get("Bcc"), msgs[0].To)
	}
	if subject, _ := new(mime.WordDecoder).DecodeHeader(h.Get("Subject")); subject != "Join <Shop>" {
		t.Errorf("Subject %q", subject)
	}

	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil || mediaType != "multipart/alternative" {
		t.Fatalf("Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	parts := map[string]string{}
	reader := multipart.NewReader(parsed.Body, params["boundary"])
	for {
		p, err := reader.NextPart()
		if err != nil {
			break
		}
		body, _ := io.ReadAll(p)
		ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type"))
		parts[ct] = decodePart(t, p.Header.Get("Content-Transfer-Encoding"), string(body))
	}
	if !strings.Contains(parts["text/plain"], "https://shop.example/activate?token=abc") {
		t.Errorf("text part lacks the link: %q", parts["text/plain"])
	}
	if !strings.Contains(parts["text/html"], `href="https://shop.example/activate?token=abc"`) {
		t.Errorf("HTML part lacks the link: %q", parts["text/html"])
	}
}

// decodePart undoes quoted-printable, the encoding go-mail uses for text.
func decodePart(t *testing.T, encoding, body string) string {
	t.Helper()
	if !strings.EqualFold(encoding, "quoted-printable") {
		return body
	}
	b, err := io.ReadAll(quotedPrintable(body))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestSMTPStartTLSWithAuth(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{TLS: true, Username: "relay", Password: "s3cret"})
	tr := newSMTP(t, "smtp://relay:s3cret@"+server.Addr, &tls.Config{RootCAs: server.RootCAs})

	w := mailer.NewWorker(db, tr, clock, quiet)
	w.DeliverOne(context.Background())
	if m := mailStatus(t, db, appID); m.Status != accountnet.DeliverySent || len(server.Messages()) != 1 {
		t.Fatalf("over STARTTLS with AUTH: status %s, last error %q, %d delivered", m.Status, m.LastError, len(server.Messages()))
	}
}

func TestSMTPRequiresTLSUnlessDisabled(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{}) // offers no STARTTLS

	w := mailer.NewWorker(db, newSMTP(t, "smtp://"+server.Addr, nil), clock, quiet)
	w.DeliverOne(context.Background())
	m := mailStatus(t, db, appID)
	if m.Status != accountnet.DeliveryQueued || m.LastError == "" || len(server.Messages()) != 0 {
		t.Errorf("smtp:// to a server without STARTTLS: status %s, error %q, %d delivered; want a retry and nothing sent",
			m.Status, m.LastError, len(server.Messages()))
	}
}

func TestSMTPRetriesTemporaryFailures(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{FailFirst: 2})
	w := mailer.NewWorker(db, newSMTP(t, "smtp://"+server.Addr+"?tls=none", nil), clock, quiet)

	for attempt := 1; attempt <= 3; attempt++ {
		if claimed, err := w.DeliverOne(context.Background()); !claimed || err != nil {
			t.Fatalf("attempt %d: claimed %v, %v", attempt, claimed, err)
		}
		clock.now = clock.now.Add(2 * time.Hour)
	}
	m := mailStatus(t, db, appID)
	if m.Status != accountnet.DeliverySent || m.Attempts != 3 || len(server.Messages()) != 1 {
		t.Errorf("status %s after %d attempts, %d delivered; want sent after 3, 1 delivered", m.Status, m.Attempts, len(server.Messages()))
	}
}

func TestSMTPPermanentRejection(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{Reject: map[string]bool{"user0@example.com": true}})
	w := mailer.NewWorker(db, newSMTP(t, "smtp://"+server.Addr+"?tls=none", nil), clock, quiet)

	w.DeliverOne(context.Background())
	m := mailStatus(t, db, appID)
	if m.Status != accountnet.DeliveryFailed || m.Attempts != 1 || !strings.Contains(m.LastError, "550") {
		t.Errorf("after a 550: status %s, attempts %d, error %q; want failed after 1 with the 550", m.Status, m.Attempts, m.LastError)
	}
	clock.now = clock.now.Add(24 * time.Hour)
	if claimed, _ := w.DeliverOne(context.Background()); claimed {
		t.Error("a permanently rejected mail was attempted again")
	}
}

func TestSMTPServerDownThenUp(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{})
	w := mailer.NewWorker(db, newSMTP(t, "smtp://"+server.Addr+"?tls=none", nil), clock, quiet)
	server.Close()

	w.DeliverOne(context.Background())
	if m := mailStatus(t, db, appID); m.Status != accountnet.DeliveryQueued || m.LastError == "" {
		t.Fatalf("with the server down: status %s, error %q; want queued with the error", m.Status, m.LastError)
	}

	server.Restart(t)
	clock.now = clock.now.Add(time.Hour)
	w.DeliverOne(context.Background())
	if m := mailStatus(t, db, appID); m.Status != accountnet.DeliverySent || len(server.Messages()) != 1 {
		t.Errorf("after the server came back: status %s, %d delivered", m.Status, len(server.Messages()))
	}
}

// TestTwoWorkersDeliverEachOnce runs two workers, each with its own
// connection pool as two instances would have, against one database.
func TestTwoWorkersDeliverEachOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		const total = 500
		first := testdb.Open(t, url)
		queueMails(t, first, total, time.Now().Unix())
		second := testdb.Open(t, url)
		server := smtptest.Start(t, smtptest.Options{})

		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for _, db := range []*store.DB{first, second} {
			w := mailer.NewWorker(db, newSMTP(t, "smtp://"+server.Addr+"?tls=none", nil), accountnet.SystemClock{}, quiet)
			w.Poll = 10 * time.Millisecond
			wg.Add(1)
			go func() {
				defer wg.Done()
				w.Run(ctx)
			}()
		}
		delivered := server.Wait(total, 60*time.Second)
		cancel()
		wg.Wait()
		if !delivered {
			t.Fatalf("only %d of %d messages arrived", len(server.Messages()), total)
		}

		seen := map[string]int{}
		for _, m := range server.Messages() {
			seen[m.Header().Get("Message-Id")]++
		}
		if len(server.Messages()) != total || len(seen) != total {
			t.Errorf("%d messages with %d distinct ids arrived, want %d of each", len(server.Messages()), len(seen), total)
		}
		n, err := first.Reader().CountQueuedMails(context.Background())
		if err != nil || n != 0 {
			t.Errorf("%d mails still queued (%v)", n, err)
		}
	})
}

func TestNewSMTPRejectsBadURLs(t *testing.T) {
	for _, raw := range []string{"", "http://host", "smtps://host?tls=none", "smtp://host:0", "smtp://host:99999", "smtp://host?foo=1", "smtp://",
		"smtp://:25", "smtp://host/path", "smtp://host#frag", "smtp://host?tls=NONE", "smtp://host?tls=starttls", "smtp://host?tls=none&tls=none"} {
		if _, err := mailer.NewSMTP(mailer.SMTPConfig{URL: raw, From: "a@example.com"}); err == nil {
			t.Errorf("NewSMTP(%q) accepted an invalid URL", raw)
		}
	}
	if _, err := mailer.NewSMTP(mailer.SMTPConfig{URL: "smtp://host"}); err == nil {
		t.Error("NewSMTP accepted a configuration without a sender")
	}
	if _, err := mailer.NewSMTP(mailer.SMTPConfig{URL: "smtp://host", From: "not an address"}); err == nil {
		t.Error("NewSMTP accepted an invalid sender")
	}
	if _, err := mailer.NewSMTP(mailer.SMTPConfig{URL: "smtp://host", From: "a@example.com", Password: "from-file"}); err == nil {
		t.Error("NewSMTP accepted a password without a user name")
	}
}

func TestSMTPPlainRelayWithAuth(t *testing.T) {
	db := testdb.Open(t, testdb.SQLiteURL(t))
	clock := &fixedClock{now: time.Unix(1_700_000_000, 0)}
	appID := queueMails(t, db, 1, clock.now.Unix())
	server := smtptest.Start(t, smtptest.Options{Username: "relay", Password: "s3cret"})

	w := mailer.NewWorker(db, newSMTP(t, "smtp://relay:s3cret@"+server.Addr+"?tls=none", nil), clock, quiet)
	w.DeliverOne(context.Background())
	if m := mailStatus(t, db, appID); m.Status != accountnet.DeliverySent || len(server.Messages()) != 1 {
		t.Errorf("plain relay with AUTH: status %s, error %q, %d delivered", m.Status, m.LastError, len(server.Messages()))
	}
}
