package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// invitationFilters are the filters of the invitation list.
var invitationFilters = []filterSpec{{name: "status", choices: accountnet.InvitationStatusLabels}}

func (s *Server) listInvitations(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	lq, err := parseList(r, invitationFilters...)
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	filter := store.InvitationFilter{Search: lq.search, Status: accountnet.InvitationStatus(lq.filters["status"])}
	list, total, err := s.Svc.FindInvitations(r.Context(), c, filter, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	now := s.Svc.Clock.Now()
	views := make([]*invitationView, 0, len(list))
	for _, inv := range list {
		views = append(views, newInvitationView(inv, now))
	}
	writeJSON(w, http.StatusOK, lq.envelope(views, total))
}

func (s *Server) getInvitation(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	inv, err := s.Svc.FindInvitation(r.Context(), c, r.PathValue("id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newInvitationView(inv, s.Svc.Clock.Now()))
}

func (s *Server) updateInvitation(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := service.InvitationUpdate{Email: b.String("email"), DomainID: b.String("domain_id"),
		CountryID: b.String("country_id"), Title: b.String("title")}
	in.FeeProposed, in.ClearFee = b.percentOrEmpty("fee_proposed")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	once, err := parseOnce(r, b, s.encodeInvitation(http.StatusOK))
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	inv, saved, err := s.Svc.UpdateInvitation(r.Context(), c, r.PathValue("id"), in, once)
	s.writeInvitation(w, r, http.StatusOK, inv, saved, err)
}

func (s *Server) resendInvitation(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, ok := readEmptyBody(s, w, r)
	if !ok {
		return
	}
	once, err := parseOnce(r, b, s.encodeInvitation(http.StatusOK))
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	inv, saved, err := s.Svc.ResendInvitation(r.Context(), c, r.PathValue("id"), once)
	s.writeInvitation(w, r, http.StatusOK, inv, saved, err)
}

func (s *Server) revokeInvitation(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	id := r.PathValue("id")
	if err := s.Svc.RevokeInvitation(r.Context(), c, id); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": id})
}

// declineInvitation is the invitee's refusal. It returns the id and the
// new status only, because the invitee is not the invitation's owner.
func (s *Server) declineInvitation(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	if _, ok := readEmptyBody(s, w, r); !ok {
		return
	}

	inv, err := s.Svc.DeclineInvitation(r.Context(), c.App, r.PathValue("token"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"invitation_id": inv.ID, "status": string(accountnet.StatusDeclined)})
}

// encodeInvitation renders an invitation result as the response an
// Idempotency-Key saves.
func (s *Server) encodeInvitation(status int) func(result any) (int, []byte, error) {
	return func(result any) (int, []byte, error) {
		body, err := encodeJSON(newInvitationView(result.(*accountnet.Invitation), s.Svc.Clock.Now()))
		return status, body, err
	}
}

// writeInvitation sends the outcome of an invitation write: the error,
// the saved response of an idempotent request, or the invitation.
func (s *Server) writeInvitation(w http.ResponseWriter, r *http.Request, status int, inv *accountnet.Invitation, saved *service.SavedResponse, err error) {
	switch {
	case err != nil:
		s.writeError(w, r, err)
	case saved != nil:
		writeSaved(w, saved)
	default:
		writeJSON(w, status, newInvitationView(inv, s.Svc.Clock.Now()))
	}
}

// percentOrEmpty reads an optional percentage that "" clears. It returns
// the value (nil when absent or cleared) and whether "" was sent.
func (b *body) percentOrEmpty(name string) (*accountnet.Percent, bool) {
	if v, ok := b.fields[name]; ok && string(v) == `""` {
		b.read[name] = true
		return nil, true
	}
	return b.Percent(name), false
}
