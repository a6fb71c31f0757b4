package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// addUser adds a user with the password username+"-password-1" to the
// account with role, directly in the store, because the API adds a user to
// an existing account only through activation. It returns the user's id.
func (w *world) addUser(accountID, username string, role accountnet.Role) string {
	w.t.Helper()
	ctx := context.Background()
	now := w.clock.Now().Unix()
	user := &accountnet.User{ID: accountnet.NewID(accountnet.PrefixUser), AppID: w.appID, Username: username,
		Email: username + "@users.example", PasswordHash: cheapPassword.Hash(username + "-password-1"), Created: now}
	err := w.m.DB.Tx(ctx, func(q *store.Q) error {
		if err := q.CreateUser(ctx, user); err != nil {
			return err
		}
		return q.CreateMembership(ctx, w.appID, &accountnet.Membership{AccountID: accountID, UserID: user.ID, Role: role, Created: now})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return user.ID
}

// newParent creates another top-level Manufacturer account through the
// admin API and returns its id and its owner's session token.
func (w *world) newParent(title, username string) (string, string) {
	w.t.Helper()
	account := w.must(201, "POST", "/admin/v1/apps/"+w.appID+"/accounts", adminToken, map[string]any{
		"title": title, "domain_id": w.manufacturer, "country_id": "FR",
		"user": map[string]any{"username": username, "email": username + "@parents.example", "password": username + "-password-1"},
	})
	return account["id"].(string), w.login(username, username+"-password-1")
}

// storedSession reads the session of token from the store.
func (w *world) storedSession(token string) *accountnet.Session {
	w.t.Helper()
	s, err := w.m.DB.Reader().FindSessionByHash(context.Background(), accountnet.HashToken(token))
	if err != nil {
		w.t.Fatalf("find session: %v", err)
	}
	return s
}

// mailCount returns how many mails of kind went to the address.
func (w *world) mailCount(kind, to string) int {
	w.t.Helper()
	n := 0
	for _, m := range w.mails() {
		if m["kind"] == kind && strings.EqualFold(m["to"].(string), to) {
			n++
		}
	}
	return n
}

// account reads the current account of token.
func (w *world) account(token string) map[string]any {
	w.t.Helper()
	return w.must(200, "GET", "/v1/account", token, nil)
}

// varyingHeaders differ between any two responses, so sameResponse
// ignores them.
var varyingHeaders = []string{"X-Request-Id", "Date"}

// sameResponse fails the test unless a and b have the same status, the
// same body byte for byte and the same headers apart from the request id
// and the date.
func sameResponse(t *testing.T, what string, a, b *response) {
	t.Helper()
	if a.status != b.status {
		t.Errorf("%s: status %d and %d differ", what, a.status, b.status)
	}
	if string(a.body) != string(b.body) {
		t.Errorf("%s: bodies differ:\n%s\n%s", what, a.body, b.body)
	}
	strip := func(h http.Header) http.Header {
		h = h.Clone()
		for _, name := range varyingHeaders {
			h.Del(name)
		}
		return h
	}
	ha, hb := strip(a.header), strip(b.header)
	for name := range mergeKeys(ha, hb) {
		if !slices.Equal(ha.Values(name), hb.Values(name)) {
			t.Errorf("%s: header %s differs: %q and %q", what, name, ha.Values(name), hb.Values(name))
		}
	}
}

func mergeKeys(a, b http.Header) map[string]bool {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	return keys
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
