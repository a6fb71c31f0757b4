package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/api"
	"github.com/accountnet/accountnet/internal/apitest"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/store"
)

// testClock is a clock the test moves by hand.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

const adminToken = "test-admin-token-0123456789abcdefghijkl"

// env is a running server with a client whose every response is checked
// against the OpenAPI document.
type env struct {
	t      *testing.T
	m      *server.Main
	client *http.Client
	clock  *testClock
}

// cheapPassword keeps argon2id fast in tests; the cost parameters do not
// change what is tested.
var cheapPassword = password.Params{Memory: 64, Time: 1, Threads: 1}

// start runs a server on databaseURL; each option may change the
// configuration before the server opens.
func start(t *testing.T, databaseURL string, options ...func(*server.Config)) *env {
	t.Helper()
	openAPI, err := api.JSON()
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	cfg := server.Config{
		Addr: "127.0.0.1:0", DataDir: t.TempDir(), DatabaseURL: databaseURL, AdminToken: adminToken,
		Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: clock, Password: cheapPassword, OpenAPI: openAPI,
	}
	for _, option := range options {
		option(&cfg)
	}
	m, err := server.Open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })

	checker := apitest.NewChecker(t)
	return &env{t: t, m: m, clock: clock, client: checker.Client(t, http.DefaultTransport)}
}

// response is a received HTTP response with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r *response) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
	return v
}

// errorObject returns the "error" member of an error response.
func (r *response) errorObject(t *testing.T) map[string]any {
	t.Helper()
	e, ok := r.json(t)["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %s", r.body)
	}
	return e
}

// request sends body (a string is sent as it is, anything else as JSON).
func (e *env) request(method, path, token string, body any, header ...string) *response {
	e.t.Helper()
	var reader io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		reader = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		reader = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.m.URL()+path, reader)
	if err != nil {
		e.t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}

	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return &response{status: resp.StatusCode, header: resp.Header, body: raw}
}

// must sends a request and fails the test unless the status is want.
func (e *env) must(want int, method, path, token string, body any) map[string]any {
	e.t.Helper()
	r := e.request(method, path, token, body)
	if r.status != want {
		e.t.Fatalf("%s %s: status %d, want %d: %s", method, path, r.status, want, r.body)
	}
	if len(r.body) == 0 {
		return nil
	}
	return r.json(e.t)
}

// expectError checks status, reason and, when field is not "", that
// field's message.
func (e *env) expectError(r *response, status int, reason, field, message string) {
	e.t.Helper()
	if r.status != status {
		e.t.Errorf("status %d, want %d: %s", r.status, status, r.body)
		return
	}
	obj := r.errorObject(e.t)
	if obj["reason"] != reason {
		e.t.Errorf("reason %v, want %s: %s", obj["reason"], reason, r.body)
	}
	if field != "" {
		fields, _ := obj["fields"].(map[string]any)
		if fields[field] != message {
			e.t.Errorf("fields[%s] = %v, want %q: %s", field, fields[field], message, r.body)
		}
	}
}

// world is an app set up through the admin API: domains Manufacturer →
// Distributor → Retailer, an unmonetized Manufacturer → Agent rule, and a
// Manufacturer parent account with its owner logged in.
type world struct {
	*env
	appID, pk, sk                     string
	manufacturer, distributor, retail string
	agent                             string
	parentID, parentToken             string
}

func newWorld(t *testing.T, databaseURL string, options ...func(*server.Config)) *world {
	e := start(t, databaseURL, options...)
	w := &world{env: e}

	app := e.must(201, "POST", "/admin/v1/apps", adminToken, map[string]any{
		"title": "Supply <Chain>", "network_url": "https://app.example.com/activate",
		"login_url": "https://app.example.com/login", "reset_url": "https://app.example.com/password/{token}",
		"cors_origins": []string{"https://app.example.com"},
	})
	w.appID, w.pk, w.sk = app["id"].(string), app["publishable_key"].(string), app["secret_key"].(string)

	domain := func(title string) string {
		return e.must(201, "POST", "/admin/v1/apps/"+w.appID+"/domains", adminToken, map[string]any{"title": title})["id"].(string)
	}
	w.manufacturer, w.distributor, w.retail, w.agent = domain("Manufacturer"), domain("Distributor"), domain("Retailer"), domain("Agent")
	rules := "/admin/v1/apps/" + w.appID + "/network-rules"
	e.must(201, "POST", rules, adminToken, map[string]any{"parent_domain_id": w.manufacturer, "child_domain_id": w.distributor, "monetized": true, "max_fee": 20})
	e.must(201, "POST", rules, adminToken, map[string]any{"parent_domain_id": w.distributor, "child_domain_id": w.retail, "monetized": true})
	e.must(201, "POST", rules, adminToken, map[string]any{"parent_domain_id": w.manufacturer, "child_domain_id": w.agent, "monetized": false})

	parent := e.must(201, "POST", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, map[string]any{
		"title": "Acme & Sons", "domain_id": w.manufacturer, "country_id": "DE",
		"user": map[string]any{"username": "ada", "email": "ada@acme.example", "name": "Ada <b>Lovelace</b>", "password": "ada-password-1"},
	})
	w.parentID = parent["id"].(string)
	w.parentToken = w.login("ada", "ada-password-1")
	return w
}

// login logs in with the publishable key and returns the session token.
func (w *world) login(username, pw string) string {
	w.t.Helper()
	s := w.must(200, "POST", "/v1/auth/login", w.pk, map[string]any{"username": username, "password": pw})
	if s["auth"] != true {
		w.t.Fatalf("login as %s: auth = %v", username, s["auth"])
	}
	return s["token"].(string)
}

// mails returns the app's captured mail, newest first.
func (w *world) mails() []map[string]any {
	w.t.Helper()
	list := w.must(200, "GET", "/admin/v1/apps/"+w.appID+"/mails?page_size=100", adminToken, nil)["list"].([]any)
	out := make([]map[string]any, 0, len(list))
	for _, m := range list {
		out = append(out, m.(map[string]any))
	}
	return out
}

// lastMail returns the newest mail of kind to the address.
func (w *world) lastMail(kind, to string) map[string]any {
	w.t.Helper()
	for _, m := range w.mails() {
		if m["kind"] == kind && strings.EqualFold(m["to"].(string), to) {
			return m
		}
	}
	w.t.Fatalf("no %s mail to %s", kind, to)
	return nil
}

var tokenPattern = regexp.MustCompile(`[A-Za-z0-9_-]{43}`)

// linkToken extracts the token from the first link in text that starts
// with prefix.
func linkToken(t *testing.T, text, prefix string) string {
	t.Helper()
	i := strings.Index(text, prefix)
	if i < 0 {
		t.Fatalf("no link starting with %s in:\n%s", prefix, text)
	}
	link := strings.Fields(text[i:])[0]
	u, err := url.Parse(link)
	if err != nil {
		t.Fatal(err)
	}
	if tok := u.Query().Get("token"); tok != "" {
		return tok
	}
	tok := tokenPattern.FindString(u.Path)
	if tok == "" {
		t.Fatalf("no token in link %s", link)
	}
	return tok
}

// invite initiates an invitation as the parent and returns its token.
func (w *world) invite(email string, extra map[string]any) (map[string]any, string) {
	w.t.Helper()
	body := map[string]any{"domain_id": w.distributor, "email": email}
	for k, v := range extra {
		body[k] = v
	}
	inv := w.must(201, "POST", "/v1/network/initiate", w.parentToken, body)
	mail := w.lastMail("invitation", email)
	return inv, linkToken(w.t, mail["text"].(string), "https://app.example.com/activate")
}

func (w *world) count() (invitations, mails int64) {
	w.t.Helper()
	ctx := context.Background()
	n, err := w.m.DB.Reader().CountInvitations(ctx, w.appID)
	if err != nil {
		w.t.Fatal(err)
	}
	total := w.must(200, "GET", "/admin/v1/apps/"+w.appID+"/mails", adminToken, nil)["total"].(float64)
	return n, int64(total)
}

func (w *world) accountsTotal() int64 {
	w.t.Helper()
	return int64(w.must(200, "GET", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, nil)["total"].(float64))
}

// revoke marks an invitation revoked directly in the store.
func (w *world) revoke(id string) {
	w.t.Helper()
	ctx := context.Background()
	err := w.m.DB.Tx(ctx, func(q *store.Q) error {
		return q.RevokeInvitation(ctx, w.appID, w.parentID, id, w.clock.Now().Unix())
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

var _ = accountnet.NewID
