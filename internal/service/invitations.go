package service

import (
	"context"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/store"
)

// InvitationUpdate is the body of an invitation update. Nil fields are
// absent and keep their value. An empty email or domain_id also keeps it,
// an empty country_id resets the country to the account's, and an empty
// title clears the title.
type InvitationUpdate struct {
	Email       *string
	DomainID    *string
	CountryID   *string
	FeeProposed *accountnet.Percent
	ClearFee    bool // removes the proposed fee; set when fee_proposed is ""
	Title       *string
}

// input returns the initiate input for previous with the update applied,
// so that an update runs exactly the checks of an initiate. A nil update,
// a re-send, checks the invitation as it is.
func (in *InvitationUpdate) input(previous *accountnet.Invitation) InitiateInput {
	out := InitiateInput{DomainID: previous.DomainID, Email: previous.Email, CountryID: &previous.CountryID,
		FeeProposed: previous.FeeProposed, Title: &previous.Title}
	if in == nil {
		return out
	}

	if in.Email != nil && *in.Email != "" {
		out.Email = *in.Email
	}
	if in.DomainID != nil && *in.DomainID != "" {
		out.DomainID = *in.DomainID
	}
	if in.CountryID != nil {
		out.CountryID = in.CountryID
	}
	if in.FeeProposed != nil {
		out.FeeProposed = in.FeeProposed
	} else if in.ClearFee {
		out.FeeProposed = nil
	}
	if in.Title != nil {
		out.Title = in.Title
	}
	return out
}

// FindInvitations returns one page of the caller's account's invitations,
// newest first, with the total that match. The filter's status is judged
// at the service clock's current time.
func (s *Service) FindInvitations(ctx context.Context, c *Caller, filter store.InvitationFilter, page store.Page) ([]*accountnet.Invitation, int64, error) {
	if !c.LoggedIn() {
		return nil, 0, errLoginRequired()
	}
	filter.Now = s.now()
	return s.DB.Reader().FindInvitations(ctx, c.App.ID, c.Account.ID, filter, page)
}

// FindInvitation returns an invitation of the caller's account. Another
// account's invitation is not found, exactly like a missing one.
func (s *Service) FindInvitation(ctx context.Context, c *Caller, id string) (*accountnet.Invitation, error) {
	if !c.LoggedIn() {
		return nil, errLoginRequired()
	}
	return s.DB.Reader().FindInvitation(ctx, c.App.ID, c.Account.ID, id)
}

// UpdateInvitation changes a pending or expired invitation, runs the
// checks of an initiate on the result, and sends it again with a new token
// and a new expiry, all in one transaction.
func (s *Service) UpdateInvitation(ctx context.Context, c *Caller, id string, in InvitationUpdate, once *Once) (*accountnet.Invitation, *SavedResponse, error) {
	return s.renew(ctx, c, id, &in, once)
}

// ResendInvitation sends a pending or expired invitation again with a new
// token and a new expiry. The old link stops working.
func (s *Service) ResendInvitation(ctx context.Context, c *Caller, id string, once *Once) (*accountnet.Invitation, *SavedResponse, error) {
	return s.renew(ctx, c, id, nil, once)
}

// renew is UpdateInvitation with in, and ResendInvitation without.
func (s *Service) renew(ctx context.Context, c *Caller, id string, in *InvitationUpdate, once *Once) (*accountnet.Invitation, *SavedResponse, error) {
	if err := requireWriter(c); err != nil {
		return nil, nil, err
	}
	if err := checkAppConfigured(c.App); err != nil {
		return nil, nil, err
	}

	inv, saved, err := runOnce(ctx, s, c, once, func(q *store.Q) (*accountnet.Invitation, error) {
		// Lock the invitation row before checkInitiate locks the account.
		// Activation takes the same two in the same order (the invitation
		// UPDATE, then the foreign key check on the parent), so they cannot
		// deadlock.
		previous, err := q.FindInvitationForUpdate(ctx, c.App.ID, c.Account.ID, id)
		if err != nil {
			return nil, err
		}
		if err := checkChangeable(previous); err != nil {
			return nil, err
		}

		now := s.Clock.Now()
		token := accountnet.NewToken("")
		next := *previous
		next.TokenHash = accountnet.HashToken(token)
		next.Expires = now.Add(c.App.InvitationTTL).Unix()
		next.SentCount, next.LastSent, next.Updated = previous.SentCount+1, now.Unix(), now.Unix()
		next.Delivery = accountnet.DeliveryQueued

		if err := s.checkInitiate(ctx, q, c, in.input(previous), &next); err != nil {
			return nil, err
		}
		if err := s.countResend(ctx, q, previous, &next); err != nil {
			return nil, err
		}
		if err := q.RenewInvitation(ctx, &next); err != nil {
			return nil, err
		}
		if err := s.queueInvitationMail(ctx, q, c, &next, token); err != nil {
			return nil, err
		}
		return &next, nil
	})
	if err != nil {
		return nil, nil, err
	}
	if saved == nil || !saved.Replayed {
		s.mailQueued()
	}
	return inv, saved, nil
}

// RevokeInvitation withdraws a pending or expired invitation. Its token
// then gets invitation_revoked.
func (s *Service) RevokeInvitation(ctx context.Context, c *Caller, id string) error {
	if err := requireWriter(c); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(q *store.Q) error {
		inv, err := q.FindInvitationForUpdate(ctx, c.App.ID, c.Account.ID, id)
		if err != nil {
			return err
		}
		if err := checkChangeable(inv); err != nil {
			return err
		}
		return q.RevokeInvitation(ctx, c.App.ID, c.Account.ID, id, s.now())
	})
}

// checkChangeable returns invitation_not_pending unless the stored status
// is pending; expired invitations are stored as pending and may change.
func checkChangeable(inv *accountnet.Invitation) error {
	switch inv.Stored {
	case accountnet.StatusPending:
		return nil
	case accountnet.StatusAccepted:
		return accountnet.Conflict("invitation_not_pending",
			"This invitation was accepted, so it can no longer be changed. The account it created is in your network.")
	case accountnet.StatusDeclined:
		return accountnet.Conflict("invitation_not_pending",
			"This invitation was declined, so it can no longer be changed or sent. Create a new invitation instead.")
	default:
		return accountnet.Conflict("invitation_not_pending",
			"This invitation was revoked, so it can no longer be changed or sent. Create a new invitation instead.")
	}
}

// DeclineInvitation is the invitee's refusal. In one transaction it marks
// the invitation declined, so that its token stops working, and queues a
// mail to the user who created it.
func (s *Service) DeclineInvitation(ctx context.Context, app *accountnet.App, token string) (*accountnet.Invitation, error) {
	var inv *accountnet.Invitation
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		now := s.now()
		var err error
		if inv, err = s.findByToken(ctx, q, app, token); err != nil {
			return err
		}
		if err := inv.CheckUsable(now); err != nil {
			return err
		}

		declined, err := q.DeclineInvitation(ctx, inv.ID, inv.TokenHash, now)
		if err != nil {
			return err
		}
		if !declined {
			return s.errClaimLost(ctx, q, app, token, now)
		}
		inv.Stored, inv.Updated = accountnet.StatusDeclined, now

		parent, err := q.FindAccount(ctx, app.ID, inv.ParentAccountID)
		if err != nil {
			return err
		}
		return s.queueOutcomeMail(ctx, q, app, inv, parent, accountnet.MailInvitationDeclined, "")
	})
	if err != nil {
		return nil, err
	}
	s.mailQueued()
	return inv, nil
}

// errClaimLost returns the error for a token whose invitation changed
// between reading it and claiming it with a conditional UPDATE: a
// concurrent activation, decline, revoke or re-send. The invitation is read
// again, and its state now decides the error.
func (s *Service) errClaimLost(ctx context.Context, q *store.Q, app *accountnet.App, token string, now int64) error {
	current, err := s.findByToken(ctx, q, app, token)
	if err != nil {
		return err
	}
	if err := current.CheckUsable(now); err != nil {
		return err
	}
	// Still usable here means the row changed and changed back, which no
	// path does; report the most likely cause, a concurrent activation.
	current.Stored = accountnet.StatusAccepted
	return current.CheckUsable(now)
}

// queueOutcomeMail queues the mail to the user who created inv about the
// invitee's answer: accepted (childTitle names the new account) or
// declined.
func (s *Service) queueOutcomeMail(ctx context.Context, q *store.Q, app *accountnet.App, inv *accountnet.Invitation,
	parent *accountnet.Account, kind accountnet.MailKind, childTitle string) error {
	inviter, err := q.FindUser(ctx, app.ID, inv.CreatedByUserID)
	if err != nil {
		return err
	}
	data := mail.InvitationOutcome{
		AppTitle: app.Title, InviterName: displayName(inviter), ParentTitle: parent.Title, Email: inv.Email,
		DomainTitle: inv.DomainTitle, ChildTitle: childTitle, LoginURL: app.LoginURL,
	}
	return s.queueMail(ctx, q, app, kind, inviter.Email, "", data)
}
