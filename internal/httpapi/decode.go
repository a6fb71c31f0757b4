package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/accountnet/accountnet"
)

// maxDepth bounds the nesting of request bodies.
const maxDepth = 16

// body is a decoded JSON object whose fields the handler reads one by one.
// Each read records a type error for the field, and err reports every
// field the handler never read as unknown.
type body struct {
	fields map[string]json.RawMessage
	prefix string // "user." for a nested object
	read   map[string]bool
	errs   accountnet.FieldErrors
}

func errBody(reason, message, detail string) *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: reason, Message: message, Detail: detail}
}

// decodeBody reads the request body as one JSON object with no duplicate
// keys and nothing after it. An empty body is an empty object when
// optional is true.
func decodeBody(r *http.Request, optional bool) (*body, error) {
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, &accountnet.Error{Code: accountnet.CodeTooLarge, Party: accountnet.PartyCodebase, Reason: "body_too_large",
				Message: "The request is too large.", Detail: "request bodies are limited to " + formatBytes(tooLarge.Limit)}
		}
		return nil, errBody("invalid_body", "The request could not be read.", err.Error())
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		if optional {
			return &body{fields: map[string]json.RawMessage{}, read: map[string]bool{}}, nil
		}
		return nil, errBody("invalid_json", "The request needs a JSON body.", "send a JSON object")
	}

	mediaType, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	charset, hasCharset := params["charset"]
	if err != nil || mediaType != "application/json" || (hasCharset && !strings.EqualFold(charset, "utf-8")) {
		return nil, &accountnet.Error{Code: accountnet.CodeUnsupported, Party: accountnet.PartyCodebase, Reason: "unsupported_media_type",
			Message: "The request must be sent as JSON.", Detail: "set Content-Type: application/json (UTF-8)"}
	}

	// encoding/json would replace invalid bytes with U+FFFD and keep NUL
	// characters, which PostgreSQL cannot store in text; reject both.
	if !utf8.Valid(raw) {
		return nil, errBody("invalid_json", "The request body is not valid UTF-8.", "encode the body as UTF-8")
	}
	if bytes.Contains(raw, []byte(`\u0000`)) {
		return nil, errBody("invalid_json", "The request contains a NUL character, which no field accepts.", `remove \u0000 from the strings`)
	}

	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // numbers stay text, so 1e309 reaches the field check
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errBody("invalid_json", "The request body must be a JSON object.", "the body does not start with {")
	}
	if err := checkObject(dec, 1); err != nil {
		return nil, errBody("invalid_json", "The request body is not valid JSON.", err.Error())
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errBody("invalid_json", "The request body must be a single JSON object.", "data follows the object")
	}

	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, errBody("invalid_json", "The request body is not valid JSON.", err.Error())
	}
	return &body{fields: fields, read: map[string]bool{}}, nil
}

// readBody decodes a required JSON body and reads its fields with read.
// On any problem it writes the error response and reports false.
func readBody[T any](s *Server, w http.ResponseWriter, r *http.Request, read func(*body) T) (T, bool) {
	var zero T
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return zero, false
	}
	in := read(b)
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return zero, false
	}
	return in, true
}

// readEmptyBody accepts a missing body or an empty JSON object, for
// endpoints that take no fields. On any problem it writes the error
// response and reports false.
func readEmptyBody(s *Server, w http.ResponseWriter, r *http.Request) (*body, bool) {
	b, err := decodeBody(r, true)
	if err == nil {
		err = b.err()
	}
	if err != nil {
		s.writeError(w, r, err)
		return nil, false
	}
	return b, true
}

var errDuplicateKey = errors.New("duplicate key")

// checkObject walks an object whose '{' was read, rejecting duplicate
// keys at every level.
func checkObject(dec *json.Decoder, depth int) error {
	if depth > maxDepth {
		return errors.New("nested too deeply")
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string)
		if seen[key] {
			return errors.Join(errDuplicateKey, errors.New("duplicate key "+key))
		}
		seen[key] = true
		if err := checkValue(dec, depth); err != nil {
			return err
		}
	}
	_, err := dec.Token()
	return err
}

func checkValue(dec *json.Decoder, depth int) error {
	tok, err := dec.Token()
	if err != nil {
		return err
	}
	switch tok {
	case json.Delim('{'):
		return checkObject(dec, depth+1)
	case json.Delim('['):
		if depth+1 > maxDepth {
			return errors.New("nested too deeply")
		}
		for dec.More() {
			if err := checkValue(dec, depth+1); err != nil {
				return err
			}
		}
		_, err := dec.Token()
		return err
	}
	return nil
}

// raw returns the field's JSON text and whether it was sent.
func (b *body) raw(name string) (json.RawMessage, bool) {
	b.read[name] = true
	v, ok := b.fields[name]
	return v, ok
}

func (b *body) fail(name, message string) {
	b.errs.Add(b.prefix+name, message)
}

// String reads an optional string field; nil when absent.
func (b *body) String(name string) *string {
	v, ok := b.raw(name)
	if !ok {
		return nil
	}
	var s string
	if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, &s) != nil {
		b.fail(name, "Enter text.")
		return nil
	}
	return &s
}

// Text reads a string field and returns "" when it is absent.
func (b *body) Text(name string) string {
	if s := b.String(name); s != nil {
		return *s
	}
	return ""
}

// Bool reads an optional boolean field.
func (b *body) Bool(name string) *bool {
	v, ok := b.raw(name)
	if !ok {
		return nil
	}
	var x bool
	if string(v) != "true" && string(v) != "false" {
		b.fail(name, "Use true or false.")
		return nil
	}
	x = string(v) == "true"
	return &x
}

// Int reads an optional integer field.
func (b *body) Int(name string) *int64 {
	v, ok := b.raw(name)
	if !ok {
		return nil
	}
	var n int64
	dec := json.NewDecoder(bytes.NewReader(v))
	if len(v) == 0 || v[0] == '"' || v[0] == 'n' || dec.Decode(&n) != nil {
		b.fail(name, "Enter a whole number.")
		return nil
	}
	return &n
}

// Percent reads an optional percentage field from its exact JSON text.
func (b *body) Percent(name string) *accountnet.Percent {
	v, ok := b.raw(name)
	if !ok {
		return nil
	}
	p, err := accountnet.ParsePercent(string(v))
	if err != nil {
		b.fail(name, accountnet.PercentMessage)
		return nil
	}
	return &p
}

// Strings reads an optional array of strings.
func (b *body) Strings(name string) *[]string {
	v, ok := b.raw(name)
	if !ok {
		return nil
	}
	var list []string
	if len(v) == 0 || v[0] != '[' || json.Unmarshal(v, &list) != nil {
		b.fail(name, "Enter a list of text values.")
		return nil
	}
	return &list
}

// Object reads a nested object; its fields are reported with name as
// prefix ("user.email").
func (b *body) Object(name string) *body {
	v, ok := b.raw(name)
	nested := &body{fields: map[string]json.RawMessage{}, prefix: b.prefix + name + ".", read: map[string]bool{}}
	if !ok {
		return nested
	}
	if len(v) == 0 || v[0] != '{' || json.Unmarshal(v, &nested.fields) != nil {
		b.fail(name, "Send an object.")
	}
	return nested
}

// err returns the field errors collected so far merged with nested's,
// or, when every value was well-typed, an error naming the unknown fields.
func (b *body) err(nested ...*body) error {
	unknown := map[string]string{}
	for _, x := range append([]*body{b}, nested...) {
		for name := range x.fields {
			if !x.read[name] {
				unknown[x.prefix+name] = "This field is not accepted here."
			}
		}
		for k, v := range x.errs {
			b.errs.Add(k, v)
		}
	}
	if len(unknown) > 0 {
		return &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: "unknown_fields",
			Message: "The request contains fields that are not accepted.", Fields: unknown}
	}
	return b.errs.Err()
}

func formatBytes(n int64) string {
	if n%1024 == 0 {
		return itoa(n/1024) + " KiB"
	}
	return itoa(n) + " bytes"
}
