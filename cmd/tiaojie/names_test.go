package main

import (
	"fmt"
	"strings"
	"testing"
)

// The console names the officers and reviewers a case mentions: a lawyer
// (who may not read the user administration) gets police and supervisor
// names by ID, never a citizen's; citizens get 403; too many IDs or a bad
// list are field errors. The court picker of judicial confirmation lists
// the partner units.
func TestStaffNamesForColleagues(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer := staffToken(t, a, "lawyer1")
	police1, sup := demoUserNamed(t, a, "police1"), demoUserNamed(t, a, "supervisor1")
	me := do(t, a, "GET", "/api/v1/me", citizen, nil)
	expect(t, me, 200, "")

	r := do(t, a, "GET", fmt.Sprintf("/api/v1/staff/names?ids=%d,%d,%d,%d,999999", sup, police1, me.id(), police1), lawyer, nil)
	expect(t, r, 200, "")
	items := r.body["items"].([]any)
	var got []string
	for _, it := range items {
		got = append(got, it.(map[string]any)["name"].(string))
	}
	if strings.Join(got, ",") != "王督导,李警官" {
		t.Fatalf("names %v, want the supervisor and the officer only (no citizen, no unknown, no repeat): %s", got, r.raw)
	}
	if _, leaks := items[0].(map[string]any)["phone"]; leaks {
		t.Errorf("a name answer carries a phone: %s", r.raw)
	}
	expect(t, do(t, a, "GET", fmt.Sprintf("/api/v1/staff/names?ids=%d", police1), citizen, nil), 403, "")
	expect(t, do(t, a, "GET", "/api/v1/staff/names?ids=1,x", lawyer, nil), 422, "")
	expect(t, do(t, a, "GET", "/api/v1/staff/names?ids="+strings.Repeat("1,", 100)+"1", lawyer, nil), 422, "")

	units := do(t, a, "GET", "/api/v1/partner-units", lawyer, nil)
	expect(t, units, 200, "")
	if !strings.Contains(string(units.raw), "渝北区人民法院执行局") || strings.Contains(string(units.raw), "派出所") {
		t.Errorf("partner units: %s", units.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/partner-units", citizen, nil), 403, "")
}
