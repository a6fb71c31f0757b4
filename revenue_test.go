package accountnet

import (
	"math/big"
	"math/rand"
	"testing"
	"time"
)

// exactShare computes amount × fee / 100_000 with big.Rat and rounds half
// away from zero, as the reference for Percent.Share.
func exactShare(fee Percent, amount int64) int64 {
	r := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(amount), big.NewInt(int64(fee))), big.NewInt(100_000))
	abs := new(big.Rat).Abs(r)
	half := new(big.Rat).Add(abs, big.NewRat(1, 2))
	q := new(big.Int).Quo(half.Num(), half.Denom()) // floor, since half > 0
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q.Int64()
}

// TestShareProperties checks Percent.Share over many random fees and
// amounts against exact rational arithmetic, refund symmetry and the
// bound |share| <= |amount|, and that the totals of a random ledger equal
// the sum of its entries, with each charge and its refund cancelling.
func TestShareProperties(t *testing.T) {
	rng := rand.New(rand.NewSource(20260301))
	randomAmount := func() int64 {
		switch rng.Intn(4) {
		case 0:
			return rng.Int63n(1000) - 500
		case 1:
			return rng.Int63n(2_000_000) - 1_000_000
		case 2:
			return rng.Int63n(2*MaxAmount+1) - MaxAmount
		}
		if rng.Intn(2) == 0 {
			return MaxAmount - rng.Int63n(100)
		}
		return -MaxAmount + rng.Int63n(100)
	}
	randomFee := func() Percent {
		switch rng.Intn(4) {
		case 0:
			return Percent(rng.Intn(101) * 1000) // whole percents
		case 1:
			return []Percent{0, 1, 500, 50_000, 99_999, MaxPercent}[rng.Intn(6)]
		}
		return Percent(rng.Intn(int(MaxPercent) + 1))
	}

	var totalAmount, totalShare, sumAmount, sumShare big.Int
	for i := range 200_000 {
		fee, amount := randomFee(), randomAmount()
		share := fee.Share(amount)

		if want := exactShare(fee, amount); share != want {
			t.Fatalf("case %d: %s%% of %d = %d, want %d", i, fee, amount, share, want)
		}
		if refund := fee.Share(-amount); refund != -share {
			t.Fatalf("case %d: %s%% of refund %d = %d, want %d", i, fee, -amount, refund, -share)
		}
		if abs(share) > abs(amount) {
			t.Fatalf("case %d: |%s%% of %d| = |%d| exceeds the amount", i, fee, amount, share)
		}

		// Every fourth event is refunded in full, so those pairs must add
		// nothing to the totals.
		entries := []*ShareEntry{NewShareEntry(&RevenueEvent{ID: "rev", AccountID: "c", Amount: amount}, "p", fee)}
		if i%4 == 0 {
			entries = append(entries, NewShareEntry(&RevenueEvent{ID: "rev", AccountID: "c", Amount: -amount}, "p", fee))
		} else {
			sumAmount.Add(&sumAmount, big.NewInt(amount))
			sumShare.Add(&sumShare, big.NewInt(share))
		}
		for _, e := range entries {
			if e.Share != e.Fee.Share(e.Amount) || e.Fee != fee {
				t.Fatalf("case %d: entry %+v does not follow from its amount and fee", i, e)
			}
			totalAmount.Add(&totalAmount, big.NewInt(e.Amount))
			totalShare.Add(&totalShare, big.NewInt(e.Share))
		}
	}
	if totalAmount.Cmp(&sumAmount) != 0 || totalShare.Cmp(&sumShare) != 0 {
		t.Errorf("totals %s / %s, want the unrefunded sums %s / %s", &totalAmount, &totalShare, &sumAmount, &sumShare)
	}
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

func TestShareLargeAmounts(t *testing.T) {
	cases := []struct {
		fee    Percent
		amount int64
		want   int64
	}{
		{10_000, MaxAmount, MaxAmount / 10},
		{MaxPercent, MaxAmount, MaxAmount},
		{MaxPercent, -MaxAmount, -MaxAmount},
		{2_255, MaxAmount - 1, 22_550_000_000_000}, {2_255, 999_999_999_977, 22_549_999_999},
		{1, 50, 0}, {1, 50_000, 1}, {1, -50_000, -1}, {1, 49_999, 0},
	}
	for _, c := range cases {
		if got := c.fee.Share(c.amount); got != c.want {
			t.Errorf("%s%% of %d = %d, want %d", c.fee, c.amount, got, c.want)
		}
	}
}

func TestParseAmount(t *testing.T) {
	valid := map[string]int64{
		"0": 0, "-0": 0, "1": 1, "-1": -1, "3490": 3490,
		"1000000000000000": MaxAmount, "-1000000000000000": -MaxAmount,
	}
	for text, want := range valid {
		got, err := ParseAmount(text)
		if err != nil || got != want {
			t.Errorf("ParseAmount(%q) = %d, %v; want %d", text, got, err, want)
		}
	}
	for _, text := range []string{"", "-", "10.5", "10.0", "1e3", "1E3", "01", "-01", "+1", " 1", "1 ", `"1"`, "null", "true",
		"1000000000000001", "-1000000000000001", "9223372036854775808", "99999999999999999", "0x10", "١"} {
		if got, err := ParseAmount(text); err == nil {
			t.Errorf("ParseAmount(%q) = %d, want an error", text, got)
		}
	}
}

func TestParsePeriod(t *testing.T) {
	p, ok := ParsePeriod("2026-03")
	if !ok || p.String() != "2026-03" {
		t.Fatalf("ParsePeriod(2026-03) = %v, %v", p, ok)
	}
	start, end := p.Bounds()
	if start != time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC).Unix() || end != time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("2026-03 bounds = %d, %d", start, end)
	}
	dec, _ := ParsePeriod("2026-12")
	if _, end := dec.Bounds(); end != time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Unix() {
		t.Errorf("2026-12 ends at %d", end)
	}

	for _, s := range []string{"", "2026-13", "2026-00", "26-01", "2026-1", "2026-001", "1969-12", "+026-03", "2026-+1",
		"2026/03", "2026-03-01", "abcd-ef", " 2026-03"} {
		if p, ok := ParsePeriod(s); ok {
			t.Errorf("ParsePeriod(%q) = %v, want rejected", s, p)
		}
	}
}

func TestCheckReference(t *testing.T) {
	if msg := CheckReference("inv-2026-0001"); msg != "" {
		t.Errorf("valid reference rejected: %s", msg)
	}
	long := make([]rune, MaxReferenceLength)
	for i := range long {
		long[i] = 'ü'
	}
	if msg := CheckReference(string(long)); msg != "" {
		t.Errorf("255-character reference rejected: %s", msg)
	}
	for _, ref := range []string{"", string(long) + "x", "a\nb", "a\tb", "\x00", "bad \xff utf-8"} {
		if CheckReference(ref) == "" {
			t.Errorf("CheckReference(%q) accepted", ref)
		}
	}
}

func TestNetworkFeeConsent(t *testing.T) {
	n := &Network{AccountID: "child", ParentAccountID: "parent"}
	if n.FeeState() != FeeStateNone {
		t.Errorf("new network state = %s", n.FeeState())
	}
	if ErrorReason(n.CheckAnswer("child", nil)) != "no_pending_proposal" {
		t.Errorf("answer without proposal allowed")
	}

	n.Propose(2500, "parent", "user", 100)
	if n.FeeState() != FeeStatePending || n.Fee != nil {
		t.Errorf("after proposal: state %s, fee %v", n.FeeState(), n.Fee)
	}
	if ErrorReason(n.CheckAnswer("parent", nil)) != "own_proposal" {
		t.Errorf("proposer may answer its own proposal")
	}
	other := Percent(3000)
	if ErrorReason(n.CheckAnswer("child", &other)) != "proposal_changed" {
		t.Errorf("answer to another proposal allowed")
	}
	same := Percent(2500)
	if err := n.CheckAnswer("child", &same); err != nil {
		t.Errorf("counterparty may not answer: %v", err)
	}

	change := n.Accept(200)
	if change != (FeeChange{Fee: 2500, Accepted: 200}) || *n.Fee != 2500 || n.FeeProposed != nil || n.ProposedAccountID != "" || n.FeeProposedDate != 0 {
		t.Errorf("after accept: %+v, change %+v", n, change)
	}
	if n.FeeState() != FeeStateAccepted {
		t.Errorf("after accept: state %s", n.FeeState())
	}

	n.Propose(5000, "parent", "user", 300)
	n.Decline()
	if *n.Fee != 2500 || n.FeeProposed != nil || n.FeeState() != FeeStateAccepted {
		t.Errorf("after decline: %+v", n)
	}
}
