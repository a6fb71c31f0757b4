package httpapi

import (
	"net/http/httptest"
	"net/netip"
	"testing"
)

func TestClientAddr(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8:ffff::/48")}
	cases := []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		xff     []string
		want    string
	}{
		{"no proxies: peer", nil, "192.0.2.1:5000", []string{"198.51.100.7"}, "192.0.2.1"},
		{"untrusted peer: header ignored", proxies, "192.0.2.1:5000", []string{"198.51.100.7"}, "192.0.2.1"},
		{"trusted peer: last hop", proxies, "10.0.0.2:5000", []string{"198.51.100.7"}, "198.51.100.7"},
		{"spoofed left part skipped", proxies, "10.0.0.2:5000", []string{"1.2.3.4, 198.51.100.7"}, "198.51.100.7"},
		{"chain of trusted proxies", proxies, "10.0.0.2:5000", []string{"198.51.100.7, 10.9.9.9", "10.1.1.1"}, "198.51.100.7"},
		{"trusted peer without header", proxies, "10.0.0.2:5000", nil, "10.0.0.2"},
		{"malformed hop stops at the proxy", proxies, "10.0.0.2:5000", []string{"198.51.100.7, garbage"}, "10.0.0.2"},
		{"all hops trusted", proxies, "10.0.0.2:5000", []string{"10.3.3.3"}, "10.3.3.3"},
		{"IPv6 peer", nil, "[2001:db8::5]:5000", nil, "2001:db8::5"},
		{"IPv6 proxy", proxies, "[2001:db8:ffff::1]:443", []string{"2001:db8:1::9"}, "2001:db8:1::9"},
		{"IPv4-mapped peer", nil, "[::ffff:192.0.2.1]:80", nil, "192.0.2.1"},
		{"unparsable remote", proxies, "pipe", []string{"198.51.100.7"}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := &Server{TrustedProxies: c.trusted}
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := s.clientAddr(r); got != c.want {
				t.Errorf("clientAddr = %q, want %q", got, c.want)
			}
		})
	}
}
