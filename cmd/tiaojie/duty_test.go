package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

// Duty, assessment and money through the API on MariaDB: a late check-in
// and an early check-out are marked, the month's attendance counts the
// absent days, the firm assessment grades and takes a supervisor's
// override, three failing months flag a firm, and the subsidy statement
// pays a concluded case by its tier.
func TestDutyAssessmentAndSubsidies(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	loc := a.cfg.HTTP.Location
	clock := &testClock{now: time.Date(2026, 11, 23, 9, 30, 0, 0, loc)} // Monday 09:30: late
	a.svc.duty.Clock = clock
	lawyer, _ := staffLogin(t, a, "lawyer1")
	sup, _ := staffLogin(t, a, "supervisor1")
	admin, _ := staffLogin(t, a, "admin")
	l1 := demoUser(t, a, "lawyer")
	station := l1.StationIDs[0]

	in := do(t, a, "POST", "/api/v1/duty/check-in", lawyer, map[string]any{"station_id": station})
	expect(t, in, 200, "")
	if in.body["late"] != true {
		t.Fatalf("09:30 is late: %s", in.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/duty/check-in", lawyer, map[string]any{"station_id": 999999}), 422, "validation.failed")
	clock.advance(7*time.Hour + 30*time.Minute) // 17:00
	out := do(t, a, "POST", "/api/v1/duty/check-out", lawyer, map[string]any{"station_id": station})
	expect(t, out, 200, "")
	if out.body["early_leave"] != true {
		t.Fatalf("17:00 is an early leave: %s", out.raw)
	}
	expect(t, do(t, a, "PUT", path("/api/v1/admin/stations/%d/duty-roster", station), sup, map[string]any{"hours": "18:00-09:00", "weekdays": []int{1}}), 422, "validation.failed")
	clock.advance(48 * time.Hour) // Wednesday: 1–24 November are over
	rep := do(t, a, "GET", "/api/v1/duty/attendance?month=2026-11", sup, nil)
	expect(t, rep, 200, "")
	var mine map[string]any
	for _, l := range rep.body["lawyers"].([]any) {
		if m := l.(map[string]any); m["lawyer_id"] == float64(l1.ID) {
			mine = m
		}
	}
	if mine == nil || mine["expected"] != 24.0 || mine["present"] != 1.0 || mine["late"] != 1.0 || mine["early_leave"] != 1.0 || mine["absent"] != 23.0 {
		t.Fatalf("lawyer1's November: %v", mine)
	}
	csv := do(t, a, "GET", "/api/v1/duty/attendance?month=2026-11&format=csv", sup, nil)
	if !bytes.HasPrefix(csv.raw, []byte("\xef\xbb\xbf律师,律所")) {
		t.Fatalf("attendance CSV %q", csv.raw)
	}
	expectReadableCSV(t, "attendance", csv.raw, "律师", "律所")

	// A concluded civil case led by lawyer1 in November.
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	req := fileAt(t, a, citizen, station, "合同纠纷调解成功")
	closedAt := time.Date(2026, 11, 20, 10, 0, 0, 0, loc).UTC()
	if err := a.db.Gorm.Exec("UPDATE requests SET lead_id = ?, classification = 'civil', outcome = 'agreed', status = 'closed', closed_at = ?, rating_stars = 5, rated_at = ? WHERE id = ?",
		l1.ID, closedAt, closedAt, req).Error; err != nil {
		t.Fatal(err)
	}
	run := do(t, a, "POST", "/api/v1/assessments/run", sup, map[string]any{"month": "2026-11"})
	expect(t, run, 200, "")
	var firmRow map[string]any
	for _, f := range run.bodyList() {
		if f["firm_id"] == float64(l1.FirmID) {
			firmRow = f
		}
	}
	if firmRow == nil || firmRow["cases_handled"] != 1.0 || firmRow["success_rate"] != 1.0 || firmRow["satisfaction"] != 5.0 {
		t.Fatalf("lawyer1's firm: %v", firmRow)
	}
	id := int64(firmRow["id"].(float64))
	expect(t, do(t, a, "POST", path("/api/v1/assessments/%d/override", id), sup, map[string]any{"grade": "excellent"}), 422, "validation.failed")
	over := do(t, a, "POST", path("/api/v1/assessments/%d/override", id), sup, map[string]any{"grade": "excellent", "reason": "化解重大纠纷"})
	expect(t, over, 200, "")
	if over.str("grade") != "excellent" || over.str("computed_grade") == "" {
		t.Fatalf("override: %s", over.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/assessments/%d/override", id), admin, map[string]any{"grade": "pass", "reason": "x"}), 403, "auth.role_forbidden")

	// The other firm had nothing in three months: 不合格 three times.
	var flagged bool
	for _, m := range []string{"2026-08", "2026-09", "2026-10"} {
		for _, f := range do(t, a, "POST", "/api/v1/assessments/run", sup, map[string]any{"month": m}).bodyList() {
			if f["firm_id"] != float64(l1.FirmID) && f["dismissal_review"] == true {
				flagged = true
			}
		}
	}
	if !flagged {
		t.Fatal("a firm failing three months should be flagged for dismissal review")
	}

	money := do(t, a, "GET", "/api/v1/reports/subsidies?month=2026-11", sup, nil)
	expect(t, money, 200, "")
	for _, f := range money.body["firms"].([]any) {
		m := f.(map[string]any)
		// A civil case is tier 3 (500); the firm serves two quiet stations,
		// each paid the low fee (20000).
		if m["firm_id"] == float64(l1.FirmID) && (m["subsidy"] != 500.0 || m["fee_tier"] != "low" || m["fee"] != 40000.0 || m["total"] != 40500.0) {
			t.Fatalf("lawyer1's firm's money: %v", m)
		}
	}
	moneyCSV := do(t, a, "GET", "/api/v1/reports/subsidies?month=2026-11&format=csv", sup, nil)
	expect(t, moneyCSV, 200, "")
	expectReadableCSV(t, "subsidies", moneyCSV.raw, "律所", "派出所", "档次")
	if !strings.Contains(string(moneyCSV.raw), ",低,") {
		t.Errorf("the subsidy CSV names the fee tier 低:\n%s", moneyCSV.raw)
	}
}
