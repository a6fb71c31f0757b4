// Package httpapi serves accountnet's public API under /v1 and the admin
// API under /admin/v1. Handlers decode and check the shape of requests,
// call the service, and encode its results; the rules live in the service
// and the domain.
package httpapi

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/accountnet/accountnet"
	"github.com/accountnet/accountnet/internal/service"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultBodyLimit is the largest request body accepted, in bytes.
const DefaultBodyLimit = 64 << 10

// Server is the HTTP front of the service.
type Server struct {
	Svc        *service.Service
	Log        *slog.Logger
	AdminToken string // static admin token; "" disables it
	BodyLimit  int64  // DefaultBodyLimit when zero
	OpenAPI    []byte // served at /v1/openapi.json

	// TrustedProxies are the reverse proxies whose X-Forwarded-For header
	// names the client; empty means the header is ignored.
	TrustedProxies []netip.Prefix

	// Ready reports whether the service can take traffic; /readyz calls it.
	Ready func(ctx context.Context) error

	// Registry collects the metrics served at /metrics; a new one when nil.
	Registry *prometheus.Registry

	metrics *metrics
	mux     *http.ServeMux
}

// Handler returns the routed handler with request ids, logging, metrics,
// panic recovery and the body limit applied.
func (s *Server) Handler() http.Handler {
	if s.Registry == nil {
		s.Registry = prometheus.NewRegistry()
	}
	s.metrics = newMetrics(s.Registry)
	s.mux = http.NewServeMux()
	s.routes()
	return s.middleware(s.mux)
}

func (s *Server) routes() {
	m := s.mux

	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, map[string]string{"status": "ok"}) })
	m.HandleFunc("GET /readyz", s.readyz)
	m.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	m.HandleFunc("GET /v1/openapi.json", s.openapi)
	m.HandleFunc("OPTIONS /v1/", s.preflightCORS)

	// Public API: app keys and sessions.
	m.HandleFunc("GET /v1/auth/session", s.withCaller(s.getSession))
	m.HandleFunc("POST /v1/auth/login", s.withCaller(s.login))
	m.HandleFunc("POST /v1/auth/login-account", s.withCaller(s.loginAccount))
	m.HandleFunc("POST /v1/auth/logout", s.withCaller(s.logout))
	m.HandleFunc("GET /v1/auth/reset-password/{token}", tokenRoute(s.withCaller(s.checkResetToken)))
	m.HandleFunc("POST /v1/auth/reset-password", tokenRoute(s.withCaller(s.resetPassword)))
	m.HandleFunc("POST /v1/auth/forgot-password", s.withCaller(s.forgotPassword))
	m.HandleFunc("GET /v1/account", s.withSession(s.getAccount))
	m.HandleFunc("POST /v1/account", s.withSession(s.updateAccount))
	m.HandleFunc("GET /v1/static/countries/enumerated", s.withCaller(s.countries))
	m.HandleFunc("GET /v1/static/country", s.withSession(s.accountCountry))
	m.HandleFunc("GET /v1/static/timezones/enumerated", s.withCaller(s.timezones))
	m.HandleFunc("GET /v1/static/domains/enumerated", s.withCaller(s.staticDomains))
	m.HandleFunc("GET /v1/network/domains/enumerated", s.withSession(s.networkDomains))
	m.HandleFunc("POST /v1/network/initiate", s.withSession(s.initiate))
	m.HandleFunc("GET /v1/network/activate/{token}", tokenRoute(s.withCaller(s.preflight)))
	m.HandleFunc("POST /v1/network/activate/{token}", tokenRoute(s.withCaller(s.activate)))
	m.HandleFunc("POST /v1/network/decline/{token}", tokenRoute(s.withCaller(s.declineInvitation)))
	m.HandleFunc("GET /v1/network/invitations", s.withSession(s.listInvitations))
	m.HandleFunc("GET /v1/network/invitations/{id}", s.withSession(s.getInvitation))
	m.HandleFunc("POST /v1/network/invitations/{id}", s.withSession(s.updateInvitation))
	m.HandleFunc("POST /v1/network/invitations/{id}/resend", s.withSession(s.resendInvitation))
	m.HandleFunc("DELETE /v1/network/invitations/{id}", s.withSession(s.revokeInvitation))
	m.HandleFunc("GET /v1/networks", s.withSession(s.listNetworks))
	m.HandleFunc("GET /v1/networks/{child_account_id}", s.withSession(s.getNetwork))
	m.HandleFunc("POST /v1/networks/{child_account_id}", s.withSession(s.proposeFee))
	m.HandleFunc("DELETE /v1/networks/{child_account_id}", s.withSession(s.removeNetwork))
	m.HandleFunc("GET /v1/network/parent", s.withSession(s.getParentNetwork))
	m.HandleFunc("POST /v1/network/parent", s.withSession(s.answerFee))
	m.HandleFunc("DELETE /v1/network/parent", s.withSession(s.leaveNetwork))
	m.HandleFunc("POST /v1/network/revenue", s.withCaller(s.recordRevenue))
	m.HandleFunc("GET /v1/network/earnings", s.withSession(s.earnings))
	m.HandleFunc("GET /v1/network/fees", s.withSession(s.fees))

	// Admin API.
	m.HandleFunc("POST /admin/v1/login", s.adminLogin)
	m.HandleFunc("GET /admin/v1/apps", s.withAdmin(s.listApps))
	m.HandleFunc("POST /admin/v1/apps", s.withAdmin(s.createApp))
	m.HandleFunc("GET /admin/v1/apps/{app_id}", s.withAdmin(s.getApp))
	m.HandleFunc("POST /admin/v1/apps/{app_id}", s.withAdmin(s.updateApp))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/keys", s.withAdmin(s.listKeys))
	m.HandleFunc("POST /admin/v1/apps/{app_id}/keys", s.withAdmin(s.createKey))
	m.HandleFunc("DELETE /admin/v1/apps/{app_id}/keys/{key_id}", s.withAdmin(s.revokeKey))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/domains", s.withAdmin(s.listDomains))
	m.HandleFunc("POST /admin/v1/apps/{app_id}/domains", s.withAdmin(s.createDomain))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/domains/{domain_id}", s.withAdmin(s.getDomain))
	m.HandleFunc("POST /admin/v1/apps/{app_id}/domains/{domain_id}", s.withAdmin(s.updateDomain))
	m.HandleFunc("DELETE /admin/v1/apps/{app_id}/domains/{domain_id}", s.withAdmin(s.deleteDomain))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/network-rules", s.withAdmin(s.listRules))
	m.HandleFunc("POST /admin/v1/apps/{app_id}/network-rules", s.withAdmin(s.createRule))
	m.HandleFunc("DELETE /admin/v1/apps/{app_id}/network-rules/{rule_id}", s.withAdmin(s.deleteRule))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/accounts", s.withAdmin(s.listAccounts))
	m.HandleFunc("POST /admin/v1/apps/{app_id}/accounts", s.withAdmin(s.createAccount))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/accounts/{account_id}/users", s.withAdmin(s.listAccountUsers))
	m.HandleFunc("POST /admin/v1/apps/{app_id}/accounts/{account_id}/users/{user_id}", s.withAdmin(s.setRole))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/mails", s.withAdmin(s.listMails))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/invitations", s.withAdmin(s.listAppInvitations))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/networks", s.withAdmin(s.listAppNetworks))
	m.HandleFunc("GET /admin/v1/apps/{app_id}/revenue", s.withAdmin(s.listRevenue))

	m.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, &accountnet.Error{Code: accountnet.CodeNotFound, Party: accountnet.PartyCodebase, Reason: "route_not_found",
			Message: "There is no such API endpoint.", Detail: r.Method + " " + safePath(r) + " is not a route of this API"})
	})
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	if s.Ready != nil {
		if err := s.Ready(r.Context()); err != nil {
			s.Log.Warn("not ready", "error", err)
			s.writeError(w, r, &accountnet.Error{Code: accountnet.CodeUnavailable, Party: accountnet.PartySystem,
				Reason: "not_ready", Message: "The service is not ready yet."})
			return
		}
	}
	writeJSON(w, 200, map[string]string{"status": "ready"})
}

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(s.OpenAPI)
}

// writeJSON encodes v with the status code.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// requestState travels in the request context so that the log line and
// the metrics can see what the handler decided.
type requestState struct {
	id     string
	reason string
}

type stateKey struct{}

func requestID(ctx context.Context) string {
	if st, ok := ctx.Value(stateKey{}).(*requestState); ok {
		return st.id
	}
	return ""
}

func setRequestStatus(ctx context.Context, reason string) {
	if st, ok := ctx.Value(stateKey{}).(*requestState); ok {
		st.reason = reason
	}
}

// clientRequestID is the shape of a request id a client may choose. It is
// at most 36 characters (a UUID), shorter than every token of this
// service, so that a secret sent in the header is not copied to the log.
var clientRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,36}$`)

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  atomic.Int64
}

func (r *statusRecorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes.Add(int64(n))
	return n, err
}

// middleware adds the request id, the body limit, panic recovery, one log
// line per request and the request metrics. It logs the route pattern,
// never the raw path, which may hold a token.
func (s *Server) middleware(next http.Handler) http.Handler {
	limit := s.BodyLimit
	if limit == 0 {
		limit = DefaultBodyLimit
	}

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !clientRequestID.MatchString(id) {
			id = accountnet.NewID("req_")
		}
		st := &requestState{id: id}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		w.Header().Set("X-Request-Id", id)
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				s.Log.Error("panic in handler", "request_id", id, "panic", p)
				if rec.status == 0 {
					s.writeError(rec, r, &accountnet.Error{Code: accountnet.CodeInternal, Reason: "internal_error"})
				}
			}
			s.logRequest(r, rec.status, rec.bytes.Load(), st, time.Since(start))
		}()

		if !cleanRequestText(r) {
			// Name the route by its pattern, as for any error, so that a
			// token in the path is not echoed.
			_, r.Pattern = s.mux.Handler(r)
			s.writeError(rec, r, &accountnet.Error{Code: accountnet.CodeInvalid, Party: accountnet.PartyCodebase, Reason: "invalid_request",
				Message: "The request address contains a NUL character or bytes that are not UTF-8.", Detail: "percent-encode UTF-8 text only"})
			return
		}
		next.ServeHTTP(rec, r)
	})
}

// logRequest writes the request's log line and metrics. It names the
// route by its pattern, and methods outside the standard set as "other",
// so that neither a token in a path nor an invented method reaches a log
// line or a metric label.
func (s *Server) logRequest(r *http.Request, status int, bytes int64, st *requestState, elapsed time.Duration) {
	route := safePath(r)
	if r.Pattern == "" || r.Pattern == "/" {
		route = "unmatched"
	}
	method := r.Method
	if !standardMethods[method] {
		method = "other"
	}

	s.metrics.observe(method, route, status, elapsed)
	s.Log.Log(r.Context(), logLevel(status), "request",
		slog.String("request_id", st.id),
		slog.Group("http", "method", method, "route", route, "status", status, "bytes", bytes,
			"duration_ms", strconv.FormatFloat(float64(elapsed.Microseconds())/1000, 'f', 2, 64)),
		slog.String("reason", st.reason))
}

var standardMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true,
}

// cleanRequestText reports whether the decoded path and query hold only
// UTF-8 text without NUL characters; PostgreSQL rejects anything else in
// text columns.
func cleanRequestText(r *http.Request) bool {
	if !utf8.ValidString(r.URL.Path) || strings.ContainsRune(r.URL.Path, 0) {
		return false
	}
	for key, values := range r.URL.Query() {
		for _, v := range append(values, key) {
			if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
				return false
			}
		}
	}
	return true
}

// constantTimeEqual compares two secrets without leaking their length
// difference through timing beyond what the length itself reveals.
func constantTimeEqual(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		registry: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "accountnet_http_requests_total", Help: "HTTP requests by method, route pattern and status code.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "accountnet_http_request_duration_seconds", Help: "HTTP request duration by route pattern, in seconds.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.registry.MustRegister(m.requests, m.duration)
	return m
}

func (m *metrics) observe(method, route string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
