package loadtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// parentPassword is the password of every seeded parent user.
const parentPassword = "bench-parent-password"

// Seed is the data a run works on.
type Seed struct {
	App            *accountnet.App
	PublishableKey string
	ChildDomainID  string
	Parents        []string // usernames, one parent account per client
	SmallParent    string   // username of the parent with SmallChildren children
	BigParent      string   // username of the parent with BigChildren children
	Tokens         []string // pending invitation tokens for the HTTP runs
	BaselineTokens []string // pending invitation tokens for the baseline runs
}

// SeedConfig sizes the seed.
type SeedConfig struct {
	Clients       int
	SmallChildren int
	BigChildren   int
	Invitations   int // pending invitations with known tokens, for each of HTTP and baseline
}

// seed writes the run's data straight into the store. Invitations get
// tokens the tool generates, which the API never allows: this path exists
// only in the load tool, so that activation can be measured without
// reading mail.
func seed(ctx context.Context, db *store.DB, cfg SeedConfig) (*Seed, error) {
	svc := &service.Service{DB: db, Clock: accountnet.SystemClock{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	str := func(s string) *string { return &s }
	maxTTL := int64(accountnet.MaxInvitationTTL / time.Second)

	created, err := svc.CreateApp(ctx, service.AppInput{Title: str("Load test"), NetworkURL: str("https://bench.example/activate"),
		LoginURL: str("https://bench.example/login"), InvitationTTL: &maxTTL})
	if err != nil {
		return nil, err
	}
	s := &Seed{App: created.App, PublishableKey: created.PublishableKey}

	maker, err := svc.CreateDomain(ctx, s.App.ID, service.DomainInput{Title: str("Manufacturer")})
	if err != nil {
		return nil, err
	}
	dist, err := svc.CreateDomain(ctx, s.App.ID, service.DomainInput{Title: str("Distributor")})
	if err != nil {
		return nil, err
	}
	s.ChildDomainID = dist.ID
	if _, err := svc.CreateRule(ctx, s.App.ID, service.RuleInput{ParentDomainID: maker.ID, ChildDomainID: dist.ID, Monetized: true}); err != nil {
		return nil, err
	}

	parent := func(name string) (*accountnet.Account, error) {
		return svc.CreateAccount(ctx, s.App.ID, service.AccountInput{Title: name, DomainID: maker.ID, CountryID: "US",
			Username: name, Email: name + "@bench.example", Password: parentPassword})
	}
	var first *accountnet.Account
	for i := range cfg.Clients {
		name := fmt.Sprintf("parent%d", i)
		a, err := parent(name)
		if err != nil {
			return nil, err
		}
		if first == nil {
			first = a
		}
		s.Parents = append(s.Parents, name)
	}

	for _, big := range []struct {
		name     string
		children int
		target   *string
	}{{"small", cfg.SmallChildren, &s.SmallParent}, {"big", cfg.BigChildren, &s.BigParent}} {
		a, err := parent(big.name)
		if err != nil {
			return nil, err
		}
		if err := seedChildren(ctx, db, s.App.ID, a.ID, dist.ID, big.children); err != nil {
			return nil, err
		}
		*big.target = big.name
	}

	inviter, err := db.Reader().FindUserByLogin(ctx, s.App.ID, s.Parents[0])
	if err != nil {
		return nil, err
	}
	if s.Tokens, err = seedInvitations(ctx, db, s.App.ID, first, inviter.ID, dist.ID, cfg.Invitations); err != nil {
		return nil, err
	}
	if s.BaselineTokens, err = seedInvitations(ctx, db, s.App.ID, first, inviter.ID, dist.ID, cfg.Invitations); err != nil {
		return nil, err
	}
	return s, nil
}

// seedChildren gives parentID n child accounts, in transactions of 5,000.
func seedChildren(ctx context.Context, db *store.DB, appID, parentID, domainID string, n int) error {
	now := time.Now().Unix()
	for done := 0; done < n; {
		batch := min(5000, n-done)
		err := db.Tx(ctx, func(q *store.Q) error {
			for i := range batch {
				child := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: appID, DomainID: domainID,
					Title: fmt.Sprintf("Child %07d", done+i), CountryID: "US", VersionID: 1, Created: now - int64(done+i), Updated: now}
				if err := q.CreateAccount(ctx, child); err != nil {
					return err
				}
				if err := q.CreateNetwork(ctx, &accountnet.Network{AccountID: child.ID, AppID: appID, ParentAccountID: parentID, Created: child.Created}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		done += batch
	}
	return nil
}

// seedInvitations creates n pending invitations from parent, sent by
// inviterID, and returns their tokens.
func seedInvitations(ctx context.Context, db *store.DB, appID string, parent *accountnet.Account, inviterID, domainID string, n int) ([]string, error) {
	now := time.Now().Unix()
	tokens := make([]string, 0, n)
	err := db.Tx(ctx, func(q *store.Q) error {
		for i := range n {
			token := accountnet.NewToken("")
			email := fmt.Sprintf("seeded%d-%s@bench.example", i, accountnet.NewID(""))
			inv := &accountnet.Invitation{ID: accountnet.NewID(accountnet.PrefixInvitation), AppID: appID, ParentAccountID: parent.ID,
				CreatedByUserID: inviterID, Email: email, EmailKey: email, DomainID: domainID, CountryID: "US",
				TokenHash: accountnet.HashToken(token), Stored: accountnet.StatusPending, Expires: now + 30*24*3600,
				SentCount: 1, LastSent: now, Created: now, Updated: now}
			if err := q.CreateInvitation(ctx, inv); err != nil {
				return err
			}
			tokens = append(tokens, token)
		}
		return nil
	})
	return tokens, err
}
