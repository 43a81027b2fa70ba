package main

import (
	"fmt"
	"strconv"
	"testing"
	"time"
)

func num(v any) int64 { f, _ := v.(float64); return int64(f) }

// Legal workers on a police incident (深度介入接处警) end to end with the demo
// accounts: an officer of 双凤桥派出所 records a dispute call and brings in
// the justice officer of 双凤桥司法所, who gets a work order, records their
// part (which finishes the order) and attaches a compensation calculation
// whose total is worked out by hand below; the incident becomes the
// citizen's mediation case. Others see nothing of it: another station's
// officer, a lawyer not brought in and a citizen all get 404.
func TestIncidentBringsInALegalWorkerWithACompensationCalculation(t *testing.T) {
	a, box, clock := fusionApp(t)
	police, _ := staffLogin(t, a, "police1") // 双凤桥派出所
	other, _ := staffLogin(t, a, "police2")  // 回兴派出所
	justice, _ := staffLogin(t, a, "mediator1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	admin, _ := staffLogin(t, a, "admin")
	sup, _ := staffLogin(t, a, "supervisor1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	station := stationID(t, a, "双凤桥派出所")
	mediator := demoUser(t, a, "mediator")

	occurred := clock.Now().Add(-30 * time.Minute).Format(time.RFC3339)
	expect(t, do(t, a, "POST", "/api/v1/incidents", other, map[string]any{"station_id": station, "case_type": "public_security",
		"summary": "停车纠纷", "occurred_at": occurred}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/incidents", citizen, map[string]any{"station_id": station, "case_type": "civil",
		"summary": "x", "occurred_at": occurred}), 403, "auth.role_forbidden")
	created := do(t, a, "POST", "/api/v1/incidents", police, map[string]any{"station_id": station, "call_no": "110-20261130-0012",
		"case_type": "public_security", "summary": "两人因停车纠纷发生推搡，一方受伤住院", "place": "双凤桥街道空港佳园", "occurred_at": occurred})
	expect(t, created, 201, "")
	id := created.id()
	if created.str("state") != "open" {
		t.Fatalf("created: %s", created.raw)
	}
	for who, token := range map[string]string{"another station's officer": other, "a lawyer not brought in": lawyer, "a citizen": citizen, "the justice officer before being brought in": justice} {
		if r := do(t, a, "GET", path("/api/v1/incidents/%d", id), token, nil); r.status != 404 || r.str("code") != "incident.not_found" {
			t.Errorf("%s reads the incident: %d %s", who, r.status, r.raw)
		}
	}

	// Bringing in: only a legal worker serving the station, once.
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/workers", id), police, map[string]any{"worker_id": demoUser(t, a, "police").ID}), 422, "validation.failed")
	far, _, _ := a.svc.accounts.Users.UserByUsername(t.Context(), "lawyer3") // serves 回兴 and 两路 only
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/workers", id), police, map[string]any{"worker_id": far.ID}), 422, "validation.failed")
	in := do(t, a, "POST", path("/api/v1/incidents/%d/workers", id), police, map[string]any{"worker_id": mediator.ID})
	expect(t, in, 200, "")
	workers, _ := in.body["workers"].([]any)
	if in.str("state") != "assisting" || len(workers) != 1 || workers[0].(map[string]any)["role"] != "justice_officer" {
		t.Fatalf("brought in: %s", in.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/workers", id), police, map[string]any{"worker_id": mediator.ID}), 409, "incident.worker_already_in")
	// A legal-service worker too: lawyer2 serves the station.
	second, _, _ := a.svc.accounts.Users.UserByUsername(t.Context(), "lawyer2")
	both := do(t, a, "POST", path("/api/v1/incidents/%d/workers", id), police, map[string]any{"worker_id": second.ID})
	expect(t, both, 200, "")
	if w := both.body["workers"].([]any); len(w) != 2 || w[1].(map[string]any)["role"] != "legal_service_worker" {
		t.Fatalf("two workers: %s", both.raw)
	}
	orderOf := func(person int64) string {
		t.Helper()
		orders, err := a.svc.dispatch.store.OrdersAbout(t.Context(), "incident", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders {
			if o.PersonID == person && o.Kind == "incident_assist" {
				return string(o.State)
			}
		}
		return "none"
	}
	orders, err := a.svc.dispatch.store.OrdersAbout(t.Context(), "incident", id)
	if err != nil || len(orders) != 2 || orders[0].Kind != "incident_assist" || orders[0].PersonID != mediator.ID || orders[0].State != "queued" {
		t.Fatalf("orders about the incident: %+v, %v; want a queued incident_assist order for each worker", orders, err)
	}
	expect(t, do(t, a, "GET", path("/api/v1/work-orders/%d", orders[0].ID), justice, nil), 200, "")

	// The worker's part finishes their order; an officer cannot write it,
	// a lawyer not brought in cannot see the incident.
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/opinion", id), police, map[string]any{"opinion": "x"}), 403, "auth.role_forbidden")
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/opinion", id), lawyer, map[string]any{"opinion": "x"}), 404, "incident.not_found")
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/opinion", id), justice, map[string]any{"opinion": ""}), 422, "validation.failed")
	part := do(t, a, "POST", path("/api/v1/incidents/%d/opinion", id), justice, map[string]any{
		"opinion": "系治安案件中的民事赔偿纠纷，双方均有过错，建议按责任比例八二分担，可当场调解"})
	expect(t, part, 200, "")
	if orderOf(mediator.ID) != "completed" || orderOf(second.ID) != "queued" {
		t.Fatalf("after mediator1's part their order is %s and lawyer2's %s; want completed and still queued", orderOf(mediator.ID), orderOf(second.ID))
	}

	// The standard of the calculation, written by an admin with round
	// figures (the seeded Chongqing and Jiangsu tables are samples).
	std := map[string]any{"province": "chongqing", "province_name": "重庆市", "year": 2025, "disposable_income_fen": 4743500,
		"average_wage_fen": 10949000, "nursing_per_day_fen": 15000, "hospital_food_per_day_fen": 5000, "nutrition_per_day_fen": 3000, "note": "测试用"}
	expect(t, do(t, a, "POST", "/api/v1/compensation-standards", police, std), 403, "auth.role_forbidden")
	made := do(t, a, "POST", "/api/v1/compensation-standards", admin, std)
	expect(t, made, 201, "")
	expect(t, do(t, a, "POST", "/api/v1/compensation-standards", admin, std), 409, "compensation.standard_exists")
	std["version"] = 7
	expect(t, do(t, a, "PUT", path("/api/v1/compensation-standards/%d", made.id()), admin, std), 409, "compensation.standard_changed")
	list := do(t, a, "GET", "/api/v1/compensation-standards", police, nil)
	expect(t, list, 200, "")
	samples := 0
	for _, s := range list.bodyList() {
		if s["sample"] == true && (s["province"] == "chongqing" || s["province"] == "jiangsu") {
			samples++
		}
	}
	if samples != 2 || len(list.bodyList()) != 3 {
		t.Fatalf("standards: %s; want the two sample tables and the admin's", list.raw)
	}

	input := map[string]any{"province": "chongqing", "year": 2025, "medical_fen": 1234567, "lost_days": 30, "nursing_days": 10,
		"transport_fen": 30000, "hospital_days": 10, "nutrition_days": 30, "disability_grade": 10, "age": 40, "liability_pct": 80}
	// By hand, in fen:
	//   医疗费            1 234 567 (the receipts)
	//   误工费            10 949 000 × 30 ÷ 365 = 899 917.8 → 899 918
	//   护理费            15 000 × 10 days × 1 carer = 150 000
	//   交通费            30 000
	//   住院伙食补助费    5 000 × 10 = 50 000
	//   营养费            3 000 × 30 = 90 000
	//   残疾赔偿金        4 743 500 × 20 years (aged 40) × 1/10 (grade 10) = 9 487 000
	//   total             11 941 485 (119 414.85 元); 80 % liability: 9 553 188
	const total, payable = 1234567 + 899918 + 150000 + 30000 + 50000 + 90000 + 9487000, 9553188
	calcBody := map[string]any{"note": "按八成责任测算"}
	for k, v := range input {
		calcBody[k] = v
	}
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/calculations", id), justice, map[string]any{"province": "chongqing", "year": 2025,
		"disability_grade": 11, "medical_fen": -1}), 422, "validation.failed")
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/calculations", id), justice, map[string]any{"province": "chongqing", "year": 2019}), 422, "validation.failed")
	calc := do(t, a, "POST", path("/api/v1/incidents/%d/calculations", id), justice, calcBody)
	expect(t, calc, 201, "")
	res, _ := calc.body["result"].(map[string]any)
	if num(res["total_fen"]) != total || num(res["payable_fen"]) != payable || res["sample"] != false {
		t.Fatalf("calculation: %s; want total %d, payable %d", calc.raw, total, payable)
	}
	items := map[string]int64{}
	for _, it := range res["items"].([]any) {
		m := it.(map[string]any)
		items[m["code"].(string)] = num(m["amount_fen"])
	}
	for code, want := range map[string]int64{"medical": 1234567, "lost_income": 899918, "nursing": 150000, "transport": 30000, "hospital_food": 50000,
		"nutrition": 90000, "disability": 9487000} {
		if items[code] != want {
			t.Errorf("item %s = %d, want %d", code, items[code], want)
		}
	}
	preview := do(t, a, "POST", "/api/v1/compensation-calculator", police, input)
	expect(t, preview, 200, "")
	if num(preview.body["total_fen"]) != total {
		t.Errorf("the preview's total %s", preview.raw)
	}
	detail := do(t, a, "GET", path("/api/v1/incidents/%d", id), police, nil)
	expect(t, detail, 200, "")
	calcs, _ := detail.body["calculations"].([]any)
	if len(calcs) != 1 || num(calcs[0].(map[string]any)["result"].(map[string]any)["total_fen"]) != total ||
		num(calcs[0].(map[string]any)["input"].(map[string]any)["medical_fen"]) != 1234567 {
		t.Fatalf("the incident's calculations: %s", detail.raw)
	}

	// An expert of the pool is invited to the case and answers.
	experts := do(t, a, "GET", "/api/v1/experts?kind=retired_judge", police, nil)
	expect(t, experts, 200, "")
	if len(experts.bodyList()) != 1 {
		t.Fatalf("retired judges: %s", experts.raw)
	}
	judgeID := num(experts.bodyList()[0]["id"])
	expert1, _ := staffLogin(t, a, "expert1")
	expert2, _ := staffLogin(t, a, "expert2")
	expect(t, do(t, a, "POST", "/api/v1/expert-invitations", other, map[string]any{"expert_id": judgeID, "resource_type": "incident",
		"resource_id": id, "purpose": "difficult_case", "note": "赔偿争议较大"}), 422, "validation.failed")
	inv := do(t, a, "POST", "/api/v1/expert-invitations", police, map[string]any{"expert_id": judgeID, "resource_type": "incident",
		"resource_id": id, "purpose": "difficult_case", "note": "赔偿争议较大，请协助把关"})
	expect(t, inv, 201, "")
	if o, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "expert_invitation", inv.id()); len(o) != 1 || o[0].Kind != "expert_invitation" || o[0].State != "queued" {
		t.Fatalf("the expert's order: %+v", o)
	}
	expect(t, do(t, a, "GET", path("/api/v1/expert-invitations/%d", inv.id()), citizen, nil), 404, "expert.invitation_not_found")
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/accept", inv.id()), expert2, map[string]any{"text": "好"}), 404, "expert.invitation_not_found")
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/conclude", inv.id()), expert1, map[string]any{"text": "意见"}), 409, "expert.illegal_transition")
	expect(t, do(t, a, "GET", path("/api/v1/incidents/%d", id), expert1, nil), 404, "incident.not_found") // not before accepting
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/accept", inv.id()), expert1, map[string]any{"text": "今天下午到所"}), 200, "")
	// Having accepted, the expert reads the incident (and only reads it).
	expect(t, do(t, a, "GET", path("/api/v1/incidents/%d", id), expert1, nil), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/incidents/%d", id), expert2, nil), 404, "incident.not_found")
	// Reading is all: the guest brings in no further expert.
	police2 := do(t, a, "GET", "/api/v1/experts?kind=retired_police", police, nil)
	expect(t, police2, 200, "")
	expect(t, do(t, a, "POST", "/api/v1/expert-invitations", expert1, map[string]any{"expert_id": num(police2.bodyList()[0]["id"]),
		"resource_type": "incident", "resource_id": id, "purpose": "difficult_case", "note": "再请一位"}), 422, "validation.failed")
	if o, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "expert_invitation", inv.id()); len(o) != 1 || o[0].State != "completed" {
		t.Fatalf("the expert's order after accepting: %+v", o)
	}
	done := do(t, a, "POST", path("/api/v1/expert-invitations/%d/conclude", inv.id()), expert1, map[string]any{"text": "测算依据充分，责任比例适当"})
	expect(t, done, 200, "")
	if done.str("state") != "concluded" {
		t.Fatalf("concluded: %s", done.raw)
	}
	if mine := do(t, a, "GET", "/api/v1/expert-invitations", expert1, nil); len(mine.bodyList()) != 1 {
		t.Fatalf("the expert's invitations: %s", mine.raw)
	}

	// The incident becomes the citizen's mediation case at the station; it
	// then takes nothing more.
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "compensation",
		"description": "停车纠纷受伤，要求赔偿医疗费误工费", "station_id": station})
	expect(t, filed, 201, "")
	elsewhere := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "compensation",
		"description": "另一起纠纷", "station_id": stationID(t, a, "回兴派出所")})
	expect(t, elsewhere, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/end", id), justice, map[string]any{"action": "refer", "outcome": "x", "request_id": filed.id()}), 403, "auth.role_forbidden")
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/end", id), police, map[string]any{"action": "refer", "outcome": "转调解", "request_id": elsewhere.id()}), 422, "validation.failed")
	ended := do(t, a, "POST", path("/api/v1/incidents/%d/end", id), police, map[string]any{"action": "refer", "outcome": "双方同意进一步调解赔偿", "request_id": filed.id()})
	expect(t, ended, 200, "")
	if ended.str("state") != "referred" || num(ended.body["request_id"]) != filed.id() {
		t.Fatalf("ended: %s", ended.raw)
	}
	if orderOf(second.ID) != "cancelled" || orderOf(mediator.ID) != "completed" {
		t.Fatalf("after the referral lawyer2's order is %s; want cancelled", orderOf(second.ID))
	}
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/calculations", id), justice, calcBody), 409, "incident.illegal_transition")
	expect(t, do(t, a, "POST", path("/api/v1/incidents/%d/end", id), police, map[string]any{"action": "close", "outcome": "x"}), 409, "incident.illegal_transition")

	// Lists: the station's officer and the worker see it; another station's officer does not.
	if l := do(t, a, "GET", "/api/v1/incidents", justice, nil); len(l.body["items"].([]any)) != 1 {
		t.Errorf("the worker's incidents: %s", l.raw)
	}
	if l := do(t, a, "GET", "/api/v1/incidents", other, nil); len(l.body["items"].([]any)) != 0 {
		t.Errorf("another station's incidents: %s", l.raw)
	}

	// The figures: the district's supervisor sees the incident with its
	// legal worker and the calculation; so does the monthly report.
	st := do(t, a, "GET", "/api/v1/stats/pairing", sup, nil)
	expect(t, st, 200, "")
	inc, _ := st.body["incidents"].(map[string]any)
	if num(inc["incidents"]) != 1 || num(inc["with_legal_worker"]) != 1 || num(inc["referred"]) != 1 || num(inc["calculations"]) != 1 ||
		num(inc["calculated_fen"]) != payable {
		t.Fatalf("stats: %s", st.raw)
	}
	month := clock.Now().In(a.cfg.HTTP.Location).Format("2006-01")
	rep := do(t, a, "GET", "/api/v1/reports/monthly?month="+month, sup, nil)
	expect(t, rep, 200, "")
	if lw, _ := rep.body["legal_work"].(map[string]any); lw == nil || num(lw["incidents"].(map[string]any)["calculations"]) != 1 {
		t.Fatalf("the monthly report's legal work: %s", rep.raw)
	}
	// So do the monthly and quarterly CSVs, in a section after the main table.
	local := clock.Now().In(a.cfg.HTTP.Location)
	for _, url := range []string{"/api/v1/reports/monthly?format=csv&month=" + month,
		fmt.Sprintf("/api/v1/reports/quarterly?format=csv&quarter=%d-Q%d", local.Year(), (int(local.Month())-1)/3+1)} {
		repCSV := do(t, a, "GET", url, sup, nil)
		expect(t, repCSV, 200, "")
		csvRows(t, repCSV.raw)
		legal := csvSection(t, repCSV.raw, "法律服务")
		for k, want := range map[string]string{"警情": "1", "法律工作者参与警情": "1", "警情转调解": "1", "赔偿测算": "1",
			"测算金额(元)": strconv.FormatFloat(float64(payable)/100, 'f', -1, 64)} {
			if got := legal[k]; len(got) != 1 || got[0] != want {
				t.Errorf("%s: %s = %q, want %s:\n%s", url, k, got, want, repCSV.raw)
			}
		}
		if _, ok := legal["结对覆盖率"]; !ok {
			t.Errorf("%s has no pairing coverage:\n%s", url, repCSV.raw)
		}
	}
	expect(t, do(t, a, "DELETE", path("/api/v1/compensation-standards/%d", made.id()), admin, nil), 204, "")
	expect(t, do(t, a, "DELETE", path("/api/v1/compensation-standards/%d", made.id()), admin, nil), 404, "compensation.standard_not_found")
}
