package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"
)

// Medium 11 (issue 16): requests with several methods to an unknown route
// do not break /metrics (the method label was a string in Fiber's reused
// request buffer, so stored labels changed under the registry).
//
// Straight to the server: fasthttp refuses the unknown method FOO itself
// (a plain-text 400, before any handler of ours), which is not a contract
// question.
func TestSecurityOddMethodsDoNotBreakMetrics(t *testing.T) {
	_, base := startAppDirect(t, testConfig(t, nil), nil)
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

// Low (issue 16): a staff name typed as a formula reaches a CSV report as
// text, never as a formula.
func TestSecurityCSVReportsCarryNoFormulas(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	station := stationID(t, a, "双凤桥派出所")
	firm := demoUserOrg(t, a, "lawyer1")
	if _, err := a.svc.accounts.CreateStaff(t.Context(), domain.System, account.NewStaff{Username: "lawyer9", Name: "=HYPERLINK(\"http://x\",\"点\")",
		Password: DemoPassword, Roles: []string{account.RoleLawyer}, OrgID: firm, FirmID: firm, StationIDs: []int64{station}}); err != nil {
		t.Fatal(err)
	}
	sup, _ := staffLogin(t, a, "supervisor1")
	csv := do(t, a, "GET", "/api/v1/duty/attendance?month=2026-11&format=csv", sup, nil)
	expect(t, csv, 200, "")
	body := string(csv.raw)
	if !strings.Contains(body, `'=HYPERLINK`) || strings.Contains(body, `,"=HYPERLINK`) || strings.Contains(body, ",=HYPERLINK") {
		t.Fatalf("the formula name is not defused: %s", body)
	}
	if d := csv.header.Get("Content-Disposition"); d != `attachment; filename="attendance-2026-11.csv"` {
		t.Fatalf("Content-Disposition %q", d)
	}
}
