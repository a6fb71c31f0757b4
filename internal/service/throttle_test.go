package service

import "testing"

func TestAddressKey(t *testing.T) {
	cases := map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"::ffff:192.0.2.1":     "192.0.2.1",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2::1":      "2001:db8:1:2::/64",
		"fe80::1%eth0":         "fe80::/64",
		"":                     "unknown",
		"not an address":       "unknown",
	}
	for in, want := range cases {
		if got := addressKey(in); got != want {
			t.Errorf("addressKey(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSecretKeyFoldsCase(t *testing.T) {
	if secretKey(" Ada ") != secretKey("ada") {
		t.Error("secretKey depends on case or surrounding space")
	}
	if secretKey("ada") == secretKey("bob") {
		t.Error("secretKey is the same for two usernames")
	}
}
