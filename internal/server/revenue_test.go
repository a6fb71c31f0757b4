package server_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestRevenueRejects sends bad revenue requests and checks the status,
// reason and field, and that nothing was recorded.
func TestRevenueRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("payer@example.com", map[string]any{"fee_proposed": 10})
		w.accept(childToken)
		other := w.must(201, "POST", "/admin/v1/apps", adminToken, map[string]any{"title": "Other"})
		otherDomain := w.must(201, "POST", "/admin/v1/apps/"+other["id"].(string)+"/domains", adminToken, map[string]any{"title": "Shop"})["id"].(string)
		otherAccount := w.must(201, "POST", "/admin/v1/apps/"+other["id"].(string)+"/accounts", adminToken, map[string]any{
			"title": "Elsewhere", "domain_id": otherDomain, "country_id": "US",
			"user": map[string]any{"username": "eve", "email": "eve@example.com", "password": "eve-password-1"},
		})["id"].(string)

		body := func(field, value string) string {
			fields := map[string]string{"account_id": `"` + childID + `"`, "amount": "100", "currency": `"EUR"`, "reference": `"inv-1"`}
			if value == "" {
				delete(fields, field)
			} else {
				fields[field] = value
			}
			var parts []string
			for k, v := range fields {
				parts = append(parts, `"`+k+`":`+v)
			}
			return "{" + strings.Join(parts, ",") + "}"
		}
		const currencyMsg = "Use an ISO 4217 currency code in upper case, such as USD or EUR."
		cases := []struct {
			name       string
			body       string
			status     int
			reason     string
			field, msg string
		}{
			{"float amount", body("amount", "10.5"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"whole float amount", body("amount", "10.0"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"exponent amount", body("amount", "1e3"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"string amount", body("amount", `"100"`), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"null amount", body("amount", "null"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"bool amount", body("amount", "true"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"amount over bound", body("amount", "1000000000000001"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"refund over bound", body("amount", "-1000000000000001"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"huge amount", body("amount", "99999999999999999999999"), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"missing amount", body("amount", ""), 400, "invalid_fields", "amount", accountnet.AmountMessage},
			{"lower-case currency", body("currency", `"eur"`), 400, "invalid_fields", "currency", currencyMsg},
			{"unknown currency", body("currency", `"EURO"`), 400, "invalid_fields", "currency", currencyMsg},
			{"currency without minor unit", body("currency", `"XAU"`), 400, "invalid_fields", "currency", currencyMsg},
			{"missing currency", body("currency", ""), 400, "invalid_fields", "currency", currencyMsg},
			{"empty reference", body("reference", `""`), 400, "invalid_fields", "reference", "Enter the reference of this revenue in your system, such as an invoice number."},
			{"long reference", body("reference", `"`+strings.Repeat("r", 256)+`"`), 400, "invalid_fields", "reference", "Use at most 255 characters of text."},
			{"reference with line break", body("reference", `"inv\n1"`), 400, "invalid_fields", "reference", "Use no control characters such as line breaks or tabs."},
			{"long description", body("description", `"`+strings.Repeat("d", 1001)+`"`), 400, "invalid_fields", "description", "Use at most 1000 characters."},
			{"missing account", body("account_id", ""), 400, "invalid_fields", "account_id", "Enter the id of the account that generated the revenue."},
			{"unknown field", body("fee", "1"), 400, "unknown_fields", "fee", "This field is not accepted here."},
			{"unknown account", body("account_id", `"acc_nothing"`), 404, "not_found", "", ""},
			{"other app's account", body("account_id", `"`+otherAccount+`"`), 404, "not_found", "", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.revenue(c.body), c.status, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t

		valid := map[string]any{"account_id": childID, "amount": 100, "currency": "EUR", "reference": "inv-1"}
		w.expectError(w.request("POST", "/v1/network/revenue", w.pk, valid), 403, "secret_key_required", "", "")
		w.expectError(w.request("POST", "/v1/network/revenue", w.parentToken, valid), 403, "secret_key_required", "", "")
		w.expectError(w.request("POST", "/v1/network/revenue", childToken, `{"bad json`), 403, "secret_key_required", "", "")
		w.expectError(w.request("POST", "/v1/network/revenue", other["secret_key"].(string), valid), 404, "not_found", "", "")
		if events, _ := w.eventShares(); len(events) != 0 {
			t.Fatalf("rejected requests recorded %d events", len(events))
		}

		// The bound itself and the boundary references are accepted.
		for _, amount := range []int64{accountnet.MaxAmount, -accountnet.MaxAmount} {
			e := w.record(childID, amount)
			if s, _ := shareOf(e); s != amount/10 || e["amount"] != float64(amount) {
				t.Errorf("10%% of %d = %v", amount, e)
			}
		}
		ref := strings.Repeat("é", 255)
		w.must(201, "POST", "/v1/network/revenue", w.sk, `{"account_id":"`+childID+`","amount":-0,"currency":"JPY","reference":"`+ref+`","description":" Order\t42 "}`)
		if e := w.eventByReference(ref); e.Description != "Order 42" || e.Amount != 0 || e.Currency != "JPY" {
			t.Errorf("stored event = %+v", e)
		}
	})
}

// eventByReference returns the app's revenue event with reference.
func (w *world) eventByReference(reference string) *accountnet.RevenueEvent {
	w.t.Helper()
	e, _, err := w.m.DB.Reader().FindRevenueByReference(context.Background(), w.appID, reference)
	if err != nil {
		w.t.Fatal(err)
	}
	return e
}

// TestRevenueReferenceRepeat checks that a repeated reference returns the
// first result and a repeat with other values is a conflict.
func TestRevenueReferenceRepeat(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("repeat@example.com", map[string]any{"fee_proposed": 15})
		w.accept(childToken)
		body := map[string]any{"account_id": childID, "amount": 3490, "currency": "EUR", "reference": "inv-7", "description": "March"}

		first := w.must(201, "POST", "/v1/network/revenue", w.sk, body)
		w.clock.Add(time.Minute)
		w.propose(w.parentToken, childID, 5)
		w.accept(childToken)
		again := w.must(200, "POST", "/v1/network/revenue", w.sk, body)
		if again["id"] != first["id"] || again["created"] != first["created"] || again["share"].(map[string]any)["id"] != first["share"].(map[string]any)["id"] {
			t.Errorf("repeat = %v, want the first result %v", again, first)
		}
		if s, _ := shareOf(again); s != 524 {
			t.Errorf("repeat share = %d, want the first 524 at 15%%", s)
		}

		for field, value := range map[string]any{"amount": 3491, "currency": "USD", "description": "April", "account_id": w.parentID} {
			changed := map[string]any{}
			for k, v := range body {
				changed[k] = v
			}
			changed[field] = value
			w.expectError(w.request("POST", "/v1/network/revenue", w.sk, changed), 409, "reference_reused", "", "")
		}
		if events, shares := w.eventShares(); len(events) != 1 || shares[0] == nil {
			t.Errorf("repeats recorded %d events", len(events))
		}
	})
}

// TestRevenueConcurrentReference races requests with one reference:
// exactly one records the event and the rest return it.
func TestRevenueConcurrentReference(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("race@example.com", map[string]any{"fee_proposed": 10})
		w.accept(childToken)
		body := map[string]any{"account_id": childID, "amount": 1000, "currency": "EUR", "reference": "same"}

		var wg sync.WaitGroup
		statuses := make([]int, 8)
		ids := make([]string, 8)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := w.request("POST", "/v1/network/revenue", w.sk, body)
				statuses[i] = r.status
				if r.status < 300 {
					ids[i], _ = r.json(t)["id"].(string)
				}
			}()
		}
		wg.Wait()

		created := 0
		for i, s := range statuses {
			switch {
			case s == 201:
				created++
			case s != 200:
				t.Errorf("request %d: status %d, want 200 or 201", i, s)
			}
			if ids[i] != ids[0] {
				t.Errorf("request %d returned event %s, want %s", i, ids[i], ids[0])
			}
		}
		if created != 1 {
			t.Errorf("%d requests created the event, want 1", created)
		}
		if events, shares := w.eventShares(); len(events) != 1 || shares[0] == nil || shares[0].Share != 100 {
			t.Errorf("events = %d, share = %+v", len(events), shares)
		}
	})
}

// TestRevenueDuringFeeChange races revenue recording against a fee
// acceptance: every entry uses either the old or the new fee whole.
func TestRevenueDuringFeeChange(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		childID, childToken := w.distributorChild("busy@example.com", map[string]any{"fee_proposed": 5})
		w.accept(childToken)
		w.propose(w.parentToken, childID, 12.5)

		var wg sync.WaitGroup
		for i := range 12 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if i == 6 {
					w.accept(childToken)
					return
				}
				w.record(childID, 1001)
			}()
		}
		wg.Wait()

		_, shares := w.eventShares()
		for _, s := range shares {
			if s == nil {
				t.Errorf("an event has no share entry")
				continue
			}
			if (s.Fee != 5000 || s.Share != 50) && (s.Fee != 12500 || s.Share != 125) {
				t.Errorf("entry at fee %s has share %d; want 50 at 5%% or 125 at 12.5%%", s.Fee, s.Share)
			}
		}
		if n := w.must(200, "GET", "/v1/networks/"+childID, w.parentToken, nil); n["fee"] != 12.5 {
			t.Errorf("fee after the race = %v", n["fee"])
		}
	})
}

// TestLedgerReports checks the month bounds, paging and totals of the
// earnings and fees reports, and the period parameter.
func TestLedgerReports(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		oneID, oneToken := w.distributorChild("one@example.com", map[string]any{"fee_proposed": 10, "title": "One"})
		w.accept(oneToken)
		twoID, twoToken := w.distributorChild("two@example.com", map[string]any{"fee_proposed": 20, "title": "Two"})
		w.accept(twoToken)

		// The clock is at 2026-03-01 12:00 UTC. The last second of March
		// and the first of April fall in different periods.
		w.record(oneID, 1000)
		w.record(twoID, 1000)
		w.revenue(map[string]any{"account_id": twoID, "amount": 500, "currency": "USD", "reference": "usd-1"})
		w.clock.Add(time.Date(2026, 3, 31, 23, 59, 59, 0, time.UTC).Sub(w.clock.Now()))
		w.record(oneID, -1000)
		w.clock.Add(time.Second)
		w.record(oneID, 7)
		w.parentToken, twoToken = w.login("ada", "ada-password-1"), w.login("two@example.com", childPassword)

		march := w.must(200, "GET", "/v1/network/earnings?period=2026-03&page_size=2", w.parentToken, nil)
		if march["total"] != 4.0 || march["pages"] != 2.0 || len(march["list"].([]any)) != 2 || march["period"] != "2026-03" {
			t.Errorf("march page 1 = %v", march)
		}
		if march["start"] != float64(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Unix()) || march["end"] != float64(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Unix()) {
			t.Errorf("march bounds = %v, %v", march["start"], march["end"])
		}
		wantTotals := []map[string]any{
			{"account_id": oneID, "account_title": "One", "currency": "EUR", "count": 2.0, "amount": 0.0, "share": 0.0},
			{"account_id": twoID, "account_title": "Two", "currency": "EUR", "count": 1.0, "amount": 1000.0, "share": 200.0},
			{"account_id": twoID, "account_title": "Two", "currency": "USD", "count": 1.0, "amount": 500.0, "share": 100.0},
		}
		totals := march["totals"].([]any)
		if len(totals) != len(wantTotals) {
			t.Fatalf("march totals = %v", totals)
		}
		for i, want := range wantTotals {
			if !sameMap(totals[i].(map[string]any), want) {
				t.Errorf("march totals[%d] = %v, want %v", i, totals[i], want)
			}
		}
		page2 := w.must(200, "GET", "/v1/network/earnings?period=2026-03&page_size=2&page_index=2", w.parentToken, nil)
		last := page2["list"].([]any)[1].(map[string]any)
		if last["amount"] != -1000.0 || last["share"] != -100.0 || len(page2["totals"].([]any)) != 3 {
			t.Errorf("march page 2 = %v", page2)
		}

		april := w.must(200, "GET", "/v1/network/earnings?period=2026-04", w.parentToken, nil)
		if april["total"] != 1.0 || april["list"].([]any)[0].(map[string]any)["share"] != 1.0 {
			t.Errorf("april = %v", april)
		}
		empty := w.must(200, "GET", "/v1/network/earnings?period=2025-12", w.parentToken, nil)
		if empty["total"] != 0.0 || len(empty["list"].([]any)) != 0 || len(empty["totals"].([]any)) != 0 {
			t.Errorf("empty month = %v", empty)
		}

		fees := w.must(200, "GET", "/v1/network/fees?period=2026-03", twoToken, nil)
		if fees["total"] != 2.0 || len(fees["totals"].([]any)) != 2 || fees["totals"].([]any)[0].(map[string]any)["account_id"] != w.parentID {
			t.Errorf("two's fees = %v", fees)
		}
		if none := w.must(200, "GET", "/v1/network/fees?period=2026-03", w.parentToken, nil); none["total"] != 0.0 {
			t.Errorf("top-level account owes fees: %v", none)
		}

		for _, query := range []string{"", "?period=2026-13", "?period=26-01", "?period=2026-1", "?period=2026-00", "?period=1969-12",
			"?period=2026-03-01", "?period=+026-03", "?period=2026-03&period=2026-04", "?period=2026%2F03"} {
			for _, path := range []string{"/v1/network/earnings", "/v1/network/fees"} {
				w.expectError(w.request("GET", path+query, w.parentToken, nil), 400, "invalid_parameter", "period", "Use one month as YYYY-MM, such as 2026-03.")
			}
		}
		w.expectError(w.request("GET", "/v1/network/earnings?period=2026-03&search=x", w.parentToken, nil), 400, "invalid_parameter", "search", "This report has no search.")
		w.expectError(w.request("GET", "/v1/network/earnings?period=2026-03&filters[fee]=none", w.parentToken, nil), 400, "invalid_parameter", "filters[fee]", "This list has no such filter.")
		w.expectError(w.request("GET", "/v1/network/fees?period=2026-03&page_index=0", w.parentToken, nil), 400, "invalid_parameter", "page_index", "Use a whole number from 1 to 1000000.")
		w.expectError(w.request("GET", "/v1/network/earnings?period=2026-03", w.sk, nil), 401, "session_required", "", "")
	})
}
