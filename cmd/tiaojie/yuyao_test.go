package main

import (
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// Issue 20 (Yuyao, 拘调融合), on MariaDB and Redis with the demo accounts.

// yuyaoCaseRoom is openCaseRoom on the test backend (dispatchApp).
func yuyaoCaseRoom(t *testing.T) (caseRoom, *smsBox) {
	t.Helper()
	a, base, box := dispatchApp(t, nil)
	c := caseRoom{a: a, base: base}
	c.citizen, _ = citizenLogin(t, a, box, DemoCitizenPhone)
	c.lawyer, _ = staffLogin(t, a, "lawyer1")
	c.officer, _ = staffLogin(t, a, "police1")
	filed := do(t, a, "POST", "/api/v1/requests", c.citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "赡养费纠纷需要视频调解", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), c.officer, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), c.lawyer, nil)
	expect(t, room, 201, "")
	c.request, c.room = filed.id(), room.str("id")
	return c, box
}

// inboxHas reports whether the caller's inbox holds a notice of kind whose
// body contains text.
func inboxHas(t *testing.T, a *application, token, kind, text string) bool {
	t.Helper()
	r := do(t, a, "GET", "/api/v1/notifications", token, nil)
	expect(t, r, 200, "")
	for _, it := range r.body["items"].([]any) {
		n := it.(map[string]any)
		if n["kind"] == kind && strings.Contains(n["body"].(string), text) {
			return true
		}
	}
	return false
}

// A host invites the other party (no account yet: name and phone) and a
// supervisor as an observer. Both find the invitation with the room's link
// in their inbox; the observer receives the host's media, publishes none
// and is listed to nobody, while the other party waits in the lobby and is
// admitted like the family.
func TestYuyaoHostsInviteMorePeopleAndObserversStayUnseen(t *testing.T) {
	if testing.Short() {
		t.Skip("media over loopback")
	}
	c, box := yuyaoCaseRoom(t)
	a := c.a
	supervisor, _ := staffLogin(t, a, "supervisor1")
	invitations := "/api/v1/rooms/" + c.room + "/invitations"

	observer := do(t, a, "POST", invitations, c.lawyer, map[string]any{"kind": "observer", "user_id": demoUserNamed(t, a, "supervisor1")})
	expect(t, observer, 201, "")
	if observer.str("role") != "observer" {
		t.Fatalf("the observer's invitation: %s", observer.raw)
	}
	otherPhone := randomPhone()
	party := do(t, a, "POST", invitations, c.lawyer, map[string]any{"kind": "other_party", "name": "李四", "phone": otherPhone})
	expect(t, party, 201, "")
	if party.str("role") != "family" || party.str("name") != "李四" {
		t.Fatalf("the other party's invitation: %s", party.raw)
	}
	expect(t, do(t, a, "POST", invitations, c.lawyer, map[string]any{"kind": "interpreter", "name": "王五", "phone": otherPhone}), 409, "room.already_invited")
	expect(t, do(t, a, "POST", invitations, c.lawyer, map[string]any{"kind": "observer", "name": "王五", "phone": randomPhone()}), 422, "")
	expect(t, do(t, a, "POST", invitations, supervisor, map[string]any{"kind": "interpreter", "name": "王五", "phone": randomPhone()}), 403, "room.hosts_only")
	expect(t, do(t, a, "POST", invitations, c.citizen, map[string]any{"kind": "interpreter", "name": "王五", "phone": randomPhone()}), 403, "")
	stranger, _ := staffLogin(t, a, "police2") // another station's officer, not in the room
	expect(t, do(t, a, "POST", invitations, stranger, map[string]any{"kind": "interpreter", "name": "王五", "phone": randomPhone()}), 404, "room.not_found")
	list := do(t, a, "GET", invitations, c.lawyer, nil)
	expect(t, list, 200, "")
	if n := len(list.bodyList()); n != 2 {
		t.Fatalf("the room lists %d invitations, want 2: %s", n, list.raw)
	}

	if !inboxHas(t, a, supervisor, "room_invitation", "/console/room/"+c.room) {
		t.Fatal("the supervisor's inbox has no invitation with the console link")
	}
	other, _ := citizenLogin(t, a, box, otherPhone)
	if !inboxHas(t, a, other, "room_invitation", "/h5/room/"+c.room) {
		t.Fatal("the other party's inbox has no invitation with the phone-app link")
	}

	host, hostID := c.join(t, c.lawyer)
	host.WaitMsg(realtime.TypeWelcome, nil)
	watcher, watcherID := c.join(t, supervisor)
	if w := watcher.WaitMsg(realtime.TypeWelcome, nil); rtctest.Field(w, "state") != "admitted" {
		t.Fatalf("the observer's welcome: %s", w.Data)
	}
	watcher.ReceivesFrom(hostID)

	guest, guestID := c.join(t, other)
	guest.WaitMsg(realtime.TypeWelcome, nil)
	host.WaitMsg(realtime.TypeLobby, nil)
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: guestID})
	guest.ReceivesFrom(hostID)
	host.ReceivesFrom(guestID)
	watcher.ReceivesFrom(guestID)

	// Nobody hears of the observer: no joined message, not in a welcome.
	for who, cl := range map[string]*rtctest.Client{"host": host, "other party": guest} {
		for _, e := range cl.Messages(realtime.TypeJoined) {
			if strings.Contains(string(e.Data), `"`+watcherID+`"`) {
				t.Fatalf("the %s was told the observer joined: %s", who, e.Data)
			}
		}
		for _, e := range cl.Messages(realtime.TypeWelcome) {
			if strings.Contains(string(e.Data), `"`+watcherID+`"`) {
				t.Fatalf("the %s's welcome lists the observer: %s", who, e.Data)
			}
		}
		if pk, _ := cl.From(watcherID, "video"); pk != 0 {
			t.Fatalf("the %s received %d packets from the observer", who, pk)
		}
	}
}

// homeStationOrders are the home-station notices about a subject that the
// station's officer sees.
func homeStationOrders(t *testing.T, a *application, token, resource string, id int64) []map[string]any {
	t.Helper()
	r := do(t, a, "GET", "/api/v1/work-orders?kind=home_station_notice&limit=100", token, nil)
	expect(t, r, 200, "")
	var out []map[string]any
	for _, it := range r.body["items"].([]any) {
		o := it.(map[string]any)
		if o["resource_type"] == resource && o["resource_id"] == float64(id) {
			out = append(out, o)
		}
	}
	return out
}

// The home station hears of its residents' approved visits and joint
// mediations: a work order in the station's queue, void when the visit is
// cancelled.
func TestYuyaoHomeStationHearsOfVisitsAndJointMediations(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box) // the detainee's home station is 双凤桥派出所 (police1's)
	police, _ := staffLogin(t, a, "police1")
	other, _ := staffLogin(t, a, "police2")
	got := homeStationOrders(t, a, police, "visit_booking", visit.booking)
	if len(got) != 1 || got[0]["state"] != "queued" || !strings.Contains(got[0]["title"].(string), "钱某") {
		t.Fatalf("the home station's notices of the visit: %v", got)
	}
	if n := len(homeStationOrders(t, a, other, "visit_booking", visit.booking)); n != 0 {
		t.Fatalf("another station sees %d notices of the visit", n)
	}
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/cancel", visit.booking), visit.family, map[string]any{"reason": "临时有事"}), 200, "")
	if got = homeStationOrders(t, a, police, "visit_booking", visit.booking); len(got) != 1 || got[0]["state"] != "cancelled" {
		t.Fatalf("after the cancel the notice is %v, want cancelled", got)
	}

	booking := do(t, a, "GET", path("/api/v1/visit-bookings/%d", visit.booking), visit.centreStaff, nil)
	expect(t, booking, 200, "")
	joint := do(t, a, "POST", "/api/v1/joint-mediations", visit.centreStaff, map[string]any{"detainee_id": booking.body["detainee_id"],
		"business_line": do(t, a, "GET", "/api/v1/joint-mediation-lines", visit.centreStaff, nil).bodyList()[0]["code"],
		"summary":       "邻里纠纷，拟赔礼道歉和解", "partner_unit_ids": []int64{orgID(t, a, "渝北区人民法院执行局")}})
	expect(t, joint, 201, "")
	if got = homeStationOrders(t, a, police, "joint_mediation", joint.id()); len(got) != 1 {
		t.Fatalf("the home station's notices of the joint mediation: %v", got)
	}
}

// Families rate a visit that took place and a decided joint mediation,
// partners the joint mediation; each person once. The centre's statistics
// count and average them.
func TestYuyaoFamiliesAndPartnersGiveFeedbackThatTheCentreCounts(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box)
	partner, _ := staffLogin(t, a, "partner1") // 渝北区人民法院执行局
	feedback := path("/api/v1/visit-bookings/%d/feedback", visit.booking)
	booking := do(t, a, "GET", path("/api/v1/visit-bookings/%d", visit.booking), visit.centreStaff, nil)
	expect(t, booking, 200, "")
	centre := int64(booking.body["centre_id"].(float64))
	window := "?from=" + time.Now().Add(-time.Hour).Format(time.RFC3339) + "&to=" + time.Now().Add(72*time.Hour).Format(time.RFC3339)
	window = strings.ReplaceAll(window, "+", "%2B")
	baseline := do(t, a, "GET", path("/api/v1/detention-centers/%d/stats", centre)+window, visit.centreStaff, nil)
	expect(t, baseline, 200, "")
	expect(t, do(t, a, "POST", feedback, visit.family, map[string]any{"stars": 5, "comment": "很方便"}), 409, "feedback.not_finished")

	// The visit takes place tomorrow; the centre records it.
	starts, _ := time.Parse(time.RFC3339, booking.str("starts_at"))
	a.svc.visits.Clock = &testClock{now: starts.Add(10 * time.Minute).UTC()}
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/attendance", visit.booking), visit.centreStaff, map[string]any{"outcome": "attended"}), 200, "")
	expect(t, do(t, a, "POST", feedback, visit.centreStaff, map[string]any{"stars": 5}), 403, "")
	expect(t, do(t, a, "POST", feedback, visit.family, map[string]any{"stars": 6}), 422, "")
	if b := do(t, a, "GET", path("/api/v1/visit-bookings/%d", visit.booking), visit.family, nil); b.body["my_feedback"] != nil {
		t.Fatalf("before rating, the family's booking shows my_feedback: %s", b.raw)
	}
	given := do(t, a, "POST", feedback, visit.family, map[string]any{"stars": 5, "comment": "远程会见很方便，不用跑一趟"})
	expect(t, given, 201, "")
	if given.str("subject_type") != "visit_booking" || given.body["stars"] != 5.0 {
		t.Fatalf("the feedback: %s", given.raw)
	}
	expect(t, do(t, a, "POST", feedback, visit.family, map[string]any{"stars": 1}), 409, "feedback.already_given")
	if b := do(t, a, "GET", path("/api/v1/visit-bookings/%d", visit.booking), visit.family, nil); b.body["my_feedback"] == nil ||
		b.body["my_feedback"].(map[string]any)["comment"] != "远程会见很方便，不用跑一趟" {
		t.Fatalf("after rating, the family's booking shows my_feedback %v", b.body["my_feedback"])
	}

	joint := do(t, a, "POST", "/api/v1/joint-mediations", visit.centreStaff, map[string]any{"detainee_id": booking.body["detainee_id"],
		"business_line": do(t, a, "GET", "/api/v1/joint-mediation-lines", visit.centreStaff, nil).bodyList()[0]["code"],
		"summary":       "邻里纠纷，拟赔礼道歉和解", "partner_unit_ids": []int64{orgID(t, a, "渝北区人民法院执行局")}})
	expect(t, joint, 201, "")
	jointFeedback := path("/api/v1/joint-mediations/%d/feedback", joint.id())
	expect(t, do(t, a, "POST", jointFeedback, partner, map[string]any{"stars": 4}), 409, "feedback.not_finished")
	expect(t, do(t, a, "POST", path("/api/v1/joint-mediations/%d/decision", joint.id()), visit.centreStaff, map[string]any{
		"decided_at": time.Now().Format(time.RFC3339), "place": "渝北区拘留所会见室", "participants": []string{"孙管教", "冯法官", "钱某"},
		"outcome": "agreed", "notes": "赔礼道歉"}), 200, "")
	expect(t, do(t, a, "POST", jointFeedback, partner, map[string]any{"stars": 4, "comment": "会商高效"}), 201, "")
	expect(t, do(t, a, "POST", jointFeedback, visit.family, map[string]any{"stars": 3}), 201, "")
	stranger, _ := citizenLogin(t, a, box, randomPhone())
	expect(t, do(t, a, "POST", jointFeedback, stranger, map[string]any{"stars": 1}), 404, "")

	// The demo's own feedback (demo_yuyao.go) is in the window too: count
	// what this test added.
	stats := do(t, a, "GET", path("/api/v1/detention-centers/%d/stats", centre)+window, visit.centreStaff, nil)
	expect(t, stats, 200, "")
	for _, k := range []struct {
		tally      string
		count, sum float64
	}{{"visit_feedback", 1, 5}, {"joint_feedback", 2, 7}} {
		was, now := baseline.body[k.tally].(map[string]any), stats.body[k.tally].(map[string]any)
		count := now["count"].(float64) - was["count"].(float64)
		sum := now["count"].(float64)*now["average"].(float64) - was["count"].(float64)*was["average"].(float64)
		if count != k.count || sum < k.sum-0.01 || sum > k.sum+0.01 {
			t.Fatalf("%s grew by %v ratings summing %v, want %v summing %v: %s then %s", k.tally, count, sum, k.count, k.sum, baseline.raw, stats.raw)
		}
	}
	police, _ := staffLogin(t, a, "police1")
	expect(t, do(t, a, "GET", path("/api/v1/detention-centers/%d/stats", centre), police, nil), 403, "")
}
