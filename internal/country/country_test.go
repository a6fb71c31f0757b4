package country

import (
	"slices"
	"strings"
	"testing"
)

// sortKey returns title with the accented letters used in the table replaced
// by their base letters, so that byte order matches alphabetical order.
func sortKey(t *testing.T, title string) string {
	t.Helper()
	key := strings.NewReplacer(
		"Å", "A",
		"ç", "c",
		"é", "e",
		"ô", "o",
		"ü", "u",
	).Replace(title)
	for _, r := range key {
		if r > 127 {
			t.Fatalf("title %q contains %q, so add its base letter to sortKey", title, r)
		}
	}
	return key
}

func TestAllCount(t *testing.T) {
	if got := len(All()); got != 249 {
		t.Errorf("len(All()) = %d, expected 249", got)
	}
}

func TestAllIDsValidAndUnique(t *testing.T) {
	seen := make(map[string]bool)
	for _, entry := range All() {
		if len(entry.ID) != 2 {
			t.Errorf("ID %q: length is %d, expected 2", entry.ID, len(entry.ID))
		}
		for _, r := range entry.ID {
			if r < 'A' || r > 'Z' {
				t.Errorf("ID %q: contains %q, expected only A-Z", entry.ID, r)
			}
		}
		if seen[entry.ID] {
			t.Errorf("ID %q: duplicate", entry.ID)
		}
		seen[entry.ID] = true
	}
}

func TestAllTitlesNonEmptyAndUnique(t *testing.T) {
	seen := make(map[string]bool)
	for _, entry := range All() {
		if strings.TrimSpace(entry.Title) == "" {
			t.Errorf("ID %q: title is empty", entry.ID)
		}
		if entry.Title != strings.TrimSpace(entry.Title) {
			t.Errorf("ID %q: title %q has leading or trailing space", entry.ID, entry.Title)
		}
		if seen[entry.Title] {
			t.Errorf("title %q: duplicate", entry.Title)
		}
		seen[entry.Title] = true
	}
}

func TestAllSortedByTitle(t *testing.T) {
	countries := All()
	for i := 1; i < len(countries); i++ {
		previous := sortKey(t, countries[i-1].Title)
		current := sortKey(t, countries[i].Title)
		if previous >= current {
			t.Errorf("%q (%s) is listed before %q (%s), expected alphabetical order",
				countries[i-1].Title, countries[i-1].ID, countries[i].Title, countries[i].ID)
		}
	}
}

func TestAllReturnsCopy(t *testing.T) {
	expected := slices.Clone(All())
	modified := All()
	modified[0] = Country{ID: "ZZ", Title: "Changed"}
	copy(modified[1:], modified[2:])

	second := All()
	if !slices.Equal(second, expected) {
		t.Errorf("All() changed after a caller modified an earlier result: first entry %+v, expected %+v", second[0], expected[0])
	}
	if _, found := Lookup("ZZ"); found {
		t.Errorf("Lookup(%q) found the entry written into the returned slice", "ZZ")
	}
}

func TestLookupFound(t *testing.T) {
	cases := map[string]string{
		"US": "United States",
		"GB": "United Kingdom",
		"KR": "South Korea",
		"AX": "Åland Islands",
	}
	for id, expectedTitle := range cases {
		entry, found := Lookup(id)
		if !found {
			t.Errorf("Lookup(%q): not found", id)
			continue
		}
		if entry.ID != id {
			t.Errorf("Lookup(%q).ID = %q, expected %q", id, entry.ID, id)
		}
		if entry.Title != expectedTitle {
			t.Errorf("Lookup(%q).Title = %q, expected %q", id, entry.Title, expectedTitle)
		}
	}
}

func TestLookupNotFound(t *testing.T) {
	for _, id := range []string{"us", "Us", "XX", "", "USA", " US"} {
		if entry, found := Lookup(id); found {
			t.Errorf("Lookup(%q) = %+v, expected not found", id, entry)
		}
	}
}

func TestLookupEveryEntry(t *testing.T) {
	for _, entry := range All() {
		got, found := Lookup(entry.ID)
		if !found {
			t.Errorf("Lookup(%q): not found", entry.ID)
			continue
		}
		if got != entry {
			t.Errorf("Lookup(%q) = %+v, expected %+v", entry.ID, got, entry)
		}
	}
}
