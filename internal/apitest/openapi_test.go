package apitest

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// recordingTB records Errorf calls instead of failing the test, so a test
// can check that the Checker reports a failure. Other methods go to the
// embedded testing.TB.
type recordingTB struct {
	testing.TB
	mu     sync.Mutex
	errors []string
}

func (r *recordingTB) Helper() {}

func (r *recordingTB) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recordingTB) failures() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.errors...)
}

const validError = `{"error":{"url":"/v1/account","request_method":"get","type":"codebase","code":401,` +
	`"reason":"missing_credentials","message":"Send an app key or a session token."}}`

// response builds a response with httptest.ResponseRecorder, as a handler
// would write it.
func response(status int, contentType, body string) *http.Response {
	rec := httptest.NewRecorder()
	rec.Header().Set("Content-Type", contentType)
	rec.Header().Set("X-Request-Id", "req_test")
	rec.WriteHeader(status)
	io.WriteString(rec, body)
	return rec.Result()
}

// check runs Checker.Check on one hand-built response and returns the
// failures it reported.
func check(t *testing.T, c *Checker, method, target string, resp *http.Response) []string {
	t.Helper()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the recorded body: %v", err)
	}
	req := httptest.NewRequest(method, target, nil)
	tb := &recordingTB{TB: t}
	c.Check(tb, req, resp.StatusCode, resp.Header, body)
	return tb.failures()
}

func TestCheckValidErrorPasses(t *testing.T) {
	c := NewChecker(t)
	failures := check(t, c, "GET", "/v1/account", response(401, "application/json", validError))
	if len(failures) != 0 {
		t.Errorf("valid error object reported: %q", failures)
	}
}

func TestCheckErrorWithFieldsPasses(t *testing.T) {
	c := NewChecker(t)
	body := `{"error":{"url":"/v1/network/initiate","request_method":"post","type":"user","code":400,` +
		`"reason":"invalid_fields","message":"Some values are invalid.","fields":{"email":"Enter a valid email address."},` +
		`"dev_message":"email: empty"}}`
	failures := check(t, c, "POST", "/v1/network/initiate", response(400, "application/json", body))
	if len(failures) != 0 {
		t.Errorf("error object with fields reported: %q", failures)
	}
}

func TestCheckAbsoluteURLMatchesPath(t *testing.T) {
	c := NewChecker(t)
	failures := check(t, c, "GET", "http://127.0.0.1:4567/v1/account", response(401, "application/json", validError))
	if len(failures) != 0 {
		t.Errorf("absolute URL reported: %q", failures)
	}
}

func TestCheckPathParameterRoute(t *testing.T) {
	c := NewChecker(t)
	body := `{"error":{"url":"/v1/network/activate/{token}","request_method":"get","type":"user","code":410,` +
		`"reason":"token_expired","message":"This invitation has expired."}}`
	failures := check(t, c, "GET", "/v1/network/activate/abcDEF123_-", response(410, "application/json", body))
	if len(failures) != 0 {
		t.Errorf("410 on the activation pre-flight reported: %q", failures)
	}
}

func TestCheckMissingReasonFails(t *testing.T) {
	c := NewChecker(t)
	body := `{"error":{"url":"/v1/account","request_method":"get","type":"codebase","code":401,` +
		`"message":"Send an app key or a session token."}}`
	failures := check(t, c, "GET", "/v1/account", response(401, "application/json", body))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
	if !strings.Contains(failures[0], "reason") {
		t.Errorf("failure does not name the missing property: %s", failures[0])
	}
}

func TestCheckUndocumentedStatusFails(t *testing.T) {
	c := NewChecker(t)
	body := strings.ReplaceAll(validError, `"code":401`, `"code":403`)
	failures := check(t, c, "GET", "/v1/account", response(403, "application/json", body))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
	if !strings.Contains(failures[0], "status 403") {
		t.Errorf("failure does not name the status: %s", failures[0])
	}
}

func TestCheckUnknownPropertyFails(t *testing.T) {
	c := NewChecker(t)
	failures := check(t, c, "GET", "/healthz", response(200, "application/json", `{"status":"ok","uptime":12}`))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
	if !strings.Contains(failures[0], "uptime") {
		t.Errorf("failure does not name the unknown property: %s", failures[0])
	}
}

func TestCheckUnknownErrorPropertyFails(t *testing.T) {
	c := NewChecker(t)
	body := strings.Replace(validError, `"reason"`, `"token":"st_secret","reason"`, 1)
	failures := check(t, c, "GET", "/v1/account", response(401, "application/json", body))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
}

func TestCheckWrongContentTypeFails(t *testing.T) {
	c := NewChecker(t)
	failures := check(t, c, "GET", "/healthz", response(200, "text/html", `{"status":"ok"}`))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
}

func TestCheckMissingRequestIDFails(t *testing.T) {
	c := NewChecker(t)
	resp := response(200, "application/json", `{"status":"ok"}`)
	resp.Header.Del("X-Request-Id")
	failures := check(t, c, "GET", "/healthz", resp)
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
}

func TestCheckUnknownRouteFails(t *testing.T) {
	c := NewChecker(t)
	failures := check(t, c, "GET", "/v1/nothing-here", response(404, "application/json", validError))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
	if !strings.Contains(failures[0], "no operation") {
		t.Errorf("failure does not say the route is undocumented: %s", failures[0])
	}
}

func TestCheckQuotesAtMost500BodyBytes(t *testing.T) {
	c := NewChecker(t)
	long := `{"status":"` + strings.Repeat("x", 2000) + `"}`
	failures := check(t, c, "GET", "/healthz", response(http.StatusTeapot, "application/json", long))
	if len(failures) != 1 {
		t.Fatalf("got %d failures, want 1: %q", len(failures), failures)
	}
	if n := strings.Count(failures[0], "x"); n > 500 {
		t.Errorf("failure quotes %d body bytes, want at most 500", n)
	}
	if !strings.Contains(failures[0], "(truncated)") {
		t.Errorf("failure does not mark the body as truncated: %.100s", failures[0])
	}
}

func TestCheckNullablePercent(t *testing.T) {
	c := NewChecker(t)
	preflight := `{"invitation_id":"nwi_a","email":"a@example.com","parent_account_title":"Parent",` +
		`"domain_id":"dom_a","domain_title":"Retailer","country_id":"US","fee_proposed":%s,"title":"","expires":1700000000}`
	cases := map[string]int{"null": 0, "2.255": 0, "100": 0, "100.5": 1, "-1": 1, `"2"`: 1}
	for value, want := range cases {
		resp := response(200, "application/json", fmt.Sprintf(preflight, value))
		resp.Header.Set("Cache-Control", "no-store")
		resp.Header.Set("Referrer-Policy", "no-referrer")
		failures := check(t, c, "GET", "/v1/network/activate/tok", resp)
		if len(failures) != want {
			t.Errorf("fee_proposed %s: got %d failures, want %d: %q", value, len(failures), want, failures)
		}
	}
}

func TestClientChecksAndKeepsBody(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_test")
		if r.URL.Path == "/healthz" {
			io.WriteString(w, `{"status":"ok"}`)
			return
		}
		w.WriteHeader(http.StatusTeapot)
		io.WriteString(w, `{"status":"teapot"}`)
	}))
	defer srv.Close()

	c := NewChecker(t)
	tb := &recordingTB{TB: t}
	client := c.Client(tb, nil)

	resp, err := client.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz: %v", err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatalf("read the body: %v", err)
	}
	if string(body) != `{"status":"ok"}` {
		t.Errorf("body = %q, want the server's body", body)
	}
	if failures := tb.failures(); len(failures) != 0 {
		t.Errorf("valid response reported: %q", failures)
	}

	resp, err = client.Get(srv.URL + "/readyz")
	if err != nil {
		t.Fatalf("GET /readyz: %v", err)
	}
	resp.Body.Close()
	if failures := tb.failures(); len(failures) != 1 {
		t.Errorf("got %d failures for an undocumented 418, want 1: %q", len(failures), failures)
	}
}
