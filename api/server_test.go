package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"

	tiaojie "github.com/tiaojie/tiaojie"
	"github.com/tiaojie/tiaojie/domain"
)

// syncBuffer lets the test read log lines written by Fiber's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type testServer struct {
	*Server
	logs *syncBuffer
}

// newTestServer builds the real app with its middleware and a few extra routes
// that fail in each way a handler can.
func newTestServer(t testing.TB, mutate func(*Deps)) testServer {
	t.Helper()
	logs := &syncBuffer{}
	d := Deps{
		Config:  DefaultConfig(),
		Log:     slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		OpenAPI: tiaojie.OpenAPI,
		Ready:   []Check{{Name: "database", Ping: func(context.Context) error { return nil }}},
	}
	if mutate != nil {
		mutate(&d)
	}
	s, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	s.app.Post("/test/echo", func(c *fiber.Ctx) error {
		var body struct {
			Phone string `json:"phone"`
			Count int    `json:"count"`
		}
		if err := s.decodeJSON(c, &body); err != nil {
			return err
		}
		return c.JSON(body)
	})
	s.app.Get("/test/error", func(c *fiber.Ctx) error {
		switch c.Query("kind") {
		case "domain-not-found":
			return fmt.Errorf("mysql: find case 7: %w", domain.Errorf(domain.KindNotFound, "case.not_found", "Case not found."))
		case "invalid":
			return domain.Invalid(domain.FieldError{Field: "phone", Code: domain.FieldInvalid, Message: "must be 11 digits"})
		case "rate-limited":
			e := domain.Errorf(domain.KindRateLimited, "auth.sms_too_soon", "Wait before asking again.")
			e.RetryAfter = 42_500_000_000
			return e
		case "domain-internal":
			return domain.Wrap(errors.New("dial tcp 10.0.0.5:3306: connection refused"), domain.KindInternal, "db.down", "x")
		case "raw":
			return errors.New("Error 1062 (23000): Duplicate entry '13800138000' for key 'phone'")
		case "panic":
			panic("nil map write in SELECT * FROM users")
		}
		return nil
	})
	return testServer{Server: s, logs: logs}
}

type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (s testServer) do(t testing.TB, req *http.Request) answer {
	t.Helper()
	resp, err := s.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

func TestErrorsBecomeProblemJSON(t *testing.T) {
	s := newTestServer(t, nil)
	tests := []struct {
		name        string
		method      string
		path        string
		lang        string
		wantStatus  int
		wantCode    string
		wantText    string // a substring of message
		mustNotLeak []string
	}{
		{"a wrapped domain error keeps its kind", "GET", "/test/error?kind=domain-not-found", "", 404, "case.not_found", "未找到", []string{"mysql", "find case"}},
		{"English is chosen by Accept-Language", "GET", "/test/error?kind=domain-not-found", "en-US,en;q=0.9", 404, "case.not_found", "Case not found.", nil},
		{"validation failures are 422 with fields", "GET", "/test/error?kind=invalid", "", 422, "validation.failed", "请检查", nil},
		{"rate limits are 429", "GET", "/test/error?kind=rate-limited", "", 429, "auth.sms_too_soon", "", nil},
		{"an internal domain error hides its cause", "GET", "/test/error?kind=domain-internal", "en", 500, "internal", "Internal error", []string{"10.0.0.5", "dial tcp", "db.down"}},
		{"a raw error is internal and hides SQL", "GET", "/test/error?kind=raw", "", 500, "internal", "服务器内部错误", []string{"1062", "Duplicate", "13800138000"}},
		{"a panic is 500 with no internals", "GET", "/test/error?kind=panic", "", 500, "internal", "", []string{"nil map", "SELECT"}},
		{"an unknown route is 404", "GET", "/api/v1/nope", "", 404, "route.not_found", "不存在", []string{"/api/v1/nope"}},
		{"a wrong method is 405", "DELETE", "/healthz", "", 405, "route.method_not_allowed", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.lang != "" {
				req.Header.Set("Accept-Language", tt.lang)
			}
			a := s.do(t, req)
			if a.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.status, tt.wantStatus, a.raw)
			}
			if ct := a.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Fatalf("content type %q, want application/problem+json", ct)
			}
			if a.body["code"] != tt.wantCode {
				t.Fatalf("code %v, want %s: %s", a.body["code"], tt.wantCode, a.raw)
			}
			if a.body["status"] != float64(tt.wantStatus) || a.body["title"] == "" || a.body["type"] != "about:blank" {
				t.Fatalf("not an RFC 9457 problem: %s", a.raw)
			}
			if !strings.Contains(fmt.Sprint(a.body["message"]), tt.wantText) {
				t.Fatalf("message %q does not contain %q", a.body["message"], tt.wantText)
			}
			rid, _ := a.body["request_id"].(string)
			if rid == "" || rid != a.header.Get("X-Request-Id") {
				t.Fatalf("request_id %q must be set and equal the X-Request-ID header %q", rid, a.header.Get("X-Request-Id"))
			}
			for _, leak := range tt.mustNotLeak {
				if strings.Contains(a.raw, leak) {
					t.Fatalf("answer leaks %q: %s", leak, a.raw)
				}
			}
		})
	}
}

func TestRateLimitedAnswerSaysWhenToRetry(t *testing.T) {
	a := newTestServer(t, nil).do(t, httptest.NewRequest("GET", "/test/error?kind=rate-limited", nil))
	if got := a.header.Get("Retry-After"); got != "43" {
		t.Fatalf("Retry-After = %q, want 43 (42.5 s rounded up)", got)
	}
	if msg, _ := a.body["message"].(string); !strings.Contains(msg, "43 秒") {
		t.Fatalf("the Chinese message %q does not say how long to wait", msg)
	}
}

func TestValidationProblemListsFields(t *testing.T) {
	a := newTestServer(t, nil).do(t, httptest.NewRequest("GET", "/test/error?kind=invalid", nil))
	errs, _ := a.body["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors = %v, want one field error", a.body["errors"])
	}
	f := errs[0].(map[string]any)
	if f["field"] != "phone" || f["code"] != "invalid_format" || f["message"] != "格式不正确" {
		t.Fatalf("field error %v", f)
	}
}

func TestInternalErrorsAreLoggedOnceWithTheRequestID(t *testing.T) {
	s := newTestServer(t, nil)
	a := s.do(t, httptest.NewRequest("GET", "/test/error?kind=raw", nil))
	rid := a.body["request_id"].(string)
	logs := s.logs.String()
	if n := strings.Count(logs, `"msg":"internal error"`); n != 1 {
		t.Fatalf("internal error logged %d times, want once:\n%s", n, logs)
	}
	if !strings.Contains(logs, rid) {
		t.Fatalf("log does not carry request id %s:\n%s", rid, logs)
	}
}

func TestBadBodies(t *testing.T) {
	s := newTestServer(t, func(d *Deps) { d.Config.JSONLimit = 1 << 10 })
	tests := []struct {
		name        string
		contentType string
		body        string
		wantStatus  int
		wantCode    string
	}{
		{"malformed JSON", "application/json", `{"phone": "138`, 400, "request.malformed_json"},
		{"two JSON values", "application/json", `{"phone":"1"} {"phone":"2"}`, 400, "request.malformed_json"},
		{"an empty body", "application/json", ``, 400, "request.empty_body"},
		{"a wrong content type", "text/plain", `{"phone":"1"}`, 415, "request.unsupported_media_type"},
		{"no content type", "", `{"phone":"1"}`, 415, "request.unsupported_media_type"},
		{"a form instead of JSON", "application/x-www-form-urlencoded", `phone=1`, 415, "request.unsupported_media_type"},
		{"a JSON body over the JSON limit", "application/json", `{"phone":"` + strings.Repeat("1", 2000) + `"}`, 413, "request.too_large"},
		{"an unknown field (mass assignment)", "application/json", `{"phone":"1","role":"admin"}`, 422, "validation.failed"},
		{"a field of the wrong type", "application/json", `{"count":"many"}`, 422, "validation.failed"},
		{"a JSON array", "application/json", `[1,2]`, 400, "request.malformed_json"},
		{"good JSON with charset", "application/json; charset=utf-8", `{"phone":"1","count":2}`, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest("POST", "/test/echo", strings.NewReader(tt.body))
			if tt.contentType != "" {
				req.Header.Set("Content-Type", tt.contentType)
			}
			a := s.do(t, req)
			if a.status != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", a.status, tt.wantStatus, a.raw)
			}
			if tt.wantCode != "" && a.body["code"] != tt.wantCode {
				t.Fatalf("code %v, want %s: %s", a.body["code"], tt.wantCode, a.raw)
			}
		})
	}
}

func TestAccessLogHoldsNoPersonalData(t *testing.T) {
	s := newTestServer(t, nil)
	req := httptest.NewRequest("POST", "/test/echo?phone=13912345678&token=abc", strings.NewReader(`{"phone":"13912345678"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl")
	s.do(t, req)
	s.do(t, httptest.NewRequest("GET", "/api/v1/users/13912345678", nil))
	logs := s.logs.String()
	if !strings.Contains(logs, `"route":"/test/echo"`) || !strings.Contains(logs, `"route":"unmatched"`) {
		t.Fatalf("access log lines missing:\n%s", logs)
	}
	for _, leak := range []string{"13912345678", "eyJhbGci", "token=abc", "Bearer"} {
		if strings.Contains(logs, leak) {
			t.Fatalf("access log contains %q:\n%s", leak, logs)
		}
	}
}

func TestRequestIDIsTakenOnlyWhenItLooksLikeOne(t *testing.T) {
	s := newTestServer(t, nil)
	req := httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-ID", "edge-7f3a9c21")
	if got := s.do(t, req).header.Get("X-Request-Id"); got != "edge-7f3a9c21" {
		t.Fatalf("a well-formed incoming ID must be kept, got %q", got)
	}
	req = httptest.NewRequest("GET", "/healthz", nil)
	req.Header.Set("X-Request-ID", "x\"} injected {\"a")
	if got := s.do(t, req).header.Get("X-Request-Id"); strings.Contains(got, "injected") || got == "" {
		t.Fatalf("a malformed incoming ID must be replaced, got %q", got)
	}
}

func TestReadinessNamesTheFailedDependency(t *testing.T) {
	var redisDown bool
	s := newTestServer(t, func(d *Deps) {
		d.Ready = append(d.Ready, Check{Name: "redis", Ping: func(context.Context) error {
			if redisDown {
				return errors.New("dial tcp 127.0.0.1:6379: connection refused")
			}
			return nil
		}})
	})
	if a := s.do(t, httptest.NewRequest("GET", "/readyz", nil)); a.status != 200 {
		t.Fatalf("ready: %d %s", a.status, a.raw)
	}
	redisDown = true
	a := s.do(t, httptest.NewRequest("GET", "/readyz", nil))
	checks, _ := a.body["checks"].(map[string]any)
	if a.status != 503 || checks["redis"] != "unavailable" || checks["database"] != "ok" {
		t.Fatalf("want 503 naming redis, got %d %s", a.status, a.raw)
	}
	if strings.Contains(a.raw, "6379") {
		t.Fatalf("readiness leaks the cause: %s", a.raw)
	}
	redisDown = false
	s.stopping.Store(true)
	if a := s.do(t, httptest.NewRequest("GET", "/readyz", nil)); a.status != 503 {
		t.Fatalf("a stopping server must not be ready: %d", a.status)
	}
}

func TestMetricsCountRequestsByRoutePattern(t *testing.T) {
	s := newTestServer(t, nil)
	s.do(t, httptest.NewRequest("GET", "/healthz", nil))
	s.do(t, httptest.NewRequest("GET", "/no/such/13912345678", nil))
	a := s.do(t, httptest.NewRequest("GET", "/metrics", nil))
	for _, want := range []string{
		`tiaojie_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`tiaojie_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`tiaojie_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="0.005"}`,
	} {
		if !strings.Contains(a.raw, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(a.raw, "13912345678") {
		t.Error("an unmatched path became a metric label")
	}
}

func TestDocsPageRendersTheContractOffline(t *testing.T) {
	s := newTestServer(t, nil)
	a := s.do(t, httptest.NewRequest("GET", "/docs", nil))
	if a.status != 200 || !strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		t.Fatalf("docs: %d %s", a.status, a.header.Get("Content-Type"))
	}
	for _, want := range []string{"/readyz", "Tiaojie", "/openapi.yaml"} {
		if !strings.Contains(a.raw, want) {
			t.Errorf("docs page lacks %q", want)
		}
	}
	for _, external := range []string{"http://", "https://", "<script"} {
		if strings.Contains(strings.ReplaceAll(a.raw, "http://localhost:8080", ""), external) {
			t.Errorf("docs page refers to %q: it must work offline with no scripts", external)
		}
	}
	y := s.do(t, httptest.NewRequest("GET", "/openapi.yaml", nil))
	if y.status != 200 || y.raw != string(tiaojie.OpenAPI) {
		t.Fatal("/openapi.yaml must serve the embedded contract as is")
	}
}

func TestCORSAllowsOnlyConfiguredOrigins(t *testing.T) {
	s := newTestServer(t, func(d *Deps) { d.Config.CORSOrigins = []string{"https://app.tiaojie.example"} })
	for _, tt := range []struct {
		origin string
		want   string
	}{
		{"https://app.tiaojie.example", "https://app.tiaojie.example"},
		{"https://evil.example", ""},
	} {
		req := httptest.NewRequest("OPTIONS", "/healthz", nil)
		req.Header.Set("Origin", tt.origin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		a := s.do(t, req)
		if got := a.header.Get("Access-Control-Allow-Origin"); got != tt.want {
			t.Errorf("origin %s: Access-Control-Allow-Origin %q, want %q", tt.origin, got, tt.want)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	a := newTestServer(t, nil).do(t, httptest.NewRequest("GET", "/healthz", nil))
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "no-referrer",
	} {
		if got := a.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
}
