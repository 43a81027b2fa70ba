package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// The people directory feeds the console's pickers (issue 17): a justice
// office's worker lists the staff of the area's three offices by unit and
// role, with names and units and nothing that reaches them; a second
// district's staff and units stay out both ways; a lawyer of a firm sees
// the districts of the stations they serve; citizens get 403.
func TestStaffPeopleDirectory(t *testing.T) {
	a, box, _ := integrationApp(t) // MariaDB: the subtree and serving filters are SQL
	other := newOtherDistrict(t, a)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	justice, _ := staffLogin(t, a, "justice1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police1, legal1, justice1 := demoUserNamed(t, a, "police1"), demoUserNamed(t, a, "legal1"), demoUserNamed(t, a, "justice1")
	station1 := stationID(t, a, "双凤桥派出所")
	legalOffice := demoUserOrg(t, a, "legal1")

	type person struct {
		ID       int64    `json:"id"`
		Name     string   `json:"name"`
		Roles    []string `json:"roles"`
		UnitID   int64    `json:"unit_id"`
		UnitName string   `json:"unit_name"`
	}
	list := func(token, query string) []person {
		t.Helper()
		r := do(t, a, "GET", "/api/v1/staff/people"+query, token, nil)
		expect(t, r, 200, "")
		if strings.Contains(string(r.raw), "phone") || strings.Contains(string(r.raw), "username") {
			t.Errorf("the directory reaches people: %s", r.raw)
		}
		var out []person
		for _, it := range r.body["items"].([]any) {
			m := it.(map[string]any)
			p := person{ID: int64(m["id"].(float64)), Name: m["name"].(string), UnitID: int64(m["unit_id"].(float64)), UnitName: m["unit_name"].(string)}
			for _, r := range m["roles"].([]any) {
				p.Roles = append(p.Roles, r.(string))
			}
			out = append(out, p)
		}
		return out
	}
	ids := func(ps []person) []int64 {
		var out []int64
		for _, p := range ps {
			out = append(out, p.ID)
		}
		return out
	}

	// In scope: the district's staff, by unit and by role.
	all := ids(list(justice, ""))
	for _, want := range []int64{police1, legal1, justice1} {
		if !slices.Contains(all, want) {
			t.Errorf("justice1's directory %v lacks %d", all, want)
		}
	}
	if slices.Contains(all, other.poID) || slices.Contains(all, other.adminID) {
		t.Errorf("justice1's directory %v names another district's staff", all)
	}
	officers := list(justice, fmt.Sprintf("?unit_id=%d&role=police", station1))
	if len(officers) != 1 || officers[0].ID != police1 || officers[0].Name != "李警官" || officers[0].UnitName != "双凤桥派出所" {
		t.Errorf("the station's officers: %+v, want 李警官 only", officers)
	}
	if got := list(justice, fmt.Sprintf("?unit_id=%d", legalOffice)); len(got) != 1 || got[0].ID != legal1 {
		t.Errorf("the legal-service office's staff: %+v, want legal1", got)
	}
	// A station's directory includes the lawyers serving it.
	if got := ids(list(justice, fmt.Sprintf("?unit_id=%d&role=lawyer", station1))); !slices.Contains(got, demoUserNamed(t, a, "lawyer1")) {
		t.Errorf("the station's lawyers %v lack lawyer1", got)
	}
	// A lawyer's firm stands beside the trees: the districts of their stations.
	if got := ids(list(lawyer, "?role=police")); !slices.Contains(got, police1) || slices.Contains(got, other.poID) {
		t.Errorf("lawyer1's officers %v: want police1, not the other district's", got)
	}

	// Out of scope, both ways: another district's unit is not found.
	expect(t, do(t, a, "GET", fmt.Sprintf("/api/v1/staff/people?unit_id=%d", other.station), justice, nil), 404, "org.not_found")
	expect(t, do(t, a, "GET", fmt.Sprintf("/api/v1/staff/people?unit_id=%d", station1), other.police, nil), 404, "org.not_found")
	if got := ids(list(other.supervisor, "")); slices.Contains(got, police1) || !slices.Contains(got, other.poID) {
		t.Errorf("the other district's directory %v: want their officer, not police1", got)
	}
	expect(t, do(t, a, "GET", "/api/v1/staff/people?unit_id=99999999", justice, nil), 404, "org.not_found")
	expect(t, do(t, a, "GET", "/api/v1/staff/people?role=citizen", justice, nil), 422, "")
	expect(t, do(t, a, "GET", "/api/v1/staff/people?unit_id=x", justice, nil), 422, "")
	expect(t, do(t, a, "GET", "/api/v1/staff/people", citizen, nil), 403, "")
}
