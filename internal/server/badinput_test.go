package server_test

import (
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestInitiateRejects sends each bad initiate body and checks the status,
// reason and field message, and that no invitation or mail was written.
func TestInitiateRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.invite("taken@example.com", nil)

		const notAllowed = "Your account cannot invite this kind of account. Choose one from the list."
		cases := []struct {
			name   string
			body   any
			status int
			reason string
			field  string
			msg    string
		}{
			{"transitive domain", map[string]any{"domain_id": w.retail, "email": "a@example.com"}, 400, "invalid_fields", "domain_id", notAllowed},
			{"unknown domain", map[string]any{"domain_id": "dom_nothing", "email": "a@example.com"}, 400, "invalid_fields", "domain_id", notAllowed},
			{"missing domain", map[string]any{"email": "a@example.com"}, 400, "invalid_fields", "domain_id", notAllowed},
			{"fee on unmonetized rule", map[string]any{"domain_id": w.agent, "email": "a@example.com", "fee_proposed": 5}, 400, "invalid_fields", "fee_proposed", "This kind of account cannot be charged a fee. Leave the fee empty."},
			{"fee above max", map[string]any{"domain_id": w.distributor, "email": "a@example.com", "fee_proposed": 20.001}, 400, "invalid_fields", "fee_proposed", "The fee can be at most 20%."},
			{"negative fee", `{"domain_id":"` + w.distributor + `","email":"a@example.com","fee_proposed":-5}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"fee over 100", `{"domain_id":"` + w.distributor + `","email":"a@example.com","fee_proposed":150}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"fee with four decimals", `{"domain_id":"` + w.distributor + `","email":"a@example.com","fee_proposed":2.2555}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"fee as string", `{"domain_id":"` + w.distributor + `","email":"a@example.com","fee_proposed":"15"}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"fee null", `{"domain_id":"` + w.distributor + `","email":"a@example.com","fee_proposed":null}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"fee 1e309", `{"domain_id":"` + w.distributor + `","email":"a@example.com","fee_proposed":1e309}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"email with display name", map[string]any{"domain_id": w.distributor, "email": "Bob <bob@example.com>"}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"email with CRLF", map[string]any{"domain_id": w.distributor, "email": "bob@example.com\r\nBcc: eve@example.com"}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"two emails", map[string]any{"domain_id": w.distributor, "email": "bob@example.com, eve@example.com"}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"300-character email", map[string]any{"domain_id": w.distributor, "email": strings.Repeat("b", 288) + "@example.com"}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"empty email", map[string]any{"domain_id": w.distributor, "email": ""}, 400, "invalid_fields", "email", accountnet.EmailMessage},
			{"email as number", `{"domain_id":"` + w.distributor + `","email":5}`, 400, "invalid_fields", "email", "Enter text."},
			{"unknown country", map[string]any{"domain_id": w.distributor, "email": "a@example.com", "country_id": "XX"}, 400, "invalid_fields", "country_id", "Choose a country from the list."},
			{"lower-case country", map[string]any{"domain_id": w.distributor, "email": "a@example.com", "country_id": "us"}, 400, "invalid_fields", "country_id", "Choose a country from the list."},
			{"long title", map[string]any{"domain_id": w.distributor, "email": "a@example.com", "title": strings.Repeat("t", 201)}, 400, "invalid_fields", "title", "Use at most 200 characters."},
			{"pending to same address in other case", map[string]any{"domain_id": w.distributor, "email": "TAKEN@Example.COM"}, 409, "invitation_pending", "", ""},
			{"unknown field", map[string]any{"domain_id": w.distributor, "email": "a@example.com", "fee": 5}, 400, "unknown_fields", "fee", "This field is not accepted here."},
			{"duplicate key", `{"domain_id":"` + w.distributor + `","email":"a@example.com","email":"b@example.com"}`, 400, "invalid_json", "", ""},
			{"trailing data", `{"domain_id":"` + w.distributor + `","email":"a@example.com"} {}`, 400, "invalid_json", "", ""},
			{"array body", `[{"email":"a@example.com"}]`, 400, "invalid_json", "", ""},
			{"malformed JSON", `{"email":`, 400, "invalid_json", "", ""},
			{"empty body", ``, 400, "invalid_json", "", ""},
			{"body over 64 KiB", `{"domain_id":"` + strings.Repeat("x", 70000) + `"}`, 413, "body_too_large", "", ""},
		}

		beforeInvitations, beforeMails := w.count()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				r := w.request("POST", "/v1/network/initiate", w.parentToken, c.body)
				w.expectError(r, c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t
		if inv, mails := w.count(); inv != beforeInvitations || mails != beforeMails {
			t.Errorf("rejected requests wrote data: invitations %d→%d, mails %d→%d", beforeInvitations, inv, beforeMails, mails)
		}

		// validate_only runs the checks and writes nothing.
		w.expectError(w.request("POST", "/v1/network/initiate?validate_only=true", w.parentToken,
			map[string]any{"domain_id": w.retail, "email": "a@example.com"}), 400, "invalid_fields", "domain_id", notAllowed)
		ok := w.must(200, "POST", "/v1/network/initiate?validate_only=true", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "new@example.com"})
		if ok["valid"] != true {
			t.Errorf("validate_only = %v", ok)
		}
		if inv, mails := w.count(); inv != beforeInvitations || mails != beforeMails {
			t.Errorf("validate_only wrote data: invitations %d→%d, mails %d→%d", beforeInvitations, inv, beforeMails, mails)
		}
	})
}

// TestInitiateContentType rejects a body that is not declared as JSON.
func TestInitiateContentType(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))
	r := w.request("POST", "/v1/network/initiate", w.parentToken, `{"domain_id":"x","email":"a@example.com"}`, "Content-Type", "text/plain")
	w.expectError(r, 415, "unsupported_media_type", "", "")
}

// TestInitiateAppNotConfigured checks that an app without network_url
// cannot send invitations.
func TestInitiateAppNotConfigured(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.must(200, "POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{"network_url": ""})
		before, beforeMails := w.count()

		r := w.request("POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "a@example.com"})
		w.expectError(r, 400, "app_not_configured", "", "")
		if r.status == 400 && r.errorObject(t)["type"] != "codebase" {
			t.Errorf("type = %v, want codebase", r.errorObject(t)["type"])
		}
		if after, afterMails := w.count(); after != before || afterMails != beforeMails {
			t.Errorf("rejected initiate wrote data")
		}
	})
}

// TestTokenRejects checks the token errors of pre-flight and activation.
func TestTokenRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, used := w.invite("used@example.com", nil)
		w.must(201, "POST", "/v1/network/activate/"+used, w.pk, nil)
		revokedInv, revoked := w.invite("revoked@example.com", nil)
		w.revoke(revokedInv["id"].(string))
		_, expiring := w.invite("late@example.com", nil)
		unknown := accountnet.NewToken("")
		accounts := w.accountsTotal()

		w.clock.Add(7*24*time.Hour - time.Second)
		pre := w.request("GET", "/v1/network/activate/"+expiring, w.pk, nil)
		if pre.status != 200 {
			t.Errorf("one second before expiry: %d %s", pre.status, pre.body)
		}
		w.clock.Add(time.Second)

		cases := []struct {
			name, token string
			status      int
			reason      string
		}{
			{"unknown", unknown, 404, "invalid_token"},
			{"malformed", "not-a-token", 404, "invalid_token"},
			{"expired", expiring, 410, "token_expired"},
			{"revoked", revoked, 410, "invitation_revoked"},
			{"used", used, 409, "already_accepted"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("GET", "/v1/network/activate/"+c.token, w.pk, nil), c.status, c.reason, "", "")
				r := w.request("POST", "/v1/network/activate/"+c.token, w.pk, nil)
				w.expectError(r, c.status, c.reason, "", "")
				if strings.Contains(string(r.body), c.token) {
					t.Errorf("error body echoes the token: %s", r.body)
				}
			})
		}
		w.env.t = t
		if after := w.accountsTotal(); after != accounts {
			t.Errorf("rejected activations created accounts: %d→%d", accounts, after)
		}
	})
}

// TestActivateRejectsFields checks the optional activation body.
func TestActivateRejectsFields(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("fields@example.com", nil)
		accounts := w.accountsTotal()

		cases := []struct {
			name  string
			body  any
			field string
			msg   string
		}{
			{"short password", map[string]any{"password": "short"}, "password", "Use at least 8 characters."},
			{"password equals username", map[string]any{"username": "fields-user", "password": "Fields-User"}, "password", "The password cannot be the same as the username or email."},
			{"taken username", map[string]any{"username": "ADA"}, "username", "This username is taken. Choose another one."},
			{"username with space", map[string]any{"username": "a b c"}, "username", "Use no spaces or control characters."},
			{"unknown field", map[string]any{"role": "owner"}, "role", "This field is not accepted here."},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				r := w.request("POST", "/v1/network/activate/"+token, w.pk, c.body)
				if r.status != 400 {
					t.Fatalf("status %d: %s", r.status, r.body)
				}
				fields, _ := r.errorObject(t)["fields"].(map[string]any)
				if fields[c.field] != c.msg {
					t.Errorf("fields = %v, want %s: %q", fields, c.field, c.msg)
				}
			})
		}
		w.env.t = t
		if after := w.accountsTotal(); after != accounts {
			t.Errorf("rejected activations created accounts: %d→%d", accounts, after)
		}
		w.must(200, "GET", "/v1/network/activate/"+token, w.pk, nil)
	})
}

// TestAuthRejects covers credentials: missing, malformed, revoked keys and
// a publishable key on an endpoint that needs a session.
func TestAuthRejects(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))

	w.expectError(w.request("GET", "/v1/account", "", nil), 401, "missing_credentials", "", "")
	w.expectError(w.request("GET", "/v1/account", "pk_garbage", nil), 401, "invalid_credentials", "", "")
	w.expectError(w.request("GET", "/v1/account", w.pk, nil), 401, "session_required", "", "")
	w.expectError(w.request("POST", "/v1/network/initiate", w.sk, map[string]any{"domain_id": w.distributor, "email": "a@example.com"}), 401, "session_required", "", "")
	w.expectError(w.request("POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "wrong-password"}), 401, "invalid_credentials", "", "")
	w.expectError(w.request("POST", "/v1/auth/login", w.pk, map[string]any{"username": "nobody", "password": "wrong-password"}), 401, "invalid_credentials", "", "")
	w.expectError(w.request("GET", "/admin/v1/apps", w.sk, nil), 401, "invalid_credentials", "", "")

	keys := w.must(200, "GET", "/admin/v1/apps/"+w.appID+"/keys", adminToken, nil)["list"].([]any)
	for _, k := range keys {
		key := k.(map[string]any)
		if key["kind"] == "publishable" {
			w.must(200, "DELETE", "/admin/v1/apps/"+w.appID+"/keys/"+key["id"].(string), adminToken, nil)
		}
	}
	w.expectError(w.request("GET", "/v1/auth/session", w.pk, nil), 401, "invalid_credentials", "", "")

	w.clock.Add(8 * 24 * time.Hour)
	w.expectError(w.request("GET", "/v1/account", w.parentToken, nil), 401, "session_expired", "", "")
}

// TestCORS checks that only the app's listed origin gets a CORS grant.
func TestCORS(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))

	r := w.request("GET", "/v1/static/countries/enumerated", w.pk, nil, "Origin", "https://app.example.com")
	if r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("listed origin not granted: %v", r.header)
	}
	r = w.request("GET", "/v1/static/countries/enumerated", w.pk, nil, "Origin", "https://evil.example")
	if r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin granted: %v", r.header)
	}
}
