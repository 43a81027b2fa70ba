package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// A law firm's own view through the API with the demo accounts on MariaDB
// and Redis: lawyer2 heads 重庆渝北律师事务所 (firm_head) and sees its
// lawyers' attendance, its cases, its assessment and its subsidy line —
// never another firm's; lawyer1, a plain lawyer of the same firm, still
// gets 403 on the firm's figures; admins give the role only to a lawyer of
// a firm.
func TestLawFirmHeadSeesTheirOwnFirm(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	head, _ := staffLogin(t, a, "lawyer2")
	plain, _ := staffLogin(t, a, "lawyer1")
	police1, _ := staffLogin(t, a, "police1")
	police2, _ := staffLogin(t, a, "police2")
	sup, _ := staffLogin(t, a, "supervisor1")
	admin, _ := staffLogin(t, a, "admin")
	firm1, firm2 := orgID(t, a, "重庆渝北律师事务所"), orgID(t, a, "重庆两江律师事务所")
	lawyer1, lawyer2, lawyer3 := demoUserNamed(t, a, "lawyer1"), demoUserNamed(t, a, "lawyer2"), demoUserNamed(t, a, "lawyer3")

	// A case led by lawyer1 (firm 1) and one led by lawyer3 (firm 2).
	ours := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "楼上漏水多次协商未果", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": lawyer1})
	expect(t, ours, 201, "")
	theirs := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "traffic",
		"description": "电动车剐蹭赔偿纠纷", "station_id": stationID(t, a, "回兴派出所"), "lawyer_id": lawyer3})
	expect(t, theirs, 201, "")
	for _, c := range []struct {
		id     int64
		police string
		lead   int64
	}{{ours.id(), police1, lawyer1}, {theirs.id(), police2, lawyer3}} {
		r := do(t, a, "POST", path("/api/v1/requests/%d/screen", c.id), c.police, map[string]any{"classification": "civil"})
		expect(t, r, 200, "")
		if lead, _ := r.body["lead_id"].(float64); int64(lead) != c.lead {
			t.Fatalf("case %d led by %v, want %d: %s", c.id, r.body["lead_id"], c.lead, r.raw)
		}
	}
	listed := func(token string) []int64 {
		r := do(t, a, "GET", "/api/v1/requests?limit=100", token, nil)
		expect(t, r, 200, "")
		var ids []int64
		for _, it := range r.body["items"].([]any) {
			ids = append(ids, int64(it.(map[string]any)["id"].(float64)))
		}
		return ids
	}
	if ids := listed(head); !slices.Contains(ids, ours.id()) || slices.Contains(ids, theirs.id()) {
		t.Errorf("the head lists %v: want their firm's case %d and not the other firm's %d", ids, ours.id(), theirs.id())
	}
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", ours.id()), head, nil), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", theirs.id()), head, nil), 404, "request.not_found")
	// A plain lawyer of the firm still sees only their own cases.
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", ours.id()), staffToken(t, a, "lawyer4"), nil), 404, "request.not_found")

	month := time.Now().In(a.cfg.HTTP.Location).Format("2006-01")
	att := do(t, a, "GET", "/api/v1/duty/attendance?month="+month, head, nil)
	expect(t, att, 200, "")
	var people []int64
	for _, l := range att.body["lawyers"].([]any) {
		people = append(people, int64(l.(map[string]any)["lawyer_id"].(float64)))
	}
	if slices.Sort(people); fmt.Sprint(people) != fmt.Sprint([]int64{min(lawyer1, lawyer2), max(lawyer1, lawyer2)}) {
		t.Errorf("the head's attendance lists %v, want the firm's lawyers %d and %d: %s", people, lawyer1, lawyer2, att.raw)
	}
	expect(t, do(t, a, "GET", fmt.Sprintf("/api/v1/duty/attendance?month=%s&firm_id=%d", month, firm2), head, nil), 403, "firm.not_yours")
	if own := do(t, a, "GET", "/api/v1/duty/attendance?month="+month, plain, nil); len(own.body["lawyers"].([]any)) != 1 {
		t.Errorf("a plain lawyer sees others' attendance: %s", own.raw)
	}

	expect(t, do(t, a, "POST", "/api/v1/assessments/run", sup, map[string]any{"month": month}), 200, "")
	for _, report := range []struct{ path, key string }{{"/api/v1/assessments?month=" + month, ""}, {"/api/v1/reports/subsidies?month=" + month, "firms"}} {
		r := do(t, a, "GET", report.path, head, nil)
		expect(t, r, 200, "")
		var rows []map[string]any
		raw := r.raw
		if report.key != "" {
			raw, _ = json.Marshal(r.body[report.key])
		}
		if err := json.Unmarshal(raw, &rows); err != nil {
			t.Fatalf("%s: %v %s", report.path, err, r.raw)
		}
		if len(rows) != 1 || int64(rows[0]["firm_id"].(float64)) != firm1 {
			t.Errorf("%s for the head: %s, want their firm %d only", report.path, r.raw, firm1)
		}
		if all := do(t, a, "GET", report.path, sup, nil); len(all.raw) <= len(r.raw) {
			t.Errorf("%s: the supervisor sees no more than the head: %s", report.path, all.raw)
		}
		expect(t, do(t, a, "GET", report.path, plain, nil), 403, "auth.role_forbidden")
	}

	// Admins give the role to a lawyer of a firm, with lawyer.
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", lawyer1), admin, map[string]any{"roles": []string{"firm_head"}}), 422, "validation.failed")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", demoUserNamed(t, a, "mediator1")), admin,
		map[string]any{"roles": []string{"lawyer", "firm_head"}}), 409, "user.no_firm")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", lawyer3), admin, map[string]any{"roles": []string{"lawyer", "firm_head"}}), 200, "")
	head2 := staffToken(t, a, "lawyer3")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", theirs.id()), head2, nil), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", ours.id()), head2, nil), 404, "request.not_found")
}

func staffToken(t *testing.T, a *application, username string) string {
	t.Helper()
	tok, _ := staffLogin(t, a, username)
	return tok
}
