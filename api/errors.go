package api

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
)

// httpError is a failure of the HTTP exchange itself (bad JSON, wrong content
// type), as opposed to a rule of the business.
type httpError struct {
	Status int
	Code   string
	Fields []domain.FieldError
}

func (e *httpError) Error() string { return e.Code }

// statusOfKind is the one mapping from error kinds to HTTP statuses.
var statusOfKind = map[domain.Kind]int{
	domain.KindInvalid:            http.StatusUnprocessableEntity,
	domain.KindUnauthenticated:    http.StatusUnauthorized,
	domain.KindForbidden:          http.StatusForbidden,
	domain.KindNotFound:           http.StatusNotFound,
	domain.KindConflict:           http.StatusConflict,
	domain.KindFailedPrecondition: http.StatusConflict,
	domain.KindRateLimited:        http.StatusTooManyRequests,
	domain.KindUnavailable:        http.StatusServiceUnavailable,
	domain.KindInternal:           http.StatusInternalServerError,
}

// codeOfStatus names the errors Fiber and fasthttp raise themselves.
var codeOfStatus = map[int]string{
	http.StatusBadRequest:                  "request.malformed",
	http.StatusNotFound:                    "route.not_found",
	http.StatusMethodNotAllowed:            "route.method_not_allowed",
	http.StatusRequestTimeout:              "request.timeout",
	http.StatusRequestEntityTooLarge:       "request.too_large",
	http.StatusUnsupportedMediaType:        "request.unsupported_media_type",
	http.StatusRequestHeaderFieldsTooLarge: "request.headers_too_large",
	http.StatusTooManyRequests:             "request.rate_limited",
	http.StatusServiceUnavailable:          "service.unavailable",
}

// problem is an RFC 9457 problem detail with our extensions: a stable code,
// the message again under a name clients expect, the request ID and field
// errors.
type problem struct {
	Type      string            `json:"type"`
	Title     string            `json:"title"`
	Status    int               `json:"status"`
	Detail    string            `json:"detail"`
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	RequestID string            `json:"request_id"`
	Errors    []fieldProblem    `json:"errors,omitempty"`
	Checks    map[string]string `json:"checks,omitempty"`
	StartsAt  *time.Time        `json:"starts_at,omitempty"`
}

type fieldProblem struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// handleError is Fiber's ErrorHandler: every error of every route, of the
// router itself (404, 405) and of fasthttp (413) is answered here.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	lang := preferredLanguage(c.Get(fiber.HeaderAcceptLanguage))
	p := problem{Type: "about:blank", RequestID: requestID(c)}
	var (
		derr *domain.Error
		herr *httpError
		ferr *fiber.Error
	)
	switch {
	case errors.As(err, &derr):
		p.Status = statusOfKind[derr.Kind]
		if p.Status == 0 || derr.Kind == domain.KindInternal {
			return s.internalError(c, p, lang, err)
		}
		p.Code, p.Message = derr.Code, message(derr.Code, derr.Kind, derr.Message, lang)
		p.Errors = fieldProblems(derr.Fields, lang)
		if !derr.StartsAt.IsZero() {
			at := derr.StartsAt.In(s.loc)
			p.StartsAt = &at
			p.Message += startsHint(at, lang)
		}
		if derr.RetryAfter > 0 {
			c.Set(fiber.HeaderRetryAfter, retryAfterSeconds(derr.RetryAfter))
			p.Message += retryHint(derr.RetryAfter, lang)
		}
		if p.Status == http.StatusServiceUnavailable {
			s.log.Warn("dependency unavailable", "request_id", p.RequestID, "route", c.Route().Path, "err", err)
		}
	case errors.As(err, &herr):
		p.Status, p.Code = herr.Status, herr.Code
		p.Message = message(herr.Code, "", "", lang)
		p.Errors = fieldProblems(herr.Fields, lang)
	case errors.As(err, &ferr) && ferr.Code >= 400 && ferr.Code < 500:
		p.Status = ferr.Code
		p.Code = codeOfStatus[ferr.Code]
		if p.Code == "" {
			p.Code = "http." + strconv.Itoa(ferr.Code)
		}
		p.Message = message(p.Code, "", http.StatusText(ferr.Code), lang)
	default:
		return s.internalError(c, p, lang, err)
	}
	return writeProblem(c, p)
}

// internalError logs the cause once, with the request ID, and tells the
// client nothing but that ID.
func (s *Server) internalError(c *fiber.Ctx, p problem, lang language, err error) error {
	s.log.Error("internal error", "request_id", p.RequestID, "method", c.Method(), "route", c.Route().Path, "err", err)
	p.Status, p.Code = http.StatusInternalServerError, "internal"
	p.Message = message("internal", domain.KindInternal, "", lang)
	p.Errors = nil
	return writeProblem(c, p)
}

func writeProblem(c *fiber.Ctx, p problem) error {
	p.Title = http.StatusText(p.Status)
	p.Detail = p.Message
	c.Set(fiber.HeaderXRequestID, p.RequestID)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Status(p.Status)
	if err := c.JSON(p); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json; charset=utf-8")
	return nil
}

func fieldProblems(fields []domain.FieldError, lang language) []fieldProblem {
	if len(fields) == 0 {
		return nil
	}
	out := make([]fieldProblem, len(fields))
	for i, f := range fields {
		out[i] = fieldProblem{Field: f.Field, Code: f.Code, Message: fieldMessage(f, lang)}
	}
	return out
}
