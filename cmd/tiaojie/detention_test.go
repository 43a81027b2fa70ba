package main

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// The seed's whole loop (002), through the API on MariaDB and Redis with the
// demo accounts: intake → red label → the family files for mediation on the
// detainee's behalf and books a remote visit → staff approve (a room with
// the centre's terminal) → joint mediation with two partner units and a
// consultation thread → agreement → release → 7-day follow-up by the home
// station → 结案销号 by the centre.
func TestDetentionLoopFromIntakeToClosure(t *testing.T) {
	a, base, box := dispatchApp(t, nil)
	loc := a.cfg.HTTP.Location
	staff, _ := staffLogin(t, a, "staff1")
	police, _ := staffLogin(t, a, "police1")
	partner1, _ := staffLogin(t, a, "partner1")
	partner2, _ := staffLogin(t, a, "partner2")
	sup, _ := staffLogin(t, a, "supervisor1")
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	stranger, _ := citizenLogin(t, a, box, randomPhone())
	station := stationID(t, a, "双凤桥派出所")
	centres := do(t, a, "GET", "/api/v1/detention-centers", family, nil)
	expect(t, centres, 200, "")
	centre := int64(centres.bodyList()[0]["id"].(float64))
	staffApp := connectStaff(t, base, staff, false)
	demo := do(t, a, "GET", "/api/v1/detainees", staff, nil)
	labels := map[string]bool{}
	for _, d := range demo.body["items"].([]any) {
		labels[d.(map[string]any)["label"].(string)] = true
	}
	if !labels["red"] || !labels["yellow"] || !labels["blue"] {
		t.Fatalf("the demo centre should hold one detainee of each label: %s", demo.raw)
	}

	// Intake of a new person: violence and a mental-health flag make red,
	// and red asks the centre for extra attention (a work order).
	today := time.Now().In(loc)
	intake := do(t, a, "POST", "/api/v1/detainees", staff, map[string]any{"centre_id": centre, "home_station_id": station, "name": "赵某",
		"id_number": "500112198512120078", "case_cause": "因债务纠纷殴打债主", "punishment": "行政拘留十日",
		"punishment_from": today.Format("2006-01-02"), "punishment_to": today.AddDate(0, 0, 10).Format("2006-01-02"),
		"health_notes": "曾诊断抑郁症", "dispute_background": "欠款三万元未还清", "prior_records": "",
		"family": []map[string]any{{"phone": DemoCitizenPhone, "relationship": "兄弟"}}})
	expect(t, intake, 201, "")
	detainee := intake.id()
	if intake.str("label") != "red" || !strings.HasPrefix(intake.str("id_number_masked"), "500") || strings.Contains(string(intake.raw), "500112198512120078") {
		t.Fatalf("intake: %s", intake.raw)
	}
	staffApp.orderAbout("detainee_attention", detainee)
	expect(t, do(t, a, "GET", path("/api/v1/detainees/%d", detainee), police, nil), 403, "auth.role_forbidden")
	// The profile names the family member (issue 17: no "用户 N" on the desk).
	profile := do(t, a, "GET", path("/api/v1/detainees/%d", detainee), staff, nil)
	expect(t, profile, 200, "")
	if fam := profile.body["family"].([]any); len(fam) != 1 || fam[0].(map[string]any)["name"] != "张三" {
		t.Errorf("the profile's family: %s", profile.raw)
	}

	// The family files on the detainee's behalf; the centre hears of it.
	filed := do(t, a, "POST", "/api/v1/requests", family, map[string]any{"kind": "mediation", "category": "debt",
		"description": "哥哥因欠款纠纷被拘，希望与债主调解还款方案", "station_id": station, "detainee_id": detainee})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", "/api/v1/requests", stranger, map[string]any{"kind": "mediation", "category": "debt",
		"description": "冒充家属提交申请", "station_id": station, "detainee_id": detainee}), 403, "request.not_family") // as booking answers a stranger (visit_booking.not_family)
	staffApp.orderAbout("detainee_request", filed.id())

	// A remote visit: the family books tomorrow's video slot, staff approve,
	// the booking gets a room with the centre's terminal invited.
	from, to := today.AddDate(0, 0, 1).Format("2006-01-02"), today.AddDate(0, 0, 2).Format("2006-01-02")
	slots := do(t, a, "GET", fmt.Sprintf("/api/v1/detention-centers/%d/visit-slots?from=%s&to=%s", centre, from, to), family, nil)
	expect(t, slots, 200, "")
	var slot int64
	for _, s := range slots.body["items"].([]any) {
		if m := s.(map[string]any); m["mode"] == "remote" && m["remaining"].(float64) > 0 {
			slot = int64(m["id"].(float64))
		}
	}
	if slot == 0 {
		t.Fatalf("no remote slot tomorrow: %s", slots.raw)
	}
	booking := do(t, a, "POST", "/api/v1/visit-bookings", family, map[string]any{"detainee_id": detainee, "slot_id": slot, "relationship": "兄弟",
		"visitors": []map[string]any{{"name": "张三", "id_number": "500112199001011234", "phone": DemoCitizenPhone}}}, "Idempotency-Key", "visit-1")
	expect(t, booking, 201, "")
	if booking.str("status") != "pending" {
		t.Fatalf("booking: %s", booking.raw)
	}
	bookingID := booking.id()
	expect(t, do(t, a, "GET", path("/api/v1/visit-bookings/%d", bookingID), stranger, nil), 404, "")
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/approve", bookingID), family, nil), 403, "auth.role_forbidden")
	approved := do(t, a, "POST", path("/api/v1/visit-bookings/%d/approve", bookingID), staff, map[string]any{})
	expect(t, approved, 200, "")
	roomID := approved.str("room_id")
	if approved.str("status") != "approved" || roomID == "" {
		t.Fatalf("approval: %s", approved.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/approve", bookingID), staff, map[string]any{}), 409, "")
	room, err := a.svc.mediation.Room(t.Context(), roomID)
	if err != nil {
		t.Fatal(err)
	}
	roles := map[string]bool{}
	for _, inv := range room.Invites {
		roles[inv.Role] = true
	}
	if !roles["family"] || !roles["host"] || !roles["detainee_terminal"] || room.BookingID != bookingID {
		t.Fatalf("the visit room's invitations: %+v", room)
	}

	// Joint mediation with the court's enforcement bureau and the women's
	// federation; they talk it over and agree.
	court, women := orgID(t, a, "渝北区人民法院执行局"), orgID(t, a, "渝北区妇女联合会")
	lines := do(t, a, "GET", "/api/v1/joint-mediation-lines", staff, nil)
	expect(t, lines, 200, "")
	line := lines.bodyList()[0]["code"]
	joint := do(t, a, "POST", "/api/v1/joint-mediations", staff, map[string]any{"detainee_id": detainee, "request_id": filed.id(),
		"business_line": line, "summary": "债务纠纷，拟分期还款和解", "partner_unit_ids": []int64{court, women}})
	expect(t, joint, 201, "")
	jointID := joint.id()
	for _, tok := range []string{partner1, partner2, staff} {
		expect(t, do(t, a, "POST", path("/api/v1/joint-mediations/%d/messages", jointID), tok, map[string]any{"body": "同意分期还款方案"}), 201, "")
	}
	expect(t, do(t, a, "GET", path("/api/v1/joint-mediations/%d", jointID), police, nil), 404, "")
	thread := do(t, a, "GET", path("/api/v1/joint-mediations/%d/messages", jointID), partner1, nil)
	expect(t, thread, 200, "")
	if n := len(thread.body["items"].([]any)); n != 3 {
		t.Fatalf("thread has %d messages, want 3", n)
	}
	decided := do(t, a, "POST", path("/api/v1/joint-mediations/%d/decision", jointID), staff, map[string]any{
		"decided_at": time.Now().Format(time.RFC3339), "place": "渝北区拘留所会见室", "participants": []string{"孙管教", "冯法官", "何主任", "赵某", "债主"}, "outcome": "agreed", "notes": "分三期还款"})
	expect(t, decided, 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/joint-mediations/%d/early-release", jointID), sup, map[string]any{
		"kind": "shorten_administrative", "days": 3, "note": "和解成功，依法减少拘留期限"}), 200, "")

	// Release: the home station gets the 7-day follow-up; it visits and
	// assesses; the centre signs off (结案销号). Out of order is refused.
	released := do(t, a, "POST", path("/api/v1/detainees/%d/release", detainee), staff, map[string]any{"date": today.Format("2006-01-02"), "reason": "期满释放"})
	expect(t, released, 200, "")
	followUp := int64(released.body["follow_up"].(map[string]any)["id"].(float64))
	expect(t, do(t, a, "POST", path("/api/v1/follow-ups/%d/close", followUp), staff, map[string]any{}), 409, "")
	expect(t, do(t, a, "POST", path("/api/v1/follow-ups/%d/visits", followUp), police, map[string]any{"date": today.Format("2006-01-02"),
		"method": "home", "note": "上门回访，已按约还款第一期"}), 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/follow-ups/%d/assessment", followUp), police, map[string]any{"assessment": "good", "note": "表现良好"}), 200, "")
	closed := do(t, a, "POST", path("/api/v1/follow-ups/%d/close", followUp), staff, map[string]any{"note": "结案销号"})
	expect(t, closed, 200, "")
	if closed.str("state") != "closed" {
		t.Fatalf("follow-up after sign-off: %s", closed.raw)
	}
	// Release cancelled nothing that had passed; the family was told of the approval.
	inbox := do(t, a, "GET", "/api/v1/notifications", family, nil)
	if !strings.Contains(string(inbox.raw), "visit_approved") {
		t.Fatalf("the family's inbox lacks the approval: %s", inbox.raw)
	}
	// The approval of a video visit opens its room with one tap.
	for _, it := range inbox.body["items"].([]any) {
		if n := it.(map[string]any); n["kind"] == "visit_approved" && n["link"] != "/h5/room/"+roomID {
			t.Fatalf("the approval notice links %v, want /h5/room/%s", n["link"], roomID)
		}
	}
}

func orgID(t *testing.T, a *application, name string) int64 {
	t.Helper()
	orgs, err := a.svc.accounts.Orgs.Orgs(t.Context(), "", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o.ID
		}
	}
	t.Fatalf("no organisation %s", name)
	return 0
}

// orderAbout acknowledges every order the app receives until the one of
// kind about resourceID arrives (the demo's own detainees have orders too).
func (s *staffApp) orderAbout(kind string, resourceID int64) {
	s.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		m := s.next("order", time.Until(deadline))
		s.send(pushAck(m.DeliveryID))
		if m.Order.Kind == kind && m.Order.ResourceID == resourceID {
			return
		}
	}
	s.t.Fatalf("no %s order about %d reached the app", kind, resourceID)
}
