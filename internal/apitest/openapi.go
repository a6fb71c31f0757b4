// Package apitest checks HTTP responses of accountnet against its OpenAPI
// document (api/openapi.yaml), so that tests catch an undocumented status,
// field or content type.
package apitest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/accountnet/accountnet/api"
	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// maxBodyInError is the number of body bytes a failure message quotes.
const maxBodyInError = 500

// Checker validates responses against the OpenAPI document.
type Checker struct {
	router  routers.Router
	options *openapi3filter.Options
}

// NewChecker loads the OpenAPI document and builds a router over its
// operations. It stops the test when the document does not load.
func NewChecker(tb testing.TB) *Checker {
	tb.Helper()
	doc, err := api.Load()
	if err != nil {
		tb.Fatalf("load the OpenAPI document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatalf("build a router from the OpenAPI document: %v", err)
	}
	return &Checker{
		router: router,
		options: &openapi3filter.Options{
			// Only responses are checked, so credentials are never verified.
			AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
			IncludeResponseStatus: true,
			MultiError:            true,
			// The failure message quotes the body, so the schema and value
			// dumps would only repeat it at length.
			SchemaValidationOptions: []openapi3.SchemaValidationOption{openapi3.DisableSchemaErrorDetails()},
		},
	}
}

// Check validates one response to req: its status must be documented for
// the operation, and its headers, content type and body must match the
// document. The operation is found by method and path only, so req may
// carry an absolute URL of any host. Each failure is reported with
// tb.Errorf.
func (c *Checker) Check(tb testing.TB, req *http.Request, status int, header http.Header, body []byte) {
	tb.Helper()

	// The document's only server is "/", so drop the scheme and host.
	pathOnly := req.Clone(context.Background())
	pathOnly.URL = &url.URL{Path: req.URL.Path, RawPath: req.URL.RawPath, RawQuery: req.URL.RawQuery}
	pathOnly.Host = ""

	route, pathParams, err := c.router.FindRoute(pathOnly)
	if err != nil {
		tb.Errorf("%s %s: status %d: no operation in the OpenAPI document: %v; body: %s",
			req.Method, req.URL.Path, status, err, excerpt(body))
		return
	}

	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request:    pathOnly,
			PathParams: pathParams,
			Route:      route,
			Options:    c.options,
		},
		Status:  status,
		Header:  header,
		Options: c.options,
	}
	input.SetBodyBytes(body)
	if err := openapi3filter.ValidateResponse(context.Background(), input); err != nil {
		tb.Errorf("%s %s: status %d does not match the OpenAPI document: %v; body: %s",
			req.Method, req.URL.Path, status, err, excerpt(body))
	}
}

// Client returns an HTTP client whose transport checks every response it
// receives with Check. The response body is read in full and replaced, so
// the caller can still read it. A nil base means http.DefaultTransport.
func (c *Checker) Client(tb testing.TB, base http.RoundTripper) *http.Client {
	if base == nil {
		base = http.DefaultTransport
	}
	return &http.Client{Transport: &checkingTransport{checker: c, tb: tb, base: base}}
}

type checkingTransport struct {
	checker *Checker
	tb      testing.TB
	base    http.RoundTripper
}

func (t *checkingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}

	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))

	t.checker.Check(t.tb, req, resp.StatusCode, resp.Header, body)
	return resp, nil
}

// excerpt returns up to maxBodyInError bytes of body for a failure
// message.
func excerpt(body []byte) string {
	if len(body) > maxBodyInError {
		return strings.ToValidUTF8(string(body[:maxBodyInError]), "") + " (truncated)"
	}
	return string(body)
}
