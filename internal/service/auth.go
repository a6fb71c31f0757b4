package service

import (
	"context"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/store"
)

// Caller is who sent a request to the public API: an app key, or a session
// of the app. Account, User and Role are set only for a logged-in session.
type Caller struct {
	App     *accountnet.App
	KeyKind accountnet.KeyKind // "" for a session token
	Token   string             // the session token as presented; never logged
	Session *accountnet.Session
	Account *accountnet.Account
	User    *accountnet.User
	Role    accountnet.Role

	// ClientAddr is the IP address of the client, which rate limits key
	// on: the connection's peer, or the address a trusted proxy reports.
	ClientAddr string
}

// LoggedIn reports whether the caller acts as a user in an account.
func (c *Caller) LoggedIn() bool { return c.Account != nil && c.User != nil }

// errBadCredential is the one 401 for any unknown, revoked or malformed
// app key and any unknown or malformed session token, so that the response
// reveals nothing about which it was. A revoked session has its own
// reason, session_revoked.
func errBadCredential() *accountnet.Error {
	return accountnet.Unauthorized("invalid_credentials",
		"The API key or session token is not valid. Send a current key or log in again.")
}

// Authenticate resolves a bearer token: a publishable or secret app key,
// or a session token. A session past its lifetime or idle timeout is a
// 401 with reason session_expired, and a revoked one a 401 with reason
// session_revoked. For a working session it records the last use, writing
// the row at most once per touch interval.
func (s *Service) Authenticate(ctx context.Context, token string) (*Caller, error) {
	q := s.DB.Reader()
	now := s.now()

	switch {
	case accountnet.LooksLikeToken(token, accountnet.SecretPublishable), accountnet.LooksLikeToken(token, accountnet.SecretSecret):
		key, err := q.FindKeyByHash(ctx, accountnet.HashToken(token))
		if err != nil {
			return nil, notFoundAs(err, errBadCredential())
		}
		if key.Revoked != 0 || !accountnet.TokenMatches(token, key.Hash) {
			return nil, errBadCredential()
		}
		app, err := q.FindApp(ctx, key.AppID)
		if err != nil {
			return nil, err
		}
		return &Caller{App: app, KeyKind: key.Kind}, nil

	case accountnet.LooksLikeToken(token, accountnet.SecretSession):
		session, err := q.FindSessionByHash(ctx, accountnet.HashToken(token))
		if err != nil {
			return nil, notFoundAs(err, errBadCredential())
		}
		if err := s.checkSession(session, now); err != nil {
			return nil, err
		}
		if err := s.touchSession(ctx, session, now); err != nil {
			return nil, err
		}
		return s.sessionCaller(ctx, q, session, token)
	}
	return nil, errBadCredential()
}

// sessionCaller loads the app, user and account a session refers to.
func (s *Service) sessionCaller(ctx context.Context, q *store.Q, session *accountnet.Session, token string) (*Caller, error) {
	app, err := q.FindApp(ctx, session.AppID)
	if err != nil {
		return nil, err
	}
	c := &Caller{App: app, Session: session, Token: token}

	if session.UserID != "" {
		if c.User, err = q.FindUser(ctx, app.ID, session.UserID); err != nil {
			return nil, err
		}
	}
	if session.AccountID != "" {
		if c.Account, err = q.FindAccount(ctx, app.ID, session.AccountID); err != nil {
			return nil, err
		}
		m, err := q.FindMembership(ctx, session.AccountID, session.UserID)
		if err != nil {
			return nil, notFoundAs(err, errBadCredential())
		}
		c.Role = m.Role
	}
	return c, nil
}

// NewSession starts an anonymous session for the app and returns it with
// its token.
func (s *Service) NewSession(ctx context.Context, c *Caller) (*Caller, error) {
	app := c.App
	now := s.now()
	token := accountnet.NewToken(accountnet.SecretSession)
	session := &accountnet.Session{
		ID: accountnet.NewID(accountnet.PrefixSession), AppID: app.ID, Hash: accountnet.HashToken(token),
		Created: now, Expires: now + int64(s.anonymousTTL()/time.Second), LastSeen: now,
	}
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		// Each anonymous session is a row, so a client may not make them
		// without bound.
		key := "session-addr:" + app.ID + ":" + addressKey(c.ClientAddr)
		if err := s.checkLimit(ctx, q, key, limitOr(s.SessionLimitPerAddress, DefaultSessionLimitPerAddress),
			"Too many new sessions from your network. Reuse the session token you have, or try again later."); err != nil {
			return err
		}
		return q.CreateSession(ctx, session)
	})
	if err != nil {
		return nil, err
	}
	return &Caller{App: app, Session: session, Token: token, ClientAddr: c.ClientAddr}, nil
}

// LoginResult is a new session, and the accounts to choose from when the
// user belongs to several.
type LoginResult struct {
	Caller  *Caller
	Choices []*store.AccountChoice // set when the user must choose an account
}

func errLoginFailed() *accountnet.Error {
	return accountnet.Unauthorized("invalid_credentials",
		"The username or password is incorrect. Check both and try again, or reset your password.")
}

// Login checks a username (or email) and password. The old session of the
// caller, if any, is replaced by a new one with a new token, so that a
// token seen before log-in is worthless after it. A wrong password and an
// unknown user give the same error after the same work. Attempts are
// counted per username and per client address before the password is
// checked, and over either limit every attempt gets a 429.
func (s *Service) Login(ctx context.Context, caller *Caller, username, plain string) (*LoginResult, error) {
	if err := s.throttleLogin(ctx, caller, username); err != nil {
		return nil, err
	}

	q := s.DB.Reader()
	user, err := q.FindUserByLogin(ctx, caller.App.ID, username)
	if err != nil {
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			return nil, err
		}
		s.checkDummy(plain)
		return nil, errLoginFailed()
	}
	if user.PasswordHash == "" {
		s.checkDummy(plain)
		return nil, errLoginFailed()
	}
	if ok, err := password.Check(plain, user.PasswordHash); err != nil || !ok {
		return nil, errLoginFailed()
	}

	choices, err := q.FindUserAccounts(ctx, user.ID)
	if err != nil {
		return nil, err
	}
	if len(choices) == 0 {
		return nil, errLoginFailed()
	}

	accountID := ""
	if len(choices) == 1 {
		accountID = choices[0].AccountID
	}
	next, err := s.startUserSession(ctx, caller, user.ID, accountID)
	if err != nil {
		return nil, err
	}
	if accountID == "" {
		return &LoginResult{Caller: next, Choices: choices}, nil
	}
	return &LoginResult{Caller: next}, nil
}

// LoginAccount completes a log-in for a user of several accounts by
// choosing one, or moves a logged-in session to another account of the
// same user. Either way the session is replaced by a new one with a new
// token. An account the user does not belong to is not found.
func (s *Service) LoginAccount(ctx context.Context, caller *Caller, accountID string) (*Caller, error) {
	if caller.Session == nil {
		return nil, accountnet.Unauthorized("session_required", "Send the session token that the log-in returned.")
	}
	if caller.User == nil {
		return nil, accountnet.Unauthorized("login_required", "Log in with your username and password first.")
	}
	if accountID == "" {
		return nil, accountnet.InvalidFields(map[string]string{"account_id": "Choose one of your accounts."})
	}
	if _, err := s.DB.Reader().FindMembership(ctx, accountID, caller.User.ID); err != nil {
		return nil, notFoundAs(err, accountnet.NotFound("account"))
	}
	return s.startUserSession(ctx, caller, caller.User.ID, accountID)
}

// startUserSession replaces the caller's session, if any, with a new one
// for the user (and account, unless ""). A session is replaced only once:
// a concurrent request that already replaced it wins, and this one gets
// session_revoked.
func (s *Service) startUserSession(ctx context.Context, caller *Caller, userID, accountID string) (*Caller, error) {
	now := s.now()
	token := accountnet.NewToken(accountnet.SecretSession)
	session := &accountnet.Session{
		ID: accountnet.NewID(accountnet.PrefixSession), AppID: caller.App.ID, Hash: accountnet.HashToken(token),
		UserID: userID, AccountID: accountID,
		Created: now, Expires: now + int64(s.sessionTTL()/time.Second), LastSeen: now,
	}

	var next *Caller
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if caller.Session != nil {
			if err := q.RevokeSession(ctx, caller.Session.ID, now); err != nil {
				return notFoundAs(err, errSessionRevoked())
			}
		}
		if err := q.CreateSession(ctx, session); err != nil {
			return err
		}
		if accountID != "" {
			if err := q.TouchLogin(ctx, accountID, userID, now); err != nil {
				return err
			}
		}
		var err error
		next, err = s.sessionCaller(ctx, q, session, token)
		return err
	})
	if next != nil {
		next.ClientAddr = caller.ClientAddr
	}
	return next, err
}

// Logout ends the caller's log-in at once. The session is marked revoked,
// so its token gets a 401 session_revoked from then on; the response
// carries a fresh anonymous session.
func (s *Service) Logout(ctx context.Context, caller *Caller) (*Caller, error) {
	if caller.Session == nil {
		return nil, accountnet.Unauthorized("session_required", "Send the session token to log out.")
	}
	err := s.DB.Tx(ctx, func(q *store.Q) error { return q.RevokeSession(ctx, caller.Session.ID, s.now()) })
	if err != nil {
		return nil, notFoundAs(err, errSessionRevoked())
	}
	return s.NewSession(ctx, caller)
}

// checkDummy spends the time of one password check against a hash made
// with the service's own argon2id parameters. A log-in for an unknown user
// or a user without a password then takes as long as a wrong password.
func (s *Service) checkDummy(plain string) {
	s.dummyOnce.Do(func() { s.dummyHash = s.passwordParams().Hash(accountnet.NewToken("")) })
	password.Check(plain, s.dummyHash)
}

// notFoundAs replaces a not-found error with replacement and passes any
// other error through.
func notFoundAs(err error, replacement error) error {
	if accountnet.ErrorCode(err) == accountnet.CodeNotFound {
		return replacement
	}
	return err
}
