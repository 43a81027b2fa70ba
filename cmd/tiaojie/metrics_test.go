package main

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// The whole served app, every route in every method it serves, twice; then
// /metrics still answers and parses with Prometheus' own text parser, and
// every method label is an HTTP method. (Fiber reuses the method string's
// memory; kept without a copy it turned into "GETT" and "POS" and, once two
// series collided, every scrape answered 500.)
func TestMetricsParseAfterEveryRouteAndMethod(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	param := regexp.MustCompile(`:[A-Za-z_]+\??|\*`)
	routes := a.http.App().GetRoutes(true)
	if len(routes) < 100 {
		t.Fatalf("the router lists only %d routes", len(routes))
	}
	for round := 0; round < 2; round++ {
		for _, r := range routes {
			req := httptest.NewRequest(r.Method, param.ReplaceAllString(r.Path, "1"), strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			resp, err := a.http.App().Test(req, -1)
			if err != nil {
				t.Fatalf("%s %s: %v", r.Method, r.Path, err)
			}
			resp.Body.Close()
		}
	}
	r := do(t, a, "GET", "/metrics", "", nil)
	if r.status != 200 {
		t.Fatalf("GET /metrics after every route: %d %s", r.status, r.raw)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(string(r.raw)))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	methods := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true, "CONNECT": true, "TRACE": true}
	seen := 0
	for _, m := range families["tiaojie_http_requests_total"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "method" {
				seen++
				if !methods[l.GetValue()] {
					t.Errorf("method label %q is no HTTP method", l.GetValue())
				}
			}
		}
	}
	if seen < len(routes)/2 {
		t.Fatalf("only %d request series after %d routes", seen, len(routes))
	}
}
