package loadtest

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// The raw baselines issue the store calls that the service makes for an
// endpoint, in the same transactions, with ready-made values: no HTTP, no
// JSON, no validation, no templates, no password hashing. They must be
// kept in step with the service when it changes its queries.

// rawSession does the look-ups that authenticate a session token.
func (r *runner) rawSession(ctx context.Context, q *store.Q, token string) (*accountnet.Session, *accountnet.Account, error) {
	session, err := q.FindSessionByHash(ctx, accountnet.HashToken(token))
	if err != nil {
		return nil, nil, err
	}
	if _, err := q.FindApp(ctx, session.AppID); err != nil {
		return nil, nil, err
	}
	if _, err := q.FindUser(ctx, session.AppID, session.UserID); err != nil {
		return nil, nil, err
	}
	account, err := q.FindAccount(ctx, session.AppID, session.AccountID)
	if err != nil {
		return nil, nil, err
	}
	_, err = q.FindMembership(ctx, session.AccountID, session.UserID)
	return session, account, err
}

func (r *runner) rawInitiate(ctx context.Context, sessionToken, email string) error {
	session, account, err := r.rawSession(ctx, r.db.Reader(), sessionToken)
	if err != nil {
		return err
	}

	now := time.Now().Unix()
	return r.db.Tx(ctx, func(q *store.Q) error {
		if _, err := q.FindRule(ctx, session.AppID, account.DomainID, r.seed.ChildDomainID); err != nil {
			return err
		}
		if _, err := q.FindDomain(ctx, session.AppID, r.seed.ChildDomainID); err != nil {
			return err
		}
		if err := q.LockAccount(ctx, session.AppID, account.ID); err != nil {
			return err
		}
		inv := &accountnet.Invitation{ID: accountnet.NewID(accountnet.PrefixInvitation), AppID: session.AppID,
			ParentAccountID: account.ID, CreatedByUserID: session.UserID, Email: email, EmailKey: email,
			DomainID: r.seed.ChildDomainID, CountryID: "US", TokenHash: accountnet.HashToken(accountnet.NewToken("")),
			Stored: accountnet.StatusPending, Expires: now + 3600, SentCount: 1, LastSent: now, Created: now, Updated: now}
		if _, err := q.CountActiveInvitations(ctx, account.ID, email, now, inv.ID); err != nil {
			return err
		}
		// The two send limits: per account per hour, per address per day.
		if _, _, err := q.Hit(ctx, "invitations:"+account.ID, now, 3600); err != nil {
			return err
		}
		if _, _, err := q.Hit(ctx, "recipient:"+session.AppID+":"+accountnet.HashToken(email), now, 86400); err != nil {
			return err
		}
		if err := q.CreateInvitation(ctx, inv); err != nil {
			return err
		}
		return q.CreateMail(ctx, rawMail(session.AppID, email, inv.ID, now))
	})
}

func (r *runner) rawActivate(ctx context.Context, token string) error {
	if err := r.rawAuthKey(ctx, r.db.Reader()); err != nil {
		return err
	}

	now := time.Now().Unix()
	appID := r.seed.App.ID
	return r.db.Tx(ctx, func(q *store.Q) error {
		inv, err := q.FindInvitationByToken(ctx, appID, accountnet.HashToken(token))
		if err != nil {
			return err
		}
		accepted, err := q.AcceptInvitation(ctx, inv.ID, inv.TokenHash, now)
		if err != nil {
			return err
		}
		if !accepted {
			return errors.New("invitation already accepted")
		}
		parent, err := q.FindAccount(ctx, appID, inv.ParentAccountID)
		if err != nil {
			return err
		}

		account := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: appID, DomainID: inv.DomainID,
			Title: inv.Email, CountryID: inv.CountryID, VersionID: 1, Created: now, Updated: now}
		if err := q.CreateAccount(ctx, account); err != nil {
			return err
		}
		if err := q.SetInvitationChild(ctx, inv.ID, account.ID); err != nil {
			return err
		}
		if _, err := q.FindUserByEmail(ctx, appID, inv.EmailKey); accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			return errors.New("invited user already exists")
		}
		if _, err := q.LoginTaken(ctx, appID, inv.Email); err != nil {
			return err
		}
		user := &accountnet.User{ID: accountnet.NewID(accountnet.PrefixUser), AppID: appID, Username: inv.Email, Email: inv.Email, Created: now}
		if err := q.CreateUser(ctx, user); err != nil {
			return err
		}
		if err := q.CreateMembership(ctx, appID, &accountnet.Membership{AccountID: account.ID, UserID: user.ID, Role: accountnet.RoleOwner, Created: now}); err != nil {
			return err
		}
		if err := q.CreateNetwork(ctx, &accountnet.Network{AccountID: account.ID, AppID: appID, ParentAccountID: parent.ID, Created: now}); err != nil {
			return err
		}
		if err := q.CreatePasswordToken(ctx, &accountnet.PasswordToken{ID: accountnet.NewID(accountnet.PrefixToken), AppID: appID,
			UserID: user.ID, Hash: accountnet.HashToken(accountnet.NewToken("")), Expires: now + 86400, Created: now}); err != nil {
			return err
		}
		if err := q.CreateMail(ctx, rawMail(appID, inv.Email, "", now)); err != nil {
			return err
		}
		inviter, err := q.FindUser(ctx, appID, inv.CreatedByUserID)
		if err != nil {
			return err
		}
		if err := q.CreateMail(ctx, rawMail(appID, inviter.Email, "", now)); err != nil {
			return err
		}
		_, err = q.FindAccount(ctx, appID, account.ID)
		return err
	})
}

// rawMail is a mail of the size the templates produce.
func rawMail(appID, to, invitationID string, now int64) *accountnet.Mail {
	return &accountnet.Mail{ID: accountnet.NewID(accountnet.PrefixMail), AppID: appID, Kind: accountnet.MailInvitation, To: to,
		Subject: "Parent invites you to Load test", Text: strings.Repeat("t", 400), HTML: strings.Repeat("h", 900),
		Status: accountnet.DeliveryQueued, NextAttempt: now, InvitationID: invitationID, Created: now}
}

func (r *runner) rawInvitationList(ctx context.Context, sessionToken string) error {
	q := r.db.Reader()
	session, account, err := r.rawSession(ctx, q, sessionToken)
	if err != nil {
		return err
	}
	_, _, err = q.FindInvitations(ctx, session.AppID, account.ID, store.InvitationFilter{Now: time.Now().Unix()}, store.Page{Index: 1, Size: 25})
	return err
}

func (r *runner) rawNetworkList(ctx context.Context, sessionToken string) error {
	q := r.db.Reader()
	session, account, err := r.rawSession(ctx, q, sessionToken)
	if err != nil {
		return err
	}
	_, _, err = q.FindNetworks(ctx, session.AppID, account.ID, store.NetworkFilter{}, store.Page{Index: 1, Size: 25})
	return err
}
