package service

import (
	"context"
	"strconv"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// Defaults of InvitationLimits. They are chosen to stop mail floods from
// one account or to one address, not measured against a workload, so a
// deployment that invites in bulk raises them.
var (
	DefaultInvitationLimit = Limit{Max: 100, Window: time.Hour}
	DefaultResendLimit     = Limit{Max: 50, Window: time.Hour}
	DefaultRecipientLimit  = Limit{Max: 10, Window: 24 * time.Hour}
)

// DefaultResendCooldown is the default of InvitationLimits.ResendCooldown.
const DefaultResendCooldown = 60 * time.Second

// InvitationLimits are the rate limits on invitation mail. The counters
// live in the database, so the limits hold across instances. A zero field
// takes its default; a Limit with a negative Max, or a negative cool-down,
// turns that limit off.
type InvitationLimits struct {
	InvitationLimit Limit         // invitations one account creates; default 100 per hour
	ResendLimit     Limit         // updates and re-sends by one account; default 50 per hour
	RecipientLimit  Limit         // invitation mails to one address across the app; default 10 per day
	ResendCooldown  time.Duration // between two mails of one invitation to the same address; default 60 seconds
}

func (l InvitationLimits) invitations() Limit {
	return limitOr(l.InvitationLimit, DefaultInvitationLimit)
}
func (l InvitationLimits) resends() Limit   { return limitOr(l.ResendLimit, DefaultResendLimit) }
func (l InvitationLimits) recipient() Limit { return limitOr(l.RecipientLimit, DefaultRecipientLimit) }

func (l InvitationLimits) cooldown() time.Duration {
	if l.ResendCooldown == 0 {
		return DefaultResendCooldown
	}
	return l.ResendCooldown
}

// countInvitation counts a new invitation against the account's hourly
// limit and the recipient's daily limit.
func (s *Service) countInvitation(ctx context.Context, q *store.Q, inv *accountnet.Invitation) error {
	if err := s.checkLimit(ctx, q, "invitations:"+inv.ParentAccountID, s.invitations(),
		"This account has sent too many invitations in a short time. Try again later."); err != nil {
		return err
	}
	return s.countRecipient(ctx, q, inv)
}

// countResend checks the invitation's cool-down and counts one more mail
// of it against the account's re-send limit and the recipient's daily
// limit. previous is the invitation as it was before this change.
func (s *Service) countResend(ctx context.Context, q *store.Q, previous, next *accountnet.Invitation) error {
	cooldown := int64(s.cooldown() / time.Second)
	wait := previous.LastSent + cooldown - next.LastSent
	if cooldown > 0 && next.EmailKey == previous.EmailKey && wait > 0 {
		return accountnet.RateLimited("This invitation was sent moments ago. Wait "+strconv.FormatInt(wait, 10)+
			" seconds before sending it again.", wait)
	}

	if err := s.checkLimit(ctx, q, "resends:"+next.ParentAccountID, s.resends(),
		"This account has re-sent too many invitations in a short time. Try again later."); err != nil {
		return err
	}
	return s.countRecipient(ctx, q, next)
}

// countRecipient counts one invitation mail to the address across the
// app. The key holds a hash of the address, not the address itself.
func (s *Service) countRecipient(ctx context.Context, q *store.Q, inv *accountnet.Invitation) error {
	return s.checkLimit(ctx, q, "recipient:"+inv.AppID+":"+accountnet.HashToken(inv.EmailKey), s.recipient(),
		"This address has received too many invitations today. Try again tomorrow.")
}
