package httpapi

import (
	"context"
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// feeFilter is the "fee" filter of the networks list.
var feeFilter = filterSpec{name: "fee", choices: []struct{ Value, Label string }{
	{accountnet.FeeStatePending, "Proposal pending"},
	{accountnet.FeeStateAccepted, "Fee accepted"},
	{accountnet.FeeStateNone, "No fee"},
}}

func (s *Server) listNetworks(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	lq, err := parseList(r, feeFilter)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	f := store.NetworkFilter{Search: lq.search, FeeState: lq.filters["fee"]}
	list, total, err := s.Svc.Networks(r.Context(), c, f, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(list, newNetworkView), total))
}

func (s *Server) getNetwork(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	n, err := s.Svc.ChildNetwork(r.Context(), c, r.PathValue("child_account_id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newNetworkView(n))
}

func (s *Server) proposeFee(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	fee := b.Percent("fee_proposed")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if fee == nil {
		s.writeError(w, r, accountnet.InvalidFields(map[string]string{"fee_proposed": "Enter the fee to propose."}))
		return
	}

	n, err := s.Svc.ProposeFee(r.Context(), c, r.PathValue("child_account_id"), *fee)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newNetworkView(n))
}

func (s *Server) removeNetwork(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	ended, err := s.Svc.RemoveChild(r.Context(), c, r.PathValue("child_account_id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, networkEndedView{ParentAccountID: ended.ParentAccountID, ChildAccountID: ended.ChildAccountID})
}

func (s *Server) getParentNetwork(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	n, err := s.Svc.ParentNetwork(r.Context(), c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newNetworkView(n))
}

func (s *Server) answerFee(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	answer, expected := b.String("fee"), b.Percent("fee_proposed")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if answer == nil || (*answer != string(service.FeeAccept) && *answer != string(service.FeeDecline)) {
		s.writeError(w, r, accountnet.InvalidFields(map[string]string{"fee": "Send \"accept\" or \"decline\"."}))
		return
	}

	n, err := s.Svc.AnswerFee(r.Context(), c, service.FeeAnswer(*answer), expected)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newNetworkView(n))
}

func (s *Server) leaveNetwork(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	ended, err := s.Svc.LeaveParent(r.Context(), c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, networkEndedView{ParentAccountID: ended.ParentAccountID, ChildAccountID: ended.ChildAccountID})
}

func (s *Server) recordRevenue(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	// The key is checked before the body, so that a browser holding a
	// publishable key learns nothing from validation messages.
	if err := service.RequireSecretKey(c); err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	amount := b.Amount("amount")
	in := service.RevenueInput{
		AccountID: b.Text("account_id"), Currency: b.Text("currency"),
		Reference: b.Text("reference"), Description: b.Text("description"),
	}
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if amount == nil {
		s.writeError(w, r, accountnet.InvalidFields(map[string]string{"amount": accountnet.AmountMessage}))
		return
	}
	in.Amount = *amount

	res, err := s.Svc.RecordRevenue(r.Context(), c, in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	status := http.StatusOK
	if res.Created {
		status = http.StatusCreated
	}
	writeJSON(w, status, newRevenueView(res))
}

func (s *Server) earnings(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	s.ledgerReport(w, r, c, s.Svc.Earnings)
}

func (s *Server) fees(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	s.ledgerReport(w, r, c, s.Svc.Fees)
}

type ledgerReporter func(ctx context.Context, c *service.Caller, p accountnet.Period, page store.Page) (*service.LedgerReport, error)

// ledgerReport serves a monthly report: ?period=YYYY-MM is required, and
// page_index and page_size page the entries.
func (s *Server) ledgerReport(w http.ResponseWriter, r *http.Request, c *service.Caller, report ledgerReporter) {
	period, err := parsePeriod(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	if r.URL.Query().Has("search") {
		s.writeError(w, r, errParameter("search", "This report has no search."))
		return
	}
	lq, err := parseList(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	res, err := report(r.Context(), c, period, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newLedgerReportView(lq, res))
}

// parsePeriod reads the required ?period=YYYY-MM.
func parsePeriod(r *http.Request) (accountnet.Period, error) {
	values := r.URL.Query()["period"]
	if len(values) == 1 {
		if p, ok := accountnet.ParsePeriod(values[0]); ok {
			return p, nil
		}
	}
	return accountnet.Period{}, errParameter("period", "Use one month as YYYY-MM, such as 2026-03.")
}
