package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// A monthly meeting of 双凤桥's three offices: its agenda lists the month's
// special-population changes; minutes name the attendees; one action item
// is closed by its assignee completing the work order, another at the
// meeting's desk, which completes its order. The liaisons get the weekly
// digest; the figures show up in /api/v1/stats/fusion and the monthly
// report. The district's quarterly meeting sees both areas.
func TestMonthlyMeetingActionClosedThroughItsOrder(t *testing.T) {
	a, box, clock := fusionApp(t)
	police1, _ := staffLogin(t, a, "police1")
	justice1, _ := staffLogin(t, a, "justice1")
	legal1, _ := staffLogin(t, a, "legal1")
	justice2, _ := staffLogin(t, a, "justice2")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	area := fusionAreaID(t, a, justice1, DemoFusionArea1)
	now := clock.Now().In(a.cfg.HTTP.Location)
	month := now.Format("2006-01")

	plan := do(t, a, "POST", "/api/v1/fusion/meetings", justice1, map[string]any{"level": "area", "area_id": area, "period": month,
		"scheduled_at": now.Format(time.RFC3339)})
	expect(t, plan, 201, "")
	id := plan.id()
	agenda := plan.body["agenda"].(map[string]any)
	if n := len(agenda["special_changes"].([]any)); n != 3 {
		t.Fatalf("the agenda lists %d special-population changes, want the 3 registrations: %s", n, plan.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/fusion/meetings", police1, map[string]any{"level": "area", "area_id": area, "period": month,
		"scheduled_at": now.Format(time.RFC3339)}), 409, "meeting.exists")
	expect(t, do(t, a, "GET", fmt.Sprintf("/api/v1/fusion/meetings/%d", id), justice2, nil), 404, "meeting.not_found")
	expect(t, do(t, a, "GET", fmt.Sprintf("/api/v1/fusion/meetings/%d", id), citizen, nil), 404, "meeting.not_found")
	actions := fmt.Sprintf("/api/v1/fusion/meetings/%d/actions", id)
	due := now.Add(7 * 24 * time.Hour).Format(time.RFC3339)
	expect(t, do(t, a, "POST", actions, justice1, map[string]any{"title": "x", "assignee_id": userIDOf(t, a, "legal1"), "due_at": due}), 409, "meeting.not_held")

	attendees := []int64{userIDOf(t, a, "police1"), userIDOf(t, a, "justice1"), userIDOf(t, a, "legal1")}
	held := do(t, a, "POST", fmt.Sprintf("/api/v1/fusion/meetings/%d/minutes", id), justice1, map[string]any{"held_at": now.Format(time.RFC3339),
		"place": "双凤桥派出所会议室", "attendees": attendees, "minutes": "研判本月纠纷与特殊人群情况", "decisions": "对刘某加强走访；为王某联系就业"})
	expect(t, held, 200, "")
	if held.str("state") != "held" || len(held.body["attendees"].([]any)) != 3 {
		t.Fatalf("the minutes: %s", held.raw)
	}

	// An item for the legal-service worker, closed by completing its order.
	first := do(t, a, "POST", actions, justice1, map[string]any{"title": "为王某提供就业法律咨询", "assignee_id": userIDOf(t, a, "legal1"), "due_at": due})
	expect(t, first, 201, "")
	orders := fusionOrders(t, a, legal1, "meeting_action", first.id())
	if len(orders) != 1 || orders[0]["due_at"] == nil {
		t.Fatalf("the item's order: %v", orders)
	}
	order := int64(orders[0]["id"].(float64))
	expect(t, do(t, a, "POST", fmt.Sprintf("/api/v1/work-orders/%d/claim", order), legal1, nil), 200, "")
	expect(t, do(t, a, "POST", fmt.Sprintf("/api/v1/work-orders/%d/complete", order), legal1, map[string]any{"outcome": "已提供咨询并推荐岗位"}), 200, "")

	// An item for the officer, closed at the meeting's desk.
	second := do(t, a, "POST", actions, justice1, map[string]any{"title": "对刘某每周入户走访", "assignee_id": userIDOf(t, a, "police1"), "due_at": due})
	expect(t, second, 201, "")
	expect(t, do(t, a, "POST", actions, justice1, map[string]any{"title": "x", "assignee_id": userIDOf(t, a, "justice2"), "due_at": due}), 422, "validation.failed")
	closed := do(t, a, "POST", fmt.Sprintf("%s/%d/close", actions, second.id()), justice1, map[string]any{"outcome": "已落实每周走访"})
	expect(t, closed, 200, "")
	expect(t, do(t, a, "POST", fmt.Sprintf("%s/%d/close", actions, second.id()), justice1, map[string]any{"outcome": "again"}), 409, "meeting_action.closed")
	if o := fusionOrders(t, a, police1, "meeting_action", second.id()); len(o) != 1 || o[0]["state"] != "completed" || o[0]["outcome"] != "会商事项已办结" {
		t.Fatalf("the officer's order after the item closed: %v", o)
	}
	got := do(t, a, "GET", fmt.Sprintf("/api/v1/fusion/meetings/%d", id), police1, nil)
	expect(t, got, 200, "")
	for _, it := range got.body["actions"].([]any) {
		x := it.(map[string]any)
		if x["state"] != "closed" {
			t.Fatalf("an item is still open: %s", got.raw)
		}
		if int64(x["id"].(float64)) == first.id() && x["outcome"] != "已提供咨询并推荐岗位" {
			t.Fatalf("the item closed by its order: %v", x)
		}
	}

	// The weekly liaison digest reaches the three liaisons, once.
	digest := do(t, a, "POST", fmt.Sprintf("/api/v1/fusion/areas/%d/digest", area), police1, map[string]any{})
	expect(t, digest, 201, "")
	if len(digest.body["recipients"].([]any)) != 3 {
		t.Fatalf("the digest: %s", digest.raw)
	}
	expect(t, do(t, a, "POST", fmt.Sprintf("/api/v1/fusion/areas/%d/digest", area), police1, map[string]any{}), 201, "")
	inbox := do(t, a, "GET", "/api/v1/notifications", legal1, nil)
	expect(t, inbox, 200, "")
	digests := 0
	for _, n := range items(inbox) {
		if n["kind"] == "liaison_digest" {
			digests++
		}
	}
	if digests != 1 {
		t.Fatalf("the legal-service liaison has %d digests: %s", digests, inbox.raw)
	}

	// The scheduled job: nothing for the week before the areas existed, then
	// last week's digest of both areas.
	ctx := context.Background()
	areas, err := a.svc.register.Store.Areas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := a.svc.meetings.SendDigests(ctx, areas); err != nil || n != 0 {
		t.Fatalf("digests before the areas' first week: %d %v", n, err)
	}
	clock.advance(15 * 24 * time.Hour)
	if n, err := a.svc.meetings.SendDigests(ctx, areas); err != nil || n != 2 {
		t.Fatalf("the weekly job sent %d digests (%v), want both areas'", n, err)
	}
	if n, _ := a.svc.meetings.SendDigests(ctx, areas); n != 2 {
		t.Fatalf("the job again: %d", n)
	}
	inbox = do(t, a, "GET", "/api/v1/notifications", legal1, nil)
	if n := len(items(inbox)); n != 2 {
		t.Fatalf("the legal-service liaison has %d notices after the job, want 2: %s", n, inbox.raw)
	}
	clock.advance(-15 * 24 * time.Hour)

	// The figures.
	st := do(t, a, "GET", "/api/v1/stats/fusion?month="+month, supervisor, nil)
	expect(t, st, 200, "")
	if st.body["meetings_held"].(float64) != 1 || st.body["actions"].(float64) != 2 || st.body["actions_closed"].(float64) != 2 ||
		st.body["managed"].(float64) != 3 || st.body["compliance"].(float64) != 1 {
		t.Fatalf("fusion stats %s", st.raw)
	}
	rep := do(t, a, "GET", "/api/v1/reports/monthly?month="+month, police1, nil)
	expect(t, rep, 200, "")
	if f, ok := rep.body["fusion"].(map[string]any); !ok || f["meetings_held"].(float64) != 1 {
		t.Fatalf("the monthly report's fusion figures: %s", rep.raw)
	}
	// The CSV carries them too, in a section after the main table.
	repCSV := do(t, a, "GET", "/api/v1/reports/monthly?format=csv&month="+month, police1, nil)
	expect(t, repCSV, 200, "")
	csvMainTable(t, expectReadableCSV(t, "monthly", repCSV.raw, "派出所"))
	fusion := csvSection(t, repCSV.raw, "警法融合")
	for k, want := range map[string]string{"联席会议已召开": "1", "会议事项": "2", "会议事项已办结": "2", "在管人数": "3", "联系计划执行率": "1"} {
		if got := fusion[k]; len(got) != 1 || got[0] != want {
			t.Errorf("the monthly CSV's %s = %q, want %s:\n%s", k, got, want, repCSV.raw)
		}
	}
	if _, ok := fusion["特殊人群类别"]; !ok || !strings.Contains(string(repCSV.raw), ",在管,") {
		t.Errorf("the monthly CSV lists the special population by kind and state:\n%s", repCSV.raw)
	}
	if st := do(t, a, "GET", "/api/v1/stats/fusion?month="+month, justice2, nil); st.body["meetings_held"].(float64) != 0 || st.body["managed"].(float64) != 0 {
		t.Fatalf("回兴 sees 双凤桥's figures: %s", st.raw)
	}

	// The district's quarterly joint meeting, one level up.
	quarter := fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
	district := int64(plan.body["district_id"].(float64))
	expect(t, do(t, a, "POST", "/api/v1/fusion/meetings", justice1, map[string]any{"level": "district", "district_id": district, "period": quarter,
		"scheduled_at": now.Format(time.RFC3339)}), 403, "meeting.district_forbidden")
	joint := do(t, a, "POST", "/api/v1/fusion/meetings", supervisor, map[string]any{"level": "district", "district_id": district, "period": quarter,
		"scheduled_at": now.Format(time.RFC3339)})
	expect(t, joint, 201, "")
	if n := len(joint.body["agenda"].(map[string]any)["areas"].([]any)); n != 2 {
		t.Fatalf("the joint meeting's agenda covers %d areas, want 2: %s", n, joint.raw)
	}
	if r := do(t, a, "GET", "/api/v1/fusion/meetings", justice2, nil); len(items(r)) != 1 {
		t.Fatalf("回兴 sees %s, want the district meeting only", r.raw)
	}
}
