package server_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestRoleMatrix sends every network and account write that exists as
// owner, admin and member: owners and admins succeed, members get 403
// forbidden and nothing changes. All three can read.
func TestRoleMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.addUser(w.parentID, "adminuser", accountnet.RoleAdmin)
		w.addUser(w.parentID, "memberuser", accountnet.RoleMember)
		tokens := map[accountnet.Role]string{
			accountnet.RoleOwner:  w.parentToken,
			accountnet.RoleAdmin:  w.login("adminuser", "adminuser-password-1"),
			accountnet.RoleMember: w.login("memberuser", "memberuser-password-1"),
		}

		writes := []struct {
			name, method, path string
			body               func(role accountnet.Role) any
			status             int
		}{
			{"initiate", "POST", "/v1/network/initiate", func(r accountnet.Role) any {
				return map[string]any{"domain_id": w.distributor, "email": string(r) + "@invitee.example"}
			}, 201},
			{"initiate validate_only", "POST", "/v1/network/initiate?validate_only=true", func(r accountnet.Role) any {
				return map[string]any{"domain_id": w.distributor, "email": string(r) + "-check@invitee.example"}
			}, 200},
			{"update account", "POST", "/v1/account", func(r accountnet.Role) any {
				return map[string]any{"city": "City of " + string(r)}
			}, 200},
		}
		reads := []string{"/v1/account", "/v1/network/domains/enumerated", "/v1/static/country", "/v1/auth/session"}

		for _, role := range []accountnet.Role{accountnet.RoleOwner, accountnet.RoleAdmin, accountnet.RoleMember} {
			t.Run(string(role), func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				token := tokens[role]

				s := w.must(200, "GET", "/v1/auth/session", token, nil)
				letters, accountLetters := "crud", "ru"
				if role == accountnet.RoleMember {
					letters, accountLetters = "r", "r"
				}
				access := s["access"].(map[string]any)
				if s["role"] != string(role) || access["account-networks"] != letters || access["account-network-invitations"] != letters || access["account"] != accountLetters {
					t.Errorf("session role %v access %v, want %s with %q (account %q)", s["role"], access, role, letters, accountLetters)
				}

				for _, path := range reads {
					if r := w.request("GET", path, token, nil); r.status != 200 {
						t.Errorf("GET %s as %s: %d %s", path, role, r.status, r.body)
					}
				}
				for _, wr := range writes {
					invitations, mails := w.count()
					version := w.account(token)["version_id"]
					r := w.request(wr.method, wr.path, token, wr.body(role))
					if role != accountnet.RoleMember {
						if r.status != wr.status {
							t.Errorf("%s as %s: %d %s, want %d", wr.name, role, r.status, r.body, wr.status)
						}
						continue
					}
					w.expectError(r, 403, "forbidden", "", "")
					if e := r.errorObject(t); e["type"] != "user" || e["message"] != "Your role in this account does not allow this action." {
						t.Errorf("%s as member: error = %v", wr.name, e)
					}
					if i, m := w.count(); i != invitations || m != mails {
						t.Errorf("%s as member wrote data: invitations %d→%d, mails %d→%d", wr.name, invitations, i, mails, m)
					}
					if v := w.account(token)["version_id"]; v != version {
						t.Errorf("%s as member changed the account: version %v→%v", wr.name, version, v)
					}
				}
			})
		}
		w.env.t = t
	})
}

// TestRoleChange checks the admin endpoints for an account's users: the
// list with roles, a role change that applies to a running session, the
// last-owner rule, and 404s for ids of other accounts and apps.
func TestRoleChange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.clock.Add(time.Second) // so that the owner's membership is the oldest
		memberID := w.addUser(w.parentID, "memberuser", accountnet.RoleMember)
		memberToken := w.login("memberuser", "memberuser-password-1")
		otherParent, _ := w.newParent("Other Maker", "olga")
		users := "/admin/v1/apps/" + w.appID + "/accounts/" + w.parentID + "/users"

		list := w.must(200, "GET", users, adminToken, nil)
		if list["total"] != 2.0 {
			t.Fatalf("users = %v", list)
		}
		first := list["list"].([]any)[0].(map[string]any)
		ownerID := first["id"].(string)
		if first["username"] != "ada" || first["role"] != "owner" || first["last_login"] == 0.0 || first["joined"] == nil {
			t.Errorf("first user = %v", first)
		}
		filters := list["filters"].(map[string]any)["role"].(map[string]any)
		if filters["member"] != "Member" || len(filters) != 3 {
			t.Errorf("role filter labels = %v", filters)
		}
		members := w.must(200, "GET", users+"?filters[role]=member", adminToken, nil)
		if members["total"] != 1.0 || members["list"].([]any)[0].(map[string]any)["id"] != memberID {
			t.Errorf("members = %v", members)
		}
		if found := w.must(200, "GET", users+"?search=ACME.EX", adminToken, nil); found["total"] != 1.0 {
			t.Errorf("search on email = %v", found)
		}
		w.expectError(w.request("GET", users+"?filters[role]=boss", adminToken, nil), 400, "invalid_parameter", "filters[role]", "Choose one of the listed values.")
		w.expectError(w.request("GET", "/admin/v1/apps/"+w.appID+"/accounts/acc_nothing/users", adminToken, nil), 404, "not_found", "", "")
		w.expectError(w.request("GET", users, w.parentToken, nil), 401, "invalid_credentials", "", "")

		// A member promoted to admin can write from the next request on.
		w.expectError(w.request("POST", "/v1/account", memberToken, map[string]any{"city": "Promoted"}), 403, "forbidden", "", "")
		promoted := w.must(200, "POST", users+"/"+memberID, adminToken, map[string]any{"role": "admin"})
		if promoted["role"] != "admin" || promoted["username"] != "memberuser" {
			t.Errorf("promoted = %v", promoted)
		}
		w.must(200, "POST", "/v1/account", memberToken, map[string]any{"city": "Promoted"})
		if s := w.must(200, "GET", "/v1/auth/session", memberToken, nil); s["role"] != "admin" {
			t.Errorf("session role after promotion = %v", s["role"])
		}

		// The only owner cannot be demoted.
		w.expectError(w.request("POST", users+"/"+ownerID, adminToken, map[string]any{"role": "admin"}), 409, "last_owner", "", "")
		if owners := w.must(200, "GET", users+"?filters[role]=owner", adminToken, nil); owners["total"] != 1.0 {
			t.Errorf("owners after rejected demotion = %v", owners["total"])
		}
		w.must(200, "POST", users+"/"+ownerID, adminToken, map[string]any{"role": "owner"}) // unchanged role is fine
		w.must(200, "POST", users+"/"+memberID, adminToken, map[string]any{"role": "owner"})
		w.must(200, "POST", users+"/"+ownerID, adminToken, map[string]any{"role": "member"})
		w.expectError(w.request("POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "x@example.com"}), 403, "forbidden", "", "")

		cases := []struct {
			name   string
			path   string
			body   any
			status int
			reason string
			field  string
			msg    string
		}{
			{"unknown role", users + "/" + memberID, map[string]any{"role": "boss"}, 400, "invalid_fields", "role", "Choose owner, admin or member."},
			{"empty role", users + "/" + memberID, map[string]any{"role": ""}, 400, "invalid_fields", "role", "Choose owner, admin or member."},
			{"upper-case role", users + "/" + memberID, map[string]any{"role": "OWNER"}, 400, "invalid_fields", "role", "Choose owner, admin or member."},
			{"unknown field", users + "/" + memberID, map[string]any{"role": "admin", "account_id": otherParent}, 400, "unknown_fields", "account_id", "This field is not accepted here."},
			{"user of another account", users + "/" + "usr_nothing", map[string]any{"role": "admin"}, 404, "not_found", "", ""},
			{"account of the user's other app", "/admin/v1/apps/" + w.appID + "/accounts/" + otherParent + "/users/" + memberID, map[string]any{"role": "admin"}, 404, "not_found", "", ""},
			{"unknown app", "/admin/v1/apps/app_nothing/accounts/" + w.parentID + "/users/" + memberID, map[string]any{"role": "admin"}, 404, "not_found", "", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", c.path, adminToken, c.body), c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t
		if owners := w.must(200, "GET", users+"?filters[role]=owner", adminToken, nil); owners["total"] != 1.0 ||
			owners["list"].([]any)[0].(map[string]any)["id"] != memberID {
			t.Errorf("owners = %v", owners)
		}
	})
}

// TestRoleChangeOtherApp checks that an account of another app is not
// found through this app's path.
func TestRoleChangeOtherApp(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		other := w.must(201, "POST", "/admin/v1/apps", adminToken, map[string]any{"title": "Other app"})["id"].(string)
		w.expectError(w.request("GET", "/admin/v1/apps/"+other+"/accounts/"+w.parentID+"/users", adminToken, nil), 404, "not_found", "", "")
		users := w.must(200, "GET", "/admin/v1/apps/"+w.appID+"/accounts/"+w.parentID+"/users", adminToken, nil)
		ownerID := users["list"].([]any)[0].(map[string]any)["id"].(string)
		w.expectError(w.request("POST", "/admin/v1/apps/"+other+"/accounts/"+w.parentID+"/users/"+ownerID, adminToken, map[string]any{"role": "member"}), 404, "not_found", "", "")
	})
}

// TestConcurrentOwnerDemotions races the demotion of an account's two
// owners: exactly one succeeds and the account keeps an owner.
func TestConcurrentOwnerDemotions(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		users := "/admin/v1/apps/" + w.appID + "/accounts/" + w.parentID + "/users"
		ownerIDs := []string{w.must(200, "GET", users, adminToken, nil)["list"].([]any)[0].(map[string]any)["id"].(string)}
		for i := range 3 {
			ownerIDs = append(ownerIDs, w.addUser(w.parentID, fmt.Sprintf("owner%d", i), accountnet.RoleOwner))
		}

		var wg sync.WaitGroup
		statuses := make([]int, len(ownerIDs))
		for i, id := range ownerIDs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = w.request("POST", users+"/"+id, adminToken, map[string]any{"role": "member"}).status
			}()
		}
		wg.Wait()

		demoted := 0
		for i, s := range statuses {
			switch s {
			case 200:
				demoted++
			case 409:
			default:
				t.Errorf("demotion %d: status %d", i, s)
			}
		}
		if demoted != len(ownerIDs)-1 {
			t.Errorf("%d demotions succeeded, want %d", demoted, len(ownerIDs)-1)
		}
		if owners := w.must(200, "GET", users+"?filters[role]=owner", adminToken, nil); owners["total"] != 1.0 {
			t.Errorf("owners left = %v, want 1", owners["total"])
		}
	})
}
