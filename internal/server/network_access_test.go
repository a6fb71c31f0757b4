package server_test

import (
	"testing"

	"github.com/accountnet/accountnet/internal/testdb"
)

// TestNetworkAccessMatrix sends every network request as every account
// around a network and checks that only its parent and its child reach
// it, that everyone else gets 404 and changes nothing, and that members
// may read but not write.
func TestNetworkAccessMatrix(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)

		// P → C → G, and an unrelated Manufacturer O → OC in the same app.
		childID, childToken := w.distributorChild("c@example.com", map[string]any{"fee_proposed": 5, "title": "C"})
		grandchildID, grandchildToken := w.activateChild(childToken, w.retail, "g@example.com", map[string]any{"fee_proposed": 3})
		w.must(201, "POST", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, map[string]any{
			"title": "O", "domain_id": w.manufacturer, "country_id": "FR",
			"user": map[string]any{"username": "olga", "email": "olga@o.example", "password": "olga-password-1"},
		})
		otherToken := w.login("olga", "olga-password-1")
		otherChildID, otherChildToken := w.activateChild(otherToken, w.distributor, "oc@example.com", map[string]any{"fee_proposed": 7})
		_, parentMember := w.member(w.parentID, "pmember")
		_, childMember := w.member(childID, "cmember")

		// Another app with its own parent and child.
		x := newWorldIn(w, "x")

		callers := map[string]string{
			"parent": w.parentToken, "child": childToken, "grandchild": grandchildToken,
			"other": otherToken, "other child": otherChildToken, "other app": x.parentToken,
			"parent member": parentMember, "child member": childMember,
		}
		// expect maps a caller name to the status it gets; absent means 404,
		// and skip marks a caller for whom the request would succeed and
		// change the setup, which later steps test on their own.
		type expect map[string]int
		const skip = -1

		childPath := "/v1/networks/" + childID
		checks := []struct {
			method, path string
			body         any
			want         expect
		}{
			{"GET", childPath, nil, expect{"parent": 200, "parent member": 200}},
			{"POST", childPath, map[string]any{"fee_proposed": 5}, expect{"parent": 200, "parent member": 403, "child member": 403}},
			{"DELETE", childPath, nil, expect{"parent": skip, "parent member": 403, "child member": 403}},
			{"GET", "/v1/networks/" + otherChildID, nil, expect{"other": 200}},
			{"GET", "/v1/networks/" + x.childID, nil, expect{"other app": 200}},
			{"GET", "/v1/networks/" + w.parentID, nil, expect{}},
			{"GET", "/v1/network/parent", nil, expect{"child": 200, "grandchild": 200, "other child": 200, "child member": 200}},
			{"POST", "/v1/network/parent", map[string]any{"fee": "accept", "fee_proposed": 99},
				expect{"child": 409, "grandchild": 409, "other child": 409, "parent member": 403, "child member": 403}},
			{"DELETE", "/v1/network/parent", nil,
				expect{"child": skip, "grandchild": skip, "other child": skip, "parent member": 403, "child member": 403}},
		}
		for _, c := range checks {
			for name, token := range callers {
				want := c.want[name]
				if want == skip {
					continue
				}
				if want == 0 {
					want = 404
				}
				r := w.request(c.method, c.path, token, c.body)
				if r.status != want {
					t.Errorf("%s %s as %s: status %d, want %d: %s", c.method, c.path, name, r.status, want, r.body)
				}
				reason := map[int]string{403: "forbidden", 404: "not_found", 409: "proposal_changed"}[want]
				if reason != "" && r.status == want {
					if got := r.errorObject(t)["reason"]; got != reason {
						t.Errorf("%s %s as %s: reason %v, want %s", c.method, c.path, name, got, reason)
					}
				}
			}
		}

		// The 404s changed nothing: C's network and proposal are intact,
		// and so are the other networks.
		n := w.must(200, "GET", childPath, w.parentToken, nil)
		if n["fee_proposed"] != 5.0 || n["parent_account_id"] != w.parentID {
			t.Errorf("C's network after the matrix = %v", n)
		}
		if g := w.must(200, "GET", "/v1/network/parent", grandchildToken, nil); g["parent_account_id"] != childID || g["account_id"] != grandchildID {
			t.Errorf("G's network after the matrix = %v", g)
		}
		if p := w.must(200, "GET", "/v1/network/parent", x.childToken, nil); p["parent_account_id"] != x.parentID {
			t.Errorf("other app's network after the matrix = %v", p)
		}

		// Each list shows the caller's own children only.
		lists := map[string][]string{
			"parent": {childID}, "parent member": {childID}, "child": {grandchildID}, "grandchild": nil,
			"other": {otherChildID}, "other child": nil, "other app": {x.childID},
		}
		for name, want := range lists {
			l := w.must(200, "GET", "/v1/networks", callers[name], nil)["list"].([]any)
			var got []string
			for _, item := range l {
				got = append(got, item.(map[string]any)["account_id"].(string))
			}
			if len(got) != len(want) || (len(want) == 1 && got[0] != want[0]) {
				t.Errorf("networks of %s = %v, want %v", name, got, want)
			}
		}

		// Ledger reports show only entries of the caller's own side.
		w.accept(childToken)
		w.record(childID, 1000)
		x.record(x.childID, 1000)
		reports := map[string]struct {
			path  string
			total float64
		}{
			"parent": {"/v1/network/earnings", 1}, "parent member": {"/v1/network/earnings", 1},
			"child": {"/v1/network/fees", 1}, "child member": {"/v1/network/fees", 1},
			"grandchild": {"/v1/network/fees", 0}, "other": {"/v1/network/earnings", 0},
			"other child": {"/v1/network/fees", 0}, "other app": {"/v1/network/earnings", 1},
		}
		for name, rep := range reports {
			for _, path := range []string{"/v1/network/earnings", "/v1/network/fees"} {
				want := 0.0
				if path == rep.path {
					want = rep.total
				}
				if got := w.must(200, "GET", path+"?period=2026-03", callers[name], nil)["total"]; got != want {
					t.Errorf("%s of %s: total %v, want %v", path, name, got, want)
				}
			}
		}
		if e := w.must(200, "GET", "/v1/network/earnings?period=2026-03", x.parentToken, nil)["list"].([]any)[0].(map[string]any); e["child_account_id"] != x.childID {
			t.Errorf("other app's earnings = %v", e)
		}

		// Revenue names accounts of the key's own app only.
		w.expectError(x.revenue(map[string]any{"account_id": childID, "amount": 1, "currency": "EUR", "reference": "cross"}), 404, "not_found", "", "")

		// Finally the owners remove and leave.
		w.must(200, "DELETE", childPath, w.parentToken, nil)
		w.must(200, "DELETE", "/v1/network/parent", otherChildToken, nil)
		w.expectError(w.request("GET", "/v1/networks/"+otherChildID, otherToken, nil), 404, "not_found", "", "")
	})
}

// worldIn is a second app in the server of w, with a parent account and
// one Distributor child.
type worldIn struct {
	*world
	childID, childToken string
}

// newWorldIn sets up another app beside w's, sharing w's server and test
// clock; name keeps its usernames apart from w's.
func newWorldIn(w *world, name string) *worldIn {
	w.t.Helper()
	x := &world{env: w.env}
	app := w.must(201, "POST", "/admin/v1/apps", adminToken, map[string]any{
		"title": "App " + name, "network_url": "https://app.example.com/activate", "login_url": "https://app.example.com/login",
	})
	x.appID, x.pk, x.sk = app["id"].(string), app["publishable_key"].(string), app["secret_key"].(string)
	domain := func(title string) string {
		return w.must(201, "POST", "/admin/v1/apps/"+x.appID+"/domains", adminToken, map[string]any{"title": title})["id"].(string)
	}
	x.manufacturer, x.distributor = domain("Manufacturer"), domain("Distributor")
	w.must(201, "POST", "/admin/v1/apps/"+x.appID+"/network-rules", adminToken,
		map[string]any{"parent_domain_id": x.manufacturer, "child_domain_id": x.distributor, "monetized": true})
	x.parentID = w.must(201, "POST", "/admin/v1/apps/"+x.appID+"/accounts", adminToken, map[string]any{
		"title": "Parent " + name, "domain_id": x.manufacturer, "country_id": "US",
		"user": map[string]any{"username": name + "-owner", "email": name + "-owner@example.com", "password": "owner-password-1"},
	})["id"].(string)
	x.parentToken = x.login(name+"-owner", "owner-password-1")

	childID, childToken := x.activateChild(x.parentToken, x.distributor, name+"-child@example.com", map[string]any{"fee_proposed": 10})
	x.accept(childToken)
	return &worldIn{world: x, childID: childID, childToken: childToken}
}
