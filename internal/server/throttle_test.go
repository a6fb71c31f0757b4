package server_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/testdb"
)

// loginAs sends a log-in request, optionally with an X-Forwarded-For
// header.
func (w *world) loginAs(username, pw, forwardedFor string) *response {
	w.t.Helper()
	body := map[string]any{"username": username, "password": pw}
	if forwardedFor == "" {
		return w.request("POST", "/v1/auth/login", w.pk, body)
	}
	return w.request("POST", "/v1/auth/login", w.pk, body, "X-Forwarded-For", forwardedFor)
}

// TestLoginSameAnswer checks that a wrong password, an unknown user and a
// user without a password get the same status, body and headers.
func TestLoginSameAnswer(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, token := w.invite("nopassword@example.com", nil)
		w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"username": "nopassword"})

		wrong := w.loginAs("ada", "wrong-password", "")
		w.expectError(wrong, 401, "invalid_credentials", "", "")
		sameResponse(t, "wrong password and unknown user", wrong, w.loginAs("nobody", "wrong-password", ""))
		sameResponse(t, "wrong password and unknown email", wrong, w.loginAs("nobody@acme.example", "wrong-password", ""))
		sameResponse(t, "wrong password and user without password", wrong, w.loginAs("nopassword", "wrong-password", ""))
		sameResponse(t, "empty password of a user and of nobody", w.loginAs("ada", "", ""), w.loginAs("nobody", "", ""))
	})
}

// TestLoginSameTime checks that a log-in for an unknown user costs about
// as much as a wrong password, with argon2id costs other than the
// package default: the dummy hash must use the service's parameters.
func TestLoginSameTime(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		costly := password.Params{Memory: 8 * 1024, Time: 1, Threads: 1}
		w := newWorld(t, url, func(c *server.Config) { c.Password = costly })
		w.loginAs("warm-up", "wrong-password", "") // builds the dummy hash once

		const rounds = 7
		var wrong, unknown []time.Duration
		for i := range rounds {
			start := time.Now()
			w.expectError(w.loginAs("ada", "wrong-password", ""), 401, "invalid_credentials", "", "")
			wrong = append(wrong, time.Since(start))

			start = time.Now()
			w.expectError(w.loginAs(fmt.Sprintf("ghost%d", i), "wrong-password", ""), 401, "invalid_credentials", "", "")
			unknown = append(unknown, time.Since(start))
		}
		slices.Sort(wrong)
		slices.Sort(unknown)
		mw, mu := wrong[rounds/2], unknown[rounds/2]
		t.Logf("median wrong password %v, unknown user %v", mw, mu)
		// The bound is loose because the machine may be shared. A dummy
		// hash with the package default costs (19 MiB and 2 passes, about
		// five times these) falls far outside it.
		if mu < mw/2 || mu > mw*2 {
			t.Errorf("median unknown user %v is not within a factor of 2 of wrong password %v", mu, mw)
		}
	})
}

// TestLoginThrottlePerUser checks that the eleventh attempt for a
// username in 15 minutes gets 429 with Retry-After, even with the right
// password, that failed attempts count, and that an unknown username is
// limited the same way.
func TestLoginThrottlePerUser(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.clock.Add(15*time.Minute + 100*time.Second) // 12:16:40; the window ends at 12:30

		for i := range 10 {
			w.expectError(w.loginAs("ADA", "wrong-password", ""), 401, "invalid_credentials", "", "")
			w.expectError(w.loginAs("ghost", "wrong-password", ""), 401, "invalid_credentials", "", "")
			if i == 4 {
				w.clock.Add(5 * time.Minute)
			}
		}
		limited := w.loginAs("ada", "ada-password-1", "")
		w.expectError(limited, 429, "rate_limited", "", "")
		if got := limited.header.Get("Retry-After"); got != "500" {
			t.Errorf("Retry-After = %q, want 500", got)
		}
		sameResponse(t, "limited known and unknown user", limited, w.loginAs("ghost", "wrong-password", ""))
		w.expectError(w.loginAs(" ada ", "ada-password-1", ""), 429, "rate_limited", "", "")

		// Another username is not limited, and the window's end frees ada.
		w.expectError(w.loginAs("someone", "wrong-password", ""), 401, "invalid_credentials", "", "")
		w.clock.Add(500 * time.Second)
		w.login("ada", "ada-password-1")
	})
}

// TestLoginThrottlePerAddress checks the limit of 100 attempts per client
// address in 15 minutes, across usernames, and that X-Forwarded-For is
// ignored without a trusted proxy.
func TestLoginThrottlePerAddress(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.clock.Add(15 * time.Minute)
		for i := range 100 {
			w.expectError(w.loginAs(fmt.Sprintf("user%d", i), "wrong-password", fmt.Sprintf("198.51.100.%d", i)), 401, "invalid_credentials", "", "")
		}
		r := w.loginAs("ada", "ada-password-1", "203.0.113.9")
		w.expectError(r, 429, "rate_limited", "", "")
		if got := r.header.Get("Retry-After"); got != "900" {
			t.Errorf("Retry-After = %q, want 900", got)
		}
	})
}

// TestLoginThrottleTrustedProxy checks that with a trusted proxy the
// client address comes from X-Forwarded-For, and that IPv6 clients count
// per /64.
func TestLoginThrottleTrustedProxy(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url, func(c *server.Config) {
			c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}
		})
		w.clock.Add(15 * time.Minute)

		// 150 attempts from distinct clients behind the proxy pass.
		for i := range 150 {
			client := fmt.Sprintf("198.51.%d.%d", 100+i/100, i%100)
			w.expectError(w.loginAs(fmt.Sprintf("user%d", i), "wrong-password", "203.0.113.250, "+client+", 10.1.2.3"), 401, "invalid_credentials", "", "")
		}

		// One /64 shares a budget, whatever the interface bits.
		for i := range 100 {
			w.expectError(w.loginAs(fmt.Sprintf("v6user%d", i), "wrong-password", fmt.Sprintf("2001:db8:1:2::%x", i+1)), 401, "invalid_credentials", "", "")
		}
		w.expectError(w.loginAs("ada", "ada-password-1", "2001:db8:1:2:ffff::1"), 429, "rate_limited", "", "")
		w.login("ada", "ada-password-1") // the proxy's own address is another client
		r := w.loginAs("ada", "ada-password-1", "2001:db8:1:3::1")
		if r.status != 200 {
			t.Errorf("another /64: %d %s", r.status, r.body)
		}
	})
}
