package loadtest

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Budgets checked by the tool.
const (
	minPercentOfBaseline = 50.0              // initiate and activate rate against the raw baseline
	maxListGrowth        = 1.5               // list latency with BigChildren against SmallChildren
	maxPeakRSS           = 100 * 1024 * 1024 // bytes
)

func (r *Report) find(name string) (Comparison, bool) {
	for _, c := range r.Scenarios {
		if c.HTTP.Name == name {
			return c, true
		}
	}
	return Comparison{}, false
}

func checkBudgets(r *Report) []Budget {
	var out []Budget
	for _, name := range []string{"initiate", "activate"} {
		if c, ok := r.find(name); ok && c.Baseline != nil {
			out = append(out, Budget{Name: name + " ≥ 50% of raw baseline",
				Detail: fmt.Sprintf("%.0f%%", c.Percent()), Pass: c.Percent() >= minPercentOfBaseline})
		}
	}
	for _, list := range []string{"network list"} {
		small, okSmall := r.find(fmt.Sprintf("%s (%d children)", list, r.Config.Seed.SmallChildren))
		big, okBig := r.find(fmt.Sprintf("%s (%d children)", list, r.Config.Seed.BigChildren))
		if okSmall && okBig && small.HTTP.P50 > 0 {
			growth := float64(big.HTTP.P50) / float64(small.HTTP.P50)
			out = append(out, Budget{Name: fmt.Sprintf("%s p50 with %d children ≤ 1.5× with %d", list, r.Config.Seed.BigChildren, r.Config.Seed.SmallChildren),
				Detail: fmt.Sprintf("%.2f×", growth), Pass: growth <= maxListGrowth})
		}
	}
	out = append(out, Budget{Name: "server peak RSS < 100 MB",
		Detail: fmt.Sprintf("%.1f MB", float64(r.PeakRSS)/1024/1024), Pass: r.PeakRSS < maxPeakRSS})
	return out
}

// Passed reports whether every budget passed.
func (r *Report) Passed() bool {
	for _, b := range r.Budgets {
		if !b.Pass {
			return false
		}
	}
	return true
}

// Print writes the report as plain-text tables.
func (r *Report) Print(w io.Writer) {
	fmt.Fprintf(w, "accountnet load test: %s, %d clients, %s per scenario and per baseline\n\n", r.Dialect, r.Config.Clients, r.Config.Duration)
	fmt.Fprintf(w, "%-32s %9s %9s %9s %9s %9s %9s  %s\n", "scenario", "req/s", "p50", "p99", "p99.9", "raw req/s", "% of raw", "errors")
	for _, c := range r.Scenarios {
		raw, pct := "-", "-"
		if c.Baseline != nil {
			raw, pct = fmt.Sprintf("%.0f", c.Baseline.PerSecond()), fmt.Sprintf("%.0f%%", c.Percent())
		}
		fmt.Fprintf(w, "%-32s %9.0f %9s %9s %9s %9s %9s  %s\n", c.HTTP.Name, c.HTTP.PerSecond(),
			ms(c.HTTP.P50), ms(c.HTTP.P99), ms(c.HTTP.P999), raw, pct, errorsText(c.HTTP.Errors))
		if c.Baseline != nil && len(c.Baseline.Errors) > 0 {
			fmt.Fprintf(w, "%-32s %s\n", "  raw baseline errors", errorsText(c.Baseline.Errors))
		}
	}
	fmt.Fprintf(w, "\nserver peak RSS: %.1f MB\n\nbudgets:\n", float64(r.PeakRSS)/1024/1024)
	for _, b := range r.Budgets {
		verdict := "PASS"
		if !b.Pass {
			verdict = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %-60s %s\n", verdict, b.Name, b.Detail)
	}
}

func ms(d time.Duration) string {
	return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000)
}

func errorsText(errs map[int]int) string {
	if len(errs) == 0 {
		return "none"
	}
	codes := make([]int, 0, len(errs))
	for code := range errs {
		codes = append(codes, code)
	}
	sort.Ints(codes)
	parts := make([]string, 0, len(codes))
	for _, code := range codes {
		label := fmt.Sprint(code)
		if code == 0 {
			label = "transport"
		}
		parts = append(parts, fmt.Sprintf("%s×%d", label, errs[code]))
	}
	return strings.Join(parts, " ")
}
