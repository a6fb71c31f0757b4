package server_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/testdb"
)

// mailExpiry is how mails write an expiry time.
func mailExpiry(unix float64) string {
	return time.Unix(int64(unix), 0).UTC().Format("Monday, 2 January 2006 15:04 MST")
}

// invitationToken returns the token of the newest invitation mail to the
// address.
func (w *world) invitationToken(email string) string {
	w.t.Helper()
	return linkToken(w.t, w.lastMail("invitation", email)["text"].(string), "https://app.example.com/activate")
}

// TestInvitationUpdateRejects sends bad updates: the checks and messages
// are those of initiate, and nothing changes.
func TestInvitationUpdateRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.invite("other@example.com", nil)
		inv, token := w.invite("first@example.com", map[string]any{"fee_proposed": 5, "title": "First", "country_id": "FR"})
		path := "/v1/network/invitations/" + inv["id"].(string)
		w.clock.Add(10 * time.Minute)

		const notAllowed = "Your account cannot invite this kind of account. Choose one from the list."
		cases := []struct {
			name   string
			body   any
			status int
			reason string
			field  string
			msg    string
		}{
			{"transitive domain", map[string]any{"domain_id": w.retail}, 400, "invalid_fields", "domain_id", notAllowed},
			{"unknown domain", map[string]any{"domain_id": "dom_nothing"}, 400, "invalid_fields", "domain_id", notAllowed},
			{"kept fee on unmonetized rule", map[string]any{"domain_id": w.agent}, 400, "invalid_fields", "fee_proposed", "This kind of account cannot be charged a fee. Leave the fee empty."},
			{"fee above max", map[string]any{"fee_proposed": 20.001}, 400, "invalid_fields", "fee_proposed", "The fee can be at most 20%."},
			{"fee with four decimals", `{"fee_proposed":2.2555}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"fee as string", `{"fee_proposed":"5"}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"email with display name", map[string]any{"email": "Bob <bob@example.com>"}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"email with CRLF", map[string]any{"email": "bob@example.com\r\nBcc: eve@example.com"}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"unknown country", map[string]any{"country_id": "XX"}, 400, "invalid_fields", "country_id", "Choose a country from the list."},
			{"long title", map[string]any{"title": strings.Repeat("t", 201)}, 400, "invalid_fields", "title", "Use at most 200 characters."},
			{"title null", `{"title":null}`, 400, "invalid_fields", "title", "Enter text."},
			{"unknown field", map[string]any{"status": "accepted"}, 400, "unknown_fields", "status", "This field is not accepted here."},
			{"empty body", ``, 400, "invalid_json", "", ""},
			{"address of another pending invitation", map[string]any{"email": "OTHER@example.com"}, 409, "invitation_pending", "", ""},
		}

		beforeInvitations, beforeMails := w.count()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", path, w.parentToken, c.body), c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t

		if n, m := w.count(); n != beforeInvitations || m != beforeMails {
			t.Errorf("rejected updates wrote data: invitations %d→%d, mails %d→%d", beforeInvitations, n, beforeMails, m)
		}
		after := w.must(200, "GET", path, w.parentToken, nil)
		if after["sent_count"] != 1.0 || after["title"] != "First" || after["updated"] != inv["updated"] || after["expires"] != inv["expires"] {
			t.Errorf("rejected updates changed the invitation: %v", after)
		}
		w.must(200, "GET", "/v1/network/activate/"+token, w.pk, nil)
	})
}

// TestInvitationUpdate changes an invitation: only the sent fields
// change, the old token stops working, the expiry restarts and the mail
// goes out again.
func TestInvitationUpdate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, oldToken := w.invite("first@example.com", map[string]any{"fee_proposed": 5, "title": "First", "country_id": "FR"})
		id := inv["id"].(string)
		path := "/v1/network/invitations/" + id
		w.clock.Add(time.Hour)
		_, mailsBefore := w.count()

		updated := w.must(200, "POST", path, w.parentToken, map[string]any{
			"email": "Second@Example.com", "domain_id": w.agent, "fee_proposed": "", "title": "", "country_id": "",
		})
		now := w.clock.Now()
		want := map[string]any{
			"id": id, "email": "Second@Example.com", "domain_id": w.agent, "domain_title": "Agent", "fee_proposed": nil,
			"title": "", "country_id": "DE", "status": "pending", "sent_count": 2.0, "last_sent": float64(now.Unix()),
			"updated": float64(now.Unix()), "created": inv["created"], "expires": float64(now.Add(accountnet.DefaultInvitationTTL).Unix()),
		}
		for k, v := range want {
			if updated[k] != v {
				t.Errorf("%s = %v, want %v", k, updated[k], v)
			}
		}
		if got := w.must(200, "GET", path, w.parentToken, nil); got["email"] != "Second@Example.com" || got["sent_count"] != 2.0 {
			t.Errorf("stored invitation = %v", got)
		}

		w.expectError(w.request("GET", "/v1/network/activate/"+oldToken, w.pk, nil), 404, "invalid_token", "", "")
		w.expectError(w.request("POST", "/v1/network/activate/"+oldToken, w.pk, nil), 404, "invalid_token", "", "")
		w.expectError(w.request("POST", "/v1/network/decline/"+oldToken, w.pk, nil), 404, "invalid_token", "", "")

		if _, mails := w.count(); mails != mailsBefore+1 {
			t.Errorf("mails %d→%d, want one more", mailsBefore, mails)
		}
		mail := w.lastMail("invitation", "Second@Example.com")
		if !strings.Contains(mail["text"].(string), mailExpiry(updated["expires"].(float64))) || strings.Contains(mail["text"].(string), "fee") {
			t.Errorf("mail lacks the new expiry or still names a fee:\n%s", mail["text"])
		}
		newToken := w.invitationToken("Second@Example.com")
		pre := w.must(200, "GET", "/v1/network/activate/"+newToken, w.pk, nil)
		if pre["email"] != "Second@Example.com" || pre["domain_id"] != w.agent || pre["expires"] != updated["expires"] {
			t.Errorf("pre-flight of the new token = %v", pre)
		}

		// Empty email and domain_id keep their values; absent fields too.
		w.clock.Add(2 * time.Minute)
		again := w.must(200, "POST", path, w.parentToken, map[string]any{"email": "", "domain_id": "", "title": "Second Ltd"})
		if again["email"] != "Second@Example.com" || again["domain_id"] != w.agent || again["title"] != "Second Ltd" || again["country_id"] != "DE" || again["sent_count"] != 3.0 {
			t.Errorf("update with empty required fields = %v", again)
		}
		w.expectError(w.request("GET", "/v1/network/activate/"+newToken, w.pk, nil), 404, "invalid_token", "", "")
	})
}

// TestInvitationResend sends an invitation again: new token, expiry from
// now with the app's lifetime, one more mail.
func TestInvitationResend(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, oldToken := w.invite("again@example.com", map[string]any{"fee_proposed": 3})
		id := inv["id"].(string)
		w.must(200, "POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{"invitation_ttl": 3600})
		w.clock.Add(5 * time.Minute)
		invitations, mails := w.count()

		sent := w.must(200, "POST", "/v1/network/invitations/"+id+"/resend", w.parentToken, nil)
		now := w.clock.Now()
		if sent["expires"] != float64(now.Add(time.Hour).Unix()) || sent["sent_count"] != 2.0 || sent["last_sent"] != float64(now.Unix()) {
			t.Errorf("resent invitation = %v; want expires now+1h, sent_count 2, last_sent now", sent)
		}
		if sent["fee_proposed"] != 3.0 || sent["email"] != "again@example.com" {
			t.Errorf("resend changed fields: %v", sent)
		}
		if n, m := w.count(); n != invitations || m != mails+1 {
			t.Errorf("invitations %d→%d, mails %d→%d; want the same and one more", invitations, n, mails, m)
		}

		w.expectError(w.request("GET", "/v1/network/activate/"+oldToken, w.pk, nil), 404, "invalid_token", "", "")
		mail := w.lastMail("invitation", "again@example.com")
		if !strings.Contains(mail["text"].(string), mailExpiry(sent["expires"].(float64))) {
			t.Errorf("mail lacks the expiry %s:\n%s", mailExpiry(sent["expires"].(float64)), mail["text"])
		}
		newToken := w.invitationToken("again@example.com")
		if newToken == oldToken {
			t.Fatal("resend kept the token")
		}
		w.must(201, "POST", "/v1/network/activate/"+newToken, w.pk, nil)

		w.expectError(w.request("POST", "/v1/network/invitations/"+id+"/resend", w.parentToken, `{"fast":true}`), 400, "unknown_fields", "fast", "This field is not accepted here.")
	})
}

// TestInvitationNotPending checks that accepted, declined and revoked
// invitations cannot be changed, sent or revoked.
func TestInvitationNotPending(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		accepted, token := w.invite("accepted@example.com", nil)
		w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)
		declined, token := w.invite("declined@example.com", nil)
		w.must(200, "POST", "/v1/network/decline/"+token, w.pk, nil)
		revoked, _ := w.invite("revoked@example.com", nil)
		w.must(200, "DELETE", "/v1/network/invitations/"+revoked["id"].(string), w.parentToken, nil)
		w.clock.Add(time.Hour)
		invitations, mails := w.count()

		cases := []struct {
			name, id, message string
		}{
			{"accepted", accepted["id"].(string), "This invitation was accepted, so it can no longer be changed. The account it created is in your network."},
			{"declined", declined["id"].(string), "This invitation was declined, so it can no longer be changed or sent. Create a new invitation instead."},
			{"revoked", revoked["id"].(string), "This invitation was revoked, so it can no longer be changed or sent. Create a new invitation instead."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				path := "/v1/network/invitations/" + c.id
				for _, r := range []*response{
					w.request("POST", path, w.parentToken, map[string]any{"title": "Changed"}),
					w.request("POST", path+"/resend", w.parentToken, nil),
					w.request("DELETE", path, w.parentToken, nil),
				} {
					w.expectError(r, 409, "invitation_not_pending", "", "")
					if r.status == 409 && r.errorObject(t)["message"] != c.message {
						t.Errorf("message = %v, want %q", r.errorObject(t)["message"], c.message)
					}
				}
				if got := w.must(200, "GET", path, w.parentToken, nil); got["status"] != c.name || got["title"] != "" || got["sent_count"] != 1.0 {
					t.Errorf("invitation changed: %v", got)
				}
			})
		}
		w.env.t = t
		if n, m := w.count(); n != invitations || m != mails {
			t.Errorf("rejected changes wrote data: invitations %d→%d, mails %d→%d", invitations, n, mails, m)
		}
	})
}

// TestRevokeThenActivate revokes an invitation; its token then gets 410
// invitation_revoked everywhere.
func TestRevokeThenActivate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, token := w.invite("withdrawn@example.com", nil)
		id := inv["id"].(string)
		accounts := w.accountsTotal()

		w.clock.Add(time.Minute)
		got := w.must(200, "DELETE", "/v1/network/invitations/"+id, w.parentToken, nil)
		if len(got) != 1 || got["id"] != id {
			t.Errorf("revoke = %v, want {id}", got)
		}
		stored := w.must(200, "GET", "/v1/network/invitations/"+id, w.parentToken, nil)
		if stored["status"] != "revoked" || stored["updated"] != float64(w.clock.Now().Unix()) {
			t.Errorf("revoked invitation = %v", stored)
		}

		w.expectError(w.request("GET", "/v1/network/activate/"+token, w.pk, nil), 410, "invitation_revoked", "", "")
		w.expectError(w.request("POST", "/v1/network/activate/"+token, w.pk, nil), 410, "invitation_revoked", "", "")
		w.expectError(w.request("POST", "/v1/network/decline/"+token, w.pk, nil), 410, "invitation_revoked", "", "")
		if after := w.accountsTotal(); after != accounts {
			t.Errorf("accounts %d→%d after activating a revoked invitation", accounts, after)
		}

		// The address may be invited again at once.
		w.invite("withdrawn@example.com", nil)
	})
}

// TestDeclineThenActivate declines an invitation: the token then gets 410
// invitation_declined, and the inviting user is mailed.
func TestDeclineThenActivate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, token := w.invite("decliner@example.com", nil)
		accounts := w.accountsTotal()
		w.clock.Add(time.Minute)

		w.expectError(w.request("POST", "/v1/network/decline/"+token, w.pk, `{"reason":"no"}`), 400, "unknown_fields", "reason", "This field is not accepted here.")
		w.expectError(w.request("POST", "/v1/network/decline/"+accountnet.NewToken(""), w.pk, nil), 404, "invalid_token", "", "")
		w.expectError(w.request("POST", "/v1/network/decline/"+token, "", nil), 401, "missing_credentials", "", "")

		r := w.request("POST", "/v1/network/decline/"+token, w.pk, nil)
		if r.status != 200 || r.header.Get("Cache-Control") != "no-store" || r.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("decline: %d %v %s", r.status, r.header, r.body)
		}
		if got := r.json(t); got["invitation_id"] != inv["id"] || got["status"] != "declined" || len(got) != 2 {
			t.Errorf("decline = %v", got)
		}
		if got := w.must(200, "GET", "/v1/network/invitations/"+inv["id"].(string), w.parentToken, nil); got["status"] != "declined" || got["updated"] != float64(w.clock.Now().Unix()) {
			t.Errorf("declined invitation = %v", got)
		}

		w.expectError(w.request("GET", "/v1/network/activate/"+token, w.pk, nil), 410, "invitation_declined", "", "")
		w.expectError(w.request("POST", "/v1/network/activate/"+token, w.pk, nil), 410, "invitation_declined", "", "")
		w.expectError(w.request("POST", "/v1/network/decline/"+token, w.parentToken, nil), 410, "invitation_declined", "", "")
		if after := w.accountsTotal(); after != accounts {
			t.Errorf("accounts %d→%d after activating a declined invitation", accounts, after)
		}

		notice := w.lastMail("invitation_declined", "ada@acme.example")
		text := notice["text"].(string)
		if !strings.Contains(text, "decliner@example.com declined the invitation from Acme & Sons") || !strings.Contains(text, "https://app.example.com/login") {
			t.Errorf("declined mail:\n%s", text)
		}
		if strings.Contains(text, token) {
			t.Errorf("declined mail holds the token")
		}
	})
}

// TestAcceptedMail checks the mail to the inviting user after an
// activation: it names the new child account, escaped in HTML.
func TestAcceptedMail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("joiner@example.com", nil)
		child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"account_title": "Joiner <i>GmbH</i>"})

		notice := w.lastMail("invitation_accepted", "ada@acme.example")
		if notice["subject"] != "Joiner <i>GmbH</i> accepted your invitation to Supply <Chain>" {
			t.Errorf("subject = %v", notice["subject"])
		}
		if text := notice["text"].(string); !strings.Contains(text, "joiner@example.com accepted the invitation from Acme & Sons") ||
			!strings.Contains(text, "Distributor account "+child["title"].(string)) {
			t.Errorf("accepted mail lacks the invitee or the child account:\n%s", text)
		}
		if html := notice["html"].(string); strings.Contains(html, "<i>GmbH") || !strings.Contains(html, "Joiner &lt;i&gt;GmbH&lt;/i&gt;") {
			t.Errorf("child title not escaped in HTML:\n%s", html)
		}
	})
}

// lockedBuffer is a log sink that the server's goroutines may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestTokensNotLogged runs every token path at debug level and checks that
// no log line holds a token or its hash.
func TestTokensNotLogged(t *testing.T) {
	logs := &lockedBuffer{}
	w := newWorld(t, testdb.SQLiteURL(t), func(cfg *server.Config) {
		cfg.Log = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	})

	inv, first := w.invite("logged@example.com", nil)
	w.clock.Add(2 * time.Minute)
	w.must(200, "POST", "/v1/network/invitations/"+inv["id"].(string)+"/resend", w.parentToken, nil)
	second := w.invitationToken("logged@example.com")
	w.request("GET", "/v1/network/activate/"+first, w.pk, nil)
	w.request("POST", "/v1/network/decline/"+first, w.pk, nil)
	w.must(200, "GET", "/v1/network/activate/"+second, w.pk, nil)
	w.must(200, "POST", "/v1/network/decline/"+second, w.pk, nil)
	w.request("POST", "/v1/network/activate/"+second, w.pk, nil)

	out := logs.String()
	if !strings.Contains(out, "/v1/network/decline/{token}") {
		t.Fatalf("the log holds no request line of the decline route:\n%s", out)
	}
	for _, token := range []string{first, second} {
		if strings.Contains(out, token) || strings.Contains(out, accountnet.HashToken(token)) {
			t.Errorf("the log holds a token or its hash:\n%s", out)
		}
	}
}

// TestResendRacesActivation races a re-send against an activation with the
// old token: never both succeed, and the loser gets the error of the
// state the winner left.
func TestResendRacesActivation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		for i := range 5 {
			inv, token := w.invite(fmt.Sprintf("race%d@example.com", i), nil)
			w.clock.Add(2 * time.Minute)

			var wg sync.WaitGroup
			var resend, activate *response
			wg.Add(2)
			go func() {
				defer wg.Done()
				resend = w.request("POST", "/v1/network/invitations/"+inv["id"].(string)+"/resend", w.parentToken, nil)
			}()
			go func() {
				defer wg.Done()
				activate = w.request("POST", "/v1/network/activate/"+token, w.pk, nil)
			}()
			wg.Wait()

			switch {
			case resend.status == 200 && activate.status == 201:
				t.Errorf("round %d: both the re-send and the activation with the old token succeeded", i)
			case resend.status == 200:
				w.expectError(activate, 404, "invalid_token", "", "")
			case activate.status == 201:
				w.expectError(resend, 409, "invitation_not_pending", "", "")
			default:
				t.Errorf("round %d: re-send %d %s, activation %d %s", i, resend.status, resend.body, activate.status, activate.body)
			}
		}
	})
}
