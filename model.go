package accountnet

import "time"

// Invitation lifetimes an app may choose.
const (
	MinInvitationTTL     = time.Hour
	MaxInvitationTTL     = 90 * 24 * time.Hour
	DefaultInvitationTTL = 7 * 24 * time.Hour
)

// PasswordTokenTTL is how long a set-password or reset link works.
const PasswordTokenTTL = 24 * time.Hour

// App is one customer application (tenant). Every other record belongs to
// exactly one app.
type App struct {
	ID              string
	Title           string
	NetworkURL      string // activation page; {token} or ?token= is added
	LoginURL        string
	ResetURL        string        // set-password page; LoginURL when empty
	InvitationTTL   time.Duration // between MinInvitationTTL and MaxInvitationTTL
	MailFromName    string
	MailFromAddress string
	CORSOrigins     []string // exact origins such as https://app.example.com
	WebhookURL      string
	Created         int64
	Updated         int64
}

// KeyKind is the kind of an app key.
type KeyKind string

const (
	KeyPublishable KeyKind = "publishable"
	KeySecret      KeyKind = "secret"
)

// Key is an app key. Only the hash of the secret is stored; Hint holds its
// last four characters so that an operator can tell keys apart.
type Key struct {
	ID      string
	AppID   string
	Kind    KeyKind
	Hash    string
	Hint    string
	Created int64
	Revoked int64 // 0 while the key works
}

// Domain is an account type of an app.
type Domain struct {
	ID          string
	AppID       string
	Title       string
	Description string
	SignupHelp  string
	Created     int64
}

// Rule lets accounts of ParentDomainID create children of ChildDomainID.
type Rule struct {
	ID             string
	AppID          string
	ParentDomainID string
	ChildDomainID  string
	Monetized      bool
	MaxFee         *Percent // nil: no maximum below 100%
	Created        int64
}

// Account is an organisation using the app.
type Account struct {
	ID              string
	AppID           string
	DomainID        string
	ParentAccountID string // from the account's network; "" when top-level
	Title           string
	Address         string
	City            string
	State           string
	Zip             string
	Phone           string
	URL             string
	ContactName     string
	ContactEmail    string
	CountryID       string // ISO 3166-1 alpha-2
	TimezoneID      string // IANA time zone name
	VersionID       int64  // increases on every update
	Created         int64
	Updated         int64
	UserCount       int64
	ChildrenCount   int64
}

// Role is a user's role in one account.
type Role string

const (
	RoleOwner  Role = "owner"
	RoleAdmin  Role = "admin"
	RoleMember Role = "member"
)

// CanWriteNetworks reports whether the role may change networks and
// invitations.
func (r Role) CanWriteNetworks() bool { return r == RoleOwner || r == RoleAdmin }

// Access returns the CRUD letters per feature that the session object
// shows for the role. The account itself can be read and updated but not
// created or deleted through the API, so its letters are at most "ru".
func (r Role) Access() map[string]string {
	if !r.CanWriteNetworks() {
		return map[string]string{"account": "r", "account-networks": "r", "account-network-invitations": "r"}
	}
	return map[string]string{"account": "ru", "account-networks": "crud", "account-network-invitations": "crud"}
}

// User is a person; memberships tie a user to accounts of the same app.
type User struct {
	ID           string
	AppID        string
	Username     string
	Email        string
	Name         string
	PasswordHash string // "" until the user sets a password
	Created      int64
}

// Membership ties a user to an account with a role.
type Membership struct {
	AccountID string
	UserID    string
	Role      Role
	Created   int64
	LastLogin int64
}

// Session is a log-in state reached through a session token. UserID and
// AccountID are empty for an anonymous session.
type Session struct {
	ID        string
	AppID     string
	Hash      string
	UserID    string
	AccountID string
	Created   int64
	Expires   int64
	LastSeen  int64 // last use; written at most once a minute, or every half idle timeout when that is shorter
	Revoked   int64 // Unix seconds of log-out or password reset; 0 while it works
}

// Authenticated reports whether the session acts as a user in an account.
func (s *Session) Authenticated() bool { return s.UserID != "" && s.AccountID != "" }

// Network is the parent→child relationship, identified by the child account.
type Network struct {
	AccountID         string // child
	AppID             string
	ParentAccountID   string
	Fee               *Percent
	FeeProposed       *Percent
	FeeProposedDate   int64
	ProposedAccountID string
	ProposedUserID    string
	Created           int64
}

// PasswordToken is a single-use link token that sets a user's password.
type PasswordToken struct {
	ID      string
	AppID   string
	UserID  string
	Hash    string
	Expires int64
	Used    int64
	Created int64
}

// AdminUser is an operator of the deployment.
type AdminUser struct {
	ID           string
	Email        string
	PasswordHash string
	Created      int64
}

// MailKind names the message a mail carries.
type MailKind string

const (
	MailInvitation        MailKind = "invitation"
	MailLoginInstructions MailKind = "login_instructions"
	MailPasswordReset     MailKind = "password_reset"
)

// Mail is an outgoing message. It is stored in the same transaction as the
// change that causes it and delivered later by a worker.
type Mail struct {
	ID           string
	AppID        string
	Kind         MailKind
	To           string
	FromName     string
	FromAddress  string
	Subject      string
	Text         string
	HTML         string
	Status       Delivery
	Attempts     int
	LastError    string
	NextAttempt  int64 // Unix seconds; the worker skips the mail until then
	InvitationID string
	Created      int64
	Sent         int64
}
