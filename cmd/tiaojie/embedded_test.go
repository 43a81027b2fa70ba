package main

import (
	"strings"
	"sync"
	"testing"
	"time"
)

// With nothing configured, the server runs on a SQLite file and an in-process
// Redis-protocol server, says so in its log, and is ready.
func TestEmbeddedDefaultIsReadyAndSaysSo(t *testing.T) {
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, nil), logs)
	if a.db.Dialect != "sqlite" || a.embedded == nil {
		t.Fatalf("not embedded: dialect %s, embedded redis %v", a.db.Dialect, a.embedded != nil)
	}
	if resp, _ := get(t, base+"/healthz"); resp.StatusCode != 200 {
		t.Fatalf("/healthz %d", resp.StatusCode)
	}
	if status, r := readyz(t, base); status != 200 || r.Checks["redis"] != "ok" || r.Checks["database"] != "ok" {
		t.Fatalf("/readyz %d %+v", status, r)
	}
	if !strings.Contains(logs.String(), "EMBEDDED MODE") {
		t.Fatalf("the log must say plainly that it runs embedded:\n%s", logs.String())
	}
	// Filings are group-committed on SQLite too: concurrent ones all land.
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	station := stationID(t, a, "双凤桥派出所")
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "neighbour",
				"description": "楼上漏水多次协商未果", "station_id": station})
			if r.status != 201 {
				t.Errorf("filing: %d %s", r.status, r.raw)
			}
		}()
	}
	wg.Wait()
	_, metrics := get(t, base+"/metrics")
	if !strings.Contains(metrics, "tiaojie_filing_batch_size_sum 8\n") {
		t.Errorf("/metrics does not count the 8 filings in its batches:\n%s", grepLines(metrics, "tiaojie_filing_batch"))
	}
	for _, want := range []string{"go_sql_open_connections", "tiaojie_redis_pool_connections", "tiaojie_http_requests_total"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

func grepLines(text, prefix string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// In embedded mode Redis TTLs run in real time too: once the cool-down has
// passed, the same phone gets a second login code. (The in-process server's
// clock used to stand still, so a phone got one code per server run.)
func TestEmbeddedModeLetsAPhoneHaveASecondCodeAfterTheCoolDown(t *testing.T) {
	a := newTestApp(t, testConfig(t, nil))
	if a.embedded == nil {
		t.Fatal("not on the embedded Redis")
	}
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	a.svc.accounts.Cfg.OTPGap = time.Second
	phone := randomPhone()
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 202, "")
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 429, "auth.code_too_soon")
	deadline := time.Now().Add(15 * time.Second)
	var r reply
	for time.Now().Before(deadline) {
		if r = do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}); r.status != 429 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if r.status != 202 {
		t.Fatalf("a one-second cool-down never ended in embedded mode: last answer %d %s", r.status, r.raw)
	}
	// The second code is the one that logs in.
	second := box.last(phone)
	if second == "" {
		t.Fatal("no second code was sent")
	}
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": second}), 200, "")
}
