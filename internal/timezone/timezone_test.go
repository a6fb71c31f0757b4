package timezone

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/country"
)

func TestEveryZoneLoads(t *testing.T) {
	for _, z := range All() {
		if _, err := time.LoadLocation(z.ID); err != nil {
			t.Errorf("%s: %v", z.ID, err)
		}
	}
}

func TestTableSortedAndUnique(t *testing.T) {
	all := All()
	if !slices.IsSortedFunc(all, func(a, b Zone) int { return strings.Compare(a.ID, b.ID) }) {
		t.Error("table is not sorted by ID, so Valid's binary search would miss zones")
	}
	for i := 1; i < len(all); i++ {
		if all[i].ID == all[i-1].ID {
			t.Errorf("%s listed twice", all[i].ID)
		}
	}
	if len(all) < 300 {
		t.Errorf("%d zones, want the whole zone1970.tab (over 300)", len(all))
	}
}

func TestCountriesAreKnown(t *testing.T) {
	for _, z := range All() {
		if z.ID != "Etc/UTC" && len(z.Countries) == 0 {
			t.Errorf("%s has no country", z.ID)
		}
		for _, c := range z.Countries {
			if _, ok := country.Lookup(c); !ok {
				t.Errorf("%s: country %q is not in internal/country", z.ID, c)
			}
		}
	}
}

func TestValid(t *testing.T) {
	cases := []struct {
		id   string
		want bool
	}{
		{"Europe/Berlin", true},
		{"America/New_York", true},
		{"America/Argentina/Buenos_Aires", true},
		{"Etc/UTC", true},
		{"europe/berlin", false},     // names are case sensitive
		{"Europe/Amsterdam", false},  // a link to Europe/Brussels
		{"US/Eastern", false},        // a backward-compatibility link
		{"UTC", false},               // a link to Etc/UTC
		{"Local", false},             // LoadLocation accepts it, but it is no zone
		{"", false},                  // LoadLocation reads "" as UTC
		{"Europe/Berlin\n", false},   // no trailing characters
		{"../../etc/passwd", false},  // never a file path
		{"Mars/Olympus_Mons", false}, // unknown
		{"America/New York", false},  // the title is not the id
	}
	for _, c := range cases {
		if got := Valid(c.id); got != c.want {
			t.Errorf("Valid(%q) = %v, want %v", c.id, got, c.want)
		}
	}
}

func TestAllReturnsCopy(t *testing.T) {
	a := All()
	a[0].ID = "changed"
	if All()[0].ID == "changed" {
		t.Error("All returned the table itself")
	}
}

func TestTitle(t *testing.T) {
	if got := (Zone{ID: "America/Port_of_Spain"}).Title(); got != "America/Port of Spain" {
		t.Errorf("Title = %q", got)
	}
}
