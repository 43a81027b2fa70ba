package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium finds the browser; in CI (CI=true) its absence is a failure,
// elsewhere the test is skipped (make test installs it through .ci/run).
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("Chromium is not installed; .ci/run installs the Debian package chromium")
	}
	t.Skip("Chromium is not installed (apt-get install chromium); the video end-to-end test needs it")
	return ""
}

// Two browser tabs — the lawyer hosting and the citizen's family — join the
// same case room through web/ with fake cameras; each decodes the other's
// video (getStats inbound-rtp framesDecoded grows), after the host admits
// the family from the lobby. Then the recordings exist.
func TestBrowsersSeeEachOther(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	browser := chromium(t)
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}), logs)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box

	// A civil case led by lawyer1, filed by the demo citizen.
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	station := stationID(t, a, "双凤桥派出所")
	lawyer1 := demoUser(t, a, "lawyer")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "离婚后探视安排需要调解", "station_id": station, "lawyer_id": lawyer1.ID})
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), lawyer, nil)
	expect(t, room, 201, "")
	roomID := room.str("id")

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(browser),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("use-fake-ui-for-media-stream", true),
		chromedp.Flag("use-fake-device-for-media-stream", true), chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.UserDataDir(t.TempDir()))
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	ctx, cancel := context.WithTimeout(allocCtx, 90*time.Second)
	defer cancel()
	hostTab, cancelHost := chromedp.NewContext(ctx)
	defer cancelHost()
	if err := chromedp.Do(hostTab); err != nil { // starts the browser, so that the next context is a tab of it
		t.Fatalf("start Chromium: %v", err)
	}
	familyTab, cancelFamily := chromedp.NewContext(hostTab) // a second tab of the same browser
	defer cancelFamily()

	open := func(tab context.Context, token string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(base+"/app/mediation"), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("open the page: %v", err)
		}
		ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(`window.tiaojie.login("token", {access_token: %q}).then(() => true)`, token), chromedp.EvalAwaitPromise))
		if err != nil || !ok {
			t.Fatalf("login in the page: %v", err)
		}
		if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](fmt.Sprintf(`window.tiaojie.join(%q); true`, roomID))); err != nil {
			t.Fatalf("join: %v", err)
		}
	}
	open(familyTab, citizen) // the family arrives first and waits in the lobby
	open(hostTab, lawyer)

	frames := func(tab context.Context) int {
		n, _ := chromedp.Run(tab, chromedp.Evaluate[int](`window.tiaojie.framesDecoded()`, chromedp.EvalAwaitPromise))
		return n
	}
	deadline := time.Now().Add(60 * time.Second)
	var hostFrames, familyFrames int
	for time.Now().Before(deadline) {
		_, _ = chromedp.Run(hostTab, chromedp.Evaluate[bool](`window.tiaojie.admitAll(); true`))
		hostFrames, familyFrames = frames(hostTab), frames(familyTab)
		if hostFrames > 10 && familyFrames > 10 {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	if hostFrames <= 10 || familyFrames <= 10 {
		st, _ := chromedp.Run(hostTab, chromedp.Evaluate[map[string]any](`window.tiaojie.state()`))
		t.Fatalf("decoded video frames: host %d, family %d; want both growing (host state %v)", hostFrames, familyFrames, st)
	}
	// Still growing a second later: video is playing, not one stray frame.
	time.Sleep(time.Second)
	if frames(familyTab) <= familyFrames {
		t.Fatal("the family's decoded frames stopped growing")
	}

	// The host ends the session: every track's recording is finalised,
	// listed for staff, downloadable, and the case timeline tells the story.
	if _, err := chromedp.Run(hostTab, chromedp.Evaluate[bool](`window.tiaojie.send("end"); true`)); err != nil {
		t.Fatal(err)
	}
	var recs []map[string]any
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(300 * time.Millisecond) {
		r := do(t, a, "GET", "/api/v1/rooms/"+roomID+"/recordings", lawyer, nil)
		if r.status != 200 {
			t.Fatalf("recordings: %d %s", r.status, r.raw)
		}
		recs = nil
		_ = jsonUnmarshal(r.raw, &recs)
		finished := 0
		for _, rec := range recs {
			if rec["ended_at"] != nil {
				finished++
			}
		}
		if finished >= 4 && finished == len(recs) {
			break
		}
	}
	var video string
	for _, rec := range recs {
		if rec["ended_at"] == nil {
			t.Fatalf("recording %v not finalised after the room ended", rec["id"])
		}
		if rec["container"] == "ivf" {
			video = rec["id"].(string)
		}
	}
	if len(recs) < 4 || video == "" {
		t.Fatalf("%d recordings, want audio and video of both participants", len(recs))
	}
	file := do(t, a, "GET", "/api/v1/rooms/"+roomID+"/recordings/"+video, lawyer, nil)
	if file.status != 200 || len(file.raw) < 32 || string(file.raw[:4]) != "DKIF" {
		t.Fatalf("video recording download: %d, %d bytes", file.status, len(file.raw))
	}
	expect(t, do(t, a, "GET", "/api/v1/rooms/"+roomID+"/recordings", citizen, nil), 403, "auth.role_forbidden")
	detail := do(t, a, "GET", path("/api/v1/requests/%d", filed.id()), lawyer, nil)
	got := fmt.Sprint(timeline(t, detail))
	for _, want := range []string{"room_opened", "room_joined", "room_admitted", "room_ended"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline %s lacks %s", got, want)
		}
	}
}
