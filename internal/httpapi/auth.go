package httpapi

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
)

// bearer returns the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

func errNoCredential() *accountnet.Error {
	return accountnet.Unauthorized("missing_credentials",
		"Send an app key or a session token as \"Authorization: Bearer <token>\".")
}

type callerHandler func(w http.ResponseWriter, r *http.Request, c *service.Caller)

// withCaller authenticates an app key or session token, grants CORS to the
// caller's app origins, and passes the caller on.
func (s *Server) withCaller(h callerHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r)
		if token == "" {
			s.grantCORSToAnyApp(w, r)
			s.writeError(w, r, errNoCredential())
			return
		}
		c, err := s.Svc.Authenticate(r.Context(), token)
		if err != nil {
			s.grantCORSToAnyApp(w, r)
			s.writeError(w, r, err)
			return
		}
		c.ClientAddr = s.clientAddr(r)
		grantCORS(w, r, c.App.CORSOrigins)
		h(w, r, c)
	}
}

// withSession is withCaller for endpoints that act on the current
// account: the caller must be a session logged in to an account.
func (s *Server) withSession(h callerHandler) http.HandlerFunc {
	return s.withCaller(func(w http.ResponseWriter, r *http.Request, c *service.Caller) {
		if err := requireSession(c); err != nil {
			s.writeError(w, r, err)
			return
		}
		h(w, r, c)
	})
}

// withAdmin accepts an admin session token or the static admin token.
func (s *Server) withAdmin(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		token := bearer(r)
		if token == "" {
			s.writeError(w, r, errNoCredential())
			return
		}
		if s.AdminToken == "" || !constantTimeEqual(token, s.AdminToken) {
			if err := s.Svc.AuthenticateAdmin(r.Context(), token); err != nil {
				s.writeError(w, r, err)
				return
			}
		}
		h(w, r)
	}
}

// requireSession is for endpoints that act on the current account.
func requireSession(c *service.Caller) error {
	if c.Session == nil {
		return accountnet.Unauthorized("session_required",
			"This endpoint needs a session token. Log in and send the token it returns.")
	}
	if !c.LoggedIn() {
		return accountnet.Unauthorized("login_required", "Log in to an account first.")
	}
	return nil
}

// grantCORS allows the request's origin to read the response when the app
// lists it. Other origins get no grant, so browsers withhold the response.
func grantCORS(w http.ResponseWriter, r *http.Request, allowed []string) {
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	if origin == "" || !slices.Contains(allowed, origin) {
		return
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Expose-Headers", "X-Request-Id, Retry-After, Idempotent-Replayed")
}

// preflightCORS responds to a browser's OPTIONS request. It carries no
// credentials, so it is granted when any app lists the origin; the real
// request is then checked against the caller's own app.
func (s *Server) preflightCORS(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	w.Header().Add("Vary", "Origin")
	if origin != "" && s.anyAppAllows(r.Context(), origin) {
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE")
		h.Set("Access-Control-Allow-Headers", "Authorization, Content-Type, Idempotency-Key, X-Request-Id")
		h.Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
}

// grantCORSToAnyApp lets a browser read a 401 when any app lists the
// origin, as for a pre-flight. Before authentication the app is unknown,
// and the error holds no data of any app. The page needs to read
// session_expired to send the person to log in again.
func (s *Server) grantCORSToAnyApp(w http.ResponseWriter, r *http.Request) {
	origin := r.Header.Get("Origin")
	if origin != "" && s.anyAppAllows(r.Context(), origin) {
		grantCORS(w, r, []string{origin})
	}
}

func (s *Server) anyAppAllows(ctx context.Context, origin string) bool {
	apps, err := s.Svc.FindApps(ctx)
	if err != nil {
		s.Log.ErrorContext(ctx, "CORS pre-flight: listing apps failed", "error", err)
		return false
	}
	for _, a := range apps {
		if slices.Contains(a.CORSOrigins, origin) {
			return true
		}
	}
	return false
}

// tokenRoute marks every response of a token endpoint, errors included,
// as uncacheable and keeps the token-bearing page address out of Referer
// headers.
func tokenRoute(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		h(w, r)
	}
}
