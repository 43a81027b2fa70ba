package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"regexp"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"
)

type ctxKey int

const requestIDKey ctxKey = iota

// A client or proxy may pass its own request ID, if it looks like one; any
// other value would let a caller write arbitrary text into our logs.
var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{8,64}$`)

func (s *Server) assignRequestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !validRequestID.MatchString(id) {
		id = newRequestID()
	} else {
		id = utils.CopyString(id)
	}
	c.Locals(requestIDKey, id)
	c.Set(fiber.HeaderXRequestID, id)
	c.SetUserContext(context.WithValue(c.UserContext(), requestIDKey, id))
	return c.Next()
}

func newRequestID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestID returns the ID of the request, making one for requests that
// failed before any middleware ran (fasthttp's body-too-large).
func requestID(c *fiber.Ctx) string {
	if id, ok := c.Locals(requestIDKey).(string); ok {
		return id
	}
	id := newRequestID()
	c.Locals(requestIDKey, id)
	return id
}

// RequestIDFrom returns the request ID carried by a handler's context.
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// observe writes the access log line and the request metrics. It renders
// errors itself (through the one error handler) so that the status it logs
// is the status sent. The line holds the route pattern, never the raw path
// or query, which may carry personal data.
func (s *Server) observe(c *fiber.Ctx) error {
	start := time.Now()
	before := c.Route()
	if err := c.Next(); err != nil {
		if herr := s.handleError(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	route := c.Route().Path
	if c.Route() == before {
		route = "unmatched" // no route took it: do not turn arbitrary paths into metric labels
	}
	status := c.Response().StatusCode()
	elapsed := time.Since(start)
	// Labels are kept for ever: the method is one of our constants, the route
	// a copy (Fiber's strings are views of buffers the next request reuses).
	method := methodLabel(c.Method())
	s.metrics.observe(method, utils.CopyString(route), status, elapsed)
	level := accessLogLevel(status)
	s.log.Log(c.UserContext(), level, "request",
		"request_id", requestID(c),
		"method", method,
		"route", route,
		"status", status,
		"duration_ms", float64(elapsed.Microseconds())/1000,
		"bytes_out", len(c.Response().Body()),
		"ip", s.clientIP(c),
	)
	return nil
}

func accessLogLevel(status int) slog.Level {
	if status >= 500 {
		return slog.LevelError
	}
	return slog.LevelInfo
}

// recoverPanic turns a panic into an internal error (answered 500 with only
// the request ID) and logs the stack once.
func (s *Server) recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("panic", "request_id", requestID(c), "route", c.Route().Path, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	return c.Next()
}

// securityHeaders are the defaults for a JSON API; pages that render HTML set
// their own Content-Security-Policy.
func securityHeaders(c *fiber.Ctx) error {
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderXFrameOptions, "DENY")
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")
	if strings.HasPrefix(c.Path(), "/api/") {
		c.Set(fiber.HeaderCacheControl, "no-store")
	}
	return c.Next()
}

// retryAfterSeconds formats a wait for the Retry-After header.
func retryAfterSeconds(d time.Duration) string {
	return strconv.Itoa(int((d + time.Second - 1) / time.Second))
}
