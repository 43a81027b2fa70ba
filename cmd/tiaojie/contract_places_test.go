package main

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	tiaojie "github.com/tiaojie/tiaojie"
	"github.com/tiaojie/tiaojie/api"
	"github.com/tiaojie/tiaojie/domain/detention"
	"github.com/tiaojie/tiaojie/domain/mediation"
)

// The places where openapi.yaml was false of the server's answers (issue 15
// item 11), each exercised here on the embedded default under the contract
// validator: a violation fails this test through do or the startApp proxy.
// Notification kinds visit_*, sla_warning and escalated are exercised by
// TestDetentionLoopFromIntakeToClosure, TestSLAWarningReachesTheUnitBeforeTheBreach
// and TestSLAExpiryEscalatesToTheParentUnit under the same validator.
func TestContractHoldsWhereItWasFalse(t *testing.T) {
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}), nil)
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	admin, _ := staffLogin(t, a, "admin")

	// WarningRule was allOf a closed WarningRuleInput plus {id, version}:
	// no answer could match. A risk_score rule has no window (was 0 < minimum 1).
	rules := do(t, a, "GET", "/api/v1/warning-rules", admin, nil)
	expect(t, rules, 200, "")
	for _, r := range rules.bodyList() {
		if _, has := r["window_days"]; r["kind"] == "risk_score" && has {
			t.Errorf("a risk_score rule has no window, got window_days %v", r["window_days"])
		}
	}
	rule := do(t, a, "POST", "/api/v1/warning-rules", admin, map[string]any{"kind": "risk_score", "name": "高风险", "threshold": 90, "severity": "red"})
	expect(t, rule, 201, "")
	expect(t, do(t, a, "PUT", path("/api/v1/warning-rules/%d", rule.id()), admin, map[string]any{
		"kind": "risk_score", "name": "高风险", "threshold": 95, "severity": "red", "enabled": false}), 200, "")

	// An unconfigured mini-program platform is a missing dependency: 503.
	expect(t, do(t, a, "POST", "/api/v1/auth/miniprogram-login", "", map[string]string{"code": "wx-code"}), 503, "auth.miniapp_not_configured")

	// A request's record is null before the lawyer writes one; a record
	// without an agreement has agreement null.
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour",
		"description": "楼上漏水多次协商未果", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, filed, 201, "")
	id := filed.id()
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", id), police, map[string]any{"classification": "civil"}), 200, "")
	if d := do(t, a, "GET", path("/api/v1/requests/%d", id), lawyer, nil); d.status != 200 || d.body["record"] != nil {
		t.Fatalf("before any record: %d record=%v", d.status, d.body["record"])
	}
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/transition", id), lawyer, map[string]any{"action": "start"}), 200, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/records", id), lawyer, map[string]any{"outcome": "failed", "risk_score": 10}), 200, "")
	if d := do(t, a, "GET", path("/api/v1/requests/%d", id), lawyer, nil); d.status != 200 || d.body["record"] == nil {
		t.Fatalf("after the record: %d %s", d.status, d.raw)
	}

	// A photo is served as what it is (was: only application/octet-stream documented).
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), bytes.Repeat([]byte{0}, 64)...)
	att := upload(t, a, citizen, id, "现场.png", png)
	expect(t, att, 201, "")
	got := do(t, a, "GET", path("/api/v1/requests/%d/attachments/%d", id, att.id()), citizen, nil)
	if got.status != 200 || got.header.Get("Content-Type") != "image/png" {
		t.Fatalf("png download: %d %q", got.status, got.header.Get("Content-Type"))
	}

	// No STUN/TURN configured: ice_servers is [] (was null).
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", id), lawyer, nil)
	expect(t, room, 201, "")
	grant := do(t, a, "POST", "/api/v1/rooms/"+room.str("id")+"/join-token", lawyer, nil)
	expect(t, grant, 200, "")
	if !strings.Contains(string(grant.raw), `"ice_servers":[]`) {
		t.Fatalf("join token without ICE servers: %s", grant.raw)
	}

	// The browser client's files are script, style and page (was text/plain),
	// and /metrics — over TCP, through the validating proxy.
	for _, f := range []string{"app.js", "style.css", "index.html"} {
		if resp, _ := get(t, base+"/app/mediation/"+f); resp.StatusCode != 200 {
			t.Errorf("%s: %d", f, resp.StatusCode)
		}
	}
	// /metrics is checked whatever it answers: 200 text/plain, or the
	// documented 500 problem (a broken collector; issue 15 item 4 is the
	// labelling bug that can cause one, fixed on its own).
	get(t, base+"/metrics")
}

// failingCollector is a collector whose scrape fails.
type failingCollector struct{ desc *prometheus.Desc }

func (c failingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }
func (c failingCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.NewInvalidMetric(c.desc, errors.New("pool stats unavailable"))
}

// A failing collector makes /metrics a documented 500 problem, without the
// collector's words (was: undocumented, promhttp's plain-text page).
func TestMetricsFailureIsADocumentedProblem(t *testing.T) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(failingCollector{prometheus.NewDesc("tiaojie_test_broken", "A collector that fails.", nil, nil)})
	s, err := api.New(api.Deps{Config: api.DefaultConfig(), Log: slog.New(slog.NewJSONHandler(io.Discard, nil)), Registry: reg, OpenAPI: tiaojie.OpenAPI})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := checkedTest(t, s.App(), httptest.NewRequest("GET", "/metrics", nil), -1)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 500 || strings.Contains(string(body), "pool stats") {
		t.Fatalf("/metrics with a failing collector: %d %s", resp.StatusCode, body)
	}
}

// Every kind of notice the server puts in an inbox is one the spec lists
// (visit_approved, sla_warning and escalated were missing).
func TestEveryNotificationKindIsDocumented(t *testing.T) {
	kinds := []string{
		mediation.NoticeCaseAssigned, mediation.NoticeCaseAgreed, mediation.NoticeCaseClosed, mediation.NoticeSessionScheduled, mediation.NoticeRequestRejected,
		detention.NoticeVisitApproved, detention.NoticeVisitRefused, detention.NoticeVisitCancelled, detention.NoticeVisitReminder,
		detention.NoticeVisitSuspended,
		"sla_warning", "escalated", // domain/workorder/timers.go
	}
	c, err := theContract()
	if err != nil {
		t.Fatal(err)
	}
	schema := c.doc.Components.Schemas["Notification"].Value.Properties["kind"].Value
	for _, k := range kinds {
		if err := schema.VisitJSON(k); err != nil {
			t.Errorf("notification kind %q is not in openapi.yaml: %v", k, oneLine(err))
		}
	}
}
