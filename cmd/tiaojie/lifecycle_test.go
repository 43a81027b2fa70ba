package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// subject is something the walk below made orders about.
type subject struct {
	resource string
	id       int64
}

// Every kind of work order, walked to the action that does its work (or
// makes it void), then the SLA clocks run 90 days ahead: nothing the walk
// touched escalates, no urgent copy appears, nobody is told 工单超时升级, and
// an officer's app connecting afterwards is sent none of those orders.
func TestEveryOrderKindEndsWithItsWorkAndNeverEscalates(t *testing.T) {
	a, base, box := dispatchApp(t, map[string]string{"TIAOJIE_WARNING_INTERVAL": "100ms"})
	loc := a.cfg.HTTP.Location
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	sup, _ := staffLogin(t, a, "supervisor1")
	staff, _ := staffLogin(t, a, "staff1")
	station := stationID(t, a, "双凤桥派出所")
	var walked []subject

	// A civil case from filing to follow-up, its record returned once.
	civil := do(t, a, "POST", "/api/v1/requests", family, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "楼上漏水多次协商未果", "station_id": station, "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, civil, 201, "")
	id := civil.id()
	walked = append(walked, subject{"request", id})
	screened := do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"})
	expect(t, screened, 200, "")
	if screened.str("status") != "assigned" {
		t.Fatalf("screening did not assign the case: %s", screened.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "双方同意赔偿"}},
		"outcome":  "agreed", "risk_score": 30, "agreement": map[string]any{"terms": "赔偿维修费800元", "amount_fen": 80000, "judicial_confirmation": "pending"},
	}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "agree"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "return", "comment": "补充赔偿期限"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), sup, map[string]any{"decision": "approve"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "close", "note": "结案"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "follow_up"}), 200, "")

	// A request withdrawn, and one rejected, before anyone screened them.
	withdrawn, rejected := fileAt(t, a, family, station, "邻居噪音扰民请求调解"), fileAt(t, a, family, station, "咨询房屋买卖合同问题")
	walked = append(walked, subject{"request", withdrawn}, subject{"request", rejected})
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", withdrawn), family, map[string]any{"action": "withdraw"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", rejected), police, map[string]any{"reject": true, "reason": "不属于调解范围"}), 200, "")

	// Four filings of one citizen fire the seeded rule (≥ 3 in 30 days):
	// the station gets an instruction sheet; handling the warning ends it.
	var warningID int64
	for deadline := time.Now().Add(10 * time.Second); warningID == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no warning within 10 s")
		}
		w := do(t, a, "GET", "/api/v1/warnings", police, nil)
		expect(t, w, 200, "")
		if items := itemsOf(w); len(items) > 0 {
			warningID = int64(items[0]["id"].(float64))
		} else {
			time.Sleep(100 * time.Millisecond)
		}
	}
	walked = append(walked, subject{"warning", warningID})
	expect(t, do(t, a, "POST", path("/api/v1/warnings/%d/handle", warningID), police, map[string]any{"outcome": "resolved", "notes": "已上门调解"}), 200, "")

	// A detainee taken in red (an attention order), filed for by the family
	// (the centre's order, and its staff may open the request), visited,
	// pushed to partner units, released (a follow-up order).
	today := time.Now().In(loc)
	centres := do(t, a, "GET", "/api/v1/detention-centers", family, nil)
	expect(t, centres, 200, "")
	centre := int64(centres.bodyList()[0]["id"].(float64))
	intake := do(t, a, "POST", "/api/v1/detainees", staff, map[string]any{"centre_id": centre, "home_station_id": station, "name": "钱某",
		"id_number": "500112198512120078", "case_cause": "因债务纠纷殴打债主", "punishment": "行政拘留十日",
		"punishment_from": today.Format("2006-01-02"), "punishment_to": today.AddDate(0, 0, 10).Format("2006-01-02"),
		"health_notes": "曾诊断抑郁症", "dispute_background": "欠款三万元未还清", "prior_records": "",
		"family": []map[string]any{{"phone": DemoCitizenPhone, "relationship": "兄弟"}}})
	expect(t, intake, 201, "")
	detainee := intake.id()
	walked = append(walked, subject{"detainee", detainee})
	filed := do(t, a, "POST", "/api/v1/requests", family, map[string]any{"kind": "mediation", "category": "debt",
		"description": "哥哥因欠款纠纷被拘，希望与债主调解还款方案", "station_id": station, "detainee_id": detainee})
	expect(t, filed, 201, "")
	walked = append(walked, subject{"request", filed.id()})
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", filed.id()), staff, nil), 200, "")

	from, to := today.AddDate(0, 0, 1).Format("2006-01-02"), today.AddDate(0, 0, 3).Format("2006-01-02")
	slots := do(t, a, "GET", fmt.Sprintf("/api/v1/detention-centers/%d/visit-slots?from=%s&to=%s", centre, from, to), family, nil)
	expect(t, slots, 200, "")
	var free []int64
	for _, s := range itemsOf(slots) {
		if s["remaining"].(float64) > 0 {
			free = append(free, int64(s["id"].(float64)))
		}
	}
	if len(free) < 2 {
		t.Fatalf("fewer than two free slots: %s", slots.raw)
	}
	var bookings []int64
	for i, slot := range free[:2] {
		b := do(t, a, "POST", "/api/v1/visit-bookings", family, map[string]any{"detainee_id": detainee, "slot_id": slot, "relationship": "兄弟",
			"visitors": []map[string]any{{"name": "张三", "id_number": "500112199001011234", "phone": DemoCitizenPhone}}}, "Idempotency-Key", fmt.Sprintf("lifecycle-%d", i))
		expect(t, b, 201, "")
		bookings = append(bookings, b.id())
		walked = append(walked, subject{"visit_booking", b.id()})
	}
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/approve", bookings[0]), staff, map[string]any{}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/cancel", bookings[1]), staff, map[string]any{"reason": "会见室维修"}), 200, "")

	court := orgID(t, a, "渝北区人民法院执行局")
	lines := do(t, a, "GET", "/api/v1/joint-mediation-lines", staff, nil)
	expect(t, lines, 200, "")
	joint := do(t, a, "POST", "/api/v1/joint-mediations", staff, map[string]any{"detainee_id": detainee, "request_id": filed.id(),
		"business_line": lines.bodyList()[0]["code"], "summary": "债务纠纷，拟分期还款和解", "partner_unit_ids": []int64{court}})
	expect(t, joint, 201, "")
	walked = append(walked, subject{"joint_mediation", joint.id()})
	expect(t, do(t, a, "POST", path("/api/v1/joint-mediations/%d/decision", joint.id()), staff, map[string]any{
		"decided_at": time.Now().Format(time.RFC3339), "place": "会见室", "participants": []string{"孙管教", "冯法官"}, "outcome": "agreed"}), 200, "")

	// Settled between the families out of court: the family withdraws the
	// request the station never screened.
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", filed.id()), family, map[string]any{"action": "withdraw"}), 200, "")

	released := do(t, a, "POST", path("/api/v1/detainees/%d/release", detainee), staff, map[string]any{"date": today.Format("2006-01-02"), "reason": "期满释放"})
	expect(t, released, 200, "")
	followUp := int64(released.body["follow_up"].(map[string]any)["id"].(float64))
	walked = append(walked, subject{"follow_up", followUp})
	expect(t, do(t, a, "POST", path("/api/v1/follow-ups/%d/visits", followUp), police, map[string]any{"date": today.Format("2006-01-02"),
		"method": "home", "note": "上门回访"}), 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/follow-ups/%d/assessment", followUp), police, map[string]any{"assessment": "good", "note": "表现良好"}), 200, "")

	// Every order the walk raised has ended, and every kind was among them.
	before := map[subject][]workorder.Order{}
	kinds := map[string]bool{}
	var ids []int64
	for _, s := range walked {
		orders, err := a.svc.dispatch.store.OrdersAbout(t.Context(), s.resource, s.id)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range orders {
			kinds[o.Kind] = true
			ids = append(ids, o.ID)
			if o.State.Open() || o.ClosedAt == nil {
				t.Errorf("%s order %d about %s %d is still %s after the action that does its work", o.Kind, o.ID, s.resource, s.id, o.State)
			}
		}
		before[s] = orders
	}
	for _, k := range []string{workorder.KindScreenRequest, workorder.KindAssignment, workorder.KindRecordReview, workorder.KindRecordReturned,
		workorder.KindFollowUp, workorder.KindDetaineeFiling, workorder.KindVisitApproval, workorder.KindJointMediation, workorder.KindWarning,
		workorder.KindAttention} {
		if !kinds[k] {
			t.Errorf("the walk raised no %s order", k)
		}
	}

	// The clocks, 90 days on: past every deadline of every kind.
	clocked := *a.svc.dispatch.orders
	clocked.Clock = domain.ClockFunc(func() time.Time { return time.Now().UTC().Add(90 * 24 * time.Hour) })
	clocked.Reconcile = 0
	for i := 0; i < 20; i++ {
		n, err := clocked.Tick(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	for _, s := range walked {
		after, err := a.svc.dispatch.store.OrdersAbout(t.Context(), s.resource, s.id)
		if err != nil {
			t.Fatal(err)
		}
		if len(after) != len(before[s]) {
			t.Errorf("%s %d has %d orders after the clocks ran, %d before: an escalation copied one", s.resource, s.id, len(after), len(before[s]))
		}
		for _, o := range after {
			if o.State == workorder.Escalated || o.Priority == 1 && o.EscalatedFrom != 0 {
				t.Errorf("%s order %d about %s %d escalated after its work was done", o.Kind, o.ID, s.resource, s.id)
			}
		}
	}
	inbox := do(t, a, "GET", "/api/v1/notifications?limit=100", sup, nil)
	expect(t, inbox, 200, "")
	for _, n := range itemsOf(inbox) {
		if n["kind"] == "escalated" && slices.Contains(ids, int64(n["resource_id"].(float64))) {
			t.Errorf("the supervisor was told 工单超时升级 about finished order %v: %v", n["resource_id"], n["title"])
		}
	}

	// An officer's and the centre's apps connecting now are sent none of it.
	for _, tok := range []string{police, staff} {
		app := connectStaff(t, base, tok, false)
		for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
			m := app.quiet("order", time.Until(deadline))
			if m == nil {
				break
			}
			app.send(pushAck(m.DeliveryID))
			if slices.Contains(ids, m.Order.ID) {
				t.Errorf("a connecting app was sent finished %s order %d (%s)", m.Order.Kind, m.Order.ID, strings.TrimSpace(m.Order.Title))
			}
		}
	}
}

// itemsOf is the items of a page answer.
func itemsOf(r reply) []map[string]any {
	var out []map[string]any
	for _, it := range r.body["items"].([]any) {
		out = append(out, it.(map[string]any))
	}
	return out
}
