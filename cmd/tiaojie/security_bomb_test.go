package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/gorilla/websocket"
)

// bomb compresses n zero bytes with the named coding: a few kilobytes that
// inflate to n.
func bomb(t *testing.T, coding string, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w io.WriteCloser
	switch coding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "deflate":
		w, _ = flate.NewWriter(&buf, flate.BestCompression)
	case "br":
		w = brotli.NewWriter(&buf)
	}
	zeros := make([]byte, 1<<20)
	for i := 0; i < n; i += len(zeros) {
		_, _ = w.Write(zeros)
	}
	_ = w.Close()
	return buf.Bytes()
}

// High (issue 16): a compressed body is refused with 415 before anything
// inflates it — on every route of the table (JSON, uploads, sockets, public
// or not), on unknown routes, for each coding Fiber would inflate, and when
// the coding hides in a list or a second header line.
func TestSecurityCompressedBodiesAreRefusedOnEveryRoute(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	police, _ := staffLogin(t, a, "police1")
	gz := bomb(t, "gzip", 64<<20)
	send := func(method, target, contentType string, body []byte, codings ...string) (int, string, http.Header) {
		t.Helper()
		req := httptest.NewRequest(method, target, bytes.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		req.Header.Set("Authorization", "Bearer "+police)
		for _, c := range codings {
			req.Header.Add("Content-Encoding", c)
		}
		resp, err := a.http.App().Test(req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw), resp.Header
	}
	policies := a.http.Policies()
	for _, p := range policies {
		target := pathParam.ReplaceAllString(p.Path, "1")
		status, raw, h := send(p.Method, target, "application/json", gz, "gzip")
		if status != 415 || !strings.Contains(raw, "request.unsupported_encoding") || h.Get("Accept-Encoding") != "identity" {
			t.Errorf("%s %s with a gzip bomb: %d %s, want 415 request.unsupported_encoding", p.Method, p.Path, status, raw)
		}
	}
	for name, c := range map[string]struct {
		target, contentType string
		body                []byte
		codings             []string
	}{
		"brotli to the SMS code":       {"/api/v1/auth/sms-code", "application/json", bomb(t, "br", 64<<20), []string{"br"}},
		"deflate to the staff login":   {"/api/v1/auth/staff-login", "application/json", bomb(t, "deflate", 64<<20), []string{"deflate"}},
		"gzip after identity":          {"/api/v1/auth/sms-code", "application/json", gz, []string{"identity, gzip"}},
		"gzip on a second header line": {"/api/v1/auth/sms-code", "application/json", gz, []string{"identity", "GZIP"}},
		"gzip multipart upload":        {"/api/v1/requests/1/attachments", "multipart/form-data; boundary=x", gz, []string{"gzip"}},
		"gzip to an unknown route":     {"/no/such/route", "application/json", gz, []string{"gzip"}},
	} {
		if status, raw, _ := send("POST", c.target, c.contentType, c.body, c.codings...); status != 415 || !strings.Contains(raw, "request.unsupported_encoding") {
			t.Errorf("%s: %d %s, want 415 request.unsupported_encoding", name, status, raw)
		}
	}
	// identity is no compression and stays accepted.
	if status, raw, _ := send("POST", "/api/v1/auth/sms-code", "application/json", []byte(`{"phone":"13800000000"}`), "identity"); status == 415 {
		t.Errorf("an identity body was refused: %s", raw)
	}
}

// The sockets never negotiate permessage-deflate: the read limits count
// frame bytes, so an inflating socket would be a bomb of its own.
func TestSecuritySocketsRefuseCompression(t *testing.T) {
	a, base, _ := dispatchApp(t, nil)
	police, _ := staffLogin(t, a, "police1")
	d := websocket.Dialer{Subprotocols: []string{"tiaojie.v1", "bearer." + police}, EnableCompression: true}
	conn, resp, err := d.Dial("ws"+strings.TrimPrefix(base, "http")+"/api/v1/staff/stream", nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	if ext := resp.Header.Get("Sec-WebSocket-Extensions"); ext != "" {
		t.Fatalf("the staff stream negotiated %q", ext)
	}
}
