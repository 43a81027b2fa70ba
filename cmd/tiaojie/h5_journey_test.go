package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"
)

// The citizen and family app's journeys (web/h5/journeys/run.mjs), in
// Chromium on a 390×844 screen against the real server with the demo data:
// the demo citizen signs in with an SMS code, files with a photo compressed
// in the browser and a chosen lawyer, sees the police screening appear on the
// timeline, survives an expired access token, rates the closed case; as
// family of a detainee, reads the rules, books a video visit (with an ID
// number check), and after staff approve it taps from the notice into the
// room at the visit's start (the test moves the clock of the visit and room
// rules there instead of waiting), waits in the lobby until the host
// (detention staff, in the console) admits them, both sides' inbound audio and video grow, a cut signalling
// socket recovers by itself within 5 s, and after leaving every local track
// is ended; the staff mark the visit attended and the family rates it (stars
// and a comment, once) and rates the demo's decided joint mediation in 联合调解
// (the rating stays after a reload); another booking is rescheduled and cancelled; the family files a
// request on the detainee's behalf. axe-core runs on every main page; screenshots go to
// docs/screenshots.
//
// The staff's side goes through the API: the journey calls back into this
// test (HOOKS) for the SMS code and for screening, closing, approving and
// marking attendance.
func TestH5Journeys(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	browser := chromium(t)
	node, webDir := consoleTools(t)
	if b, err := os.ReadFile(filepath.Join(webDir, "h5", "dist", "index.html")); err != nil || !containsAsset(b) {
		if os.Getenv("CI") == "true" {
			t.Fatal("web/h5/dist is not built (make web)")
		}
		t.Skip("web/h5/dist is not built (make web)")
	}
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}), logs)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	// The visit's time comes by moving the clock of the visit and room
	// rules (the hook /visit-begins), not by waiting for it.
	clock := &offsetClock{}
	a.svc.visits.Clock, a.svc.mediation.Clock = clock, clock
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	supervisor, _ := staffLogin(t, a, "supervisor1")
	staff, _ := staffLogin(t, a, "staff1")

	hooks := httptest.NewServer(h5Hooks(t, a, box, clock, lawyer, police, supervisor, staff))
	defer hooks.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	shots, _ := filepath.Abs(filepath.Join("..", "..", "docs", "screenshots"))
	cmd := exec.CommandContext(ctx, node, filepath.Join(webDir, "h5", "journeys", "run.mjs"))
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(),
		"BASE="+base,
		"CHROMIUM="+browser,
		"SHOTS="+shots,
		"HOOKS="+hooks.URL,
		"PHONE="+DemoCitizenPhone,
		"LAWYER_ID="+strconv.FormatInt(demoUser(t, a, "lawyer").ID, 10),
		"PASSWORD="+DemoPassword,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("journeys:\n%s", out)
	if err != nil {
		t.Fatalf("an H5 journey failed: %v (screenshots in docs/screenshots/h5-failure-*.png)", err)
	}
}

func containsAsset(index []byte) bool {
	return len(index) > 0 && !bytes.Contains(index, []byte("h5-placeholder"))
}

// h5Hooks is what the journey asks of the staff's side, each a POST:
// /sms?phone= answers the last code sent; /screen, /close and /attachments
// take a request ID; /approve-visit a booking ID. A call the server refuses
// answers 500 with the server's answer.
func h5Hooks(t *testing.T, a *application, box *smsBox, clock *offsetClock, lawyer, police, supervisor, staff string) http.Handler {
	mux := http.NewServeMux()
	type call struct {
		method, path, token string
		body                any
		status              int
	}
	run := func(w http.ResponseWriter, calls []call) {
		var last reply
		for _, c := range calls {
			last = do(t, a, c.method, c.path, c.token, c.body)
			if last.status != c.status {
				http.Error(w, fmt.Sprintf("%s %s: %d %s", c.method, c.path, last.status, last.raw), http.StatusInternalServerError)
				return
			}
		}
		_, _ = w.Write(last.raw)
	}
	id := func(r *http.Request) int64 { n, _ := strconv.ParseInt(r.URL.Query().Get("id"), 10, 64); return n }
	mux.HandleFunc("POST /sms", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(box.last(r.URL.Query().Get("phone"))))
	})
	mux.HandleFunc("POST /attachments", func(w http.ResponseWriter, r *http.Request) {
		got := do(t, a, "GET", path("/api/v1/requests/%d", id(r)), police, nil)
		if got.status != 200 {
			http.Error(w, string(got.raw), http.StatusInternalServerError)
			return
		}
		b, _ := json.Marshal(got.body["attachments"])
		_, _ = w.Write(b)
	})
	mux.HandleFunc("POST /request", func(w http.ResponseWriter, r *http.Request) {
		run(w, []call{{"GET", path("/api/v1/requests/%d", id(r)), police, nil, 200}})
	})
	mux.HandleFunc("POST /screen", func(w http.ResponseWriter, r *http.Request) {
		run(w, []call{{"POST", path("/api/v1/requests/%d/screen", id(r)), police, map[string]any{"classification": "civil"}, 200}})
	})
	mux.HandleFunc("POST /close", func(w http.ResponseWriter, r *http.Request) {
		n := id(r)
		run(w, []call{
			{"POST", path("/api/v1/requests/%d/transition", n), lawyer, map[string]any{"action": "start"}, 200},
			{"POST", path("/api/v1/requests/%d/records", n), lawyer, map[string]any{
				"sessions": []map[string]any{{"held_at": time.Now().Format(time.RFC3339), "place": "调解室一", "attendees": []string{"张三", "王五"}, "summary": "双方同意赔偿"}},
				"outcome":  "agreed", "risk_score": 10, "agreement": map[string]any{"terms": "赔偿维修费800元", "amount_fen": 80000, "judicial_confirmation": ""},
			}, 200},
			{"POST", path("/api/v1/requests/%d/transition", n), lawyer, map[string]any{"action": "agree"}, 200},
			{"POST", path("/api/v1/requests/%d/records/submit", n), lawyer, nil, 200},
			{"POST", path("/api/v1/requests/%d/approve", n), police, map[string]any{"decision": "approve"}, 200},
			{"POST", path("/api/v1/requests/%d/approve", n), supervisor, map[string]any{"decision": "approve"}, 200},
			{"POST", path("/api/v1/requests/%d/transition", n), police, map[string]any{"action": "close", "note": "结案"}, 200},
		})
	})
	// visit-soon makes the centre's only video-visit time start in four to
	// five minutes, bookable the same day; visit-begins then moves the
	// clock to just after that start, so the family can enter its room in
	// the journey (a visit's room opens at the visit's start) without
	// waiting. The SFU's own window opens 15 minutes early, by the wall clock.
	var visitStart time.Time
	var mu sync.Mutex
	mux.HandleFunc("POST /visit-begins", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		start := visitStart
		mu.Unlock()
		if start.IsZero() {
			http.Error(w, "no visit-soon before visit-begins", http.StatusConflict)
			return
		}
		clock.advance(start.Add(5 * time.Second).Sub(clock.Now()))
		_, _ = fmt.Fprint(w, clock.Now().Format(time.RFC3339))
	})
	mux.HandleFunc("POST /visit-soon", func(w http.ResponseWriter, r *http.Request) {
		me := do(t, a, "GET", "/api/v1/me", staff, nil)
		centre, _ := me.body["org_id"].(float64)
		zone, _ := time.LoadLocation("Asia/Shanghai")
		now := clock.Now().In(zone)
		start := now.Add(5 * time.Minute).Truncate(time.Minute) // 4–5 min away
		mu.Lock()
		visitStart = start
		mu.Unlock()
		end := start.Add(30 * time.Minute)
		if end.Day() != start.Day() {
			end = time.Date(start.Year(), start.Month(), start.Day(), 23, 59, 0, 0, zone)
		}
		if !end.After(start) {
			http.Error(w, "too close to midnight for a visit today", http.StatusServiceUnavailable)
			return
		}
		weekday := int(start.Weekday())
		if weekday == 0 {
			weekday = 7
		}
		c := int64(centre)
		run(w, []call{
			{"PUT", path("/api/v1/detention-centers/%d/visit-rules", c), staff, map[string]any{"min_days_ahead": 0, "max_days_ahead": 14, "hold_minutes": 10,
				"max_visitors": 3, "cancel_hours": 0, "no_show_limit": 3, "suspend_days": 30}, 200},
			{"PUT", path("/api/v1/detention-centers/%d/visit-templates", c), staff, map[string]any{"templates": []map[string]any{{"weekday": weekday,
				"start": start.Format("15:04"), "end": end.Format("15:04"), "mode": "remote", "capacity": 3, "valid_from": start.Format(time.DateOnly)}}}, 200},
		})
		_, _ = fmt.Fprintf(w, "\n%s", start.Format(time.RFC3339))
	})
	mux.HandleFunc("POST /approve-visit", func(w http.ResponseWriter, r *http.Request) {
		run(w, []call{{"POST", path("/api/v1/visit-bookings/%d/approve", id(r)), staff, nil, 200}})
	})
	// attend-visit records that the visit took place (the centre's staff
	// mark attendance once it has begun), so the family can rate it.
	mux.HandleFunc("POST /attend-visit", func(w http.ResponseWriter, r *http.Request) {
		run(w, []call{{"POST", path("/api/v1/visit-bookings/%d/attendance", id(r)), staff, map[string]any{"outcome": "attended"}, 200}})
	})
	return mux
}

// offsetClock is the wall clock moved ahead by what the test advanced: a
// live browser journey needs time to pass (timelines, tokens) and the
// visit's start to come at once.
type offsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

func (c *offsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().UTC().Add(c.offset).Truncate(time.Microsecond)
}

// advance moves the clock ahead by d (never back).
func (c *offsetClock) advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.offset += d
}
