package httpapi

import (
	"net/http"
	"net/netip"
	"strings"
)

// clientAddr returns the client's IP address for rate limits. It is the
// connection's peer (r.RemoteAddr), because X-Forwarded-For can be set by
// anyone. Only when the peer is in TrustedProxies is the header read: from
// its right end, skipping addresses of trusted proxies, the first other
// address is the client. Without the header the peer is the client, and
// a malformed entry stops the walk at the trusted address before it.
func (s *Server) clientAddr(r *http.Request) string {
	peer, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return ""
	}
	client := peer.Addr().Unmap()
	if !s.trusted(client) {
		return client.String()
	}

	var hops []string
	for _, value := range r.Header.Values("X-Forwarded-For") {
		hops = append(hops, strings.Split(value, ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return client.String()
		}
		hop = hop.Unmap()
		if !s.trusted(hop) {
			return hop.String()
		}
		client = hop
	}
	return client.String()
}

func (s *Server) trusted(addr netip.Addr) bool {
	for _, p := range s.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
