package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A test of the validator: each kind of disagreement with openapi.yaml is
// found, and what the spec and the server agree on passes.
func TestContractCheckFindsEachKindOfViolation(t *testing.T) {
	problem := `{"type":"about:blank","title":"Unprocessable Entity","status":422,"detail":"d","code":"validation.failed","message":"m","request_id":"r"}`
	probHdr := http.Header{"Content-Type": {"application/problem+json"}}
	jsonHdr := http.Header{"Content-Type": {"application/json"}}
	for _, c := range []struct {
		name, method, path, reqBody string
		status                      int
		header                      http.Header
		body                        string
		want                        string // "" for no violation
	}{
		{"a documented answer passes", "GET", "/healthz", "", 200, jsonHdr, `{"status":"ok"}`, ""},
		{"a value outside the enum is found", "GET", "/healthz", "", 200, jsonHdr, `{"status":"fine"}`, "/status"},
		{"a missing required property is found", "GET", "/healthz", "", 200, jsonHdr, `{}`, "status"},
		{"an undocumented status is found", "GET", "/healthz", "", 418, probHdr, problem, "status is not supported"},
		{"an undocumented content type is found", "GET", "/healthz", "", 200, http.Header{"Content-Type": {"text/plain"}}, "ok", "text/plain"},
		{"a bad request the server refuses passes", "POST", "/api/v1/auth/sms-code", `{"phone":1}`, 422, probHdr, problem, ""},
		{"a bad request the server accepts is found", "POST", "/api/v1/auth/sms-code", `{"phone":1}`, 202, jsonHdr, `{"sent":true,"retry_after":60}`, "spec refuses the request"},
		{"a bad request answered as a state conflict is found", "POST", "/api/v1/auth/sms-code", `{"phone":1}`, 409, probHdr, problem, "not a refusal of bad input"},
		{"a refused request still needs a documented answer", "POST", "/api/v1/auth/sms-code", `{"phone":1}`, 422, jsonHdr, `{"oops":1}`, "422"},
		{"an unknown route refused with a problem passes", "GET", "/no/such/route", "", 404, probHdr, problem, ""},
		{"an unknown route refused with plain text is found", "GET", "/no/such/route", "", 404, http.Header{"Content-Type": {"text/plain"}}, "nope", "problem+json"},
		{"an unknown route served is found", "GET", "/no/such/route", "", 200, jsonHdr, `{}`, "not in openapi.yaml"},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := httptest.NewRequest(c.method, c.path, strings.NewReader(c.reqBody))
			if c.reqBody != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			found := contractViolations(exchange{req: req, reqBody: []byte(c.reqBody), status: c.status, header: c.header, body: []byte(c.body)})
			all := strings.Join(found, "\n")
			switch {
			case c.want == "" && len(found) > 0:
				t.Fatalf("want no violation, got:\n%s", all)
			case c.want != "" && !strings.Contains(all, c.want):
				t.Fatalf("want a violation mentioning %q, got:\n%s", c.want, all)
			case c.want != "" && !strings.Contains(all, c.method+" "+c.path+" → "):
				t.Fatalf("the violation must name the exchange %s %s:\n%s", c.method, c.path, all)
			}
		})
	}
}
