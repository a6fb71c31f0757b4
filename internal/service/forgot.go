package service

import (
	"context"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/store"
)

// ForgotPassword sends a reset link to the app's user with the email, if
// there is one. The result is the same whether or not the email belongs
// to a user: no error, and the same counters charged. The link is built
// from reset_url, or login_url where reset_url is empty; issuing it
// deletes the user's older unused links.
func (s *Service) ForgotPassword(ctx context.Context, c *Caller, email string) error {
	_, key, err := accountnet.NormalizeEmail(email)
	if err != nil {
		return accountnet.InvalidFields(map[string]string{"email": accountnet.EmailMessage})
	}
	if !accountnet.CheckAppURL(firstNonEmpty(c.App.ResetURL, c.App.LoginURL)) {
		return &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: "app_not_configured",
			Message: "Passwords cannot be reset yet because the app is not fully set up. Contact the app's administrator.",
			Detail:  "set reset_url or login_url in the app settings"}
	}

	queued := false
	err = s.DB.Tx(ctx, func(q *store.Q) error {
		if err := s.throttleReset(ctx, q, c, key); err != nil {
			return err
		}
		user, err := q.FindUserByEmail(ctx, c.App.ID, key)
		if accountnet.ErrorCode(err) == accountnet.CodeNotFound {
			// NOTE: this path skips the token and mail inserts, so it
			// returns a few milliseconds sooner than the other. The body
			// and status are the same.
			return nil
		}
		if err != nil {
			return err
		}

		if err := q.DeleteUnusedPasswordTokens(ctx, user.ID, ""); err != nil {
			return err
		}
		link, expires, err := s.createPasswordLink(ctx, q, c.App, user.ID)
		if err != nil {
			return err
		}
		queued = true
		return s.queueMail(ctx, q, c.App, accountnet.MailPasswordReset, user.Email, "", mail.PasswordReset{
			AppTitle: c.App.Title, Username: user.Username, Link: link, Expires: formatUTC(expires),
		})
	})
	if err != nil {
		return err
	}
	if queued {
		s.mailQueued()
	}
	return nil
}
