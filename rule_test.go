package accountnet

import "testing"

func TestWouldCycle(t *testing.T) {
	rules := []Rule{
		{ParentDomainID: "m", ChildDomainID: "d"},
		{ParentDomainID: "d", ChildDomainID: "r"},
	}
	cases := []struct {
		parent, child string
		want          bool
	}{
		{"r", "m", true}, {"d", "m", true}, {"r", "d", true}, {"m", "m", true},
		{"m", "r", false}, {"x", "m", false}, {"r", "x", false},
	}
	for _, c := range cases {
		if got := WouldCycle(rules, c.parent, c.child); got != c.want {
			t.Errorf("WouldCycle(%s→%s) = %v, want %v", c.parent, c.child, got, c.want)
		}
	}
}

func TestTokenLink(t *testing.T) {
	cases := []struct{ base, want string }{
		{"https://a.example/activate", "https://a.example/activate?token=T"},
		{"https://a.example/activate?x=1", "https://a.example/activate?token=T&x=1"},
		{"https://a.example/activate/{token}", "https://a.example/activate/T"},
	}
	for _, c := range cases {
		got, err := TokenLink(c.base, "T")
		if err != nil || got != c.want {
			t.Errorf("TokenLink(%q) = %q, %v; want %q", c.base, got, err, c.want)
		}
	}
}

func TestInvitationStatusExpiry(t *testing.T) {
	inv := Invitation{Stored: StatusPending, Expires: 1000}
	if got := inv.Status(999); got != StatusPending {
		t.Errorf("one second before expiry: %s", got)
	}
	if got := inv.Status(1000); got != StatusExpired {
		t.Errorf("at expiry: %s", got)
	}
	if got := ErrorReason(inv.CheckUsable(1001)); got != "token_expired" {
		t.Errorf("after expiry: reason %q", got)
	}
}
