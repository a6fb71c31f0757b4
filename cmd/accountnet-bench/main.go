// Command accountnet-bench measures an accountnet server under load next
// to a raw database baseline and checks the performance budgets. It seeds
// a new database, starts the server itself (this binary re-executed in
// server mode), and prints one report. See docs/benchmarks.md.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/accountnet/accountnet/internal/cli"
	"github.com/accountnet/accountnet/internal/loadtest"
)

func main() {
	if os.Getenv(loadtest.ServeEnv) == "1" {
		os.Exit(cli.Run(context.Background(), cli.Env{Args: os.Args[1:], Getenv: os.Getenv, Stdout: os.Stdout, Stderr: os.Stderr}))
	}
	os.Exit(run())
}

func run() int {
	database := flag.String("database", "", "postgres:// URL of an EMPTY database to use (its data is left behind); SQLite in a temporary directory when empty")
	clients := flag.Int("clients", 16, "concurrent clients, and goroutines for each raw baseline")
	duration := flag.Duration("duration", 10*time.Second, "measured time of each scenario and of each baseline")
	small := flag.Int("small-children", 1000, "children of the parent whose network list is the reference")
	big := flag.Int("big-children", 100000, "children of the parent whose network list is compared with the reference")
	invitations := flag.Int("invitations", 20000, "pending invitations seeded for activation, for the HTTP run and again for the baseline")
	strict := flag.Bool("strict", false, "exit with status 1 when a budget fails")
	flag.Parse()

	report, err := loadtest.Run(context.Background(), loadtest.Config{
		DatabaseURL: *database, Clients: *clients, Duration: *duration,
		Seed: loadtest.SeedConfig{SmallChildren: *small, BigChildren: *big, Invitations: *invitations},
		// Limits high enough never to trigger, so that their counters still
		// run as in production.
		ServerArgs: []string{"--mail-workers", "1", "--invitations-per-hour", "1000000000",
			"--invitations-per-address-per-day", "1000000000"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "accountnet-bench:", err)
		return 1
	}
	report.Print(os.Stdout)
	if *strict && !report.Passed() {
		return 1
	}
	return 0
}
