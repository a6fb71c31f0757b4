package server_test

import (
	"context"
	"strings"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// childPassword is the password of every child user the tests create.
const childPassword = "child-password-1"

// activateChild invites email into domain from the account of
// inviterToken, activates the invitation with a password and logs the new
// owner in. It returns the child account id and the owner's session token.
func (w *world) activateChild(inviterToken, domain, email string, extra map[string]any) (string, string) {
	w.t.Helper()
	body := map[string]any{"domain_id": domain, "email": email}
	for k, v := range extra {
		body[k] = v
	}
	w.must(201, "POST", "/v1/network/initiate", inviterToken, body)
	token := linkToken(w.t, w.lastMail("invitation", email)["text"].(string), "https://app.example.com/activate")
	child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, map[string]any{"password": childPassword})
	return child["id"].(string), w.login(email, childPassword)
}

// distributor creates a Distributor child of the parent account.
func (w *world) distributorChild(email string, extra map[string]any) (string, string) {
	w.t.Helper()
	return w.activateChild(w.parentToken, w.distributor, email, extra)
}

// member adds a user with the member role to the account directly in the
// store, since the API has no endpoint for it, and returns its session
// token.
func (w *world) member(accountID, username string) (string, string) {
	w.t.Helper()
	ctx := context.Background()
	user := &accountnet.User{ID: accountnet.NewID(accountnet.PrefixUser), AppID: w.appID, Username: username,
		Email: username + "@example.com", PasswordHash: cheapPassword.Hash("member-password-1"), Created: w.clock.Now().Unix()}
	err := w.m.DB.Tx(ctx, func(q *store.Q) error {
		if err := q.CreateUser(ctx, user); err != nil {
			return err
		}
		return q.CreateMembership(ctx, w.appID, &accountnet.Membership{AccountID: accountID, UserID: user.ID,
			Role: accountnet.RoleMember, Created: w.clock.Now().Unix()})
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return user.ID, w.login(username, "member-password-1")
}

// userID returns the id of the user of a session.
func (w *world) userID(token string) string {
	w.t.Helper()
	return w.must(200, "GET", "/v1/auth/session", token, nil)["user"].(map[string]any)["id"].(string)
}

// propose sends a fee proposal as the parent and fails unless it is
// accepted with 200.
func (w *world) propose(parentToken, childID string, fee any) map[string]any {
	w.t.Helper()
	return w.must(200, "POST", "/v1/networks/"+childID, parentToken, map[string]any{"fee_proposed": fee})
}

// accept accepts the pending proposal as the child.
func (w *world) accept(childToken string) map[string]any {
	w.t.Helper()
	return w.must(200, "POST", "/v1/network/parent", childToken, map[string]any{"fee": "accept"})
}

// revenue records revenue with the app's secret key.
func (w *world) revenue(body any) *response {
	w.t.Helper()
	return w.request("POST", "/v1/network/revenue", w.sk, body)
}

// record records amount in EUR for the account with a fresh reference and
// returns the event, failing unless the status is 201.
func (w *world) record(accountID string, amount int64) map[string]any {
	w.t.Helper()
	r := w.revenue(map[string]any{"account_id": accountID, "amount": amount, "currency": "EUR", "reference": accountnet.NewID("ref_")})
	if r.status != 201 {
		w.t.Fatalf("record %d for %s: status %d: %s", amount, accountID, r.status, r.body)
	}
	return r.json(w.t)
}

// shareOf returns the share amount of an event and whether it had one.
func shareOf(event map[string]any) (int64, bool) {
	share, ok := event["share"].(map[string]any)
	if !ok {
		return 0, false
	}
	return int64(share["share"].(float64)), true
}

// eventShares returns the app's events and share entries from the store.
func (w *world) eventShares() ([]*accountnet.RevenueEvent, []*accountnet.ShareEntry) {
	w.t.Helper()
	events, shares, err := w.m.DB.Reader().FindEventShares(context.Background(), w.appID)
	if err != nil {
		w.t.Fatal(err)
	}
	return events, shares
}

// mailsOfKind returns the captured mails of kind, newest first.
func (w *world) mailsOfKind(kind string) []map[string]any {
	w.t.Helper()
	var out []map[string]any
	for _, m := range w.mails() {
		if m["kind"] == kind {
			out = append(out, m)
		}
	}
	return out
}

// recipients returns the lower-case addresses of mails.
func recipients(mails []map[string]any) []string {
	out := make([]string, 0, len(mails))
	for _, m := range mails {
		out = append(out, strings.ToLower(m["to"].(string)))
	}
	return out
}
