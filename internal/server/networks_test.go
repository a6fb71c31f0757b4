package server_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestNetworkLifecycle follows one network from activation with a
// proposed fee to leaving, recording revenue at every step.
func TestNetworkLifecycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		adaID := w.userID(w.parentToken)
		activated := w.clock.Now().Unix()
		childID, childToken := w.distributorChild("buyer@example.com", map[string]any{"fee_proposed": 2.5, "title": "Buyer Co"})

		// Activation copies the invitation's fee as a pending proposal.
		n := w.must(200, "GET", "/v1/networks/"+childID, w.parentToken, nil)
		if n["fee"] != nil || n["fee_proposed"] != 2.5 || n["fee_proposed_date"] != float64(activated) {
			t.Errorf("network after activation = %v", n)
		}
		if n["proposed_account_id"] != w.parentID || n["proposed_user_id"] != adaID || n["parent_account_id"] != w.parentID {
			t.Errorf("proposer after activation = %v", n)
		}
		if n["account_id"] != childID || n["account_title"] != "Buyer Co" || n["domain_id"] != w.distributor || n["domain_title"] != "Distributor" {
			t.Errorf("child fields = %v", n)
		}
		if len(n["fee_history"].([]any)) != 0 || n["created"] != float64(activated) {
			t.Errorf("history or created after activation = %v", n)
		}
		own := w.must(200, "GET", "/v1/network/parent", childToken, nil)
		if own["account_id"] != childID || own["fee_proposed"] != 2.5 {
			t.Errorf("child's view = %v", own)
		}

		// A pending proposal never applies.
		if _, ok := shareOf(w.record(childID, 100)); ok {
			t.Errorf("revenue under a pending proposal has a share")
		}

		w.clock.Add(time.Hour)
		accepted := w.clock.Now().Unix()
		n = w.accept(childToken)
		if n["fee"] != 2.5 || n["fee_proposed"] != nil || n["fee_proposed_date"] != nil || n["proposed_account_id"] != nil || n["proposed_user_id"] != nil {
			t.Errorf("network after accept = %v", n)
		}
		history := n["fee_history"].([]any)
		if len(history) != 1 || history[0].(map[string]any)["fee"] != 2.5 || history[0].(map[string]any)["accepted_date"] != float64(accepted) {
			t.Errorf("history after accept = %v", history)
		}
		w.expectError(w.request("POST", "/v1/network/parent", childToken, map[string]any{"fee": "accept"}), 409, "no_pending_proposal", "", "")
		w.expectError(w.request("POST", "/v1/network/parent", childToken, map[string]any{"fee": "decline"}), 409, "no_pending_proposal", "", "")

		event := w.record(childID, 100)
		share := event["share"].(map[string]any)
		if share["share"] != 3.0 || share["fee"] != 2.5 || share["amount"] != 100.0 || share["event_id"] != event["id"] ||
			share["parent_account_id"] != w.parentID || share["child_account_id"] != childID || share["currency"] != "EUR" ||
			share["created"] != event["created"] || !strings.HasPrefix(share["id"].(string), "shr_") || !strings.HasPrefix(event["id"].(string), "rev_") {
			t.Errorf("event with share = %v", event)
		}

		// A new proposal leaves the accepted fee in force and mails the child.
		w.clock.Add(time.Hour)
		n = w.propose(w.parentToken, childID, 15)
		if n["fee"] != 2.5 || n["fee_proposed"] != 15.0 || n["fee_proposed_date"] != float64(w.clock.Now().Unix()) || n["proposed_user_id"] != adaID {
			t.Errorf("network after proposal = %v", n)
		}
		proposals := w.mailsOfKind("fee_proposed")
		if len(proposals) != 1 || !strings.EqualFold(proposals[0]["to"].(string), "buyer@example.com") {
			t.Fatalf("proposal mails = %v", recipients(proposals))
		}
		if text := proposals[0]["text"].(string); !strings.Contains(text, "15%") || !strings.Contains(text, "2.5%") || !strings.Contains(text, "https://app.example.com/login") {
			t.Errorf("proposal mail text:\n%s", text)
		}
		if s, _ := shareOf(w.record(childID, 3490)); s != 87 {
			t.Errorf("share of 3490 while 15%% is pending = %d, want 87 at 2.5%%", s)
		}

		n = w.must(200, "POST", "/v1/network/parent", childToken, map[string]any{"fee": "decline"})
		if n["fee"] != 2.5 || n["fee_proposed"] != nil || len(n["fee_history"].([]any)) != 1 {
			t.Errorf("network after decline = %v", n)
		}
		declines := w.mailsOfKind("fee_declined")
		if len(declines) != 1 || declines[0]["to"] != "ada@acme.example" || !strings.Contains(declines[0]["text"].(string), "15%") {
			t.Errorf("decline mails = %v", declines)
		}
		if s, _ := shareOf(w.record(childID, 200)); s != 5 {
			t.Errorf("share of 200 after decline = %d, want 5 at 2.5%%", s)
		}

		// Leaving removes the relationship only.
		w.clock.Add(time.Hour)
		ended := w.must(200, "DELETE", "/v1/network/parent", childToken, nil)
		if ended["parent_account_id"] != w.parentID || ended["child_account_id"] != childID {
			t.Errorf("leave = %v", ended)
		}
		w.expectError(w.request("GET", "/v1/network/parent", childToken, nil), 404, "not_found", "", "")
		w.expectError(w.request("GET", "/v1/networks/"+childID, w.parentToken, nil), 404, "not_found", "", "")
		w.expectError(w.request("DELETE", "/v1/network/parent", childToken, nil), 404, "not_found", "", "")
		account := w.must(200, "GET", "/v1/account", childToken, nil)
		if account["id"] != childID || account["parent_account_id"] != nil {
			t.Errorf("child account after leaving = %v", account)
		}
		if _, ok := shareOf(w.record(childID, 1000)); ok {
			t.Errorf("revenue after leaving has a share")
		}

		// Both sides still see the entries of the month.
		earnings := w.must(200, "GET", "/v1/network/earnings?period=2026-03", w.parentToken, nil)
		if earnings["total"] != 3.0 || len(earnings["list"].([]any)) != 3 {
			t.Fatalf("earnings = %v", earnings)
		}
		totals := earnings["totals"].([]any)
		want := map[string]any{"account_id": childID, "account_title": "Buyer Co", "currency": "EUR", "count": 3.0, "amount": 3790.0, "share": 95.0}
		if len(totals) != 1 || !sameMap(totals[0].(map[string]any), want) {
			t.Errorf("earnings totals = %v, want [%v]", totals, want)
		}
		fees := w.must(200, "GET", "/v1/network/fees?period=2026-03", childToken, nil)
		want["account_id"], want["account_title"] = w.parentID, "Acme & Sons"
		if fees["total"] != 3.0 || len(fees["totals"].([]any)) != 1 || !sameMap(fees["totals"].([]any)[0].(map[string]any), want) {
			t.Errorf("fees = %v", fees)
		}

		// The ledger is recomputed from the events alone.
		events, shares := w.eventShares()
		if len(events) != 5 {
			t.Fatalf("%d events, want 5", len(events))
		}
		withShare := 0
		for i, e := range events {
			s := shares[i]
			if s == nil {
				continue
			}
			withShare++
			if s.EventID != e.ID || s.Amount != e.Amount || s.Created != e.Created || s.ChildAccountID != e.AccountID ||
				s.Currency != e.Currency || s.ParentAccountID != w.parentID || s.Share != s.Fee.Share(e.Amount) {
				t.Errorf("entry %+v does not follow from event %+v", s, e)
			}
		}
		if withShare != 3 {
			t.Errorf("%d entries, want 3", withShare)
		}
	})
}

// sameMap compares two decoded JSON objects field by field.
func sameMap(got, want map[string]any) bool {
	if len(got) != len(want) {
		return false
	}
	for k, v := range want {
		if got[k] != v {
			return false
		}
	}
	return true
}

// TestRevenueRounding checks the share rounding table through the API,
// with each refund equal in size and opposite in sign.
func TestRevenueRounding(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("round@example.com", nil)

		cases := []struct {
			fee    any
			amount int64
			want   int64
		}{
			{2.5, 100, 3}, {15, 3490, 524}, {5.25, 300, 16}, {2.255, 999, 23},
			{0, 12345, 0}, {20, 1, 0}, {2.5, 20, 1}, {2.5, 0, 0},
		}
		for _, c := range cases {
			w.propose(w.parentToken, childID, c.fee)
			w.accept(childToken)
			if got, ok := shareOf(w.record(childID, c.amount)); !ok || got != c.want {
				t.Errorf("%v%% of %d = %d (share %v), want %d", c.fee, c.amount, got, ok, c.want)
			}
			if got, ok := shareOf(w.record(childID, -c.amount)); !ok || got != -c.want {
				t.Errorf("%v%% of refund %d = %d (share %v), want %d", c.fee, -c.amount, got, ok, -c.want)
			}
		}
	})
}

// TestFeeProposalExact proposes fees that binary floating point cannot
// hold and reads them back digit for digit.
func TestFeeProposalExact(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("exact@example.com", nil)

		for _, fee := range []string{"16.4", "4.35", "0.29", "1.15"} {
			r := w.request("POST", "/v1/networks/"+childID, w.parentToken, `{"fee_proposed":`+fee+`}`)
			if r.status != 200 || !strings.Contains(string(r.body), `"fee_proposed":`+fee+`,`) {
				t.Errorf("propose %s: %d %s", fee, r.status, r.body)
			}
			a := w.request("POST", "/v1/network/parent", childToken, `{"fee":"accept","fee_proposed":`+fee+`}`)
			if a.status != 200 || !strings.Contains(string(a.body), `"fee":`+fee+`,`) {
				t.Errorf("accept %s: %d %s", fee, a.status, a.body)
			}
		}
		g := w.request("GET", "/v1/networks/"+childID, w.parentToken, nil)
		for _, fee := range []string{"16.4", "4.35", "0.29", "1.15"} {
			if !strings.Contains(string(g.body), `{"fee":`+fee+`,"accepted_date":`) {
				t.Errorf("history lacks %s: %s", fee, g.body)
			}
		}
	})
}

// TestFeeProposalRejects sends bad proposals and answers and checks that
// nothing changed and no mail was queued.
func TestFeeProposalRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("rejects@example.com", map[string]any{"fee_proposed": 2.5})
		agentID, _ := w.activateChild(w.parentToken, w.agent, "agent@example.com", nil)
		path := "/v1/networks/" + childID

		cases := []struct {
			name, path string
			body       any
			status     int
			reason     string
			field, msg string
		}{
			{"150", path, `{"fee_proposed":150}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"100.001", path, `{"fee_proposed":100.001}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"-5", path, `{"fee_proposed":-5}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"percent sign", path, `{"fee_proposed":"15%"}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"null", path, `{"fee_proposed":null}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"true", path, `{"fee_proposed":true}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"1e309", path, `{"fee_proposed":1e309}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"four decimals", path, `{"fee_proposed":2.2555}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"above max", path, `{"fee_proposed":20.001}`, 400, "invalid_fields", "fee_proposed", "The fee can be at most 20%."},
			{"unmonetized rule", "/v1/networks/" + agentID, `{"fee_proposed":1}`, 400, "invalid_fields", "fee_proposed", "This kind of account cannot be charged a fee. Leave the fee empty."},
			{"missing", path, `{}`, 400, "invalid_fields", "fee_proposed", "Enter the fee to propose."},
			{"unknown field", path, `{"fee_proposed":1,"fee":1}`, 400, "unknown_fields", "fee", "This field is not accepted here."},
			{"empty body", path, ``, 400, "invalid_json", "", ""},
			{"unknown child", "/v1/networks/acc_nothing", `{"fee_proposed":1}`, 404, "not_found", "", ""},
		}
		beforeMails := len(w.mails())
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", c.path, w.parentToken, c.body), c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t

		answers := []struct {
			name       string
			body       any
			status     int
			reason     string
			field, msg string
		}{
			{"unknown answer", `{"fee":"maybe"}`, 400, "invalid_fields", "fee", `Send "accept" or "decline".`},
			{"missing answer", `{}`, 400, "invalid_fields", "fee", `Send "accept" or "decline".`},
			{"answer as number", `{"fee":1}`, 400, "invalid_fields", "fee", "Enter text."},
			{"bad expected fee", `{"fee":"accept","fee_proposed":"2.5"}`, 400, "invalid_fields", "fee_proposed", accountnet.PercentMessage},
			{"changed proposal", `{"fee":"accept","fee_proposed":3}`, 409, "proposal_changed", "", ""},
		}
		for _, c := range answers {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", "/v1/network/parent", childToken, c.body), c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t

		n := w.must(200, "GET", path, w.parentToken, nil)
		if n["fee"] != nil || n["fee_proposed"] != 2.5 || len(n["fee_history"].([]any)) != 0 {
			t.Errorf("rejected requests changed the network: %v", n)
		}
		if after := len(w.mails()); after != beforeMails {
			t.Errorf("rejected requests queued mail: %d→%d", beforeMails, after)
		}
	})
}

// TestNetworksList checks search, the fee filter and paging of the
// networks list.
func TestNetworksList(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		ids := map[string]string{}
		add := func(title string, extra map[string]any) string {
			if extra == nil {
				extra = map[string]any{}
			}
			extra["title"] = title
			id, token := w.distributorChild(strings.ToLower(strings.NewReplacer(" ", "", "%", "p", "_", "u").Replace(title))+"@example.com", extra)
			ids[title] = id
			w.clock.Add(time.Second)
			return token
		}
		add("Alpha Retail", map[string]any{"fee_proposed": 1})
		betaToken := add("Beta 50%_Off", map[string]any{"fee_proposed": 2})
		w.accept(betaToken)
		add("Gamma 500ff", nil)
		add("alpha wholesale", nil)

		listIDs := func(query string) ([]string, map[string]any) {
			l := w.must(200, "GET", "/v1/networks"+query, w.parentToken, nil)
			var out []string
			for _, item := range l["list"].([]any) {
				out = append(out, item.(map[string]any)["account_id"].(string))
			}
			return out, l
		}
		check := func(query string, want ...string) {
			t.Helper()
			got, l := listIDs(query)
			var wantIDs []string
			for _, title := range want {
				wantIDs = append(wantIDs, ids[title])
			}
			if !slices.Equal(got, wantIDs) || l["total"] != float64(len(want)) {
				t.Errorf("%s: got %v (total %v), want %v", query, got, l["total"], want)
			}
		}

		check("", "alpha wholesale", "Gamma 500ff", "Beta 50%_Off", "Alpha Retail")
		check("?search=ALPHA", "alpha wholesale", "Alpha Retail")
		check("?search=50%25_", "Beta 50%_Off")
		check("?search=_", "Beta 50%_Off")
		check("?filters[fee]=pending", "Alpha Retail")
		check("?filters[fee]=accepted", "Beta 50%_Off")
		check("?filters[fee]=none", "alpha wholesale", "Gamma 500ff")
		check("?filters[fee]=none&search=gamma", "Gamma 500ff")

		got, l := listIDs("?page_size=3&page_index=2")
		if len(got) != 1 || got[0] != ids["Alpha Retail"] || l["total"] != 4.0 || l["pages"] != 2.0 || l["page_index"] != 2.0 {
			t.Errorf("page 2 of 3 = %v %v", got, l)
		}
		got, l = listIDs("?page_index=9")
		if len(got) != 0 || l["total"] != 4.0 {
			t.Errorf("page past the end = %v %v", got, l)
		}
		filters := l["filters"].(map[string]any)["fee"].(map[string]any)
		if len(filters) != 3 || filters["pending"] == nil || filters["accepted"] == nil || filters["none"] == nil {
			t.Errorf("filters = %v", l["filters"])
		}

		w.expectError(w.request("GET", "/v1/networks?filters[fee]=maybe", w.parentToken, nil), 400, "invalid_parameter", "filters[fee]", "Choose one of the listed values.")
		w.expectError(w.request("GET", "/v1/networks?filters[status]=pending", w.parentToken, nil), 400, "invalid_parameter", "filters[status]", "This list has no such filter.")
		w.expectError(w.request("GET", "/v1/networks?page_size=101", w.parentToken, nil), 400, "invalid_parameter", "page_size", "Use a whole number from 1 to 100.")
		w.expectError(w.request("GET", "/v1/networks", w.pk, nil), 401, "session_required", "", "")
	})
}

// TestNetworkRemoveKeepsAccounts removes a child that has its own child
// and checks that every account and user stays.
func TestNetworkRemoveKeepsAccounts(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("middle@example.com", nil)
		grandchildID, grandchildToken := w.activateChild(childToken, w.retail, "leaf@example.com", nil)
		accounts := w.accountsTotal()

		ended := w.must(200, "DELETE", "/v1/networks/"+childID, w.parentToken, nil)
		if ended["parent_account_id"] != w.parentID || ended["child_account_id"] != childID {
			t.Errorf("remove = %v", ended)
		}
		w.expectError(w.request("DELETE", "/v1/networks/"+childID, w.parentToken, nil), 404, "not_found", "", "")
		if after := w.accountsTotal(); after != accounts {
			t.Errorf("accounts went from %d to %d", accounts, after)
		}
		if a := w.must(200, "GET", "/v1/account", childToken, nil); a["parent_account_id"] != nil {
			t.Errorf("removed child still has a parent: %v", a)
		}
		if p := w.must(200, "GET", "/v1/network/parent", grandchildToken, nil); p["parent_account_id"] != childID || p["account_id"] != grandchildID {
			t.Errorf("grandchild's network = %v", p)
		}
		if l := w.must(200, "GET", "/v1/networks", childToken, nil); l["total"] != 1.0 {
			t.Errorf("removed child's own children = %v", l)
		}
		if l := w.must(200, "GET", "/v1/networks", w.parentToken, nil); l["total"] != 0.0 {
			t.Errorf("parent's children after removal = %v", l)
		}
		w.login("middle@example.com", childPassword)
	})
}
