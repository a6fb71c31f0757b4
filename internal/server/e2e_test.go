package server_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/testdb"
)

// TestNetworkFlow walks the whole flow over HTTP: invite, read the mail,
// pre-flight, activate, set the password from the log-in mail, log in as
// the child user and see the parent on the new account.
func TestNetworkFlow(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)

		list := w.request("GET", "/v1/network/domains/enumerated?id=value&title=label", w.parentToken, nil)
		if list.status != 200 || !strings.Contains(string(list.body), `"value":"`+w.distributor+`"`) || strings.Contains(string(list.body), w.retail) {
			t.Fatalf("child domains: %d %s; want Distributor and Agent only, renamed", list.status, list.body)
		}

		inv, token := w.invite("Buyer@Example.com", map[string]any{"fee_proposed": 12.5, "title": "Buyer Co"})
		if inv["status"] != "pending" || inv["fee_proposed"] != 12.5 || inv["country_id"] != "DE" || inv["sent_count"] != 1.0 {
			t.Errorf("invitation = %v", inv)
		}
		if strings.Contains(string(w.request("GET", "/admin/v1/apps/"+w.appID+"/mails", adminToken, nil).body), "token_hash") {
			t.Errorf("mail list exposes a token hash")
		}

		mail := w.lastMail("invitation", "Buyer@Example.com")
		html := mail["html"].(string)
		if !strings.Contains(html, "Ada &lt;b&gt;Lovelace&lt;/b&gt;") || strings.Contains(html, "<b>Lovelace") {
			t.Errorf("user-typed name not escaped in HTML mail:\n%s", html)
		}
		if !strings.Contains(mail["text"].(string), "12.5%") || !strings.Contains(mail["text"].(string), time.Unix(int64(inv["expires"].(float64)), 0).UTC().Format("15:04")) {
			t.Errorf("invitation text lacks the fee or the expiry time:\n%s", mail["text"])
		}

		pre := w.request("GET", "/v1/network/activate/"+token, w.pk, nil)
		if pre.status != 200 || pre.header.Get("Cache-Control") != "no-store" || pre.header.Get("Referrer-Policy") != "no-referrer" {
			t.Fatalf("pre-flight: %d %v %s", pre.status, pre.header, pre.body)
		}
		p := pre.json(t)
		if p["parent_account_title"] != "Acme & Sons" || p["domain_title"] != "Distributor" || p["email"] != "Buyer@Example.com" || p["invitation_id"] != inv["id"] {
			t.Errorf("pre-flight = %v", p)
		}

		child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)
		if child["parent_account_id"] != w.parentID || child["title"] != "Buyer Co" || child["domain_id"] != w.distributor {
			t.Errorf("child account = %v", child)
		}
		w.expectError(w.request("GET", "/v1/network/activate/"+token, w.pk, nil), 409, "already_accepted", "", "")

		login := w.lastMail("login_instructions", "Buyer@Example.com")
		if !strings.Contains(login["text"].(string), "https://app.example.com/login") || !strings.Contains(login["text"].(string), "Buyer@Example.com") {
			t.Errorf("log-in mail lacks the login URL or the username:\n%s", login["text"])
		}
		pwToken := linkToken(t, login["text"].(string), "https://app.example.com/password/")
		check := w.must(200, "GET", "/v1/auth/reset-password/"+pwToken, w.pk, nil)
		if check["username"] != "Buyer@Example.com" {
			t.Errorf("password pre-flight = %v", check)
		}
		w.must(200, "POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": pwToken, "password": "buyer-secret-9", "confirm": "buyer-secret-9"})
		w.expectError(w.request("POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": pwToken, "password": "other-secret-9", "confirm": "other-secret-9"}), 410, "token_used", "", "")

		childToken := w.login("buyer@example.com", "buyer-secret-9")
		account := w.must(200, "GET", "/v1/account", childToken, nil)
		if account["id"] != child["id"] || account["parent_account_id"] != w.parentID {
			t.Errorf("child's account = %v", account)
		}
		parent := w.must(200, "GET", "/v1/account", w.parentToken, nil)
		if parent["stats"].(map[string]any)["children_count"] != 1.0 {
			t.Errorf("parent stats = %v", parent["stats"])
		}

		w.must(200, "POST", "/v1/auth/logout", childToken, nil)
		w.expectError(w.request("GET", "/v1/account", childToken, nil), 401, "session_revoked", "", "")
	})
}

// TestActivateExistingUser checks that an invitation to the email of an
// existing user adds a membership instead of a second user, and that the
// user then chooses an account at log-in.
func TestActivateExistingUser(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)

		_, token := w.invite("ADA@acme.example", nil)
		child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"account_title": "Ada's Distribution", "password": "ignored-password"})

		mail := w.lastMail("login_instructions", "ada@acme.example")
		if strings.Contains(mail["text"].(string), "/password/") {
			t.Errorf("existing user with a password got a set-password link:\n%s", mail["text"])
		}

		s := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "ada-password-1"})
		if s["auth"] != false || s["select_account"] == nil {
			t.Fatalf("login of a two-account user = %v; want select_account", s)
		}
		accounts := s["select_account"].(map[string]any)["accounts"].(map[string]any)
		if len(accounts) != 2 || accounts[child["id"].(string)] != "Ada's Distribution" {
			t.Errorf("select_account accounts = %v", accounts)
		}

		if accounts[w.parentID] != "Acme & Sons" || s["select_account"].(map[string]any)["last_login"] != w.parentID {
			t.Errorf("select_account = %v; want the parent as last log-in", s["select_account"])
		}
		if s["account"] != nil || s["access"] != nil || s["user"].(map[string]any)["username"] != "ada" {
			t.Errorf("pending session = %v", s)
		}

		pending := s["token"].(string)
		w.expectError(w.request("POST", "/v1/auth/login-account", pending, map[string]any{"account_id": "acc_notmine"}), 404, "not_found", "", "")
		chosen := w.must(200, "POST", "/v1/auth/login-account", pending, map[string]any{"account_id": child["id"]})
		if chosen["auth"] != true || chosen["account"].(map[string]any)["id"] != child["id"] {
			t.Errorf("login-account = %v", chosen)
		}
		account := chosen["account"].(map[string]any)
		if account["parent_account_id"] != w.parentID || account["stats"].(map[string]any)["user_count"] != 1.0 || chosen["role"] != "owner" ||
			chosen["access"].(map[string]any)["account-networks"] != "crud" {
			t.Errorf("chosen session = %v", chosen)
		}

		// No second user was created: the parent still counts one user,
		// and the ignored password does not log in.
		if stats := w.account(w.parentToken)["stats"].(map[string]any); stats["user_count"] != 1.0 {
			t.Errorf("parent stats = %v", stats)
		}
		w.expectError(w.request("POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "ignored-password"}), 401, "invalid_credentials", "", "")
	})
}

// TestMultiAccountAfterSecondActivation follows a new user through two
// activations by different parents: the second adds a membership, log-in
// then offers both accounts, and the user works in each, switches between
// them and logs out.
func TestMultiAccountAfterSecondActivation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)

		_, token := w.invite("buyer@example.com", map[string]any{"title": "Buyer One"})
		first := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"name": "Bea", "password": "buyer-secret-9"})["id"].(string)
		single := w.login("buyer@example.com", "buyer-secret-9")
		if a := w.account(single); a["id"] != first {
			t.Fatalf("single-account log-in went to %v", a["id"])
		}

		w.clock.Add(time.Hour)
		betaID, betaToken := w.newParent("Beta Works", "bert")
		w.must(201, "POST", "/v1/network/initiate", betaToken, map[string]any{"domain_id": w.distributor, "email": "BUYER@example.com", "title": "Buyer Two"})
		second := linkToken(t, w.lastMail("invitation", "BUYER@example.com")["text"].(string), "https://app.example.com/activate")
		secondAccount := w.must(201, "POST", "/v1/network/activate/"+second, w.pk, map[string]any{"username": "buyer2", "password": "other-secret-9"})
		if secondAccount["parent_account_id"] != betaID || secondAccount["stats"].(map[string]any)["user_count"] != 1.0 {
			t.Errorf("second account = %v", secondAccount)
		}
		secondID := secondAccount["id"].(string)
		if mail := w.lastMail("login_instructions", "buyer@example.com"); strings.Contains(mail["text"].(string), "/password/") ||
			!strings.Contains(mail["text"].(string), "Your username: buyer@example.com") {
			t.Errorf("second log-in mail:\n%s", mail["text"])
		}
		w.expectError(w.request("POST", "/v1/auth/login", w.pk, map[string]any{"username": "buyer2", "password": "other-secret-9"}), 401, "invalid_credentials", "", "")

		// The existing password now offers both accounts, the first as the
		// last one used; the single-account session stays valid.
		w.account(single)
		choice := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "Buyer@Example.com", "password": "buyer-secret-9"})
		sel := choice["select_account"].(map[string]any)
		accounts := sel["accounts"].(map[string]any)
		if choice["auth"] != false || len(accounts) != 2 || accounts[first] != "Buyer One" || accounts[secondID] != "Buyer Two" || sel["last_login"] != first {
			t.Fatalf("log-in = %v", choice)
		}

		inSecond := w.must(200, "POST", "/v1/auth/login-account", choice["token"].(string), map[string]any{"account_id": secondID})
		token2 := inSecond["token"].(string)
		if inSecond["account"].(map[string]any)["parent_account_id"] != betaID || inSecond["user"].(map[string]any)["name"] != "Bea" {
			t.Errorf("second account session = %v", inSecond)
		}
		if c := w.must(200, "GET", "/v1/static/country", token2, nil); c["id"] != "FR" {
			t.Errorf("second account's country = %v, want FR, the country of its parent Beta", c)
		}
		updated := w.must(200, "POST", "/v1/account", token2, map[string]any{"title": "Buyer Two GmbH", "timezone_id": "Europe/Berlin"})
		if updated["version_id"] != 2.0 || updated["title"] != "Buyer Two GmbH" {
			t.Errorf("update in the second account = %v", updated)
		}
		if a := w.account(single); a["title"] != "Buyer One" || a["version_id"] != 1.0 {
			t.Errorf("the first account changed: %v", a)
		}

		inFirst := w.must(200, "POST", "/v1/auth/login-account", token2, map[string]any{"account_id": first})
		w.expectError(w.request("GET", "/v1/account", token2, nil), 401, "session_revoked", "", "")
		if a := w.account(inFirst["token"].(string)); a["id"] != first {
			t.Errorf("after the switch the account is %v", a["id"])
		}
		w.must(200, "POST", "/v1/auth/logout", inFirst["token"].(string), nil)
		w.expectError(w.request("GET", "/v1/account", inFirst["token"].(string), nil), 401, "session_revoked", "", "")

		w.clock.Add(time.Minute)
		w.must(200, "POST", "/v1/auth/login-account",
			w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "buyer@example.com", "password": "buyer-secret-9"})["token"].(string),
			map[string]any{"account_id": secondID})
		again := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "buyer@example.com", "password": "buyer-secret-9"})
		if again["select_account"].(map[string]any)["last_login"] != secondID {
			t.Errorf("last_login = %v, want the account chosen last", again["select_account"])
		}
	})
}

// TestConcurrentActivations races ten activations of one token: exactly
// one creates an account and the rest get 409.
func TestConcurrentActivations(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("race@example.com", nil)
		before := w.accountsTotal()

		var wg sync.WaitGroup
		statuses := make([]int, 10)
		reasons := make([]string, 10)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := w.request("POST", "/v1/network/activate/"+token, w.pk, nil)
				statuses[i] = r.status
				if r.status != 201 {
					reasons[i], _ = r.errorObject(t)["reason"].(string)
				}
			}()
		}
		wg.Wait()

		created := 0
		for i, s := range statuses {
			switch {
			case s == 201:
				created++
			case s != 409 || reasons[i] != "already_accepted":
				t.Errorf("activation %d: status %d reason %q, want 201 or 409 already_accepted", i, s, reasons[i])
			}
		}
		if created != 1 {
			t.Errorf("%d activations succeeded, want 1", created)
		}
		if after := w.accountsTotal(); after != before+1 {
			t.Errorf("accounts went from %d to %d, want one more", before, after)
		}
	})
}
