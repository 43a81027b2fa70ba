package smsgate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/infra/smsgate"
)

func TestLogSenderMasksThePhone(t *testing.T) {
	var buf bytes.Buffer
	_ = smsgate.Log{Logger: slog.New(slog.NewTextHandler(&buf, nil))}.SendCode(context.Background(), "13800138000", "123456")
	if !strings.Contains(buf.String(), "sms code for 138****8000: 123456") || strings.Contains(buf.String(), "13800138000") {
		t.Fatalf("log line: %s", buf.String())
	}
}

func TestWebhookSender(t *testing.T) {
	var got map[string]string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewDecoder(r.Body).Decode(&got)
		if got["phone"] == "13900000000" {
			w.WriteHeader(http.StatusBadGateway)
		}
	}))
	defer srv.Close()
	w := &smsgate.Webhook{URL: srv.URL, Template: "login_code"}
	if err := w.SendCode(context.Background(), "13800138000", "654321"); err != nil || got["code"] != "654321" || got["template"] != "login_code" {
		t.Fatalf("sent %v, err %v", got, err)
	}
	if err := w.SendCode(context.Background(), "13900000000", "1"); err == nil {
		t.Fatal("a gateway error must be reported")
	}
}
