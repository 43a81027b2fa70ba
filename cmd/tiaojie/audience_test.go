package main

import (
	"strings"
	"testing"

	"github.com/tiaojie/tiaojie/domain"
)

// Role-shaped answers (issue 15 item 8): the filer sees their matter without
// the case file — no risk assessment, review or reviewers' comments — and
// staff see who filed, the phone in full only for those who work the case.
func TestFilerAndStaffSeeTheirOwnViewOfARequest(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	const riskNotes, comment = "当事人情绪激动有报复倾向", "记录完整可以报批"

	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "楼上漏水多次协商未果", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, filed, 201, "")
	id := filed.id()
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三"}, "summary": "双方同意赔偿"}},
		"outcome":  "agreed", "risk_score": 85, "risk_notes": riskNotes, "agreement": map[string]any{"terms": "赔偿维修费800元"}}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve", "comment": comment}), 200, "")

	// The filer: the outcome and agreement, none of the case file.
	mine := do(t, a, "GET", path("/api/v1/requests/%d", id), citizen, nil)
	expect(t, mine, 200, "")
	for _, secret := range []string{riskNotes, comment, `"risk_score"`, `"risk_notes"`, `"reviews"`, `"review"`, `"filer"`} {
		if strings.Contains(string(mine.raw), secret) {
			t.Errorf("the filer's answer holds staff-only %s: %s", secret, mine.raw)
		}
	}
	if rec, _ := mine.body["record"].(map[string]any); rec == nil || rec["outcome"] != "agreed" || rec["agreement"] == nil {
		t.Errorf("the filer should see the outcome and agreement: %v", mine.body["record"])
	}
	list := do(t, a, "GET", "/api/v1/requests", citizen, nil)
	expect(t, list, 200, "")
	if strings.Contains(string(list.raw), `"filer"`) {
		t.Errorf("the filer's list carries the staff's filer field: %s", list.raw)
	}

	// Staff: the whole record and who filed.
	filerOf := func(r reply) map[string]any {
		t.Helper()
		f, _ := r.body["filer"].(map[string]any)
		if f == nil {
			t.Fatalf("a staff answer lacks the filer: %s", r.raw)
		}
		return f
	}
	theirs := do(t, a, "GET", path("/api/v1/requests/%d", id), lawyer, nil)
	expect(t, theirs, 200, "")
	if f := filerOf(theirs); f["phone"] != DemoCitizenPhone {
		t.Errorf("the lead lawyer calls the filer back: phone %v, want it in full", f["phone"])
	}
	if !strings.Contains(string(theirs.raw), riskNotes) || !strings.Contains(string(theirs.raw), comment) {
		t.Errorf("the lead lawyer lost the case file: %s", theirs.raw)
	}
	if f := filerOf(do(t, a, "GET", path("/api/v1/requests/%d", id), supervisor, nil)); f["phone"] != domain.MaskPhone(DemoCitizenPhone) {
		t.Errorf("a supervisor not working the case sees the phone masked, got %v", f["phone"])
	}
	staffList := do(t, a, "GET", "/api/v1/requests", police, nil)
	expect(t, staffList, 200, "")
	items, _ := staffList.body["items"].([]any)
	if len(items) == 0 {
		t.Fatalf("police list: %s", staffList.raw)
	}
	if it, _ := items[0].(map[string]any); it["filer"] == nil {
		t.Errorf("the police list lacks the filer: %s", staffList.raw)
	}
}
