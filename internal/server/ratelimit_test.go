package server_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/testdb"
)

// tightLimits makes every invitation limit small enough to reach.
func tightLimits(cfg *server.Config) {
	cfg.InvitationLimits = service.InvitationLimits{
		InvitationLimit: service.Limit{Max: 2, Window: time.Hour},
		ResendLimit:     service.Limit{Max: 2, Window: time.Hour},
		RecipientLimit:  service.Limit{Max: 3, Window: 24 * time.Hour},
		ResendCooldown:  time.Minute,
	}
}

// expectLimited checks a 429 with its Retry-After and that nothing was
// written.
func (w *world) expectLimited(r *response, retryAfter int64, invitations, mails int64) {
	w.t.Helper()
	w.expectError(r, 429, "rate_limited", "", "")
	if got := r.header.Get("Retry-After"); got != strconv.FormatInt(retryAfter, 10) {
		w.t.Errorf("Retry-After = %q, want %d", got, retryAfter)
	}
	if n, m := w.count(); n != invitations || m != mails {
		w.t.Errorf("limited request wrote data: invitations %d→%d, mails %d→%d", invitations, n, mails, m)
	}
}

// TestInvitationLimit creates invitations over the hourly limit of one
// account.
func TestInvitationLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url, tightLimits)
		w.invite("one@example.com", nil)
		w.invite("two@example.com", nil)
		w.clock.Add(10 * time.Minute)
		invitations, mails := w.count()

		body := map[string]any{"domain_id": w.distributor, "email": "three@example.com"}
		w.expectLimited(w.request("POST", "/v1/network/initiate", w.parentToken, body), 50*60, invitations, mails)
		w.expectLimited(w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "limited-1"), 50*60, invitations, mails)

		// The rejected attempts rolled their counts back.
		now := w.clock.Now().Unix()
		hits, err := w.m.DB.Reader().Hits(context.Background(), "invitations:"+w.parentID, now, 3600)
		if err != nil || hits != 2 {
			t.Errorf("counter = %d, %v; want 2", hits, err)
		}

		// validate_only checks without counting.
		w.must(200, "POST", "/v1/network/initiate?validate_only=true", w.parentToken, body)

		// Another account has its own budget.
		_, bob := w.secondParent()
		w.must(201, "POST", "/v1/network/initiate", bob, map[string]any{"domain_id": w.distributor, "email": "bob-one@example.com"})

		w.clock.Add(50 * time.Minute)
		w.must(201, "POST", "/v1/network/initiate", w.parentToken, body)
		if r := w.request("POST", "/v1/network/initiate", w.parentToken, body, "Idempotency-Key", "limited-1"); r.status != 409 {
			t.Errorf("retry of the limited key after the window: %d %s; want 409 invitation_pending, because nothing was saved", r.status, r.body)
		}
	})
}

// TestResendCooldown re-sends one invitation within the cool-down: 429
// with the seconds left, until the cool-down has passed. A new address is
// not held back.
func TestResendCooldown(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url, tightLimits)
		inv, token := w.invite("cool@example.com", nil)
		path := "/v1/network/invitations/" + inv["id"].(string)
		invitations, mails := w.count()

		w.expectLimited(w.request("POST", path+"/resend", w.parentToken, nil), 60, invitations, mails)
		w.clock.Add(59 * time.Second)
		w.expectLimited(w.request("POST", path+"/resend", w.parentToken, nil), 1, invitations, mails)
		w.expectLimited(w.request("POST", path, w.parentToken, map[string]any{"title": "Cool"}), 1, invitations, mails)
		if got := w.must(200, "GET", path, w.parentToken, nil); got["sent_count"] != 1.0 || got["title"] != "" {
			t.Errorf("limited requests changed the invitation: %v", got)
		}
		w.must(200, "GET", "/v1/network/activate/"+token, w.pk, nil)

		w.clock.Add(time.Second)
		w.must(200, "POST", path+"/resend", w.parentToken, nil)

		// Thirty seconds later the same address is held back, a new one
		// is not.
		w.clock.Add(30 * time.Second)
		_, mails = w.count()
		w.expectLimited(w.request("POST", path, w.parentToken, map[string]any{"title": "Cool"}), 30, invitations, mails)
		moved := w.must(200, "POST", path, w.parentToken, map[string]any{"email": "warm@example.com"})
		if moved["sent_count"] != 3.0 || moved["email"] != "warm@example.com" {
			t.Errorf("update to a new address = %v", moved)
		}
	})
}

// TestResendLimit re-sends invitations over the hourly limit of one
// account.
func TestResendLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url, tightLimits)
		inv, _ := w.invite("often@example.com", nil)
		path := "/v1/network/invitations/" + inv["id"].(string)

		w.clock.Add(time.Minute)
		w.must(200, "POST", path+"/resend", w.parentToken, nil)
		w.clock.Add(time.Minute)
		w.must(200, "POST", path, w.parentToken, map[string]any{"title": "Often"})
		w.clock.Add(time.Minute)
		invitations, mails := w.count()

		w.expectLimited(w.request("POST", path+"/resend", w.parentToken, nil), 57*60, invitations, mails)
		w.expectLimited(w.request("POST", path, w.parentToken, map[string]any{"title": "Too often"}), 57*60, invitations, mails)
		if got := w.must(200, "GET", path, w.parentToken, nil); got["sent_count"] != 3.0 || got["title"] != "Often" {
			t.Errorf("limited requests changed the invitation: %v", got)
		}

		// The next hour has a new budget. A new address keeps the
		// recipient limit (3 a day) out of the way.
		w.clock.Add(57 * time.Minute)
		w.must(200, "POST", path, w.parentToken, map[string]any{"email": "fresh@example.com"})
	})
}

// TestRecipientLimit sends invitation mail to one address from two
// accounts of the app until the daily limit of the address.
func TestRecipientLimit(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url, tightLimits)
		_, bob := w.secondParent()
		inv, _ := w.invite("target@example.com", nil)
		w.clock.Add(time.Minute)
		w.must(200, "POST", "/v1/network/invitations/"+inv["id"].(string)+"/resend", w.parentToken, nil)
		bobs := w.must(201, "POST", "/v1/network/initiate", bob, map[string]any{"domain_id": w.distributor, "email": "TARGET@example.com"})
		w.clock.Add(time.Minute)
		invitations, mails := w.count()

		now := w.clock.Now().Unix()
		untilMidnight := 86400 - now%86400
		w.expectLimited(w.request("POST", "/v1/network/invitations/"+inv["id"].(string)+"/resend", w.parentToken, nil), untilMidnight, invitations, mails)
		w.expectLimited(w.request("POST", "/v1/network/invitations/"+bobs["id"].(string)+"/resend", bob, nil), untilMidnight, invitations, mails)

		// Moving another invitation to the address counts too; moving one
		// away does not.
		w.must(200, "DELETE", "/v1/network/invitations/"+inv["id"].(string), w.parentToken, nil)
		other, _ := w.invite("elsewhere@example.com", nil)
		_, mails = w.count()
		w.clock.Add(time.Minute)
		w.expectLimited(w.request("POST", "/v1/network/invitations/"+other["id"].(string), w.parentToken, map[string]any{"email": "target@example.com"}), untilMidnight-60, invitations+1, mails)
		w.must(200, "POST", "/v1/network/invitations/"+bobs["id"].(string), bob, map[string]any{"email": "moved@example.com"})

		// The next day (UTC) has a new budget.
		w.clock.Add(time.Duration(untilMidnight-60) * time.Second)
		w.parentToken = w.login("ada", "ada-password-1")
		w.must(200, "POST", "/v1/network/invitations/"+other["id"].(string), w.parentToken, map[string]any{"email": "target@example.com"})
	})
}

// TestDefaultLimits checks that a zero configuration applies the
// documented default cool-down.
func TestDefaultLimits(t *testing.T) {
	w := newWorld(t, testdb.SQLiteURL(t))
	inv, _ := w.invite("default@example.com", nil)
	invitations, mails := w.count()
	w.expectLimited(w.request("POST", "/v1/network/invitations/"+inv["id"].(string)+"/resend", w.parentToken, nil),
		int64(service.DefaultResendCooldown/time.Second), invitations, mails)
}
