package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// resetLink requests a reset link for email and returns the token from
// the newest password_reset mail to the address to.
func (w *world) resetLink(email, to, prefix string) string {
	w.t.Helper()
	w.must(200, "POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": email})
	return linkToken(w.t, w.lastMail("password_reset", to)["text"].(string), prefix)
}

// TestForgotPasswordSameAnswer checks that an existing and an unknown
// email get the same status, body and headers, that only the existing one
// gets a mail, and that the link resets the password.
func TestForgotPasswordSameAnswer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		mailsBefore := len(w.mails())

		known := w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "ADA@acme.example"})
		unknown := w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "nobody@acme.example"})
		if known.status != 200 {
			t.Fatalf("forgot-password: %d %s", known.status, known.body)
		}
		sameResponse(t, "known and unknown email", known, unknown)

		if n := len(w.mails()); n != mailsBefore+1 {
			t.Errorf("mails went from %d to %d, want one more", mailsBefore, n)
		}
		if w.mailCount("password_reset", "nobody@acme.example") != 0 {
			t.Error("a reset mail went to an address no user has")
		}
		mail := w.lastMail("password_reset", "ada@acme.example")
		if mail["to"] != "ada@acme.example" {
			t.Errorf("mail to %v, want the stored address", mail["to"])
		}
		text := mail["text"].(string)
		if !strings.Contains(text, "user ada.") || !strings.Contains(text, "Monday, 2 March 2026 12:00 UTC") {
			t.Errorf("reset mail lacks the username or the expiry:\n%s", text)
		}
		if strings.Contains(mail["html"].(string), "<b>") {
			t.Errorf("reset mail HTML carries unescaped markup:\n%s", mail["html"])
		}

		token := linkToken(t, text, "https://app.example.com/password/")
		check := w.must(200, "GET", "/v1/auth/reset-password/"+token, w.pk, nil)
		if check["username"] != "ada" || check["expires"] != float64(w.clock.Now().Add(24*time.Hour).Unix()) {
			t.Errorf("pre-flight = %v", check)
		}
		w.must(200, "POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": token, "password": "new-ada-secret", "confirm": "new-ada-secret"})
		w.expectError(w.request("GET", "/v1/account", w.parentToken, nil), 401, "session_revoked", "", "")
		w.expectError(w.request("POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "ada-password-1"}), 401, "invalid_credentials", "", "")
		w.login("ada", "new-ada-secret")
	})
}

// TestForgotPasswordLinkBase checks that the link falls back to login_url
// and that an app with neither URL is rejected the same way for every
// email.
func TestForgotPasswordLinkBase(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.must(200, "POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{"reset_url": ""})
		token := w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/login?token=")
		w.must(200, "GET", "/v1/auth/reset-password/"+token, w.pk, nil)

		w.must(200, "POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{"login_url": ""})
		before := len(w.mails())
		known := w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "ada@acme.example"})
		unknown := w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "nobody@acme.example"})
		w.expectError(known, 400, "app_not_configured", "", "")
		sameResponse(t, "unconfigured app", known, unknown)
		if after := len(w.mails()); after != before {
			t.Errorf("unconfigured app queued mail: %d→%d", before, after)
		}
	})
}

// TestForgotPasswordRejects checks the body of a reset request.
func TestForgotPasswordRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		cases := []struct {
			name   string
			body   any
			reason string
			field  string
			msg    string
		}{
			{"missing email", map[string]any{}, "invalid_fields", "email", accountnet.EmailMessage},
			{"empty email", map[string]any{"email": ""}, "invalid_fields", "email", accountnet.EmailMessage},
			{"display name", map[string]any{"email": "Ada <ada@acme.example>"}, "invalid_fields", "email", accountnet.EmailMessage},
			{"line break", map[string]any{"email": "ada@acme.example\r\nBcc: eve@example.com"}, "invalid_fields", "email", accountnet.EmailMessage},
			{"number", `{"email":5}`, "invalid_fields", "email", "Enter text."},
			{"unknown field", map[string]any{"email": "ada@acme.example", "username": "ada"}, "unknown_fields", "username", "This field is not accepted here."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", "/v1/auth/forgot-password", w.pk, c.body), 400, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t
		if n := w.mailCount("password_reset", "ada@acme.example"); n != 0 {
			t.Errorf("rejected requests queued %d mails", n)
		}
	})
}

// TestForgotPasswordThrottle checks the limits per email (3 an hour) and
// per client address (20 an hour), and that an existing and an unknown
// email are limited alike.
func TestForgotPasswordThrottle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.clock.Add(15 * time.Minute) // 12:15, so the hour window ends in 45 minutes
		for range 3 {
			w.must(200, "POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "ada@acme.example"})
			w.must(200, "POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "nobody@acme.example"})
		}
		known := w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "Ada@Acme.Example"})
		unknown := w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "nobody@acme.example"})
		w.expectError(known, 429, "rate_limited", "", "")
		if got := known.header.Get("Retry-After"); got != "2700" {
			t.Errorf("Retry-After = %q, want 2700", got)
		}
		sameResponse(t, "limited known and unknown email", known, unknown)
		if n := w.mailCount("password_reset", "ada@acme.example"); n != 3 {
			t.Errorf("%d reset mails, want 3", n)
		}

		w.clock.Add(45 * time.Minute)
		w.must(200, "POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "ada@acme.example"})

		// One client address: 20 requests an hour, whatever the email.
		for i := range 19 {
			w.must(200, "POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "someone" + string(rune('a'+i)) + "@acme.example"})
		}
		w.expectError(w.request("POST", "/v1/auth/forgot-password", w.pk, map[string]any{"email": "fresh@acme.example"}), 429, "rate_limited", "", "")
	})
}

// TestResetPasswordRules checks each password rule, that rejected
// requests leave the token usable, and that a used token is spent.
func TestResetPasswordRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		token := w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/password/")

		cases := []struct {
			name   string
			body   any
			status int
			reason string
			field  string
			msg    string
		}{
			{"seven characters", map[string]any{"token": token, "password": "seven77", "confirm": "seven77"}, 400, "invalid_fields", "password", "Use at least 8 characters."},
			{"username", map[string]any{"token": token, "password": "ada", "confirm": "ada"}, 400, "invalid_fields", "password", "Use at least 8 characters."},
			{"confirm differs", map[string]any{"token": token, "password": "long-enough-1", "confirm": "long-enough-2"}, 400, "invalid_fields", "confirm", "The two passwords do not match."},
			{"missing confirm", map[string]any{"token": token, "password": "long-enough-1"}, 400, "invalid_fields", "confirm", "The two passwords do not match."},
			{"missing token", map[string]any{"password": "long-enough-1", "confirm": "long-enough-1"}, 400, "invalid_fields", "token", "Open the whole link from the email."},
			{"unknown token", map[string]any{"token": accountnet.NewToken(""), "password": "long-enough-1", "confirm": "long-enough-1"}, 404, "invalid_token", "", ""},
			{"malformed token", map[string]any{"token": "abc", "password": "long-enough-1", "confirm": "long-enough-1"}, 404, "invalid_token", "", ""},
			{"257 bytes", map[string]any{"token": token, "password": strings.Repeat("p", 257), "confirm": strings.Repeat("p", 257)}, 400, "invalid_fields", "password", "Use at most 256 characters."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", "/v1/auth/reset-password", w.pk, c.body), c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t

		// The username rule, for a username long enough to be a password.
		_, invite := w.invite("longname@example.com", nil)
		w.must(201, "POST", "/v1/network/activate/"+invite, w.pk, map[string]any{"username": "LongUserName"})
		setToken := linkToken(t, w.lastMail("login_instructions", "longname@example.com")["text"].(string), "https://app.example.com/password/")
		w.expectError(w.request("POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": setToken, "password": "longusername", "confirm": "longusername"}),
			400, "invalid_fields", "password", "The password cannot be the same as the username or email.")
		w.must(200, "POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": setToken, "password": "long-user-secret", "confirm": "long-user-secret"})

		// Nothing above used the token or changed the password.
		w.login("ada", "ada-password-1")
		w.must(200, "GET", "/v1/auth/reset-password/"+token, w.pk, nil)
		r := w.request("POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": token, "password": "fresh-secret-1", "confirm": "fresh-secret-1"})
		if r.status != 200 || r.header.Get("Cache-Control") != "no-store" || r.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("reset: %d %v %s", r.status, r.header, r.body)
		}
		if user := r.json(t); user["username"] != "ada" || user["id"] == nil {
			t.Errorf("reset answer = %v", user)
		}

		w.expectError(w.request("GET", "/v1/auth/reset-password/"+token, w.pk, nil), 410, "token_used", "", "")
		w.expectError(w.request("POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": token, "password": "other-secret-1", "confirm": "other-secret-1"}),
			410, "token_used", "", "")
		w.login("ada", "fresh-secret-1")
	})
}

// TestResetPasswordExpiry checks that a link works until 24 hours after
// it was sent and not after, and that the password then stays unchanged.
func TestResetPasswordExpiry(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		token := w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/password/")

		w.clock.Add(24*time.Hour - time.Second)
		w.must(200, "GET", "/v1/auth/reset-password/"+token, w.pk, nil)
		w.clock.Add(time.Second)
		w.expectError(w.request("GET", "/v1/auth/reset-password/"+token, w.pk, nil), 410, "token_expired", "", "")
		w.expectError(w.request("POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": token, "password": "late-secret-1", "confirm": "late-secret-1"}),
			410, "token_expired", "", "")
		w.login("ada", "ada-password-1")

		// A new link after expiry works.
		token = w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/password/")
		w.must(200, "POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": token, "password": "in-time-secret", "confirm": "in-time-secret"})
		w.login("ada", "in-time-secret")
	})
}

// TestResetPasswordNewestLinkOnly checks that a new link invalidates the
// older unused ones, and that a reset invalidates the rest.
func TestResetPasswordNewestLinkOnly(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		first := w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/password/")
		w.clock.Add(time.Second) // so that the newest mail sorts first
		second := w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/password/")
		w.expectError(w.request("GET", "/v1/auth/reset-password/"+first, w.pk, nil), 404, "invalid_token", "", "")
		w.must(200, "GET", "/v1/auth/reset-password/"+second, w.pk, nil)
		w.must(200, "POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": second, "password": "second-secret", "confirm": "second-secret"})
		w.expectError(w.request("POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": first, "password": "first-secret-1", "confirm": "first-secret-1"}),
			404, "invalid_token", "", "")
		w.login("ada", "second-secret")
	})
}

// TestResetPasswordEndsSessions checks that a reset ends every session of
// the user, logged in or waiting for an account choice, and no session of
// another user.
func TestResetPasswordEndsSessions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		second := w.login("ada", "ada-password-1")
		_, otherToken := w.newParent("Other Maker", "olga")
		token := w.resetLink("ada@acme.example", "ada@acme.example", "https://app.example.com/password/")

		// The reset itself may come from one of the user's sessions.
		w.must(200, "POST", "/v1/auth/reset-password", second, map[string]any{"token": token, "password": "after-reset-1", "confirm": "after-reset-1"})
		for _, s := range []string{w.parentToken, second} {
			w.expectError(w.request("GET", "/v1/account", s, nil), 401, "session_revoked", "", "")
		}
		w.account(otherToken)
		w.login("ada", "after-reset-1")
	})
}
