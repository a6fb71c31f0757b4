package accountnet

import (
	"errors"
	"fmt"
)

// Code is the closed set of error classes. The HTTP layer maps each one to a
// single status code.
type Code string

const (
	CodeInvalid      Code = "invalid"      // 400
	CodeUnauthorized Code = "unauthorized" // 401
	CodeForbidden    Code = "forbidden"    // 403
	CodeNotFound     Code = "not_found"    // 404
	CodeConflict     Code = "conflict"     // 409
	CodeGone         Code = "gone"         // 410
	CodeTooLarge     Code = "too_large"    // 413
	CodeUnsupported  Code = "unsupported"  // 415
	CodeRateLimited  Code = "rate_limited" // 429
	CodeInternal     Code = "internal"     // 500
	CodeUnavailable  Code = "unavailable"  // 503
)

// Party names who can fix an error: the person using the app ("user"), the
// code that integrates with the API ("codebase"), or this service ("system").
type Party string

const (
	PartyUser     Party = "user"
	PartyCodebase Party = "codebase"
	PartySystem   Party = "system"
)

// Error is the one error type the domain and its adapters return for
// expected failures. Message is safe to show to a person; Detail is for the
// integrating developer and never holds a secret.
type Error struct {
	Code    Code
	Party   Party
	Reason  string            // stable snake_case value a program can switch on
	Message string            // sentence a person can act on
	Fields  map[string]string // field name to message, for invalid input
	Detail  string            // developer-facing detail (dev_message)
	Err     error             // underlying cause, logged but never sent

	RetryAfter int64 // seconds; sent as Retry-After with CodeRateLimited
}

func (e *Error) Error() string {
	msg := string(e.Code) + ": " + e.Reason
	if e.Detail != "" {
		msg += ": " + e.Detail
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an Error with a formatted developer detail.
func Errorf(code Code, party Party, reason, message, detailFormat string, args ...any) *Error {
	return &Error{Code: code, Party: party, Reason: reason, Message: message, Detail: fmt.Sprintf(detailFormat, args...)}
}

// NotFound returns the error for a record that does not exist or belongs to
// another app or account. Both cases read the same, so ids leak nothing.
func NotFound(what string) *Error {
	return &Error{
		Code:    CodeNotFound,
		Party:   PartyCodebase,
		Reason:  "not_found",
		Message: "The " + what + " was not found.",
	}
}

// Conflict returns a 409 error with the given reason.
func Conflict(reason, message string) *Error {
	return &Error{Code: CodeConflict, Party: PartyUser, Reason: reason, Message: message}
}

// RateLimited returns the 429 error for an action over its limit; the
// caller may try again after retryAfter seconds.
func RateLimited(message string, retryAfter int64) *Error {
	return &Error{Code: CodeRateLimited, Party: PartyUser, Reason: "rate_limited", Message: message, RetryAfter: max(retryAfter, 1)}
}

// Forbidden returns the error for a write the caller's role may not do.
func Forbidden(detail string) *Error {
	return &Error{
		Code:    CodeForbidden,
		Party:   PartyUser,
		Reason:  "forbidden",
		Message: "Your role in this account does not allow this action.",
		Detail:  detail,
	}
}

// Unauthorized returns a 401 error with the given reason.
func Unauthorized(reason, message string) *Error {
	return &Error{Code: CodeUnauthorized, Party: PartyCodebase, Reason: reason, Message: message}
}

// FieldErrors collects per-field validation messages. The zero value is
// ready to use.
type FieldErrors map[string]string

// Add records message for field unless the field already has one, so the
// first problem found is the one reported.
func (f *FieldErrors) Add(field, message string) {
	if *f == nil {
		*f = FieldErrors{}
	}
	if _, ok := (*f)[field]; !ok {
		(*f)[field] = message
	}
}

// Err returns nil when no field failed, otherwise an invalid_fields error.
func (f FieldErrors) Err() error {
	if len(f) == 0 {
		return nil
	}
	return InvalidFields(f)
}

// InvalidFields returns the 400 error that carries per-field messages.
func InvalidFields(fields map[string]string) *Error {
	return &Error{
		Code:    CodeInvalid,
		Party:   PartyUser,
		Reason:  "invalid_fields",
		Message: "Some values are invalid.",
		Fields:  fields,
	}
}

// ErrorCode returns the code of err, CodeInternal for errors that are not
// an *Error.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorReason returns the reason of err, or "" when err is not an *Error.
func ErrorReason(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}
