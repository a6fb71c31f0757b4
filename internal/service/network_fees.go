package service

import (
	"context"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/store"
)

// Networks returns one page of the caller's child networks.
func (s *Service) Networks(ctx context.Context, c *Caller, f store.NetworkFilter, page store.Page) ([]*store.NetworkDetail, int64, error) {
	if !c.LoggedIn() {
		return nil, 0, errLoginRequired()
	}
	return s.DB.Reader().FindNetworks(ctx, c.App.ID, c.Account.ID, f, page)
}

// ChildNetwork returns the network of one of the caller's children.
// Another account's network is not found.
func (s *Service) ChildNetwork(ctx context.Context, c *Caller, childAccountID string) (*store.NetworkDetail, error) {
	if !c.LoggedIn() {
		return nil, errLoginRequired()
	}
	return s.DB.Reader().FindChildNetwork(ctx, c.App.ID, c.Account.ID, childAccountID)
}

// ParentNetwork returns the caller's own network with its parent; not
// found when the caller's account has no parent.
func (s *Service) ParentNetwork(ctx context.Context, c *Caller) (*store.NetworkDetail, error) {
	if !c.LoggedIn() {
		return nil, errLoginRequired()
	}
	return s.DB.Reader().FindParentNetwork(ctx, c.App.ID, c.Account.ID)
}

// lockChildNetwork locks the network of childAccountID and checks that the
// caller's account is its parent.
func lockChildNetwork(ctx context.Context, q *store.Q, c *Caller, childAccountID string) (*accountnet.Network, error) {
	n, err := q.LockNetwork(ctx, c.App.ID, childAccountID)
	if err != nil {
		return nil, err
	}
	if n.ParentAccountID != c.Account.ID {
		return nil, accountnet.NotFound("network")
	}
	return n, nil
}

// ProposeFee records fee as the caller's new proposal to one of its
// children and mails the child account's users. The rule between the two
// accounts' domains must be monetized and allow the fee. The fee in force
// stays until the child accepts.
func (s *Service) ProposeFee(ctx context.Context, c *Caller, childAccountID string, fee accountnet.Percent) (*store.NetworkDetail, error) {
	if err := requireWriter(c); err != nil {
		return nil, err
	}

	var detail *store.NetworkDetail
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		n, err := lockChildNetwork(ctx, q, c, childAccountID)
		if err != nil {
			return err
		}
		child, err := q.FindAccount(ctx, c.App.ID, childAccountID)
		if err != nil {
			return err
		}

		msg, err := feeRuleProblem(ctx, q, c.App.ID, c.Account.DomainID, child.DomainID, fee)
		if err != nil {
			return err
		}
		if msg != "" {
			return accountnet.InvalidFields(map[string]string{"fee_proposed": msg})
		}

		n.Propose(fee, c.Account.ID, c.User.ID, s.now())
		if err := q.UpdateNetworkFee(ctx, n); err != nil {
			return err
		}
		if err := s.queueFeeProposedMails(ctx, q, c, child, n); err != nil {
			return err
		}
		detail, err = q.FindChildNetwork(ctx, c.App.ID, c.Account.ID, childAccountID)
		return err
	})
	if err != nil {
		return nil, err
	}
	s.mailQueued()
	return detail, nil
}

// queueFeeProposedMails queues the proposal mail to every user of the
// child account.
func (s *Service) queueFeeProposedMails(ctx context.Context, q *store.Q, c *Caller, child *accountnet.Account, n *accountnet.Network) error {
	users, err := q.FindUsersOfAccount(ctx, c.App.ID, child.ID)
	if err != nil {
		return err
	}
	data := mail.FeeProposed{
		AppTitle: c.App.Title, ParentTitle: c.Account.Title, ProposerName: displayName(c.User),
		ChildTitle: child.Title, FeeProposed: n.FeeProposed.String(), LoginURL: c.App.LoginURL,
	}
	if n.Fee != nil {
		data.FeeInForce = n.Fee.String()
	}
	for _, u := range users {
		if err := s.queueMail(ctx, q, c.App, accountnet.MailFeeProposed, u.Email, "", data); err != nil {
			return err
		}
	}
	return nil
}

// FeeAnswer is the child's answer to a fee proposal.
type FeeAnswer string

const (
	FeeAccept  FeeAnswer = "accept"
	FeeDecline FeeAnswer = "decline"
)

// AnswerFee accepts or declines the pending fee proposal of the caller's
// parent network. expected, when not nil, must equal the pending proposal.
// Accepting puts the proposal in force and records it in the fee history;
// declining drops it and mails the user who proposed it.
func (s *Service) AnswerFee(ctx context.Context, c *Caller, answer FeeAnswer, expected *accountnet.Percent) (*store.NetworkDetail, error) {
	if err := requireWriter(c); err != nil {
		return nil, err
	}

	var detail *store.NetworkDetail
	declined := false
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		n, err := q.LockNetwork(ctx, c.App.ID, c.Account.ID)
		if err != nil {
			return err
		}
		if err := n.CheckAnswer(c.Account.ID, expected); err != nil {
			return err
		}

		switch answer {
		case FeeAccept:
			// The rule may have changed since the proposal: a fee it no
			// longer allows must not come into force.
			parent, err := q.FindAccount(ctx, c.App.ID, n.ParentAccountID)
			if err != nil {
				return err
			}
			msg, err := feeRuleProblem(ctx, q, c.App.ID, parent.DomainID, c.Account.DomainID, *n.FeeProposed)
			if err != nil {
				return err
			}
			if msg != "" {
				e := accountnet.Conflict("fee_not_allowed",
					"The app's rules no longer allow this fee. Decline it, and the parent account can propose a fee within the current rules.")
				e.Detail = msg
				return e
			}
			change := n.Accept(s.now())
			if err := q.AddFeeChange(ctx, c.App.ID, n.AccountID, change); err != nil {
				return err
			}
		case FeeDecline:
			proposal := *n
			n.Decline()
			if err := s.queueFeeDeclinedMail(ctx, q, c, &proposal); err != nil {
				return err
			}
			declined = true
		}
		if err := q.UpdateNetworkFee(ctx, n); err != nil {
			return err
		}
		detail, err = q.FindParentNetwork(ctx, c.App.ID, c.Account.ID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if declined {
		s.mailQueued()
	}
	return detail, nil
}

// feeRuleProblem returns the person-facing reason why the rule from
// parentDomainID to childDomainID does not allow fee, or "" when it does.
// A rule deleted since the network began leaves nothing to charge under.
func feeRuleProblem(ctx context.Context, q *store.Q, appID, parentDomainID, childDomainID string, fee accountnet.Percent) (string, error) {
	rule, err := q.FindRule(ctx, appID, parentDomainID, childDomainID)
	if accountnet.ErrorCode(err) == accountnet.CodeNotFound {
		rule, err = &accountnet.Rule{}, nil
	}
	if err != nil {
		return "", err
	}
	return accountnet.CheckProposedFee(*rule, fee), nil
}

// queueFeeDeclinedMail queues the mail that informs the user who made the
// proposal that it was declined.
func (s *Service) queueFeeDeclinedMail(ctx context.Context, q *store.Q, c *Caller, proposal *accountnet.Network) error {
	proposer, err := q.FindUser(ctx, c.App.ID, proposal.ProposedUserID)
	if accountnet.ErrorCode(err) == accountnet.CodeNotFound {
		return nil // no one to tell
	}
	if err != nil {
		return err
	}
	parent, err := q.FindAccount(ctx, c.App.ID, proposal.ParentAccountID)
	if err != nil {
		return err
	}
	data := mail.FeeDeclined{
		AppTitle: c.App.Title, ParentTitle: parent.Title, ChildTitle: c.Account.Title,
		FeeProposed: proposal.FeeProposed.String(), LoginURL: c.App.LoginURL,
	}
	if proposal.Fee != nil {
		data.FeeInForce = proposal.Fee.String()
	}
	return s.queueMail(ctx, q, c.App, accountnet.MailFeeDeclined, proposer.Email, "", data)
}

// NetworkEnded names the two accounts of a network that was removed.
type NetworkEnded struct {
	ParentAccountID string
	ChildAccountID  string
}

// RemoveChild ends the network between the caller's account and one of its
// children. Only the relationship goes: both accounts, their users, their
// other networks and the share entries recorded so far stay.
func (s *Service) RemoveChild(ctx context.Context, c *Caller, childAccountID string) (*NetworkEnded, error) {
	if err := requireWriter(c); err != nil {
		return nil, err
	}
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if _, err := lockChildNetwork(ctx, q, c, childAccountID); err != nil {
			return err
		}
		return q.DeleteNetwork(ctx, c.App.ID, childAccountID)
	})
	if err != nil {
		return nil, err
	}
	return &NetworkEnded{ParentAccountID: c.Account.ID, ChildAccountID: childAccountID}, nil
}

// LeaveParent ends the caller's network with its parent, with the same
// effect as the parent removing it.
func (s *Service) LeaveParent(ctx context.Context, c *Caller) (*NetworkEnded, error) {
	if err := requireWriter(c); err != nil {
		return nil, err
	}
	var ended *NetworkEnded
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		n, err := q.LockNetwork(ctx, c.App.ID, c.Account.ID)
		if err != nil {
			return err
		}
		ended = &NetworkEnded{ParentAccountID: n.ParentAccountID, ChildAccountID: n.AccountID}
		return q.DeleteNetwork(ctx, c.App.ID, c.Account.ID)
	})
	return ended, err
}
