package service

import (
	"context"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/store"
)

// findPasswordToken returns the app's usable password token for token.
func (s *Service) findPasswordToken(ctx context.Context, q *store.Q, app *accountnet.App, token string) (*accountnet.PasswordToken, error) {
	if !accountnet.LooksLikeToken(token, "") {
		return nil, accountnet.ErrInvalidToken()
	}
	t, err := q.FindPasswordToken(ctx, app.ID, accountnet.HashToken(token))
	if err != nil {
		return nil, notFoundAs(err, accountnet.ErrInvalidToken())
	}
	if t.Used != 0 {
		return nil, errTokenUsed()
	}
	if s.now() >= t.Expires {
		return nil, &accountnet.Error{Code: accountnet.CodeGone, Party: accountnet.PartyUser, Reason: "token_expired",
			Message: "This link has expired. Ask for a new password reset link."}
	}
	return t, nil
}

// CheckPasswordToken is the pre-flight of a set-password link: it returns
// the user the token belongs to and the token's expiry, and changes
// nothing.
func (s *Service) CheckPasswordToken(ctx context.Context, app *accountnet.App, token string) (*accountnet.User, int64, error) {
	q := s.DB.Reader()
	t, err := s.findPasswordToken(ctx, q, app, token)
	if err != nil {
		return nil, 0, err
	}
	user, err := q.FindUser(ctx, app.ID, t.UserID)
	return user, t.Expires, err
}

// ResetPassword sets a user's password with a single-use token, ends
// every session of that user (including the caller's, when it is one of
// them) and deletes the user's other unused password tokens, so that no
// older link still works.
func (s *Service) ResetPassword(ctx context.Context, app *accountnet.App, token, plain, confirm string) (*accountnet.User, error) {
	var errs accountnet.FieldErrors
	if token == "" {
		errs.Add("token", "Open the whole link from the email.")
	}
	if plain != confirm {
		errs.Add("confirm", "The two passwords do not match.")
	}
	if msg := password.Validate(plain, ""); msg != "" {
		errs.Add("password", msg)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	// The username rule needs the user, so look it up before hashing.
	user, _, err := s.CheckPasswordToken(ctx, app, token)
	if err != nil {
		return nil, err
	}
	if msg := password.Validate(plain, user.Username, user.Email); msg != "" {
		return nil, accountnet.InvalidFields(map[string]string{"password": msg})
	}
	hash := s.passwordParams().Hash(plain)

	err = s.DB.Tx(ctx, func(q *store.Q) error {
		t, err := s.findPasswordToken(ctx, q, app, token)
		if err != nil {
			return err
		}
		used, err := q.UsePasswordToken(ctx, t.ID, s.now())
		if err != nil {
			return err
		}
		if !used {
			return errTokenUsed()
		}
		if err := q.SetPassword(ctx, app.ID, t.UserID, hash); err != nil {
			return err
		}
		if err := q.DeleteUnusedPasswordTokens(ctx, t.UserID, t.ID); err != nil {
			return err
		}
		return q.RevokeUserSessions(ctx, t.UserID, s.now())
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

func errTokenUsed() *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeGone, Party: accountnet.PartyUser, Reason: "token_used",
		Message: "This link has already been used. Log in with your password, or ask for a new reset link."}
}
