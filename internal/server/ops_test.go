package server_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/accountnet/accountnet/internal/testdb"
)

func TestAdminLogin(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		e := start(t, url)
		if _, err := e.m.Service.CreateAdminUser(context.Background(), "ops@example.com", "ops-password-1"); err != nil {
			t.Fatal(err)
		}

		s := e.must(200, "POST", "/admin/v1/login", "", map[string]any{"email": "OPS@example.com", "password": "ops-password-1"})
		token, _ := s["token"].(string)
		if !strings.HasPrefix(token, "as_") {
			t.Fatalf("admin login = %v", s)
		}
		e.must(200, "GET", "/admin/v1/apps", token, nil)
		e.expectError(e.request("POST", "/admin/v1/login", "", map[string]any{"email": "ops@example.com", "password": "wrong-password"}), 401, "invalid_credentials", "", "")
		e.expectError(e.request("POST", "/admin/v1/login", "", map[string]any{"email": "nobody@example.com", "password": "ops-password-1"}), 401, "invalid_credentials", "", "")
		e.expectError(e.request("GET", "/admin/v1/apps", "as_"+strings.Repeat("A", 43), nil), 401, "invalid_credentials", "", "")
		e.expectError(e.request("GET", "/admin/v1/apps/app_missing", adminToken, nil), 404, "not_found", "", "")
	})
}

func TestOperationalEndpoints(t *testing.T) {
	e := start(t, testdb.SQLiteURL(t))

	e.must(200, "GET", "/healthz", "", nil)
	e.must(200, "GET", "/readyz", "", nil)
	doc := e.must(200, "GET", "/v1/openapi.json", "", nil)
	if doc["openapi"] == nil || doc["paths"] == nil {
		t.Errorf("openapi.json lacks openapi or paths")
	}
	metrics := e.request("GET", "/metrics", "", nil)
	for _, name := range []string{"accountnet_http_requests_total", "accountnet_mail_queued", "go_goroutines"} {
		if !strings.Contains(string(metrics.body), name) {
			t.Errorf("/metrics lacks %s", name)
		}
	}
	// An unknown route is not in the OpenAPI document, so the checking
	// client cannot send it.
	resp, err := http.Get(e.m.URL() + "/v1/nothing/" + strings.Repeat("t", 43))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 404 || !strings.Contains(string(body), `"reason":"route_not_found"`) || !strings.Contains(string(body), `"url":"/v1/nothing/{redacted}"`) {
		t.Errorf("unknown route: %d %s", resp.StatusCode, body)
	}
	if resp.Header.Get("X-Request-Id") == "" {
		t.Error("response lacks X-Request-Id")
	}
}

// TestCORSPreflight sends a browser's OPTIONS request, which carries no
// credentials, from a listed and from an unlisted origin.
func TestCORSPreflight(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))
	preflight := func(origin string) http.Header {
		req, _ := http.NewRequest("OPTIONS", w.m.URL()+"/v1/network/activate/x", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 204 {
			t.Errorf("pre-flight from %s: status %d", origin, resp.StatusCode)
		}
		return resp.Header
	}

	if h := preflight("https://app.example.com"); h.Get("Access-Control-Allow-Origin") != "https://app.example.com" || !strings.Contains(h.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("listed origin: %v", h)
	}
	if h := preflight("https://evil.example"); h.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("unlisted origin granted: %v", h)
	}
}
