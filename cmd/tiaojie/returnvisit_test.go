package main

import (
	"fmt"
	"testing"
	"time"
)

// The return visit (回访) through the API with the demo accounts on MariaDB
// and Redis: the officer who phones the citizen records their satisfaction
// with the follow-up; the citizen also rates in the app; statistics and the
// monthly CSV count the two apart. The demo's concluded case shows both.
func TestReturnVisitSatisfactionThroughTheAPI(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	sup, _ := staffLogin(t, a, "supervisor1")
	station := stationID(t, a, "双凤桥派出所")
	police1 := demoUser(t, a, "police")

	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "楼上漏水多次协商未果", "station_id": station, "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, filed, 201, "")
	id := filed.id()
	move := func(who string, body map[string]any) reply {
		return do(t, a, "POST", path("/api/v1/requests/%d/transition", id), who, body)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"}), 200, "")
	expect(t, move(lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "双方同意赔偿"}},
		"outcome":  "agreed", "risk_score": 20, "agreement": map[string]any{"terms": "赔偿维修费800元", "amount_fen": 80000},
	}), 200, "")
	expect(t, move(lawyer, map[string]any{"action": "agree"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), sup, map[string]any{"decision": "approve"}), 200, "")

	phone := map[string]any{"stars": 5, "comment": "对结果满意", "channel": "phone"}
	// An answer goes only with the follow-up, and only a well-formed one.
	expect(t, move(police, map[string]any{"action": "close", "satisfaction": phone}), 422, "validation.failed")
	expect(t, move(police, map[string]any{"action": "close"}), 200, "")
	expect(t, move(police, map[string]any{"action": "follow_up", "satisfaction": map[string]any{"stars": 5, "channel": "wechat"}}), 422, "validation.failed")
	expect(t, move(police, map[string]any{"action": "follow_up", "satisfaction": map[string]any{"stars": 0, "channel": "phone"}}), 422, "validation.failed")
	// The citizen cannot record a return visit on themselves.
	expect(t, move(citizen, map[string]any{"action": "follow_up", "satisfaction": phone}), 403, "request.not_yours")
	followed := move(police, map[string]any{"action": "follow_up", "note": "电话回访", "satisfaction": phone})
	expect(t, followed, 200, "")
	rv, _ := followed.body["return_visit"].(map[string]any)
	if rv == nil || rv["stars"] != 5.0 || rv["channel"] != "phone" || rv["comment"] != "对结果满意" || rv["by_id"] != float64(police1.ID) || followed.body["rating"] != nil {
		t.Fatalf("the follow-up answer: %s", followed.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/rate", id), citizen, map[string]any{"stars": 3, "comment": "还行"}), 200, "")
	detail := do(t, a, "GET", path("/api/v1/requests/%d", id), citizen, nil)
	expect(t, detail, 200, "")
	if got := fmt.Sprint(timeline(t, detail)[len(timeline(t, detail))-3:]); got != "[follow_up return_visit_answered rated]" {
		t.Fatalf("timeline ends %s", got)
	}
	if k := ordersOf(t, a, id); k["follow_up"] != 1 {
		t.Fatalf("work orders %v", k)
	}

	now := time.Now()
	q := fmt.Sprintf("from=%s&to=%s", now.Add(-time.Hour).UTC().Format(time.RFC3339), now.Add(time.Hour).UTC().Format(time.RFC3339))
	r := do(t, a, "GET", "/api/v1/stats/requests?"+q, sup, nil)
	expect(t, r, 200, "")
	total := r.body["total"].(map[string]any)
	for k, v := range map[string]float64{"rated": 1, "satisfaction": 3, "return_visit_rated": 1, "return_visit_satisfaction": 5} {
		if total[k] != v {
			t.Errorf("stats %s = %v, want %v (%s)", k, total[k], v, r.raw)
		}
	}
	local := now.In(a.cfg.HTTP.Location)
	month := do(t, a, "GET", "/api/v1/reports/monthly?format=csv&month="+local.Format("2006-01"), sup, nil)
	expect(t, month, 200, "")
	rows := csvMainTable(t, expectReadableCSV(t, "monthly", month.raw, "派出所"))
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	last := rows[len(rows)-1]
	for h, want := range map[string]string{"应用内评价数": "1", "应用内满意度": "3", "回访评价数": "1", "回访满意度": "5"} {
		if i, ok := col[h]; !ok || last[i] != want {
			t.Errorf("monthly CSV total %s = %q, want %s (header %q)", h, last[min(i, len(last)-1)], want, rows[0])
		}
	}

	// The demo's concluded case, 100 days back at 两路派出所: followed up by
	// phone (5) and rated in the app (4).
	then := now.Add(-demoCaseAge)
	q = fmt.Sprintf("from=%s&to=%s", then.Add(-time.Hour).UTC().Format(time.RFC3339), then.Add(48*time.Hour).UTC().Format(time.RFC3339))
	demo := do(t, a, "GET", "/api/v1/stats/requests?"+q, sup, nil)
	expect(t, demo, 200, "")
	dt := demo.body["total"].(map[string]any)
	for k, v := range map[string]float64{"filed": 1, "closed": 1, "agreed": 1, "rated": 1, "satisfaction": 4, "return_visit_rated": 1, "return_visit_satisfaction": 5} {
		if dt[k] != v {
			t.Errorf("demo case stats %s = %v, want %v (%s)", k, dt[k], v, demo.raw)
		}
	}
	var confirmed int64
	if err := a.db.Gorm.Raw("SELECT COUNT(*) FROM judicial_confirmations WHERE result = 'confirmed' AND document_no <> ''").Scan(&confirmed).Error; err != nil || confirmed != 1 {
		t.Errorf("the demo's concluded case has %d judicial confirmations (%v), want 1 confirmed", confirmed, err)
	}
}
