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

	at := strings.LastIndexByte(address, '@')
	domain := address[at+1:]
	if !strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return "", "", Errorf(CodeInvalid, PartyUser, "invalid_fields", EmailMessage, "email: domain %q is not a fully qualified name", domain)
	}
	return address, strings.ToLower(address), nil
}

// StripLineBreaks removes CR and LF so that a user-typed value cannot add a
// header line to a message.
func StripLineBreaks(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
