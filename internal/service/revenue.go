package service

import (
	"context"
	"errors"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/currency"
	"github.com/accountnet/accountnet/internal/store"
)

// maxDescriptionLength is the longest revenue description, in characters.
const maxDescriptionLength = 1000

// RevenueInput is the body of a revenue request. Amount is already parsed
// from its JSON integer literal.
type RevenueInput struct {
	AccountID   string
	Amount      int64
	Currency    string
	Reference   string
	Description string
}

// RevenueResult is a recorded revenue event with its share entry (nil when
// no fee was in force). Created is false when the reference had been
// recorded before and nothing new was written.
type RevenueResult struct {
	Event   *accountnet.RevenueEvent
	Share   *accountnet.ShareEntry
	Created bool
}

func errSecretKeyRequired() *accountnet.Error {
	return &accountnet.Error{Code: accountnet.CodeForbidden, Party: accountnet.PartyCodebase, Reason: "secret_key_required",
		Message: "Revenue can only be recorded by the app's server.",
		Detail:  "send the app's secret key (sk_…); publishable keys and sessions cannot record revenue"}
}

// RequireSecretKey checks that the caller authenticated with the app's
// secret key: publishable keys and sessions get 403 secret_key_required.
func RequireSecretKey(c *Caller) error {
	if c.KeyKind != accountnet.KeySecret {
		return errSecretKeyRequired()
	}
	return nil
}

func errReferenceReused() *accountnet.Error {
	return accountnet.Conflict("reference_reused",
		"This reference was already recorded with other values. Use a new reference for new revenue.")
}

// RecordRevenue records revenue that an account of the caller's app
// generated, and the share of its direct parent when an accepted fee is in
// force: share = fee.Share(amount), rounded half away from zero, so that a
// refund reverses its charge exactly. A pending proposal never applies.
//
// The reference makes the call idempotent: repeating a recorded reference
// with the same account, amount, currency and description returns the
// first result and writes nothing; with any of them different it is a 409
// reference_reused.
func (s *Service) RecordRevenue(ctx context.Context, c *Caller, in RevenueInput) (*RevenueResult, error) {
	if err := RequireSecretKey(c); err != nil {
		return nil, err
	}
	in.Description = cleanText(in.Description)
	if err := checkRevenue(in); err != nil {
		return nil, err
	}

	event := &accountnet.RevenueEvent{
		ID: accountnet.NewID(accountnet.PrefixRevenue), AppID: c.App.ID, AccountID: in.AccountID, Amount: in.Amount,
		Currency: in.Currency, Reference: in.Reference, Description: in.Description,
	}
	var result *RevenueResult
	err := s.DB.Tx(ctx, func(q *store.Q) error {
		var err error
		result, err = s.recordRevenue(ctx, q, event)
		return err
	})

	// On PostgreSQL a concurrent request with the same reference can commit
	// between the lookup and the insert. Its unique violation rolls this
	// transaction back, and the committed event is then the result.
	if errors.Is(err, store.ErrUnique) {
		return s.repeatedRevenue(ctx, s.DB.Reader(), event)
	}
	return result, err
}

func (s *Service) recordRevenue(ctx context.Context, q *store.Q, event *accountnet.RevenueEvent) (*RevenueResult, error) {
	if result, err := s.repeatedRevenue(ctx, q, event); accountnet.ErrorCode(err) != accountnet.CodeNotFound {
		return result, err
	}

	ok, err := q.AccountExists(ctx, event.AppID, event.AccountID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, accountnet.NotFound("account")
	}

	// The network is read, and on PostgreSQL share-locked, before the event
	// time is taken: see store.ShareNetwork.
	network, err := q.ShareNetwork(ctx, event.AppID, event.AccountID)
	if err != nil {
		return nil, err
	}
	event.Created = s.now()
	if err := q.CreateRevenueEvents(ctx, event); err != nil {
		return nil, err
	}

	result := &RevenueResult{Event: event, Created: true}
	if network != nil && network.Fee != nil {
		result.Share = accountnet.NewShareEntry(event, network.ParentAccountID, *network.Fee)
		if err := q.CreateShareEntries(ctx, result.Share); err != nil {
			return nil, err
		}
	}
	return result, nil
}

// repeatedRevenue returns the recorded event with event's reference when
// it matches event, a 409 when it differs, and not found when the
// reference is new.
func (s *Service) repeatedRevenue(ctx context.Context, q *store.Q, event *accountnet.RevenueEvent) (*RevenueResult, error) {
	first, share, err := q.FindRevenueByReference(ctx, event.AppID, event.Reference)
	if err != nil {
		return nil, err
	}
	if !first.SameRequest(event) {
		return nil, errReferenceReused()
	}
	return &RevenueResult{Event: first, Share: share}, nil
}

// checkRevenue validates the fields that the HTTP layer does not type-check.
func checkRevenue(in RevenueInput) error {
	var errs accountnet.FieldErrors
	if in.AccountID == "" {
		errs.Add("account_id", "Enter the id of the account that generated the revenue.")
	}
	if _, ok := currency.MinorUnits(in.Currency); !ok {
		errs.Add("currency", "Use an ISO 4217 currency code in upper case, such as USD or EUR.")
	}
	if msg := accountnet.CheckReference(in.Reference); msg != "" {
		errs.Add("reference", msg)
	}
	checkText(&errs, "description", in.Description, maxDescriptionLength)
	return errs.Err()
}

// LedgerReport is one month of share entries of an account, with totals
// over the whole month per counterparty and currency.
type LedgerReport struct {
	Period  accountnet.Period
	Start   int64 // first second of the month, Unix seconds
	End     int64 // first second of the next month
	Entries []*accountnet.ShareEntry
	Totals  []*store.ShareTotal
	Count   int64 // entries in the month, over all pages
}

// Earnings returns the share entries that the caller's account earned
// from its children in period.
func (s *Service) Earnings(ctx context.Context, c *Caller, period accountnet.Period, page store.Page) (*LedgerReport, error) {
	return s.ledgerReport(ctx, c, store.LedgerParent, period, page)
}

// Fees returns the share entries that the caller's account owes to its
// parent, or to former parents, in period.
func (s *Service) Fees(ctx context.Context, c *Caller, period accountnet.Period, page store.Page) (*LedgerReport, error) {
	return s.ledgerReport(ctx, c, store.LedgerChild, period, page)
}

func (s *Service) ledgerReport(ctx context.Context, c *Caller, side store.LedgerSide, period accountnet.Period, page store.Page) (*LedgerReport, error) {
	if !c.LoggedIn() {
		return nil, errLoginRequired()
	}
	start, end := period.Bounds()
	report := &LedgerReport{Period: period, Start: start, End: end}

	// NOTE: outside a transaction the totals and the page are two reads;
	// an entry recorded between them can appear in one and not the other.
	q := s.DB.Reader()
	var err error
	if report.Totals, err = q.FindShareTotals(ctx, c.App.ID, side, c.Account.ID, start, end); err != nil {
		return nil, err
	}
	for _, t := range report.Totals {
		report.Count += t.Count
	}
	if report.Entries, err = q.FindShareEntries(ctx, c.App.ID, side, c.Account.ID, start, end, page); err != nil {
		return nil, err
	}
	return report, nil
}
