package api

import (
	"encoding/json"
	"strings"
	"testing"
)

// routes lists every route that httpapi.Server registers, except the CORS
// pre-flight "OPTIONS /v1/" and the catch-all "/".
var routes = []string{
	"GET /healthz",
	"GET /readyz",
	"GET /metrics",
	"GET /v1/openapi.json",

	"GET /v1/auth/session",
	"POST /v1/auth/login",
	"POST /v1/auth/login-account",
	"POST /v1/auth/logout",
	"GET /v1/auth/reset-password/{token}",
	"POST /v1/auth/reset-password",
	"POST /v1/auth/forgot-password",
	"GET /v1/account",
	"POST /v1/account",
	"GET /v1/static/countries/enumerated",
	"GET /v1/static/country",
	"GET /v1/static/timezones/enumerated",
	"GET /v1/static/domains/enumerated",
	"GET /v1/network/domains/enumerated",
	"POST /v1/network/initiate",
	"GET /v1/network/activate/{token}",
	"POST /v1/network/activate/{token}",
	"POST /v1/network/decline/{token}",
	"GET /v1/network/invitations",
	"GET /v1/network/invitations/{id}",
	"POST /v1/network/invitations/{id}",
	"POST /v1/network/invitations/{id}/resend",
	"DELETE /v1/network/invitations/{id}",
	"GET /v1/networks",
	"GET /v1/networks/{child_account_id}",
	"POST /v1/networks/{child_account_id}",
	"DELETE /v1/networks/{child_account_id}",
	"GET /v1/network/parent",
	"POST /v1/network/parent",
	"DELETE /v1/network/parent",
	"POST /v1/network/revenue",
	"GET /v1/network/earnings",
	"GET /v1/network/fees",

	"POST /admin/v1/login",
	"GET /admin/v1/apps",
	"POST /admin/v1/apps",
	"GET /admin/v1/apps/{app_id}",
	"POST /admin/v1/apps/{app_id}",
	"GET /admin/v1/apps/{app_id}/keys",
	"POST /admin/v1/apps/{app_id}/keys",
	"DELETE /admin/v1/apps/{app_id}/keys/{key_id}",
	"GET /admin/v1/apps/{app_id}/domains",
	"POST /admin/v1/apps/{app_id}/domains",
	"GET /admin/v1/apps/{app_id}/domains/{domain_id}",
	"POST /admin/v1/apps/{app_id}/domains/{domain_id}",
	"DELETE /admin/v1/apps/{app_id}/domains/{domain_id}",
	"GET /admin/v1/apps/{app_id}/network-rules",
	"POST /admin/v1/apps/{app_id}/network-rules",
	"DELETE /admin/v1/apps/{app_id}/network-rules/{rule_id}",
	"GET /admin/v1/apps/{app_id}/accounts",
	"POST /admin/v1/apps/{app_id}/accounts",
	"GET /admin/v1/apps/{app_id}/accounts/{account_id}/users",
	"POST /admin/v1/apps/{app_id}/accounts/{account_id}/users/{user_id}",
	"GET /admin/v1/apps/{app_id}/mails",
	"GET /admin/v1/apps/{app_id}/invitations",
	"GET /admin/v1/apps/{app_id}/networks",
	"GET /admin/v1/apps/{app_id}/revenue",
}

func TestLoadValidates(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
}

func TestJSONIsValid(t *testing.T) {
	out, err := JSON()
	if err != nil {
		t.Fatalf("JSON: %v", err)
	}
	if !json.Valid(out) {
		t.Fatalf("JSON returned invalid JSON: %.200s", out)
	}

	var doc struct {
		OpenAPI string         `json:"openapi"`
		Paths   map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatalf("decode JSON output: %v", err)
	}
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	if len(doc.Paths) == 0 {
		t.Error("JSON output has no paths")
	}
}

func TestYAMLIsEmbedded(t *testing.T) {
	if !strings.HasPrefix(string(YAML()), "openapi: 3.0.3") {
		t.Errorf("YAML starts with %.40q, want \"openapi: 3.0.3\"", YAML())
	}
}

func TestEveryRouteDocumented(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for _, route := range routes {
		method, path, _ := strings.Cut(route, " ")
		item := doc.Paths.Value(path)
		if item == nil {
			t.Errorf("%s: path missing from the document", route)
			continue
		}
		if item.GetOperation(method) == nil {
			t.Errorf("%s: operation missing from the document", route)
		}
	}
}

func TestNoUnknownRouteDocumented(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	known := map[string]bool{}
	for _, route := range routes {
		known[route] = true
	}
	for path, item := range doc.Paths.Map() {
		for method := range item.Operations() {
			if route := method + " " + path; !known[route] {
				t.Errorf("%s: documented, but the server registers no such route", route)
			}
		}
	}
}

func TestOperationsDocumentErrors(t *testing.T) {
	doc, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			route := method + " " + path
			if op.Responses.Status(500) == nil && path != "/metrics" {
				t.Errorf("%s: no 500 response", route)
			}
			if op.Security == nil {
				t.Errorf("%s: no security requirement (use [] for an open operation)", route)
				continue
			}
			if len(*op.Security) > 0 && op.Responses.Status(401) == nil {
				t.Errorf("%s: needs a credential but documents no 401", route)
			}
			if op.RequestBody != nil && op.Responses.Status(400) == nil {
				t.Errorf("%s: reads a body but documents no 400", route)
			}
		}
	}
}
