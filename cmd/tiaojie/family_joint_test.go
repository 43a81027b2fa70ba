package main

import (
	"maps"
	"testing"
	"time"
)

// familyJointKeys are the fields a family sees of a joint mediation; the
// thread, the partner units, the notes and an early release stay at the
// centre.
var familyJointKeys = []string{"id", "detainee_id", "detainee_name", "centre_id", "centre_name", "business_line", "business_line_name",
	"state", "decided_at", "outcome", "created_at", "my_feedback"}

// A family finds the joint mediations of their detainee in the phone app
// (GET /api/v1/me/joint-mediations) and rates a decided one; every answer
// says whether the caller already rated it (my_feedback), the family's
// and the court's alike, and a second rating is a conflict. Families never
// see one another's joint mediations.
func TestFamilyRatesAJointMediationAndEveryAnswerSaysSo(t *testing.T) {
	a, box, _ := integrationApp(t)
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	stranger, _ := citizenLogin(t, a, box, randomPhone())
	otherPhone := randomPhone()
	other, _ := citizenLogin(t, a, box, otherPhone)
	staff, _ := staffLogin(t, a, "staff1")
	court, _ := staffLogin(t, a, "partner1") // 渝北区人民法院执行局
	police, _ := staffLogin(t, a, "police1")

	// The demo family's two (demo_yuyao.go): both of 刘某, decided; the
	// family rated the older one.
	mine := func(token string) []map[string]any {
		t.Helper()
		r := do(t, a, "GET", "/api/v1/me/joint-mediations", token, nil)
		expect(t, r, 200, "")
		return r.bodyList()
	}
	list := mine(family)
	if len(list) != 2 {
		t.Fatalf("the demo family has %d joint mediations, want 2: %v", len(list), list)
	}
	for _, j := range list {
		if len(j) != len(familyJointKeys) {
			t.Fatalf("the family sees %d fields, want exactly %v: %v", len(j), familyJointKeys, j)
		}
		for _, k := range familyJointKeys {
			if _, ok := j[k]; !ok {
				t.Fatalf("the family's joint mediation lacks %s: %v", k, j)
			}
		}
		if j["detainee_name"] != "刘某" || j["centre_name"] != "渝北区拘留所" || j["state"] != "agreed" || j["outcome"] != "agreed" ||
			j["decided_at"] == nil || j["business_line_name"] == "" {
			t.Fatalf("the family's joint mediation: %v", j)
		}
	}
	unrated, rated := list[0], list[1] // newest first
	if unrated["my_feedback"] != nil || rated["my_feedback"] == nil || unrated["id"].(float64) <= rated["id"].(float64) {
		t.Fatalf("want the newer unrated and the older rated by the family, newest first: %v", list)
	}
	if fb := rated["my_feedback"].(map[string]any); fb["stars"] != 5.0 || fb["comment"] != "矛盾化解了，放心了" || fb["subject_type"] != "joint_mediation" {
		t.Fatalf("the family's own rating: %v", fb)
	}
	unratedID, ratedID := int64(unrated["id"].(float64)), int64(rated["id"].(float64))

	// Each decision reached the family's inbox, leading to this list.
	told := map[int64]bool{}
	for _, it := range do(t, a, "GET", "/api/v1/notifications", family, nil).body["items"].([]any) {
		if n := it.(map[string]any); n["kind"] == "joint_decided" && n["resource_type"] == "joint_mediation" && n["link"] == "/h5/family/joints" {
			told[int64(n["resource_id"].(float64))] = true
		}
	}
	if !told[unratedID] || !told[ratedID] || len(told) != 2 {
		t.Fatalf("joint_decided notices about %v, want %d and %d", told, unratedID, ratedID)
	}

	// Another family's detainee and joint mediation: each family sees only its own.
	centre := int64(do(t, a, "GET", "/api/v1/detention-centers", staff, nil).bodyList()[0]["id"].(float64))
	today := time.Now().In(a.cfg.HTTP.Location)
	intake := do(t, a, "POST", "/api/v1/detainees", staff, map[string]any{"centre_id": centre, "home_station_id": stationID(t, a, "双凤桥派出所"),
		"name": "赵某", "id_number": "500112198807070031", "case_cause": "邻里纠纷", "punishment": "行政拘留五日",
		"punishment_from": today.Format("2006-01-02"), "punishment_to": today.AddDate(0, 0, 5).Format("2006-01-02"),
		"health_notes": "", "dispute_background": "", "prior_records": "",
		"family": []map[string]any{{"phone": otherPhone, "relationship": "母亲"}}})
	expect(t, intake, 201, "")
	theirs := do(t, a, "POST", "/api/v1/joint-mediations", staff, map[string]any{"detainee_id": intake.id(), "business_line": "public_order_dispute",
		"summary": "邻里纠纷", "partner_unit_ids": []int64{orgID(t, a, "渝北区人民法院执行局")}})
	expect(t, theirs, 201, "")
	if got := mine(other); len(got) != 1 || int64(got[0]["id"].(float64)) != theirs.id() || got[0]["state"] != "consulting" ||
		got[0]["decided_at"] != nil || got[0]["outcome"] != nil || got[0]["my_feedback"] != nil {
		t.Fatalf("the other family's list: %v", got)
	}
	for _, j := range mine(family) {
		if int64(j["id"].(float64)) == theirs.id() {
			t.Fatalf("the demo family sees another family's joint mediation: %v", j)
		}
	}
	expect(t, do(t, a, "POST", path("/api/v1/joint-mediations/%d/feedback", unratedID), other, map[string]any{"stars": 1}), 404, "")
	expect(t, do(t, a, "POST", path("/api/v1/joint-mediations/%d/feedback", theirs.id()), family, map[string]any{"stars": 1}), 404, "")
	r := do(t, a, "GET", "/api/v1/me/joint-mediations", stranger, nil)
	expect(t, r, 200, "")
	if string(r.raw) != "[]" {
		t.Fatalf("a citizen linked to nobody got %s", r.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/me/joint-mediations", police, nil), 403, "")
	expect(t, do(t, a, "GET", "/api/v1/me/joint-mediations", court, nil), 403, "")
	expect(t, do(t, a, "GET", "/api/v1/me/joint-mediations", "", nil), 401, "")

	// The family rates the unrated one, once.
	feedback := path("/api/v1/joint-mediations/%d/feedback", unratedID)
	expect(t, do(t, a, "POST", feedback, family, map[string]any{"stars": 4, "comment": "赔偿谈妥了，谢谢法官"}), 201, "")
	expect(t, do(t, a, "POST", feedback, family, map[string]any{"stars": 1}), 409, "feedback.already_given")
	for _, j := range mine(family) {
		fb, _ := j["my_feedback"].(map[string]any)
		if int64(j["id"].(float64)) == unratedID && (fb == nil || fb["stars"] != 4.0 || fb["comment"] != "赔偿谈妥了，谢谢法官") {
			t.Fatalf("after rating, the family's list shows %v", j)
		}
	}

	// The court: its own rating on the detail, none yet on the new one;
	// after rating, the detail says so and a second rating is a conflict.
	detail := func(token string, id int64) map[string]any {
		t.Helper()
		r := do(t, a, "GET", path("/api/v1/joint-mediations/%d", id), token, nil)
		expect(t, r, 200, "")
		if _, ok := r.body["my_feedback"]; !ok {
			t.Fatalf("the detail has no my_feedback: %s", r.raw)
		}
		fb, _ := r.body["my_feedback"].(map[string]any)
		return fb
	}
	if fb := detail(court, ratedID); fb == nil || fb["stars"] != 4.0 || fb["comment"] != "会商及时，拘留所配合到位" {
		t.Fatalf("the court's rating of the demo's rated joint mediation: %v", fb)
	}
	if fb := detail(court, unratedID); fb != nil {
		t.Fatalf("the court has not rated, yet the detail shows %v (the family's?)", fb)
	}
	expect(t, do(t, a, "POST", feedback, court, map[string]any{"stars": 5, "comment": "材料齐全"}), 201, "")
	expect(t, do(t, a, "POST", feedback, court, map[string]any{"stars": 3}), 409, "feedback.already_given")
	if fb := detail(court, unratedID); fb == nil || fb["stars"] != 5.0 || fb["comment"] != "材料齐全" {
		t.Fatalf("after rating, the court's detail shows %v", fb)
	}
	// The centre's staff rate nothing: null on their detail and list.
	if fb := detail(staff, unratedID); fb != nil {
		t.Fatalf("the centre's staff see a rating of their own: %v", fb)
	}
	staffList := do(t, a, "GET", "/api/v1/joint-mediations", staff, nil)
	expect(t, staffList, 200, "")
	for _, it := range staffList.body["items"].([]any) {
		if j := it.(map[string]any); j["my_feedback"] != nil {
			t.Fatalf("the centre's list shows the staff member a rating: %v", j)
		}
	}

	// The court lists the joint mediations it was invited to — the demo's
	// two and the other family's — with its own ratings; the women's
	// federation, never invited, lists none.
	courtList := do(t, a, "GET", "/api/v1/joint-mediations", court, nil)
	expect(t, courtList, 200, "")
	stars := map[int64]any{}
	for _, it := range courtList.body["items"].([]any) {
		j := it.(map[string]any)
		var got any
		if fb, _ := j["my_feedback"].(map[string]any); fb != nil {
			got = fb["stars"]
		}
		stars[int64(j["id"].(float64))] = got
	}
	if want := map[int64]any{ratedID: 4.0, unratedID: 5.0, theirs.id(): nil}; !maps.Equal(stars, want) {
		t.Fatalf("the court's list (joint → its stars): %v, want %v", stars, want)
	}
	women, _ := staffLogin(t, a, "partner2")
	womenList := do(t, a, "GET", "/api/v1/joint-mediations", women, nil)
	expect(t, womenList, 200, "")
	if items := womenList.body["items"].([]any); len(items) != 0 {
		t.Fatalf("the women's federation lists %v", items)
	}
}

// The family's bookings say whether they rated the visit: the demo's
// attended and rated remote visit on the single read and the list; the
// centre's staff see no rating of their own.
func TestFamilyBookingsSayWhetherTheyRatedTheVisit(t *testing.T) {
	a, box, _ := integrationApp(t)
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	staff, _ := staffLogin(t, a, "staff1")
	r := do(t, a, "GET", "/api/v1/visit-bookings?status=attended", family, nil)
	expect(t, r, 200, "")
	items := r.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("the demo family has %d attended visits, want 1: %s", len(items), r.raw)
	}
	b := items[0].(map[string]any)
	if fb, _ := b["my_feedback"].(map[string]any); fb == nil || fb["stars"] != 5.0 || fb["subject_type"] != "visit_booking" {
		t.Fatalf("the family's list shows %v", b["my_feedback"])
	}
	id := int64(b["id"].(float64))
	one := do(t, a, "GET", path("/api/v1/visit-bookings/%d", id), family, nil)
	expect(t, one, 200, "")
	if fb, _ := one.body["my_feedback"].(map[string]any); fb == nil || fb["stars"] != 5.0 {
		t.Fatalf("the family's booking shows %s", one.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/feedback", id), family, map[string]any{"stars": 1}), 409, "feedback.already_given")
	seen := do(t, a, "GET", path("/api/v1/visit-bookings/%d", id), staff, nil)
	expect(t, seen, 200, "")
	if v, ok := seen.body["my_feedback"]; !ok || v != nil {
		t.Fatalf("the staff's read of the booking: my_feedback %v (present %v), want null", v, ok)
	}
}
