package server_test

import (
	"testing"

	"github.com/accountnet/accountnet/internal/testdb"
)

// TestFeeFollowsCurrentRules changes the rule after a fee was proposed:
// activation drops a proposal the rule no longer allows, and the child
// cannot accept one.
func TestFeeFollowsCurrentRules(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		w := newWorld(t, url)
		rules := "/admin/v1/apps/" + w.appID + "/network-rules"
		ruleID := func() string {
			list := w.must(200, "GET", rules, adminToken, nil)["list"].([]any)
			for _, r := range list {
				rule := r.(map[string]any)
				if rule["parent_domain_id"] == w.manufacturer && rule["child_domain_id"] == w.distributor {
					return rule["id"].(string)
				}
			}
			t.Fatal("no Manufacturer → Distributor rule")
			return ""
		}

		// Invite with 15%, then lower max_fee to 10%: the activation
		// carries no proposal over.
		_, token := w.invite("late-rule@example.com", map[string]any{"fee_proposed": 15})
		w.must(200, "DELETE", rules+"/"+ruleID(), adminToken, nil)
		w.must(201, "POST", rules, adminToken, map[string]any{"parent_domain_id": w.manufacturer, "child_domain_id": w.distributor, "monetized": true, "max_fee": 10})
		child := w.must(201, "POST", "/v1/network/activate/"+token, w.pk, nil)
		network := w.must(200, "GET", "/v1/networks/"+child["id"].(string), w.parentToken, nil)
		if network["fee_proposed"] != nil || network["fee"] != nil {
			t.Errorf("network after activation = %v; want no fee and no proposal", network)
		}

		// A proposal within the rule, then the rule becomes unmonetized:
		// the child's accept is a 409 and no fee comes into force.
		w.must(200, "POST", "/v1/networks/"+child["id"].(string), w.parentToken, map[string]any{"fee_proposed": 8})
		w.must(200, "DELETE", rules+"/"+ruleID(), adminToken, nil)
		w.must(201, "POST", rules, adminToken, map[string]any{"parent_domain_id": w.manufacturer, "child_domain_id": w.distributor, "monetized": false})

		pwToken := linkToken(t, w.lastMail("login_instructions", "late-rule@example.com")["text"].(string), "https://app.example.com/password/")
		w.must(200, "POST", "/v1/auth/reset-password", w.pk, map[string]any{"token": pwToken, "password": "late-rule-pass-1", "confirm": "late-rule-pass-1"})
		childToken := w.login("late-rule@example.com", "late-rule-pass-1")

		w.expectError(w.request("POST", "/v1/network/parent", childToken, map[string]any{"fee": "accept"}), 409, "fee_not_allowed", "", "")
		parent := w.must(200, "GET", "/v1/network/parent", childToken, nil)
		if parent["fee"] != nil || parent["fee_proposed"] != 8.0 {
			t.Errorf("after the refused accept: %v; want no fee and the proposal still pending", parent)
		}
		w.must(200, "POST", "/v1/network/parent", childToken, map[string]any{"fee": "decline"})
	})
}
