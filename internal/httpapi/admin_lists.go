package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/store"
)

// The admin API's record lists across one app take the search and filters
// of the matching lists of one account.

func (s *Server) listAppInvitations(w http.ResponseWriter, r *http.Request) {
	lq, err := parseList(r, invitationFilters...)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	filter := store.InvitationFilter{Search: lq.search, Status: accountnet.InvitationStatus(lq.filters["status"])}
	list, total, err := s.Svc.FindAppInvitations(r.Context(), r.PathValue("app_id"), filter, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.Svc.Clock.Now()
	views := mapAll(list, func(inv *accountnet.Invitation) *invitationView { return newInvitationView(inv, now) })
	writeJSON(w, http.StatusOK, lq.envelope(views, total))
}

func (s *Server) listAppNetworks(w http.ResponseWriter, r *http.Request) {
	lq, err := parseList(r, feeFilter)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	filter := store.NetworkFilter{Search: lq.search, FeeState: lq.filters["fee"]}
	list, total, err := s.Svc.FindAppNetworks(r.Context(), r.PathValue("app_id"), filter, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(list, newNetworkView), total))
}

// listRevenue serves the app's revenue events; the optional
// ?period=YYYY-MM keeps one UTC month.
func (s *Server) listRevenue(w http.ResponseWriter, r *http.Request) {
	lq, err := parseList(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	filter := store.RevenueFilter{Search: lq.search}
	if r.URL.Query().Has("period") {
		period, err := parsePeriod(r)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		filter.Period = &period
	}

	list, total, err := s.Svc.FindRevenue(r.Context(), r.PathValue("app_id"), filter, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(list, newRevenueView), total))
}
