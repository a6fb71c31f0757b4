package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sort"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/server"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// newService builds a service for the one-shot commands, which send no
// mail themselves.
func newService(db *store.DB) *service.Service {
	return &service.Service{DB: db, Clock: accountnet.SystemClock{}, Log: slog.Default()}
}

// describe turns a domain error into one line a person at a terminal can
// act on, with the field messages.
func describe(err error) error {
	var e *accountnet.Error
	if !errors.As(err, &e) {
		return err
	}
	msg := e.Message
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			msg += fmt.Sprintf("\n  %s: %s", name, e.Fields[name])
		}
	}
	return errors.New(msg)
}

// seedDemo creates, on an empty database, an app with the domains
// Manufacturer → Distributor → Retailer, a parent account with its user,
// and prints the credentials with a ready curl command. On a database that
// already has apps it prints a notice and changes nothing.
func seedDemo(ctx context.Context, out io.Writer, m *server.Main, adminToken string) error {
	n, err := m.DB.Reader().CountApps(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		fmt.Fprintln(out, "demo: the database already has apps, so no demo data was created; keys and passwords are kept only as hashes,\n"+
			"so they cannot be printed again. To start over, use an empty database: a new --data directory for SQLite, or a new\n"+
			"PostgreSQL database in --database.")
		return nil
	}

	svc := m.Service
	base := m.URL()
	str := func(s string) *string { return &s }
	created, err := svc.CreateApp(ctx, service.AppInput{
		Title:      str("Demo Supply Chain"),
		NetworkURL: str(base + "/demo/activate?token={token}"),
		LoginURL:   str(base + "/demo/login"),
		MailFrom:   str("Demo Supply Chain <noreply@demo.invalid>"),
	})
	if err != nil {
		return describe(err)
	}
	appID := created.App.ID

	domains := map[string]*accountnet.Domain{}
	for _, title := range []string{"Manufacturer", "Distributor", "Retailer"} {
		d, err := svc.CreateDomain(ctx, appID, service.DomainInput{Title: str(title)})
		if err != nil {
			return describe(err)
		}
		domains[title] = d
	}
	maxFee := accountnet.Percent(20_000)
	if _, err := svc.CreateRule(ctx, appID, service.RuleInput{ParentDomainID: domains["Manufacturer"].ID,
		ChildDomainID: domains["Distributor"].ID, Monetized: true, MaxFee: &maxFee}); err != nil {
		return describe(err)
	}
	if _, err := svc.CreateRule(ctx, appID, service.RuleInput{ParentDomainID: domains["Distributor"].ID,
		ChildDomainID: domains["Retailer"].ID}); err != nil {
		return describe(err)
	}

	password := accountnet.NewToken("")[:16]
	account, err := svc.CreateAccount(ctx, appID, service.AccountInput{Title: "Acme Manufacturing", DomainID: domains["Manufacturer"].ID,
		CountryID: "US", Username: "acme", Email: "owner@acme.demo.invalid", Name: "Ada Acme", Password: password})
	if err != nil {
		return describe(err)
	}

	fmt.Fprintf(out, `
accountnet demo data
  app id:           %s
  publishable key:  %s
  secret key:       %s
  parent account:   %s (Manufacturer, may invite Distributors with a fee of up to 20%%)
  parent user:      acme / %s
  distributor id:   %s

Log in as the parent user and invite a Distributor:

  TOKEN=$(curl -s -X POST %s/v1/auth/login -H 'Authorization: Bearer %s' \
    -H 'Content-Type: application/json' -d '{"username":"acme","password":"%s"}' | sed 's/.*"token":"\([^"]*\)".*/\1/')
  curl -s -X POST %s/v1/network/initiate -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"domain_id":"%s","email":"buyer@example.com","fee_proposed":12.5}'

The invitation mail is captured; read it with an admin token:

  curl -s '%s/admin/v1/apps/%s/mails' -H 'Authorization: Bearer %s'

`, appID, created.PublishableKey, created.SecretKey, account.ID, password, domains["Distributor"].ID,
		base, created.PublishableKey, password, base, domains["Distributor"].ID, base, appID, adminToken)
	return nil
}
