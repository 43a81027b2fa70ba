package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"sync"
	"testing"
)

// loginAttempt posts one staff login and returns the problem code ("" on
// success); safe to call from many goroutines.
func loginAttempt(a *application, username, password string, headers ...string) (int, string, error) {
	b, _ := json.Marshal(map[string]string{"username": username, "password": password})
	req := httptest.NewRequest("POST", "/api/v1/auth/staff-login", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.http.App().Test(req, -1)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var p problemCode
	_ = json.Unmarshal(raw, &p)
	return resp.StatusCode, p.Code, nil
}

// concurrentLogins runs n logins at once (user(i), password) and counts the
// answers by code.
func concurrentLogins(t *testing.T, a *application, n int, user func(i int) string, password string) map[string]int {
	t.Helper()
	var mu sync.Mutex
	codes := map[string]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, code, err := loginAttempt(a, user(i), password)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return codes
}

// Medium 1 (issue 16): the lock-out counters reserve an attempt before the
// password is verified, so concurrent guesses cannot all pass the check:
// of 40 concurrent wrong passwords for one account at most 5 are verified
// (answered bad_credentials), and of 120 concurrent logins from one IP at
// most 50.
func TestSecurityLockoutHoldsUnderConcurrency(t *testing.T) {
	a, _, _ := integrationApp(t)
	perUser := concurrentLogins(t, a, 40, func(int) string { return "police2" }, "wrong-password")
	if perUser["auth.bad_credentials"] > a.svc.accounts.Cfg.LoginFailLimit || perUser["auth.locked_out"] == 0 {
		t.Errorf("40 concurrent wrong passwords for one account: %v, want at most %d verified", perUser, a.svc.accounts.Cfg.LoginFailLimit)
	}
	perIP := concurrentLogins(t, a, 120, func(i int) string { return fmt.Sprintf("nobody%d", i) }, "wrong-password")
	if perIP["auth.bad_credentials"] > a.svc.accounts.Cfg.IPFailLimit || perIP["auth.locked_out"] == 0 {
		t.Errorf("120 concurrent logins from one IP: %v, want at most %d verified", perIP, a.svc.accounts.Cfg.IPFailLimit)
	}
}

// Medium 2 (issue 16): a username is folded once (NFKC, case, trim) for the
// lookup and the lock-out key alike, on MariaDB whose collation ignores case
// and accents: once police2 is locked, no other spelling logs in, and a
// spelling no account can have never matches one.
func TestSecurityLockoutCannotBeSpelledAround(t *testing.T) {
	a, _, _ := integrationApp(t)
	if status, code, _ := loginAttempt(a, "ＰＯＬＩＣＥ２", DemoPassword); status != 200 {
		t.Fatalf("the full-width upper-case spelling of a username: %d %s, want a login", status, code)
	}
	for i := 0; i < a.svc.accounts.Cfg.LoginFailLimit; i++ {
		if _, code, _ := loginAttempt(a, "police2", "wrong-password"); code != "auth.bad_credentials" {
			t.Fatalf("wrong password %d: %s", i, code)
		}
	}
	for _, spelling := range []string{"police2", "POLICE2", "police2 ", " Police2\t", "ｐｏｌｉｃｅ２", "police2\u3000"} {
		if status, code, _ := loginAttempt(a, spelling, DemoPassword); status != 429 || code != "auth.locked_out" {
			t.Errorf("%q after the lock-out: %d %s, want 429 auth.locked_out", spelling, status, code)
		}
	}
	if status, code, _ := loginAttempt(a, "pólice2", DemoPassword); status != 401 || code != "auth.bad_credentials" {
		t.Errorf("an accented spelling: %d %s, want 401 (no such account)", status, code)
	}
}

// Medium 3 (issue 16): behind the trusted proxy the client address is the
// entry the proxy appended, never a client-chosen first entry: forging the
// first entry neither resets the per-IP lock-out nor writes free text into
// the audit log, and a request without the header is the proxy's, not "".
func TestSecurityForwardedForCannotBeForged(t *testing.T) {
	// app.Test's connections come from 0.0.0.0: that is "the proxy" here.
	a := newTestApp(t, testConfig(t, map[string]string{"TIAOJIE_PROXY_HEADER": "X-Forwarded-For", "TIAOJIE_TRUSTED_PROXIES": "0.0.0.0"}))
	a.svc.accounts.Cfg.IPFailLimit = 3
	for i := 0; i < 3; i++ {
		forged := fmt.Sprintf("203.0.113.%d, 198.51.100.7", i)
		if _, code, _ := loginAttempt(a, fmt.Sprintf("nobody%d", i), "wrong-password", "X-Forwarded-For", forged); code != "auth.bad_credentials" {
			t.Fatalf("attempt %d: %s", i, code)
		}
	}
	if status, code, _ := loginAttempt(a, "nobody9", "wrong-password", "X-Forwarded-For", "203.0.113.99, 198.51.100.7"); status != 429 {
		t.Fatalf("a fresh forged first entry: %d %s, want the client's address locked out", status, code)
	}
	admin, _ := staffLogin(t, a, "admin")
	officer := demoUserNamed(t, a, "police1")
	for xff, want := range map[string]string{"203.0.113.66 (admin workstation), 198.51.100.8": "198.51.100.8", "": "0.0.0.0"} {
		r := do(t, a, "PATCH", path("/api/v1/admin/users/%d", officer), admin, map[string]any{"disabled": false}, "X-Forwarded-For", xff)
		expect(t, r, 200, "")
		log := do(t, a, "GET", "/api/v1/admin/audit-log?limit=100", admin, nil)
		found := false
		for _, it := range log.body["items"].([]any) {
			e := it.(map[string]any)
			if e["request_id"] == r.header.Get("X-Request-ID") {
				found = true
				if e["ip"] != want {
					t.Errorf("forwarded %q: audit IP %q, want %q", xff, e["ip"], want)
				}
			}
		}
		if !found {
			t.Fatalf("no audit line for the change: %s", log.raw)
		}
	}
}
