package service

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"unicode"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/country"
	"github.com/accountnet/accountnet/internal/store"
	"github.com/accountnet/accountnet/internal/timezone"
)

// Account field limits, in characters.
const (
	maxAddressLength = 500
	maxCityLength    = 100
	maxStateLength   = 100
	maxZipLength     = 20
	maxPhoneLength   = 50
	maxURLLength     = 2000
)

// AccountUpdate holds the fields of an account update. A nil field was not
// sent and keeps its value. "" clears an optional field and keeps the old
// value of a required one (title, country_id).
type AccountUpdate struct {
	Title        *string
	Address      *string
	City         *string
	State        *string
	Zip          *string
	Phone        *string
	URL          *string
	ContactName  *string
	ContactEmail *string
	CountryID    *string
	TimezoneID   *string
}

// requireAccountWriter checks that the caller is logged in with a role
// that may change the account.
func requireAccountWriter(c *Caller) error {
	if !c.LoggedIn() {
		return errLoginRequired()
	}
	if !c.Role.CanWriteNetworks() {
		return accountnet.Forbidden("role " + string(c.Role) + " may only read the account")
	}
	return nil
}

// UpdateAccount changes the fields of the caller's account that in sets.
// Every field is checked, and any invalid one rejects the whole update.
// version_id grows by one when a value actually changes; an update that
// changes nothing writes nothing. The account row is locked first, so two
// concurrent partial updates both land.
func (s *Service) UpdateAccount(ctx context.Context, c *Caller, in AccountUpdate) (*accountnet.Account, error) {
	if err := requireAccountWriter(c); err != nil {
		return nil, err
	}

	var account *accountnet.Account
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		if err := q.LockAccount(ctx, c.App.ID, c.Account.ID); err != nil {
			return err
		}
		var err error
		if account, err = q.FindAccount(ctx, c.App.ID, c.Account.ID); err != nil {
			return err
		}

		before := *account
		if err := applyAccountUpdate(account, in); err != nil {
			return err
		}
		if *account == before {
			return nil
		}
		account.VersionID++
		account.Updated = s.now()
		return q.UpdateAccount(ctx, account)
	})
	if err != nil {
		return nil, err
	}
	return account, nil
}

// applyAccountUpdate validates in and copies the fields it sets into a.
func applyAccountUpdate(a *accountnet.Account, in AccountUpdate) error {
	var errs accountnet.FieldErrors

	if in.Title != nil {
		if title := cleanText(*in.Title); title != "" {
			checkText(&errs, "title", title, maxTitleLength)
			a.Title = title
		}
	}
	setText(&errs, "address", in.Address, &a.Address, maxAddressLength)
	setText(&errs, "city", in.City, &a.City, maxCityLength)
	setText(&errs, "state", in.State, &a.State, maxStateLength)
	setText(&errs, "contact_name", in.ContactName, &a.ContactName, maxNameLength)

	if in.Zip != nil {
		a.Zip = cleanText(*in.Zip)
		if msg := checkZip(a.Zip); msg != "" {
			errs.Add("zip", msg)
		}
	}
	if in.Phone != nil {
		a.Phone = cleanText(*in.Phone)
		if msg := checkPhone(a.Phone); msg != "" {
			errs.Add("phone", msg)
		}
	}
	if in.URL != nil {
		a.URL = strings.TrimSpace(*in.URL)
		if a.URL != "" && !isWebURL(a.URL) {
			errs.Add("url", "Enter a full web address that starts with https:// or http://.")
		}
	}
	if in.ContactEmail != nil {
		a.ContactEmail = ""
		if v := strings.TrimSpace(*in.ContactEmail); v != "" {
			address, _, err := accountnet.NormalizeEmail(v)
			if err != nil {
				errs.Add("contact_email", accountnet.EmailMessage)
			}
			a.ContactEmail = address
		}
	}
	if in.CountryID != nil && *in.CountryID != "" {
		if _, ok := country.Lookup(*in.CountryID); !ok {
			errs.Add("country_id", "Choose a country from the list.")
		}
		a.CountryID = *in.CountryID
	}
	if in.TimezoneID != nil {
		a.TimezoneID = *in.TimezoneID
		if a.TimezoneID != "" && !timezone.Valid(a.TimezoneID) {
			errs.Add("timezone_id", "Choose a time zone from the list, such as Europe/Berlin.")
		}
	}
	return errs.Err()
}

// setText validates an optional free-text field; "" clears it.
func setText(errs *accountnet.FieldErrors, field string, value *string, target *string, maxLen int) {
	if value == nil {
		return
	}
	*target = cleanText(*value)
	checkText(errs, field, *target, maxLen)
}

// checkZip accepts postal codes of letters, digits, spaces and hyphens,
// which covers forms such as 12345-6789, SW1A 1AA and 1234 AB.
func checkZip(zip string) string {
	if len([]rune(zip)) > maxZipLength {
		return "Use at most " + strconv.Itoa(maxZipLength) + " characters."
	}
	for _, r := range zip {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != ' ' && r != '-' {
			return "Use only letters, digits, spaces and hyphens."
		}
	}
	return ""
}

// checkPhone accepts digits with the usual separators: spaces and
// + - ( ) . /, and one x that starts an extension after the number. It
// needs at least one digit before any extension.
func checkPhone(phone string) string {
	if phone == "" {
		return ""
	}
	if len([]rune(phone)) > maxPhoneLength {
		return "Use at most " + strconv.Itoa(maxPhoneLength) + " characters."
	}
	number, extension, hasExtension := strings.Cut(strings.ToLower(phone), "x")
	digits := 0
	for _, r := range number + extension {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()./", r):
		default:
			return "Use digits, spaces and + - ( ) . / only, with x before an extension, such as +1 555 0100 x12."
		}
	}
	switch {
	case strings.Trim(number, " +-()./") == "":
		return "Enter a phone number with digits."
	case hasExtension && strings.Trim(extension, " ") == "":
		return "Enter the extension's digits after x, or remove the x."
	}
	return ""
}

// isWebURL reports whether s is an absolute http or https URL with a host
// and no user name or password, at most maxURLLength characters long.
func isWebURL(s string) bool {
	if len(s) > maxURLLength || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.Hostname() == "" {
		return false
	}
	return u.Scheme == "https" || u.Scheme == "http"
}
