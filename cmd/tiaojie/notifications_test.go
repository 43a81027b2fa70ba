package main

import (
	"strings"
	"testing"
)

// Screening a citizen's request puts a notice in their inbox; they read it
// through the API, and nobody else can mark it.
func TestInboxThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, randomPhone()) // an empty inbox (the demo family's holds the demo's notices)
	other, _ := citizenLogin(t, a, box, randomPhone())
	police, _ := staffLogin(t, a, "police1")
	station := stationID(t, a, "双凤桥派出所")

	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{
		"kind": "mediation", "category": "neighbour", "description": "楼上漏水多次协商未果", "station_id": station,
		"parties": []map[string]string{{"name": "王五", "phone": "13900000001", "relation": "邻居"}},
	})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")

	inbox := do(t, a, "GET", "/api/v1/notifications", citizen, nil)
	expect(t, inbox, 200, "")
	items, _ := inbox.body["items"].([]any)
	if len(items) != 1 || inbox.body["unread"] != float64(1) {
		t.Fatalf("inbox %s, want one unread notice", inbox.raw)
	}
	n := items[0].(map[string]any)
	if n["kind"] != "case_assigned" || n["title"] != "您的调解申请已分派律师" || n["resource_id"] != float64(filed.id()) || n["read_at"] != nil {
		t.Fatalf("notice %v", n)
	}
	id := int64(n["id"].(float64))

	expect(t, do(t, a, "GET", "/api/v1/notifications?unread=maybe", citizen, nil), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/notifications?limit=101", citizen, nil), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/notifications/read", citizen, map[string]any{"status": "read"}), 422, "validation.failed")
	if r := do(t, a, "POST", "/api/v1/notifications/read", other, map[string]any{"ids": []int64{id}}); r.status != 200 || r.body["marked"] != float64(0) {
		t.Fatalf("another citizen marking the notice: %d %s, want 200 with nothing marked", r.status, r.raw)
	}
	if r := do(t, a, "GET", "/api/v1/notifications", other, nil); r.status != 200 || len(r.body["items"].([]any)) != 0 {
		t.Fatalf("another citizen's inbox: %d %s, want empty", r.status, r.raw)
	}
	if r := do(t, a, "POST", "/api/v1/notifications/read", citizen, map[string]any{}); r.status != 200 || r.body["marked"] != float64(1) {
		t.Fatalf("mark all: %d %s, want 1 marked", r.status, r.raw)
	}
	if r := do(t, a, "GET", "/api/v1/notifications?unread=true", citizen, nil); r.status != 200 || len(r.body["items"].([]any)) != 0 || r.body["unread"] != float64(0) {
		t.Fatalf("unread after marking: %d %s", r.status, r.raw)
	}
	if r := do(t, a, "GET", path("/api/v1/notifications?before=%d", id), citizen, nil); r.status != 200 || len(r.body["items"].([]any)) != 0 {
		t.Fatalf("page below the only notice: %d %s, want empty", r.status, r.raw)
	}
}

// A rejected request tells the citizen, with the reason, in their inbox.
func TestARejectedRequestTellsTheCitizenWhy(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, randomPhone())
	police, _ := staffLogin(t, a, "police1")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{
		"kind": "mediation", "category": "debt", "description": "朋友借款三万元到期不还", "station_id": stationID(t, a, "双凤桥派出所")})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"reject": true, "reason": "已进入诉讼程序"}), 200, "")
	inbox := do(t, a, "GET", "/api/v1/notifications", citizen, nil)
	expect(t, inbox, 200, "")
	items, _ := inbox.body["items"].([]any)
	if len(items) != 1 {
		t.Fatalf("inbox %s, want one notice of the rejection", inbox.raw)
	}
	n := items[0].(map[string]any)
	if body, _ := n["body"].(string); n["kind"] != "request_rejected" || n["resource_id"] != float64(filed.id()) || !strings.Contains(body, "已进入诉讼程序") {
		t.Fatalf("notice %v, want request_rejected about request %d with the reason", n, filed.id())
	}
}
