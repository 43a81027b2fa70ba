// Package logging builds the application's structured logger. Whatever a
// caller passes, phone numbers, ID numbers and tokens are masked before a
// line is written, and attributes whose names say "secret" are dropped.
package logging

import (
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/tiaojie/tiaojie/domain"
)

// ParseLevel reads debug, info, warn or error.
func ParseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(strings.TrimSpace(s))); err != nil {
		return 0, fmt.Errorf("log level %q: want debug, info, warn or error", s)
	}
	return l, nil
}

// New returns a JSON logger at level writing to w ("text" format for people
// reading a terminal).
func New(w io.Writer, level slog.Level, format string) *slog.Logger {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: redact}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, opts))
	}
	return slog.New(slog.NewJSONHandler(w, opts))
}

var secretKeys = []string{"password", "token", "secret", "authorization", "cookie", "otp", "sms_code", "id_number", "phone"}

func redact(_ []string, a slog.Attr) slog.Attr {
	key := strings.ToLower(a.Key)
	for _, s := range secretKeys {
		if strings.Contains(key, s) {
			return slog.String(a.Key, "[redacted]")
		}
	}
	switch a.Value.Kind() {
	case slog.KindString:
		return slog.String(a.Key, domain.RedactPersonalData(a.Value.String()))
	case slog.KindAny:
		if err, ok := a.Value.Any().(error); ok {
			return slog.String(a.Key, domain.RedactPersonalData(err.Error()))
		}
		if s, ok := a.Value.Any().(fmt.Stringer); ok {
			return slog.String(a.Key, domain.RedactPersonalData(s.String()))
		}
	}
	return a
}
