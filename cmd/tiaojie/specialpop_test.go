package main

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// fusionApp is the integration app with the police–justice fusion services
// (register, meetings, incidents, pairing, experts) on its settable clock,
// dispatch's and the inbox's too, for the orders' deadlines.
func fusionApp(t *testing.T) (*application, *smsBox, *testClock) {
	t.Helper()
	a, box, clock := integrationApp(t)
	a.svc.register.Clock, a.svc.meetings.Clock, a.svc.dispatch.orders.Clock, a.svc.inbox.Clock = clock, clock, clock, clock
	a.svc.fusion.incidents.Clock, a.svc.fusion.pairing.Clock, a.svc.fusion.experts.Clock = clock, clock, clock
	return a, box, clock
}

func userIDOf(t *testing.T, a *application, username string) int64 {
	t.Helper()
	u, found, err := a.svc.accounts.Users.UserByUsername(context.Background(), username)
	if err != nil || !found {
		t.Fatalf("user %s: %v", username, err)
	}
	return u.ID
}

// fusionAreaID is the ID of a demo area, as its staff see it.
func fusionAreaID(t *testing.T, a *application, token, name string) int64 {
	t.Helper()
	r := do(t, a, "GET", "/api/v1/fusion/areas", token, nil)
	expect(t, r, 200, "")
	for _, it := range r.body["items"].([]any) {
		if x := it.(map[string]any); x["name"] == name {
			return int64(x["id"].(float64))
		}
	}
	t.Fatalf("area %s not among %s", name, r.raw)
	return 0
}

func items(r reply) []map[string]any {
	var out []map[string]any
	list, _ := r.body["items"].([]any)
	for _, it := range list {
		out = append(out, it.(map[string]any))
	}
	return out
}

// ordersOf lists the caller's work orders of one kind about a subject.
func fusionOrders(t *testing.T, a *application, token, kind string, resourceID int64) []map[string]any {
	t.Helper()
	r := do(t, a, "GET", "/api/v1/work-orders?limit=100&kind="+kind, token, nil)
	expect(t, r, 200, "")
	var out []map[string]any
	for _, o := range items(r) {
		if int64(o["resource_id"].(float64)) == resourceID {
			out = append(out, o)
		}
	}
	return out
}

// A person whose contact plan is missed: the check raises a contact_missed
// warning at the station and gives the responsible officer a make-up visit
// order; the check does it once; the visit ends the order and puts the plan
// back on time. Patrols for a holiday reach every person once. The state
// machine refuses an illegal move; every profile read is audited.
func TestMissedContactPlanRaisesItsWarningAndOrder(t *testing.T) {
	a, _, clock := fusionApp(t)
	ctx := context.Background()
	police1, _ := staffLogin(t, a, "police1")
	justice1, _ := staffLogin(t, a, "justice1")
	admin, _ := staffLogin(t, a, "admin")
	legal1, _ := staffLogin(t, a, "legal1")
	area := fusionAreaID(t, a, justice1, DemoFusionArea1)

	list := do(t, a, "GET", "/api/v1/special-people", police1, nil)
	expect(t, list, 200, "")
	if got := items(list); len(got) != 3 || got[2]["id_number_masked"] != "5001**********0011" {
		t.Fatalf("the demo register: %s", list.raw)
	}

	// The justice office registers someone with a three-day plan.
	reg := do(t, a, "POST", "/api/v1/special-people", justice1, map[string]any{"area_id": area, "kind": "drug_user", "name": "赵某",
		"id_number": "500112199505050017", "risk_level": "high", "officer_id": userIDOf(t, a, "police1"), "social_worker_id": userIDOf(t, a, "justice1"),
		"legal_steward_id": userIDOf(t, a, "legal1"), "visit_every_days": 3})
	expect(t, reg, 201, "")
	id := reg.id()
	if reg.str("id_number_masked") != "5001**********0017" || reg.str("state") != "managed" {
		t.Fatalf("registered %s", reg.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/special-people", police1, map[string]any{"area_id": area, "kind": "drug_user", "name": "赵某",
		"id_number": "500112199505050017", "officer_id": userIDOf(t, a, "police1"), "visit_every_days": 3}), 409, "special_person.already_registered")
	expect(t, do(t, a, "POST", "/api/v1/special-people", police1, map[string]any{"area_id": area, "kind": "drug_user", "name": "钱某",
		"id_number": "500112199505050025", "officer_id": userIDOf(t, a, "police2"), "visit_every_days": 3}), 422, "validation.failed")

	// Nothing is missed yet; four days later this plan is.
	if n, err := a.svc.register.CheckContacts(ctx); err != nil || n != 0 {
		t.Fatalf("check before the date: %d %v", n, err)
	}
	clock.advance(4 * 24 * time.Hour)
	if n, err := a.svc.register.CheckContacts(ctx); err != nil || n != 1 {
		t.Fatalf("check after the date: %d %v, want the one person", n, err)
	}
	if n, err := a.svc.register.CheckContacts(ctx); err != nil || n != 0 {
		t.Fatalf("a second check raised %d again (%v)", n, err)
	}
	warnings := do(t, a, "GET", "/api/v1/warnings?limit=100", police1, nil)
	expect(t, warnings, 200, "")
	raised := 0
	for _, w := range items(warnings) {
		if w["rule_kind"] == "contact_missed" && w["subject"] == fmt.Sprintf("special_person:%d", id) {
			raised++
		}
	}
	if raised != 1 {
		t.Fatalf("contact_missed warnings for the person: %d in %s", raised, warnings.raw)
	}
	orders := fusionOrders(t, a, police1, "special_contact", id)
	if len(orders) != 1 || orders[0]["state"] != "queued" || orders[0]["priority"].(float64) != 1 {
		t.Fatalf("make-up orders %v", orders)
	}
	orderID := int64(orders[0]["id"].(float64))
	profile := do(t, a, "GET", fmt.Sprintf("/api/v1/special-people/%d", id), police1, nil)
	expect(t, profile, 200, "")
	recs := profile.body["records"].([]any)
	if profile.body["overdue"] != true || recs[len(recs)-1].(map[string]any)["type"] != "missed" {
		t.Fatalf("the profile after the miss: %s", profile.raw)
	}

	// The visit ends the order and moves the plan on.
	visit := do(t, a, "POST", fmt.Sprintf("/api/v1/special-people/%d/visits", id), police1, map[string]any{"method": "home", "note": "入户走访，本人在家，情绪稳定"})
	expect(t, visit, 201, "")
	if visit.body["overdue"] != false {
		t.Fatalf("still overdue after the visit: %s", visit.raw)
	}
	order := do(t, a, "GET", fmt.Sprintf("/api/v1/work-orders/%d", orderID), police1, nil)
	expect(t, order, 200, "")
	if order.str("state") != "completed" || order.str("outcome") != "已走访" {
		t.Fatalf("the make-up order after the visit: %s", order.raw)
	}
	expect(t, do(t, a, "POST", fmt.Sprintf("/api/v1/special-people/%d/help", id), legal1, map[string]any{"note": "提供就业法律咨询"}), 201, "")

	// Holiday patrols: one order per person followed, once.
	day := clock.Now().In(a.cfg.HTTP.Location)
	patrol := map[string]any{"from": day.Format("2006-01-02"), "to": day.AddDate(0, 0, 6).Format("2006-01-02"), "reason": "国庆节"}
	r := do(t, a, "POST", "/api/v1/special-people/patrols", police1, patrol)
	expect(t, r, 201, "")
	if r.body["orders"].(float64) != 4 {
		t.Fatalf("patrol orders %s, want 4", r.raw)
	}
	if n := len(fusionOrders(t, a, police1, "special_patrol", id)); n != 1 {
		t.Fatalf("patrol orders of the person: %d", n)
	}
	expect(t, do(t, a, "POST", "/api/v1/special-people/patrols", police1, patrol), 201, "")
	if n := len(fusionOrders(t, a, police1, "special_patrol", id)); n != 1 {
		t.Fatalf("asking again made more: %d", n)
	}

	// The state machine through the API; leaving management voids the patrol.
	move := func(action string, status int, code string) {
		t.Helper()
		expect(t, do(t, a, "POST", fmt.Sprintf("/api/v1/special-people/%d/transition", id), justice1, map[string]any{"action": action, "note": "测试"}), status, code)
	}
	move("regain_contact", 409, "special_person.illegal_transition")
	move("lose_contact", 200, "")
	move("reoffend", 200, "")
	move("lose_contact", 409, "special_person.illegal_transition")
	if o := fusionOrders(t, a, police1, "special_patrol", id); len(o) != 1 || o[0]["state"] != "cancelled" {
		t.Fatalf("the patrol after re-offending: %v", o)
	}
	expect(t, do(t, a, "POST", fmt.Sprintf("/api/v1/special-people/%d/visits", id), police1, map[string]any{"method": "home", "note": "x"}), 409, "special_person.inactive")
	move("release", 200, "")

	// Every profile read is in the audit log.
	audit := do(t, a, "GET", fmt.Sprintf("/api/v1/admin/audit-log?resource_type=special_person&resource_id=%d&limit=100", id), admin, nil)
	expect(t, audit, 200, "")
	reads := 0
	for _, l := range items(audit) {
		if l["action"] == "special_person.read" {
			reads++
		}
	}
	if reads != 1 {
		t.Fatalf("profile reads audited: %d in %s", reads, audit.raw)
	}
}

// The register is shared by an area's offices and nobody else: 回兴's
// justice office and station see nothing of 双凤桥's, a citizen is told 404
// everywhere; a transfer moves the person (with their history) to the new
// area's offices.
func TestSpecialPopulationScopeBothWays(t *testing.T) {
	a, box, _ := fusionApp(t)
	justice1, _ := staffLogin(t, a, "justice1")
	justice2, _ := staffLogin(t, a, "justice2")
	police2, _ := staffLogin(t, a, "police2")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)

	own := items(do(t, a, "GET", "/api/v1/special-people", justice1, nil))
	expect(t, do(t, a, "GET", "/api/v1/special-people", citizen, nil), 404, "special_person.not_found")
	if len(own) != 3 {
		t.Fatalf("双凤桥司法所 sees %d people, want its 3", len(own))
	}
	id := int64(own[0]["id"].(float64))
	path := fmt.Sprintf("/api/v1/special-people/%d", id)
	expect(t, do(t, a, "GET", path, justice1, nil), 200, "")
	for _, tok := range []string{justice2, police2} {
		r := do(t, a, "GET", "/api/v1/special-people", tok, nil)
		expect(t, r, 200, "")
		if len(items(r)) != 0 {
			t.Fatalf("another area sees %s", r.raw)
		}
		expect(t, do(t, a, "GET", path, tok, nil), 404, "special_person.not_found")
		expect(t, do(t, a, "POST", path+"/visits", tok, map[string]any{"method": "phone", "note": "x"}), 404, "special_person.not_found")
	}
	expect(t, do(t, a, "GET", "/api/v1/special-people", citizen, nil), 404, "special_person.not_found")
	expect(t, do(t, a, "GET", path, citizen, nil), 404, "special_person.not_found")
	expect(t, do(t, a, "GET", "/api/v1/fusion/meetings", citizen, nil), 404, "meeting.not_found")
	expect(t, do(t, a, "POST", "/api/v1/special-people/patrols", justice2, map[string]any{"area_id": fusionAreaID(t, a, justice1, DemoFusionArea1),
		"from": "2026-10-01", "to": "2026-10-07", "reason": "国庆节"}), 404, "fusion_area.not_found")

	// An admin adds a kind; the offices register people of it.
	admin, _ := staffLogin(t, a, "admin")
	expect(t, do(t, a, "POST", "/api/v1/special-kinds", admin, map[string]any{"code": "juvenile_at_risk", "name": "重点青少年"}), 201, "")
	expect(t, do(t, a, "POST", "/api/v1/special-kinds", admin, map[string]any{"code": "juvenile_at_risk", "name": "重点青少年"}), 409, "special_kind.exists")
	expect(t, do(t, a, "POST", "/api/v1/special-kinds", justice1, map[string]any{"code": "x1", "name": "x"}), 403, "auth.role_forbidden")
	kinds := items(do(t, a, "GET", "/api/v1/special-kinds", justice2, nil))
	if len(kinds) != 5 || kinds[0]["builtin"] != true || kinds[4]["code"] != "juvenile_at_risk" {
		t.Fatalf("the kinds %v", kinds)
	}
	expect(t, do(t, a, "POST", "/api/v1/special-people", justice2, map[string]any{"area_id": fusionAreaID(t, a, justice2, DemoFusionArea2),
		"kind": "juvenile_at_risk", "name": "孙某", "id_number": "500112201001010018", "officer_id": userIDOf(t, a, "police2"), "visit_every_days": 30}), 201, "")

	// The district moves the person to 回兴; the history goes with them.
	to := fusionAreaID(t, a, justice2, DemoFusionArea2)
	tr := do(t, a, "POST", path+"/transfer", supervisor, map[string]any{"to_area_id": to, "officer_id": userIDOf(t, a, "police2"), "note": "迁居回兴"})
	expect(t, tr, 200, "")
	expect(t, do(t, a, "GET", path, justice1, nil), 404, "special_person.not_found")
	moved := do(t, a, "GET", path, justice2, nil)
	expect(t, moved, 200, "")
	recs := moved.body["records"].([]any)
	first, last := recs[0].(map[string]any), recs[len(recs)-1].(map[string]any)
	if first["type"] != "registered" || last["type"] != "transfer" || int64(last["to_area"].(float64)) != to {
		t.Fatalf("the history after the transfer: %s", moved.raw)
	}
}

// Two instances checking the plans at once (here twenty goroutines) raise
// each missed plan once: one warning, one make-up order.
func TestConcurrentContactChecksRaiseOnce(t *testing.T) {
	a, _, clock := fusionApp(t)
	ctx := context.Background()
	police1, _ := staffLogin(t, a, "police1")
	clock.advance(8 * 24 * time.Hour) // the demo's weekly plans are missed
	var wg sync.WaitGroup
	found := make(chan int, 20)
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := a.svc.register.CheckContacts(ctx)
			if err != nil && !domain.IsKind(err, domain.KindConflict) {
				t.Errorf("check: %v", err)
			}
			found <- n
		}()
	}
	wg.Wait()
	close(found)
	people := items(do(t, a, "GET", "/api/v1/special-people", police1, nil))
	warnings := items(do(t, a, "GET", "/api/v1/warnings?limit=100", police1, nil))
	for _, p := range people {
		id := int64(p["id"].(float64))
		weekly := p["visit_every_days"].(float64) == 7
		raised := 0
		for _, w := range warnings {
			if w["rule_kind"] == "contact_missed" && w["subject"] == fmt.Sprintf("special_person:%d", id) {
				raised++
			}
		}
		orders := len(fusionOrders(t, a, police1, "special_contact", id))
		if want := map[bool]int{true: 1, false: 0}[weekly]; raised != want || orders != want {
			t.Errorf("%s (every %v days): %d warnings and %d orders, want %d of each", p["name"], p["visit_every_days"], raised, orders, want)
		}
	}
}
