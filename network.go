package accountnet

// Mail kinds of fee proposals.
const (
	MailFeeProposed MailKind = "fee_proposed" // to the child account's users
	MailFeeDeclined MailKind = "fee_declined" // to the user who proposed the fee
)

// FeeChange is one accepted fee in a network's history.
type FeeChange struct {
	Fee      Percent
	Accepted int64 // Unix seconds
}

// Fee states of a network, the values of the networks list filter "fee".
const (
	FeeStatePending  = "pending"  // a proposal waits for an answer
	FeeStateAccepted = "accepted" // a fee is in force and nothing is pending
	FeeStateNone     = "none"     // no fee and no proposal
)

// FeeState returns the state of n's fee: pending, accepted or none.
func (n *Network) FeeState() string {
	switch {
	case n.FeeProposed != nil:
		return FeeStatePending
	case n.Fee != nil:
		return FeeStateAccepted
	}
	return FeeStateNone
}

// Propose records fee as the pending proposal of accountID's user userID
// at now. A pending proposal is replaced; the fee in force stays until
// the counterparty accepts.
func (n *Network) Propose(fee Percent, accountID, userID string, now int64) {
	n.FeeProposed = &fee
	n.FeeProposedDate = now
	n.ProposedAccountID = accountID
	n.ProposedUserID = userID
}

// CheckAnswer checks that accountID may accept or decline the pending
// proposal. When expected is not nil, the proposal must still equal it,
// so that an answer to a proposal that changed meanwhile is rejected
// instead of applied to the new one.
func (n *Network) CheckAnswer(accountID string, expected *Percent) error {
	if n.FeeProposed == nil {
		return Conflict("no_pending_proposal", "There is no fee proposal to answer.")
	}
	if n.ProposedAccountID == accountID {
		return Conflict("own_proposal", "Your account proposed this fee, so only the other account can accept or decline it.")
	}
	if expected != nil && *expected != *n.FeeProposed {
		return Conflict("proposal_changed",
			"The proposed fee changed to "+n.FeeProposed.String()+"%. Review the new proposal and answer again.")
	}
	return nil
}

// Accept puts the pending proposal in force at now and returns the
// history entry to record. Call CheckAnswer first.
func (n *Network) Accept(now int64) FeeChange {
	fee := *n.FeeProposed
	n.Fee = &fee
	n.clearProposal()
	return FeeChange{Fee: fee, Accepted: now}
}

// Decline drops the pending proposal; the fee in force stays. Call
// CheckAnswer first.
func (n *Network) Decline() {
	n.clearProposal()
}

func (n *Network) clearProposal() {
	n.FeeProposed = nil
	n.FeeProposedDate = 0
	n.ProposedAccountID = ""
	n.ProposedUserID = ""
}
