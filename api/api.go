// Package api holds the OpenAPI 3.0 document of accountnet's HTTP API,
// embedded in the binary so the server can serve it at /v1/openapi.json
// and tests can check responses against it.
package api

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed openapi.yaml
var document []byte

// YAML returns the OpenAPI document as written. The caller must not modify
// the returned slice.
func YAML() []byte {
	return document
}

// Load parses and validates the OpenAPI document. Every call returns a new
// *openapi3.T, so a caller may modify it.
func Load() (*openapi3.T, error) {
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(document)
	if err != nil {
		return nil, fmt.Errorf("parse api/openapi.yaml: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("validate api/openapi.yaml: %w", err)
	}
	return doc, nil
}

// JSON loads and validates the OpenAPI document and encodes it as JSON.
func JSON() ([]byte, error) {
	doc, err := Load()
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("encode the OpenAPI document as JSON: %w", err)
	}
	return out, nil
}
