package service_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/testdb"
)

// benchWorld is an app with a Manufacturer → Distributor rule and a logged
// in Manufacturer owner, built through the service itself.
type benchWorld struct {
	svc    *service.Service
	app    *accountnet.App
	caller *service.Caller
	domain string
}

func newBenchWorld(b *testing.B, databaseURL string) *benchWorld {
	ctx := context.Background()
	db := testdb.Open(b, databaseURL)
	svc := &service.Service{DB: db, Clock: accountnet.SystemClock{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Password: password.Params{Memory: 64, Time: 1, Threads: 1}}

	str := func(s string) *string { return &s }
	created, err := svc.CreateApp(ctx, service.AppInput{Title: str("Bench"), NetworkURL: str("https://a.example/activate"), LoginURL: str("https://a.example/login")})
	if err != nil {
		b.Fatal(err)
	}
	app := created.App
	maker, err := svc.CreateDomain(ctx, app.ID, service.DomainInput{Title: str("Manufacturer")})
	if err != nil {
		b.Fatal(err)
	}
	dist, err := svc.CreateDomain(ctx, app.ID, service.DomainInput{Title: str("Distributor")})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateRule(ctx, app.ID, service.RuleInput{ParentDomainID: maker.ID, ChildDomainID: dist.ID, Monetized: true}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.CreateAccount(ctx, app.ID, service.AccountInput{Title: "Parent", DomainID: maker.ID, CountryID: "US",
		Username: "owner", Email: "owner@example.com", Password: "owner-password"}); err != nil {
		b.Fatal(err)
	}
	anon, err := svc.NewSession(ctx, &service.Caller{App: app, ClientAddr: "127.0.0.1"})
	if err != nil {
		b.Fatal(err)
	}
	res, err := svc.Login(ctx, anon, "owner", "owner-password")
	if err != nil {
		b.Fatal(err)
	}
	return &benchWorld{svc: svc, app: app, caller: res.Caller, domain: dist.ID}
}

// eachDatabase runs fn as sub-benchmarks on SQLite and, when configured,
// PostgreSQL.
func eachDatabase(b *testing.B, fn func(b *testing.B, w *benchWorld)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, newBenchWorld(b, testdb.SQLiteURL(b))) })
	b.Run("postgres", func(b *testing.B) {
		if os.Getenv(testdb.PostgresEnv) == "" {
			b.Skip(testdb.PostgresEnv + " is not set")
		}
		fn(b, newBenchWorld(b, testdb.PostgresURL(b)))
	})
}

func BenchmarkInitiate(b *testing.B) {
	eachDatabase(b, func(b *testing.B, w *benchWorld) {
		ctx := context.Background()
		i := 0
		for b.Loop() {
			i++
			in := service.InitiateInput{DomainID: w.domain, Email: fmt.Sprintf("child%d@example.com", i)}
			if _, _, err := w.svc.Initiate(ctx, w.caller, in, false, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkActivate measures activation without a password, so that the
// figure is the transaction and not argon2id.
func BenchmarkActivate(b *testing.B) {
	eachDatabase(b, func(b *testing.B, w *benchWorld) {
		ctx := context.Background()
		tokens := make([]string, b.N)
		for i := range tokens {
			in := service.InitiateInput{DomainID: w.domain, Email: fmt.Sprintf("child%d@example.com", i)}
			if _, _, err := w.svc.Initiate(ctx, w.caller, in, false, nil); err != nil {
				b.Fatal(err)
			}
		}
		// The tokens exist only in the mails; read them back from there.
		mails, _, err := w.svc.FindMails(ctx, w.app.ID, "", store.Page{Index: 1, Size: b.N})
		if err != nil {
			b.Fatal(err)
		}
		for i, m := range mails {
			tokens[i] = tokenIn(b, m.Text)
		}

		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := w.svc.Activate(ctx, w.app, tokens[i], service.ActivateInput{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func tokenIn(b *testing.B, text string) string {
	const marker = "?token="
	for i := 0; i+len(marker) < len(text); i++ {
		if text[i:i+len(marker)] == marker {
			return text[i+len(marker) : i+len(marker)+43]
		}
	}
	b.Fatalf("no token in %q", text)
	return ""
}
