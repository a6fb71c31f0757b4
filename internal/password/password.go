// Package password hashes and checks passwords with argon2id and encodes
// the result in the PHC string format, so that parameters can be raised
// later without invalidating stored hashes.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
}

// Default follows the OWASP password storage recommendation for argon2id
// (19 MiB, 2 passes, 1 thread).
var Default = Params{Memory: 19 * 1024, Time: 2, Threads: 1}

// MinLength is the shortest password accepted, in characters.
const MinLength = 8

// MaxLength bounds the work one request can cause, in bytes.
const MaxLength = 256

var errFormat = errors.New("password: unrecognised hash format")

// slots bounds how many argon2id computations run at once. Each one holds
// Params.Memory (19 MiB by default) for its whole run, so without a bound
// a burst of log-ins would grow the process by that much per request.
// More than one per CPU would not finish any sooner.
var slots = make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))

// idKey computes argon2id in one of the slots.
func idKey(plain, salt []byte, p Params, keyLen uint32) []byte {
	slots <- struct{}{}
	defer func() { <-slots }()
	return argon2.IDKey(plain, salt, p.Time, p.Memory, p.Threads, keyLen)
}

// Hash returns the PHC-encoded argon2id hash of plain with a random salt.
func (p Params) Hash(plain string) string {
	salt := make([]byte, 16)
	rand.Read(salt)
	key := idKey([]byte(plain), salt, p, 32)

	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Check reports whether plain matches the encoded hash, comparing in
// constant time. An empty or malformed hash never matches.
func Check(plain, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errFormat
	}

	var version int
	var p Params
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errFormat
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false, errFormat
	}

	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errFormat
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil {
		return false, errFormat
	}

	got := idKey([]byte(plain), salt, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// Validate returns the person-facing problem with a new password, or "".
// logins are the names the user logs in with (username and email); the
// password may equal none of them, ignoring letter case.
func Validate(plain string, logins ...string) string {
	switch {
	case len([]rune(plain)) < MinLength:
		return fmt.Sprintf("Use at least %d characters.", MinLength)
	case len(plain) > MaxLength:
		return fmt.Sprintf("Use at most %d characters.", MaxLength)
	}
	for _, login := range logins {
		if login != "" && strings.EqualFold(strings.TrimSpace(plain), strings.TrimSpace(login)) {
			return "The password cannot be the same as the username or email."
		}
	}
	return ""
}
