// Package service runs accountnet's use cases: each public method checks
// its input against the domain rules and makes its changes, including any
// mail it causes, in one database transaction.
package service

import (
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/store"
)

// Service holds what every use case needs. The zero values of the
// optional fields are the documented defaults.
type Service struct {
	DB    *store.DB
	Clock accountnet.Clock
	Log   *slog.Logger

	Password password.Params // argon2id cost; password.Default when zero

	SessionTTL      time.Duration // lifetime of a logged-in session; default 7 days
	AnonymousTTL    time.Duration // lifetime of an anonymous session; default 1 day
	AdminSessionTTL time.Duration // lifetime of an admin session; default 12 hours

	InvitationLimits // rate limits on invitation mail; defaults in limits.go
	AuthLimits       // rate limits on log-ins, reset mails and sessions; defaults in throttle.go

	// SessionIdleTimeout ends a session that has not been used for this
	// long, however long its lifetime; default 24 hours.
	SessionIdleTimeout time.Duration

	// MailQueued is called after a transaction that queued mail commits,
	// so that a worker in this process sends it without waiting for its
	// next poll. May be nil.
	MailQueued func()

	dummyOnce sync.Once
	dummyHash string
}

func (s *Service) now() int64 { return s.Clock.Now().Unix() }

func (s *Service) passwordParams() password.Params {
	if s.Password == (password.Params{}) {
		return password.Default
	}
	return s.Password
}

func (s *Service) mailQueued() {
	if s.MailQueued != nil {
		s.MailQueued()
	}
}

func durationOr(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// cleanText trims s and replaces control characters (CR, LF, tabs and the
// like) with spaces, so that a typed name is safe in a mail header and in
// a log line.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// checkText validates an optional free-text field after cleanText.
func checkText(errs *accountnet.FieldErrors, field, value string, maxLen int) {
	if !utf8.ValidString(value) {
		errs.Add(field, "Use valid UTF-8 text.")
	} else if utf8.RuneCountInString(value) > maxLen {
		errs.Add(field, "Use at most "+strconv.Itoa(maxLen)+" characters.")
	}
}
