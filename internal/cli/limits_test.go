package cli

import (
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/accountnet/accountnet/internal/service"
)

// parseLimits parses serve's limit flags from args and the environment.
func parseLimits(t *testing.T, env map[string]string, args ...string) (service.InvitationLimits, error) {
	t.Helper()
	f := newFlags(Env{Getenv: func(k string) string { return env[k] }, Stdout: io.Discard, Stderr: io.Discard}, "serve")
	lf := addLimitFlags(f)
	if err := f.parse(args); err != nil {
		return service.InvitationLimits{}, err
	}
	limits, _, err := lf.limits()
	return limits, err
}

func TestAuthLimitFlags(t *testing.T) {
	f := newFlags(Env{Getenv: func(k string) string {
		return map[string]string{"ACCOUNTNET_LOGINS_PER_USER": "5"}[k]
	}, Stdout: io.Discard, Stderr: io.Discard}, "serve")
	lf := addLimitFlags(f)
	if err := f.Parse([]string{"--sessions-per-address", "0", "--reset-mails-per-email", "2"}); err != nil {
		t.Fatal(err)
	}
	_, got, err := lf.limits()
	if err != nil {
		t.Fatal(err)
	}
	want := service.AuthLimits{
		LoginLimitPerUser:      service.Limit{Max: 5, Window: 15 * time.Minute},
		LoginLimitPerAddress:   service.DefaultLoginLimitPerAddress,
		ResetLimitPerEmail:     service.Limit{Max: 2, Window: time.Hour},
		ResetLimitPerAddress:   service.DefaultResetLimitPerAddress,
		SessionLimitPerAddress: service.Limit{Max: -1, Window: time.Hour},
	}
	if got != want {
		t.Errorf("auth limits = %+v, want %+v", got, want)
	}
}

func TestLimitFlagDefaults(t *testing.T) {
	got, err := parseLimits(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := service.InvitationLimits{InvitationLimit: service.DefaultInvitationLimit, ResendLimit: service.DefaultResendLimit,
		RecipientLimit: service.DefaultRecipientLimit, ResendCooldown: service.DefaultResendCooldown}
	if got != want {
		t.Errorf("limits = %+v, want %+v", got, want)
	}
}

func TestLimitFlagsFromEnvAndArgs(t *testing.T) {
	env := map[string]string{"ACCOUNTNET_INVITATIONS_PER_HOUR": "7", "ACCOUNTNET_RESENDS_PER_HOUR": "0", "ACCOUNTNET_RESEND_COOLDOWN": "5m"}
	got, err := parseLimits(t, env, "--invitations-per-hour", "9", "--invitations-per-address-per-day", "4", "--resend-cooldown", "0")
	if err != nil {
		t.Fatal(err)
	}
	want := service.InvitationLimits{
		InvitationLimit: service.Limit{Max: 9, Window: time.Hour},
		ResendLimit:     service.Limit{Max: -1, Window: time.Hour},
		RecipientLimit:  service.Limit{Max: 4, Window: 24 * time.Hour},
		ResendCooldown:  -1,
	}
	if got != want {
		t.Errorf("limits = %+v, want %+v", got, want)
	}
}

func TestLimitFlagsReject(t *testing.T) {
	if _, err := parseLimits(t, nil, "--resends-per-hour", "-1"); err == nil || !strings.Contains(err.Error(), "--resends-per-hour: use 0 or more") {
		t.Errorf("negative limit: error %v", err)
	}
	if _, err := parseLimits(t, nil, "--resend-cooldown", "-5s"); err == nil || !strings.Contains(err.Error(), "--resend-cooldown: use 0 or more") {
		t.Errorf("negative cool-down: error %v", err)
	}
	if _, err := parseLimits(t, map[string]string{"ACCOUNTNET_RESEND_COOLDOWN": "soon"}); err == nil || !strings.Contains(err.Error(), "ACCOUNTNET_RESEND_COOLDOWN") {
		t.Errorf("malformed variable: error %v", err)
	}
}

func TestServeRejectsBadMailFlags(t *testing.T) {
	cases := map[string][]string{
		"--mail-workers: use 1 or more, got 0":  {"--mail-workers", "0"},
		"--mail-lease: use at least 1s, got 0s": {"--mail-lease", "0s"},
		"ACCOUNTNET_MAIL_WORKERS":               nil,
	}
	for want, args := range cases {
		env := map[string]string{}
		if args == nil {
			env["ACCOUNTNET_MAIL_WORKERS"] = "many"
		}
		var stderr strings.Builder
		code := Run(context.Background(), Env{Args: append([]string{"serve", "--data", t.TempDir()}, args...),
			Getenv: func(k string) string { return env[k] }, Stdout: io.Discard, Stderr: &stderr})
		if code != 1 || !strings.Contains(stderr.String(), want) {
			t.Errorf("serve %v with env %v: exit %d, stderr %q; want exit 1 mentioning %q", args, env, code, stderr.String(), want)
		}
	}
}
