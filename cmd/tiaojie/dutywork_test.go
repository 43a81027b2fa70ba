package main

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// uploadTo posts content as the multipart field "file" to url.
func uploadTo(t *testing.T, a *application, token, url, name string, content []byte) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req := httptest.NewRequest("POST", url, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := checkedTest(t, a.http.App(), req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: raw}
	_ = jsonUnmarshal(raw, &r.body)
	return r
}

// The four duties through the API with the demo accounts on MariaDB and
// Redis (seed 000): lawyer1 records a legal consultation, a legal education
// session with a photo and help with a police matter at 双凤桥派出所; each
// appears in the station's statistics, the daily ledger (JSON and CSV), the
// monthly report, lawyer1's attendance and the firm's assessment; readers
// see only their scope; a citizen is refused.
func TestFourDutiesCountEverywhere(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	loc := a.cfg.HTTP.Location
	lawyer := staffToken(t, a, "lawyer1")
	other := staffToken(t, a, "lawyer3")
	police1, police2, police3 := staffToken(t, a, "police1"), staffToken(t, a, "police2"), staffToken(t, a, "police3")
	sup := staffToken(t, a, "supervisor1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	s1, s3 := stationID(t, a, "双凤桥派出所"), stationID(t, a, "两路派出所")
	l1, officer1, officer2 := demoUserNamed(t, a, "lawyer1"), demoUserNamed(t, a, "police1"), demoUserNamed(t, a, "police2")
	firm1 := orgID(t, a, "重庆渝北律师事务所")

	consult := map[string]any{"kind": "consultation", "station_id": s1, "minutes": 20, "person": "王某", "topic": "劳动合同解除后的经济补偿",
		"summary": "按工作年限每满一年支付一个月工资，建议先与单位协商，不成可申请劳动仲裁"}
	first := do(t, a, "POST", "/api/v1/duty-work", lawyer, consult, "Idempotency-Key", "dw-consult-1")
	expect(t, first, 201, "")
	again := do(t, a, "POST", "/api/v1/duty-work", lawyer, consult, "Idempotency-Key", "dw-consult-1")
	if again.status != 201 || again.id() != first.id() || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a retry made a second record: %d %s", again.status, again.raw)
	}
	edu := do(t, a, "POST", "/api/v1/duty-work", lawyer, map[string]any{"kind": "education", "station_id": s1, "minutes": 90,
		"place": "碧津社区活动室", "audience": "社区居民", "topic": "民法典婚姻家庭编与家庭暴力防治", "attendees": 45})
	expect(t, edu, 201, "")
	if edu.body["attendees"] != 45.0 || edu.body["person"] != nil {
		t.Fatalf("education record: %s", edu.raw)
	}
	assist := do(t, a, "POST", "/api/v1/duty-work", lawyer, map[string]any{"kind": "police_assist", "station_id": s1, "minutes": 40,
		"topic": "协助民警向当事人解释治安调解协议的法律效力", "officer_id": officer1})
	expect(t, assist, 201, "")

	// What each duty needs, and where a lawyer may record it.
	for name, body := range map[string]map[string]any{
		"a consultation without who asked":                {"kind": "consultation", "station_id": s1, "minutes": 10, "topic": "借款", "summary": "答复"},
		"an education session without its audience count": {"kind": "education", "station_id": s1, "minutes": 60, "place": "学校", "audience": "学生", "topic": "防诈骗"},
		"help to an officer of another station":           {"kind": "police_assist", "station_id": s1, "minutes": 30, "topic": "解释法律", "officer_id": officer2},
		"a station the lawyer does not serve":             {"kind": "consultation", "station_id": s3, "minutes": 10, "person": "李某", "topic": "借款", "summary": "答复"},
		"a duty that is not one of the three":             {"kind": "drafting", "station_id": s1, "minutes": 10},
	} {
		if r := do(t, a, "POST", "/api/v1/duty-work", lawyer, body); r.status != 422 {
			t.Errorf("%s: %d %s, want 422", name, r.status, r.raw)
		}
	}
	expect(t, do(t, a, "POST", "/api/v1/duty-work", police1, consult), 403, "auth.role_forbidden")
	expect(t, do(t, a, "POST", "/api/v1/duty-work", citizen, consult), 403, "auth.role_forbidden")

	// Photos of the education session, and only of it.
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
	photo := uploadTo(t, a, lawyer, path("/api/v1/duty-work/%d/photos", edu.id()), "现场.png", png)
	expect(t, photo, 201, "")
	expect(t, uploadTo(t, a, lawyer, path("/api/v1/duty-work/%d/photos", first.id()), "x.png", png), 409, "duty_work.photos_for_education")
	expect(t, uploadTo(t, a, lawyer, path("/api/v1/duty-work/%d/photos", edu.id()), "x.png", []byte("%PDF-1.7 not a photo")), 422, "validation.failed")
	expect(t, uploadTo(t, a, other, path("/api/v1/duty-work/%d/photos", edu.id()), "x.png", png), 404, "duty_work.not_found")
	if got := do(t, a, "GET", path("/api/v1/duty-work/%d", edu.id()), police1, nil); len(got.body["photos"].([]any)) != 1 {
		t.Fatalf("the session shows its photo: %s", got.raw)
	}
	expect(t, do(t, a, "GET", path("/api/v1/duty-work/%d/photos/%d", edu.id(), photo.id()), sup, nil), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/duty-work/%d/photos/%d", edu.id(), photo.id()), police3, nil), 404, "duty_work.not_found")

	// Readers and their scopes (since an hour ago: the demo's own records
	// are dated back with the demo case).
	since := "&from=" + strings.ReplaceAll(time.Now().In(loc).Add(-time.Hour).Format(time.RFC3339), "+", "%2B")
	count := func(token string) int {
		r := do(t, a, "GET", "/api/v1/duty-work?limit=100"+since, token, nil)
		expect(t, r, 200, "")
		return len(r.body["items"].([]any))
	}
	for _, c := range []struct {
		who   string
		token string
		want  int
	}{{"lawyer1, who recorded them", lawyer, 3}, {"police1 of the station", police1, 3}, {"the district's supervisor", sup, 3},
		{"lawyer3 of another firm", other, 0}, {"police2 of another station", police2, 0}, {"the firm's head", staffToken(t, a, "lawyer2"), 3}} {
		if n := count(c.token); n != c.want {
			t.Errorf("%s lists %d records, want %d", c.who, n, c.want)
		}
	}
	expect(t, do(t, a, "GET", path("/api/v1/duty-work/%d", first.id()), police2, nil), 404, "duty_work.not_found")
	expect(t, do(t, a, "GET", path("/api/v1/duty-work/%d", first.id()), citizen, nil), 403, "auth.role_forbidden")
	expect(t, do(t, a, "GET", "/api/v1/duty-work", citizen, nil), 403, "auth.role_forbidden")
	if r := do(t, a, "GET", "/api/v1/duty-work?kind=education"+since, police1, nil); len(r.body["items"].([]any)) != 1 {
		t.Errorf("filtered by kind: %s", r.raw)
	}

	// Statistics by station: the station's row counts each duty.
	now := time.Now().In(loc)
	q := "from=" + now.Add(-time.Hour).Format(time.RFC3339) + "&to=" + now.Add(time.Hour).Format(time.RFC3339)
	st := do(t, a, "GET", "/api/v1/stats/requests?group_by=station&"+strings.ReplaceAll(q, "+", "%2B"), sup, nil)
	expect(t, st, 200, "")
	var row map[string]any
	for _, r := range st.body["rows"].([]any) {
		if m := r.(map[string]any); m["key"] == path("%d", s1) {
			row = m
		}
	}
	if row == nil || row["consultations"] != 1.0 || row["education_sessions"] != 1.0 || row["education_attendees"] != 45.0 || row["police_assists"] != 1.0 {
		t.Fatalf("the station's statistics: %v\n%s", row, st.raw)
	}
	if tot := st.body["total"].(map[string]any); tot["consultations"] != 1.0 || tot["police_assists"] != 1.0 {
		t.Errorf("the total: %v", tot)
	}

	// The daily ledger lists the day's duty work, without who asked.
	day := now.Format("2006-01-02")
	ledger := do(t, a, "GET", "/api/v1/reports/daily?date="+day, police1, nil)
	expect(t, ledger, 200, "")
	if work := ledger.body["duty_work"].([]any); len(work) != 3 || strings.Contains(string(ledger.raw), "王某") {
		t.Fatalf("the ledger's duty work: %s", ledger.raw)
	}
	ledgerCSV := do(t, a, "GET", "/api/v1/reports/daily?format=csv&date="+day, police1, nil)
	expect(t, ledgerCSV, 200, "")
	rows := expectReadableCSV(t, "ledger", ledgerCSV.raw, "派出所", "类型", "主调人")
	kinds := map[string]bool{}
	for _, r := range rows[1:] {
		kinds[r[3]] = true
	}
	if !kinds["法律咨询"] || !kinds["法治宣传"] || !kinds["协助涉警事务"] {
		t.Errorf("the ledger CSV names the three duties: %q", rows)
	}

	// The monthly report counts them per station.
	month := now.Format("2006-01")
	rep := do(t, a, "GET", "/api/v1/reports/monthly?format=csv&month="+month, sup, nil)
	expect(t, rep, 200, "")
	mrows := expectReadableCSV(t, "monthly", rep.raw, "派出所")
	col := map[string]int{}
	for i, h := range mrows[0] {
		col[h] = i
	}
	for _, r := range mrows[1:] {
		if r[0] == "双凤桥派出所" && (r[col["法律咨询"]] != "1" || r[col["法治宣传(场)"]] != "1" || r[col["法治宣传受众(人次)"]] != "45" || r[col["协助涉警事务"]] != "1") {
			t.Errorf("the monthly report's 双凤桥派出所 row: %q", r)
		}
	}

	// Attendance shows each lawyer's four duties.
	att := do(t, a, "GET", "/api/v1/duty/attendance?month="+month, sup, nil)
	expect(t, att, 200, "")
	var duties map[string]any
	for _, l := range att.body["lawyers"].([]any) {
		if m := l.(map[string]any); m["lawyer_id"] == float64(l1) {
			duties = m["duties"].(map[string]any)
		}
	}
	if duties == nil || duties["consultation"] != 1.0 || duties["education"] != 1.0 || duties["police_assist"] != 1.0 || duties["mediation"] != 0.0 {
		t.Fatalf("lawyer1's duties in attendance: %v", duties)
	}

	// The firm's assessment counts them.
	run := do(t, a, "POST", "/api/v1/assessments/run", sup, map[string]any{"month": month})
	expect(t, run, 200, "")
	for _, f := range run.bodyList() {
		if f["firm_id"] == float64(firm1) && (f["consultations"] != 1.0 || f["education_sessions"] != 1.0 || f["police_assists"] != 1.0) {
			t.Fatalf("the firm's assessment: %v", f)
		}
	}
}

// The subsidy statement in five tiers with a duty fee per station, summed by
// hand (seed 000: 分5个档次; each station's tier by its daily call volume).
// TIAOJIE_SUBSIDIES pays tier n n×100 yuan, and the fee 3000/2000/1000 at
// ≥6.5/≥3.5/fewer requests a month (as a daily volume), so that a few
// filings make a tier.
// 重庆两江律师事务所 (lawyer3 at 回兴 and 两路, lawyer4 at 两路) concludes six
// cases at 两路 this month:
//
//	public security, unrated          → tier 1: 100
//	civil, rated 2                    → tier 2: 200
//	civil, unrated                    → tier 3: 300
//	minor criminal + civil, rated 4   → tier 4: 400
//	minor criminal + civil, unrated   → tier 5: 500
//	civil, rated 5                    → tier 5: 500
//	                                    subsidy 2000
//
// 回兴 has 7 requests this month (high, 3000), 两路 the 6 cases (mid, 2000):
// fee 5000, total 7000.
func TestFiveTierSubsidyStatement(t *testing.T) {
	// The volume lines sit between 6 and 7 requests a month and between 3
	// and 4, per day of this month (a month of 31 days: 0.21 and 0.11).
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(loc)
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc)
	days := first.AddDate(0, 1, 0).Sub(first).Hours() / 24
	perDay := func(n float64) string { return strconv.FormatFloat(n/days, 'f', -1, 64) }
	a, _, box := dispatchApp(t, map[string]string{"TIAOJIE_SUBSIDIES": "tier1=100,tier2=200,tier3=300,tier4=400,tier5=500," +
		"fee_high=3000,fee_mid=2000,fee_low=1000,high_from=" + perDay(6.5) + ",mid_from=" + perDay(3.5)})
	sup := staffToken(t, a, "supervisor1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	s2, s3 := stationID(t, a, "回兴派出所"), stationID(t, a, "两路派出所")
	l3, l4 := demoUserNamed(t, a, "lawyer3"), demoUserNamed(t, a, "lawyer4")
	firm2 := orgID(t, a, "重庆两江律师事务所")
	month := now.Format("2006-01")
	volume := func(n float64) string { return strconv.FormatFloat(float64(int64(n/days*100+0.5))/100, 'f', -1, 64) }
	for i := 0; i < 7; i++ {
		fileAt(t, a, citizen, s2, "回兴派出所的来访登记")
	}
	cases := []struct {
		class string
		lead  int64
		rated int
	}{{"public_security", l3, 0}, {"civil", l3, 2}, {"civil", l4, 0}, {"minor_criminal_civil", l4, 4}, {"minor_criminal_civil", l3, 0}, {"civil", l4, 5}}
	closedAt := time.Now().Add(-time.Minute).UTC()
	for _, c := range cases {
		id := fileAt(t, a, citizen, s3, "两路派出所已办结的纠纷")
		if err := a.db.Gorm.Exec("UPDATE requests SET lead_id = ?, classification = ?, outcome = 'agreed', status = 'closed', closed_at = ? WHERE id = ?",
			c.lead, c.class, closedAt, id).Error; err != nil {
			t.Fatal(err)
		}
		if c.rated > 0 {
			r := do(t, a, "PUT", path("/api/v1/requests/%d/difficulty", id), sup, map[string]any{"tier": c.rated, "reason": "涉及人数多、持续时间长"})
			expect(t, r, 200, "")
		}
		if c.class == "civil" && c.rated == 0 {
			expect(t, do(t, a, "PUT", path("/api/v1/requests/%d/difficulty", id), sup, map[string]any{"tier": 6, "reason": "x"}), 422, "validation.failed")
			expect(t, do(t, a, "PUT", path("/api/v1/requests/%d/difficulty", id), sup, map[string]any{"tier": 2}), 422, "validation.failed")
			expect(t, do(t, a, "PUT", path("/api/v1/requests/%d/difficulty", id), staffToken(t, a, "lawyer3"), map[string]any{"tier": 2, "reason": "x"}), 403, "auth.role_forbidden")
			expect(t, do(t, a, "PUT", path("/api/v1/requests/%d/difficulty", id), newOtherDistrict(t, a).supervisor, map[string]any{"tier": 2, "reason": "x"}), 404, "request.not_found")
		}
	}

	money := do(t, a, "GET", "/api/v1/reports/subsidies?month="+month, sup, nil)
	expect(t, money, 200, "")
	var firm map[string]any
	for _, f := range money.body["firms"].([]any) {
		if m := f.(map[string]any); m["firm_id"] == float64(firm2) {
			firm = m
		}
	}
	if firm == nil {
		t.Fatalf("no line for 重庆两江律师事务所: %s", money.raw)
	}
	byTier := firm["cases_by_tier"].(map[string]any)
	for tier, want := range map[string]float64{"1": 1, "2": 1, "3": 1, "4": 1, "5": 2} {
		if byTier[tier] != want {
			t.Errorf("tier %s: %v cases, want %v (%v)", tier, byTier[tier], want, byTier)
		}
	}
	if firm["subsidy"] != 2000.0 || firm["fee"] != 5000.0 || firm["total"] != 7000.0 {
		t.Errorf("subsidy %v, fee %v, total %v; want 2000, 5000, 7000", firm["subsidy"], firm["fee"], firm["total"])
	}
	fees := map[float64]string{}
	for _, s := range firm["stations"].([]any) {
		m := s.(map[string]any)
		fees[m["station_id"].(float64)] = m["fee_tier"].(string) + ":" + fmtNumber(m["fee"])
	}
	if fees[float64(s2)] != "high:3000" || fees[float64(s3)] != "mid:2000" || len(fees) != 2 {
		t.Errorf("the stations' fees: %v, want 回兴 high:3000 and 两路 mid:2000", fees)
	}

	csv := do(t, a, "GET", "/api/v1/reports/subsidies?format=csv&month="+month, sup, nil)
	expect(t, csv, 200, "")
	rows := expectReadableCSV(t, "subsidies", csv.raw, "律所", "派出所", "档次")
	var lines []string
	for _, r := range rows[1:] {
		if r[0] == "重庆两江律师事务所" {
			lines = append(lines, strings.Join(r[1:], ","))
		}
	}
	want := []string{",,,,,,,回兴派出所," + volume(7) + ",高,3000,", ",,,,,,,两路派出所," + volume(6) + ",中,2000,", "合计,1,1,1,1,2,2000,,,,5000,7000"}
	for i := range want {
		want[i] = strings.Replace(want[i], ",,,,,,,", "驻所值班费,,,,,,,", 1)
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("the firm's CSV lines:\n%s\nwant\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
}

func fmtNumber(v any) string { f, _ := v.(float64); return strconv.FormatFloat(f, 'f', -1, 64) }
