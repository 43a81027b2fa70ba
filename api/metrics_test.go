package api

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// TestMetricsStayParseableAfterEveryRouteAndMethod sends one request to every
// route the app serves, in each method it serves it with, and then reads
// /metrics with Prometheus' own parser. Fiber reuses the memory behind
// c.Method(); a label value kept without a copy changes under the registry
// ("GETT", "POS") and two series end up with the same labels, after which
// every scrape answers 500.
func TestMetricsStayParseableAfterEveryRouteAndMethod(t *testing.T) {
	s := newTestServer(t, nil)
	param := regexp.MustCompile(`:[A-Za-z_]+\??|\*`)
	sent := 0
	for round := 0; round < 2; round++ { // the second round meets the series the first one made
		for _, r := range s.app.GetRoutes(true) {
			path := param.ReplaceAllString(r.Path, "1")
			req := httptest.NewRequest(r.Method, path, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			s.do(t, req)
			sent++
		}
	}
	if sent < 50 {
		t.Fatalf("walked only %d routes; the router walk is broken", sent)
	}
	a := s.do(t, httptest.NewRequest("GET", "/metrics", nil))
	if a.status != http.StatusOK {
		t.Fatalf("GET /metrics after %d requests answered %d: %s", sent, a.status, a.raw)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(a.raw))
	if err != nil {
		t.Fatalf("/metrics does not parse with Prometheus' text parser: %v", err)
	}
	real := map[string]bool{"GET": true, "HEAD": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "OPTIONS": true, "CONNECT": true, "TRACE": true}
	for _, name := range []string{"tiaojie_http_requests_total", "tiaojie_http_request_duration_seconds"} {
		f, ok := families[name]
		if !ok {
			t.Fatalf("/metrics lacks %s", name)
		}
		for _, m := range f.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "method" && !real[l.GetValue()] {
					t.Errorf("%s has method label %q, which is no HTTP method", name, l.GetValue())
				}
			}
		}
	}
}
