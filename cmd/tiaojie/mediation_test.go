package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
)

func path(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func stationID(t *testing.T, a *application, name string) int64 {
	t.Helper()
	orgs, err := a.svc.accounts.Stations(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o.ID
		}
	}
	t.Fatalf("no station %s", name)
	return 0
}

func timeline(t *testing.T, r reply) []string {
	t.Helper()
	var out []string
	items, _ := r.body["timeline"].([]any)
	for _, it := range items {
		out = append(out, it.(map[string]any)["type"].(string))
	}
	return out
}

func ordersOf(t *testing.T, a *application, id int64) map[string]int {
	t.Helper()
	orders, err := a.svc.dispatch.store.OrdersAbout(context.Background(), "request", id)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, o := range orders {
		kinds[o.Kind]++
	}
	return kinds
}

// A civil dispute from the phone to the satisfaction rating, through the
// API with the demo accounts: lawyer leads, police assist, two-level approval.
func TestCivilDisputeThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	admin, _ := staffLogin(t, a, "admin")
	station := stationID(t, a, "双凤桥派出所")
	lawyer1 := demoUser(t, a, "lawyer")

	expect(t, do(t, a, "GET", "/api/v1/categories", citizen, nil), 200, "")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{
		"kind": "mediation", "category": "neighbour", "description": "楼上漏水多次协商未果", "station_id": station, "place": "双凤桥街道1号",
		"lawyer_id": lawyer1.ID, "parties": []map[string]string{{"name": "王五", "phone": "13900000001", "relation": "邻居"}},
	}, "Idempotency-Key", "civil-1")
	expect(t, filed, 201, "")
	id := filed.id()
	if filed.str("status") != "filed" {
		t.Fatalf("status %s", filed.str("status"))
	}
	screened := do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"})
	expect(t, screened, 200, "")
	if screened.str("status") != "assigned" || int64(screened.body["lead_id"].(float64)) != lawyer1.ID {
		t.Fatalf("civil dispute not led by the chosen lawyer: %s", screened.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{
		"sessions": []map[string]any{{"held_at": "2026-11-23T10:00:00+08:00", "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "双方同意赔偿"}},
		"outcome":  "agreed", "risk_score": 30, "agreement": map[string]any{"terms": "赔偿维修费800元", "amount_fen": 80000, "judicial_confirmation": "pending"},
	}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "agree"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "close"}), 409, "case.record_not_approved")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records/submit", id), lawyer, nil), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), supervisor, map[string]any{"decision": "approve"}), 403, "record.not_your_review")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/approve", id), police, map[string]any{"decision": "approve", "comment": "记录完整"}), 200, "")
	approved := do(t, a, "POST", path("/api/v1/requests/%d/approve", id), supervisor, map[string]any{"decision": "approve"})
	expect(t, approved, 200, "")
	if approved.str("review") != "approved" {
		t.Fatalf("review %s", approved.str("review"))
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "close", "note": "结案"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), police, map[string]any{"action": "follow_up"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/rate", id), citizen, map[string]any{"stars": 5, "comment": "很满意"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/rate", id), citizen, map[string]any{"stars": 4}), 409, "request.already_rated")

	detail := do(t, a, "GET", path("/api/v1/requests/%d", id), citizen, nil)
	expect(t, detail, 200, "")
	want := "[filed screened assigned start record_saved agree record_submit record_approve record_approve close follow_up rated]"
	if got := fmt.Sprint(timeline(t, detail)); got != want {
		t.Fatalf("timeline %s\nwant     %s", got, want)
	}
	if k := ordersOf(t, a, id); k["screen_request"] != 1 || k["assignment"] != 2 || k["record_review"] != 2 || k["follow_up"] != 1 {
		t.Fatalf("work orders %v", k)
	}
	audit := do(t, a, "GET", "/api/v1/admin/audit-log?resource_type=request&resource_id="+strconv.FormatInt(id, 10)+"&limit=100", admin, nil)
	expect(t, audit, 200, "")
	if items, _ := audit.body["items"].([]any); len(items) < 12 {
		t.Fatalf("audit log holds %d entries for the request, want every change and read", len(items))
	}
}

func TestPublicSecurityDisputeThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	station := stationID(t, a, "双凤桥派出所")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "compensation",
		"description": "酒后推搡致轻微伤", "station_id": station})
	expect(t, filed, 201, "")
	screened := do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "public_security"})
	expect(t, screened, 200, "")
	if int64(screened.body["lead_id"].(float64)) != demoUser(t, a, "police").ID {
		t.Fatalf("public-security dispute not led by police: %s", screened.raw)
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", filed.id()), lawyer, map[string]any{"action": "start"}), 403, "request.not_yours")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", filed.id()), police, map[string]any{"action": "start"}), 200, "")
}

func TestFilingIsIdempotentAndPrivate(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	other, _ := citizenLogin(t, a, box, randomPhone())
	station := stationID(t, a, "回兴派出所")
	body := map[string]any{"kind": "consultation", "category": "debt", "description": "网贷逾期被催收怎么办", "station_id": station}
	first := do(t, a, "POST", "/api/v1/requests", citizen, body, "Idempotency-Key", "k-1")
	again := do(t, a, "POST", "/api/v1/requests", citizen, body, "Idempotency-Key", "k-1")
	expect(t, again, 201, "")
	if again.id() != first.id() || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("a retry made request %d after %d", again.id(), first.id())
	}
	body["description"] = "另一件完全不同的事情"
	expect(t, do(t, a, "POST", "/api/v1/requests", citizen, body, "Idempotency-Key", "k-1"), 422, "idempotency.key_reused")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", first.id()), other, nil), 404, "request.not_found")
	list := do(t, a, "GET", "/api/v1/requests", other, nil)
	if items, _ := list.body["items"].([]any); len(items) != 0 {
		t.Fatalf("another citizen lists %d requests", len(items))
	}
	// Mass assignment: a client cannot set the status of what it files.
	body["status"] = "closed"
	expect(t, do(t, a, "POST", "/api/v1/requests", citizen, body), 422, "validation.failed")
}

func TestConcurrentTransitionsThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	lawyer, _ := staffLogin(t, a, "lawyer1")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "离婚后抚养费纠纷", "station_id": stationID(t, a, "双凤桥派出所")})
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, tok := range []string{lawyer, police} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i] = do(t, a, "POST", path("/api/v1/requests/%d/transition", filed.id()), tok, map[string]any{"action": "start"}).status
		}()
	}
	wg.Wait()
	if !((statuses[0] == 200 && statuses[1] == 409) || (statuses[0] == 409 && statuses[1] == 200)) {
		t.Fatalf("two concurrent starts answered %v, want one 200 and one 409", statuses)
	}
}

func upload(t *testing.T, a *application, token string, id int64, name string, content []byte) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(content)
	_ = mw.Close()
	req := httptest.NewRequest("POST", path("/api/v1/requests/%d/attachments", id), &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := checkedTest(t, a.http.App(), req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: raw}
	_ = jsonUnmarshal(raw, &r.body)
	return r
}

func TestAttachmentsThroughTheAPI(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	other, _ := citizenLogin(t, a, box, randomPhone())
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "property",
		"description": "物业费争议需要调解", "station_id": stationID(t, a, "两路派出所")})
	pdf := []byte("%PDF-1.7\n" + strings.Repeat("x", 1000))
	att := upload(t, a, citizen, filed.id(), "合同.pdf", pdf)
	expect(t, att, 201, "")
	expect(t, upload(t, a, citizen, filed.id(), "photo.jpg", []byte("MZ\x90\x00 this is an exe")), 422, "validation.failed")
	big := append([]byte("\xff\xd8\xff\xe0"), bytes.Repeat([]byte("x"), 6<<20)...)
	expect(t, upload(t, a, citizen, filed.id(), "big.jpg", big), 422, "validation.failed")
	got := do(t, a, "GET", path("/api/v1/requests/%d/attachments/%d", filed.id(), att.id()), citizen, nil)
	if got.status != 200 || !bytes.Equal(got.raw, pdf) {
		t.Fatalf("download: %d, %d bytes", got.status, len(got.raw))
	}
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d/attachments/%d", filed.id(), att.id()), other, nil), 404, "")
}

// Bad input on real routes gets the problem envelope, never a 500.
func TestBadInputOnRealRoutes(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	send := func(contentType, body string) reply {
		req := httptest.NewRequest("POST", "/api/v1/requests", strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		req.Header.Set("Authorization", "Bearer "+citizen)
		resp, err := checkedTest(t, a.http.App(), req, -1)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		r := reply{status: resp.StatusCode, raw: raw}
		_ = jsonUnmarshal(raw, &r.body)
		return r
	}
	expect(t, send("application/json", `{"kind": "mediation",`), 400, "request.malformed_json")
	expect(t, send("text/plain", `{}`), 415, "request.unsupported_media_type")
	expect(t, send("application/json", `{"description":"`+strings.Repeat("长", 200_000)+`"}`), 413, "request.too_large")
	expect(t, send("application/json", `{"kind":"mediation","category":"neighbour","description":"短","station_id":-4}`), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/requests/abc", citizen, nil), 404, "")
	expect(t, do(t, a, "GET", "/api/v1/requests?limit=1000", citizen, nil), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/requests?cursor=%%%", citizen, nil), 422, "validation.failed")
}

func TestLawyerDirectory(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	s1 := stationID(t, a, "双凤桥派出所")
	all := do(t, a, "GET", "/api/v1/lawyers", citizen, nil)
	expect(t, all, 200, "")
	var list []map[string]any
	_ = jsonUnmarshal(all.raw, &list)
	if len(list) != 4 {
		t.Fatalf("%d lawyers, want the 4 demo lawyers", len(list))
	}
	r := do(t, a, "GET", "/api/v1/lawyers?specialty=labour&station_id="+strconv.FormatInt(s1, 10)+"&available=true", citizen, nil)
	_ = jsonUnmarshal(r.raw, &list)
	if len(list) != 1 || list[0]["name"] != "陈律师" || list[0]["firm_name"] != "重庆渝北律师事务所" || list[0]["on_duty_now"] != true {
		t.Fatalf("labour lawyers at 双凤桥: %s", r.raw)
	}
	id := int64(list[0]["id"].(float64))
	expect(t, do(t, a, "GET", path("/api/v1/lawyers/%d", id), citizen, nil), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/mediators/%d", id), citizen, nil), 404, "lawyer.not_found")
	m := do(t, a, "GET", "/api/v1/mediators", citizen, nil)
	_ = jsonUnmarshal(m.raw, &list)
	if len(list) != 1 || list[0]["kind"] != "mediator" {
		t.Fatalf("mediators: %s", m.raw)
	}
	expect(t, do(t, a, "GET", "/api/v1/lawyers?sort=price", citizen, nil), 422, "validation.failed")
	if strings.Contains(string(all.raw), "phone") {
		t.Fatal("the directory must not show phone numbers")
	}
}

// Routing prefers the specialist of the station when the citizen chose nobody.
func TestRoutingUsesSpecialties(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "labour",
		"description": "工资被拖欠三个月", "station_id": stationID(t, a, "双凤桥派出所")})
	r := do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"})
	expect(t, r, 200, "")
	lawyer2, _, _ := a.svc.accounts.Users.UserByUsername(context.Background(), "lawyer2")
	if int64(r.body["lead_id"].(float64)) != lawyer2.ID {
		t.Fatalf("a labour dispute at 双凤桥 went to %v, want lawyer2 (labour)", r.body["lead_id"])
	}
}
