package main

import (
	"fmt"
	"strings"
	"testing"
)

// An expert of the pool who accepted an invitation to a mediation request
// reads it, its timeline and attachments (phones masked), and works nothing
// on it; a declined or withdrawn invitation lets no one in.
func TestAnInvitedExpertReadsTheRequestOnlyAfterAccepting(t *testing.T) {
	a, box, _ := fusionApp(t)
	police, _ := staffLogin(t, a, "police1") // 双凤桥派出所
	admin, _ := staffLogin(t, a, "admin")
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	expert1, _ := staffLogin(t, a, "expert1")
	expert2, _ := staffLogin(t, a, "expert2")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "compensation",
		"description": "邻居装修漏水，赔偿数额争议较大", "station_id": stationID(t, a, "双凤桥派出所"),
		"parties": []map[string]any{{"name": "王五", "phone": "13900001111", "relation": "邻居"}}})
	expect(t, filed, 201, "")
	id := filed.id()
	att := upload(t, a, citizen, id, "照片.pdf", []byte("%PDF-1.7\n"+strings.Repeat("x", 100)))
	expect(t, att, 201, "")

	experts := do(t, a, "GET", "/api/v1/experts", police, nil)
	expect(t, experts, 200, "")
	expertID := map[string]int64{}
	for _, e := range experts.bodyList() {
		expertID[e["kind"].(string)] = num(e["id"])
	}
	reads := func(token string) []int {
		return []int{
			do(t, a, "GET", path("/api/v1/requests/%d", id), token, nil).status,
			do(t, a, "GET", path("/api/v1/requests/%d/events", id), token, nil).status,
			do(t, a, "GET", path("/api/v1/requests/%d/attachments/%d", id, att.id()), token, nil).status,
		}
	}
	none, all := "[404 404 404]", "[200 200 200]"
	invite := func(kind string) int64 {
		inv := do(t, a, "POST", "/api/v1/expert-invitations", police, map[string]any{"expert_id": expertID[kind], "resource_type": "request",
			"resource_id": id, "purpose": "joint_mediation", "note": "请协助联合调解"})
		expect(t, inv, 201, "")
		return inv.id()
	}
	judge := invite("retired_judge")
	if got := fmt.Sprint(reads(expert1)); got != none {
		t.Fatalf("the expert reads the request before accepting: %v", got)
	}
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/accept", judge), expert1, map[string]any{"text": "可以"}), 200, "")
	if got := fmt.Sprint(reads(expert1)); got != all {
		t.Fatalf("the expert who accepted reads the request: %v", got)
	}
	detail := do(t, a, "GET", path("/api/v1/requests/%d", id), expert1, nil)
	expect(t, detail, 200, "")
	if strings.Contains(string(detail.raw), "13900001111") || strings.Contains(string(detail.raw), DemoCitizenPhone) {
		t.Errorf("the expert sees phones in full: %s", detail.raw)
	}
	// Reading is all: no attachment, no transition, no invitation of others.
	expect(t, upload(t, a, expert1, id, "意见.pdf", []byte("%PDF-1.7\nopinion")), 404, "request.not_found")
	if r := do(t, a, "POST", path("/api/v1/requests/%d/transition", id), expert1, map[string]any{"action": "start"}); r.status < 400 {
		t.Errorf("the expert moved the request: %d %s", r.status, r.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/expert-invitations", expert1, map[string]any{"expert_id": expertID["retired_police"], "resource_type": "request",
		"resource_id": id, "purpose": "joint_mediation", "note": "再请一位"}), 422, "validation.failed")
	// Having given the opinion, the expert still reads the case.
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/conclude", judge), expert1, map[string]any{"text": "按评估价赔偿为宜"}), 200, "")
	if got := fmt.Sprint(reads(expert1)); got != all {
		t.Fatalf("the expert who concluded reads the request: %v", got)
	}

	// A declined invitation and a withdrawn one let no one in.
	declined := invite("retired_police")
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/decline", declined), expert2, map[string]any{"text": "没空"}), 200, "")
	if got := fmt.Sprint(reads(expert2)); got != none {
		t.Fatalf("the expert who declined reads the request: %v", got)
	}
	withdrawn := invite("retired_police")
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/accept", withdrawn), expert2, map[string]any{"text": "好"}), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", id), expert2, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/expert-invitations/%d/withdraw", withdrawn), police, map[string]any{"text": "不需要了"}), 200, "")
	if got := fmt.Sprint(reads(expert2)); got != none {
		t.Fatalf("the expert whose invitation was withdrawn reads the request: %v", got)
	}

	// The expert's reads are audited.
	audit := do(t, a, "GET", "/api/v1/admin/audit-log?resource_type=request&limit=100", admin, nil)
	expect(t, audit, 200, "")
	expertUser := userIDOf(t, a, "expert1")
	seen := map[string]bool{}
	for _, it := range audit.body["items"].([]any) {
		e := it.(map[string]any)
		if num(e["actor_id"]) == expertUser && num(e["resource_id"]) == id {
			seen[e["action"].(string)] = true
		}
	}
	for _, action := range []string{"request.read", "request.timeline", "attachment.read"} {
		if !seen[action] {
			t.Errorf("no %s audit line of the expert: %v", action, seen)
		}
	}
}
