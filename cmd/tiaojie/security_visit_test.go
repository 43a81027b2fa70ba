package main

import (
	"fmt"
	"testing"
	"time"
)

// remoteVisit is an approved remote visit at the demo centre: the family's
// booking and its video room.
type remoteVisit struct {
	booking             int64
	room                string
	family, centreStaff string
}

// approveRemoteVisit takes a new detainee in at the demo centre with the
// demo citizen as family, books tomorrow's remote slot and approves it.
func approveRemoteVisit(t *testing.T, a *application, box *smsBox) remoteVisit {
	t.Helper()
	staff, _ := staffLogin(t, a, "staff1")
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	centres := do(t, a, "GET", "/api/v1/detention-centers", family, nil)
	expect(t, centres, 200, "")
	centre := int64(centres.bodyList()[0]["id"].(float64))
	today := time.Now().In(a.cfg.HTTP.Location)
	intake := do(t, a, "POST", "/api/v1/detainees", staff, map[string]any{"centre_id": centre, "home_station_id": stationID(t, a, "双凤桥派出所"),
		"name": "钱某", "id_number": "500112198512120078", "case_cause": "邻里纠纷互殴", "punishment": "行政拘留五日",
		"punishment_from": today.Format("2006-01-02"), "punishment_to": today.AddDate(0, 0, 5).Format("2006-01-02"),
		"health_notes": "", "dispute_background": "", "prior_records": "",
		"family": []map[string]any{{"phone": DemoCitizenPhone, "relationship": "兄弟"}}})
	expect(t, intake, 201, "")
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
	booking := do(t, a, "POST", "/api/v1/visit-bookings", family, map[string]any{"detainee_id": intake.id(), "slot_id": slot, "relationship": "兄弟",
		"visitors": []map[string]any{{"name": "张三", "id_number": "500112199001011234", "phone": DemoCitizenPhone}}}, "Idempotency-Key", fmt.Sprintf("visit-%d", time.Now().UnixNano()))
	expect(t, booking, 201, "")
	approved := do(t, a, "POST", path("/api/v1/visit-bookings/%d/approve", booking.id()), staff, map[string]any{})
	expect(t, approved, 200, "")
	return remoteVisit{booking: booking.id(), room: approved.str("room_id"), family: family, centreStaff: staff}
}

// Medium 5 (issue 16): a remote visit's recordings are for its hosts and
// the supervisors and admins above its centre, not for those of another
// district.
func TestSecurityVisitRecordingsStayInTheirDistrict(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box)
	other := newOtherDistrict(t, a)
	sup1, _ := staffLogin(t, a, "supervisor1")
	admin1, _ := staffLogin(t, a, "admin")
	for who, token := range map[string]string{"the district's supervisor": sup1, "the district's admin": admin1} {
		if r := do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings", token, nil); r.status != 200 {
			t.Errorf("%s: %d %s, want the recordings", who, r.status, r.raw)
		}
	}
	for who, token := range map[string]string{"another district's supervisor": other.supervisor, "another district's admin": other.admin} {
		expect(t, do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings", token, nil), 404, "room.not_found")
		expect(t, do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings/any", token, nil), 404, "")
		_ = who
	}
}

// Medium 9 (issue 16): list reads of personal data are audited like detail
// reads: the requests page (party phones for police), the detainees page
// (health notes), the visit bookings page and a booking's detail (visitor
// names).
func TestSecurityListReadsAreAudited(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box)
	police, _ := staffLogin(t, a, "police1")
	admin, _ := staffLogin(t, a, "admin")
	fileAt(t, a, visit.family, stationID(t, a, "双凤桥派出所"), "邻居噪音纠纷需要调解")
	reads := map[string]struct{ path, token string }{
		"request.list":       {"/api/v1/requests", police},
		"detainee.list":      {"/api/v1/detainees", visit.centreStaff},
		"visit_booking.list": {"/api/v1/visit-bookings", visit.centreStaff},
		"visit_booking.read": {path("/api/v1/visit-bookings/%d", visit.booking), visit.centreStaff},
	}
	for action, r := range reads {
		got := do(t, a, "GET", r.path, r.token, nil)
		expect(t, got, 200, "")
		found := false
		for _, it := range do(t, a, "GET", "/api/v1/admin/audit-log?limit=100", admin, nil).body["items"].([]any) {
			e := it.(map[string]any)
			if e["action"] == action && e["request_id"] == got.header.Get("X-Request-ID") {
				found = true
			}
		}
		if !found {
			t.Errorf("GET %s wrote no %s audit line", r.path, action)
		}
	}
}
