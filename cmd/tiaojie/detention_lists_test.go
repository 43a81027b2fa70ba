package main

import (
	"fmt"
	"testing"
	"time"
)

// The detention desk's lists (the console's 联合调解, 回访 and visit
// calendar): joint mediations of the centre with their detainee's name,
// follow-ups for the centre and the home station, bookings of a week.
func TestDetentionDeskLists(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	loc := a.cfg.HTTP.Location
	staff, _ := staffLogin(t, a, "staff1")
	police, _ := staffLogin(t, a, "police1")
	family, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	detainees := map[string]int64{}
	for _, d := range do(t, a, "GET", "/api/v1/detainees", staff, nil).body["items"].([]any) {
		m := d.(map[string]any)
		detainees[m["name"].(string)] = int64(m["id"].(float64))
	}
	liu, wang := detainees["刘某"], detainees["王某"]
	if liu == 0 || wang == 0 {
		t.Fatalf("demo detainees: %v", detainees)
	}

	// An empty intake form names every missing field at once, the dates
	// with the others.
	empty := map[string]any{"home_station_id": 0, "name": "", "id_number": "", "case_cause": "", "punishment": "",
		"punishment_from": "", "punishment_to": "", "family": []any{}}
	refused := do(t, a, "POST", "/api/v1/detainees", staff, empty)
	expect(t, refused, 422, "")
	fields := map[string]bool{}
	for _, e := range refused.body["errors"].([]any) {
		fields[e.(map[string]any)["field"].(string)] = true
	}
	for _, f := range []string{"name", "id_number", "case_cause", "punishment", "punishment_from", "punishment_to", "home_station_id"} {
		if !fields[f] {
			t.Fatalf("the empty intake's errors lack %s: %s", f, refused.raw)
		}
	}
	empty["punishment_from"] = "1 May"
	expect(t, do(t, a, "POST", "/api/v1/detainees", staff, empty), 422, "")

	// Joint mediations.
	// The demo holds two of 刘某, decided, one rated and one not (demo_yuyao.go).
	demo := do(t, a, "GET", "/api/v1/joint-mediations", staff, nil)
	expect(t, demo, 200, "")
	if n := len(demo.body["items"].([]any)); n != 2 {
		t.Fatalf("the demo has two joint mediations, the list has %d", n)
	}
	agreedBefore := len(do(t, a, "GET", "/api/v1/joint-mediations?state=agreed", staff, nil).body["items"].([]any))
	court, women := orgID(t, a, "渝北区人民法院执行局"), orgID(t, a, "渝北区妇女联合会")
	units := do(t, a, "GET", "/api/v1/joint-mediation-units", staff, nil)
	expect(t, units, 200, "")
	invitable := map[int64]string{}
	for _, u := range units.bodyList() {
		invitable[int64(u["id"].(float64))] = u["kind"].(string)
	}
	if invitable[court] != "partner" || invitable[women] != "partner" || invitable[orgID(t, a, "渝北区拘留所")] != "" {
		t.Fatalf("the units a mediation invites: %s", units.raw)
	}
	for _, id := range []int64{liu, wang} {
		expect(t, do(t, a, "POST", "/api/v1/joint-mediations", staff, map[string]any{"detainee_id": id, "business_line": "court_enforcement",
			"summary": "分期履行", "partner_unit_ids": []int64{court, women}}), 201, "")
	}
	list := do(t, a, "GET", fmt.Sprintf("/api/v1/joint-mediations?detainee_id=%d", liu), staff, nil)
	expect(t, list, 200, "")
	items := list.body["items"].([]any)
	if len(items) != 3 || items[0].(map[string]any)["detainee_name"] != "刘某" || len(items[0].(map[string]any)["partner_unit_ids"].([]any)) != 2 {
		t.Fatalf("joint mediations of 刘某: %s", list.raw)
	}
	page := do(t, a, "GET", "/api/v1/joint-mediations?limit=1", staff, nil)
	expect(t, page, 200, "")
	if page.body["next_cursor"] == nil || page.body["items"].([]any)[0].(map[string]any)["detainee_name"] != "王某" {
		t.Fatalf("newest first, paged: %s", page.raw)
	}
	if n := len(do(t, a, "GET", "/api/v1/joint-mediations?state=agreed", staff, nil).body["items"].([]any)); n != agreedBefore {
		t.Fatalf("the new mediations are not agreed yet: %d agreed, %d before", n, agreedBefore)
	}
	expect(t, do(t, a, "GET", "/api/v1/joint-mediations?state=maybe", staff, nil), 422, "")
	// An officer lists only what their station was invited to: none here.
	if officer := do(t, a, "GET", "/api/v1/joint-mediations", police, nil); officer.status != 200 || len(officer.body["items"].([]any)) != 0 {
		t.Fatalf("police1, whose station was not invited: %d %s", officer.status, officer.raw)
	}

	// Follow-ups: the centre and the home station both list them.
	today := time.Now().In(loc).Format("2006-01-02")
	expect(t, do(t, a, "POST", path("/api/v1/detainees/%d/release", wang), staff, map[string]any{"date": today, "reason": "期满释放"}), 200, "")
	for who, tok := range map[string]string{"staff1": staff, "police1": police} {
		fu := do(t, a, "GET", "/api/v1/follow-ups?state=open", tok, nil)
		expect(t, fu, 200, "")
		items := fu.body["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["detainee"].(map[string]any)["name"] != "王某" {
			t.Fatalf("%s's follow-ups: %s", who, fu.raw)
		}
	}
	if n := len(do(t, a, "GET", "/api/v1/follow-ups?state=closed", staff, nil).body["items"].([]any)); n != 0 {
		t.Fatalf("no follow-up is closed, the list has %d", n)
	}
	expect(t, do(t, a, "GET", "/api/v1/follow-ups?state=done", staff, nil), 422, "")
	expect(t, do(t, a, "GET", "/api/v1/follow-ups", family, nil), 403, "auth.role_forbidden")

	// Bookings of a calendar's days.
	centre := int64(do(t, a, "GET", "/api/v1/detention-centers", staff, nil).bodyList()[0]["id"].(float64))
	tomorrow := time.Now().In(loc).AddDate(0, 0, 1).Format("2006-01-02")
	slots := do(t, a, "GET", fmt.Sprintf("/api/v1/detention-centers/%d/visit-slots?from=%s&to=%s", centre, tomorrow, tomorrow), family, nil)
	expect(t, slots, 200, "")
	slot := int64(slots.body["items"].([]any)[0].(map[string]any)["id"].(float64))
	expect(t, do(t, a, "POST", "/api/v1/visit-bookings", family, map[string]any{"detainee_id": liu, "slot_id": slot, "relationship": "配偶",
		"visitors": []map[string]any{{"name": "张三", "id_number": "500112199001011234", "phone": DemoCitizenPhone}}}, "Idempotency-Key", "lists-1"), 201, "")
	week := do(t, a, "GET", fmt.Sprintf("/api/v1/visit-bookings?from=%s&to=%s", today, tomorrow), staff, nil)
	expect(t, week, 200, "")
	if n := len(week.body["items"].([]any)); n != 1 {
		t.Fatalf("the booking for tomorrow is in today–tomorrow: %s", week.raw)
	}
	later := time.Now().In(loc).AddDate(0, 0, 2).Format("2006-01-02")
	if n := len(do(t, a, "GET", "/api/v1/visit-bookings?from="+later, staff, nil).body["items"].([]any)); n != 0 {
		t.Fatalf("no booking from the day after tomorrow, the list has %d", n)
	}
	// The demo's visit three days ago is before today; nothing is booked for today itself.
	if n := len(do(t, a, "GET", "/api/v1/visit-bookings?to="+today, staff, nil).body["items"].([]any)); n != 1 {
		t.Fatalf("up to today only the demo's past visit, the list has %d", n)
	}
	if n := len(do(t, a, "GET", "/api/v1/visit-bookings?from="+today+"&to="+today, staff, nil).body["items"].([]any)); n != 0 {
		t.Fatalf("no booking for today, the list has %d", n)
	}
	expect(t, do(t, a, "GET", "/api/v1/visit-bookings?from=tomorrow", staff, nil), 422, "")
}
