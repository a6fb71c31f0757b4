package service

import (
	"context"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// Session defaults; the Service fields of the same meaning override them.
const (
	DefaultSessionTTL         = 7 * 24 * time.Hour
	DefaultAnonymousTTL       = 24 * time.Hour
	DefaultSessionIdleTimeout = 24 * time.Hour
)

// maxTouchInterval is the longest time between two writes of a session's
// last use. Requests in between only read the session row.
const maxTouchInterval = time.Minute

func (s *Service) sessionTTL() time.Duration {
	return durationOr(s.SessionTTL, DefaultSessionTTL)
}

func (s *Service) anonymousTTL() time.Duration {
	return durationOr(s.AnonymousTTL, DefaultAnonymousTTL)
}

func (s *Service) idleTimeout() time.Duration {
	return durationOr(s.SessionIdleTimeout, DefaultSessionIdleTimeout)
}

// touchInterval returns how stale the stored last use may get, in
// seconds: a minute, or half the idle timeout when that is shorter, so
// that a session in use never looks idle.
func (s *Service) touchInterval() int64 {
	return int64(min(maxTouchInterval, s.idleTimeout()/2) / time.Second)
}

// checkSession returns the 401 for a session that no longer works: revoked
// (logged out, replaced by a log-in, or ended by a password reset),
// past its lifetime, or idle for longer than the idle timeout.
func (s *Service) checkSession(session *accountnet.Session, now int64) error {
	if session.Revoked != 0 {
		return errSessionRevoked()
	}
	if now >= session.Expires {
		return accountnet.Unauthorized("session_expired", "Your session has expired. Log in again.")
	}
	if now >= session.LastSeen+int64(s.idleTimeout()/time.Second) {
		return accountnet.Unauthorized("session_expired", "Your session ended because it was not used for a while. Log in again.")
	}
	return nil
}

func errSessionRevoked() *accountnet.Error {
	return accountnet.Unauthorized("session_revoked",
		"This session has ended after a log-out, a new log-in or a password change. Log in again.")
}

// touchSession records that the session is in use, writing the row only
// when the stored last use is older than the touch interval, so that most
// requests stay read-only.
func (s *Service) touchSession(ctx context.Context, session *accountnet.Session, now int64) error {
	notAfter := now - s.touchInterval()
	if session.LastSeen > notAfter {
		return nil
	}
	err := s.DB.Tx(ctx, func(q *store.Q) error { return q.TouchSession(ctx, session.ID, now, notAfter) })
	if err != nil {
		return err
	}
	session.LastSeen = now
	return nil
}

// AccountChoices returns the accounts a logged-in user may choose from,
// most recently used first. A session that chose no account yet uses it
// to show the choice again.
func (s *Service) AccountChoices(ctx context.Context, c *Caller) ([]*store.AccountChoice, error) {
	if c.User == nil {
		return nil, nil
	}
	return s.DB.Reader().FindUserAccounts(ctx, c.User.ID)
}
