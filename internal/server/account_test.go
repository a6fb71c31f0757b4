package server_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestUpdateAccountPartial checks that only the fields sent change, that
// "" clears optional fields and keeps required ones, and that version_id
// grows with every update that changes something.
func TestUpdateAccountPartial(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		before := w.account(w.parentToken)
		if before["version_id"] != 1.0 {
			t.Fatalf("version_id = %v, want 1", before["version_id"])
		}

		full := map[string]any{
			"title": "  Acme\tGlobal  ", "address": "1 Main St", "city": "Berlin", "state": "BE", "zip": "10115",
			"phone": "+49 (30) 1234-567 x8", "url": "https://acme.example/about?x=1", "contact_name": "Ada",
			"contact_email": " Ada@Acme.Example ", "country_id": "FR", "timezone_id": "Europe/Paris",
		}
		w.clock.Add(60e9)
		got := w.must(200, "POST", "/v1/account", w.parentToken, full)
		want := map[string]any{
			"title": "Acme Global", "address": "1 Main St", "city": "Berlin", "state": "BE", "zip": "10115",
			"phone": "+49 (30) 1234-567 x8", "url": "https://acme.example/about?x=1", "contact_name": "Ada",
			"contact_email": "Ada@Acme.Example", "country_id": "FR", "timezone_id": "Europe/Paris", "version_id": 2.0,
			"id": w.parentID, "domain_id": w.manufacturer, "created": before["created"], "parent_account_id": nil,
		}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("after full update: %s = %v, want %v", k, got[k], v)
			}
		}

		steps := []struct {
			name    string
			body    map[string]any
			changed map[string]any
			version float64
		}{
			{"one field", map[string]any{"city": "Hamburg"}, map[string]any{"city": "Hamburg"}, 3},
			{"empty title keeps it", map[string]any{"title": ""}, nil, 3},
			{"blank title keeps it", map[string]any{"title": " \t "}, nil, 3},
			{"empty country keeps it", map[string]any{"country_id": ""}, nil, 3},
			{"same values change nothing", map[string]any{"city": "Hamburg", "zip": "10115"}, nil, 3},
			{"empty clears optional fields", map[string]any{"address": "", "phone": "", "url": "", "contact_email": "", "timezone_id": ""},
				map[string]any{"address": "", "phone": "", "url": "", "contact_email": "", "timezone_id": ""}, 4},
			{"two fields", map[string]any{"state": "HH", "zip": "SW1A 1AA"}, map[string]any{"state": "HH", "zip": "SW1A 1AA"}, 5},
		}
		current := got
		for _, step := range steps {
			next := w.must(200, "POST", "/v1/account", w.parentToken, step.body)
			for k, v := range current {
				wantValue := v
				if nv, ok := step.changed[k]; ok {
					wantValue = nv
				}
				if k == "version_id" {
					wantValue = step.version
				}
				if fmt.Sprint(next[k]) != fmt.Sprint(wantValue) {
					t.Errorf("%s: %s = %v, want %v", step.name, k, next[k], wantValue)
				}
			}
			current = next
		}

		stored := w.account(w.parentToken)
		if fmt.Sprint(stored) != fmt.Sprint(current) {
			t.Errorf("GET /v1/account = %v, want the last update's answer %v", stored, current)
		}
	})
}

// TestUpdateAccountRejects checks each invalid field, and that a rejected
// update changes nothing, not even its valid fields.
func TestUpdateAccountRejects(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		const (
			tooLong = "Use at most %d characters."
			badURL  = "Enter a full web address that starts with https:// or http://."
			badZone = "Choose a time zone from the list, such as Europe/Berlin."
			badZip  = "Use only letters, digits, spaces and hyphens."
			badTel  = "Use digits, spaces and + - ( ) . / only, with x before an extension, such as +1 555 0100 x12."
		)
		cases := []struct {
			name   string
			body   any
			reason string
			field  string
			msg    string
		}{
			{"long title", map[string]any{"title": strings.Repeat("t", 201)}, "invalid_fields", "title", fmt.Sprintf(tooLong, 200)},
			{"long address", map[string]any{"address": strings.Repeat("a", 501)}, "invalid_fields", "address", fmt.Sprintf(tooLong, 500)},
			{"long city", map[string]any{"city": strings.Repeat("c", 101)}, "invalid_fields", "city", fmt.Sprintf(tooLong, 100)},
			{"long state", map[string]any{"state": strings.Repeat("s", 101)}, "invalid_fields", "state", fmt.Sprintf(tooLong, 100)},
			{"long contact name", map[string]any{"contact_name": strings.Repeat("n", 201)}, "invalid_fields", "contact_name", fmt.Sprintf(tooLong, 200)},
			{"long zip", map[string]any{"zip": strings.Repeat("1", 21)}, "invalid_fields", "zip", fmt.Sprintf(tooLong, 20)},
			{"zip with symbol", map[string]any{"zip": "10115!"}, "invalid_fields", "zip", badZip},
			{"phone with letters", map[string]any{"phone": "call me"}, "invalid_fields", "phone", badTel},
			{"phone without digits", map[string]any{"phone": "+ ( )"}, "invalid_fields", "phone", "Enter a phone number with digits."},
			{"long phone", map[string]any{"phone": strings.Repeat("1", 51)}, "invalid_fields", "phone", fmt.Sprintf(tooLong, 50)},
			{"url without scheme", map[string]any{"url": "acme.example"}, "invalid_fields", "url", badURL},
			{"ftp url", map[string]any{"url": "ftp://acme.example"}, "invalid_fields", "url", badURL},
			{"javascript url", map[string]any{"url": "javascript:alert(1)"}, "invalid_fields", "url", badURL},
			{"url with credentials", map[string]any{"url": "https://user:pw@acme.example"}, "invalid_fields", "url", badURL},
			{"url with space", map[string]any{"url": "https://acme.example/a b"}, "invalid_fields", "url", badURL},
			{"relative url", map[string]any{"url": "/about"}, "invalid_fields", "url", badURL},
			{"long url", map[string]any{"url": "https://acme.example/" + strings.Repeat("p", 2000)}, "invalid_fields", "url", badURL},
			{"email with display name", map[string]any{"contact_email": "Ada <ada@acme.example>"}, "invalid_fields", "contact_email", accountnet.EmailMessage},
			{"email without at", map[string]any{"contact_email": "ada.acme.example"}, "invalid_fields", "contact_email", accountnet.EmailMessage},
			{"email with line break", map[string]any{"contact_email": "ada@acme.example\nBcc: x@y.example"}, "invalid_fields", "contact_email", accountnet.EmailMessage},
			{"unknown country", map[string]any{"country_id": "XX"}, "invalid_fields", "country_id", "Choose a country from the list."},
			{"lower-case country", map[string]any{"country_id": "de"}, "invalid_fields", "country_id", "Choose a country from the list."},
			{"zone link", map[string]any{"timezone_id": "Europe/Amsterdam"}, "invalid_fields", "timezone_id", badZone},
			{"zone in lower case", map[string]any{"timezone_id": "europe/berlin"}, "invalid_fields", "timezone_id", badZone},
			{"zone alias UTC", map[string]any{"timezone_id": "UTC"}, "invalid_fields", "timezone_id", badZone},
			{"zone Local", map[string]any{"timezone_id": "Local"}, "invalid_fields", "timezone_id", badZone},
			{"zone title", map[string]any{"timezone_id": "America/New York"}, "invalid_fields", "timezone_id", badZone},
			{"valid field with invalid one", map[string]any{"city": "Paris", "country_id": "XX"}, "invalid_fields", "country_id", "Choose a country from the list."},
			{"title as number", `{"title":5}`, "invalid_fields", "title", "Enter text."},
			{"null field", `{"city":null}`, "invalid_fields", "city", "Enter text."},
			{"domain_id", map[string]any{"domain_id": w.distributor}, "unknown_fields", "domain_id", "This field is not accepted here."},
			{"version_id", map[string]any{"version_id": 7}, "unknown_fields", "version_id", "This field is not accepted here."},
			{"parent_account_id", map[string]any{"parent_account_id": "acc_x"}, "unknown_fields", "parent_account_id", "This field is not accepted here."},
			{"empty body", ``, "invalid_json", "", ""},
		}
		before := w.account(w.parentToken)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				w.expectError(w.request("POST", "/v1/account", w.parentToken, c.body), 400, c.reason, c.field, c.msg)
			})
		}
		w.env.t = t

		r := w.request("POST", "/v1/account", w.parentToken, map[string]any{"url": "x", "zip": "!", "timezone_id": "Mars/Base"})
		fields, _ := r.errorObject(t)["fields"].(map[string]any)
		if len(fields) != 3 {
			t.Errorf("three invalid fields reported as %v", fields)
		}
		if after := w.account(w.parentToken); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Errorf("rejected updates changed the account:\n%v\n%v", before, after)
		}
	})
}

// TestUpdateAccountConcurrent races partial updates of different fields:
// every one lands and version_id counts them all.
func TestUpdateAccountConcurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		const rounds = 8
		var wg sync.WaitGroup
		for i := range rounds {
			for _, field := range []string{"city", "state"} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := w.request("POST", "/v1/account", w.parentToken, map[string]any{field: fmt.Sprintf("%s-%d", field, i)})
					if r.status != 200 {
						t.Errorf("update %s %d: %d %s", field, i, r.status, r.body)
					}
				}()
			}
		}
		wg.Wait()

		a := w.account(w.parentToken)
		if a["version_id"] != float64(1+2*rounds) {
			t.Errorf("version_id = %v, want %d", a["version_id"], 1+2*rounds)
		}
		if !strings.HasPrefix(a["city"].(string), "city-") || !strings.HasPrefix(a["state"].(string), "state-") {
			t.Errorf("a concurrent update was lost: city %q state %q", a["city"], a["state"])
		}
	})
}

// TestStaticCountryAndTimezones checks the account's country object and
// the time zone list.
func TestStaticCountryAndTimezones(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		country := w.must(200, "GET", "/v1/static/country", w.parentToken, nil)
		if country["id"] != "DE" || country["title"] != "Germany" || len(country) != 2 {
			t.Errorf("country = %v", country)
		}
		w.must(200, "POST", "/v1/account", w.parentToken, map[string]any{"country_id": "FR"})
		if c := w.must(200, "GET", "/v1/static/country", w.parentToken, nil); c["id"] != "FR" || c["title"] != "France" {
			t.Errorf("country after update = %v", c)
		}
		w.expectError(w.request("GET", "/v1/static/country", w.pk, nil), 401, "session_required", "", "")

		list := w.request("GET", "/v1/static/timezones/enumerated", w.pk, nil)
		if list.status != 200 || !strings.Contains(string(list.body), `{"countries":["DE","DK","NO","SE","SJ"],"id":"Europe/Berlin","title":"Europe/Berlin"}`) ||
			!strings.Contains(string(list.body), `{"countries":[],"id":"Etc/UTC","title":"Etc/UTC"}`) ||
			!strings.Contains(string(list.body), `"title":"America/New York"`) || strings.Contains(string(list.body), "Europe/Amsterdam") {
			t.Errorf("time zones: %d %.300s", list.status, list.body)
		}
		renamed := w.request("GET", "/v1/static/timezones/enumerated?id=value&title=label", w.parentToken, nil)
		if !strings.Contains(string(renamed.body), `{"countries":["BE","LU","NL"],"label":"Europe/Brussels","value":"Europe/Brussels"}`) {
			t.Errorf("renamed time zones: %.300s", renamed.body)
		}
		w.expectError(w.request("GET", "/v1/static/timezones/enumerated?id=bad-key", w.pk, nil), 400, "invalid_parameter", "id", "Use a key name of letters, digits and underscores.")

		// Every listed zone is accepted by an update.
		var zones []map[string]any
		w.must(200, "GET", "/v1/account", w.parentToken, nil)
		if err := jsonUnmarshal(list.body, &zones); err != nil {
			t.Fatal(err)
		}
		for _, z := range []int{0, len(zones) / 2, len(zones) - 1} {
			id := zones[z]["id"].(string)
			if got := w.must(200, "POST", "/v1/account", w.parentToken, map[string]any{"timezone_id": id}); got["timezone_id"] != id {
				t.Errorf("timezone_id = %v, want %s", got["timezone_id"], id)
			}
		}
	})
}
