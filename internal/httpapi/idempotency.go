package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
)

// idempotencyHeader names the request header that makes a POST safe to
// retry.
const idempotencyHeader = "Idempotency-Key"

// maxIdempotencyKey is the longest key accepted, in bytes.
const maxIdempotencyKey = 255

func errIdempotencyHeader() *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: "invalid_header",
		Message: "A request header is invalid.",
		Fields:  map[string]string{idempotencyHeader: "Use 1 to 255 printable ASCII characters, sent once."}}
}

// parseOnce reads the Idempotency-Key header. It returns nil when the
// header is absent, and a 400 naming the header when it is empty, sent
// twice, longer than 255 bytes or not printable ASCII. The fingerprint
// covers the path and query and the body as canonical JSON (keys sorted,
// no insignificant space), so a retry that re-encodes the same object
// still matches.
func parseOnce(r *http.Request, b *body, encode func(result any) (int, []byte, error)) (*service.Once, error) {
	values := r.Header.Values(idempotencyHeader)
	if len(values) == 0 {
		return nil, nil
	}
	key := values[0]
	if len(values) > 1 || !printableASCII(key, maxIdempotencyKey) {
		return nil, errIdempotencyHeader()
	}

	canonical, err := json.Marshal(b.fields)
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	sum.Write([]byte(r.Method + " " + r.URL.Path + "?" + r.URL.RawQuery + "\n"))
	sum.Write(canonical)
	return &service.Once{Key: key, Route: r.Pattern, Fingerprint: hex.EncodeToString(sum.Sum(nil)), Encode: encode}, nil
}

// printableASCII reports whether s has 1 to maxLen characters from space
// to tilde.
func printableASCII(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// encodeJSON renders v exactly as writeJSON sends it.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	err := enc.Encode(v)
	return buf.Bytes(), err
}

// writeSaved sends the response saved under an Idempotency-Key. A replay
// carries Idempotent-Replayed: true.
func writeSaved(w http.ResponseWriter, saved *service.SavedResponse) {
	w.Header().Set("Content-Type", "application/json")
	if saved.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	w.WriteHeader(saved.Status)
	w.Write(saved.Body)
}
