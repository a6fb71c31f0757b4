package server_test

import (
	"cmp"
	"fmt"
	neturl "net/url"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// listedInvitation is one invitation of the admin list model.
type listedInvitation struct {
	email, status, parentID string
}

// listedNetwork is one network of the admin list model.
type listedNetwork struct {
	accountID, title, fee, parentID string
}

// appLists is an app with known invitations, networks and revenue
// events, each model oldest first, and a second app on the same server
// whose records must never appear in the first app's lists.
type appLists struct {
	*world
	gusID, gusToken string
	invitations     []listedInvitation
	networks        []listedNetwork
	revenue         []map[string]any // the responses that recorded the events
	other           *worldIn
}

// seedAppLists builds the data of the admin list tests. Invitations are
// created one minute apart, so newest first is a strict order. The first
// two expire. The rest live 90 days, so that they keep their status while
// the revenue events go into March and April.
func seedAppLists(t *testing.T, url string) *appLists {
	w := newWorld(t, url)
	f := &appLists{world: w}
	f.gusID, f.gusToken = w.newParent("Globex", "gus")

	// The other app has records that match the searches and filters below.
	f.other = newWorldIn(w, "x")
	f.other.invite("alpha.x@example.com", nil)
	f.other.activateChild(f.other.parentToken, f.other.distributor, "alpha.y@example.com", map[string]any{"title": "Alpha X", "fee_proposed": 1})

	token := func(parentID string) string {
		if parentID == f.gusID {
			return f.gusToken
		}
		return w.parentToken
	}
	invite := func(parentID, email, status string) {
		w.clock.Add(time.Minute)
		f.invitations = append(f.invitations, listedInvitation{email, status, parentID})
		inv := w.must(201, "POST", "/v1/network/initiate", token(parentID), map[string]any{"domain_id": w.distributor, "email": email})
		link := linkToken(t, w.lastMail("invitation", email)["text"].(string), "https://app.example.com/activate")
		switch status {
		case "declined":
			w.must(200, "POST", "/v1/network/decline/"+link, w.pk, nil)
		case "revoked":
			w.must(200, "DELETE", "/v1/network/invitations/"+inv["id"].(string), token(parentID), nil)
		}
	}
	child := func(parentID, email, title, fee string, extra map[string]any) (string, string) {
		w.clock.Add(time.Minute)
		f.invitations = append(f.invitations, listedInvitation{email, "accepted", parentID})
		extra["title"] = title
		id, childToken := w.activateChild(token(parentID), w.distributor, email, extra)
		f.networks = append(f.networks, listedNetwork{id, title, fee, parentID})
		return id, childToken
	}

	invite(w.parentID, "expired.one@example.com", "expired")
	invite(f.gusID, "expired_two@example.org", "expired")
	w.must(200, "POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{"invitation_ttl": 90 * 24 * 3600})
	w.clock.Add(accountnet.DefaultInvitationTTL)
	// Sessions last 7 days too, so log in again.
	w.parentToken, f.gusToken = w.login("ada", "ada-password-1"), w.login("gus", "gus-password-1")

	alphaID, _ := child(w.parentID, "alpha@example.com", "Alpha Retail", "pending", map[string]any{"fee_proposed": 5})
	betaID, betaToken := child(w.parentID, "beta@example.com", "Beta 50%_Off", "accepted", map[string]any{"fee_proposed": 2})
	w.accept(betaToken)
	gammaID, _ := child(f.gusID, "gamma@example.org", "Gamma Supply", "none", map[string]any{})
	invite(f.gusID, "delta@example.com", "declined")
	invite(w.parentID, "epsilon@example.com", "revoked")
	invite(f.gusID, "ALPHA.zeta@example.net", "pending")
	invite(w.parentID, "al%pha@example.com", "pending")
	wholesaleID, _ := child(f.gusID, "wholesale_alpha@example.com", "alpha wholesale", "pending", map[string]any{"fee_proposed": 3})

	// Revenue in March and April. Two pairs share a second, so that the
	// order by id, descending, decides between them.
	record := func(accountID, reference string, amount int64) {
		r := w.revenue(map[string]any{"account_id": accountID, "amount": amount, "currency": "EUR", "reference": reference})
		if r.status != 201 {
			t.Fatalf("record %s: status %d: %s", reference, r.status, r.body)
		}
		f.revenue = append(f.revenue, r.json(t))
	}
	w.clock.Add(time.Minute)
	record(alphaID, "INV-2026-03-001", 1000)
	record(betaID, "inv-2026-03-002", 5000)
	w.clock.Add(time.Minute)
	record(gammaID, "refund_03%", -300)
	if r := f.other.revenue(map[string]any{"account_id": f.other.childID, "amount": 100, "currency": "EUR", "reference": "inv-2026-03-x"}); r.status != 201 {
		t.Fatalf("record in the other app: status %d: %s", r.status, r.body)
	}
	w.clock.Add(time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC).Sub(w.clock.Now()))
	record(w.parentID, "top-2026-03", 250)
	w.clock.Add(time.Second)
	record(betaID, "inv-2026-04-001", 700)
	record(wholesaleID, "inv_2026-04-002", 900)

	w.parentToken, f.gusToken = w.login("ada", "ada-password-1"), w.login("gus", "gus-password-1")
	return f
}

// checkPages reads every page of an admin list, and one past the end,
// with page sizes 1, 3 and 25. The values of key in the items must be
// want, in order, with the exact total and page count.
func checkPages(t *testing.T, w *world, path string, query neturl.Values, key string, want []string) {
	t.Helper()
	for _, size := range []int{1, 3, 25} {
		pages := (len(want) + size - 1) / size
		for index := 1; index <= pages+1; index++ {
			q := neturl.Values{"page_size": {fmt.Sprint(size)}, "page_index": {fmt.Sprint(index)}}
			for name, values := range query {
				q[name] = values
			}
			name := path + "?" + q.Encode()
			got := w.must(200, "GET", name, adminToken, nil)

			if got["total"] != float64(len(want)) || got["pages"] != float64(pages) {
				t.Errorf("%s: total %v pages %v, want %d and %d", name, got["total"], got["pages"], len(want), pages)
			}
			if got["page_index"] != float64(index) || got["page_size"] != float64(size) {
				t.Errorf("%s: echoed page_index %v page_size %v", name, got["page_index"], got["page_size"])
			}
			if got["search"] != strings.TrimSpace(query.Get("search")) {
				t.Errorf("%s: echoed search %q", name, got["search"])
			}

			var values []string
			for _, item := range got["list"].([]any) {
				values = append(values, item.(map[string]any)[key].(string))
			}
			start, end := min((index-1)*size, len(want)), min(index*size, len(want))
			if !slices.Equal(values, want[start:end]) {
				t.Errorf("%s: %s %v, want %v", name, key, values, want[start:end])
			}
		}
	}
}

// checkTotals checks hand-counted totals of an admin list, so that the
// models of the tests are checked too.
func checkTotals(t *testing.T, w *world, path string, totals map[string]int) {
	t.Helper()
	for query, want := range totals {
		if got := w.must(200, "GET", path+"?"+query, adminToken, nil)["total"]; got != float64(want) {
			t.Errorf("%s?%s: total %v, want %d", path, query, got, want)
		}
	}
}

// containsFold reports whether s contains the trimmed search, ignoring
// letter case, as the list searches do.
func containsFold(s, search string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(strings.TrimSpace(search)))
}

// TestAdminInvitationList checks the app-wide invitation list against
// the model: search, status filter, paging, order and the item view.
func TestAdminInvitationList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := seedAppLists(t, url)
		path := "/admin/v1/apps/" + f.appID + "/invitations"

		checkTotals(t, f.world, path, map[string]int{
			"": 10, "filters[status]=pending": 2, "filters[status]=expired": 2, "filters[status]=accepted": 4,
			"filters[status]=declined": 1, "filters[status]=revoked": 1,
			"search=alpha": 3, "search=alpha&filters[status]=pending": 1, "search=alpha&filters[status]=accepted": 2,
			"search=%25": 1, "search=_": 2, "search=example.org": 2, "search=.x@": 0,
		})

		for _, search := range []string{"", "alpha", "ALPHA", "%", "_", "example.org", " alpha ", "nomatch"} {
			for _, status := range []string{"", "pending", "expired", "accepted", "declined", "revoked"} {
				var want []string
				for _, inv := range slices.Backward(f.invitations) {
					if containsFold(inv.email, search) && (status == "" || inv.status == status) {
						want = append(want, inv.email)
					}
				}
				query := neturl.Values{}
				if search != "" {
					query.Set("search", search)
				}
				if status != "" {
					query.Set("filters[status]", status)
				}
				checkPages(t, f.world, path, query, "email", want)
			}
		}

		// Each item is the invitation object its parent reads, with the
		// status the model expects.
		list := f.must(200, "GET", path+"?page_size=100", adminToken, nil)
		wantFilters := map[string]any{"status": map[string]any{
			"pending": "Pending", "expired": "Expired", "accepted": "Accepted", "declined": "Declined", "revoked": "Revoked",
		}}
		if !reflect.DeepEqual(list["filters"], wantFilters) {
			t.Errorf("filters = %v", list["filters"])
		}
		for i, item := range list["list"].([]any) {
			inv := item.(map[string]any)
			model := f.invitations[len(f.invitations)-1-i]
			if inv["status"] != model.status || inv["parent_account_id"] != model.parentID {
				t.Errorf("%s: status %v parent %v, want %s and %s", model.email, inv["status"], inv["parent_account_id"], model.status, model.parentID)
			}
			token := f.parentToken
			if model.parentID == f.gusID {
				token = f.gusToken
			}
			if own := f.must(200, "GET", "/v1/network/invitations/"+inv["id"].(string), token, nil); !reflect.DeepEqual(inv, own) {
				t.Errorf("%s: admin item %v, parent reads %v", model.email, inv, own)
			}
		}

		// Expired is derived from the time of the request.
		f.clock.Add(90 * 24 * time.Hour)
		checkTotals(t, f.world, path, map[string]int{"filters[status]=pending": 0, "filters[status]=expired": 4})
	})
}

// TestAdminNetworkList checks the app-wide network list against the
// model: search, fee filter, paging, order and the item view.
func TestAdminNetworkList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := seedAppLists(t, url)
		path := "/admin/v1/apps/" + f.appID + "/networks"

		checkTotals(t, f.world, path, map[string]int{
			"": 4, "filters[fee]=pending": 2, "filters[fee]=accepted": 1, "filters[fee]=none": 1,
			"search=alpha": 2, "search=alpha&filters[fee]=pending": 2, "search=alpha&filters[fee]=none": 0,
			"search=%25": 1, "search=_": 1, "search=GAMMA": 1, "search=x": 0,
		})

		for _, search := range []string{"", "alpha", "ALPHA", "%", "_", "50%_", "gamma", "nomatch"} {
			for _, fee := range []string{"", "pending", "accepted", "none"} {
				var want []string
				for _, n := range slices.Backward(f.networks) {
					if containsFold(n.title, search) && (fee == "" || n.fee == fee) {
						want = append(want, n.accountID)
					}
				}
				query := neturl.Values{}
				if search != "" {
					query.Set("search", search)
				}
				if fee != "" {
					query.Set("filters[fee]", fee)
				}
				checkPages(t, f.world, path, query, "account_id", want)
			}
		}

		// Each item is the network object its parent reads.
		list := f.must(200, "GET", path, adminToken, nil)
		wantFilters := map[string]any{"fee": map[string]any{"pending": "Proposal pending", "accepted": "Fee accepted", "none": "No fee"}}
		if !reflect.DeepEqual(list["filters"], wantFilters) {
			t.Errorf("filters = %v", list["filters"])
		}
		for i, item := range list["list"].([]any) {
			n := item.(map[string]any)
			model := f.networks[len(f.networks)-1-i]
			if n["parent_account_id"] != model.parentID || n["account_title"] != model.title {
				t.Errorf("%s: parent %v title %v, want %s", model.title, n["parent_account_id"], n["account_title"], model.parentID)
			}
			token := f.parentToken
			if model.parentID == f.gusID {
				token = f.gusToken
			}
			if own := f.must(200, "GET", "/v1/networks/"+model.accountID, token, nil); !reflect.DeepEqual(n, own) {
				t.Errorf("%s: admin item %v, parent reads %v", model.title, n, own)
			}
		}
		if history := list["list"].([]any)[2].(map[string]any)["fee_history"].([]any); len(history) != 1 {
			t.Errorf("Beta 50%%_Off fee history = %v, want the accepted fee", history)
		}
	})
}

// TestAdminRevenueList checks the app-wide revenue list against the
// model: search, period, paging, order and the item view with its share.
func TestAdminRevenueList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		f := seedAppLists(t, url)
		path := "/admin/v1/apps/" + f.appID + "/revenue"

		checkTotals(t, f.world, path, map[string]int{
			"": 6, "period=2026-03": 4, "period=2026-04": 2, "period=2026-02": 0,
			"search=inv": 4, "search=INV": 4, "search=inv&period=2026-03": 2, "search=2026-03": 3,
			"search=%25": 1, "search=_": 2, "search=x": 0,
		})

		// Newest first, ties by id descending.
		events := slices.Clone(f.revenue)
		slices.SortFunc(events, func(a, b map[string]any) int {
			return cmp.Or(cmp.Compare(b["created"].(float64), a["created"].(float64)), strings.Compare(b["id"].(string), a["id"].(string)))
		})
		for _, search := range []string{"", "inv", "INV", "%", "_", "2026-03", "nomatch"} {
			for _, period := range []string{"", "2026-03", "2026-04", "2026-02"} {
				var want []string
				for _, e := range events {
					month := time.Unix(int64(e["created"].(float64)), 0).UTC().Format("2006-01")
					if containsFold(e["reference"].(string), search) && (period == "" || month == period) {
						want = append(want, e["id"].(string))
					}
				}
				query := neturl.Values{}
				if search != "" {
					query.Set("search", search)
				}
				if period != "" {
					query.Set("period", period)
				}
				checkPages(t, f.world, path, query, "id", want)
			}
		}

		// Each item is the event as recording it returned it, with its share
		// entry or null.
		list := f.must(200, "GET", path, adminToken, nil)
		if !reflect.DeepEqual(list["filters"], map[string]any{}) {
			t.Errorf("filters = %v", list["filters"])
		}
		shares := map[string]any{}
		for i, item := range list["list"].([]any) {
			e := item.(map[string]any)
			if !reflect.DeepEqual(e, events[i]) {
				t.Errorf("item %d = %v, want %v", i, e, events[i])
			}
			shares[e["reference"].(string)] = nil
			if share, ok := shareOf(e); ok {
				shares[e["reference"].(string)] = share
			}
		}
		wantShares := map[string]any{
			"INV-2026-03-001": nil, "inv-2026-03-002": int64(100), "refund_03%": nil,
			"top-2026-03": nil, "inv-2026-04-001": int64(14), "inv_2026-04-002": nil,
		}
		if !reflect.DeepEqual(shares, wantShares) {
			t.Errorf("shares = %v, want %v", shares, wantShares)
		}

		// The event at the last second of March is in March, and the one at
		// the first second of April in April.
		for period, reference := range map[string]string{"2026-03": "top-2026-03", "2026-04": "inv-2026-04-001"} {
			got := f.must(200, "GET", path+"?period="+period+"&search="+reference, adminToken, nil)
			if got["total"] != 1.0 {
				t.Errorf("%s in %s: total %v", reference, period, got["total"])
			}
		}
	})
}

// TestAdminListsReject checks the bad parameters, credentials and app ids
// of the three admin lists.
func TestAdminListsReject(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		const wholeNumber, listed, noFilter = "Use a whole number from 1 to 100.", "Choose one of the listed values.", "This list has no such filter."
		const month = "Use one month as YYYY-MM, such as 2026-03."

		type reject struct {
			query, field, message string
		}
		common := []reject{
			{"page_size=0", "page_size", wholeNumber},
			{"page_size=101", "page_size", wholeNumber},
			{"page_size=ten", "page_size", wholeNumber},
			{"page_index=0", "page_index", "Use a whole number from 1 to 1000000."},
			{"search=" + strings.Repeat("a", 201), "search", "Use at most 200 characters."},
			{"filters[account_id]=" + w.parentID, "filters[account_id]", noFilter},
		}
		lists := map[string][]reject{
			"invitations": {
				{"filters[status]=lost", "filters[status]", listed},
				{"filters[status]=pending&filters[status]=expired", "filters[status]", listed},
				{"filters[fee]=none", "filters[fee]", noFilter},
			},
			"networks": {
				{"filters[fee]=maybe", "filters[fee]", listed},
				{"filters[status]=pending", "filters[status]", noFilter},
			},
			"revenue": {
				{"filters[fee]=none", "filters[fee]", noFilter},
				{"period=", "period", month},
				{"period=2026-13", "period", month},
				{"period=2026-1", "period", month},
				{"period=1969-12", "period", month},
				{"period=2026-03-01", "period", month},
				{"period=2026-03&period=2026-04", "period", month},
			},
		}
		for name, rejects := range lists {
			path := "/admin/v1/apps/" + w.appID + "/" + name
			for _, r := range append(slices.Clone(common), rejects...) {
				w.expectError(w.request("GET", path+"?"+r.query, adminToken, nil), 400, "invalid_parameter", r.field, r.message)
			}

			w.expectError(w.request("GET", path, "", nil), 401, "missing_credentials", "", "")
			for credential, token := range map[string]string{"secret key": w.sk, "session": w.parentToken, "wrong token": adminToken + "x"} {
				if r := w.request("GET", path, token, nil); r.status != 401 {
					t.Errorf("%s with a %s: status %d, want 401: %s", path, credential, r.status, r.body)
				}
			}
			w.expectError(w.request("GET", "/admin/v1/apps/app_missing/"+name, adminToken, nil), 404, "not_found", "", "")
		}
	})
}
