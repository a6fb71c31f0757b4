package cli

import (
	"net/netip"
	"slices"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/service"
)

func TestSessionFlagDefaults(t *testing.T) {
	s, err := parseSessionFlags("168h", "24h")
	if err != nil {
		t.Fatal(err)
	}
	if s.ttl != service.DefaultSessionTTL || s.idle != service.DefaultSessionIdleTimeout {
		t.Errorf("flag defaults %v and %v differ from the service defaults", s.ttl, s.idle)
	}
}

func TestSessionFlagsReject(t *testing.T) {
	for _, c := range []struct{ ttl, idle, want string }{
		{"forever", "24h", `--session-ttl: want a duration such as 24h or 30m, got "forever"`},
		{"168h", "30s", "--session-idle-timeout: want at least 1m0s, got 30s"},
		{"-1h", "24h", "--session-ttl: want at least 1m0s, got -1h0m0s"},
	} {
		if _, err := parseSessionFlags(c.ttl, c.idle); err == nil || err.Error() != c.want {
			t.Errorf("parseSessionFlags(%q, %q) = %v, want %s", c.ttl, c.idle, err, c.want)
		}
	}
	if s, err := parseSessionFlags("2h", "15m"); err != nil || s.ttl != 2*time.Hour || s.idle != 15*time.Minute {
		t.Errorf("parseSessionFlags(2h, 15m) = %v, %v", s, err)
	}
}

func TestParsePrefixes(t *testing.T) {
	got, err := parsePrefixes(" 10.0.0.0/8, 192.0.2.7 ,2001:db8::/32,::ffff:198.51.100.1, 10.1.2.3/16")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"), netip.MustParsePrefix("2001:db8::/32"),
		netip.MustParsePrefix("198.51.100.1/32"), netip.MustParsePrefix("10.1.0.0/16"),
	}
	if !slices.Equal(got, want) {
		t.Errorf("parsePrefixes = %v, want %v", got, want)
	}
	if got, err := parsePrefixes(""); err != nil || got != nil {
		t.Errorf("empty list = %v, %v", got, err)
	}
	if _, err := parsePrefixes("10.0.0.0/8,proxy.example"); err == nil {
		t.Error("a host name was accepted")
	}
}
