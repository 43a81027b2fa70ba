package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/infra/miniapp"
)

// smsBox catches the codes the server would text.
type smsBox struct {
	mu    sync.Mutex
	codes map[string]string
}

func (b *smsBox) SendCode(_ context.Context, phone, code string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.codes[phone] = code
	return nil
}

func (b *smsBox) last(phone string) string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.codes[phone]
}

// testClock is a settable clock shared by the services under test.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// integrationApp is the whole server on the test backend (backendEnv: the
// real MariaDB and Redis, or the embedded default), demo data seeded, with
// the SMS box and a settable clock.
func integrationApp(t *testing.T) (*application, *smsBox, *testClock) {
	t.Helper()
	env := backendEnv(t)
	env["TIAOJIE_DUTY_HOURS"] = "00:00-24:00"
	a := newTestApp(t, testConfig(t, env))
	if err := seedDemo(context.Background(), a.svc, a.log); err != nil {
		t.Fatal(err)
	}
	box := &smsBox{codes: map[string]string{}}
	clock := &testClock{now: time.Now().UTC()}
	a.svc.accounts.SMS, a.svc.accounts.Clock = box, clock
	a.svc.mediation.Clock, a.svc.warnings.Clock = clock, clock
	return a, box, clock
}

type reply struct {
	status int
	body   map[string]any
	raw    []byte
	header http.Header
}

func (r reply) str(key string) string { s, _ := r.body[key].(string); return s }

func (r reply) id() int64 { f, _ := r.body["id"].(float64); return int64(f) }

// bodyList is a JSON array answer.
func (r reply) bodyList() []map[string]any {
	var out []map[string]any
	_ = json.Unmarshal(r.raw, &out)
	return out
}

func do(t *testing.T, a *application, method, path, token string, body any, headers ...string) reply {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := checkedTest(t, a.http.App(), req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := reply{status: resp.StatusCode, raw: raw, header: resp.Header}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func expect(t *testing.T, r reply, status int, code string) {
	t.Helper()
	if r.status != status || (code != "" && r.str("code") != code) {
		t.Fatalf("got %d %s, want %d %s", r.status, r.raw, status, code)
	}
}

func staffLogin(t *testing.T, a *application, username string) (access, refresh string) {
	t.Helper()
	r := do(t, a, "POST", "/api/v1/auth/staff-login", "", map[string]string{"username": username, "password": DemoPassword})
	expect(t, r, 200, "")
	return r.str("access_token"), r.str("refresh_token")
}

func citizenLogin(t *testing.T, a *application, box *smsBox, phone string) (access, refresh string) {
	t.Helper()
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 202, "")
	r := do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": box.last(phone)})
	expect(t, r, 200, "")
	return r.str("access_token"), r.str("refresh_token")
}

func randomPhone() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	n, _ := strconv.ParseUint(hex.EncodeToString(b), 16, 64)
	return "139" + strconv.FormatUint(10_000_000+n%89_999_999, 10)
}

func TestOTPFlow(t *testing.T) {
	a, box, _ := integrationApp(t)
	phone := randomPhone()

	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": "12345"}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 202, "")
	first := box.last(phone)
	if len(first) != 6 {
		t.Fatalf("code %q is not 6 digits", first)
	}
	r := do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone})
	expect(t, r, 429, "auth.code_too_soon")
	if r.header.Get("Retry-After") == "" {
		t.Fatal("a rate-limited answer needs Retry-After")
	}

	// The first login creates the account; the code is single use.
	r = do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": first})
	expect(t, r, 200, "")
	access := r.str("access_token")
	me := do(t, a, "GET", "/api/v1/me", access, nil)
	expect(t, me, 200, "")
	if me.str("phone") != domain.MaskPhone(phone) {
		t.Fatalf("/me phone %q, want it masked", me.str("phone"))
	}
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": first}), 401, "auth.code_expired")
}

func TestOTPWrongTriesAndExpiry(t *testing.T) {
	a, box, _ := integrationApp(t)
	phone := randomPhone()
	a.svc.accounts.Cfg.OTPGap = 0 // this test asks for several codes
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 202, "")
	right := box.last(phone)
	wrong := "000000"
	if right == wrong {
		wrong = "111111"
	}
	for i := 0; i < 4; i++ {
		expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": wrong}), 401, "auth.code_wrong")
	}
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": wrong}), 401, "auth.code_wrong")
	// The fifth wrong try destroyed the code: even the right one fails now.
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": right}), 401, "auth.code_expired")

	a.svc.accounts.Cfg.OTPTTL = 300 * time.Millisecond
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 202, "")
	time.Sleep(500 * time.Millisecond) // let Redis expire the code
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": box.last(phone)}), 401, "auth.code_expired")

	a.svc.accounts.Cfg.OTPDailyCap = 2 // two codes today already
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 429, "auth.code_too_soon")
}

func TestStaffLoginAndLockout(t *testing.T) {
	a, _, _ := integrationApp(t)
	staffLogin(t, a, "police1")
	for i := 0; i < 5; i++ {
		expect(t, do(t, a, "POST", "/api/v1/auth/staff-login", "", map[string]string{"username": "police1", "password": "wrong-password"}), 401, "auth.bad_credentials")
	}
	// Locked: even the right password is refused for a while.
	r := do(t, a, "POST", "/api/v1/auth/staff-login", "", map[string]string{"username": "police1", "password": DemoPassword})
	expect(t, r, 429, "auth.locked_out")
	// An unknown user answers like a wrong password.
	expect(t, do(t, a, "POST", "/api/v1/auth/staff-login", "", map[string]string{"username": "nobody", "password": "x"}), 401, "auth.bad_credentials")
}

func TestRefreshRotationGraceAndReuse(t *testing.T) {
	a, _, clock := integrationApp(t)
	_, refresh := staffLogin(t, a, "lawyer1")
	first := do(t, a, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh})
	expect(t, first, 200, "")
	// The phone lost the answer and retries: the same pair comes back.
	retry := do(t, a, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh})
	expect(t, retry, 200, "")
	if retry.str("refresh_token") != first.str("refresh_token") || retry.str("access_token") != first.str("access_token") {
		t.Fatal("a retry within the grace period must get the same pair")
	}
	next := first.str("refresh_token")
	expect(t, do(t, a, "GET", "/api/v1/me", first.str("access_token"), nil), 200, "")

	// After the grace period the spent token is a stolen one: the whole family dies.
	clock.advance(11 * time.Second)
	expect(t, do(t, a, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}), 401, "auth.refresh_reused")
	expect(t, do(t, a, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": next}), 401, "auth.invalid_token")
	expect(t, do(t, a, "GET", "/api/v1/me", first.str("access_token"), nil), 401, "auth.session_ended")
}

func TestLogoutEndsTheSessionAtOnce(t *testing.T) {
	a, box, _ := integrationApp(t)
	access, refresh := citizenLogin(t, a, box, randomPhone())
	expect(t, do(t, a, "POST", "/api/v1/auth/logout", access, nil), 204, "")
	expect(t, do(t, a, "GET", "/api/v1/me", access, nil), 401, "auth.session_ended")
	expect(t, do(t, a, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": refresh}), 401, "auth.invalid_token")
}

func TestDisabledAccountIsRefusedAtOnce(t *testing.T) {
	a, _, _ := integrationApp(t)
	adminToken, _ := staffLogin(t, a, "admin")
	policeToken, policeRefresh := staffLogin(t, a, "police1")
	police := demoUser(t, a, "police")
	expect(t, do(t, a, "GET", "/api/v1/me", policeToken, nil), 200, "")
	r := do(t, a, "PATCH", "/api/v1/admin/users/"+strconv.FormatInt(police.ID, 10), adminToken, map[string]any{"disabled": true})
	expect(t, r, 200, "")
	expect(t, do(t, a, "GET", "/api/v1/me", policeToken, nil), 401, "auth.session_ended")
	expect(t, do(t, a, "POST", "/api/v1/auth/refresh", "", map[string]string{"refresh_token": policeRefresh}), 401, "auth.invalid_token")
	expect(t, do(t, a, "POST", "/api/v1/auth/staff-login", "", map[string]string{"username": "police1", "password": DemoPassword}), 401, "auth.bad_credentials")
}

// A Redis flush loses the denylist; it is rebuilt from the database before
// any token is accepted, so a logged-out token stays dead.
func TestRevocationsSurviveARedisFlush(t *testing.T) {
	a, box, _ := integrationApp(t)
	access, _ := citizenLogin(t, a, box, randomPhone())
	expect(t, do(t, a, "POST", "/api/v1/auth/logout", access, nil), 204, "")
	ctx := context.Background()
	iter := a.redis.Scan(ctx, 0, a.cfg.RedisPrefix+"auth:*", 1000).Iterator()
	for iter.Next(ctx) {
		a.redis.Del(ctx, iter.Val())
	}
	expect(t, do(t, a, "GET", "/api/v1/me", access, nil), 401, "auth.session_ended")
}

func TestAuditLogRecordsLoginsAndReads(t *testing.T) {
	a, _, _ := integrationApp(t)
	adminToken, _ := staffLogin(t, a, "admin")
	police := demoUser(t, a, "police")
	token, _ := staffLogin(t, a, "police1")
	expect(t, do(t, a, "GET", "/api/v1/me", token, nil), 200, "")
	r := do(t, a, "GET", "/api/v1/admin/audit-log?actor_id="+strconv.FormatInt(police.ID, 10), adminToken, nil)
	expect(t, r, 200, "")
	items, _ := r.body["items"].([]any)
	var actions []string
	for _, it := range items {
		actions = append(actions, it.(map[string]any)["action"].(string))
	}
	if len(actions) < 2 || actions[0] != "user.read" || actions[1] != "auth.login" {
		t.Fatalf("audit log of police1: %v, want the read of /me after the login", actions)
	}
	expect(t, do(t, a, "GET", "/api/v1/admin/audit-log?from=yesterday", adminToken, nil), 422, "validation.failed")
}

func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }

func TestMiniProgramLoginLinksThePhoneOnce(t *testing.T) {
	a, box, _ := integrationApp(t)
	platform := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("js_code") == "wx-code-1" {
			_, _ = w.Write([]byte(`{"openid":"o-test-1"}`))
			return
		}
		_, _ = w.Write([]byte(`{"errcode":40029,"errmsg":"invalid code"}`))
	}))
	defer platform.Close()
	a.svc.accounts.MiniApp = &miniapp.Client{BaseURL: platform.URL, AppID: "wx", Secret: "s"}

	first := do(t, a, "POST", "/api/v1/auth/miniprogram-login", "", map[string]string{"code": "wx-code-1"})
	expect(t, first, 200, "")
	if first.body["needs_phone"] != true || first.str("link_ticket") == "" {
		t.Fatalf("an unknown identity must prove its phone first: %s", first.raw)
	}
	phone := randomPhone()
	expect(t, do(t, a, "POST", "/api/v1/auth/sms-code", "", map[string]string{"phone": phone}), 202, "")
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": box.last(phone),
		"link_ticket": first.str("link_ticket") + "x"}), 422, "validation.failed")
	expect(t, do(t, a, "POST", "/api/v1/auth/citizen-login", "", map[string]string{"phone": phone, "code": box.last(phone),
		"link_ticket": first.str("link_ticket")}), 200, "")
	second := do(t, a, "POST", "/api/v1/auth/miniprogram-login", "", map[string]string{"code": "wx-code-1"})
	expect(t, second, 200, "")
	if second.body["needs_phone"] != false || second.str("access_token") == "" {
		t.Fatalf("a linked identity logs straight in: %s", second.raw)
	}
	expect(t, do(t, a, "POST", "/api/v1/auth/miniprogram-login", "", map[string]string{"code": "bad"}), 401, "auth.miniapp_code_invalid")
}

func TestAdminExportsEverythingAboutOnePerson(t *testing.T) {
	a, box, _ := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	admin, _ := staffLogin(t, a, "admin")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "labour",
		"description": "工资被拖欠三个月", "station_id": stationID(t, a, "回兴派出所")})
	expect(t, filed, 201, "")
	me := do(t, a, "GET", "/api/v1/me", citizen, nil)
	r := do(t, a, "GET", path("/api/v1/admin/users/%d/export", me.id()), admin, nil)
	expect(t, r, 200, "")
	reqs, _ := r.body["requests"].([]any)
	acts, _ := r.body["activity"].([]any)
	if r.str("phone") != DemoCitizenPhone || len(reqs) != 1 || len(acts) == 0 {
		t.Fatalf("export: phone %s, %d requests, %d activities", r.str("phone"), len(reqs), len(acts))
	}
	police, _ := staffLogin(t, a, "police1")
	expect(t, do(t, a, "GET", path("/api/v1/admin/users/%d/export", me.id()), police, nil), 403, "auth.role_forbidden")
}
