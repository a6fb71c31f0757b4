package accountnet

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
)

// Percent is a percentage stored exactly as an integer count of thousandths
// of a percent: 2.255% is Percent(2255), 100% is Percent(100000).
type Percent int64

// MaxPercent is 100%.
const MaxPercent Percent = 100_000

var (
	errPercentSyntax = errors.New("must be a number")
	errPercentRange  = errors.New("must be between 0 and 100")
	errPercentScale  = errors.New("must have at most three decimal places")
)

// PercentMessage is the person-facing message for every rejected percentage.
const PercentMessage = "Enter a number from 0 to 100 with at most three decimal places."

// ParsePercent parses the text of a JSON number (for example "16.4" or
// "1.5e1") exactly, without binary floating point. It rejects values
// outside 0..100 and values with more than three decimal places instead of
// rounding them.
func ParsePercent(text string) (Percent, error) {
	// A JSON number needs no more characters than this to express any
	// valid percentage; the cap keeps big.Rat away from huge exponents.
	if len(text) == 0 || len(text) > 40 || !isJSONNumber(text) {
		return 0, errPercentSyntax
	}
	// big.Rat would expand 1e999999 digit by digit; an exponent that
	// large can only mean 0, a value far above 100, or far too many
	// decimal places.
	if mantissa, exp, found := strings.Cut(strings.ToLower(text), "e"); found {
		if n, err := strconv.Atoi(exp); err != nil || n > 9 || n < -9 {
			switch {
			case strings.Trim(mantissa, "-0.") == "":
				return 0, nil
			case strings.HasPrefix(exp, "-"):
				return 0, errPercentScale
			default:
				return 0, errPercentRange
			}
		}
	}

	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return 0, errPercentSyntax
	}
	if r.Sign() < 0 || r.Cmp(big.NewRat(100, 1)) > 0 {
		return 0, errPercentRange
	}

	scaled := new(big.Rat).Mul(r, big.NewRat(1000, 1))
	if !scaled.IsInt() {
		return 0, errPercentScale
	}
	return Percent(scaled.Num().Int64()), nil
}

// isJSONNumber reports whether s follows the JSON number grammar, so that
// forms big.Rat accepts but JSON does not ("0x10", "1/2", "+1") are rejected.
func isJSONNumber(s string) bool {
	i := 0
	if s[i] == '-' {
		i++
	}
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}

	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// String formats p as a plain decimal with no trailing zeros: "16.4",
// "2.255", "15".
func (p Percent) String() string {
	sign := ""
	v := int64(p)
	if v < 0 {
		sign, v = "-", -v
	}

	whole := strconv.FormatInt(v/1000, 10)
	frac := v % 1000
	if frac == 0 {
		return sign + whole
	}
	digits := strings.TrimRight(strconv.FormatInt(1000+frac, 10)[1:], "0")
	return sign + whole + "." + digits
}

// MarshalJSON writes p as a JSON number with its exact decimal digits.
func (p Percent) MarshalJSON() ([]byte, error) {
	return []byte(p.String()), nil
}

// Share returns amount × p / 100 in the same minor unit, rounded half away
// from zero in integer arithmetic, so that Share(-a) == -Share(a) and a
// refund reverses its charge exactly. It is exact for 0 <= p <= MaxPercent
// and |amount| <= 9 × 10^13 × 100_000 (far above accountnet.MaxAmount).
func (p Percent) Share(amount int64) int64 {
	neg := amount < 0
	if neg {
		amount = -amount
	}

	// amount × p can exceed int64 (10^15 × 10^5 = 10^20), so split amount
	// as whole × 100_000 + rest: whole × p is an integer share, and only
	// rest × p (below 10^10) carries a fraction to round.
	whole, rest := amount/100_000, amount%100_000
	q := whole * int64(p)
	num := rest * int64(p)
	q += num / 100_000
	if 2*(num%100_000) >= 100_000 {
		q++
	}
	if neg {
		return -q
	}
	return q
}
