package server_test

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"testing"
	"time"

	mailer "github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/smtptest"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestInvitationOverSMTP sends the invitation through a real SMTP server
// on loopback and activates with the link from the delivered message.
func TestInvitationOverSMTP(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		relay := smtptest.Start(t, smtptest.Options{Reject: map[string]bool{"bounce@example.com": true}})
		transport, err := mailer.NewSMTP(mailer.SMTPConfig{URL: "smtp://" + relay.Addr + "?tls=none", From: "Accountnet <noreply@accountnet.example>"})
		if err != nil {
			t.Fatal(err)
		}
		w := newWorld(t, url, func(c *server.Config) { c.Transport = transport })

		w.must(201, "POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "smtp@example.com"})
		if !relay.Wait(1, 10*time.Second) {
			t.Fatal("the invitation did not arrive")
		}
		msg, err := mail.ReadMessage(bytes.NewReader(relay.Messages()[0].Data))
		if err != nil {
			t.Fatal(err)
		}
		if to := msg.Header.Get("To"); !strings.Contains(to, "smtp@example.com") {
			t.Errorf("To %q", to)
		}
		raw, _ := io.ReadAll(msg.Body)
		body, _ := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
		token := linkToken(t, string(body), "https://app.example.com/activate")
		w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)

		// A recipient the server rejects for good ends as failed.
		w.must(201, "POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "bounce@example.com"})
		deadline := time.Now().Add(10 * time.Second)
		for time.Now().Before(deadline) {
			if m := w.lastMail("invitation", "bounce@example.com"); m["status"] == "failed" {
				if !strings.Contains(m["last_error"].(string), "550") || m["attempts"] != 1.0 {
					t.Errorf("failed mail = %v", m)
				}
				return
			}
			relay.Wait(1000, 50*time.Millisecond) // a bounded pause while the worker runs
		}
		t.Errorf("the rejected mail did not fail: %v", w.lastMail("invitation", "bounce@example.com"))
	})
}
