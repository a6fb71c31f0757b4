package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
)

var roleFilter = filterSpec{name: "role", choices: accountnet.RoleLabels}

func (s *Server) listAccountUsers(w http.ResponseWriter, r *http.Request) {
	lq, err := parseList(r, roleFilter)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	users, total, err := s.Svc.FindAccountUsers(r.Context(), r.PathValue("app_id"), r.PathValue("account_id"),
		lq.search, accountnet.Role(lq.filters["role"]), lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(users, newAccountUserView), total))
}

func (s *Server) setRole(w http.ResponseWriter, r *http.Request) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	role := b.Text("role")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	au, err := s.Svc.SetRole(r.Context(), r.PathValue("app_id"), r.PathValue("account_id"), r.PathValue("user_id"), accountnet.Role(role))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newAccountUserView(au))
}
