package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/smtptest"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

// buildBinary compiles this command into a temporary directory.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "accountnet")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestMailSurvivesSIGKILL kills the server while it delivers queued mail,
// starts it again, and checks that every message arrives.
func TestMailSurvivesSIGKILL(t *testing.T) {
	stopDuringDelivery(t, syscall.SIGKILL, 4)
}

// TestMailSurvivesSIGTERM stops the server gracefully while it delivers
// queued mail: the sends in flight finish and are recorded, so after a
// restart every message arrives exactly once.
func TestMailSurvivesSIGTERM(t *testing.T) {
	stopDuringDelivery(t, syscall.SIGTERM, 0)
}

// stopDuringDelivery sends sig to the server after a fifth of the queued
// mail arrived, restarts it, and allows at most maxDuplicates copies.
func stopDuringDelivery(t *testing.T, sig syscall.Signal, maxDuplicates int) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	const total = 200
	bin := buildBinary(t)
	dbPath := testdb.SQLiteURL(t)
	db := testdb.Open(t, dbPath)
	queue(t, db, total)
	server := smtptest.Start(t, smtptest.Options{Delay: 10 * time.Millisecond})

	run := func() *exec.Cmd {
		cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--database", dbPath, "--log-level", "warn",
			"--smtp-url", "smtp://"+server.Addr+"?tls=none", "--mail-from", "noreply@accountnet.example",
			"--mail-workers", "4", "--mail-lease", "2s")
		cmd.Env = append(os.Environ(), "ACCOUNTNET_ADMIN_TOKEN=")
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}

	first := run()
	if !server.Wait(total/5, 30*time.Second) {
		first.Process.Kill()
		t.Fatalf("only %d messages arrived before the kill", len(server.Messages()))
	}
	first.Process.Signal(sig)
	first.Wait()

	left, err := db.Reader().CountQueuedMails(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if left == 0 {
		t.Fatal("every mail was sent before the signal; the test proves nothing")
	}

	second := run()
	defer func() {
		second.Process.Signal(syscall.SIGTERM)
		second.Wait()
	}()
	deadline := time.Now().Add(60 * time.Second)
	for distinct(server) < total && time.Now().Before(deadline) {
		server.Wait(len(server.Messages())+1, time.Second)
	}

	if got := distinct(server); got != total {
		t.Fatalf("%d of %d distinct messages arrived after the restart", got, total)
	}
	// After SIGKILL, mails in flight may arrive twice, at most one per
	// worker; their Message-ID is the same, so receivers can drop the copy.
	if dup := len(server.Messages()) - total; dup > maxDuplicates {
		t.Errorf("%d duplicate deliveries, want at most %d", dup, maxDuplicates)
	}
	t.Logf("%d mails were still queued when the server was %v; %d duplicates", left, sig, len(server.Messages())-total)
}

func distinct(s *smtptest.Server) int {
	seen := map[string]bool{}
	for _, m := range s.Messages() {
		seen[m.Header().Get("Message-Id")] = true
	}
	return len(seen)
}

func queue(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().Unix()
	app := &accountnet.App{ID: accountnet.NewID(accountnet.PrefixApp), Title: "A", InvitationTTL: time.Hour, Created: now, Updated: now}
	err := db.Tx(ctx, func(q *store.Q) error {
		if err := q.CreateApp(ctx, app); err != nil {
			return err
		}
		for i := range n {
			err := q.CreateMail(ctx, &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: app.ID, Kind: accountnet.MailInvitation,
				To: fmt.Sprintf("user%d@example.com", i), Subject: "Hello", Text: "Text", HTML: "<p>HTML</p>",
				Status: accountnet.DeliveryQueued, NextAttempt: now, Created: now})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
