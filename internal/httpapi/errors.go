package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/accountnet/accountnet"
)

var statusByCode = map[accountnet.Code]int{
	accountnet.CodeInvalid:      http.StatusBadRequest,
	accountnet.CodeUnauthorized: http.StatusUnauthorized,
	accountnet.CodeForbidden:    http.StatusForbidden,
	accountnet.CodeNotFound:     http.StatusNotFound,
	accountnet.CodeConflict:     http.StatusConflict,
	accountnet.CodeGone:         http.StatusGone,
	accountnet.CodeTooLarge:     http.StatusRequestEntityTooLarge,
	accountnet.CodeUnsupported:  http.StatusUnsupportedMediaType,
	accountnet.CodeRateLimited:  http.StatusTooManyRequests,
	accountnet.CodeInternal:     http.StatusInternalServerError,
	accountnet.CodeUnavailable:  http.StatusServiceUnavailable,
}

type errorBody struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	URL           string            `json:"url"`
	RequestMethod string            `json:"request_method"`
	Type          accountnet.Party  `json:"type"`
	Code          int               `json:"code"`
	Reason        string            `json:"reason"`
	Message       string            `json:"message"`
	Fields        map[string]string `json:"fields,omitempty"`
	DevMessage    string            `json:"dev_message,omitempty"`
}

// writeError sends err as the error object. Errors that are not an
// *accountnet.Error, and internal ones, become a generic 500 whose details
// go only to the log, under the request id.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	// A client that hung up cancels the request context; that is not our
	// fault and nobody reads the answer, so it is logged as status 499
	// (the client-closed-request convention) instead of as an error.
	if r.Context().Err() != nil && errors.Is(err, context.Canceled) {
		setRequestStatus(r.Context(), "client_closed_request")
		w.WriteHeader(499)
		return
	}

	var e *accountnet.Error
	if !errors.As(err, &e) || e.Code == accountnet.CodeInternal {
		s.Log.ErrorContext(r.Context(), "request failed", "request_id", requestID(r.Context()), "error", err)
		e = &accountnet.Error{Code: accountnet.CodeInternal, Party: accountnet.PartySystem, Reason: "internal_error",
			Message: "Something went wrong on our side. Try again later, and quote the request id if it keeps happening."}
	}

	status := statusByCode[e.Code]
	if status == 0 {
		status = http.StatusInternalServerError
	}
	party := e.Party
	if party == "" {
		party = accountnet.PartyCodebase
	}
	setRequestStatus(r.Context(), e.Reason)
	if e.RetryAfter > 0 {
		w.Header().Set("Retry-After", itoa(e.RetryAfter))
	}

	writeJSON(w, status, errorBody{Error: errorObject{
		URL: safePath(r), RequestMethod: strings.ToLower(r.Method), Type: party, Code: status,
		Reason: e.Reason, Message: e.Message, Fields: e.Fields, DevMessage: e.Detail,
	}})
}

// safePath returns the route pattern of the request (such as
// /v1/network/activate/{token}) so that no token in the path is echoed or
// logged. Unmatched requests get their path with long segments, which
// could be tokens, replaced.
func safePath(r *http.Request) string {
	if r.Pattern != "" && r.Pattern != "/" {
		_, path, found := strings.Cut(r.Pattern, " ")
		if found {
			return path
		}
		return r.Pattern
	}
	parts := strings.Split(r.URL.Path, "/")
	for i, p := range parts {
		if len(p) >= 24 {
			parts[i] = "{redacted}"
		}
	}
	return strings.Join(parts, "/")
}

func logLevel(status int) slog.Level {
	switch {
	case status >= 500:
		return slog.LevelError
	case status >= 400:
		return slog.LevelWarn
	}
	return slog.LevelInfo
}
