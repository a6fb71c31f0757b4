package cli

import (
	"fmt"
	"net/netip"
	"strings"
	"time"
)

// minSessionDuration is the shortest session lifetime or idle timeout
// serve accepts, because last use is recorded to the minute.
const minSessionDuration = time.Minute

type sessionSettings struct {
	ttl, idle time.Duration
}

// parseSessionFlags reads --session-ttl and --session-idle-timeout, Go
// durations such as 168h or 30m.
func parseSessionFlags(ttl, idle string) (sessionSettings, error) {
	var out sessionSettings
	for _, f := range []struct {
		name, value string
		target      *time.Duration
	}{{"session-ttl", ttl, &out.ttl}, {"session-idle-timeout", idle, &out.idle}} {
		d, err := time.ParseDuration(f.value)
		if err != nil {
			return out, fmt.Errorf("--%s: want a duration such as 24h or 30m, got %q", f.name, f.value)
		}
		if d < minSessionDuration {
			return out, fmt.Errorf("--%s: want at least %s, got %s", f.name, minSessionDuration, d)
		}
		*f.target = d
	}
	return out, nil
}

// parsePrefixes reads a comma-separated list of IP addresses and CIDR
// blocks; a bare address is a block of one.
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		addr, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("want an address or CIDR block such as 10.0.0.0/8, got %q", item)
		}
		addr = addr.Unmap()
		out = append(out, netip.PrefixFrom(addr, addr.BitLen()))
	}
	return out, nil
}
