package main

import (
	"slices"
	"testing"
)

// Judicial confirmation (司法确认) end to end through the API with the demo
// accounts on MariaDB and Redis: after both approvals the lead hands the
// agreement to the court; the court's staff read the case, upload the
// ruling and record it; the court's work order completes; the record stays
// approved and the case closes as usual.
func TestJudicialConfirmationThroughTheAPI(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	sup, _ := staffLogin(t, a, "supervisor1")
	judge, _ := staffLogin(t, a, "partner1")     // 渝北区人民法院执行局
	otherUnit, _ := staffLogin(t, a, "partner2") // 妇联
	court := orgID(t, a, "渝北区人民法院执行局")

	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "debt",
		"description": "借款三万元到期未还", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, filed, 201, "")
	id := filed.id()
	confirm := func(who string, body map[string]any) reply {
		return do(t, a, "POST", path("/api/v1/requests/%d/judicial-confirmation", id), who, body)
	}
	decide := func(who string, body map[string]any) reply {
		return do(t, a, "POST", path("/api/v1/requests/%d/judicial-confirmation/decision", id), who, body)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "李四"}, "summary": "分期还款"}},
		"outcome":  "agreed", "risk_score": 10, "agreement": map[string]any{"terms": "分三个月还清三万元", "amount_fen": 3000000, "judicial_confirmation": "pending"},
	}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "agree"}), 200, "")
	// Not before the record is approved at both levels.
	expect(t, confirm(lawyer, map[string]any{"court_id": court}), 409, "judicial.not_approved")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), sup, map[string]any{"decision": "approve"}), 200, "")

	// The court cannot see the case before it is asked.
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", id), judge, nil), 404, "request.not_found")
	expect(t, confirm(lawyer, map[string]any{"court_id": stationID(t, a, "双凤桥派出所")}), 422, "validation.failed")
	expect(t, confirm(citizen, map[string]any{"court_id": court}), 403, "auth.role_forbidden")
	asked := confirm(lawyer, map[string]any{"court_id": court, "note": "双方共同申请司法确认"})
	expect(t, asked, 200, "")
	if asked.str("result") != "pending" || asked.body["decided_on"] != nil {
		t.Fatalf("requested: %s", asked.raw)
	}
	expect(t, confirm(lawyer, map[string]any{"court_id": court}), 409, "judicial.already_requested")
	if k := ordersOf(t, a, id); k["judicial_confirmation"] != 1 {
		t.Fatalf("work orders %v: want one judicial_confirmation for the court", k)
	}

	// The court reads the case with the agreement, uploads the ruling and
	// records it; another partner unit can do neither.
	seen := do(t, a, "GET", path("/api/v1/requests/%d", id), judge, nil)
	expect(t, seen, 200, "")
	if rec, _ := seen.body["record"].(map[string]any); rec == nil || rec["review"] != "approved" {
		t.Fatalf("the court sees no approved record: %s", seen.raw)
	}
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", id), otherUnit, nil), 404, "request.not_found")
	ruling := upload(t, a, judge, id, "ruling.pdf", []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"))
	expect(t, ruling, 201, "")
	decision := map[string]any{"result": "confirmed", "decided_on": "2026-11-25", "document_no": "(2026)渝0112民特123号", "attachment_id": ruling.id()}
	expect(t, decide(otherUnit, decision), 404, "request.not_found")
	expect(t, decide(judge, map[string]any{"result": "maybe", "decided_on": "25/11/2026", "document_no": ""}), 422, "validation.failed")
	decided := decide(judge, decision)
	expect(t, decided, 200, "")
	if decided.str("result") != "confirmed" || decided.str("document_no") != "(2026)渝0112民特123号" || decided.body["attachment_id"] != float64(ruling.id()) {
		t.Fatalf("decided: %s", decided.raw)
	}
	expect(t, decide(judge, decision), 409, "judicial.already_decided")

	detail := do(t, a, "GET", path("/api/v1/requests/%d", id), lawyer, nil)
	expect(t, detail, 200, "")
	jc, _ := detail.body["judicial_confirmation"].(map[string]any)
	rec, _ := detail.body["record"].(map[string]any)
	agreement, _ := rec["agreement"].(map[string]any)
	if jc == nil || jc["result"] != "confirmed" || jc["decided_on"] != "2026-11-25" || jc["court_id"] != float64(court) ||
		rec["review"] != "approved" || agreement["judicial_confirmation"] != "confirmed" {
		t.Fatalf("the case after the ruling: %s", detail.raw)
	}
	orders, err := a.svc.dispatch.store.OrdersAbout(t.Context(), "request", id)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orders {
		if o.Kind == "judicial_confirmation" && (o.State != "completed" || o.UnitID != court) {
			t.Fatalf("the court's order is %s at unit %d, want completed at %d", o.State, o.UnitID, court)
		}
	}
	// The case closes as any other.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "close"}), 200, "")
	if events := timeline(t, detail); !slices.Contains(events, "judicial_confirmation_requested") || !slices.Contains(events, "judicial_confirmation_confirmed") {
		t.Fatalf("timeline %v", events)
	}
}
