package service

import (
	"context"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/country"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/store"
)

// Field limits, in characters.
const (
	maxTitleLength    = 200
	maxNameLength     = 200
	maxUsernameLength = 100
)

// requireWriter checks that the caller is logged in with a role that may
// change networks and invitations.
func requireWriter(c *Caller) error {
	if !c.LoggedIn() {
		return errLoginRequired()
	}
	if !c.Role.CanWriteNetworks() {
		return accountnet.Forbidden("role " + string(c.Role) + " may only read networks and invitations")
	}
	return nil
}

func errLoginRequired() *accountnet.Error {
	return accountnet.Unauthorized("login_required", "Log in to an account first.")
}

// ChildDomains returns the domains the caller's account may invite into.
func (s *Service) ChildDomains(ctx context.Context, c *Caller) ([]*store.ChildDomain, error) {
	if !c.LoggedIn() {
		return nil, errLoginRequired()
	}
	return s.DB.Reader().FindChildDomains(ctx, c.App.ID, c.Account.DomainID)
}

// InitiateInput is the body of an initiate request. Optional fields are
// nil when absent.
type InitiateInput struct {
	DomainID    string
	Email       string
	CountryID   *string
	FeeProposed *accountnet.Percent
	Title       *string
}

// Initiate creates an invitation from the caller's account and queues the
// invitation mail in the same transaction. With validateOnly it runs every
// check, including the one for a pending invitation to the same address,
// and changes nothing; the rate limits and once are then not used. With
// once, the response is saved under its key (see runOnce).
func (s *Service) Initiate(ctx context.Context, c *Caller, in InitiateInput, validateOnly bool, once *Once) (*accountnet.Invitation, *SavedResponse, error) {
	if err := requireWriter(c); err != nil {
		return nil, nil, err
	}
	if err := checkAppConfigured(c.App); err != nil {
		return nil, nil, err
	}

	now := s.Clock.Now()
	token := accountnet.NewToken("")
	inv := &accountnet.Invitation{
		ID: accountnet.NewID(accountnet.PrefixInvitation), AppID: c.App.ID, ParentAccountID: c.Account.ID,
		CreatedByUserID: c.User.ID, TokenHash: accountnet.HashToken(token), Stored: accountnet.StatusPending,
		Expires: now.Add(c.App.InvitationTTL).Unix(), SentCount: 1, LastSent: now.Unix(),
		Created: now.Unix(), Updated: now.Unix(), Delivery: accountnet.DeliveryQueued,
	}

	if validateOnly {
		if err := s.checkInitiate(ctx, s.DB.Reader(), c, in, inv); err != nil {
			return nil, nil, err
		}
		return inv, nil, nil
	}

	created, saved, err := runOnce(ctx, s, c, once, func(q *store.Q) (*accountnet.Invitation, error) {
		if err := s.checkInitiate(ctx, q, c, in, inv); err != nil {
			return nil, err
		}
		if err := s.countInvitation(ctx, q, inv); err != nil {
			return nil, err
		}
		if err := q.CreateInvitation(ctx, inv); err != nil {
			return nil, err
		}
		return inv, s.queueInvitationMail(ctx, q, c, inv, token)
	})
	if err != nil {
		return nil, nil, err
	}
	if saved == nil || !saved.Replayed {
		s.mailQueued()
	}
	return created, saved, nil
}

// checkAppConfigured rejects sending invitations from an app without the
// settings the mails link to.
func checkAppConfigured(app *accountnet.App) error {
	if !accountnet.CheckAppURL(app.NetworkURL) || !accountnet.CheckAppURL(app.LoginURL) {
		return &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: "app_not_configured",
			Message: "Invitations cannot be sent yet because the app is not fully set up. Contact the app's administrator.",
			Detail:  "set network_url and login_url in the app settings"}
	}
	return nil
}

// checkInitiate validates in against the rules and fills inv from it. An
// update passes the invitation it changes as inv, which the check for
// another pending invitation to the address leaves out.
func (s *Service) checkInitiate(ctx context.Context, q *store.Q, c *Caller, in InitiateInput, inv *accountnet.Invitation) error {
	var errs accountnet.FieldErrors

	address, key, err := accountnet.NormalizeEmail(in.Email)
	if err != nil {
		errs.Add("email", accountnet.EmailMessage)
	}
	inv.Email, inv.EmailKey = address, key

	inv.CountryID = c.Account.CountryID
	if in.CountryID != nil && *in.CountryID != "" {
		if _, ok := country.Lookup(*in.CountryID); !ok {
			errs.Add("country_id", "Choose a country from the list.")
		}
		inv.CountryID = *in.CountryID
	}

	if in.Title != nil {
		inv.Title = cleanText(*in.Title)
		checkText(&errs, "title", inv.Title, maxTitleLength)
	}

	rule, err := s.findRule(ctx, q, c, in.DomainID)
	switch {
	case err != nil && accountnet.ErrorCode(err) != accountnet.CodeNotFound:
		return err
	case err != nil:
		errs.Add("domain_id", "Your account cannot invite this kind of account. Choose one from the list.")
	case in.FeeProposed != nil:
		if msg := accountnet.CheckProposedFee(*rule, *in.FeeProposed); msg != "" {
			errs.Add("fee_proposed", msg)
		}
	}
	inv.DomainID, inv.FeeProposed = in.DomainID, in.FeeProposed
	if err := errs.Err(); err != nil {
		return err
	}

	domain, err := q.FindDomain(ctx, c.App.ID, in.DomainID)
	if err != nil {
		return err
	}
	inv.DomainTitle = domain.Title

	// Serialise initiates of this parent so that two concurrent requests
	// for one address cannot both pass the check below.
	if err := q.LockAccount(ctx, c.App.ID, c.Account.ID); err != nil {
		return err
	}
	n, err := q.CountActiveInvitations(ctx, c.Account.ID, inv.EmailKey, s.now(), inv.ID)
	if err != nil {
		return err
	}
	if n > 0 {
		return accountnet.Conflict("invitation_pending",
			"An invitation to this address is already pending. Resend or change that invitation instead.")
	}
	return nil
}

// findRule returns the rule from the caller's domain to domainID.
func (s *Service) findRule(ctx context.Context, q *store.Q, c *Caller, domainID string) (*accountnet.Rule, error) {
	if domainID == "" {
		return nil, accountnet.NotFound("network rule")
	}
	return q.FindRule(ctx, c.App.ID, c.Account.DomainID, domainID)
}

// queueInvitationMail renders the invitation mail for token and queues it.
func (s *Service) queueInvitationMail(ctx context.Context, q *store.Q, c *Caller, inv *accountnet.Invitation, token string) error {
	link, err := accountnet.TokenLink(c.App.NetworkURL, token)
	if err != nil {
		return err
	}
	data := mail.Invitation{
		AppTitle: c.App.Title, ParentTitle: c.Account.Title, InviterName: displayName(c.User),
		DomainTitle: inv.DomainTitle, Link: link, Expires: formatUTC(inv.Expires),
	}
	if inv.FeeProposed != nil {
		data.FeeProposed = inv.FeeProposed.String()
	}
	return s.queueMail(ctx, q, c.App, accountnet.MailInvitation, inv.Email, inv.ID, data)
}

// queueMail renders a message and stores it in the outbox.
func (s *Service) queueMail(ctx context.Context, q *store.Q, app *accountnet.App, kind accountnet.MailKind, to, invitationID string, data any) error {
	subject, text, html, err := mail.Render(kind, data)
	if err != nil {
		return err
	}
	now := s.now()
	return q.CreateMail(ctx, &accountnet.Mail{
		ID: accountnet.NewID(accountnet.PrefixMail), AppID: app.ID, Kind: kind, To: to,
		FromName: app.MailFromName, FromAddress: app.MailFromAddress, Subject: subject, Text: text, HTML: html,
		Status: accountnet.DeliveryQueued, NextAttempt: now, InvitationID: invitationID, Created: now,
	})
}

func displayName(u *accountnet.User) string {
	if u.Name != "" {
		return u.Name
	}
	return u.Username
}

// formatUTC writes Unix seconds as an absolute UTC time for mail text.
func formatUTC(unix int64) string {
	return time.Unix(unix, 0).UTC().Format("Monday, 2 January 2006 15:04 MST")
}
