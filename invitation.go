package accountnet

import (
	"net/url"
	"strings"
)

// InvitationStatus is the state of an invitation. Only pending, accepted,
// declined and revoked are stored; expired is derived from Expires when the
// invitation is read.
type InvitationStatus string

const (
	StatusPending  InvitationStatus = "pending"
	StatusExpired  InvitationStatus = "expired"
	StatusAccepted InvitationStatus = "accepted"
	StatusDeclined InvitationStatus = "declined"
	StatusRevoked  InvitationStatus = "revoked"
)

// InvitationStatusLabels lists the statuses with labels in display order.
var InvitationStatusLabels = []struct{ Value, Label string }{
	{"pending", "Pending"},
	{"expired", "Expired"},
	{"accepted", "Accepted"},
	{"declined", "Declined"},
	{"revoked", "Revoked"},
}

// Delivery is the delivery state of a mail.
type Delivery string

const (
	DeliveryQueued Delivery = "queued"
	DeliverySent   Delivery = "sent"
	DeliveryFailed Delivery = "failed"
)

// Invitation is an offer from a parent account to create a child account.
type Invitation struct {
	ID              string
	AppID           string
	ParentAccountID string
	CreatedByUserID string
	Email           string
	EmailKey        string // lower-case Email, for matching
	DomainID        string
	DomainTitle     string // filled on reads
	CountryID       string
	FeeProposed     *Percent
	Title           string
	TokenHash       string
	Stored          InvitationStatus // pending, accepted, declined or revoked
	Expires         int64
	SentCount       int64
	LastSent        int64
	Delivery        Delivery // of the latest invitation mail; filled on reads
	ChildAccountID  string
	Created         int64
	Updated         int64
}

// Status returns the status at time now (Unix seconds): a pending
// invitation whose expiry has passed is expired.
func (inv *Invitation) Status(now int64) InvitationStatus {
	if inv.Stored == StatusPending && now >= inv.Expires {
		return StatusExpired
	}
	return inv.Stored
}

// CheckUsable returns nil when the invitation's token may be used at time
// now, otherwise the error that the token endpoints return.
func (inv *Invitation) CheckUsable(now int64) error {
	switch inv.Status(now) {
	case StatusPending:
		return nil
	case StatusExpired:
		return &Error{Code: CodeGone, Party: PartyUser, Reason: "token_expired",
			Message: "This invitation has expired. Ask the person who invited you to send a new one."}
	case StatusRevoked:
		return &Error{Code: CodeGone, Party: PartyUser, Reason: "invitation_revoked",
			Message: "This invitation was withdrawn. Ask the person who invited you for a new one."}
	case StatusDeclined:
		return &Error{Code: CodeGone, Party: PartyUser, Reason: "invitation_declined",
			Message: "This invitation was declined. Ask the person who invited you for a new one."}
	default:
		return &Error{Code: CodeConflict, Party: PartyUser, Reason: "already_accepted",
			Message: "This invitation has already been used. Log in to the account it created, or ask for a new invitation."}
	}
}

// ErrInvalidToken is returned for a token that matches nothing.
func ErrInvalidToken() *Error {
	return &Error{Code: CodeNotFound, Party: PartyUser, Reason: "invalid_token",
		Message: "This link is not valid. Check that you opened the whole link from the email, or ask for a new one."}
}

// TokenLink builds the link sent by mail: base with {token} replaced by the
// token where base contains it, otherwise with token=<token> added to its
// query string.
func TokenLink(base, token string) (string, error) {
	if strings.Contains(base, "{token}") {
		return strings.ReplaceAll(base, "{token}", url.QueryEscape(token)), nil
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("token", token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// CheckAppURL validates an app setting that links are built from: an
// absolute http or https URL.
func CheckAppURL(raw string) bool {
	u, err := url.Parse(strings.ReplaceAll(raw, "{token}", "x"))
	if err != nil || u.Host == "" || u.User != nil {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http"
}
