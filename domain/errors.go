package domain

import (
	"errors"
	"fmt"
	"time"
)

// Kind is the closed set of error classes. The HTTP door maps each kind to one
// status in one place; nothing else decides statuses.
type Kind string

const (
	KindInvalid            Kind = "invalid"             // the input breaks a rule; carries field errors
	KindUnauthenticated    Kind = "unauthenticated"     // no or bad credentials
	KindForbidden          Kind = "forbidden"           // known caller, not allowed
	KindNotFound           Kind = "not_found"           // absent, or not the caller's to see
	KindConflict           Kind = "conflict"            // lost a race or duplicates an existing thing
	KindFailedPrecondition Kind = "failed_precondition" // the thing is not in a state that allows this
	KindRateLimited        Kind = "rate_limited"        // slow down; RetryAfter says how long
	KindUnavailable        Kind = "unavailable"         // a dependency is down; retrying later may work
	KindInternal           Kind = "internal"            // a bug or an unexpected failure; never detailed to clients
)

// Error is the one error type of the application. Code is a stable machine
// code ("case.illegal_transition") that clients may switch on and that the
// HTTP door translates into Chinese or English; Message is the English
// default, written for a user, never containing internals.
type Error struct {
	Kind       Kind
	Code       string
	Message    string
	Fields     []FieldError
	RetryAfter time.Duration
	// StartsAt is when something not open yet opens (a video room joined
	// too early); the HTTP door says it in the person's language.
	StartsAt time.Time
	Err      error // the cause, for logs only
}

// FieldError names one bad input field. Code is one of the Field* codes so
// that clients can show their own text next to the field.
type FieldError struct {
	Field   string
	Code    string
	Message string
}

// Field error codes shared by every validator.
const (
	FieldRequired     = "required"
	FieldInvalid      = "invalid_format"
	FieldTooLong      = "too_long"
	FieldTooShort     = "too_short"
	FieldOutOfRange   = "out_of_range"
	FieldUnknown      = "unknown_field"
	FieldNotAllowed   = "not_allowed"
	FieldWrongType    = "wrong_type"
	FieldUnsupported  = "unsupported"
	FieldDoesNotExist = "does_not_exist"
)

func (e *Error) Error() string {
	s := string(e.Kind) + ": " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf builds an error of the given kind and code with an English message.
func Errorf(kind Kind, code, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap attaches a cause to a new error of the given kind; the cause is logged,
// never shown.
func Wrap(err error, kind Kind, code, message string) *Error {
	return &Error{Kind: kind, Code: code, Message: message, Err: err}
}

// Invalid reports validation failures of one or more fields.
func Invalid(fields ...FieldError) *Error {
	return &Error{Kind: KindInvalid, Code: "validation.failed", Message: "Some fields are invalid.", Fields: fields}
}

// ErrorKind returns the kind of err, or KindInternal for anything that is not
// an application error.
func ErrorKind(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindInternal
}

// AsError returns the application error inside err, if there is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// IsKind reports whether err is an application error of kind k.
func IsKind(err error, k Kind) bool { return err != nil && ErrorKind(err) == k }
