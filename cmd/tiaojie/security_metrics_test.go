package main

import (
	"net/http"
	"strings"
	"testing"
)

// Medium 11 (issue 16): requests with several methods to an unknown route
// do not break /metrics (the method label was a string in Fiber's reused
// request buffer, so stored labels changed under the registry).
func TestSecurityOddMethodsDoNotBreakMetrics(t *testing.T) {
	_, base := startApp(t, testConfig(t, nil), nil)
	for i := 0; i < 20; i++ {
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE", "FOO"} {
			req, _ := http.NewRequest(m, base+"/no/such/route", nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
		}
	}
	for i := 0; i < 3; i++ {
		resp, body := get(t, base+"/metrics")
		if resp.StatusCode != 200 {
			t.Fatalf("/metrics answered %d: %.300s", resp.StatusCode, body)
		}
		if lines := metricLines(body, `route="unmatched"`); strings.Contains(lines, `method="FOO"`) || !strings.Contains(lines, `method="DELETE"`) {
			t.Fatalf("the unknown route's requests by method: %.2000s", lines)
		}
	}
}

func metricLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
