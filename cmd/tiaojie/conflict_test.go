package main

import (
	"testing"
)

// The conflict rule with the demo accounts on MariaDB and Redis: the lawyer
// who led a mediation is warned before appearing for its parties (filer or
// other party), also after the case was reassigned; another lawyer is not.
func TestConflictCheckThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer1, _ := staffLogin(t, a, "lawyer1")
	lawyer2, _ := staffLogin(t, a, "lawyer2")
	police, _ := staffLogin(t, a, "police1")
	l1, l2 := demoUserNamed(t, a, "lawyer1"), demoUserNamed(t, a, "lawyer2")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{
		"kind": "mediation", "category": "neighbour", "description": "楼上漏水多次协商未果", "station_id": stationID(t, a, "双凤桥派出所"),
		"lawyer_id": l1, "parties": []map[string]string{{"name": "王五", "phone": "13900000001", "relation": "邻居"}},
	}, "Idempotency-Key", "conflict-1")
	expect(t, filed, 201, "")
	id := filed.id()
	check := func(token string, body map[string]any) reply {
		t.Helper()
		return do(t, a, "POST", "/api/v1/conflict-checks", token, body)
	}
	// Filed, nobody worked on it yet: no conflict for anyone.
	if r := check(lawyer1, map[string]any{"party_phone": "13900000001"}); r.status != 200 || r.body["conflict"] != false {
		t.Fatalf("before any involvement: %d %s", r.status, r.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"}), 200, "")

	conflicted := func(token string, body map[string]any, want bool) {
		t.Helper()
		r := check(token, body)
		expect(t, r, 200, "")
		matters, _ := r.body["matters"].([]any)
		if r.body["conflict"] != want || (want && (len(matters) == 0 || int64(matters[0].(map[string]any)["request_id"].(float64)) != id)) {
			t.Fatalf("check %v: %s, want conflict=%v about request %d", body, r.raw, want, id)
		}
	}
	conflicted(lawyer1, map[string]any{"party_phone": "13900000001"}, true)
	conflicted(lawyer1, map[string]any{"party_phone": DemoCitizenPhone}, true) // the filer is a party too
	conflicted(lawyer1, map[string]any{"party_phone": "13900000002"}, false)
	conflicted(lawyer2, map[string]any{"party_phone": "13900000001"}, false)
	conflicted(police, map[string]any{"lawyer_id": l1, "party_phone": "13900000001"}, true)
	expect(t, check(police, map[string]any{"party_phone": "13900000001"}), 422, "validation.failed")
	expect(t, check(lawyer2, map[string]any{"lawyer_id": l1, "party_phone": "13900000001"}), 403, "conflict.own_only")
	expect(t, check(lawyer1, map[string]any{"party_phone": "139"}), 422, "validation.failed")

	// Reassigned: lawyer1's involvement stays on record, lawyer2's begins.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/assign", id), police, map[string]any{"lead_id": l2, "note": "改派"}), 200, "")
	conflicted(lawyer1, map[string]any{"party_phone": "13900000001"}, true)
	conflicted(lawyer2, map[string]any{"party_phone": "13900000001"}, true)
}
