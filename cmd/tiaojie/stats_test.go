package main

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Statistics and reports on MariaDB: counts, rates and times come out of the
// requests as filed, screened, rejected and concluded; they stay inside the
// caller's stations; the ledger and reports come as CSV with a BOM.
func TestStatisticsAndReports(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	sup, _ := staffLogin(t, a, "supervisor1")
	other, _ := staffLogin(t, a, "police2")
	station := stationID(t, a, "双凤桥派出所")

	ids := []int64{fileAt(t, a, citizen, station, "邻居漏水纠纷一"), fileAt(t, a, citizen, station, "邻居漏水纠纷二"), fileAt(t, a, citizen, station, "邻居漏水纠纷三")}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", ids[0]), police, map[string]any{"classification": "civil"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", ids[1]), police, map[string]any{"reject": true, "reason": "不属于调解范围"}), 200, "")
	// One concluded case: agreed two days after filing, closed, rated 4 stars
	// (written directly: the case flow has its own tests).
	// Times computed here, not in SQL: the suite runs on MariaDB and SQLite.
	created, err := time.Parse(time.RFC3339Nano, do(t, a, "GET", path("/api/v1/requests/%d", ids[0]), police, nil).str("created_at"))
	if err != nil {
		t.Fatal(err)
	}
	if err := a.db.Gorm.Exec(`UPDATE requests SET outcome = 'agreed', status = 'closed', closed_at = ?,
		rating_stars = 4, rated_at = ? WHERE id = ?`, created.Add(48*time.Hour).UTC(), created.UTC(), ids[0]).Error; err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	q := fmt.Sprintf("from=%s&to=%s", now.Add(-time.Hour).UTC().Format(time.RFC3339), now.Add(time.Hour).UTC().Format(time.RFC3339))
	r := do(t, a, "GET", "/api/v1/stats/requests?group_by=station&"+q, sup, nil)
	expect(t, r, 200, "")
	total := r.body["total"].(map[string]any)
	want := map[string]float64{"filed": 3, "responded": 2, "rejected": 1, "closed": 1, "agreed": 1, "closure_rate": 0.3333, "success_rate": 1,
		"avg_close_hours": 48, "satisfaction": 4}
	for k, v := range want {
		if total[k] != v {
			t.Errorf("total %s = %v, want %v (%s)", k, total[k], v, r.raw)
		}
	}
	if rows := r.body["rows"].([]any); len(rows) != 1 || rows[0].(map[string]any)["key"] != fmt.Sprint(station) {
		t.Errorf("rows by station: %v", rows)
	}
	// Another station's officer sees none of it.
	if r := do(t, a, "GET", "/api/v1/stats/requests?"+q, other, nil); r.body["total"].(map[string]any)["filed"] != 0.0 {
		t.Errorf("another station's officer sees %v", r.body["total"])
	}
	expect(t, do(t, a, "GET", "/api/v1/stats/requests?group_by=weather&"+q, sup, nil), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/stats/requests?group_by=station", citizen, nil), 403, "auth.role_forbidden")

	local := now.In(a.cfg.HTTP.Location)
	ledger := do(t, a, "GET", "/api/v1/reports/daily?format=csv&date="+local.Format("2006-01-02"), police, nil)
	expect(t, ledger, 200, "")
	if !bytes.HasPrefix(ledger.raw, []byte("\xef\xbb\xbf编号,受理时间")) || strings.Count(string(ledger.raw), "\n") != 4 {
		t.Errorf("ledger CSV: %q", ledger.raw)
	}
	// Staff read the ledger in a spreadsheet: names and Chinese labels, not
	// IDs and codes (which the JSON keeps).
	rows := expectReadableCSV(t, "ledger", ledger.raw, "派出所", "类型", "类别", "状态", "分类", "主调人", "结果")
	for _, want := range []string{"双凤桥派出所", "矛盾纠纷调解", "邻里", "不予受理", "已办结", "调解成功", "民事"} {
		if !strings.Contains(string(ledger.raw), want) {
			t.Errorf("ledger CSV lacks %s:\n%s", want, ledger.raw)
		}
	}
	if len(rows) > 1 && rows[1][2] != "双凤桥派出所" {
		t.Errorf("ledger station cell %q", rows[1][2])
	}
	if js := do(t, a, "GET", "/api/v1/reports/daily?date="+local.Format("2006-01-02"), police, nil); !strings.Contains(string(js.raw), `"category":"neighbour"`) {
		t.Errorf("the JSON ledger keeps the codes: %s", js.raw)
	}
	month := do(t, a, "GET", "/api/v1/reports/monthly?format=csv&month="+local.Format("2006-01"), sup, nil)
	expect(t, month, 200, "")
	if !bytes.HasPrefix(month.raw, []byte("\xef\xbb\xbf派出所,受理")) || !strings.Contains(string(month.raw), "合计,3,2,1,1,") {
		t.Errorf("monthly CSV: %q", month.raw)
	}
	if rows := expectReadableCSV(t, "monthly", month.raw, "派出所"); rows[1][0] != "双凤桥派出所" {
		t.Errorf("monthly CSV first row %q", rows[1])
	}
	byCat := do(t, a, "GET", "/api/v1/reports/monthly?format=csv&group_by=category&month="+local.Format("2006-01"), sup, nil)
	expect(t, byCat, 200, "")
	if rows := csvMainTable(t, expectReadableCSV(t, "monthly by category", byCat.raw, "类别")); len(rows) != 3 || rows[1][0] != "邻里" {
		t.Errorf("monthly CSV by category: one row 邻里 and 合计, got %q", rows)
	}
	quarter := fmt.Sprintf("%d-Q%d", local.Year(), (int(local.Month())-1)/3+1)
	qr := do(t, a, "GET", "/api/v1/reports/quarterly?quarter="+quarter, sup, nil)
	expect(t, qr, 200, "")
	if rows := qr.body["rows"].([]any); len(rows) != 1 || rows[0].(map[string]any)["key"] != local.Format("2006-01") {
		t.Errorf("quarterly rows by month: %s", qr.raw)
	}
	qcsv := do(t, a, "GET", "/api/v1/reports/quarterly?format=csv&quarter="+quarter, sup, nil)
	expect(t, qcsv, 200, "")
	if rows := expectReadableCSV(t, "quarterly", qcsv.raw, "月份"); rows[1][0] != local.Format("2006年1月") {
		t.Errorf("quarterly CSV month cell %q, want %s", rows[1][0], local.Format("2006年1月"))
	}
	expect(t, do(t, a, "GET", "/api/v1/reports/quarterly?quarter=2026-Q7", sup, nil), 422, "validation.failed")
}
