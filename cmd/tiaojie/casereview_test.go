package main

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// Case review and learning through the API with the demo accounts on
// MariaDB and Redis (seed 000, 调解案例点评学习): the demo shows one example
// (the concluded case at 两路派出所); supervisor1 picks another concluded
// case with a comment and a category; lawyers, mediators and police of the
// district read both in the library by category with the parties' names,
// phones and place masked or left out; another district sees neither; an
// open case, a second pick and a lawyer's pick are refused; a withdrawn
// example leaves the library; a citizen is refused.
func TestCaseReviewLibrary(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	sup := staffToken(t, a, "supervisor1")
	lawyer, mediator, police := staffToken(t, a, "lawyer1"), staffToken(t, a, "mediator1"), staffToken(t, a, "police3")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	other := newOtherDistrict(t, a)
	s1 := stationID(t, a, "双凤桥派出所")

	library := func(token, query string) []map[string]any {
		t.Helper()
		r := do(t, a, "GET", "/api/v1/case-reviews?limit=100"+query, token, nil)
		expect(t, r, 200, "")
		var out []map[string]any
		for _, it := range r.body["items"].([]any) {
			out = append(out, it.(map[string]any))
		}
		return out
	}
	demo := library(lawyer, "")
	if len(demo) != 1 || demo[0]["category"] != "property" || demo[0]["case"].(map[string]any)["outcome"] != "agreed" {
		t.Fatalf("the demo's example: %v", demo)
	}

	// A concluded case whose texts name the filer (the demo citizen 张三),
	// the other party and a phone number.
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "labour",
		"description": "张三在工地做工三个月，包工头赵六拖欠工资2万元，张三电话13900000001", "place": "双凤桥街道空港工地",
		"station_id": s1, "parties": []map[string]any{{"name": "赵六", "phone": "13900000002", "relation": "包工头"}}})
	expect(t, filed, 201, "")
	id := filed.id()
	closedAt := time.Now().Add(-time.Hour).UTC()
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id, "comment": "未结案"}), 409, "case_review.not_concluded")
	if err := a.db.Gorm.Exec("UPDATE requests SET classification = 'civil', outcome = 'agreed', status = 'closed', closed_at = ? WHERE id = ?", closedAt, id).Error; err != nil {
		t.Fatal(err)
	}
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", lawyer, map[string]any{"request_id": id, "comment": "x"}), 403, "auth.role_forbidden")
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", other.supervisor, map[string]any{"request_id": id, "comment": "x"}), 404, "request.not_found")
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id, "comment": "x", "category": "no_such"}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id}), 422, "validation.failed")
	picked := do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id, "comment": "先核实用工关系，再促成分期支付，值得学习"})
	expect(t, picked, 201, "")
	if picked.str("category") != "labour" {
		t.Errorf("the category defaults to the case's: %s", picked.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id, "comment": "再来一次"}), 409, "case_review.exists")

	// The district's staff read it, masked; by category.
	for who, token := range map[string]string{"lawyer1": lawyer, "mediator1": mediator, "police3": police, "supervisor1": sup} {
		got := library(token, "&category=labour")
		if len(got) != 1 || int64(got[0]["id"].(float64)) != picked.id() {
			t.Fatalf("%s's labour shelf: %v", who, got)
		}
		c := got[0]["case"].(map[string]any)
		raw := c["description"].(string)
		if strings.Contains(raw, "张三") || strings.Contains(raw, "赵六") || strings.Contains(raw, "13900000001") || !strings.Contains(raw, "张某") || !strings.Contains(raw, "赵某") {
			t.Errorf("%s reads the parties' personal data: %q", who, raw)
		}
		for _, leaked := range []string{"parties", "filer", "place"} {
			if _, ok := c[leaked]; ok {
				t.Errorf("%s's library shows the case's %s: %v", who, leaked, c)
			}
		}
	}
	if got := library(lawyer, ""); len(got) != 2 {
		t.Errorf("the whole library holds the demo's example and the new one: %d", len(got))
	}
	cats := do(t, a, "GET", "/api/v1/case-review-categories", police, nil)
	expect(t, cats, 200, "")
	if s := string(cats.raw); !strings.Contains(s, `{"category":"labour","count":1}`) || !strings.Contains(s, `{"category":"property","count":1}`) {
		t.Errorf("the library's categories: %s", cats.raw)
	}
	one := do(t, a, "GET", path("/api/v1/case-reviews/%d", picked.id()), lawyer, nil)
	expect(t, one, 200, "")
	if strings.Contains(string(one.raw), "13900000002") || strings.Contains(string(one.raw), "赵六") {
		t.Errorf("one example shows personal data: %s", one.raw)
	}

	// Another district's library is its own; a citizen has none.
	if got := library(other.police, ""); len(got) != 0 {
		t.Errorf("another district's officer reads %v", got)
	}
	expect(t, do(t, a, "GET", path("/api/v1/case-reviews/%d", picked.id()), other.police, nil), 404, "case_review.not_found")
	expect(t, do(t, a, "POST", path("/api/v1/case-reviews/%d/withdraw", picked.id()), other.supervisor, map[string]any{}), 404, "case_review.not_found")
	expect(t, do(t, a, "GET", "/api/v1/case-reviews", citizen, nil), 403, "auth.role_forbidden")
	expect(t, do(t, a, "GET", path("/api/v1/case-reviews/%d", picked.id()), citizen, nil), 403, "auth.role_forbidden")
	expect(t, do(t, a, "GET", path("/api/v1/case-reviews/%d", picked.id()), staffToken(t, a, "partner1"), nil), 403, "auth.role_forbidden")

	// Withdrawn, it leaves the library; the case may be picked again.
	expect(t, do(t, a, "POST", path("/api/v1/case-reviews/%d/withdraw", picked.id()), lawyer, map[string]any{}), 403, "auth.role_forbidden")
	w := do(t, a, "POST", path("/api/v1/case-reviews/%d/withdraw", picked.id()), sup, map[string]any{"reason": "已有更典型的劳资案例"})
	expect(t, w, 200, "")
	if w.body["withdrawn_at"] == nil {
		t.Fatalf("withdrawn: %s", w.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/case-reviews/%d/withdraw", picked.id()), sup, map[string]any{}), 404, "case_review.not_found")
	if got := library(lawyer, "&category=labour"); len(got) != 0 {
		t.Errorf("a withdrawn example is still in the library: %v", got)
	}
	expect(t, do(t, a, "GET", path("/api/v1/case-reviews/%d", picked.id()), lawyer, nil), 404, "case_review.not_found")
	expect(t, do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id, "comment": "重新点评"}), 201, "")

	// Picks and withdrawals are audited.
	audit := do(t, a, "GET", "/api/v1/admin/audit-log?resource_type=case_review&limit=100", staffToken(t, a, "admin"), nil)
	expect(t, audit, 200, "")
	for _, action := range []string{"case_review.create", "case_review.withdraw", "case_review.list"} {
		if !strings.Contains(string(audit.raw), action) {
			t.Errorf("the audit log has no %s: %s", action, audit.raw)
		}
	}
}

// Twenty supervisors' picks of one case at once leave one standing example
// (uq_case_reviews_standing); the others are told it exists.
func TestCaseReviewPickRace(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	sup := staffToken(t, a, "supervisor1")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	id := fileAt(t, a, citizen, stationID(t, a, "双凤桥派出所"), "邻居装修噪音扰民，协商后达成一致")
	if err := a.db.Gorm.Exec("UPDATE requests SET classification = 'civil', outcome = 'agreed', status = 'closed', closed_at = ? WHERE id = ?", time.Now().UTC(), id).Error; err != nil {
		t.Fatal(err)
	}
	statuses := make([]int, 20)
	var wg sync.WaitGroup
	for i := range statuses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = do(t, a, "POST", "/api/v1/case-reviews", sup, map[string]any{"request_id": id, "comment": "邻里纠纷的范例"}).status
		}()
	}
	wg.Wait()
	created := 0
	for _, s := range statuses {
		switch s {
		case 201:
			created++
		case 409:
		default:
			t.Errorf("a pick answered %d", s)
		}
	}
	if created != 1 {
		t.Fatalf("%d picks created an example, want 1: %v", created, statuses)
	}
}
