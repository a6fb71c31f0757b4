package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
)

// forgotPasswordBody is the one body of every accepted reset request,
// whether or not the email belongs to a user.
var forgotPasswordBody = map[string]string{
	"message": "If a user with this email exists, a link to reset the password is on its way to it.",
}

func (s *Server) forgotPassword(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	email := b.String("email")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	if email == nil {
		s.writeError(w, r, accountnet.InvalidFields(map[string]string{"email": accountnet.EmailMessage}))
		return
	}

	if err := s.Svc.ForgotPassword(r.Context(), c, *email); err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, forgotPasswordBody)
}
