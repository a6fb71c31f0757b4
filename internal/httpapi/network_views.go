package httpapi

import (
	"math/big"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// The JSON shapes of networks, revenue and the ledger reports.

type feeChangeView struct {
	Fee          accountnet.Percent `json:"fee"`
	AcceptedDate int64              `json:"accepted_date"`
}

type networkView struct {
	AccountID         string              `json:"account_id"`
	AccountTitle      string              `json:"account_title"`
	DomainID          string              `json:"domain_id"`
	DomainTitle       string              `json:"domain_title"`
	ParentAccountID   string              `json:"parent_account_id"`
	Fee               *accountnet.Percent `json:"fee"`
	FeeProposed       *accountnet.Percent `json:"fee_proposed"`
	FeeProposedDate   *int64              `json:"fee_proposed_date"`
	ProposedAccountID *string             `json:"proposed_account_id"`
	ProposedUserID    *string             `json:"proposed_user_id"`
	Created           int64               `json:"created"`
	FeeHistory        []feeChangeView     `json:"fee_history"`
}

func newNetworkView(d *store.NetworkDetail) *networkView {
	v := &networkView{
		AccountID: d.AccountID, AccountTitle: d.AccountTitle, DomainID: d.DomainID, DomainTitle: d.DomainTitle,
		ParentAccountID: d.ParentAccountID, Fee: d.Fee, FeeProposed: d.FeeProposed,
		ProposedAccountID: optional(d.ProposedAccountID), ProposedUserID: optional(d.ProposedUserID),
		Created: d.Created, FeeHistory: make([]feeChangeView, 0, len(d.History)),
	}
	if d.FeeProposed != nil {
		date := d.FeeProposedDate
		v.FeeProposedDate = &date
	}
	for _, c := range d.History {
		v.FeeHistory = append(v.FeeHistory, feeChangeView{Fee: c.Fee, AcceptedDate: c.Accepted})
	}
	return v
}

type networkEndedView struct {
	ParentAccountID string `json:"parent_account_id"`
	ChildAccountID  string `json:"child_account_id"`
}

type shareView struct {
	ID              string             `json:"id"`
	EventID         string             `json:"event_id"`
	ParentAccountID string             `json:"parent_account_id"`
	ChildAccountID  string             `json:"child_account_id"`
	Fee             accountnet.Percent `json:"fee"`
	Amount          int64              `json:"amount"`
	Share           int64              `json:"share"`
	Currency        string             `json:"currency"`
	Created         int64              `json:"created"`
}

func newShareView(s *accountnet.ShareEntry) *shareView {
	return &shareView{ID: s.ID, EventID: s.EventID, ParentAccountID: s.ParentAccountID, ChildAccountID: s.ChildAccountID,
		Fee: s.Fee, Amount: s.Amount, Share: s.Share, Currency: s.Currency, Created: s.Created}
}

type revenueView struct {
	ID          string     `json:"id"`
	AccountID   string     `json:"account_id"`
	Amount      int64      `json:"amount"`
	Currency    string     `json:"currency"`
	Reference   string     `json:"reference"`
	Description string     `json:"description"`
	Created     int64      `json:"created"`
	Share       *shareView `json:"share"`
}

func newRevenueView(res *service.RevenueResult) *revenueView {
	e := res.Event
	v := &revenueView{ID: e.ID, AccountID: e.AccountID, Amount: e.Amount, Currency: e.Currency,
		Reference: e.Reference, Description: e.Description, Created: e.Created}
	if res.Share != nil {
		v.Share = newShareView(res.Share)
	}
	return v
}

type shareTotalView struct {
	AccountID    string   `json:"account_id"`
	AccountTitle string   `json:"account_title"`
	Currency     string   `json:"currency"`
	Count        int64    `json:"count"`
	Amount       *big.Int `json:"amount"`
	Share        *big.Int `json:"share"`
}

// ledgerReportView is a record list of one month's share entries with the
// month's bounds and its totals.
type ledgerReportView struct {
	recordList
	Period string           `json:"period"`
	Start  int64            `json:"start"`
	End    int64            `json:"end"`
	Totals []shareTotalView `json:"totals"`
}

func newLedgerReportView(lq *listQuery, r *service.LedgerReport) *ledgerReportView {
	v := &ledgerReportView{
		recordList: lq.envelope(mapAll(r.Entries, newShareView), r.Count),
		Period:     r.Period.String(), Start: r.Start, End: r.End,
		Totals: make([]shareTotalView, 0, len(r.Totals)),
	}
	for _, t := range r.Totals {
		v.Totals = append(v.Totals, shareTotalView{AccountID: t.AccountID, AccountTitle: t.AccountTitle,
			Currency: t.Currency, Count: t.Count, Amount: t.Amount, Share: t.Share})
	}
	return v
}
