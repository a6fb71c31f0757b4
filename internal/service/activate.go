package service

import (
	"context"
	"errors"
	"strings"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/mail"
	"github.com/accountnet/accountnet/internal/password"
	"github.com/accountnet/accountnet/internal/store"
)

// Preflight is the data the activation page shows before the invitee
// commits.
type Preflight struct {
	Invitation  *accountnet.Invitation
	ParentTitle string
}

// findByToken returns the app's invitation for a token, or invalid_token
// when the token is malformed or matches nothing.
func (s *Service) findByToken(ctx context.Context, q *store.Q, app *accountnet.App, token string) (*accountnet.Invitation, error) {
	if !accountnet.LooksLikeToken(token, "") {
		return nil, accountnet.ErrInvalidToken()
	}
	inv, err := q.FindInvitationByToken(ctx, app.ID, accountnet.HashToken(token))
	if err != nil {
		return nil, notFoundAs(err, accountnet.ErrInvalidToken())
	}
	return inv, nil
}

// CheckInvitation is the activation pre-flight. It changes nothing, so a
// mail scanner that opens the link cannot use up the invitation.
func (s *Service) CheckInvitation(ctx context.Context, app *accountnet.App, token string) (*Preflight, error) {
	q := s.DB.Reader()
	inv, err := s.findByToken(ctx, q, app, token)
	if err != nil {
		return nil, err
	}
	if err := inv.CheckUsable(s.now()); err != nil {
		return nil, err
	}

	parent, err := q.FindAccount(ctx, app.ID, inv.ParentAccountID)
	if err != nil {
		return nil, err
	}
	return &Preflight{Invitation: inv, ParentTitle: parent.Title}, nil
}

// ActivateInput is the optional body of an activation. Empty fields take
// defaults: the invitation's title (or the email) for the account title,
// the email for the username, and no password (the log-in mail then
// carries a set-password link).
type ActivateInput struct {
	AccountTitle string
	Name         string
	Username     string
	Password     string
}

// Activate uses an invitation token. In one transaction it marks the
// invitation accepted, creates the child account, its first user (or a
// membership for an existing user with the invited email), the network
// with the invitation's proposed fee pending, and the log-in mail.
func (s *Service) Activate(ctx context.Context, app *accountnet.App, token string, in ActivateInput) (*accountnet.Account, error) {
	in.AccountTitle, in.Name, in.Username = cleanText(in.AccountTitle), cleanText(in.Name), strings.TrimSpace(in.Username)
	var errs accountnet.FieldErrors
	checkText(&errs, "account_title", in.AccountTitle, maxTitleLength)
	checkText(&errs, "name", in.Name, maxNameLength)
	if in.Username != "" {
		checkUsername(&errs, "username", in.Username)
	}
	if in.Password != "" {
		if msg := password.Validate(in.Password, usernameOr(in.Username, "")); msg != "" {
			errs.Add("password", msg)
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}

	// Hash before the transaction: argon2id takes tens of milliseconds and
	// must not hold SQLite's single writer.
	hash := ""
	if in.Password != "" {
		hash = s.passwordParams().Hash(in.Password)
	}

	var account *accountnet.Account
	run := func(q *store.Q) error {
		var err error
		account, err = s.activate(ctx, q, app, token, in, hash)
		return err
	}
	err := s.DB.Tx(ctx, run)
	if err != nil {
		return nil, err
	}
	s.mailQueued()
	return account, nil
}

func (s *Service) activate(ctx context.Context, q *store.Q, app *accountnet.App, token string, in ActivateInput, hash string) (*accountnet.Account, error) {
	now := s.now()
	inv, err := s.findByToken(ctx, q, app, token)
	if err != nil {
		return nil, err
	}
	if err := inv.CheckUsable(now); err != nil {
		return nil, err
	}

	// Claim the invitation first: of concurrent activations exactly one
	// gets here with accepted == true, and the rest roll back.
	accepted, err := q.AcceptInvitation(ctx, inv.ID, inv.TokenHash, now)
	if err != nil {
		return nil, err
	}
	if !accepted {
		return nil, s.errClaimLost(ctx, q, app, token, now)
	}

	parent, err := q.FindAccount(ctx, app.ID, inv.ParentAccountID)
	if err != nil {
		return nil, err
	}
	account := &accountnet.Account{
		ID: accountnet.NewID(accountnet.PrefixAccount), AppID: app.ID, DomainID: inv.DomainID,
		Title: firstNonEmpty(in.AccountTitle, inv.Title, inv.Email), CountryID: inv.CountryID,
		VersionID: 1, Created: now, Updated: now,
	}
	if err := q.CreateAccount(ctx, account); err != nil {
		return nil, err
	}
	if err := q.SetInvitationChild(ctx, inv.ID, account.ID); err != nil {
		return nil, err
	}

	user, err := s.ensureUser(ctx, q, app, inv, in, hash)
	if err != nil {
		return nil, err
	}
	if err := q.CreateMembership(ctx, app.ID, &accountnet.Membership{AccountID: account.ID, UserID: user.ID, Role: accountnet.RoleOwner, Created: now}); err != nil {
		return nil, err
	}

	network := &accountnet.Network{AccountID: account.ID, AppID: app.ID, ParentAccountID: parent.ID, Created: now}
	feeAllowed := inv.FeeProposed != nil
	if feeAllowed {
		// The rules may have changed since the invitation was sent. A fee
		// they no longer allow is not carried over, so the parent proposes
		// again within the current rules.
		msg, err := feeRuleProblem(ctx, q, app.ID, parent.DomainID, inv.DomainID, *inv.FeeProposed)
		if err != nil {
			return nil, err
		}
		feeAllowed = msg == ""
	}
	if feeAllowed {
		network.FeeProposed = inv.FeeProposed
		network.FeeProposedDate = now
		network.ProposedAccountID = parent.ID
		network.ProposedUserID = inv.CreatedByUserID
	}
	if err := q.CreateNetwork(ctx, network); err != nil {
		return nil, err
	}

	if err := s.queueLoginMail(ctx, q, app, account, parent, user, user.PasswordHash == ""); err != nil {
		return nil, err
	}
	if err := s.queueOutcomeMail(ctx, q, app, inv, parent, accountnet.MailInvitationAccepted, account.Title); err != nil {
		return nil, err
	}
	return q.FindAccount(ctx, app.ID, account.ID)
}

// ensureUser returns the app's user with the invited email, creating it
// when none exists. The app's user creation is locked first, so that two
// activations for one email make one user and two memberships.
func (s *Service) ensureUser(ctx context.Context, q *store.Q, app *accountnet.App, inv *accountnet.Invitation, in ActivateInput, hash string) (*accountnet.User, error) {
	if err := q.LockUsers(ctx, app.ID); err != nil {
		return nil, err
	}
	existing, err := q.FindUserByEmail(ctx, app.ID, inv.EmailKey)
	if err == nil {
		return existing, nil
	}
	if accountnet.ErrorCode(err) != accountnet.CodeNotFound {
		return nil, err
	}

	user := &accountnet.User{
		ID: accountnet.NewID(accountnet.PrefixUser), AppID: app.ID, Username: usernameOr(in.Username, inv.Email),
		Email: inv.Email, Name: in.Name, PasswordHash: hash, Created: s.now(),
	}
	if hash != "" {
		if msg := password.Validate(in.Password, user.Username, user.Email); msg != "" {
			return nil, accountnet.InvalidFields(map[string]string{"password": msg})
		}
	}
	if taken, err := q.LoginTaken(ctx, app.ID, user.Username); err != nil {
		return nil, err
	} else if taken {
		return nil, accountnet.InvalidFields(map[string]string{"username": "This username is taken. Choose another one."})
	}
	if err := q.CreateUser(ctx, user); err != nil {
		if errors.Is(err, store.ErrUnique) {
			return nil, accountnet.InvalidFields(map[string]string{"username": "This username is taken. Choose another one."})
		}
		return nil, err
	}
	return user, nil
}

// queueLoginMail queues the log-in instructions, with a set-password link
// when the user has no password yet.
func (s *Service) queueLoginMail(ctx context.Context, q *store.Q, app *accountnet.App, account, parent *accountnet.Account, user *accountnet.User, needsPassword bool) error {
	data := mail.LoginInstructions{
		AppTitle: app.Title, AccountTitle: account.Title, ParentTitle: parent.Title,
		Username: user.Username, LoginURL: app.LoginURL,
	}
	if needsPassword {
		link, expires, err := s.createPasswordLink(ctx, q, app, user.ID)
		if err != nil {
			return err
		}
		data.PasswordLink, data.LinkExpires = link, formatUTC(expires)
	}
	return s.queueMail(ctx, q, app, accountnet.MailLoginInstructions, user.Email, "", data)
}

// createPasswordLink stores a new password token for the user and returns
// the link built from reset_url (login_url when reset_url is empty).
func (s *Service) createPasswordLink(ctx context.Context, q *store.Q, app *accountnet.App, userID string) (string, int64, error) {
	now := s.Clock.Now()
	token := accountnet.NewToken("")
	t := &accountnet.PasswordToken{
		ID: accountnet.NewID(accountnet.PrefixToken), AppID: app.ID, UserID: userID, Hash: accountnet.HashToken(token),
		Expires: now.Add(accountnet.PasswordTokenTTL).Unix(), Created: now.Unix(),
	}
	if err := q.CreatePasswordToken(ctx, t); err != nil {
		return "", 0, err
	}
	link, err := accountnet.TokenLink(firstNonEmpty(app.ResetURL, app.LoginURL), token)
	return link, t.Expires, err
}

// checkUsername validates a chosen username: 3 to 100 characters, no
// spaces or control characters.
func checkUsername(errs *accountnet.FieldErrors, field, username string) {
	n := len([]rune(username))
	switch {
	case n < 3 || n > maxUsernameLength:
		errs.Add(field, "Use 3 to 100 characters.")
	case strings.ContainsFunc(username, func(r rune) bool { return r <= ' ' || r == 0x7f }):
		errs.Add(field, "Use no spaces or control characters.")
	}
}

func usernameOr(username, fallback string) string {
	if username != "" {
		return username
	}
	return fallback
}

func firstNonEmpty(values ...string) string {
	for _, v := range values {
		if v != "" {
			return v
		}
	}
	return ""
}
