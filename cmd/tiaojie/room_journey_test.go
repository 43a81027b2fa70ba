package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The rebuilt video room (web/shared/src/room, hosted by the console at
// /console/room/:id) in Chromium with fake cameras: a staff host and the
// case's filer join, the filer is admitted from the lobby after the host is
// alerted, getStats() shows inbound audio and video growing on both sides,
// the filer's signalling socket is cut and the call recovers by itself
// within 5 s without the lobby, a socket gone silent without closing is
// found by the heartbeat, a second device takes over, removal and the
// host's end each have their end screen, and after every ending each local
// track is ended. The steps and their timings are in the test log; screenshots in
// web/console/journeys/screenshots/room-*.png.
func TestVideoRoomJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("starts Chromium")
	}
	browser := chromium(t)
	node, webDir := consoleTools(t)
	logs := &lockedBuffer{}
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}), logs)
	defer func() {
		if t.Failed() {
			t.Log(logs.String())
		}
	}()
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	citizen, refresh := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	lawyer1 := demoUser(t, a, "lawyer")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "离婚后探视安排需要调解", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": lawyer1.ID})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), lawyer, nil)
	expect(t, room, 201, "")

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, filepath.Join(webDir, "console", "journeys", "room.mjs"))
	cmd.Dir = webDir
	cmd.Env = append(os.Environ(),
		"BASE="+base,
		"CHROMIUM="+browser,
		"SHOTS="+filepath.Join(webDir, "console", "journeys", "screenshots"),
		"ROOM="+room.str("id"),
		"PASSWORD="+DemoPassword,
		"HOST_NAME="+lawyer1.Name,
		"CITIZEN_TOKEN="+citizen,
		"CITIZEN_REFRESH="+refresh,
	)
	out, err := cmd.CombinedOutput()
	t.Logf("room journey:\n%s", out)
	if err != nil {
		t.Fatalf("the video room journey failed: %v", err)
	}
}

// The notice of a scheduled video session links to its room in the citizen
// app; joining before the start says when it starts; people are named in
// the room by their names (staff) or what they are to the case (citizens),
// never as u6 or citizen-15.
func TestVideoSessionNoticeLinksTheRoomAndEarlyJoinSaysWhen(t *testing.T) {
	a, box, clock := integrationApp(t)
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	lawyer1 := demoUser(t, a, "lawyer")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "离婚后探视安排需要调解", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": lawyer1.ID})
	expect(t, filed, 201, "")
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	cst := time.FixedZone("CST", 8*3600)
	start := clock.Now().Add(3 * time.Hour).In(cst).Truncate(time.Minute)
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), lawyer, map[string]any{
		"not_before": start.Format(time.RFC3339), "not_after": start.Add(time.Hour).Format(time.RFC3339)})
	expect(t, room, 201, "")
	roomID := room.str("id")

	inbox := do(t, a, "GET", "/api/v1/notifications", citizen, nil)
	expect(t, inbox, 200, "")
	var link string
	for _, it := range inbox.body["items"].([]any) {
		n := it.(map[string]any)
		if n["kind"] == "session_scheduled" {
			link, _ = n["link"].(string)
		} else if _, has := n["link"]; has && n["resource_type"] == "request" {
			t.Errorf("notice %v has a link", n)
		}
	}
	if link != "/h5/room/"+roomID {
		t.Fatalf("session notice link %q, want /h5/room/%s (inbox %s)", link, roomID, inbox.raw)
	}

	early := do(t, a, "POST", "/api/v1/rooms/"+roomID+"/join-token", citizen, nil)
	expect(t, early, 409, "room.not_yet_open")
	if want := start.Format("2006年1月2日 15:04"); !strings.Contains(early.str("message"), want) {
		t.Fatalf("early join says %q, want the start %s", early.str("message"), want)
	}
	if at, err := time.Parse(time.RFC3339, early.str("starts_at")); err != nil || !at.Equal(start) {
		t.Fatalf("starts_at %q, want %s", early.str("starts_at"), start)
	}
	en := do(t, a, "POST", "/api/v1/rooms/"+roomID+"/join-token", citizen, nil, "Accept-Language", "en")
	if !strings.Contains(en.str("message"), "opens at "+start.Format("2006-01-02 15:04")) {
		t.Fatalf("English early join says %q", en.str("message"))
	}

	clock.advance(start.Add(time.Minute).Sub(clock.Now()))
	name := func(token string) string {
		t.Helper()
		r := do(t, a, "POST", "/api/v1/rooms/"+roomID+"/join-token", token, nil)
		expect(t, r, 200, "")
		parts := strings.Split(r.str("token"), ".")
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		if err != nil {
			t.Fatal(err)
		}
		var claims struct {
			Name string `json:"name"`
		}
		_ = json.Unmarshal(payload, &claims)
		return claims.Name
	}
	if got := name(lawyer); got != lawyer1.Name || got == "" {
		t.Errorf("the lawyer is shown as %q, want %q", got, lawyer1.Name)
	}
	if got := name(citizen); got != "申请人" {
		t.Errorf("the filer is shown as %q, want 申请人", got)
	}
}
