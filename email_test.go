package accountnet

import (
	"strings"
	"testing"
)

func TestNormalizeEmailValid(t *testing.T) {
	cases := map[string][2]string{
		"a@example.com":           {"a@example.com", "a@example.com"},
		"  Jane.Doe@Example.COM ": {"Jane.Doe@Example.COM", "jane.doe@example.com"},
		"x+tag@sub.example.org":   {"x+tag@sub.example.org", "x+tag@sub.example.org"},
	}
	for in, want := range cases {
		addr, key, err := NormalizeEmail(in)
		if err != nil {
			t.Errorf("NormalizeEmail(%q) error: %v", in, err)
			continue
		}
		if addr != want[0] || key != want[1] {
			t.Errorf("NormalizeEmail(%q) = %q, %q; want %q, %q", in, addr, key, want[0], want[1])
		}
	}
}

func TestNormalizeEmailInvalid(t *testing.T) {
	cases := []string{
		"", "   ", "plain", "Jane <jane@example.com>", "<jane@example.com>",
		"a@example.com\r\nBcc: x@example.com", "a@example.com\n", "a@example.com, b@example.com",
		"a@example.com;b@example.com", "a@localhost", "a@@example.com", "@example.com",
		"a@example.", "a@.example.com", "a b@example.com",
		strings.Repeat("l", 65) + "@example.com",
		"bob@[127.0.0.1]", "bob@-example.com", "bob@example-.com", "bob@example.123",
		"\u212Aate@example.com", "bob\u2028@example.com", "jos\u00e9@example.com", "a@ex_ample.com",
		strings.Repeat("a", 290) + "@example.com",
	}
	for _, in := range cases {
		if _, _, err := NormalizeEmail(in); err == nil {
			t.Errorf("NormalizeEmail(%q) accepted an invalid address", in)
		}
	}
}
