package accountnet

import "testing"

func TestParsePercentValid(t *testing.T) {
	cases := map[string]Percent{
		"0": 0, "100": 100000, "16.4": 16400, "4.35": 4350, "0.29": 290,
		"1.15": 1150, "2.255": 2255, "1.5e1": 15000, "100.000": 100000,
		"0.001": 1, "1E-3": 1, "-0": 0, "0e999999": 0, "0.0E-999999": 0,
	}
	for text, want := range cases {
		got, err := ParsePercent(text)
		if err != nil {
			t.Errorf("ParsePercent(%q) error: %v", text, err)
			continue
		}
		if got != want {
			t.Errorf("ParsePercent(%q) = %d, want %d", text, got, want)
		}
	}
}

func TestParsePercentInvalid(t *testing.T) {
	cases := map[string]error{
		"150": errPercentRange, "100.001": errPercentRange, "-5": errPercentRange,
		"2.2555": errPercentScale, "1e309": errPercentRange, "0.0001": errPercentScale,
		"15%": errPercentSyntax, "": errPercentSyntax, "0x10": errPercentSyntax,
		"1/2": errPercentSyntax, "+1": errPercentSyntax, "01": errPercentSyntax,
		"1.": errPercentSyntax, ".5": errPercentSyntax, "1e": errPercentSyntax,
		"1e999999999999999999999999999999999999999": errPercentSyntax,
		"1e999999": errPercentRange, "1E+999999": errPercentRange, "1e-999999": errPercentScale,
	}
	for text, want := range cases {
		if _, err := ParsePercent(text); err != want {
			t.Errorf("ParsePercent(%q) error = %v, want %v", text, err, want)
		}
	}
}

func TestPercentString(t *testing.T) {
	cases := map[Percent]string{0: "0", 16400: "16.4", 2255: "2.255", 100000: "100", 1: "0.001", 290: "0.29"}
	for p, want := range cases {
		if got := p.String(); got != want {
			t.Errorf("Percent(%d).String() = %q, want %q", int64(p), got, want)
		}
	}
}

func TestPercentShareRounding(t *testing.T) {
	cases := []struct {
		fee    string
		amount int64
		want   int64
	}{
		{"2.5", 100, 3}, {"15", 3490, 524}, {"5.25", 300, 16}, {"2.255", 999, 23},
		{"2.5", -100, -3}, {"15", -3490, -524}, {"0", 12345, 0}, {"100", 777, 777},
		{"50", 1, 1}, {"50", -1, -1}, {"49.999", 1, 0},
	}
	for _, c := range cases {
		p, err := ParsePercent(c.fee)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Share(c.amount); got != c.want {
			t.Errorf("%s%% of %d = %d, want %d", c.fee, c.amount, got, c.want)
		}
	}
}
