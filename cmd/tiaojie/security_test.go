package main

import (
	"bytes"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tiaojie/tiaojie/push"
)

// The security suite, one test per OWASP API Security Top 10 (2023) item
// that applies. Items covered elsewhere: API2 broken authentication and API5
// function-level authorisation in authz_test.go (every route × every role ×
// nine kinds of bad token), refresh replay in identity_test.go, API6 OTP
// brute force and password lock-out in identity_test.go, API9 inventory in
// contract_test.go, API10 unsafe consumption in push/webhook_test.go and
// infra/miniapp (bounded, checked responses). API7 SSRF: no endpoint takes a
// URL; the SMS and push gateways come only from the environment.

// API1: object-level authorisation. Another station's officer cannot see or
// act on a work order; another citizen cannot see or mark notices.
func TestSecurityObjectLevelAuthorisation(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	stranger, _ := citizenLogin(t, a, box, randomPhone())
	police1, _ := staffLogin(t, a, "police1")
	police2, _ := staffLogin(t, a, "police2")
	req := fileAt(t, a, citizen, stationID(t, a, "双凤桥派出所"), "物业费纠纷需要调解")
	orders, _ := a.svc.dispatch.store.OrdersAbout(t.Context(), "request", req)
	id := orders[0].ID
	for _, p := range []string{"", "/claim", "/complete", "/cancel", "/reassign", "/wait", "/resume"} {
		method := "POST"
		if p == "" {
			method = "GET"
		}
		body := map[string]any{"outcome": "已处理", "reason": "越权尝试"}
		if p == "/reassign" {
			body["unit_id"] = stationID(t, a, "回兴派出所")
		}
		expect(t, do(t, a, method, path("/api/v1/work-orders/%d", id)+p, police2, body), 404, "work_order.not_found")
	}
	expect(t, do(t, a, "GET", path("/api/v1/work-orders/%d", id), police1, nil), 200, "")
	expect(t, do(t, a, "GET", path("/api/v1/requests/%d", req), stranger, nil), 404, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", req), police1, map[string]any{"classification": "civil"}), 200, "")
	mine := do(t, a, "GET", "/api/v1/notifications", citizen, nil)
	items := mine.body["items"].([]any)
	if len(items) == 0 {
		t.Fatal("the filer should have a notice after the assignment")
	}
	noticeID := items[0].(map[string]any)["id"]
	marked := do(t, a, "POST", "/api/v1/notifications/read", stranger, map[string]any{"ids": []any{noticeID}})
	if marked.status != 200 || marked.body["marked"] != 0.0 {
		t.Fatalf("a stranger marked someone else's notice: %s", marked.raw)
	}
	if theirs := do(t, a, "GET", "/api/v1/notifications", stranger, nil); len(theirs.body["items"].([]any)) != 0 {
		t.Fatalf("a stranger sees notices: %s", theirs.raw)
	}
}

// API3: object property level. Fields a client must not set — status,
// lead, role, organisation, state — are refused, not ignored.
func TestSecurityMassAssignmentIsRefused(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	station := stationID(t, a, "双凤桥派出所")
	cases := []struct {
		name, method, path, token string
		body                      map[string]any
	}{
		{"filing with a status", "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
			"description": "离婚财产分割纠纷", "station_id": station, "status": "closed"}},
		{"filing with a lead", "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
			"description": "离婚财产分割纠纷", "station_id": station, "lead_id": 1}},
		{"completing with a state", "POST", "/api/v1/work-orders/1/complete", police, map[string]any{"outcome": "done", "state": "completed"}},
		{"self-service roles", "POST", "/api/v1/auth/staff-login", "", map[string]any{"username": "police1", "password": "demo-pass-2026", "roles": []string{"admin"}}},
	}
	for _, c := range cases {
		r := do(t, a, c.method, c.path, c.token, c.body)
		if r.status != 400 && r.status != 422 {
			t.Errorf("%s: %d %s, want the unknown field refused", c.name, r.status, r.raw)
		}
	}
	list := do(t, a, "GET", "/api/v1/requests", citizen, nil)
	if n := len(list.body["items"].([]any)); n != 0 {
		t.Fatalf("a refused filing left %d requests", n)
	}
}

// API4: unrestricted resource consumption. Oversized bodies, page sizes
// and WebSocket messages are refused; a stream client sending garbage is
// cut off.
func TestSecurityResourceLimits(t *testing.T) {
	a, base, box := dispatchApp(t, nil)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	police, _ := staffLogin(t, a, "police1")
	big := `{"kind":"mediation","category":"family","station_id":1,"description":"` + strings.Repeat("长", 200_000) + `"}`
	req := httptest.NewRequest("POST", "/api/v1/requests", strings.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+citizen)
	resp, err := checkedTest(t, a.http.App(), req, -1)
	if err != nil || resp.StatusCode != 413 {
		t.Fatalf("a 600 kB JSON body: %v %v, want 413", resp.StatusCode, err)
	}
	expect(t, do(t, a, "GET", "/api/v1/work-orders?limit=1000", police, nil), 422, "validation.failed")
	expect(t, do(t, a, "GET", "/api/v1/requests?limit=101", citizen, nil), 422, "validation.failed")

	app := connectStaff(t, base, police, false)
	app.wmu.Lock()
	_ = app.conn.WriteMessage(websocket.TextMessage, bytes.Repeat([]byte("x"), push.MaxClientMessage+1))
	app.wmu.Unlock()
	if !streamCloses(app, 5*time.Second) {
		t.Fatal("an oversized stream message should close the socket")
	}
	bad := connectStaff(t, base, police, false)
	for i := 0; i < 5; i++ {
		bad.send(push.ClientMessage{Type: "teleport"})
	}
	var codes []string
	for m := range bad.msgs {
		if m.Type == "error" {
			codes = append(codes, m.Code)
		}
	}
	if !slices.Contains(codes, "stream.bad_messages") {
		t.Fatalf("five bad messages should end the stream, got %v", codes)
	}
}

// API8: security misconfiguration. Every answer carries the hardening
// headers; an origin not configured gets no CORS grant.
func TestSecurityHeadersAndCORS(t *testing.T) {
	a := newTestApp(t, testConfig(t, map[string]string{"TIAOJIE_CORS_ORIGINS": "https://servicewechat.com"}))
	for _, p := range []string{"/healthz", "/api/v1/me", "/no/such/route"} {
		req := httptest.NewRequest("GET", p, nil)
		req.Header.Set("Origin", "https://evil.example")
		resp, err := checkedTest(t, a.http.App(), req, -1)
		if err != nil {
			t.Fatal(err)
		}
		for h, want := range map[string]string{"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer"} {
			if got := resp.Header.Get(h); got != want {
				t.Errorf("%s: %s = %q, want %q", p, h, got, want)
			}
		}
		if got := resp.Header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: an unknown origin was granted CORS: %q", p, got)
		}
	}
	req := httptest.NewRequest("OPTIONS", "/api/v1/me", nil)
	req.Header.Set("Origin", "https://servicewechat.com")
	req.Header.Set("Access-Control-Request-Method", "GET")
	resp, _ := checkedTest(t, a.http.App(), req, -1)
	if resp.Header.Get("Access-Control-Allow-Origin") != "https://servicewechat.com" {
		t.Errorf("the configured origin was not granted: %v", resp.Header)
	}
}

// streamCloses reports whether the server closes the stream within d.
func streamCloses(app *staffApp, d time.Duration) bool {
	deadline := time.After(d)
	for {
		select {
		case _, ok := <-app.msgs:
			if !ok {
				return true
			}
		case <-deadline:
			return false
		}
	}
}

// API2: a staff stream outlives the request that opened it; disabling the
// account (which revokes its sessions) ends the stream within a heartbeat.
func TestSecurityStreamEndsWithTheSession(t *testing.T) {
	a, base, _ := dispatchApp(t, nil)
	a.svc.dispatch.hub.Heartbeat = 200 * time.Millisecond
	admin, _ := staffLogin(t, a, "admin")
	police, _ := staffLogin(t, a, "police2")
	app := connectStaff(t, base, police, false)
	officer := demoUserNamed(t, a, "police2")
	expect(t, do(t, a, "PATCH", path("/api/v1/admin/users/%d", officer), admin, map[string]any{"disabled": true}), 200, "")
	expect(t, do(t, a, "GET", "/api/v1/me", police, nil), 401, "")
	if !streamCloses(app, 5*time.Second) {
		t.Fatal("the disabled officer's stream stayed open")
	}
}

func demoUserNamed(t *testing.T, a *application, username string) int64 {
	t.Helper()
	u, ok, err := a.svc.accounts.Users.UserByUsername(t.Context(), username)
	if err != nil || !ok {
		t.Fatalf("user %s: %v", username, err)
	}
	return u.ID
}
