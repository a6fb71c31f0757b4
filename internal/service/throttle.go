package service

import (
	"context"
	"net/netip"
	"strings"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// Default limits. Log-in limits count every attempt, successful or not,
// so that a guesser cannot learn from the counter which attempt succeeded.
// The per-address limit is higher because many users may share one
// address behind a company NAT.
var (
	DefaultLoginLimitPerUser    = Limit{Max: 10, Window: 15 * time.Minute}
	DefaultLoginLimitPerAddress = Limit{Max: 100, Window: 15 * time.Minute}
	DefaultResetLimitPerEmail   = Limit{Max: 3, Window: time.Hour}
	DefaultResetLimitPerAddress = Limit{Max: 20, Window: time.Hour}

	// DefaultSessionLimitPerAddress bounds anonymous sessions made from
	// one client address; pages reuse their session, so 600 an hour
	// leaves room for many people behind one NAT.
	DefaultSessionLimitPerAddress = Limit{Max: 600, Window: time.Hour}
)

// AuthLimits are the rate limits on log-in attempts, password reset mails
// and anonymous sessions. A zero field takes its default; a negative Max
// turns a limit off.
type AuthLimits struct {
	LoginLimitPerUser      Limit // attempts per typed username; default 10 per 15 minutes
	LoginLimitPerAddress   Limit // attempts per client address; default 100 per 15 minutes
	ResetLimitPerEmail     Limit // reset requests per email; default 3 per hour
	ResetLimitPerAddress   Limit // reset requests per client address; default 20 per hour
	SessionLimitPerAddress Limit // anonymous sessions per client address; default 600 per hour
}

const msgTooManyLogins = "Too many log-in attempts. Wait a few minutes and try again, or reset your password."

// throttleLogin counts one log-in attempt against the typed username and
// against the client address, in a transaction of its own, so that the
// attempt counts whether the password turns out right or wrong. The
// username counts as typed (trimmed, lower case) whether or not a user
// has it, so the limit reveals nothing about which usernames exist.
func (s *Service) throttleLogin(ctx context.Context, c *Caller, username string) error {
	return s.DB.Tx(ctx, func(q *store.Q) error {
		key := "login-user:" + c.App.ID + ":" + secretKey(username)
		if err := s.checkLimit(ctx, q, key, limitOr(s.LoginLimitPerUser, DefaultLoginLimitPerUser), msgTooManyLogins); err != nil {
			return err
		}
		key = "login-addr:" + c.App.ID + ":" + addressKey(c.ClientAddr)
		return s.checkLimit(ctx, q, key, limitOr(s.LoginLimitPerAddress, DefaultLoginLimitPerAddress), msgTooManyLogins)
	})
}

const msgTooManyResets = "Too many password reset requests. Check your mailbox for the link already sent, or try again later."

// throttleReset counts one reset request against the email and the client
// address in q, the transaction that queues the mail. It counts whether
// or not a user has the email, so the limit reveals nothing either.
func (s *Service) throttleReset(ctx context.Context, q *store.Q, c *Caller, emailKey string) error {
	key := "reset-email:" + c.App.ID + ":" + secretKey(emailKey)
	if err := s.checkLimit(ctx, q, key, limitOr(s.ResetLimitPerEmail, DefaultResetLimitPerEmail), msgTooManyResets); err != nil {
		return err
	}
	key = "reset-addr:" + c.App.ID + ":" + addressKey(c.ClientAddr)
	return s.checkLimit(ctx, q, key, limitOr(s.ResetLimitPerAddress, DefaultResetLimitPerAddress), msgTooManyResets)
}

// secretKey turns a typed username or email into a counter key: its
// SHA-256, so that keys have a fixed length and the counter table holds
// no personal data.
func secretKey(typed string) string {
	return accountnet.HashToken(strings.ToLower(strings.TrimSpace(typed)))
}

// addressKey returns the counter key of a client address. IPv6 addresses
// count per /64, the block a single subscriber usually gets, so that
// cycling through one's own addresses does not multiply the budget.
// Unparsable input shares one key.
func addressKey(addr string) string {
	ip, err := netip.ParseAddr(addr)
	if err != nil {
		return "unknown"
	}
	ip = ip.Unmap().WithZone("")
	if ip.Is6() {
		return netip.PrefixFrom(ip, 64).Masked().String()
	}
	return ip.String()
}
