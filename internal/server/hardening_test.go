package server_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/testdb"
)

// rawRequest sends a request without the OpenAPI-checking client, for
// inputs that no documented operation describes.
func rawRequest(t *testing.T, method, url, token, contentType, body string, header ...string) (int, http.Header, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestBadBytesRejected sends NUL characters and bytes that are not UTF-8
// in bodies, paths and queries; PostgreSQL cannot store either in text.
func TestBadBytesRejected(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		base := w.m.URL()
		cases := []struct {
			name, method, path, token, contentType, body string
			status                                       int
			reason                                       string
		}{
			{"NUL in login", "POST", "/v1/auth/login", w.pk, "application/json", `{"username":"a\u0000b","password":"x"}`, 400, "invalid_json"},
			{"NUL in initiate", "POST", "/v1/network/initiate", w.parentToken, "application/json", `{"domain_id":"dom_\u0000","email":"n@example.com"}`, 400, "invalid_json"},
			{"NUL in admin login", "POST", "/admin/v1/login", "", "application/json", `{"email":"a\u0000@example.com","password":"whatever-1"}`, 400, "invalid_json"},
			{"invalid UTF-8 body", "POST", "/v1/network/initiate", w.parentToken, "application/json", "{\"domain_id\":\"" + w.distributor + "\",\"email\":\"a@example.com\",\"title\":\"\xff\xfe\"}", 400, "invalid_json"},
			{"UTF-16 charset", "POST", "/v1/network/initiate", w.parentToken, "application/json; charset=utf-16", `{"email":"a@example.com"}`, 415, "unsupported_media_type"},
			{"NUL in path", "GET", "/admin/v1/apps/app_%00", adminToken, "", "", 400, "invalid_request"},
			{"invalid UTF-8 in path", "GET", "/admin/v1/apps/app_%ff", adminToken, "", "", 400, "invalid_request"},
			{"NUL in query", "GET", "/admin/v1/apps/" + w.appID + "/accounts?search=%00", adminToken, "", "", 400, "invalid_request"},
			{"page index overflow", "GET", "/admin/v1/apps/" + w.appID + "/accounts?page_index=100000000000000000&page_size=100", adminToken, "", "", 400, "invalid_parameter"},
		}
		// A token in the path of a rejected request is not echoed.
		secret := "SECRETTOKENVALUE123"
		if status, _, body := rawRequest(t, "GET", base+"/v1/network/activate/"+secret+"?x=%00", w.pk, "", ""); status != 400 ||
			strings.Contains(body, secret) || !strings.Contains(body, `"url":"/v1/network/activate/{token}"`) {
			t.Errorf("bad query on a token route: %d %s", status, body)
		}

		before, mails := w.count()
		for _, c := range cases {
			status, _, body := rawRequest(t, c.method, base+c.path, c.token, c.contentType, c.body)
			if status != c.status || !strings.Contains(body, `"reason":"`+c.reason+`"`) {
				t.Errorf("%s: %d %s; want %d %s", c.name, status, body, c.status, c.reason)
			}
		}
		if after, afterMails := w.count(); after != before || afterMails != mails {
			t.Errorf("rejected requests wrote data")
		}
	})
}

// TestSameAddressFromTwoParents activates, at the same time, invitations
// from two parents to one new address: both succeed, and the second adds
// a membership for the user the first created.
func TestSameAddressFromTwoParents(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		w.must(201, "POST", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, map[string]any{
			"title": "Second Maker", "domain_id": w.manufacturer, "country_id": "US",
			"user": map[string]any{"username": "bea", "email": "bea@maker.example", "password": "bea-password-1"},
		})
		second := w.login("bea", "bea-password-1")

		for round := range 3 {
			email := "shared" + string(rune('a'+round)) + "@example.com"
			w.must(201, "POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": email})
			w.must(201, "POST", "/v1/network/initiate", second, map[string]any{"domain_id": w.distributor, "email": email})
			// Both mails carry the same second, so their order is not fixed.
			var tokens []string
			for _, m := range w.mails() {
				if m["kind"] == "invitation" && m["to"] == email {
					tokens = append(tokens, linkToken(t, m["text"].(string), "https://app.example.com/activate"))
				}
			}
			if len(tokens) != 2 || tokens[0] == tokens[1] {
				t.Fatalf("round %d: invitation tokens %v, want two different", round, tokens)
			}

			var wg sync.WaitGroup
			statuses := make([]int, 2)
			for i, token := range tokens {
				wg.Add(1)
				go func() {
					defer wg.Done()
					var body string
					statuses[i], _, body = rawRequest(t, "POST", w.m.URL()+"/v1/network/activate/"+token, w.pk, "", "")
					if statuses[i] != 201 {
						t.Log(body)
					}
				}()
			}
			wg.Wait()
			if statuses[0] != 201 || statuses[1] != 201 {
				t.Errorf("round %d: statuses %v, want both 201", round, statuses)
			}
		}
	})
}

// TestConcurrentRulesCannotCycle races X→Y against Y→X.
func TestConcurrentRulesCannotCycle(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		rules := w.m.URL() + "/admin/v1/apps/" + w.appID + "/network-rules"
		for round := range 4 {
			x := w.must(201, "POST", "/admin/v1/apps/"+w.appID+"/domains", adminToken, map[string]any{"title": "X" + string(rune('a'+round))})["id"].(string)
			y := w.must(201, "POST", "/admin/v1/apps/"+w.appID+"/domains", adminToken, map[string]any{"title": "Y" + string(rune('a'+round))})["id"].(string)

			var wg sync.WaitGroup
			statuses := make([]int, 2)
			for i, pair := range [][2]string{{x, y}, {y, x}} {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body := `{"parent_domain_id":"` + pair[0] + `","child_domain_id":"` + pair[1] + `","monetized":false}`
					statuses[i], _, _ = rawRequest(t, "POST", rules, adminToken, "application/json", body)
				}()
			}
			wg.Wait()
			if !(statuses[0] == 201 && statuses[1] == 409 || statuses[0] == 409 && statuses[1] == 201) {
				t.Errorf("round %d: statuses %v, want one 201 and one 409", round, statuses)
			}
		}
	})
}

// TestActivateWithPasswordSendsNoLink checks that a user who chose a
// password at activation gets no set-password link.
func TestActivateWithPasswordSendsNoLink(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))
	_, token := w.invite("chosen@example.com", nil)
	w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"password": "first-pass-11"})

	text := w.lastMail("login_instructions", "chosen@example.com")["text"].(string)
	if strings.Contains(text, "/password/") {
		t.Errorf("log-in mail carries a set-password link:\n%s", text)
	}
	w.login("chosen@example.com", "first-pass-11")
}

// TestRequestHygiene covers metric labels, request ids and CORS on 401.
func TestRequestHygiene(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))
	base := w.m.URL()

	rawRequest(t, "FOO1", base+"/v1/account", w.parentToken, "", "")
	_, _, metrics := rawRequest(t, "GET", base+"/metrics", "", "", "")
	if strings.Contains(metrics, `method="FOO1"`) || !strings.Contains(metrics, `method="other"`) {
		t.Errorf("an invented method reached a metric label")
	}

	long := strings.Repeat("a", 43)
	if _, h, _ := rawRequest(t, "GET", base+"/healthz", "", "", "", "X-Request-Id", long); h.Get("X-Request-Id") == long {
		t.Errorf("a 43-character request id, the length of a token, was adopted")
	}
	if _, h, _ := rawRequest(t, "GET", base+"/healthz", "", "", "", "X-Request-Id", "trace-123"); h.Get("X-Request-Id") != "trace-123" {
		t.Errorf("a short client request id was not adopted: %q", h.Get("X-Request-Id"))
	}

	status, h, _ := rawRequest(t, "GET", base+"/v1/account", "st_"+strings.Repeat("A", 43), "", "", "Origin", "https://app.example.com")
	if status != 401 || h.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("401 for a listed origin: %d, grant %q", status, h.Get("Access-Control-Allow-Origin"))
	}
	_, h, _ = rawRequest(t, "GET", base+"/v1/account", "st_"+strings.Repeat("A", 43), "", "", "Origin", "https://evil.example")
	if h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("401 for an unlisted origin got a grant")
	}
}

// TestHeadSessionStoresNothing checks that HEAD on the session route,
// which the GET route also serves, creates no session: with a limit of
// one session per address, a GET after three HEADs still gets one.
func TestHeadSessionStoresNothing(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t), func(c *server.Config) {
		c.AuthLimits.SessionLimitPerAddress = service.Limit{Max: 1, Window: time.Hour}
	})
	for range 3 {
		if status, _, _ := rawRequest(t, "HEAD", w.m.URL()+"/v1/auth/session", w.pk, "", ""); status != 200 {
			t.Fatalf("HEAD status %d", status)
		}
	}
	w.must(200, "GET", "/v1/auth/session", w.pk, nil)
	w.expectError(w.request("GET", "/v1/auth/session", w.pk, nil), 429, "rate_limited", "", "")
}

// TestAppSettingsNormalized checks that CORS origins are stored as
// browsers send them and that a sender needs a real host name.
func TestAppSettingsNormalized(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))
	app := w.must(200, "POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{
		"cors_origins": []string{"https://App.Example.com", "https://app.example.com:443", "http://b.example:8080", "http://[::1]:80"},
	})
	got := app["cors_origins"].([]any)
	want := []string{"https://app.example.com", "http://b.example:8080", "http://[::1]"}
	if len(got) != len(want) {
		t.Fatalf("cors_origins = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("cors_origins[%d] = %v, want %s", i, got[i], want[i])
		}
	}

	r := w.request("GET", "/v1/static/countries/enumerated", w.pk, nil, "Origin", "https://app.example.com")
	if r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" {
		t.Errorf("normalized origin not granted: %v", r.header)
	}
	w.expectError(w.request("POST", "/admin/v1/apps/"+w.appID, adminToken, map[string]any{"mail_from": "Bad <a@b>"}),
		400, "invalid_fields", "mail_from", `Enter an address such as "Example <noreply@example.com>" or noreply@example.com.`)
}
