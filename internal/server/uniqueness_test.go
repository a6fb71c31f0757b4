package server_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/testdb"
)

const loginTaken = "A user of this app already has this username or email."

// createTopAccount sends an admin request for a top-level account with a
// first user.
func (w *world) createTopAccount(title, username, email string) *response {
	return w.request("POST", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, map[string]any{
		"title": title, "domain_id": w.manufacturer, "country_id": "DE",
		"user": map[string]any{"username": username, "email": email, "password": "unique-password-1"},
	})
}

// TestUsersUniquePerApp checks that usernames and emails are unique per
// app in any letter case, that a username may not equal another user's
// email, and that another app may reuse both.
func TestUsersUniquePerApp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		cases := []struct {
			name, username, email, field string
		}{
			{"username in other case", "ADA", "new1@example.com", "user.username"},
			{"email in other case", "newuser1", "Ada@ACME.example", "user.email"},
			{"username equal to an email", "ADA@acme.example", "new2@example.com", "user.username"},
			{"email equal to a username", "newuser2", "ada", "user.email"},
		}
		accounts := w.accountsTotal()
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				r := w.createTopAccount("Dup", c.username, c.email)
				if c.field == "user.email" && c.email == "ada" {
					w.expectError(r, 400, "invalid_fields", "user.email", "Enter a valid email address, such as name@example.com.")
					return
				}
				w.expectError(r, 400, "invalid_fields", c.field, loginTaken)
			})
		}
		w.env.t = t
		if after := w.accountsTotal(); after != accounts {
			t.Errorf("rejected creations made accounts: %d→%d", accounts, after)
		}

		// Activation: a chosen username in another case is taken.
		_, token := w.invite("fresh@example.com", nil)
		w.expectError(w.request("POST", "/v1/network/activate/"+token, w.pk, map[string]any{"username": "Ada"}), 400, "invalid_fields", "username", "This username is taken. Choose another one.")
		w.expectError(w.request("POST", "/v1/network/activate/"+token, w.pk, map[string]any{"username": "ADA@ACME.EXAMPLE"}), 400, "invalid_fields", "username", "This username is taken. Choose another one.")

		// Another app has its own users: its world creates "ada" with
		// ada@acme.example again, and both log in with their own password.
		other := newWorld(t, url)
		if other.parentID == w.parentID {
			t.Error("the second app reused the first app's account")
		}
		if s := other.must(200, "POST", "/v1/auth/login", other.pk, map[string]any{"username": "ADA@acme.example", "password": "ada-password-1"}); s["app"].(map[string]any)["id"] != other.appID {
			t.Errorf("log-in in the second app = %v", s)
		}
	})
}

// TestConcurrentUserCreation races admin requests that create users with
// the same username, the same email, or a username equal to another
// request's email, in different letter cases. Exactly one of each group
// succeeds, and the rest get a 400 naming the field.
func TestConcurrentUserCreation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		const n = 8
		groups := []struct {
			name string
			user func(i int) (username, email string)
		}{
			{"same username", func(i int) (string, string) {
				return []string{"racer", "RACER", "Racer", "rAcEr"}[i%4], fmt.Sprintf("racer%d@example.com", i)
			}},
			{"same email", func(i int) (string, string) {
				return fmt.Sprintf("mailer%d", i), []string{"mail@race.example", "MAIL@race.example", "Mail@Race.Example", "mail@RACE.example"}[i%4]
			}},
			{"username against email", func(i int) (string, string) {
				if i%2 == 0 {
					return "cross@race.example", fmt.Sprintf("cross%d@example.com", i)
				}
				return fmt.Sprintf("crosser%d", i), "CROSS@race.example"
			}},
		}
		for _, g := range groups {
			t.Run(g.name, func(t *testing.T) {
				accounts := w.accountsTotal()
				var wg sync.WaitGroup
				results := make([]*response, n)
				for i := range n {
					wg.Add(1)
					go func() {
						defer wg.Done()
						username, email := g.user(i)
						results[i] = w.createTopAccount(fmt.Sprintf("Race %d", i), username, email)
					}()
				}
				wg.Wait()

				created := 0
				for i, r := range results {
					switch r.status {
					case 201:
						created++
					case 400:
						fields, _ := r.errorObject(t)["fields"].(map[string]any)
						if fields["user.username"] != loginTaken && fields["user.email"] != loginTaken {
							t.Errorf("request %d: %s", i, r.body)
						}
					default:
						t.Errorf("request %d: status %d: %s", i, r.status, r.body)
					}
				}
				if created != 1 {
					t.Errorf("%d requests created a user, want 1", created)
				}
				if after := w.accountsTotal(); after != accounts+1 {
					t.Errorf("accounts went from %d to %d, want one more", accounts, after)
				}
			})
		}
	})
}

// TestConcurrentActivationsSameEmail races the activations of two
// invitations from different parents to one new address: both accounts
// are created, with one user who belongs to both.
func TestConcurrentActivationsSameEmail(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		_, first := w.invite("twice@example.com", nil)
		_, otherToken := w.newParent("Other Maker", "olga")
		w.clock.Add(time.Second) // so that the second invitation mail sorts first
		w.must(201, "POST", "/v1/network/initiate", otherToken, map[string]any{"domain_id": w.distributor, "email": "TWICE@example.com"})
		second := linkToken(t, w.lastMail("invitation", "TWICE@example.com")["text"].(string), "https://app.example.com/activate")

		var wg sync.WaitGroup
		results := make([]*response, 2)
		for i, token := range []string{first, second} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = w.request("POST", "/v1/network/activate/"+token, w.pk, map[string]any{"password": "twice-secret-1"})
			}()
		}
		wg.Wait()
		for i, r := range results {
			if r.status != 201 {
				t.Fatalf("activation %d: %d %s", i, r.status, r.body)
			}
		}

		user, err := w.m.DB.Reader().FindUserByEmail(context.Background(), w.appID, "twice@example.com")
		if err != nil {
			t.Fatal(err)
		}
		choices, err := w.m.DB.Reader().FindUserAccounts(context.Background(), user.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(choices) != 2 {
			t.Errorf("user belongs to %d accounts, want 2", len(choices))
		}
		s := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": "twice@example.com", "password": "twice-secret-1"})
		if sel, _ := s["select_account"].(map[string]any); sel == nil || len(sel["accounts"].(map[string]any)) != 2 {
			t.Errorf("login = %v; want a choice of two accounts", s)
		}
	})
}
