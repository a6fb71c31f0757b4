package server_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/testdb"
)

// TestIdempotentInitiate retries an initiate with the same key: one
// invitation, one mail, the first response again. The same key with
// another body is 409, and an expired key may be used again.
func TestIdempotentInitiate(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		invitations, mails := w.count()
		body := map[string]any{"domain_id": w.distributor, "email": "once@example.com", "title": "Once"}

		first := w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "create-once-1")
		if first.status != 201 || first.header.Get("Idempotent-Replayed") != "" {
			t.Fatalf("first request: %d %v %s", first.status, first.header, first.body)
		}
		w.clock.Add(time.Hour)
		retry := w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "create-once-1")
		if retry.status != 201 || string(retry.body) != string(first.body) || retry.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("retry: %d %v %s; want 201 with the first body %s", retry.status, retry.header, retry.body, first.body)
		}
		// The same object with its keys in another order and other spacing
		// is the same request.
		reordered := `{ "title":"Once", "email":"once@example.com", "domain_id":"` + w.distributor + `" }`
		if r := w.request("POST", "/v1/network/initiate", w.parentToken, reordered, "Idempotency-Key", "create-once-1"); r.status != 201 || string(r.body) != string(first.body) {
			t.Errorf("reordered retry: %d %s", r.status, r.body)
		}
		if n, m := w.count(); n != invitations+1 || m != mails+1 {
			t.Errorf("invitations %d→%d, mails %d→%d; want one more of each", invitations, n, mails, m)
		}

		other := map[string]any{"domain_id": w.distributor, "email": "twice@example.com"}
		w.expectError(w.request("POST", "/v1/network/initiate", w.parentToken, other, "Idempotency-Key", "create-once-1"), 409, "idempotency_key_reused", "", "")
		w.expectError(w.request("POST", "/v1/network/initiate?validate_only=false", w.parentToken, body, "Idempotency-Key", "create-once-1"), 409, "idempotency_key_reused", "", "")
		if n, m := w.count(); n != invitations+1 || m != mails+1 {
			t.Errorf("reused key wrote data: invitations %d, mails %d", n, m)
		}

		// Keys are scoped to the account: another account's key of the
		// same name is a new request.
		_, bob := w.secondParent()
		if r := w.request("POST", "/v1/network/initiate", bob, body, "Idempotency-Key", "create-once-1"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "" || string(r.body) == string(first.body) {
			t.Errorf("other account's request: %d %v %s", r.status, r.header, r.body)
		}

		// A failed request saves nothing, so its key works for the fixed
		// request.
		w.expectError(w.request("POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.retail, "email": "fixed@example.com"},
			"Idempotency-Key", "create-fixed"), 400, "invalid_fields", "domain_id", "Your account cannot invite this kind of account. Choose one from the list.")
		w.must(201, "POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "fixed@example.com"})

		// Saved responses are kept for 24 hours; then the request runs
		// again, and finds the first invitation pending.
		w.clock.Add(23*time.Hour - time.Second)
		w.parentToken = w.login("ada", "ada-password-1")
		if r := w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "create-once-1"); r.status != 201 || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("one second before the key expires: %d %s", r.status, r.body)
		}
		w.clock.Add(time.Second)
		w.expectError(w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "create-once-1"), 409, "invitation_pending", "", "")
	})
}

// TestIdempotencyKeyFormat rejects keys that are empty, too long or not
// printable ASCII, naming the header.
func TestIdempotencyKeyFormat(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, _ := w.invite("format@example.com", nil)
		id := inv["id"].(string)
		invitations, mails := w.count()

		const msg = "Use 1 to 255 printable ASCII characters, sent once."
		for name, key := range map[string]string{"empty": "", "256 characters": strings.Repeat("k", 256), "non-ASCII": "clé", "tab": "a\tb"} {
			t.Run(name, func(t *testing.T) {
				w.env.t = t
				defer func() { w.env.t = nil }()
				body := map[string]any{"domain_id": w.distributor, "email": "new@example.com"}
				w.expectError(w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", key), 400, "invalid_header", "Idempotency-Key", msg)
				w.expectError(w.request("POST", "/v1/network/invitations/"+id, w.parentToken, map[string]any{"title": "x"}, "Idempotency-Key", key), 400, "invalid_header", "Idempotency-Key", msg)
				w.expectError(w.request("POST", "/v1/network/invitations/"+id+"/resend", w.parentToken, nil, "Idempotency-Key", key), 400, "invalid_header", "Idempotency-Key", msg)
			})
		}
		w.env.t = t
		if n, m := w.count(); n != invitations || m != mails {
			t.Errorf("rejected keys wrote data: invitations %d→%d, mails %d→%d", invitations, n, mails, m)
		}
		w.must(201, "POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "max@example.com"})
		if r := w.request("POST", "/v1/network/initiate", w.parentToken, map[string]any{"domain_id": w.distributor, "email": "long@example.com"},
			"Idempotency-Key", " ~"+strings.Repeat("k", 253)); r.status != 201 {
			t.Errorf("255 printable characters: %d %s", r.status, r.body)
		}
	})
}

// TestIdempotentUpdateAndResend retries an update and a re-send: one mail
// each, the same response, sent_count counted once.
func TestIdempotentUpdateAndResend(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		inv, _ := w.invite("retry@example.com", nil)
		path := "/v1/network/invitations/" + inv["id"].(string)
		w.clock.Add(2 * time.Minute)
		_, mails := w.count()

		first := w.request("POST", path, w.parentToken, map[string]any{"title": "Retry Co"}, "Idempotency-Key", "update-1")
		retry := w.request("POST", path, w.parentToken, map[string]any{"title": "Retry Co"}, "Idempotency-Key", "update-1")
		if first.status != 200 || retry.status != 200 || string(first.body) != string(retry.body) || retry.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("update retry: %d %s / %d %s", first.status, first.body, retry.status, retry.body)
		}
		w.expectError(w.request("POST", path, w.parentToken, map[string]any{"title": "Other Co"}, "Idempotency-Key", "update-1"), 409, "idempotency_key_reused", "", "")

		// The key of an update is unused on another route.
		w.clock.Add(2 * time.Minute)
		first = w.request("POST", path+"/resend", w.parentToken, nil, "Idempotency-Key", "update-1")
		retry = w.request("POST", path+"/resend", w.parentToken, nil, "Idempotency-Key", "update-1")
		if first.status != 200 || retry.status != 200 || string(first.body) != string(retry.body) || retry.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("resend retry: %d %s / %d %s", first.status, first.body, retry.status, retry.body)
		}
		// Another invitation's path is another request.
		other, _ := w.invite("other@example.com", nil)
		w.expectError(w.request("POST", "/v1/network/invitations/"+other["id"].(string)+"/resend", w.parentToken, nil, "Idempotency-Key", "update-1"), 409, "idempotency_key_reused", "", "")

		got := w.must(200, "GET", path, w.parentToken, nil)
		if got["sent_count"] != 3.0 || got["title"] != "Retry Co" {
			t.Errorf("invitation = %v; want sent_count 3 (initiate, update, resend)", got)
		}
		if _, m := w.count(); m != mails+3 {
			t.Errorf("mails %d→%d; want an update mail, a resend mail and the other invitation", mails, m)
		}
	})
}

// TestIdempotentConcurrent races duplicates of one request: exactly one
// invitation and one mail exist afterwards, and every duplicate gets the
// first response or 409 idempotency_in_progress.
func TestIdempotentConcurrent(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		invitations, mails := w.count()
		body := map[string]any{"domain_id": w.distributor, "email": "race@example.com"}

		var wg sync.WaitGroup
		responses := make([]*response, 8)
		for i := range responses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				responses[i] = w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "race-1")
			}()
		}
		wg.Wait()

		var created string
		for i, r := range responses {
			switch {
			case r.status == 201 && created == "":
				created = string(r.body)
			case r.status == 201 && string(r.body) != created:
				t.Errorf("request %d: body %s differs from %s", i, r.body, created)
			case r.status == 409 && string(r.body) != "" && strings.Contains(string(r.body), `"idempotency_in_progress"`):
			case r.status != 201:
				t.Errorf("request %d: %d %s", i, r.status, r.body)
			}
		}
		if n, m := w.count(); n != invitations+1 || m != mails+1 {
			t.Errorf("invitations %d→%d, mails %d→%d; want one more of each", invitations, n, mails, m)
		}
	})
}
