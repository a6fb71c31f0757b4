package httpapi

import "github.com/accountnet/accountnet"

// Amount reads an optional money amount: a JSON integer literal of minor
// units, read from its text so that 10.5, 1e3 and "100" are rejected
// rather than converted.
func (b *body) Amount(name string) *int64 {
	v, ok := b.raw(name)
	if !ok {
		return nil
	}
	n, err := accountnet.ParseAmount(string(v))
	if err != nil {
		b.fail(name, accountnet.AmountMessage)
		return nil
	}
	return &n
}
