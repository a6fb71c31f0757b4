// Package server wires accountnet together: store, service, mail worker
// and HTTP server, started and stopped as one unit. The command line and
// the end-to-end tests both run the service through it.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"sync"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/httpapi"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/prometheus/client_golang/prometheus"
)

// Config configures a Main. The zero value of each optional field is the
// documented default.
type Config struct {
	Addr        string // listen address; "127.0.0.1:8080" when empty, ":0" picks a free port
	DataDir     string // SQLite directory; "./accountnet-data" when empty
	DatabaseURL string // postgres:// URL, or a SQLite file path; DataDir/accountnet.db when empty
	AdminToken  string // static admin token; "" disables it

	SessionTTL         time.Duration  // lifetime of a logged-in session; service.DefaultSessionTTL when zero
	SessionIdleTimeout time.Duration  // a session unused this long ends; service.DefaultSessionIdleTimeout when zero
	TrustedProxies     []netip.Prefix // proxies whose X-Forwarded-For names the client; none when empty

	Log         *slog.Logger     // slog.Default() when nil
	Clock       accountnet.Clock // the wall clock when nil
	Transport   mail.Transport   // the capture transport when nil
	Password    password.Params  // password.Default when zero
	OpenAPI     []byte           // served at /v1/openapi.json
	MailWorkers int              // mails sent at once by this process; default 4
	MailLease   time.Duration    // how long one send may take before another worker may retry it; default 2m

	InvitationLimits service.InvitationLimits // rate limits on invitation mail; zero fields take the defaults
	AuthLimits       service.AuthLimits       // rate limits on log-ins, reset mails and sessions; zero fields take the defaults

	ShutdownTimeout time.Duration // wait for in-flight requests; default 15s
}

// Main is a running accountnet.
type Main struct {
	Config   Config
	DB       *store.DB
	Service  *service.Service
	Worker   *mail.Worker
	registry *prometheus.Registry
	listener net.Listener
	http     *http.Server
	cancel   context.CancelFunc
	wg       sync.WaitGroup
}

// Open opens and migrates the store and builds the service; Start then
// begins serving.
func Open(ctx context.Context, cfg Config) (*Main, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = accountnet.SystemClock{}
	}
	if cfg.Transport == nil {
		cfg.Transport = mail.Capture{Log: cfg.Log}
	}
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:8080"
	}
	if cfg.DataDir == "" {
		cfg.DataDir = "./accountnet-data"
	}

	db, err := store.Open(ctx, cfg.DatabaseURL, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	for _, m := range applied {
		cfg.Log.Info("migration applied", "version", m.Version, "name", m.Name)
	}

	registry := prometheus.NewRegistry()
	registry.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}))
	registry.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "accountnet_mail_queued", Help: "Mails waiting for delivery, read from the database at each scrape.",
	}, func() float64 {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		n, err := db.Reader().CountQueuedMails(ctx)
		if err != nil {
			return -1
		}
		return float64(n)
	}))

	worker := mail.NewWorker(db, cfg.Transport, cfg.Clock, cfg.Log)
	worker.Concurrency = cfg.MailWorkers
	worker.Lease = cfg.MailLease
	worker.Metrics = mail.NewMetrics(registry)
	svc := &service.Service{DB: db, Clock: cfg.Clock, Log: cfg.Log, Password: cfg.Password, MailQueued: worker.Wake,
		InvitationLimits: cfg.InvitationLimits, AuthLimits: cfg.AuthLimits, SessionTTL: cfg.SessionTTL, SessionIdleTimeout: cfg.SessionIdleTimeout}
	return &Main{Config: cfg, DB: db, Service: svc, Worker: worker, registry: registry}, nil
}

// Start listens on the configured address and serves in the background,
// with the mail worker running beside the HTTP server.
func (m *Main) Start() error {
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", m.Config.Addr, err)
	}
	m.listener = ln

	api := &httpapi.Server{Svc: m.Service, Log: m.Config.Log, AdminToken: m.Config.AdminToken,
		OpenAPI: m.Config.OpenAPI, Ready: m.DB.Ping, Registry: m.registry, TrustedProxies: m.Config.TrustedProxies}
	m.http = &http.Server{
		Handler:           api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(m.Config.Log.Handler(), slog.LevelWarn),
	}

	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.wg.Add(3)
	go func() {
		defer m.wg.Done()
		m.Worker.Run(ctx)
	}()
	go func() {
		defer m.wg.Done()
		m.sweep(ctx)
	}()
	go func() {
		defer m.wg.Done()
		if err := m.http.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Config.Log.Error("HTTP server stopped", "error", err)
		}
	}()
	m.Config.Log.Info("accountnet listening", "addr", ln.Addr().String(), "database", string(m.DB.Dialect))
	return nil
}

// sweep deletes expired sessions, rate counters and idempotency keys every
// ten minutes until ctx ends. Expired rows are already ignored on reads;
// this only keeps the tables small.
func (m *Main) sweep(ctx context.Context) {
	ticker := time.NewTicker(10 * time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
		}

		now := m.Config.Clock.Now().Unix()
		var sessions, counters, keys int64
		err := m.DB.Tx(ctx, func(q *store.Q) error {
			var err error
			if sessions, err = q.DeleteExpiredSessions(ctx, now); err != nil {
				return err
			}
			if counters, err = q.DeleteExpiredRateCounters(ctx, now); err != nil {
				return err
			}
			keys, err = q.DeleteExpiredIdempotencyKeys(ctx, now)
			return err
		})
		if err != nil {
			m.Config.Log.Error("sweeping expired rows failed", "error", err)
			continue
		}
		m.Config.Log.Debug("swept expired rows", "sessions", sessions, "rate_counters", counters, "idempotency_keys", keys)
	}
}

// URL returns the base URL of the running server.
func (m *Main) URL() string {
	return "http://" + m.listener.Addr().String()
}

// Close stops accepting requests, lets in-flight requests and the mail
// being sent finish, and closes the store.
func (m *Main) Close() error {
	var err error
	if m.http != nil {
		timeout := m.Config.ShutdownTimeout
		if timeout <= 0 {
			timeout = 15 * time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		err = m.http.Shutdown(ctx)
		cancel()
	}
	if m.cancel != nil {
		m.cancel()
	}
	m.wg.Wait()
	if closer, ok := m.Config.Transport.(interface{ Close() }); ok {
		closer.Close()
	}
	return errors.Join(err, m.DB.Close())
}
