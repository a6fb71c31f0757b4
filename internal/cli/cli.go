// Package cli implements the accountnet command: serve, migrate,
// admin create and app create.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/api"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

const usage = `accountnet runs account networks for B2B SaaS apps.

Usage:
  accountnet serve [flags]          run the API server
  accountnet migrate [flags]        apply database migrations and list them
  accountnet admin create --email E --password P [flags]
  accountnet app create --title T [--network-url U] [--login-url U] [--reset-url U] [flags]

Every flag can also be set with an ACCOUNTNET_* environment variable:
--admin-token is ACCOUNTNET_ADMIN_TOKEN, and so on. Run a command with -h
to see its flags.
`

// Env is the process environment the commands read.
type Env struct {
	Args   []string // without the program name
	Getenv func(string) string
	Stdout io.Writer
	Stderr io.Writer
}

// Run executes one command and returns the process exit code.
func Run(ctx context.Context, env Env) int {
	err := run(ctx, env)
	if err == nil {
		return 0
	}
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	fmt.Fprintln(env.Stderr, "accountnet:", err)
	return 1
}

func run(ctx context.Context, env Env) error {
	args := env.Args
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, usage)
		return errors.New("missing command")
	}

	switch {
	case args[0] == "serve":
		return serve(ctx, env, args[1:])
	case args[0] == "migrate":
		return migrate(ctx, env, args[1:])
	case len(args) >= 2 && args[0] == "admin" && args[1] == "create":
		return adminCreate(ctx, env, args[2:])
	case len(args) >= 2 && args[0] == "app" && args[1] == "create":
		return appCreate(ctx, env, args[2:])
	case args[0] == "help" || args[0] == "-h" || args[0] == "--help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	fmt.Fprint(env.Stderr, usage)
	return fmt.Errorf("unknown command %q", strings.Join(args, " "))
}

// flags is a FlagSet whose defaults come from ACCOUNTNET_* variables.
type flags struct {
	*flag.FlagSet
	env    Env
	envErr error // malformed ACCOUNTNET_* values, reported after parsing
}

// fromEnv sets an already defined flag from its ACCOUNTNET_* variable, so
// that the command line can still override it. parse reports a value that
// does not parse.
func (f *flags) fromEnv(name string) {
	v := f.env.Getenv(envName(name))
	if v == "" {
		return
	}
	if err := f.Set(name, v); err != nil {
		f.envErr = errors.Join(f.envErr, fmt.Errorf("%s: %w", envName(name), err))
	}
}

// parse parses args and reports any malformed ACCOUNTNET_* value.
func (f *flags) parse(args []string) error {
	if err := f.Parse(args); err != nil {
		return err
	}
	return f.envErr
}

func newFlags(env Env, name string) *flags {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	return &flags{FlagSet: fs, env: env}
}

// envName turns a flag name into its variable: "admin-token" becomes
// ACCOUNTNET_ADMIN_TOKEN.
func envName(flagName string) string {
	return "ACCOUNTNET_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

func (f *flags) string(name, def, help string) *string {
	if v := f.env.Getenv(envName(name)); v != "" {
		def = v
	}
	return f.String(name, def, help+" (env "+envName(name)+")")
}

// bool defines a boolean flag whose variable may be 1, true, yes or on
// (or 0, false, no, off). parse reports any other value.
func (f *flags) bool(name string, help string) *bool {
	def := false
	switch v := strings.ToLower(f.env.Getenv(envName(name))); v {
	case "1", "true", "yes", "on":
		def = true
	case "", "0", "false", "no", "off":
	default:
		f.envErr = errors.Join(f.envErr, fmt.Errorf("%s: want true or false, got %q", envName(name), v))
	}
	return f.Bool(name, def, help+" (env "+envName(name)+")")
}

// storeFlags are the flags of every command that opens the database.
type storeFlags struct {
	data, database, logFormat, logLevel *string
}

func addStoreFlags(f *flags) *storeFlags {
	return &storeFlags{
		data:      f.string("data", "./accountnet-data", "directory for the SQLite database"),
		database:  f.string("database", "", "postgres:// URL for PostgreSQL, or a SQLite file path (default DATA/accountnet.db)"),
		logFormat: f.string("log-format", "text", "log format: text or json"),
		logLevel:  f.string("log-level", "info", "lowest level logged: debug, info, warn or error"),
	}
}

func (sf *storeFlags) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(*sf.logLevel)); err != nil {
		return nil, fmt.Errorf("--log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch *sf.logFormat {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("--log-format: want text or json, got %q", *sf.logFormat)
}

// secretFlag reads a secret from --NAME or from the file named by
// --NAME-file, so that it need not appear in the process list.
func secretFlag(value, file, name string) (string, error) {
	if file == "" {
		return value, nil
	}
	if value != "" {
		return "", fmt.Errorf("set --%s or --%s-file, not both", name, name)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("--%s-file: %w", name, err)
	}
	secret := strings.TrimSpace(strings.TrimPrefix(string(b), "\uFEFF"))
	if secret == "" {
		return "", fmt.Errorf("--%s-file: %s is empty", name, file)
	}
	if strings.ContainsAny(secret, "\r\n") {
		return "", fmt.Errorf("--%s-file: %s contains more than one line", name, file)
	}
	return secret, nil
}

func serve(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "serve")
	addr := f.string("addr", "127.0.0.1:8080", "address to listen on")
	adminToken := f.string("admin-token", "", "static admin token for automation (at least 32 characters)")
	adminTokenFile := f.string("admin-token-file", "", "file holding the static admin token")
	demo := f.bool("demo", "on an empty database, create a demo app and print its credentials")
	smtpURL := f.string("smtp-url", "", "SMTP server: smtp://user:password@host:port (STARTTLS), smtps://… (TLS), smtp://host:port?tls=none (plain, for a relay on loopback); mail is captured in the database when empty")
	smtpPasswordFile := f.string("smtp-password-file", "", "file holding the SMTP password, replacing the one in --smtp-url")
	mailFrom := f.string("mail-from", "", "sender for apps without mail_from, \"Name <address>\" or an address (required with --smtp-url)")
	mailWorkers := f.Int("mail-workers", 4, "mails sent at once by this process, 1 or more (env "+envName("mail-workers")+")")
	mailLease := f.Duration("mail-lease", 2*time.Minute, "how long one send may take before another worker may try the mail again (env "+envName("mail-lease")+")")
	sessionTTL := f.string("session-ttl", "168h", "lifetime of a logged-in session, such as 168h")
	idleTimeout := f.string("session-idle-timeout", "24h", "a session unused for this long ends, such as 24h")
	trustedProxies := f.string("trusted-proxies", "", "comma-separated addresses or CIDR blocks of reverse proxies whose X-Forwarded-For header names the client (default none: the header is ignored)")
	sf := addStoreFlags(f)
	lf := addLimitFlags(f)
	f.fromEnv("mail-workers")
	f.fromEnv("mail-lease")
	if err := f.parse(args); err != nil {
		return err
	}
	limits, authLimits, err := lf.limits()
	if err != nil {
		return err
	}
	if *mailWorkers < 1 {
		return fmt.Errorf("--mail-workers: use 1 or more, got %d", *mailWorkers)
	}
	if *mailLease < time.Second {
		return fmt.Errorf("--mail-lease: use at least 1s, got %s", *mailLease)
	}
	sessions, err := parseSessionFlags(*sessionTTL, *idleTimeout)
	if err != nil {
		return err
	}
	proxies, err := parsePrefixes(*trustedProxies)
	if err != nil {
		return fmt.Errorf("--trusted-proxies: %w", err)
	}

	token, err := secretFlag(*adminToken, *adminTokenFile, "admin-token")
	if err != nil {
		return err
	}
	if token != "" && (len(token) < 32 || strings.ContainsFunc(token, func(r rune) bool { return r <= ' ' || r == 0x7f })) {
		return errors.New("--admin-token: use at least 32 characters without spaces or control characters")
	}
	if *demo && token == "" {
		// The demo prints this token so that the captured mail can be
		// read; it works only while this process runs.
		token = accountnet.NewToken("adm_")
	}
	log, err := sf.logger(env.Stderr)
	if err != nil {
		return err
	}
	openAPI, err := api.JSON()
	if err != nil {
		return fmt.Errorf("load the OpenAPI document: %w", err)
	}

	transport, err := smtpTransport(*smtpURL, *smtpPasswordFile, *mailFrom)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	m, err := server.Open(ctx, server.Config{Addr: *addr, DataDir: *sf.data, DatabaseURL: *sf.database,
		AdminToken: token, Log: log, OpenAPI: openAPI, Transport: transport, MailWorkers: *mailWorkers, MailLease: *mailLease,
		InvitationLimits: limits, AuthLimits: authLimits, SessionTTL: sessions.ttl, SessionIdleTimeout: sessions.idle, TrustedProxies: proxies})
	if err != nil {
		return err
	}
	if err := m.Start(); err != nil {
		m.DB.Close()
		return err
	}
	if *demo {
		if err := seedDemo(ctx, env.Stdout, m, token); err != nil {
			m.Close()
			return fmt.Errorf("demo data: %w", err)
		}
	}

	<-ctx.Done()
	log.Info("shutting down")
	return m.Close()
}

// smtpTransport returns the SMTP transport for --smtp-url, or nil (the
// capture transport) when it is empty.
func smtpTransport(rawURL, passwordFile, from string) (mail.Transport, error) {
	if rawURL == "" {
		return nil, nil
	}
	password, err := secretFlag("", passwordFile, "smtp-password")
	if err != nil {
		return nil, err
	}
	t, err := mail.NewSMTP(mail.SMTPConfig{URL: rawURL, Password: password, From: from})
	if err != nil {
		return nil, fmt.Errorf("--smtp-url: %w", err)
	}
	return t, nil
}

// openStore opens and migrates the database for the one-shot commands.
func openStore(ctx context.Context, sf *storeFlags) (*store.DB, error) {
	db, err := store.Open(ctx, *sf.database, *sf.data)
	if err != nil {
		return nil, err
	}
	if _, err := db.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func migrate(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "migrate")
	sf := addStoreFlags(f)
	if err := f.parse(args); err != nil {
		return err
	}

	db, err := store.Open(ctx, *sf.database, *sf.data)
	if err != nil {
		return err
	}
	defer db.Close()
	applied, err := db.Migrate(ctx)
	if err != nil {
		return err
	}
	all, err := db.Migrations(ctx)
	if err != nil {
		return err
	}

	fmt.Fprintf(env.Stdout, "%s: %d migration(s) applied now\n", db.Dialect, len(applied))
	for _, m := range all {
		fmt.Fprintf(env.Stdout, "%04d_%s\tapplied %d\n", m.Version, m.Name, m.Applied)
	}
	return nil
}

func adminCreate(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "admin create")
	email := f.string("email", "", "admin's email address")
	plain := f.string("password", "", "admin's password (at least 8 characters)")
	passwordFile := f.string("password-file", "", "file holding the password")
	sf := addStoreFlags(f)
	if err := f.parse(args); err != nil {
		return err
	}
	pw, err := secretFlag(*plain, *passwordFile, "password")
	if err != nil {
		return err
	}

	db, err := openStore(ctx, sf)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newService(db)
	admin, err := svc.CreateAdminUser(ctx, *email, pw)
	if err != nil {
		return describe(err)
	}
	return writeJSONTo(env.Stdout, map[string]string{"id": admin.ID, "email": admin.Email})
}

func appCreate(ctx context.Context, env Env, args []string) error {
	f := newFlags(env, "app create")
	title := f.string("title", "", "app title")
	networkURL := f.string("network-url", "", "activation page; the token is added as ?token= or replaces {token}")
	loginURL := f.string("login-url", "", "log-in page named in mails")
	resetURL := f.string("reset-url", "", "set-password page (default: the log-in page)")
	sf := addStoreFlags(f)
	if err := f.parse(args); err != nil {
		return err
	}

	db, err := openStore(ctx, sf)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := newService(db)
	created, err := svc.CreateApp(ctx, service.AppInput{Title: title, NetworkURL: networkURL, LoginURL: loginURL, ResetURL: resetURL})
	if err != nil {
		return describe(err)
	}
	return writeJSONTo(env.Stdout, map[string]string{
		"app_id": created.App.ID, "publishable_key": created.PublishableKey, "secret_key": created.SecretKey,
	})
}

func writeJSONTo(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
