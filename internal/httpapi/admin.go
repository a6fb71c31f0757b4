package httpapi

import (
	"net/http"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
)

func (s *Server) adminLogin(w http.ResponseWriter, r *http.Request) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	email, plain := b.Text("email"), b.Text("password")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	token, expires, err := s.Svc.AdminLogin(r.Context(), email, plain)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, map[string]any{"token": token, "expires": expires})
}

// readAppInput reads the app settings fields of a create or update body.
func readAppInput(b *body) service.AppInput {
	return service.AppInput{
		Title: b.String("title"), NetworkURL: b.String("network_url"), LoginURL: b.String("login_url"),
		ResetURL: b.String("reset_url"), InvitationTTL: b.Int("invitation_ttl"), MailFrom: b.String("mail_from"),
		CORSOrigins: b.Strings("cors_origins"), WebhookURL: b.String("webhook_url"),
	}
}

func (s *Server) listApps(w http.ResponseWriter, r *http.Request) {
	writeWholeList(s, w, r, func() ([]*accountnet.App, error) { return s.Svc.FindApps(r.Context()) }, newAppView)
}

func (s *Server) createApp(w http.ResponseWriter, r *http.Request) {
	in, ok := readBody(s, w, r, readAppInput)
	if !ok {
		return
	}

	created, err := s.Svc.CreateApp(r.Context(), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	view := newAppView(created.App)
	view.PublishableKey, view.SecretKey = created.PublishableKey, created.SecretKey
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, view)
}

func (s *Server) getApp(w http.ResponseWriter, r *http.Request) {
	app, err := s.Svc.FindApp(r.Context(), r.PathValue("app_id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newAppView(app))
}

func (s *Server) updateApp(w http.ResponseWriter, r *http.Request) {
	in, ok := readBody(s, w, r, readAppInput)
	if !ok {
		return
	}

	app, err := s.Svc.UpdateApp(r.Context(), r.PathValue("app_id"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newAppView(app))
}

func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) {
	writeWholeList(s, w, r, func() ([]*accountnet.Key, error) { return s.Svc.FindKeys(r.Context(), r.PathValue("app_id")) }, newKeyView)
}

func (s *Server) createKey(w http.ResponseWriter, r *http.Request) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	kind := b.Text("kind")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}

	secret, key, err := s.Svc.CreateKey(r.Context(), r.PathValue("app_id"), accountnet.KeyKind(kind))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	view := newKeyView(key)
	view.Key = secret
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, view)
}

func (s *Server) revokeKey(w http.ResponseWriter, r *http.Request) {
	if err := s.Svc.RevokeKey(r.Context(), r.PathValue("app_id"), r.PathValue("key_id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("key_id")})
}

func readDomainInput(b *body) service.DomainInput {
	return service.DomainInput{Title: b.String("title"), Description: b.String("description"), SignupHelp: b.String("signup_help")}
}

func (s *Server) listDomains(w http.ResponseWriter, r *http.Request) {
	writeWholeList(s, w, r, func() ([]*accountnet.Domain, error) { return s.Svc.FindDomains(r.Context(), r.PathValue("app_id")) }, newDomainView)
}

func (s *Server) createDomain(w http.ResponseWriter, r *http.Request) {
	in, ok := readBody(s, w, r, readDomainInput)
	if !ok {
		return
	}

	d, err := s.Svc.CreateDomain(r.Context(), r.PathValue("app_id"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newDomainView(d))
}

func (s *Server) getDomain(w http.ResponseWriter, r *http.Request) {
	d, err := s.Svc.FindDomain(r.Context(), r.PathValue("app_id"), r.PathValue("domain_id"))
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newDomainView(d))
}

func (s *Server) updateDomain(w http.ResponseWriter, r *http.Request) {
	in, ok := readBody(s, w, r, readDomainInput)
	if !ok {
		return
	}

	d, err := s.Svc.UpdateDomain(r.Context(), r.PathValue("app_id"), r.PathValue("domain_id"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newDomainView(d))
}

func (s *Server) deleteDomain(w http.ResponseWriter, r *http.Request) {
	if err := s.Svc.DeleteDomain(r.Context(), r.PathValue("app_id"), r.PathValue("domain_id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("domain_id")})
}

func (s *Server) listRules(w http.ResponseWriter, r *http.Request) {
	writeWholeList(s, w, r, func() ([]*accountnet.Rule, error) { return s.Svc.FindRules(r.Context(), r.PathValue("app_id")) }, newRuleView)
}

func (s *Server) createRule(w http.ResponseWriter, r *http.Request) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := service.RuleInput{ParentDomainID: b.Text("parent_domain_id"), ChildDomainID: b.Text("child_domain_id"), MaxFee: b.Percent("max_fee")}
	monetized := b.Bool("monetized")
	if err := b.err(); err != nil {
		s.writeError(w, r, err)
		return
	}
	in.Monetized = monetized != nil && *monetized

	rule, err := s.Svc.CreateRule(r.Context(), r.PathValue("app_id"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newRuleView(rule))
}

func (s *Server) deleteRule(w http.ResponseWriter, r *http.Request) {
	if err := s.Svc.DeleteRule(r.Context(), r.PathValue("app_id"), r.PathValue("rule_id")); err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": r.PathValue("rule_id")})
}

func (s *Server) listAccounts(w http.ResponseWriter, r *http.Request) {
	lq, err := parseList(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	accounts, total, err := s.Svc.FindAccounts(r.Context(), r.PathValue("app_id"), lq.search, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(accounts, newAccountView), total))
}

func (s *Server) createAccount(w http.ResponseWriter, r *http.Request) {
	b, err := decodeBody(r, false)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	in := service.AccountInput{Title: b.Text("title"), DomainID: b.Text("domain_id"), CountryID: b.Text("country_id")}
	user := b.Object("user")
	in.Username, in.Email, in.Name, in.Password = user.Text("username"), user.Text("email"), user.Text("name"), user.Text("password")
	if err := b.err(user); err != nil {
		s.writeError(w, r, err)
		return
	}

	account, err := s.Svc.CreateAccount(r.Context(), r.PathValue("app_id"), in)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newAccountView(account))
}

func (s *Server) listMails(w http.ResponseWriter, r *http.Request) {
	lq, err := parseList(r)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	mails, total, err := s.Svc.FindMails(r.Context(), r.PathValue("app_id"), lq.search, lq.page)
	if err != nil {
		s.writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, lq.envelope(mapAll(mails, newMailView), total))
}
