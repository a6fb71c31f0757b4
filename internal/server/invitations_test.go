package server_test

import (
	"fmt"
	neturl "net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// seeded is one invitation of the list test with its expected status.
type seeded struct {
	email  string
	status string
}

// TestInvitationList checks every combination of search, status filter
// and paging against a model of known invitations: exact totals, pages
// and order.
func TestInvitationList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)

		// Created one minute apart, so that newest first is a strict order.
		// The first two expire before the rest are created.
		data := []seeded{
			{"old.alpha@example.com", "expired"},
			{"old_beta@example.org", "expired"},
			{"alpha@example.com", "pending"},
			{"Beta@Example.com", "accepted"},
			{"gamma@example.org", "revoked"},
			{"delta@example.com", "declined"},
			{"al%pha@example.com", "pending"},
			{"alpha_2@example.net", "pending"},
			{"ALPHA.three@example.com", "revoked"},
			{"epsilon@example.org", "accepted"},
			{"zeta@example.com", "pending"},
		}
		for i, d := range data {
			w.clock.Add(time.Minute)
			inv, token := w.invite(d.email, nil)
			switch d.status {
			case "accepted":
				w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)
			case "declined":
				w.must(200, "POST", "/v1/network/decline/"+token, w.pk, nil)
			case "revoked":
				w.must(200, "DELETE", "/v1/network/invitations/"+inv["id"].(string), w.parentToken, nil)
			}
			if i == 1 {
				// Sessions last as long as invitations, so log in again.
				w.clock.Add(accountnet.DefaultInvitationTTL)
				w.parentToken = w.login("ada", "ada-password-1")
			}
		}

		// Hand-counted totals, so that the model below is checked too.
		exact := []struct {
			query string
			total float64
		}{
			{"", 11},
			{"filters[status]=pending", 4},
			{"filters[status]=expired", 2},
			{"filters[status]=accepted", 2},
			{"filters[status]=declined", 1},
			{"filters[status]=revoked", 2},
			{"search=alpha", 4},
			{"search=alpha&filters[status]=pending", 2},
			{"search=alpha&filters[status]=expired", 1},
			{"search=%25", 1},
			{"search=_", 2},
		}
		for _, c := range exact {
			list := w.must(200, "GET", "/v1/network/invitations?"+c.query, w.parentToken, nil)
			if list["total"] != c.total {
				t.Errorf("?%s: total %v, want %v", c.query, list["total"], c.total)
			}
		}

		wantFilters := map[string]any{"status": map[string]any{
			"pending": "Pending", "expired": "Expired", "accepted": "Accepted", "declined": "Declined", "revoked": "Revoked",
		}}
		searches := []string{"", "alpha", "ALPHA", "%", "_", "a_2", "example.org", "nomatch", "  alpha  "}
		statuses := []string{"", "pending", "expired", "accepted", "declined", "revoked"}
		for _, search := range searches {
			for _, status := range statuses {
				// The model: newest first, search on the email ignoring
				// letter case, LIKE wildcards matched literally.
				var want []string
				for i := len(data) - 1; i >= 0; i-- {
					d := data[i]
					if strings.Contains(strings.ToLower(d.email), strings.ToLower(strings.TrimSpace(search))) && (status == "" || d.status == status) {
						want = append(want, d.email)
					}
				}

				for _, size := range []int{1, 2, 3, 25} {
					pages := (len(want) + size - 1) / size
					for index := 1; index <= pages+1; index++ {
						q := neturl.Values{"page_size": {fmt.Sprint(size)}, "page_index": {fmt.Sprint(index)}}
						if search != "" {
							q.Set("search", search)
						}
						if status != "" {
							q.Set("filters[status]", status)
						}
						got := w.must(200, "GET", "/v1/network/invitations?"+q.Encode(), w.parentToken, nil)

						name := q.Encode()
						if got["total"] != float64(len(want)) || got["pages"] != float64(pages) {
							t.Errorf("%s: total %v pages %v, want %d and %d", name, got["total"], got["pages"], len(want), pages)
						}
						if got["page_index"] != float64(index) || got["page_size"] != float64(size) || got["search"] != strings.TrimSpace(search) {
							t.Errorf("%s: echoed page_index %v page_size %v search %q", name, got["page_index"], got["page_size"], got["search"])
						}
						if !reflect.DeepEqual(got["filters"], wantFilters) {
							t.Errorf("%s: filters = %v", name, got["filters"])
						}

						start, end := min((index-1)*size, len(want)), min(index*size, len(want))
						var emails []string
						for _, item := range got["list"].([]any) {
							inv := item.(map[string]any)
							emails = append(emails, inv["email"].(string))
							if inv["parent_account_id"] != w.parentID {
								t.Errorf("%s: invitation of another account listed: %v", name, inv)
							}
						}
						if !reflect.DeepEqual(emails, want[start:end]) && !(len(emails) == 0 && start == end) {
							t.Errorf("%s: list %v, want %v", name, emails, want[start:end])
						}
					}
				}
			}
		}

		// The statuses in the list are the ones the filters select.
		for _, item := range w.must(200, "GET", "/v1/network/invitations?page_size=100", w.parentToken, nil)["list"].([]any) {
			inv := item.(map[string]any)
			for _, d := range data {
				if d.email == inv["email"] && d.status != inv["status"] {
					t.Errorf("%s: status %v, want %s", d.email, inv["status"], d.status)
				}
			}
		}
	})
}

// TestInvitationListRejects checks the 400 for each bad list parameter.
func TestInvitationListRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		cases := []struct{ query, param, msg string }{
			{"page_index=0", "page_index", "Use a whole number from 1 to 1000000."},
			{"page_index=x", "page_index", "Use a whole number from 1 to 1000000."},
			{"page_index=100000000000000000", "page_index", "Use a whole number from 1 to 1000000."},
			{"page_size=0", "page_size", "Use a whole number from 1 to 100."},
			{"page_size=101", "page_size", "Use a whole number from 1 to 100."},
			{"search=" + strings.Repeat("a", 201), "search", "Use at most 200 characters."},
			{"filters[status]=lost", "filters[status]", "Choose one of the listed values."},
			{"filters[status]=pending&filters[status]=expired", "filters[status]", "Choose one of the listed values."},
			{"filters[fee]=none", "filters[fee]", "This list has no such filter."},
		}
		for _, c := range cases {
			t.Run(c.query, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("GET", "/v1/network/invitations?"+c.query, w.parentToken, nil), 400, "invalid_parameter", c.param, c.msg)
			})
		}
		w.env.t = t
		w.expectError(w.request("GET", "/v1/network/invitations", w.pk, nil), 401, "session_required", "", "")
	})
}

// TestInvitationExpiryBoundary moves the clock to one second before and
// after the expiry and checks the status, the filters and the token.
func TestInvitationExpiryBoundary(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, token := w.invite("edge@example.com", nil)
		id := inv["id"].(string)
		if want := w.clock.Now().Add(accountnet.DefaultInvitationTTL).Unix(); inv["expires"] != float64(want) {
			t.Fatalf("expires = %v, want %d", inv["expires"], want)
		}

		total := func(status string) float64 {
			return w.must(200, "GET", "/v1/network/invitations?filters[status]="+status, w.parentToken, nil)["total"].(float64)
		}

		w.clock.Add(accountnet.DefaultInvitationTTL - time.Second)
		w.parentToken = w.login("ada", "ada-password-1") // the session lasts 7 days too
		if got := w.must(200, "GET", "/v1/network/invitations/"+id, w.parentToken, nil)["status"]; got != "pending" {
			t.Errorf("one second before expiry: status %v, want pending", got)
		}
		if total("pending") != 1 || total("expired") != 0 {
			t.Errorf("one second before expiry: pending %v expired %v, want 1 and 0", total("pending"), total("expired"))
		}
		w.must(200, "GET", "/v1/network/activate/"+token, w.pk, nil)

		w.clock.Add(time.Second)
		if got := w.must(200, "GET", "/v1/network/invitations/"+id, w.parentToken, nil)["status"]; got != "expired" {
			t.Errorf("at expiry: status %v, want expired", got)
		}
		if total("pending") != 0 || total("expired") != 1 {
			t.Errorf("at expiry: pending %v expired %v, want 0 and 1", total("pending"), total("expired"))
		}
		w.expectError(w.request("POST", "/v1/network/activate/"+token, w.pk, nil), 410, "token_expired", "", "")
		w.expectError(w.request("POST", "/v1/network/decline/"+token, w.pk, nil), 410, "token_expired", "", "")

		// An expired invitation may be sent again, which makes it pending.
		w.clock.Add(time.Second)
		renewed := w.must(200, "POST", "/v1/network/invitations/"+id+"/resend", w.parentToken, nil)
		if renewed["status"] != "pending" || renewed["expires"] != float64(w.clock.Now().Add(accountnet.DefaultInvitationTTL).Unix()) {
			t.Errorf("resent expired invitation = %v", renewed)
		}
	})
}

// TestInvitationRead checks the invitation object and that the token
// appears in no response.
func TestInvitationRead(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		created, token := w.invite("read@example.com", map[string]any{"fee_proposed": 7.125, "title": "Reader Ltd", "country_id": "FR"})
		id := created["id"].(string)

		r := w.request("GET", "/v1/network/invitations/"+id, w.parentToken, nil)
		if r.status != 200 {
			t.Fatalf("GET: %d %s", r.status, r.body)
		}
		inv := r.json(t)
		want := map[string]any{
			"id": id, "email": "read@example.com", "status": "pending", "domain_id": w.distributor, "domain_title": "Distributor",
			"country_id": "FR", "fee_proposed": 7.125, "title": "Reader Ltd", "parent_account_id": w.parentID,
			"sent_count": 1.0, "last_sent": float64(w.clock.Now().Unix()), "child_account_id": nil,
		}
		for k, v := range want {
			if inv[k] != v {
				t.Errorf("%s = %v, want %v", k, inv[k], v)
			}
		}
		if d := inv["delivery"]; d != "queued" && d != "sent" {
			t.Errorf("delivery = %v, want queued or sent", d)
		}

		list := w.request("GET", "/v1/network/invitations", w.parentToken, nil)
		for _, body := range [][]byte{r.body, list.body} {
			if strings.Contains(string(body), token) || strings.Contains(string(body), accountnet.HashToken(token)) {
				t.Errorf("response holds the token or its hash: %s", body)
			}
		}
		w.expectError(w.request("GET", "/v1/network/invitations/nwi_missing", w.parentToken, nil), 404, "not_found", "", "")
	})
}

// secondParent creates another Manufacturer account in the same app and
// returns its id and its owner's session token.
func (w *world) secondParent() (string, string) {
	w.t.Helper()
	acc := w.must(201, "POST", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, map[string]any{
		"title": "Beta Corp", "domain_id": w.manufacturer, "country_id": "US",
		"user": map[string]any{"username": "bob", "email": "bob@beta.example", "password": "bob-password-1"},
	})
	return acc["id"].(string), w.login("bob", "bob-password-1")
}

// otherAppSession creates a second app with a Manufacturer account whose
// owner is logged in, and returns that session token.
func (w *world) otherAppSession() string {
	w.t.Helper()
	app := w.must(201, "POST", "/admin/v1/apps", adminToken, map[string]any{
		"title": "Other", "network_url": "https://other.example.com/activate", "login_url": "https://other.example.com/login",
	})
	appID, pk := app["id"].(string), app["publishable_key"].(string)
	maker := w.must(201, "POST", "/admin/v1/apps/"+appID+"/domains", adminToken, map[string]any{"title": "Manufacturer"})["id"]
	w.must(201, "POST", "/admin/v1/apps/"+appID+"/accounts", adminToken, map[string]any{
		"title": "Carol Inc", "domain_id": maker, "country_id": "US",
		"user": map[string]any{"username": "carol", "email": "carol@other.example", "password": "carol-password-1"},
	})
	return w.must(200, "POST", "/v1/auth/login", pk, map[string]any{"username": "carol", "password": "carol-password-1"})["token"].(string)
}

// TestInvitationOwnership sends every invitation endpoint to another
// account's invitation, from a second account of the same app and from an
// account of another app: each gets the 404 of a missing id, and nothing
// changes. Members may read but not write.
func TestInvitationOwnership(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, token := w.invite("owned@example.com", map[string]any{"title": "Owned"})
		id := inv["id"].(string)
		_, sameApp := w.secondParent()
		otherApp := w.otherAppSession()
		w.clock.Add(2 * time.Minute) // past the re-send cool-down
		invitations, mails := w.count()

		type call struct {
			method, path string
			body         any
		}
		calls := func(id string) []call {
			return []call{
				{"GET", "/v1/network/invitations/" + id, nil},
				{"POST", "/v1/network/invitations/" + id, map[string]any{"title": "Taken"}},
				{"POST", "/v1/network/invitations/" + id + "/resend", nil},
				{"DELETE", "/v1/network/invitations/" + id, nil},
			}
		}
		for name, session := range map[string]string{"same app": sameApp, "other app": otherApp} {
			t.Run(name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				missing := calls("nwi_missing")
				for i, c := range calls(id) {
					r := w.request(c.method, c.path, session, c.body)
					w.expectError(r, 404, "not_found", "", "")
					m := w.request(missing[i].method, missing[i].path, session, missing[i].body)
					if string(r.body) != string(m.body) {
						t.Errorf("%s %s: body %s differs from a missing id's %s", c.method, c.path, r.body, m.body)
					}
				}
				list := w.must(200, "GET", "/v1/network/invitations", session, nil)
				if list["total"] != 0.0 || strings.Contains(fmt.Sprint(list["list"]), id) {
					t.Errorf("list of another account = %v", list)
				}
			})
		}
		w.env.t = t

		_, mia := w.member(w.parentID, "mia")
		if got := w.must(200, "GET", "/v1/network/invitations/"+id, mia, nil); got["id"] != id {
			t.Errorf("member read = %v", got)
		}
		if got := w.must(200, "GET", "/v1/network/invitations", mia, nil); got["total"] != 1.0 {
			t.Errorf("member list total = %v, want 1", got["total"])
		}
		for _, c := range calls(id)[1:] {
			w.expectError(w.request(c.method, c.path, mia, c.body), 403, "forbidden", "", "")
		}

		after := w.must(200, "GET", "/v1/network/invitations/"+id, w.parentToken, nil)
		if after["title"] != "Owned" || after["sent_count"] != 1.0 || after["status"] != "pending" || after["updated"] != inv["updated"] {
			t.Errorf("invitation changed by other callers: %v", after)
		}
		if n, m := w.count(); n != invitations || m != mails {
			t.Errorf("rejected calls wrote data: invitations %d→%d, mails %d→%d", invitations, n, mails, m)
		}
		w.must(200, "GET", "/v1/network/activate/"+token, w.pk, nil)
	})
}
