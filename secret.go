package accountnet

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// Prefixes of record ids. Ids are random, so they reveal nothing about order
// or volume.
const (
	PrefixApp        = "app_"
	PrefixKey        = "key_"
	PrefixDomain     = "dom_"
	PrefixRule       = "rul_"
	PrefixAccount    = "acc_"
	PrefixUser       = "usr_"
	PrefixInvitation = "nwi_"
	PrefixSession    = "ses_"
	PrefixMail       = "eml_"
	PrefixAdmin      = "adm_"
	PrefixToken      = "tok_"
	PrefixRevenue    = "rev_"
	PrefixShare      = "shr_"
	PrefixEvent      = "evt_"
)

// Prefixes of bearer secrets. A caller can tell the kind of a credential
// from its prefix alone.
const (
	SecretPublishable = "pk_"
	SecretSecret      = "sk_"
	SecretSession     = "st_"
	SecretAdmin       = "as_"
)

var idEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewID returns prefix followed by 80 random bits in lower-case base32.
func NewID(prefix string) string {
	b := make([]byte, 10)
	rand.Read(b) // crypto/rand.Read never returns an error since Go 1.24.
	return prefix + idEncoding.EncodeToString(b)
}

// NewToken returns a bearer secret: prefix followed by 256 random bits in
// base64url. Only HashToken of it may be stored.
func NewToken(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token. Tokens carry 256 random
// bits, so an unsalted fast hash is enough to make a stolen table useless.
// Looking a hash up by index does not reveal the token.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// TokenMatches compares a token with a stored hash in constant time.
func TokenMatches(token, hash string) bool {
	return subtle.ConstantTimeCompare([]byte(HashToken(token)), []byte(hash)) == 1
}

// LooksLikeToken reports whether s has the shape NewToken produces for
// prefix, so that malformed input is rejected before any lookup.
func LooksLikeToken(s, prefix string) bool {
	rest, ok := strings.CutPrefix(s, prefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}
