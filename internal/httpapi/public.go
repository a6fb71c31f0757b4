package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/country"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/accountnet/accountnet/internal/store"
)

// getSession starts an anonymous session when called with an app key and
// returns the current session when called with a session token.
func (s *Server) getSession(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	if c.Session == nil {
		// The GET route also serves HEAD, which must not store a session
		// whose token no client receives.
		if r.Method == http.MethodHead {
			w.Header().Set("Cache-Control", "no-store")
			w.WriteHeader(http.StatusOK)
			return
		}
		next, err := s.Svc.NewSession(r.Context(), c)
		if err != nil {
			s.writeError(w, r, err)
			return
		}
		c = next
	}

	// A user of several accounts who has not chosen one yet gets the
	// choice again.
	var choices []*store.AccountChoice
	if c.User != nil && !c.LoggedIn() {
		var err error
		if choices, err = s.Svc.AccountChoices(r.Context(), c); err != nil {
			s.writeError(w, r, err)
			return
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, newSessionView(c, choices))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	username, plain := b.Text("username"), b.Text("password")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	var errs accountnet.FieldErrors
	if username == "" {
		errs.Add("username", "Enter your username or email.")
	}
	if plain == "" {
		errs.Add("password", "Enter your password.")
	}
	if err := errs.Err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	res, err := s.Svc.Login(r.Context(), c, username, plain)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, newSessionView(res.Caller, res.Choices))
}

func (s *Server) loginAccount(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	accountID := b.Text("account_id")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	next, err := s.Svc.LoginAccount(r.Context(), c, accountID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, newSessionView(next, nil))
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	next, err := s.Svc.Logout(r.Context(), c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, newSessionView(next, nil))
}

func (s *Server) checkResetToken(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	user, expires, err := s.Svc.CheckPasswordToken(r.Context(), c.App, r.PathValue("token"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"user_id": user.ID, "username": user.Username, "expires": expires})
}

func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	token, plain, confirm := b.Text("token"), b.Text("password"), b.Text("confirm")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	user, err := s.Svc.ResetPassword(r.Context(), c.App, token, plain, confirm)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newUserView(user))
}

func (s *Server) getAccount(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	writeJSON(w, http.StatusOK, newAccountView(c.Account))
}

func (s *Server) countries(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	all := country.All()
	items := make([]enumItem, 0, len(all))
	for _, ct := range all {
		items = append(items, enumItem{id: ct.ID, title: ct.Title})
	}
	s.writeEnumerated(w, r, items)
}

func (s *Server) staticDomains(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	domains, err := s.Svc.FindDomains(r.Context(), c.App.ID)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	items := make([]enumItem, 0, len(domains))
	for _, d := range domains {
		items = append(items, enumItem{id: d.ID, title: d.Title, extra: map[string]any{"description": d.Description}})
	}
	s.writeEnumerated(w, r, items)
}

func (s *Server) networkDomains(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	children, err := s.Svc.ChildDomains(r.Context(), c)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	items := make([]enumItem, 0, len(children))
	for _, ch := range children {
		items = append(items, enumItem{id: ch.Domain.ID, title: ch.Domain.Title, extra: map[string]any{
			"description": ch.Domain.Description, "monetized": ch.Rule.Monetized, "max_fee": ch.Rule.MaxFee,
		}})
	}
	s.writeEnumerated(w, r, items)
}

func (s *Server) writeEnumerated(w http.ResponseWriter, r *http.Request, items []enumItem) {
	out, err := enumerated(r, items)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) initiate(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	validateOnly, err := boolParam(r, "validate_only")
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := service.InitiateInput{
		DomainID: b.Text("domain_id"), Email: b.Text("email"), CountryID: b.String("country_id"),
		FeeProposed: b.Percent("fee_proposed"), Title: b.String("title"),
	}
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	once, err := parseOnce(r, b, s.encodeInvitation(http.StatusCreated))
	if err != nil {
		s.writeError(w, r, err)
		return
	}

	inv, saved, err := s.Svc.Initiate(r.Context(), c, in, validateOnly, once)
	if err == nil && validateOnly {
		writeJSON(w, http.StatusOK, map[string]bool{"valid": true})
		return
	}
	s.writeInvitation(w, r, http.StatusCreated, inv, saved, err)
}

// boolParam reads an optional true/false query parameter.
func boolParam(r *http.Request, name string) (bool, error) {
	switch v := r.URL.Query().Get(name); v {
	case "", "false", "0":
		return false, nil
	case "true", "1":
		return true, nil
	}
	return false, errParameter(name, "Use true or false.")
}

func (s *Server) preflight(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	p, err := s.Svc.CheckInvitation(r.Context(), c.App, r.PathValue("token"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	inv := p.Invitation
	writeJSON(w, http.StatusOK, preflightView{
		InvitationID: inv.ID, Email: inv.Email, ParentAccountTitle: p.ParentTitle, DomainID: inv.DomainID,
		DomainTitle: inv.DomainTitle, CountryID: inv.CountryID, FeeProposed: inv.FeeProposed, Title: inv.Title, Expires: inv.Expires,
	})
}

func (s *Server) activate(w http.ResponseWriter, r *http.Request, c *service.Caller) {
	b, err := decodeBody(r, true)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := service.ActivateInput{
		AccountTitle: b.Text("account_title"), Name: b.Text("name"), Username: b.Text("username"), Password: b.Text("password"),
	}
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	account, err := s.Svc.Activate(r.Context(), c.App, r.PathValue("token"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newAccountView(account))
}
