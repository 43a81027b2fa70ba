package logging_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/infra/logging"
)

func TestLoggerNeverWritesPersonalData(t *testing.T) {
	var buf bytes.Buffer
	log := logging.New(&buf, slog.LevelDebug, "json")
	log.Info("sms sent to 13800138000",
		"to", "13800138000",
		"phone", "masked-anyway",
		"err", errors.New("upstream rejected 13800138000 with id 330102199001011234"),
		"authorization", "Bearer abc",
		"refresh_token", "opaque-value",
		"path", "/x?token=eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl",
	)
	out := buf.String()
	for _, leak := range []string{"13800138000", "330102199001011234", "Bearer abc", "opaque-value", "eyJhbGci", "masked-anyway"} {
		if strings.Contains(out, leak) {
			t.Errorf("log line contains %q: %s", leak, out)
		}
	}
	if !strings.Contains(out, "138****8000") {
		t.Errorf("masked phone missing from %s", out)
	}
}

func TestParseLevel(t *testing.T) {
	for _, ok := range []string{"debug", "INFO", "warn", "error"} {
		if _, err := logging.ParseLevel(ok); err != nil {
			t.Errorf("ParseLevel(%q): %v", ok, err)
		}
	}
	if _, err := logging.ParseLevel("loud"); err == nil {
		t.Error("ParseLevel(loud) must fail")
	}
}
