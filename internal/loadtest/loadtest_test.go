package loadtest_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/cli"
	"github.com/accountnet/accountnet/internal/loadtest"
	"github.com/accountnet/accountnet/internal/testdb"
)

// TestMain lets the test binary serve as the server that Run starts.
func TestMain(m *testing.M) {
	if os.Getenv(loadtest.ServeEnv) == "1" {
		os.Exit(cli.Run(context.Background(), cli.Env{Args: os.Args[1:], Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(m.Run())
}

// TestSmoke runs every scenario briefly with few clients and small data;
// full runs are the accountnet-bench command's job.
func TestSmoke(t *testing.T) {
	testdb.Each(t, func(t *testing.T, url string) {
		if strings.HasSuffix(url, ".db") {
			url = "" // SQLite: let Run use a directory of its own
		}
		report, err := loadtest.Run(context.Background(), loadtest.Config{
			DatabaseURL: url, DataDir: t.TempDir(), Clients: 2, Duration: 300 * time.Millisecond,
			Seed:       loadtest.SeedConfig{SmallChildren: 10, BigChildren: 100, Invitations: 300},
			ServerArgs: []string{"--invitations-per-hour", "1000000000"},
		})
		if err != nil {
			t.Fatal(err)
		}

		var out strings.Builder
		report.Print(&out)
		t.Log("\n" + out.String())
		for _, c := range report.Scenarios {
			if c.HTTP.Requests == 0 {
				t.Errorf("%s: no requests completed", c.HTTP.Name)
			}
			if len(c.HTTP.Errors) > 0 {
				t.Errorf("%s: errors %v", c.HTTP.Name, c.HTTP.Errors)
			}
			if c.Baseline != nil && (c.Baseline.Requests == 0 || len(c.Baseline.Errors) > 0) {
				t.Errorf("%s baseline: %d requests, errors %v", c.HTTP.Name, c.Baseline.Requests, c.Baseline.Errors)
			}
		}
		if report.PeakRSS <= 0 {
			t.Errorf("peak RSS %d, want a measurement", report.PeakRSS)
		}
	})
}
