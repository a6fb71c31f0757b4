// Package timezone lists the canonical IANA time zones: the location zones
// of the tzdb table zone1970.tab, one per region whose clocks have agreed
// since 1970, and Etc/UTC. Aliases that the tzdb keeps only as links (such
// as Europe/Amsterdam, now a link to Europe/Brussels, or US/Eastern) are
// not in the list.
//
// The package embeds Go's copy of the tzdb (time/tzdata), so every listed
// zone loads with time.LoadLocation on hosts without system zone files.
package timezone

import (
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // every zone must load without /usr/share/zoneinfo
)

//go:generate go run gen.go /usr/share/zoneinfo/zone1970.tab 2025b

// Zone is one canonical time zone.
type Zone struct {
	ID        string   // IANA name, for example "Europe/Berlin"
	Countries []string // ISO 3166-1 alpha-2 codes of the countries it covers, sorted; none for Etc/UTC
}

// Title returns the zone's name for a drop-down list: the IANA name with
// underscores shown as spaces ("America/New York").
func (z Zone) Title() string {
	return strings.ReplaceAll(z.ID, "_", " ")
}

// All returns a new copy of every canonical zone, sorted by ID, so callers
// may modify it.
func All() []Zone {
	out := make([]Zone, len(table))
	for i, z := range table {
		out[i] = Zone{ID: z.ID, Countries: slices.Clone(z.Countries)}
	}
	return out
}

// Valid reports whether id is exactly the name of a canonical zone (case
// sensitive) and loads with time.LoadLocation.
func Valid(id string) bool {
	_, found := slices.BinarySearchFunc(table, id, func(z Zone, id string) int { return strings.Compare(z.ID, id) })
	if !found {
		return false
	}
	_, err := time.LoadLocation(id)
	return err == nil
}
