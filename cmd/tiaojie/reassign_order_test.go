package main

import (
	"testing"

	"github.com/tiaojie/tiaojie/domain/workorder"
)

// A case reassigned while in mediation gives the newcomer an assignment
// order that no start will finish (the case started long ago): the
// newcomer's own work on the case — a room opened, a record saved —
// finishes it, and someone else's work does not.
func TestTheNewcomersOwnWorkFinishesTheirAssignmentOrder(t *testing.T) {
	a, box, _ := integrationApp(t)
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	lawyer1, _ := staffLogin(t, a, "lawyer1")
	lawyer2, _ := staffLogin(t, a, "lawyer2")
	l1, l2 := userIDOf(t, a, "lawyer1"), userIDOf(t, a, "lawyer2")
	ordersOf := func(id, person int64) []workorder.Order {
		t.Helper()
		all, err := a.svc.dispatch.store.OrdersAbout(t.Context(), "request", id)
		if err != nil {
			t.Fatal(err)
		}
		var out []workorder.Order
		for _, o := range all {
			if o.Kind == workorder.KindAssignment && o.PersonID == person {
				out = append(out, o)
			}
		}
		return out
	}
	// Two cases in mediation under lawyer1, each handed to lawyer2.
	var ids []int64
	for _, text := range []string{"楼上漏水多次协商未果", "邻居噪音扰民", "共用过道堆放杂物"} {
		filed := do(t, a, "POST", "/api/v1/requests", family, map[string]any{"kind": "mediation", "category": "neighbour",
			"description": text, "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": l1})
		expect(t, filed, 201, "")
		id := filed.id()
		expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"}), 200, "")
		expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer1, map[string]any{"action": "start"}), 200, "")
		if o := ordersOf(id, l1); len(o) != 1 || o[0].State != workorder.Completed {
			t.Fatalf("lawyer1's order after the start: %+v", o)
		}
		expect(t, do(t, a, "POST", path("/api/v1/requests/%d/assign", id), police, map[string]any{"lead_id": l2, "note": "原主调出差"}), 200, "")
		if o := ordersOf(id, l2); len(o) != 1 || !o[0].State.Open() {
			t.Fatalf("lawyer2's order after the reassignment: %+v", o)
		}
		ids = append(ids, id)
	}

	// The assistant opening a room is their work, not the newcomer's.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/rooms", ids[0]), police, nil), 201, "")
	if o := ordersOf(ids[0], l2); len(o) != 1 || !o[0].State.Open() {
		t.Fatalf("the assistant's room ended lawyer2's order: %+v", o)
	}
	// The newcomer's first record saved finishes theirs…
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", ids[0]), lawyer2, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "继续调解"}},
		"outcome":  "agreed", "risk_score": 20, "agreement": map[string]any{"terms": "赔偿维修费800元", "amount_fen": 80000},
	}), 200, "")
	if o := ordersOf(ids[0], l2); len(o) != 1 || o[0].State != workorder.Completed || o[0].Outcome != "已着手办理" {
		t.Fatalf("lawyer2's order after saving the record: %+v", o)
	}
	// … and so does the room they open on the other case.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/rooms", ids[1]), lawyer2, nil), 201, "")
	if o := ordersOf(ids[1], l2); len(o) != 1 || o[0].State != workorder.Completed {
		t.Fatalf("lawyer2's order after opening a room: %+v", o)
	}
	// … and so does ending the mediation on the third.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", ids[2]), lawyer2, map[string]any{"action": "fail", "note": "双方分歧较大"}), 200, "")
	if o := ordersOf(ids[2], l2); len(o) != 1 || o[0].State != workorder.Completed {
		t.Fatalf("lawyer2's order after ending the mediation: %+v", o)
	}
}
