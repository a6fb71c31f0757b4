package service

import (
	"context"
	"errors"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/country"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/store"
)

// AppInput holds app settings from the admin API. A nil field is absent:
// on create it takes its default, on update it keeps its value.
type AppInput struct {
	Title         *string
	NetworkURL    *string
	LoginURL      *string
	ResetURL      *string
	InvitationTTL *int64 // seconds
	MailFrom      *string
	CORSOrigins   *[]string
	WebhookURL    *string
}

// NewApp holds a created app and its first keys, which are shown once.
type NewApp struct {
	App            *accountnet.App
	PublishableKey string
	SecretKey      string
}

// CreateApp creates an app with one publishable and one secret key.
func (s *Service) CreateApp(ctx context.Context, in AppInput) (*NewApp, error) {
	now := s.now()
	app := &accountnet.App{ID: accountnet.NewID(accountnet.PrefixApp), InvitationTTL: accountnet.DefaultInvitationTTL, Created: now, Updated: now}
	if in.Title == nil {
		in.Title = new(string)
	}
	if err := applyAppInput(app, in); err != nil {
		return nil, err
	}

	out := &NewApp{App: app}
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if err := q.CreateApp(ctx, app); err != nil {
			return err
		}
		var err error
		if out.PublishableKey, _, err = s.createKey(ctx, q, app.ID, accountnet.KeyPublishable); err != nil {
			return err
		}
		out.SecretKey, _, err = s.createKey(ctx, q, app.ID, accountnet.KeySecret)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// UpdateApp changes the settings present in in.
func (s *Service) UpdateApp(ctx context.Context, appID string, in AppInput) (*accountnet.App, error) {
	var app *accountnet.App
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		var err error
		if app, err = q.FindApp(ctx, appID); err != nil {
			return err
		}
		if err := applyAppInput(app, in); err != nil {
			return err
		}
		app.Updated = s.now()
		return q.UpdateApp(ctx, app)
	})
	return app, err
}

// FindApp returns one app.
func (s *Service) FindApp(ctx context.Context, appID string) (*accountnet.App, error) {
	return s.DB.Reader().FindApp(ctx, appID)
}

// FindApps returns every app.
func (s *Service) FindApps(ctx context.Context) ([]*accountnet.App, error) {
	return s.DB.Reader().FindApps(ctx)
}

// applyAppInput validates in and copies the present fields into app.
func applyAppInput(app *accountnet.App, in AppInput) error {
	var errs accountnet.FieldErrors

	if in.Title != nil {
		title := cleanText(*in.Title)
		if title == "" {
			if app.Title == "" {
				errs.Add("title", "Enter a title.")
			}
		} else {
			checkText(&errs, "title", title, maxTitleLength)
			app.Title = title
		}
	}
	setURL(&errs, "network_url", in.NetworkURL, &app.NetworkURL)
	setURL(&errs, "login_url", in.LoginURL, &app.LoginURL)
	setURL(&errs, "reset_url", in.ResetURL, &app.ResetURL)
	setURL(&errs, "webhook_url", in.WebhookURL, &app.WebhookURL)

	if in.InvitationTTL != nil {
		ttl := time.Duration(*in.InvitationTTL) * time.Second
		if ttl < accountnet.MinInvitationTTL || ttl > accountnet.MaxInvitationTTL {
			errs.Add("invitation_ttl", "Enter a lifetime in seconds from 3600 (1 hour) to 7776000 (90 days).")
		} else {
			app.InvitationTTL = ttl
		}
	}
	if in.MailFrom != nil {
		app.MailFromName, app.MailFromAddress = "", ""
		if v := strings.TrimSpace(*in.MailFrom); v != "" {
			addr, err := mail.ParseAddress(v)
			if err == nil {
				_, _, err = accountnet.NormalizeEmail(addr.Address)
			}
			if err != nil || strings.ContainsAny(v, "\r\n") {
				errs.Add("mail_from", "Enter an address such as \"Example <noreply@example.com>\" or noreply@example.com.")
			} else {
				app.MailFromName, app.MailFromAddress = addr.Name, addr.Address
			}
		}
	}
	if in.CORSOrigins != nil {
		app.CORSOrigins = nil
		for _, o := range *in.CORSOrigins {
			origin, ok := normalizeOrigin(o)
			if !ok {
				errs.Add("cors_origins", "Enter origins such as https://app.example.com, without a path.")
				break
			}
			if !slices.Contains(app.CORSOrigins, origin) {
				app.CORSOrigins = append(app.CORSOrigins, origin)
			}
		}
	}
	return errs.Err()
}

// setURL validates an optional URL setting; "" clears it.
func setURL(errs *accountnet.FieldErrors, field string, value *string, target *string) {
	if value == nil {
		return
	}
	v := strings.TrimSpace(*value)
	if v != "" && !accountnet.CheckAppURL(v) {
		errs.Add(field, "Enter an absolute http or https URL.")
		return
	}
	*target = v
}

// normalizeOrigin checks that s is exactly scheme://host[:port].
//
// It returns the origin as browsers send it in the Origin header: scheme
// and host in lower case, without the scheme's default port, so that the
// exact comparison made for each request matches.
func normalizeOrigin(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || u.Path != "" {
		return "", false
	}
	if s != u.Scheme+"://"+u.Host || (u.Scheme != "https" && u.Scheme != "http") {
		return "", false
	}

	host := strings.ToLower(u.Hostname())
	port := u.Port()
	if (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	return u.Scheme + "://" + host, true
}

// createKey issues an app key and returns the secret, which is stored
// only as a hash.
func (s *Service) createKey(ctx context.Context, q *store.Q, appID string, kind accountnet.KeyKind) (string, *accountnet.Key, error) {
	prefix := accountnet.SecretSecret
	if kind == accountnet.KeyPublishable {
		prefix = accountnet.SecretPublishable
	}
	secret := accountnet.NewToken(prefix)
	key := &accountnet.Key{ID: accountnet.NewID(accountnet.PrefixKey), AppID: appID, Kind: kind,
		Hash: accountnet.HashToken(secret), Hint: secret[len(secret)-4:], Created: s.now()}
	return secret, key, q.CreateKey(ctx, key)
}

// CreateKey issues a new key of kind for the app.
func (s *Service) CreateKey(ctx context.Context, appID string, kind accountnet.KeyKind) (string, *accountnet.Key, error) {
	if kind != accountnet.KeySecret && kind != accountnet.KeyPublishable {
		return "", nil, accountnet.InvalidFields(map[string]string{"kind": "Choose secret or publishable."})
	}
	var secret string
	var key *accountnet.Key
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if _, err := q.FindApp(ctx, appID); err != nil {
			return err
		}
		var err error
		secret, key, err = s.createKey(ctx, q, appID, kind)
		return err
	})
	return secret, key, err
}

// RevokeKey stops a key from working at once.
func (s *Service) RevokeKey(ctx context.Context, appID, keyID string) error {
	return s.DB.Tx(ctx, func(q *store.Q) error { return q.RevokeKey(ctx, appID, keyID, s.now()) })
}

// FindKeys lists the app's keys, without their secrets.
func (s *Service) FindKeys(ctx context.Context, appID string) ([]*accountnet.Key, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, err
	}
	return q.FindKeys(ctx, appID)
}

// DomainInput holds domain fields; nil means absent.
type DomainInput struct {
	Title       *string
	Description *string
	SignupHelp  *string
}

func applyDomainInput(d *accountnet.Domain, in DomainInput) error {
	var errs accountnet.FieldErrors
	if in.Title != nil {
		if t := cleanText(*in.Title); t != "" {
			checkText(&errs, "title", t, maxTitleLength)
			d.Title = t
		}
	}
	if d.Title == "" {
		errs.Add("title", "Enter a title.")
	}
	if in.Description != nil {
		d.Description = strings.TrimSpace(*in.Description)
		checkText(&errs, "description", d.Description, 2000)
	}
	if in.SignupHelp != nil {
		d.SignupHelp = strings.TrimSpace(*in.SignupHelp)
		checkText(&errs, "signup_help", d.SignupHelp, 2000)
	}
	return errs.Err()
}

func errDomainTitleTaken() error {
	return accountnet.InvalidFields(map[string]string{"title": "Another domain of this app has this title."})
}

// CreateDomain adds a domain to the app.
func (s *Service) CreateDomain(ctx context.Context, appID string, in DomainInput) (*accountnet.Domain, error) {
	d := &accountnet.Domain{ID: accountnet.NewID(accountnet.PrefixDomain), AppID: appID, Created: s.now()}
	if err := applyDomainInput(d, in); err != nil {
		return nil, err
	}
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if _, err := q.FindApp(ctx, appID); err != nil {
			return err
		}
		return q.CreateDomain(ctx, d)
	})
	if errors.Is(err, store.ErrUnique) {
		return nil, errDomainTitleTaken()
	}
	return d, err
}

// UpdateDomain changes the fields present in in.
func (s *Service) UpdateDomain(ctx context.Context, appID, id string, in DomainInput) (*accountnet.Domain, error) {
	var d *accountnet.Domain
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		var err error
		if d, err = q.FindDomain(ctx, appID, id); err != nil {
			return err
		}
		if err := applyDomainInput(d, in); err != nil {
			return err
		}
		return q.UpdateDomain(ctx, d)
	})
	if errors.Is(err, store.ErrUnique) {
		return nil, errDomainTitleTaken()
	}
	return d, err
}

// DeleteDomain deletes a domain that nothing uses.
func (s *Service) DeleteDomain(ctx context.Context, appID, id string) error {
	err := s.DB.Tx(ctx, func(q *store.Q) error { return q.DeleteDomain(ctx, appID, id) })
	if errors.Is(err, store.ErrForeignKey) {
		return accountnet.Conflict("domain_in_use", "Accounts, invitations or network rules still use this domain. Remove them first.")
	}
	return err
}

// FindDomain returns one domain of the app.
func (s *Service) FindDomain(ctx context.Context, appID, id string) (*accountnet.Domain, error) {
	return s.DB.Reader().FindDomain(ctx, appID, id)
}

// FindDomains lists the app's domains.
func (s *Service) FindDomains(ctx context.Context, appID string) ([]*accountnet.Domain, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, err
	}
	return q.FindDomains(ctx, appID)
}

// RuleInput holds the fields of a new network rule.
type RuleInput struct {
	ParentDomainID string
	ChildDomainID  string
	Monetized      bool
	MaxFee         *accountnet.Percent
}

// CreateRule adds a network rule. A rule that would close a cycle in the
// app's domain graph, or repeats an existing pair, is a 409.
func (s *Service) CreateRule(ctx context.Context, appID string, in RuleInput) (*accountnet.Rule, error) {
	rule := &accountnet.Rule{ID: accountnet.NewID(accountnet.PrefixRule), AppID: appID, ParentDomainID: in.ParentDomainID,
		ChildDomainID: in.ChildDomainID, Monetized: in.Monetized, MaxFee: in.MaxFee, Created: s.now()}
	if in.MaxFee != nil && !in.Monetized {
		return nil, accountnet.InvalidFields(map[string]string{"max_fee": "Set a maximum fee only on a monetized rule."})
	}

	err := s.DB.Tx(ctx, func(q *store.Q) error {
		// The lock makes concurrent rule changes of one app take turns,
		// so that two rules that close a cycle together cannot both pass
		// the check below.
		if err := q.LockApp(ctx, appID); err != nil {
			return err
		}
		var errs accountnet.FieldErrors
		if _, err := q.FindDomain(ctx, appID, in.ParentDomainID); err != nil {
			errs.Add("parent_domain_id", "Choose a domain of this app.")
		}
		if _, err := q.FindDomain(ctx, appID, in.ChildDomainID); err != nil {
			errs.Add("child_domain_id", "Choose a domain of this app.")
		}
		if err := errs.Err(); err != nil {
			return err
		}

		rules, err := q.FindRules(ctx, appID)
		if err != nil {
			return err
		}
		var graph []accountnet.Rule
		for _, r := range rules {
			graph = append(graph, *r)
		}
		if accountnet.WouldCycle(graph, in.ParentDomainID, in.ChildDomainID) {
			return accountnet.Conflict("rule_cycle", "This rule would let a domain create, directly or through others, its own parent domain. Network rules must not form a cycle.")
		}
		return q.CreateRule(ctx, rule)
	})
	if errors.Is(err, store.ErrUnique) {
		return nil, accountnet.Conflict("rule_exists", "A rule for these two domains already exists.")
	}
	return rule, err
}

// DeleteRule removes a rule. Invitations already sent under it stay valid.
func (s *Service) DeleteRule(ctx context.Context, appID, id string) error {
	return s.DB.Tx(ctx, func(q *store.Q) error { return q.DeleteRule(ctx, appID, id) })
}

// FindRules lists the app's rules.
func (s *Service) FindRules(ctx context.Context, appID string) ([]*accountnet.Rule, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, err
	}
	return q.FindRules(ctx, appID)
}

// AccountInput holds a new top-level account and its first user.
type AccountInput struct {
	Title     string
	DomainID  string
	CountryID string
	Username  string
	Email     string
	Name      string
	Password  string
}

// CreateAccount creates a top-level account with its first user, who
// becomes its owner.
func (s *Service) CreateAccount(ctx context.Context, appID string, in AccountInput) (*accountnet.Account, error) {
	var errs accountnet.FieldErrors
	title := cleanText(in.Title)
	if title == "" {
		errs.Add("title", "Enter a title.")
	}
	checkText(&errs, "title", title, maxTitleLength)
	if _, ok := country.Lookup(in.CountryID); !ok {
		errs.Add("country_id", "Choose a country from the list.")
	}
	email, _, err := accountnet.NormalizeEmail(in.Email)
	if err != nil {
		errs.Add("user.email", accountnet.EmailMessage)
	}
	username := usernameOr(strings.TrimSpace(in.Username), email)
	checkUsername(&errs, "user.username", username)
	name := cleanText(in.Name)
	checkText(&errs, "user.name", name, maxNameLength)
	if msg := password.Validate(in.Password, username, email); msg != "" {
		errs.Add("user.password", msg)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	now := s.now()
	account := &accountnet.Account{ID: accountnet.NewID(accountnet.PrefixAccount), AppID: appID, DomainID: in.DomainID,
		Title: title, CountryID: in.CountryID, VersionID: 1, Created: now, Updated: now}
	user := &accountnet.User{ID: accountnet.NewID(accountnet.PrefixUser), AppID: appID, Username: username, Email: email,
		Name: name, PasswordHash: s.passwordParams().Hash(in.Password), Created: now}

	err = s.DB.Tx(ctx, func(q *store.Q) error {
		if _, err := q.FindApp(ctx, appID); err != nil {
			return err
		}
		if _, err := q.FindDomain(ctx, appID, in.DomainID); err != nil {
			return notFoundAs(err, accountnet.InvalidFields(map[string]string{"domain_id": "Choose a domain of this app."}))
		}
		if err := q.LockUsers(ctx, appID); err != nil {
			return err
		}
		for _, login := range []struct{ field, value string }{{"user.username", username}, {"user.email", email}} {
			if taken, err := q.LoginTaken(ctx, appID, login.value); err != nil {
				return err
			} else if taken {
				return accountnet.InvalidFields(map[string]string{login.field: "A user of this app already has this username or email."})
			}
		}
		if err := q.CreateAccount(ctx, account); err != nil {
			return err
		}
		if err := q.CreateUser(ctx, user); err != nil {
			if errors.Is(err, store.ErrUnique) {
				return accountnet.InvalidFields(map[string]string{"user.username": "A user of this app already has this username or email."})
			}
			return err
		}
		return q.CreateMembership(ctx, appID, &accountnet.Membership{AccountID: account.ID, UserID: user.ID, Role: accountnet.RoleOwner, Created: now})
	})
	if err != nil {
		return nil, err
	}
	return s.DB.Reader().FindAccount(ctx, appID, account.ID)
}

// FindAccounts lists one page of the app's accounts.
func (s *Service) FindAccounts(ctx context.Context, appID, search string, page store.Page) ([]*accountnet.Account, int64, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, 0, err
	}
	return q.FindAccounts(ctx, appID, search, page)
}

// FindMails lists one page of the app's outgoing mail.
func (s *Service) FindMails(ctx context.Context, appID, search string, page store.Page) ([]*accountnet.Mail, int64, error) {
	q := s.DB.Reader()
	if _, err := q.FindApp(ctx, appID); err != nil {
		return nil, 0, err
	}
	return q.FindMails(ctx, appID, search, page)
}

// CreateAdminUser adds an operator who can log in to the admin API.
func (s *Service) CreateAdminUser(ctx context.Context, email, plain string) (*accountnet.AdminUser, error) {
	var errs accountnet.FieldErrors
	address, _, err := accountnet.NormalizeEmail(email)
	if err != nil {
		errs.Add("email", accountnet.EmailMessage)
	}
	if msg := password.Validate(plain, address); msg != "" {
		errs.Add("password", msg)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	admin := &accountnet.AdminUser{ID: accountnet.NewID(accountnet.PrefixAdmin), Email: address,
		PasswordHash: s.passwordParams().Hash(plain), Created: s.now()}
	err = s.DB.Tx(ctx, func(q *store.Q) error { return q.CreateAdminUser(ctx, admin) })
	if errors.Is(err, store.ErrUnique) {
		return nil, accountnet.InvalidFields(map[string]string{"email": "An admin user with this email already exists."})
	}
	return admin, err
}

// AdminLogin checks an admin's credentials and returns a new admin session
// token and its expiry.
func (s *Service) AdminLogin(ctx context.Context, email, plain string) (string, int64, error) {
	admin, err := s.DB.Reader().FindAdminUserByEmail(ctx, strings.TrimSpace(email))
	if err != nil {
		if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
			return "", 0, err
		}
		s.checkDummy(plain)
		return "", 0, errAdminLoginFailed()
	}
	if ok, err := password.Check(plain, admin.PasswordHash); err != nil || !ok {
		return "", 0, errAdminLoginFailed()
	}

	now := s.now()
	token := accountnet.NewToken(accountnet.SecretAdmin)
	expires := now + int64(durationOr(s.AdminSessionTTL, 12*time.Hour)/time.Second)
	err = s.DB.Tx(ctx, func(q *store.Q) error {
		return q.CreateAdminSession(ctx, accountnet.NewID(accountnet.PrefixSession), admin.ID, accountnet.HashToken(token), now, expires)
	})
	return token, expires, err
}

func errAdminLoginFailed() *accountnet.Error {
	return accountnet.Unauthorized("invalid_credentials",
		"The email or password is incorrect. Check both and try again; an operator can add admins with \"accountnet admin create\".")
}

// AuthenticateAdmin reports whether token is a current admin session token.
func (s *Service) AuthenticateAdmin(ctx context.Context, token string) error {
	if !accountnet.LooksLikeToken(token, accountnet.SecretAdmin) {
		return errBadCredential()
	}
	_, expires, err := s.DB.Reader().FindAdminSession(ctx, accountnet.HashToken(token))
	if err != nil {
		return notFoundAs(err, errBadCredential())
	}
	if s.now() >= expires {
		return accountnet.Unauthorized("session_expired", "Your admin session has expired. Log in again.")
	}
	return nil
}
