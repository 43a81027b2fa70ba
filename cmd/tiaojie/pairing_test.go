package main

import (
	"testing"
	"time"
)

// Station pairing (包联, "235") end to end with the demo accounts: the
// coverage view shows the demo county cadre's two stations and 两路 unpaired;
// pairing 两路 completes it (a second cadre for one station is refused); the
// cadre's unannounced visit finds two problems, each a rectification order
// for the station; one is rectified through its order and verified, the
// other's fix is rejected and goes back to the station with a new order.
// Eight days later (the clock moved) the county stations' weekly visits are
// overdue: the coverage view says so, and the overdue check raises one
// warning per station with its instruction sheet, once.
func TestPairingVisitFindingRectifiedAndOverdueCoverage(t *testing.T) {
	a, box, clock := fusionApp(t)
	cadre, _ := staffLogin(t, a, "supervisor1") // the demo county cadre
	sup2, _ := staffLogin(t, a, "supervisor2")
	admin, _ := staffLogin(t, a, "admin")
	police, _ := staffLogin(t, a, "police1") // 双凤桥
	other, _ := staffLogin(t, a, "police2")  // 回兴
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	s1, s2, s3 := stationID(t, a, "双凤桥派出所"), stationID(t, a, "回兴派出所"), stationID(t, a, "两路派出所")

	cov := do(t, a, "GET", "/api/v1/pairings/coverage", cadre, nil)
	expect(t, cov, 200, "")
	sum := cov.body["summary"].(map[string]any)
	if num(sum["stations"]) != 3 || num(sum["paired"]) != 2 || sum["complete"] != false || len(sum["unpaired"].([]any)) != 1 ||
		num(sum["unpaired"].([]any)[0]) != s3 || num(sum["overdue"]) != 0 {
		t.Fatalf("demo coverage: %s", cov.raw)
	}
	pairingOf := map[int64]int64{}
	for _, l := range cov.body["stations"].([]any) {
		line := l.(map[string]any)
		if p, ok := line["pairing"].(map[string]any); ok {
			pairingOf[num(line["station_id"])] = num(p["id"])
			if p["level"] != "county" {
				t.Errorf("demo pairing %s", cov.raw)
			}
		}
	}
	if own := do(t, a, "GET", "/api/v1/pairings/coverage", police, nil); len(own.body["stations"].([]any)) != 1 {
		t.Errorf("a station's officer sees the coverage of more than their station: %s", own.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/pairings/coverage", citizen, nil), 403, "auth.role_forbidden")
	if mine := do(t, a, "GET", "/api/v1/pairings", police, nil); len(mine.bodyList()) != 1 || num(mine.bodyList()[0]["station_id"]) != s1 {
		t.Errorf("a station officer's pairings: %s", mine.raw)
	}

	sup2User, _, _ := a.svc.accounts.Users.UserByUsername(t.Context(), "supervisor2")
	expect(t, do(t, a, "POST", "/api/v1/pairings", admin, map[string]any{"cadre_id": demoUser(t, a, "police").ID, "level": "city", "station_id": s3}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/pairings", admin, map[string]any{"cadre_id": sup2User.ID, "level": "district", "station_id": s3}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/pairings", admin, map[string]any{"cadre_id": sup2User.ID, "level": "city", "station_id": s1}), 409, "pairing.station_taken")
	expect(t, do(t, a, "POST", "/api/v1/pairings", admin, map[string]any{"cadre_id": sup2User.ID, "level": "city", "station_id": s3}), 201, "")
	if led := do(t, a, "GET", "/api/v1/pairings", sup2, nil); len(led.bodyList()) != 3 || num(led.bodyList()[0]["cadre_id"]) != sup2User.ID {
		t.Errorf("supervisor2's pairings, newest first: %s", led.raw)
	}
	if c := do(t, a, "GET", "/api/v1/pairings/coverage", admin, nil); c.body["summary"].(map[string]any)["complete"] != true {
		t.Fatalf("coverage after pairing 两路: %s", c.raw)
	}

	// The visit: unannounced, by the station's own cadre.
	visit := map[string]any{"visited_at": clock.Now().Add(-time.Hour).Format(time.RFC3339), "unannounced": true,
		"checked": []string{"接处警窗口", "执法办案场所"}, "summary": "不打招呼直奔接处警窗口，查阅警综平台接处警记录",
		"findings": []string{"执法办案区视频监控存在盲区", "值班室灭火器过期"}}
	announced := map[string]any{"visited_at": visit["visited_at"], "unannounced": false, "summary": "听取汇报"}
	expect(t, do(t, a, "POST", path("/api/v1/pairings/%d/visits", pairingOf[s1]), cadre, announced), 422, "validation.failed")
	expect(t, do(t, a, "POST", path("/api/v1/pairings/%d/visits", pairingOf[s1]), sup2, visit), 403, "pairing.not_your_station")
	logged := do(t, a, "POST", path("/api/v1/pairings/%d/visits", pairingOf[s1]), cadre, visit)
	expect(t, logged, 201, "")
	findings := logged.body["findings"].([]any)
	if len(findings) != 2 {
		t.Fatalf("visit: %s", logged.raw)
	}
	f1, f2 := num(findings[0].(map[string]any)["id"]), num(findings[1].(map[string]any)["id"])
	for _, f := range []int64{f1, f2} {
		if o, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "pairing_finding", f); len(o) != 1 || o[0].Kind != "rectification" || o[0].UnitID != s1 || o[0].State != "queued" {
			t.Fatalf("finding %d's orders: %+v; want one queued rectification order at 双凤桥", f, o)
		}
	}
	expect(t, do(t, a, "GET", path("/api/v1/pairings/%d/visits", pairingOf[s1]), citizen, nil), 404, "pairing.not_found")
	expect(t, do(t, a, "GET", path("/api/v1/pairings/%d/visits", pairingOf[s1]), other, nil), 404, "pairing.not_found")
	if v := do(t, a, "GET", path("/api/v1/pairings/%d/visits", pairingOf[s1]), police, nil); len(v.bodyList()) != 1 {
		t.Fatalf("the station's view of the visits: %s", v.raw)
	}

	// Finding 1: rectified by the station (its order finishes), verified by the cadre.
	expect(t, do(t, a, "POST", path("/api/v1/pairing-findings/%d/rectify", f1), other, map[string]any{"note": "x"}), 404, "pairing.finding_not_found")
	expect(t, do(t, a, "POST", path("/api/v1/pairing-findings/%d/verify", f1), cadre, map[string]any{}), 409, "pairing.finding_illegal_transition")
	expect(t, do(t, a, "POST", path("/api/v1/pairing-findings/%d/rectify", f1), police, map[string]any{}), 422, "validation.failed")
	fixed := do(t, a, "POST", path("/api/v1/pairing-findings/%d/rectify", f1), police, map[string]any{"note": "已加装两路摄像头，盲区消除"})
	expect(t, fixed, 200, "")
	if o, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "pairing_finding", f1); len(o) != 1 || o[0].State != "completed" {
		t.Fatalf("finding 1's order after the fix: %+v", o)
	}
	expect(t, do(t, a, "POST", path("/api/v1/pairing-findings/%d/verify", f1), police, map[string]any{}), 403, "auth.role_forbidden")
	if v := do(t, a, "POST", path("/api/v1/pairing-findings/%d/verify", f1), cadre, map[string]any{"note": "现场复核通过"}); v.status != 200 || v.str("state") != "verified" {
		t.Fatalf("verify: %d %s", v.status, v.raw)
	}
	// Finding 2: the fix is rejected; a second order goes to the station.
	expect(t, do(t, a, "POST", path("/api/v1/pairing-findings/%d/rectify", f2), police, map[string]any{"note": "已申领新灭火器"}), 200, "")
	rej := do(t, a, "POST", path("/api/v1/pairing-findings/%d/reject", f2), cadre, map[string]any{"note": "新灭火器尚未到位"})
	expect(t, rej, 200, "")
	if rej.str("state") != "open" || num(rej.body["round"]) != 2 {
		t.Fatalf("rejected: %s", rej.raw)
	}
	if o, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "pairing_finding", f2); len(o) != 2 || o[1].State != "queued" {
		t.Fatalf("finding 2's orders after the rejection: %+v", o)
	}

	// A week and a day later: the county stations are overdue, the city one is not.
	clock.advance(8 * 24 * time.Hour)
	cov = do(t, a, "GET", "/api/v1/pairings/coverage", cadre, nil)
	expect(t, cov, 200, "")
	overdue := map[int64]bool{}
	for _, l := range cov.body["stations"].([]any) {
		line := l.(map[string]any)
		overdue[num(line["station_id"])] = line["overdue"] == true
		if num(line["station_id"]) == s1 && (line["last_visit_at"] == nil || num(line["open_findings"]) != 1) {
			t.Errorf("双凤桥's line: %v", line)
		}
	}
	if !overdue[s1] || !overdue[s2] || overdue[s3] || num(cov.body["summary"].(map[string]any)["overdue"]) != 2 {
		t.Fatalf("coverage eight days on: %s", cov.raw)
	}
	n, err := a.svc.fusion.pairing.CheckOverdue(t.Context())
	if err != nil || n != 2 {
		t.Fatalf("overdue check raised %d warnings (%v), want 2", n, err)
	}
	if n, err := a.svc.fusion.pairing.CheckOverdue(t.Context()); err != nil || n != 0 {
		t.Fatalf("a second check raised %d more (%v), want none", n, err)
	}
	warns := do(t, a, "GET", "/api/v1/warnings?rule_kind=pairing_overdue", cadre, nil)
	expect(t, warns, 200, "")
	items := warns.body["items"].([]any)
	stations := map[int64]bool{}
	for _, w := range items {
		stations[num(w.(map[string]any)["station_id"])] = true
	}
	if len(items) != 2 || !stations[s1] || !stations[s2] {
		t.Fatalf("overdue warnings: %s", warns.raw)
	}
	// Each warning's instruction sheets: the station's, and the cadre's own bureau's.
	district := orgID(t, a, "渝北区公安分局")
	for _, w := range items {
		wid, st := num(w.(map[string]any)["id"]), num(w.(map[string]any)["station_id"])
		o, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "warning", wid)
		units := map[int64]bool{}
		for _, x := range o {
			if x.Kind == "warning_instruction" {
				units[x.UnitID] = true
			}
		}
		if len(o) != 2 || !units[st] || !units[district] {
			t.Fatalf("warning %d's instruction sheets: %+v; want the station's and the district's", wid, o)
		}
	}

	// The figures of the period.
	from := clock.Now().Add(-30 * 24 * time.Hour).Format(time.RFC3339)
	to := clock.Now().Add(time.Hour).Format(time.RFC3339)
	st := do(t, a, "GET", "/api/v1/stats/pairing?from="+from+"&to="+to, cadre, nil)
	expect(t, st, 200, "")
	p := st.body["pairing"].(map[string]any)
	if num(p["stations"]) != 3 || num(p["paired"]) != 3 || p["coverage_rate"] != float64(1) || num(p["overdue"]) != 2 || num(p["visits"]) != 1 ||
		num(p["findings"]) != 2 || num(p["verified"]) != 1 {
		t.Fatalf("pairing stats: %s", st.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/stats/pairing?from=yesterday", cadre, nil), 422, "validation.failed")
}
