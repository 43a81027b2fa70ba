package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// Three pion clients — the lead lawyer and the assisting officer hosting,
// the citizen's family waiting in the lobby — join one case room through the
// real endpoints (room opened over the API, join tokens from
// /join-token, signalling over /api/v1/rooms/{id}/signal on loopback). Each
// receives the other two's audio and video; the kicked family's media
// stops; the officer drops and rejoins within the grace period; and every
// recording is finalised, well-formed and linked to the case.
func TestThreePionClientsThroughTheSignallingEndpoint(t *testing.T) {
	if testing.Short() {
		t.Skip("media over loopback")
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
	citizen, _ := citizenLogin(t, a, box, DemoCitizenPhone)
	lawyer, _ := staffLogin(t, a, "lawyer1")
	police, _ := staffLogin(t, a, "police1")
	filed := do(t, a, "POST", "/api/v1/requests", citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "赡养费纠纷需要视频调解", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), police, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), lawyer, nil)
	expect(t, room, 201, "")
	roomID := room.str("id")

	api := rtctest.NewAPI(t)
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/api/v1/rooms/" + roomID + "/signal"
	join := func(token string) (c *rtctest.Client, pid string) {
		t.Helper()
		grant := do(t, a, "POST", "/api/v1/rooms/"+roomID+"/join-token", token, nil)
		expect(t, grant, 200, "")
		pid = grant.str("participant_id")
		c = rtctest.Join(t, api, pid, rtctest.DialWS(t, wsURL), grant.str("token"))
		c.WaitMsg(realtime.TypeWelcome, nil)
		return c, pid
	}
	host, hostID := join(lawyer)
	family, familyID := join(citizen)
	if w := family.WaitMsg(realtime.TypeWelcome, nil); !strings.Contains(string(w.Data), `"lobby"`) {
		t.Fatalf("the family should wait in the lobby: %s", w.Data)
	}
	host.WaitMsg(realtime.TypeLobby, nil)
	officer, officerID := join(police)
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: familyID})
	family.WaitMsg(realtime.TypeAdmitted, nil)

	host.ReceivesFrom(familyID, officerID)
	family.ReceivesFrom(hostID, officerID)
	officer.ReceivesFrom(hostID, familyID)

	// The officer's phone loses its network and comes back within the grace
	// period: no lobby, and media flows both ways again.
	before, _ := host.From(officerID, "video")
	officer.Close()
	host.WaitMsg(realtime.TypeLeft, func(e realtime.Envelope) bool { return strings.Contains(string(e.Data), officerID) })
	officer, _ = join(police)
	officer.ReceivesFrom(hostID, familyID)
	host.WaitFor("the officer's video after the rejoin", func() bool {
		v, _ := host.From(officerID, "video")
		return v > before+20
	})

	// The host removes the family: the family is told, and its media stops
	// reaching the others.
	host.Send(realtime.TypeKick, realtime.TargetData{Participant: familyID})
	family.WaitMsg(realtime.TypeKicked, nil)
	family.WaitMsg("closed", nil)      // and the server really closes the socket
	time.Sleep(300 * time.Millisecond) // packets already in flight
	kickedAt, _ := officer.From(familyID, "video")
	time.Sleep(time.Second)
	if after, _ := officer.From(familyID, "video"); after > kickedAt+2 {
		t.Fatalf("the kicked family's video still reaches the officer: %d → %d packets", kickedAt, after)
	}

	host.Send(realtime.TypeEnd, nil)
	host.WaitMsg(realtime.TypeEnded, nil)
	checkCaseRecordings(t, a, roomID, lawyer, map[string]bool{hostID: true, familyID: true, officerID: true})
	got := fmt.Sprint(timeline(t, do(t, a, "GET", path("/api/v1/requests/%d", filed.id()), lawyer, nil)))
	for _, want := range []string{"room_opened", "room_joined", "room_admitted", "room_left", "room_removed", "room_ended"} {
		if !strings.Contains(got, want) {
			t.Errorf("timeline %s lacks %s", got, want)
		}
	}
}

// checkCaseRecordings waits until every recording of the room is finalised,
// then checks that each participant has audio and video recordings that
// parse and hold frames, downloaded through the API.
func checkCaseRecordings(t *testing.T, a *application, roomID, token string, participants map[string]bool) {
	t.Helper()
	var recs []struct {
		ID, ParticipantID, Kind, Container string
		EndedAt                            *time.Time
	}
	for end := time.Now().Add(20 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		r := do(t, a, "GET", "/api/v1/rooms/"+roomID+"/recordings", token, nil)
		expect(t, r, 200, "")
		recs = recs[:0]
		var raw []map[string]any
		_ = json.Unmarshal(r.raw, &raw)
		done := len(raw) > 0
		for _, m := range raw {
			rec := struct {
				ID, ParticipantID, Kind, Container string
				EndedAt                            *time.Time
			}{ID: fmt.Sprint(m["id"]), ParticipantID: fmt.Sprint(m["participant_id"]), Kind: fmt.Sprint(m["kind"]), Container: fmt.Sprint(m["container"])}
			if m["ended_at"] != nil {
				at := time.Now()
				rec.EndedAt = &at
			} else {
				done = false
			}
			recs = append(recs, rec)
		}
		if done || time.Now().After(end) {
			break
		}
	}
	seen := map[string]bool{}
	for _, rec := range recs {
		if rec.EndedAt == nil {
			t.Fatalf("recording %s of %s not finalised after the room ended", rec.ID, rec.ParticipantID)
		}
		file := do(t, a, "GET", "/api/v1/rooms/"+roomID+"/recordings/"+rec.ID, token, nil)
		expect(t, file, 200, "")
		n, err := rtctest.CountFrames(rec.Container, file.raw)
		if err != nil || n < 5 {
			t.Errorf("recording %s (%s %s of %s): %d frames, %v", rec.ID, rec.Container, rec.Kind, rec.ParticipantID, n, err)
		}
		seen[rec.ParticipantID+"/"+rec.Kind] = true
	}
	for p := range participants {
		if !seen[p+"/audio"] || !seen[p+"/video"] {
			t.Errorf("no audio and video recordings of %s among %d recordings", p, len(recs))
		}
	}
}
