package httpapi

import (
	"time"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// The JSON shapes of the API. Each view is built from domain values only,
// so that no stored hash or secret can reach a response by accident.

type accountView struct {
	ID              string       `json:"id"`
	Created         int64        `json:"created"`
	Title           string       `json:"title"`
	Address         string       `json:"address"`
	City            string       `json:"city"`
	State           string       `json:"state"`
	Zip             string       `json:"zip"`
	URL             string       `json:"url"`
	ContactName     string       `json:"contact_name"`
	ContactEmail    string       `json:"contact_email"`
	TimezoneID      string       `json:"timezone_id"`
	CountryID       string       `json:"country_id"`
	Phone           string       `json:"phone"`
	DomainID        string       `json:"domain_id"`
	VersionID       int64        `json:"version_id"`
	ParentAccountID *string      `json:"parent_account_id"`
	Stats           accountStats `json:"stats"`
}

type accountStats struct {
	UserCount     int64 `json:"user_count"`
	ChildrenCount int64 `json:"children_count"`
}

func newAccountView(a *accountnet.Account) *accountView {
	return &accountView{
		ID: a.ID, Created: a.Created, Title: a.Title, Address: a.Address, City: a.City, State: a.State, Zip: a.Zip,
		URL: a.URL, ContactName: a.ContactName, ContactEmail: a.ContactEmail, TimezoneID: a.TimezoneID,
		CountryID: a.CountryID, Phone: a.Phone, DomainID: a.DomainID, VersionID: a.VersionID,
		ParentAccountID: optional(a.ParentAccountID),
		Stats:           accountStats{UserCount: a.UserCount, ChildrenCount: a.ChildrenCount},
	}
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

type userView struct {
	ID       string `json:"id"`
	Username string `json:"username"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Created  int64  `json:"created"`
}

func newUserView(u *accountnet.User) *userView {
	return &userView{ID: u.ID, Username: u.Username, Email: u.Email, Name: u.Name, Created: u.Created}
}

// accountUserView is a user of one account with their membership.
type accountUserView struct {
	userView
	Role      accountnet.Role `json:"role"`
	Joined    int64           `json:"joined"`
	LastLogin int64           `json:"last_login"`
}

func newAccountUserView(au *store.AccountUser) *accountUserView {
	return &accountUserView{userView: *newUserView(au.User), Role: au.Membership.Role,
		Joined: au.Membership.Created, LastLogin: au.Membership.LastLogin}
}

type sessionApp struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	NetworkURL string `json:"network_url"`
	LoginURL   string `json:"login_url"`
	ResetURL   string `json:"reset_url"`
}

type selectAccount struct {
	Accounts  map[string]string `json:"accounts"`
	LastLogin *string           `json:"last_login"`
}

type sessionView struct {
	Token         string            `json:"token,omitempty"`
	Expires       int64             `json:"expires,omitempty"`
	App           sessionApp        `json:"app"`
	Auth          bool              `json:"auth"`
	Account       *accountView      `json:"account"`
	User          *userView         `json:"user"`
	Role          *accountnet.Role  `json:"role"`
	Access        map[string]string `json:"access"`
	SelectAccount *selectAccount    `json:"select_account,omitempty"`
}

func newSessionView(c *service.Caller, choices []*store.AccountChoice) *sessionView {
	v := &sessionView{
		Token: c.Token,
		App:   sessionApp{ID: c.App.ID, Title: c.App.Title, NetworkURL: c.App.NetworkURL, LoginURL: c.App.LoginURL, ResetURL: c.App.ResetURL},
		Auth:  c.LoggedIn(),
	}
	if c.Session != nil {
		v.Expires = c.Session.Expires
	}
	if c.User != nil {
		v.User = newUserView(c.User)
	}
	if c.LoggedIn() {
		role := c.Role
		v.Account, v.Role, v.Access = newAccountView(c.Account), &role, role.Access()
	}
	if len(choices) > 0 {
		sel := &selectAccount{Accounts: map[string]string{}}
		for _, ch := range choices {
			sel.Accounts[ch.AccountID] = ch.Title
		}
		if choices[0].LastLogin != 0 {
			sel.LastLogin = &choices[0].AccountID
		}
		v.SelectAccount = sel
	}
	return v
}

type invitationView struct {
	ID              string              `json:"id"`
	Created         int64               `json:"created"`
	Updated         int64               `json:"updated"`
	Expires         int64               `json:"expires"`
	Status          string              `json:"status"`
	Email           string              `json:"email"`
	DomainID        string              `json:"domain_id"`
	DomainTitle     string              `json:"domain_title"`
	CountryID       string              `json:"country_id"`
	FeeProposed     *accountnet.Percent `json:"fee_proposed"`
	Title           string              `json:"title"`
	ParentAccountID string              `json:"parent_account_id"`
	CreatedByUserID string              `json:"created_by_user_id"`
	SentCount       int64               `json:"sent_count"`
	LastSent        int64               `json:"last_sent"`
	Delivery        accountnet.Delivery `json:"delivery"`
	ChildAccountID  *string             `json:"child_account_id"`
}

func newInvitationView(inv *accountnet.Invitation, now time.Time) *invitationView {
	return &invitationView{
		ID: inv.ID, Created: inv.Created, Updated: inv.Updated, Expires: inv.Expires, Status: string(inv.Status(now.Unix())),
		Email: inv.Email, DomainID: inv.DomainID, DomainTitle: inv.DomainTitle, CountryID: inv.CountryID,
		FeeProposed: inv.FeeProposed, Title: inv.Title, ParentAccountID: inv.ParentAccountID,
		CreatedByUserID: inv.CreatedByUserID, SentCount: inv.SentCount, LastSent: inv.LastSent,
		Delivery: inv.Delivery, ChildAccountID: optional(inv.ChildAccountID),
	}
}

type preflightView struct {
	InvitationID       string              `json:"invitation_id"`
	Email              string              `json:"email"`
	ParentAccountTitle string              `json:"parent_account_title"`
	DomainID           string              `json:"domain_id"`
	DomainTitle        string              `json:"domain_title"`
	CountryID          string              `json:"country_id"`
	FeeProposed        *accountnet.Percent `json:"fee_proposed"`
	Title              string              `json:"title"`
	Expires            int64               `json:"expires"`
}

type appView struct {
	ID             string   `json:"id"`
	Title          string   `json:"title"`
	NetworkURL     string   `json:"network_url"`
	LoginURL       string   `json:"login_url"`
	ResetURL       string   `json:"reset_url"`
	InvitationTTL  int64    `json:"invitation_ttl"`
	MailFrom       string   `json:"mail_from"`
	CORSOrigins    []string `json:"cors_origins"`
	WebhookURL     string   `json:"webhook_url"`
	Created        int64    `json:"created"`
	Updated        int64    `json:"updated"`
	PublishableKey string   `json:"publishable_key,omitempty"`
	SecretKey      string   `json:"secret_key,omitempty"`
}

func newAppView(a *accountnet.App) *appView {
	from := a.MailFromAddress
	if a.MailFromName != "" && from != "" {
		from = a.MailFromName + " <" + from + ">"
	}
	origins := a.CORSOrigins
	if origins == nil {
		origins = []string{}
	}
	return &appView{ID: a.ID, Title: a.Title, NetworkURL: a.NetworkURL, LoginURL: a.LoginURL, ResetURL: a.ResetURL,
		InvitationTTL: int64(a.InvitationTTL / time.Second), MailFrom: from, CORSOrigins: origins,
		WebhookURL: a.WebhookURL, Created: a.Created, Updated: a.Updated}
}

type keyView struct {
	ID      string             `json:"id"`
	Kind    accountnet.KeyKind `json:"kind"`
	Hint    string             `json:"hint"`
	Created int64              `json:"created"`
	Revoked int64              `json:"revoked"`
	Key     string             `json:"key,omitempty"`
}

func newKeyView(k *accountnet.Key) *keyView {
	return &keyView{ID: k.ID, Kind: k.Kind, Hint: k.Hint, Created: k.Created, Revoked: k.Revoked}
}

type domainView struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	SignupHelp  string `json:"signup_help"`
	Created     int64  `json:"created"`
}

func newDomainView(d *accountnet.Domain) *domainView {
	return &domainView{ID: d.ID, Title: d.Title, Description: d.Description, SignupHelp: d.SignupHelp, Created: d.Created}
}

type ruleView struct {
	ID             string              `json:"id"`
	ParentDomainID string              `json:"parent_domain_id"`
	ChildDomainID  string              `json:"child_domain_id"`
	Monetized      bool                `json:"monetized"`
	MaxFee         *accountnet.Percent `json:"max_fee"`
	Created        int64               `json:"created"`
}

func newRuleView(r *accountnet.Rule) *ruleView {
	return &ruleView{ID: r.ID, ParentDomainID: r.ParentDomainID, ChildDomainID: r.ChildDomainID,
		Monetized: r.Monetized, MaxFee: r.MaxFee, Created: r.Created}
}

type mailView struct {
	ID           string              `json:"id"`
	Created      int64               `json:"created"`
	Kind         accountnet.MailKind `json:"kind"`
	To           string              `json:"to"`
	Subject      string              `json:"subject"`
	Text         string              `json:"text"`
	HTML         string              `json:"html"`
	Status       accountnet.Delivery `json:"status"`
	Attempts     int                 `json:"attempts"`
	LastError    string              `json:"last_error"`
	Sent         int64               `json:"sent"`
	InvitationID *string             `json:"invitation_id"`
}

func newMailView(m *accountnet.Mail) *mailView {
	return &mailView{ID: m.ID, Created: m.Created, Kind: m.Kind, To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML,
		Status: m.Status, Attempts: m.Attempts, LastError: m.LastError, Sent: m.Sent, InvitationID: optional(m.InvitationID)}
}

// mapAll applies view to every item.
func mapAll[T, V any](items []*T, view func(*T) V) []V {
	out := make([]V, 0, len(items))
	for _, it := range items {
		out = append(out, view(it))
	}
	return out
}
