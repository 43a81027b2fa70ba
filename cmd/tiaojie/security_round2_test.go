package main

import (
	"context"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/account"

	m "github.com/tiaojie/tiaojie/domain/mediation"
	"github.com/tiaojie/tiaojie/realtime"
)

// Issue 16, not covered before: a case's timeline is paged. The detail
// carries the newest 50 entries and a cursor; GET …/events pages the rest,
// newest first, for whoever may read the request and nobody else.
func TestSecurityTimelineIsPaged(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	stranger, _ := citizenLogin(t, a, box, randomPhone())
	id := fileAt(t, a, citizen, stationID(t, a, "双凤桥派出所"), "邻居噪音纠纷")
	extra := make([]*m.Event, 80)
	for i := range extra {
		extra[i] = &m.Event{RequestID: id, At: time.Now().UTC(), ActorRole: "citizen", Type: "room_muted", Note: fmt.Sprintf("第%d条", i+1)}
	}
	if err := a.svc.mediationStore.AppendEvent(t.Context(), extra...); err != nil {
		t.Fatal(err)
	}

	detail := do(t, a, "GET", path("/api/v1/requests/%d", id), citizen, nil)
	expect(t, detail, 200, "")
	timeline, _ := detail.body["timeline"].([]any)
	if len(timeline) != m.TimelineSize {
		t.Fatalf("the detail carries %d timeline entries, want the newest %d", len(timeline), m.TimelineSize)
	}
	if last := timeline[len(timeline)-1].(map[string]any); last["note"] != "第80条" {
		t.Fatalf("the detail's last entry is %v, want the newest (第80条)", last)
	}
	if detail.body["timeline_more"] != true || detail.str("timeline_next_cursor") == "" {
		t.Fatalf("the detail does not say there is more: %v %v", detail.body["timeline_more"], detail.body["timeline_next_cursor"])
	}

	// Page the earlier entries: 30 of the 80 extra ones plus the filing.
	seen := map[float64]bool{}
	for _, e := range timeline {
		seen[e.(map[string]any)["id"].(float64)] = true
	}
	cursor, pages := detail.str("timeline_next_cursor"), 0
	var lastID float64
	for cursor != "" {
		page := do(t, a, "GET", path("/api/v1/requests/%d/events?limit=20&cursor=%s", id, cursor), citizen, nil)
		expect(t, page, 200, "")
		pages++
		items, _ := page.body["items"].([]any)
		for _, it := range items {
			e := it.(map[string]any)
			eid := e["id"].(float64)
			if seen[eid] {
				t.Fatalf("entry %v came twice", eid)
			}
			if lastID != 0 && eid >= lastID {
				t.Fatalf("entry %v after %v: pages are newest first", eid, lastID)
			}
			seen[eid], lastID = true, eid
		}
		cursor = page.str("next_cursor")
	}
	if len(seen) != 81 || pages != 2 {
		t.Fatalf("paging saw %d entries in %d pages, want 81 in 2", len(seen), pages)
	}
	if first := do(t, a, "GET", path("/api/v1/requests/%d/events?limit=1", id), citizen, nil); first.body["items"].([]any)[0].(map[string]any)["note"] != "第80条" {
		t.Fatalf("the first page does not start with the newest: %s", first.raw)
	}
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d/events", id), stranger, nil), 404, "")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d/events?cursor=nonsense", id), citizen, nil), 422, "")
}

// Issue 16 (low): a work order is reassigned only within the actor's area:
// a supervisor within their subtree, the claimer within their district. A
// unit or person of another district is answered like an unknown one (422
// on the field), so nothing is learnt about other districts.
func TestSecurityWorkOrdersStayInTheDistrict(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	other := newOtherDistrict(t, a)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police1, _ := staffLogin(t, a, "police1")
	sup1, _ := staffLogin(t, a, "supervisor1")
	req := fileAt(t, a, citizen, stationID(t, a, "双凤桥派出所"), "物业费纠纷需要调解")
	orders, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "request", req)
	order := path("/api/v1/work-orders/%d/reassign", orders[0].ID)
	reassign := func(who string, to map[string]any) reply {
		to["reason"] = "改派"
		return do(t, a, "POST", order, who, to)
	}
	refused := func(r reply, field string) {
		t.Helper()
		expect(t, r, 422, "")
		if !strings.Contains(string(r.raw), `"`+field+`"`) {
			t.Fatalf("refused without naming %s: %s", field, r.raw)
		}
	}
	refused(reassign(sup1, map[string]any{"unit_id": other.station}), "unit_id")
	refused(reassign(sup1, map[string]any{"person_id": other.poID}), "person_id")
	refused(reassign(sup1, map[string]any{"unit_id": other.district}), "unit_id")
	refused(reassign(sup1, map[string]any{"person_id": 987654321}), "person_id")
	expect(t, reassign(other.supervisor, map[string]any{"unit_id": other.station}), 404, "work_order.not_found")
	expect(t, reassign(sup1, map[string]any{"unit_id": stationID(t, a, "回兴派出所")}), 200, "")
	expect(t, reassign(sup1, map[string]any{"unit_id": stationID(t, a, "双凤桥派出所"), "person_id": demoUserNamed(t, a, "police1")}), 200, "")

	// The claimer hands on within their district only.
	expect(t, do(t, a, "POST", path("/api/v1/work-orders/%d/claim", orders[0].ID), police1, nil), 200, "")
	refused(reassign(police1, map[string]any{"unit_id": other.station}), "unit_id")
	expect(t, reassign(police1, map[string]any{"unit_id": stationID(t, a, "两路派出所")}), 200, "")
}

// Issue 16 (round 2): run stopped before Fiber's Serve has started used to
// hang: Shutdown found no listener yet, and Serve then served forever. A
// context that is already done must still end run promptly.
func TestRunStopsWhenStoppedBeforeServing(t *testing.T) {
	for i := range 3 {
		a := newTestApp(t, testConfig(t, nil))
		// Serve is slow to start (as under load): it registers its
		// listener only after the shutdown has begun.
		a.http.App().Hooks().OnListen(func(fiber.ListenData) error { time.Sleep(time.Duration(100*(i+1)) * time.Millisecond); return nil })
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel() // stopped before run even starts serving
		done := make(chan error, 1)
		go func() { done <- a.run(ctx, ln) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("run %d: %v", i, err)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("run %d did not return within 20 s of being stopped before serving", i)
		}
	}
}

// Issue 16 / issue 20 (Yuyao): detention staff list and play the
// recordings of the remote visits their centre hosts (before: 403 by the
// route's roles); another centre's staff are told the room does not
// exist; every playback writes an audit line naming the recording.
func TestSecurityDetentionStaffPlayTheirVisitRecordings(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box)
	ctx := t.Context()
	staff9 := otherCentreStaff(t, a)
	admin, _ := staffLogin(t, a, "admin")

	// A finished recording of the visit, as the SFU stores one.
	size, sum, err := a.svc.files.Put(ctx, "recordings/test/visit-audio.ogg", strings.NewReader("OggS fake audio"), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	rec := realtime.Recording{ID: "rec-visit-1", RoomID: visit.room, Owner: realtime.Owner{Type: "visit", ID: visit.booking}, ParticipantID: "u1",
		Role: realtime.RoleHost, Kind: "audio", Codec: "audio/opus", Container: "ogg", StorageKey: "recordings/test/visit-audio.ogg",
		StartedAt: now.Add(-time.Minute), EndedAt: now, Bytes: size, SHA256: sum, EndReason: "ended"}
	started := rec
	started.EndedAt, started.Bytes, started.SHA256, started.EndReason = time.Time{}, 0, "", ""
	if err := a.svc.video.RecordingStarted(ctx, started); err != nil {
		t.Fatal(err)
	}
	if err := a.svc.video.RecordingFinished(ctx, rec); err != nil {
		t.Fatal(err)
	}

	list := do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings", visit.centreStaff, nil)
	expect(t, list, 200, "")
	if len(list.bodyList()) != 1 {
		t.Fatalf("the centre's staff see %s, want the visit's recording", list.raw)
	}
	play := do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings/rec-visit-1", visit.centreStaff, nil)
	if play.status != 200 || string(play.raw) != "OggS fake audio" {
		t.Fatalf("playback: %d %q", play.status, play.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings", staff9, nil), 404, "room.not_found")
	expect(t, do(t, a, "GET", "/api/v1/rooms/"+visit.room+"/recordings/rec-visit-1", staff9, nil), 404, "room.not_found")

	played := 0
	for _, it := range do(t, a, "GET", "/api/v1/admin/audit-log?limit=100", admin, nil).body["items"].([]any) {
		e := it.(map[string]any)
		if e["action"] == "recording.play" && e["request_id"] == play.header.Get("X-Request-ID") &&
			e["detail"] == visit.room+"/rec-visit-1" && e["resource_type"] == "visit_booking" {
			played++
		}
	}
	if played != 1 {
		t.Fatalf("the playback wrote %d recording.play audit lines, want 1", played)
	}
}

// otherCentreStaff signs in staff9, detention staff of a centre in a
// second district.
func otherCentreStaff(t *testing.T, a *application) string {
	t.Helper()
	other := newOtherDistrict(t, a)
	centre, err := a.svc.accounts.CreateOrg(t.Context(), domain.System, other.district, account.OrgDetentionCenter, "江北区拘留所")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.accounts.CreateStaff(t.Context(), domain.System, account.NewStaff{Username: "staff9", Name: "江北管教", Password: DemoPassword,
		Roles: []string{account.RoleDetentionStaff}, OrgID: centre.ID}); err != nil {
		t.Fatal(err)
	}
	token, _ := staffLogin(t, a, "staff9")
	return token
}

// The joint mediations a centre works are the cases families file on a
// detainee's behalf: the centre's detention staff review the recordings of
// such a case's room; another centre's staff are told it does not exist.
func TestSecurityDetentionStaffReviewTheirDetaineesCaseRecordings(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box) // registers 钱某 with the demo citizen as family
	booking := do(t, a, "GET", path("/api/v1/visit-bookings/%d", visit.booking), visit.centreStaff, nil)
	expect(t, booking, 200, "")
	police, _ := staffLogin(t, a, "police1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	filed := do(t, a, "POST", "/api/v1/requests", visit.family, map[string]any{"kind": "mediation", "category": "debt",
		"description": "哥哥因欠款纠纷被拘，希望与债主视频调解", "station_id": stationID(t, a, "双凤桥派出所"),
		"lawyer_id": demoUser(t, a, "lawyer").ID, "detainee_id": booking.body["detainee_id"]})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), lawyer, nil)
	expect(t, room, 201, "")
	recordings := "/api/v1/rooms/" + room.str("id") + "/recordings"
	expect(t, do(t, a, "GET", recordings, visit.centreStaff, nil), 200, "")
	expect(t, do(t, a, "GET", recordings, otherCentreStaff(t, a), nil), 404, "room.not_found")
}
