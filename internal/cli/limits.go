package cli

import (
	"errors"
	"fmt"
	"time"

	"github.com/accountnet/accountnet/internal/service"
)

// limitFlags are the serve flags that set the rate limits. A value of 0
// turns a limit off.
type limitFlags struct {
	invitations, resends, recipient *int64
	cooldown                        *time.Duration
	loginsPerUser, loginsPerAddress *int64
	resetsPerEmail, resetsPerAddr   *int64
	sessionsPerAddress              *int64
}

func addLimitFlags(f *flags) *limitFlags {
	lf := &limitFlags{}
	lf.invitations = lf.int64(f, "invitations-per-hour", service.DefaultInvitationLimit.Max,
		"invitations one account may create per hour; 0 turns the limit off")
	lf.resends = lf.int64(f, "resends-per-hour", service.DefaultResendLimit.Max,
		"invitation updates and re-sends one account may make per hour; 0 turns the limit off")
	lf.recipient = lf.int64(f, "invitations-per-address-per-day", service.DefaultRecipientLimit.Max,
		"invitation mails one address may receive per day (UTC) across the app; 0 turns the limit off")
	lf.cooldown = lf.duration(f, "resend-cooldown", service.DefaultResendCooldown,
		"least time between two mails of one invitation to the same address, such as 60s; 0 turns it off")
	lf.loginsPerUser = lf.int64(f, "logins-per-user", service.DefaultLoginLimitPerUser.Max,
		"log-in attempts per typed username per 15 minutes; 0 turns the limit off")
	lf.loginsPerAddress = lf.int64(f, "logins-per-address", service.DefaultLoginLimitPerAddress.Max,
		"log-in attempts per client address per 15 minutes; 0 turns the limit off")
	lf.resetsPerEmail = lf.int64(f, "reset-mails-per-email", service.DefaultResetLimitPerEmail.Max,
		"password reset requests per email per hour; 0 turns the limit off")
	lf.resetsPerAddr = lf.int64(f, "reset-mails-per-address", service.DefaultResetLimitPerAddress.Max,
		"password reset requests per client address per hour; 0 turns the limit off")
	lf.sessionsPerAddress = lf.int64(f, "sessions-per-address", service.DefaultSessionLimitPerAddress.Max,
		"anonymous sessions one client address may start per hour; 0 turns the limit off")
	return lf
}

func (lf *limitFlags) int64(f *flags, name string, def int64, help string) *int64 {
	p := f.Int64(name, def, help+" (env "+envName(name)+")")
	f.fromEnv(name)
	return p
}

func (lf *limitFlags) duration(f *flags, name string, def time.Duration, help string) *time.Duration {
	p := f.Duration(name, def, help+" (env "+envName(name)+")")
	f.fromEnv(name)
	return p
}

// limits returns the service limits the flags set.
func (lf *limitFlags) limits() (service.InvitationLimits, service.AuthLimits, error) {
	var errs error
	count := func(name string, n int64, window time.Duration) service.Limit {
		switch {
		case n < 0:
			errs = errors.Join(errs, fmt.Errorf("--%s: use 0 or more, got %d", name, n))
		case n == 0:
			return service.Limit{Max: -1, Window: window}
		}
		return service.Limit{Max: n, Window: window}
	}
	out := service.InvitationLimits{
		InvitationLimit: count("invitations-per-hour", *lf.invitations, time.Hour),
		ResendLimit:     count("resends-per-hour", *lf.resends, time.Hour),
		RecipientLimit:  count("invitations-per-address-per-day", *lf.recipient, 24*time.Hour),
		ResendCooldown:  *lf.cooldown,
	}
	switch {
	case *lf.cooldown < 0:
		errs = errors.Join(errs, fmt.Errorf("--resend-cooldown: use 0 or more, got %s", *lf.cooldown))
	case *lf.cooldown == 0:
		out.ResendCooldown = -1
	}
	auth := service.AuthLimits{
		LoginLimitPerUser:      count("logins-per-user", *lf.loginsPerUser, service.DefaultLoginLimitPerUser.Window),
		LoginLimitPerAddress:   count("logins-per-address", *lf.loginsPerAddress, service.DefaultLoginLimitPerAddress.Window),
		ResetLimitPerEmail:     count("reset-mails-per-email", *lf.resetsPerEmail, service.DefaultResetLimitPerEmail.Window),
		ResetLimitPerAddress:   count("reset-mails-per-address", *lf.resetsPerAddr, service.DefaultResetLimitPerAddress.Window),
		SessionLimitPerAddress: count("sessions-per-address", *lf.sessionsPerAddress, service.DefaultSessionLimitPerAddress.Window),
	}
	return out, auth, errs
}
