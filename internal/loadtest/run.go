// Package loadtest drives a running accountnet server with concurrent
// clients and measures a raw baseline in the same run. The baseline issues
// the same store calls (the same SQL statements) straight to the database
// from the same number of goroutines, without HTTP, JSON, authentication
// logic, validation, templates or hashing. The report gives each
// endpoint's rate as a percentage of its baseline and checks the
// performance budgets.
package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/accountnet/accountnet/internal/store"
)

// Config configures a run. Zero values take the defaults in parentheses.
type Config struct {
	DatabaseURL string        // postgres:// URL, or "" for SQLite in DataDir
	DataDir     string        // directory for SQLite (a temporary one)
	Clients     int           // concurrent clients and baseline goroutines (16)
	Duration    time.Duration // measured time per scenario and per baseline (10s)
	Seed        SeedConfig    // sizes; Clients is set from Clients
	ServerArgs  []string      // extra flags for accountnet serve
}

// Report is the outcome of a run.
type Report struct {
	Config    Config
	Dialect   store.Dialect
	Scenarios []Comparison
	PeakRSS   int64 // bytes
	Budgets   []Budget
}

// Comparison is one endpoint measured over HTTP and as a raw baseline.
type Comparison struct {
	HTTP     Result
	Baseline *Result // nil when the endpoint has no baseline
}

// Percent returns the HTTP rate as a percentage of the baseline rate.
func (c Comparison) Percent() float64 {
	if c.Baseline == nil || c.Baseline.PerSecond() == 0 {
		return 0
	}
	return 100 * c.HTTP.PerSecond() / c.Baseline.PerSecond()
}

// Budget is one performance budget with its verdict.
type Budget struct {
	Name   string
	Detail string
	Pass   bool
}

// Run seeds a new database, starts a server on it, measures every
// scenario and its baseline, and stops the server.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if cfg.Clients <= 0 {
		cfg.Clients = 16
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 10 * time.Second
	}
	if cfg.DataDir == "" {
		dir, err := os.MkdirTemp("", "accountnet-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		cfg.DataDir = dir
	}
	cfg.Seed.Clients = cfg.Clients

	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "seeding %s: %d parents, children %d and %d, %d invitations…\n",
		db.Dialect, cfg.Clients, cfg.Seed.SmallChildren, cfg.Seed.BigChildren, 2*cfg.Seed.Invitations)
	seeded, err := seed(ctx, db, cfg.Seed)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	// A bulk load leaves the planner's statistics behind.
	if err := db.Analyze(ctx); err != nil {
		return nil, err
	}

	server, err := StartServer(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.ServerArgs)
	if err != nil {
		return nil, err
	}
	defer server.Stop()

	c := newClient(server.URL, cfg.Clients)
	r := &runner{cfg: cfg, db: db, seed: seeded, client: c}
	if err := r.login(ctx); err != nil {
		return nil, err
	}

	report := &Report{Config: cfg, Dialect: db.Dialect}
	for _, sc := range r.scenarios() {
		fmt.Fprintf(os.Stderr, "measuring %s…\n", sc.name)
		cmp := Comparison{HTTP: drive(ctx, sc.name, cfg.Clients, cfg.Duration, sc.http)}
		if sc.raw != nil {
			// The server's mail worker is still sending what the HTTP run
			// queued; let it finish so the baseline has the database alone.
			if err := waitForMailQueue(ctx, db); err != nil {
				return nil, err
			}
			res := drive(ctx, sc.name+" (raw)", cfg.Clients, cfg.Duration, sc.raw)
			cmp.Baseline = &res
		}
		report.Scenarios = append(report.Scenarios, cmp)
	}
	if report.PeakRSS, err = server.PeakRSS(); err != nil {
		return nil, err
	}
	report.Budgets = checkBudgets(report)
	return report, nil
}

// waitForMailQueue waits until no mail is queued, for at most two minutes.
func waitForMailQueue(ctx context.Context, db *store.DB) error {
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		n, err := db.Reader().CountQueuedMails(ctx)
		if err != nil || n == 0 {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("mail queue not empty after two minutes")
}

// drive runs fn from clients goroutines until duration passes. fn returns
// an HTTP status (or 200 for a baseline call that succeeded, 500 for one
// that failed), or -1 when it has no more work.
func drive(ctx context.Context, name string, clients int, duration time.Duration, fn func(ctx context.Context, worker int) int) Result {
	rec := newRecorder()
	ctx, cancel := context.WithTimeout(ctx, duration)
	defer cancel()

	start := time.Now()
	var wg sync.WaitGroup
	for w := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				t0 := time.Now()
				status := fn(ctx, w)
				if status < 0 || ctx.Err() != nil {
					return
				}
				rec.Add(time.Since(t0), status)
			}
		}()
	}
	wg.Wait()
	return rec.summarize(name, time.Since(start))
}

// tokenPool hands out each token once.
type tokenPool struct {
	tokens []string
	next   atomic.Int64
}

func (p *tokenPool) take() (string, bool) {
	i := p.next.Add(1) - 1
	if i >= int64(len(p.tokens)) {
		return "", false
	}
	return p.tokens[i], true
}

func newHTTPClient(clients int) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = clients
	transport.MaxConnsPerHost = clients
	return &http.Client{Transport: transport, Timeout: 30 * time.Second}
}
