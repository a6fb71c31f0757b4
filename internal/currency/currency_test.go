package currency

import "testing"

func TestMinorUnits(t *testing.T) {
	cases := map[string]int{"USD": 2, "EUR": 2, "JPY": 0, "KRW": 0, "BHD": 3, "KWD": 3, "CLF": 4, "UYW": 4, "XCG": 2, "ZWG": 2}
	for code, want := range cases {
		got, ok := MinorUnits(code)
		if !ok {
			t.Errorf("MinorUnits(%q) not found", code)
			continue
		}
		if got != want {
			t.Errorf("MinorUnits(%q) = %d, want %d", code, got, want)
		}
	}
}

func TestMinorUnitsRejects(t *testing.T) {
	for _, code := range []string{"usd", "Usd", "", "US", "USDD", "XAU", "XXX", "XTS", "HRK", "ABC"} {
		if _, ok := MinorUnits(code); ok {
			t.Errorf("MinorUnits(%q) found, want rejected", code)
		}
	}
}

func TestTableShape(t *testing.T) {
	if got := Count(); got != 169 {
		t.Errorf("Count() = %d, want 169", got)
	}
	for code, digits := range minorUnits {
		if len(code) != 3 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2] < 'A' || code[2] > 'Z' {
			t.Errorf("code %q is not three upper-case letters", code)
		}
		if digits < 0 || digits > 4 {
			t.Errorf("%s: %d minor-unit digits, want 0 to 4", code, digits)
		}
	}
}
