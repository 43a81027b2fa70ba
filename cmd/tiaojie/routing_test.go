package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
	"github.com/tiaojie/tiaojie/infra/redis/redistest"
)

// nightApp is the whole server with the default duty hours (09:00–18:00)
// on the real MariaDB and Redis, demo data seeded. Everyone named logs in
// first (tokens are checked against the wall clock); then the clock that
// routing, duty and the timeline read is set to Tuesday 24 November 2026,
// 02:30 in Shanghai.
func nightApp(t *testing.T, staff ...string) (*application, map[string]string, *testClock) {
	t.Helper()
	_, prefix := redistest.New(t)
	return nightAppWith(t, map[string]string{"TIAOJIE_MYSQL_DSN": mysqltest.NewDSN(t), "TIAOJIE_REDIS_URL": redistest.URL(),
		"TIAOJIE_REDIS_PREFIX": prefix}, staff...)
}

// nightAppWith is nightApp on the given backends (none: the embedded
// SQLite and Redis).
func nightAppWith(t *testing.T, env map[string]string, staff ...string) (*application, map[string]string, *testClock) {
	t.Helper()
	env["TIAOJIE_JWT_KEYS"], env["TIAOJIE_SECRET"] = testJWTKeys, testSecret
	a := newTestApp(t, testConfig(t, env))
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	clock := &testClock{now: time.Now().UTC()}
	a.svc.accounts.SMS, a.svc.accounts.Clock = box, clock
	a.svc.mediation.Clock, a.svc.warnings.Clock, a.svc.duty.Clock = clock, clock, clock
	tokens := map[string]string{}
	tokens["citizen"], _ = citizenLogin(t, a, box, DemoCitizenPhone)
	for _, u := range staff {
		tokens[u], _ = staffLogin(t, a, u)
	}
	clock.mu.Lock()
	clock.now = time.Date(2026, 11, 24, 2, 30, 0, 0, a.cfg.HTTP.Location)
	clock.mu.Unlock()
	return a, tokens, clock
}

// awake runs fn with the clock at the wall time: logging in issues tokens
// that are checked against the wall clock.
func awake(c *testClock, fn func()) {
	c.mu.Lock()
	night := c.now
	c.now = time.Now().UTC()
	c.mu.Unlock()
	defer func() { c.mu.Lock(); c.now = night; c.mu.Unlock() }()
	fn()
}

func leadOf(r reply) int64      { f, _ := r.body["lead_id"].(float64); return int64(f) }
func assistantOf(r reply) int64 { f, _ := r.body["assistant_id"].(float64); return int64(f) }

// noteOf is the note of the first timeline event of a type.
func noteOf(r reply, eventType string) (string, bool) {
	items, _ := r.body["timeline"].([]any)
	for _, it := range items {
		e := it.(map[string]any)
		if e["type"] == eventType {
			n, _ := e["note"].(string)
			return n, true
		}
	}
	return "", false
}

// A case filed at 02:30, outside the default duty hours, is not stranded:
// screening gives it to the next shift's lawyer (as lead of a civil case,
// as assistant of a public-security one), the timeline says so to staff
// and citizen, and the lead starts mediation.
func TestNightFilingGoesToTheNextShift(t *testing.T) {
	t.Run("MariaDB", func(t *testing.T) { nightFilingGoesToTheNextShift(t, nightApp) })
	t.Run("SQLite", func(t *testing.T) { nightFilingGoesToTheNextShift(t, embeddedNightApp) })
}

func nightFilingGoesToTheNextShift(t *testing.T, start func(*testing.T, ...string) (*application, map[string]string, *testClock)) {
	a, tok, _ := start(t, "police1", "lawyer2")
	station := stationID(t, a, "双凤桥派出所")
	police1, lawyer2 := demoUserNamed(t, a, "police1"), demoUserNamed(t, a, "lawyer2")
	tests := []struct {
		name, class          string
		wantLead, wantAssist int64
		starter              string
	}{
		{"a civil labour dispute is led by the next shift's labour lawyer", "civil", lawyer2, police1, "lawyer2"},
		{"a public-security dispute is led by the police with the next shift's lawyer assisting", "public_security", police1, lawyer2, "police1"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			filed := do(t, a, "POST", "/api/v1/requests", tok["citizen"], map[string]any{"kind": "mediation", "category": "labour",
				"description": "工资被拖欠三个月，夜间报案", "station_id": station}, "Idempotency-Key", "night-"+tt.class)
			expect(t, filed, 201, "")
			id := filed.id()
			screened := do(t, a, "POST", path("/api/v1/requests/%d/screen", id), tok["police1"], map[string]any{"classification": tt.class})
			expect(t, screened, 200, "")
			if screened.str("status") != "assigned" || leadOf(screened) != tt.wantLead || assistantOf(screened) != tt.wantAssist {
				t.Fatalf("case %d filed at 02:30 is %s with lead %d assistant %d; want assigned to %d and %d: %s", i, screened.str("status"),
					leadOf(screened), assistantOf(screened), tt.wantLead, tt.wantAssist, screened.raw)
			}
			for _, who := range []string{"citizen", "police1"} {
				detail := do(t, a, "GET", path("/api/v1/requests/%d", id), tok[who], nil)
				expect(t, detail, 200, "")
				note, ok := noteOf(detail, "assigned_next_shift")
				if !ok || !strings.Contains(note, "值班时间外受理") || !strings.Contains(note, "陈律师") || !strings.Contains(note, "2026年11月24日 09:00") {
					t.Fatalf("%s reads no next-shift entry naming 陈律师 and 09:00 on the timeline: %q in %s", who, note, detail.raw)
				}
			}
			started := do(t, a, "POST", path("/api/v1/requests/%d/transition", id), tok[tt.starter], map[string]any{"action": "start"})
			expect(t, started, 200, "")
			if started.str("status") != "in_mediation" {
				t.Fatalf("status %s after start", started.str("status"))
			}
		})
	}
}

// Routing follows a station's own roster (00:00–24:00 is always on duty)
// and a lawyer's check-in (on duty at night), and the lawyer the citizen
// chose can open the request while other citizens cannot.
func TestRoutingHonoursRostersCheckInsAndTheChosenLawyer(t *testing.T) {
	a, tok, clock := nightApp(t, "police1", "police2", "police3", "supervisor1", "lawyer1", "lawyer3", "lawyer4")
	s1, s2, s3 := stationID(t, a, "双凤桥派出所"), stationID(t, a, "回兴派出所"), stationID(t, a, "两路派出所")
	file := func(station int64, category string, chosen int64) int64 {
		t.Helper()
		body := map[string]any{"kind": "mediation", "category": category, "description": "夜间发生的纠纷需要调解", "station_id": station}
		if chosen != 0 {
			body["lawyer_id"] = chosen
		}
		r := do(t, a, "POST", "/api/v1/requests", tok["citizen"], body)
		expect(t, r, 201, "")
		return r.id()
	}
	screen := func(id int64, police string) reply {
		t.Helper()
		r := do(t, a, "POST", path("/api/v1/requests/%d/screen", id), tok[police], map[string]any{"classification": "civil"})
		expect(t, r, 200, "")
		return r
	}

	t.Run("a station roster of 00:00-24:00 puts its lawyers on duty at 02:30", func(t *testing.T) {
		expect(t, do(t, a, "PUT", path("/api/v1/admin/stations/%d/duty-roster", s3), tok["supervisor1"],
			map[string]any{"hours": "00:00-24:00", "weekdays": []int{0, 1, 2, 3, 4, 5, 6}}), 200, "")
		id := file(s3, "consumer", 0)
		r := screen(id, "police3")
		detail := do(t, a, "GET", path("/api/v1/requests/%d", id), tok["police3"], nil)
		if leadOf(r) != demoUserNamed(t, a, "lawyer4") {
			t.Fatalf("consumer case at 两路 led by %d, want lawyer4 on the round-the-clock roster", leadOf(r))
		}
		if _, ok := noteOf(detail, "assigned_next_shift"); ok {
			t.Fatalf("a lawyer on duty by the station's roster was treated as next shift: %s", detail.raw)
		}
	})

	t.Run("a lawyer who checked in at night is on duty and takes the case", func(t *testing.T) {
		expect(t, do(t, a, "POST", "/api/v1/duty/check-in", tok["lawyer3"], map[string]any{"station_id": s2}), 200, "")
		id := file(s2, "family", 0) // lawyer1 specialises in family, but is off duty at 回兴 until 09:00
		r := screen(id, "police2")
		if leadOf(r) != demoUserNamed(t, a, "lawyer3") {
			t.Fatalf("family case at 回兴 led by %d, want lawyer3 who checked in", leadOf(r))
		}
	})

	t.Run("the chosen lawyer opens the request before screening; another citizen and another lawyer get 404", func(t *testing.T) {
		lawyer1 := demoUserNamed(t, a, "lawyer1")
		id := file(s1, "labour", lawyer1)
		expect(t, do(t, a, "GET", path("/api/v1/requests/%d", id), tok["lawyer1"], nil), 200, "")
		expect(t, do(t, a, "GET", path("/api/v1/requests/%d", id), tok["lawyer3"], nil), 404, "request.not_found")
		listed := func(token string) bool {
			items, _ := do(t, a, "GET", "/api/v1/requests", token, nil).body["items"].([]any)
			for _, it := range items {
				if m, _ := it.(map[string]any); m["id"] == float64(id) {
					return true
				}
			}
			return false
		}
		if !listed(tok["lawyer1"]) || listed(tok["lawyer3"]) {
			t.Fatalf("the chosen lawyer's list should hold the request before screening (lawyer1 %v), another lawyer's not (lawyer3 %v)",
				listed(tok["lawyer1"]), listed(tok["lawyer3"]))
		}
		box := a.svc.accounts.SMS.(*smsBox)
		var other string
		awake(clock, func() { other, _ = citizenLogin(t, a, box, randomPhone()) })
		expect(t, do(t, a, "GET", path("/api/v1/requests/%d", id), other, nil), 404, "request.not_found")
		r := screen(id, "police1")
		if leadOf(r) != lawyer1 {
			t.Fatalf("labour case choosing lawyer1 led by %d at night, want the chosen lawyer of the next shift", leadOf(r))
		}
	})
}

// When routing finds nobody at all, the station assigns by hand: the case
// waits screened with a 人工指派 order pointing at the assign endpoint;
// police of the station assign a lead and an assistant, which finishes that
// order, and the case reaches in_mediation; a reassignment cancels the
// replaced person's order.
func TestManualAssignmentThroughTheAPI(t *testing.T) {
	t.Run("MariaDB", func(t *testing.T) { manualAssignmentThroughTheAPI(t, nightApp) })
	t.Run("SQLite", func(t *testing.T) { manualAssignmentThroughTheAPI(t, embeddedNightApp) })
}

func embeddedNightApp(t *testing.T, staff ...string) (*application, map[string]string, *testClock) {
	return nightAppWith(t, map[string]string{}, staff...)
}

func manualAssignmentThroughTheAPI(t *testing.T, start func(*testing.T, ...string) (*application, map[string]string, *testClock)) {
	a, tok, clock := start(t, "police1", "police2", "police3", "admin", "lawyer1")
	ctx := context.Background()
	s3 := stationID(t, a, "两路派出所")
	police3, lawyer3, lawyer4 := demoUserNamed(t, a, "police3"), demoUserNamed(t, a, "lawyer3"), demoUserNamed(t, a, "lawyer4")
	setDisabled := func(id int64, disabled bool) {
		t.Helper()
		expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", id), tok["admin"], map[string]any{"disabled": disabled}), 200, "")
	}
	setDisabled(lawyer3, true)
	setDisabled(lawyer4, true)
	filed := do(t, a, "POST", "/api/v1/requests", tok["citizen"], map[string]any{"kind": "mediation", "category": "consumer",
		"description": "网购商品质量纠纷", "station_id": s3})
	expect(t, filed, 201, "")
	id := filed.id()
	screened := do(t, a, "POST", path("/api/v1/requests/%d/screen", id), tok["police3"], map[string]any{"classification": "civil"})
	expect(t, screened, 200, "")
	if screened.str("status") != "screened" || leadOf(screened) != 0 {
		t.Fatalf("with no lawyer at the station the case should wait screened: %s", screened.raw)
	}
	manual := func() workorder.Order {
		t.Helper()
		orders, err := a.svc.dispatch.store.OrdersAbout(ctx, "request", id)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders {
			if o.Kind == workorder.KindAssignment && o.PersonID == 0 {
				return o
			}
		}
		t.Fatalf("no 人工指派 order: %+v", orders)
		return workorder.Order{}
	}
	if o := manual(); !o.State.Open() || !strings.Contains(o.Title, path("/api/v1/requests/%d/assign", id)) {
		t.Fatalf("the manual order should be open and point at the assign endpoint: %+v", o)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), tok["police3"], map[string]any{"action": "start"}), 409, "case.illegal_transition")

	setDisabled(lawyer4, false)
	var lawyer4Token string
	awake(clock, func() { lawyer4Token, _ = staffLogin(t, a, "lawyer4") })
	body := map[string]any{"lead_id": lawyer4, "assistant_id": police3, "note": "值班时间外，所内指派"}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["lawyer1"], body), 403, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["police2"], body), 404, "request.not_found")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["police3"], map[string]any{"lead_id": police3, "assistant_id": lawyer4}), 422, "validation.failed")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["police3"], map[string]any{"lead_id": lawyer4}), 422, "validation.failed")
	assigned := do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["police3"], body)
	expect(t, assigned, 200, "")
	if assigned.str("status") != "assigned" || leadOf(assigned) != lawyer4 || assistantOf(assigned) != police3 {
		t.Fatalf("assigned by hand: %s", assigned.raw)
	}
	if o := manual(); o.State != workorder.Completed || o.Outcome == "" {
		t.Fatalf("assigning by hand left the 人工指派 order %s (outcome %q)", o.State, o.Outcome)
	}
	again := do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["police3"], body)
	expect(t, again, 200, "")
	detail := do(t, a, "GET", path("/api/v1/requests/%d", id), tok["police3"], nil)
	if note, ok := noteOf(detail, "assigned"); !ok || !strings.Contains(note, "人工指派") || !strings.Contains(note, "吴律师") {
		t.Fatalf("the timeline does not say who assigned whom: %s", detail.raw)
	}
	if n := strings.Count(string(detail.raw), `"type":"assigned"`) + strings.Count(string(detail.raw), `"type":"reassigned"`); n != 1 {
		t.Fatalf("a repeated assignment wrote %d assignment entries, want 1", n)
	}

	setDisabled(lawyer3, false)
	reassigned := do(t, a, "POST", path("/api/v1/requests/%d/assign", id), tok["police3"], map[string]any{"lead_id": lawyer3})
	expect(t, reassigned, 200, "")
	if leadOf(reassigned) != lawyer3 || assistantOf(reassigned) != police3 {
		t.Fatalf("reassigned: %s", reassigned.raw)
	}
	orders, _ := a.svc.dispatch.store.OrdersAbout(ctx, "request", id)
	states := map[int64]workorder.State{}
	for _, o := range orders {
		if o.Kind == workorder.KindAssignment && o.PersonID != 0 {
			states[o.PersonID] = o.State
		}
	}
	if states[lawyer4] != workorder.Cancelled || !states[lawyer3].Open() || !states[police3].Open() {
		t.Fatalf("after reassigning the lead the personal assignment orders are %v; want lawyer4's cancelled, lawyer3's and police3's open", states)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer4Token, map[string]any{"action": "start"}), 404, "")
	var lawyer3Token string
	awake(clock, func() { lawyer3Token, _ = staffLogin(t, a, "lawyer3") })
	started := do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer3Token, map[string]any{"action": "start"})
	expect(t, started, 200, "")
	if started.str("status") != "in_mediation" {
		t.Fatalf("status %s", started.str("status"))
	}
}

// Level-1 review where the record's author is the station's only officer
// (every demo station has one): a public-security case led by police1 at
// 双凤桥. The author may not approve; the first level falls to the district
// supervisor (and its work order to the district's queue), then the second.
func TestLevelOneReviewFallsToTheSupervisorAtALoneStation(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	station := stationID(t, a, "双凤桥派出所")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "compensation",
		"description": "酒后推搡致轻微伤", "station_id": station})
	expect(t, filed, 201, "")
	id := filed.id()
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "public_security"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), police, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "双方同意赔偿"}},
		"outcome":  "agreed", "risk_score": 20, "agreement": map[string]any{"terms": "赔偿医药费500元", "amount_fen": 50000, "judicial_confirmation": "pending"},
	}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), police, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve"}), 403, "record.not_your_review")

	orders, err := a.svc.dispatch.store.OrdersAbout(context.Background(), "request", id)
	if err != nil {
		t.Fatal(err)
	}
	district, err := a.svc.accounts.ParentUnit(context.Background(), station)
	if err != nil {
		t.Fatal(err)
	}
	var levelOne *workorder.Order
	for i, o := range orders {
		if o.Kind == workorder.KindRecordReview {
			levelOne = &orders[i]
		}
	}
	if levelOne == nil || levelOne.UnitID != district {
		t.Fatalf("the level-1 review order should go to the district (%d), where the reviewer is: %+v", district, levelOne)
	}

	first := do(t, a, "POST", path("/api/v1/requests/%d/approve", id), supervisor, map[string]any{"decision": "approve", "comment": "所内无其他民警，由分局代审"})
	expect(t, first, 200, "")
	if first.str("review") != "pending_supervisor" {
		t.Fatalf("after the first level the record is %s", first.str("review"))
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve"}), 403, "record.not_your_review")
	// Two levels, two people: the supervisor who stood in at the first level
	// does not approve the second.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), supervisor, map[string]any{"decision": "approve"}), 403, "record.not_your_review")
	supervisor2, _ := staffLogin(t, a, "supervisor2")
	second := do(t, a, "POST", path("/api/v1/requests/%d/approve", id), supervisor2, map[string]any{"decision": "approve"})
	expect(t, second, 200, "")
	if second.str("review") != "approved" {
		t.Fatalf("after the second level the record is %s", second.str("review"))
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "agree"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "close"}), 200, "")
}
