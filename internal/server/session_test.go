package server_test

import (
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestSessionObject checks every part of a logged-in session object, from
// log-in and from GET /v1/auth/session.
func TestSessionObject(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("kid@example.com", nil)
		w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)

		login := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "ada-password-1"})
		current := w.must(200, "GET", "/v1/auth/session", login["token"].(string), nil)
		for name, s := range map[string]map[string]any{"login": login, "session": current} {
			if s["auth"] != true || s["role"] != "owner" || s["token"] != login["token"] {
				t.Errorf("%s: auth %v role %v token %v", name, s["auth"], s["role"], s["token"])
			}
			app := s["app"].(map[string]any)
			if app["id"] != w.appID || app["reset_url"] != "https://app.example.com/password/{token}" {
				t.Errorf("%s: app = %v", name, app)
			}
			account := s["account"].(map[string]any)
			stats := account["stats"].(map[string]any)
			if account["id"] != w.parentID || account["parent_account_id"] != nil || stats["user_count"] != 1.0 || stats["children_count"] != 1.0 {
				t.Errorf("%s: account = %v", name, account)
			}
			if user := s["user"].(map[string]any); user["username"] != "ada" || user["email"] != "ada@acme.example" {
				t.Errorf("%s: user = %v", name, user)
			}
			access := s["access"].(map[string]any)
			if access["account-networks"] != "crud" || access["account-network-invitations"] != "crud" {
				t.Errorf("%s: access = %v", name, access)
			}
			if _, ok := s["select_account"]; ok {
				t.Errorf("%s: select_account for a one-account user", name)
			}
		}

		anonymous := w.must(200, "GET", "/v1/auth/session", w.pk, nil)
		if anonymous["auth"] != false || anonymous["account"] != nil || anonymous["user"] != nil || anonymous["access"] != nil || anonymous["role"] != nil {
			t.Errorf("anonymous session = %v", anonymous)
		}
	})
}

// TestLogout checks that log-out ends the token at once, that a reused
// token gets session_revoked everywhere, and that the fresh anonymous
// session works.
func TestLogout(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		token := w.login("ada", "ada-password-1")

		out := w.request("POST", "/v1/auth/logout", token, nil)
		if out.status != 200 || out.header.Get("Cache-Control") != "no-store" {
			t.Fatalf("logout: %d %v %s", out.status, out.header, out.body)
		}
		fresh := out.json(t)
		if fresh["auth"] != false || fresh["user"] != nil || fresh["token"] == token || fresh["token"] == "" {
			t.Errorf("logout answer = %v", fresh)
		}
		if stored := w.storedSession(token); stored.Revoked != w.clock.Now().Unix() {
			t.Errorf("revoked = %d, want %d", stored.Revoked, w.clock.Now().Unix())
		}

		for _, r := range []struct{ method, path string }{
			{"GET", "/v1/account"}, {"GET", "/v1/auth/session"}, {"POST", "/v1/auth/logout"}, {"GET", "/v1/network/domains/enumerated"},
		} {
			w.expectError(w.request(r.method, r.path, token, nil), 401, "session_revoked", "", "")
		}
		w.expectError(w.request("POST", "/v1/network/initiate", token, map[string]any{"domain_id": w.distributor, "email": "x@example.com"}),
			401, "session_revoked", "", "")
		w.expectError(w.request("POST", "/v1/auth/login-account", token, map[string]any{"account_id": w.parentID}), 401, "session_revoked", "", "")

		again := w.must(200, "GET", "/v1/auth/session", fresh["token"].(string), nil)
		if again["auth"] != false {
			t.Errorf("fresh session = %v", again)
		}
		w.expectError(w.request("GET", "/v1/account", fresh["token"].(string), nil), 401, "login_required", "", "")
		w.expectError(w.request("POST", "/v1/auth/logout", w.pk, nil), 401, "session_required", "", "")
	})
}

// TestLoginRevokesOldSession checks that the token used to log in stops
// working, so that a token seen before log-in is worthless after it.
func TestLoginRevokesOldSession(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		anonymous := w.must(200, "GET", "/v1/auth/session", w.pk, nil)["token"].(string)
		logged := w.must(200, "POST", "/v1/auth/login", anonymous, map[string]any{"username": "ada", "password": "ada-password-1"})
		if logged["token"] == anonymous {
			t.Fatal("log-in kept the anonymous token")
		}
		w.expectError(w.request("GET", "/v1/auth/session", anonymous, nil), 401, "session_revoked", "", "")
		w.must(200, "GET", "/v1/account", logged["token"].(string), nil)
	})
}

// TestSessionIdleTimeout checks the default idle timeout (24 hours) and
// lifetime (7 days), and that last_seen is written at most once a minute.
func TestSessionIdleTimeout(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		token := w.login("ada", "ada-password-1")
		loggedIn := w.clock.Now().Unix()

		w.clock.Add(59 * time.Second)
		w.account(token)
		if seen := w.storedSession(token).LastSeen; seen != loggedIn {
			t.Errorf("after 59 s: last_seen = %d, want %d (no write within a minute)", seen, loggedIn)
		}
		w.clock.Add(time.Second)
		w.account(token)
		if seen := w.storedSession(token).LastSeen; seen != loggedIn+60 {
			t.Errorf("after 60 s: last_seen = %d, want %d", seen, loggedIn+60)
		}
		w.clock.Add(30 * time.Second)
		w.account(token)
		if seen := w.storedSession(token).LastSeen; seen != loggedIn+60 {
			t.Errorf("after 90 s: last_seen = %d, want %d", seen, loggedIn+60)
		}

		// Idle for one second less than 24 hours since the last write:
		// still working.
		w.clock.Add(24*time.Hour - 31*time.Second)
		w.account(token)

		w.clock.Add(24 * time.Hour)
		w.expectError(w.request("GET", "/v1/account", token, nil), 401, "session_expired", "", "")

		// Used twice a day, a session still ends after its 7-day lifetime.
		token = w.login("ada", "ada-password-1")
		for range 13 {
			w.clock.Add(12 * time.Hour)
			w.account(token)
		}
		w.clock.Add(12*time.Hour - time.Second)
		w.account(token)
		w.clock.Add(time.Second)
		w.expectError(w.request("GET", "/v1/account", token, nil), 401, "session_expired", "", "")
	})
}

// TestSessionSettings checks that the lifetime and idle timeout given to
// the server apply, and that last_seen is written at most every half idle
// timeout when that is under a minute.
func TestSessionSettings(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url, func(c *server.Config) {
			c.SessionTTL = time.Hour
			c.SessionIdleTimeout = 10 * time.Minute
		})
		token := w.login("ada", "ada-password-1")
		if s := w.must(200, "GET", "/v1/auth/session", token, nil); s["expires"] != float64(w.clock.Now().Add(time.Hour).Unix()) {
			t.Errorf("expires = %v, want one hour from now", s["expires"])
		}

		w.clock.Add(10*time.Minute - time.Second)
		w.account(token)
		w.clock.Add(10*time.Minute - time.Second)
		w.account(token)
		w.clock.Add(10 * time.Minute)
		w.expectError(w.request("GET", "/v1/account", token, nil), 401, "session_expired", "", "")

		token = w.login("ada", "ada-password-1")
		for range 6 {
			w.clock.Add(9 * time.Minute)
			w.account(token)
		}
		w.clock.Add(6 * time.Minute)
		w.expectError(w.request("GET", "/v1/account", token, nil), 401, "session_expired", "", "")

		short := newWorld(t, url, func(c *server.Config) { c.SessionIdleTimeout = 40 * time.Second })
		token = short.login("ada", "ada-password-1")
		start := short.clock.Now().Unix()
		short.clock.Add(20 * time.Second)
		short.account(token)
		if seen := short.storedSession(token).LastSeen; seen != start+20 {
			t.Errorf("idle timeout 40 s: last_seen = %d, want %d (written every 20 s)", seen, start+20)
		}
		short.clock.Add(39 * time.Second)
		short.account(token)
		short.clock.Add(40 * time.Second)
		short.expectError(short.request("GET", "/v1/account", token, nil), 401, "session_expired", "", "")
	})
}

// TestLoginAccountRules covers the choice of account: credentials, an
// empty or foreign account id, and a switch from a logged-in session.
func TestLoginAccountRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("ada@acme.example", nil)
		child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"account_title": "Ada Two"})["id"].(string)
		otherParent, _ := w.newParent("Other Maker", "olga")

		pending := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "ada-password-1"})["token"].(string)
		again := w.must(200, "GET", "/v1/auth/session", pending, nil)
		sel, _ := again["select_account"].(map[string]any)
		if again["auth"] != false || sel == nil || len(sel["accounts"].(map[string]any)) != 2 {
			t.Errorf("pending session = %v; want select_account with two accounts", again)
		}
		w.expectError(w.request("GET", "/v1/account", pending, nil), 401, "login_required", "", "")
		w.expectError(w.request("POST", "/v1/network/initiate", pending, map[string]any{"domain_id": w.distributor, "email": "x@example.com"}), 401, "login_required", "", "")

		anonymous := w.must(200, "GET", "/v1/auth/session", w.pk, nil)["token"].(string)
		w.expectError(w.request("POST", "/v1/auth/login-account", w.pk, map[string]any{"account_id": child}), 401, "session_required", "", "")
		w.expectError(w.request("POST", "/v1/auth/login-account", anonymous, map[string]any{"account_id": child}), 401, "login_required", "", "")
		w.expectError(w.request("POST", "/v1/auth/login-account", pending, map[string]any{}), 400, "invalid_fields", "account_id", "Choose one of your accounts.")
		w.expectError(w.request("POST", "/v1/auth/login-account", pending, map[string]any{"account_id": otherParent}), 404, "not_found", "", "")
		w.expectError(w.request("POST", "/v1/auth/login-account", pending, map[string]any{"account_id": 5}), 400, "invalid_fields", "account_id", "Enter text.")
		w.expectError(w.request("POST", "/v1/auth/login-account", pending, map[string]any{"account_id": child, "role": "owner"}), 400, "unknown_fields", "role", "This field is not accepted here.")

		chosen := w.must(200, "POST", "/v1/auth/login-account", pending, map[string]any{"account_id": child})
		w.expectError(w.request("GET", "/v1/auth/session", pending, nil), 401, "session_revoked", "", "")
		moved := w.must(200, "POST", "/v1/auth/login-account", chosen["token"].(string), map[string]any{"account_id": w.parentID})
		if moved["auth"] != true || moved["account"].(map[string]any)["id"] != w.parentID {
			t.Errorf("switch to the parent = %v", moved)
		}
		w.expectError(w.request("GET", "/v1/account", chosen["token"].(string), nil), 401, "session_revoked", "", "")
	})
}

// TestLoginAccountOnce races the choice of an account with one pending
// token: exactly one request gets a logged-in session, and the others get
// 401 session_revoked.
func TestLoginAccountOnce(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("ada@acme.example", nil)
		child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)["id"].(string)
		pending := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "ada", "password": "ada-password-1"})["token"].(string)

		const n = 6
		var wg sync.WaitGroup
		results := make([]*response, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = w.request("POST", "/v1/auth/login-account", pending, map[string]any{"account_id": child})
			}()
		}
		wg.Wait()

		chosen := 0
		for i, r := range results {
			switch {
			case r.status == 200:
				chosen++
			case r.status != 401 || r.errorObject(t)["reason"] != "session_revoked":
				t.Errorf("request %d: %d %s", i, r.status, r.body)
			}
		}
		if chosen != 1 {
			t.Errorf("%d requests got a session, want 1", chosen)
		}
	})
}
