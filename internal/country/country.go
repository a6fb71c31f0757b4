// Package country provides the ISO 3166-1 alpha-2 country codes with English
// short names.
package country

import "slices"

// Country is one ISO 3166-1 entry.
type Country struct {
	ID    string // ISO 3166-1 alpha-2 code, upper case, for example "US"
	Title string // English short name, for example "United States"
}

// All returns a new slice with all 249 officially assigned ISO 3166-1 alpha-2
// entries, sorted by Title with diacritics ignored. Callers may modify the
// slice without affecting later calls.
func All() []Country {
	return slices.Clone(table)
}

// Lookup returns the entry whose ID equals id. The match is exact and case
// sensitive, so "US" is found but "us" is not.
func Lookup(id string) (Country, bool) {
	for _, entry := range table {
		if entry.ID == id {
			return entry, true
		}
	}
	return Country{}, false
}
