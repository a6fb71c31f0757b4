package accountnet

import (
	"net/mail"
	"strings"
)

// MaxEmailLength is the longest address accepted, the limit RFC 5321 sets
// on a forward path.
const MaxEmailLength = 254

// EmailMessage is the person-facing message for every rejected address.
const EmailMessage = "Enter a valid email address, such as name@example.com."

// NormalizeEmail trims an address and checks that it is exactly one bare
// addr-spec: no display name, no angle brackets, no list, no CR or LF, a
// domain with a dot. It returns the address as typed (trimmed) and its
// lower-case key, which is what uniqueness and matching compare.
func NormalizeEmail(input string) (address, key string, err error) {
	if strings.ContainsAny(input, "\r\n") {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: contains a line break")
	}

	address = strings.TrimSpace(input)
	if address == "" {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: empty")
	}
	if len(address) > MaxEmailLength {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: longer than %d characters", MaxEmailLength)
	}
	if strings.ContainsAny(address, "\t <>,;\"()") {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: contains a space, a tab, a quote, a bracket or a list separator")
	}

	parsed, perr := mail.ParseAddress(address)
	if perr != nil {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: %v", perr)
	}
	if parsed.Name != "" || parsed.Address != address {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: must be a bare address")
	}

	// Only ASCII addresses are accepted: Unicode case folding would map
	// look-alikes (the Kelvin sign to "k") onto another user's key, and
	// SMTP without SMTPUTF8 cannot carry them.
	for i := 0; i < len(address); i++ {
		if address[i] < 0x21 || address[i] > 0x7e {
			return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: only ASCII characters are accepted")
		}
	}

	at := strings.LastIndexByte(address, '@')
	if at > 64 {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: the part before @ is longer than 64 characters")
	}
	domain := address[at+1:]
	if !isHostname(domain) {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: domain %q is not a fully qualified host name", domain)
	}
	return address, strings.ToLower(address), nil
}

// isHostname reports whether s is a fully qualified DNS host name: two or
// more labels of letters, digits and inner hyphens, each at most 63
// characters, with a top-level label that is not all digits.
func isHostname(s string) bool {
	labels := strings.Split(s, ".")
	if len(labels) < 2 || len(s) > 253 {
		return false
	}
	for _, label := range labels {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return strings.Trim(labels[len(labels)-1], "0123456789") != ""
}

// StripLineBreaks removes CR and LF so that a user-typed value cannot add a
// header line to a message.
func StripLineBreaks(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
