package main

import (
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// caseRoom files a case for the demo citizen with lawyer1, has it screened
// and opens its video room now. It returns the server's base URL, the room
// and the tokens of the filer, the lawyer (host) and the officer.
type caseRoom struct {
	a                        *application
	base, room               string
	request                  int64
	citizen, lawyer, officer string
}

func openCaseRoom(t *testing.T) caseRoom {
	t.Helper()
	a, base := startApp(t, testConfig(t, map[string]string{"TIAOJIE_DUTY_HOURS": "00:00-24:00"}), nil)
	box := &smsBox{codes: map[string]string{}}
	a.svc.accounts.SMS = box
	c := caseRoom{a: a, base: base}
	c.citizen, _ = citizenLogin(t, a, box, DemoCitizenPhone)
	c.lawyer, _ = staffLogin(t, a, "lawyer1")
	c.officer, _ = staffLogin(t, a, "police1")
	filed := do(t, a, "POST", "/api/v1/requests", c.citizen, map[string]any{"kind": "mediation", "category": "family",
		"description": "赡养费纠纷需要视频调解", "station_id": stationID(t, a, "双凤桥派出所"), "lawyer_id": demoUser(t, a, "lawyer").ID})
	expect(t, do(t, a, "POST", path("/api/v1/requests/%d/screen", filed.id()), c.officer, map[string]any{"classification": "civil"}), 200, "")
	room := do(t, a, "POST", path("/api/v1/requests/%d/rooms", filed.id()), c.lawyer, nil)
	expect(t, room, 201, "")
	c.request, c.room = filed.id(), room.str("id")
	return c
}

func (c caseRoom) token(t *testing.T, who string) reply {
	t.Helper()
	return do(t, c.a, "POST", "/api/v1/rooms/"+c.room+"/join-token", who, nil)
}

// join takes a token and enters the room over the signalling socket.
func (c caseRoom) join(t *testing.T, who string) (*rtctest.Client, string) {
	t.Helper()
	grant := c.token(t, who)
	expect(t, grant, 200, "")
	pid := grant.str("participant_id")
	cl := rtctest.Join(t, rtctest.NewAPI(t), pid, rtctest.DialWS(t, "ws"+strings.TrimPrefix(c.base, "http")+"/api/v1/rooms/"+c.room+"/signal"), grant.str("token"))
	return cl, pid
}

// eventually retries a request until it answers status and code (the SFU
// stores a room's end and removals right after it acts, off its media path).
func eventually(t *testing.T, what string, f func() reply, status int, code string) {
	t.Helper()
	var r reply
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if r = f(); r.status == status && r.str("code") == code {
			return
		}
	}
	t.Fatalf("%s: %d %s, want %d %s", what, r.status, r.raw, status, code)
}

// Medium 7 (issue 16): a case's room ends with the case: once the filer
// withdraws, no token is issued, and a token issued before does not get in.
func TestSecurityRoomEndsWithItsCase(t *testing.T) {
	if testing.Short() {
		t.Skip("signalling over loopback")
	}
	c := openCaseRoom(t)
	early := c.token(t, c.citizen)
	expect(t, early, 200, "")
	expect(t, do(t, c.a, "POST", path("/api/v1/requests/%d/transition", c.request), c.citizen, map[string]any{"action": "withdraw", "note": "已自行和解"}), 200, "")
	expect(t, c.token(t, c.citizen), 409, "room.ended")
	expect(t, c.token(t, c.lawyer), 409, "room.ended")
	cl := rtctest.Join(t, rtctest.NewAPI(t), early.str("participant_id"), rtctest.DialWS(t, "ws"+strings.TrimPrefix(c.base, "http")+"/api/v1/rooms/"+c.room+"/signal"), early.str("token"))
	if e := cl.WaitMsg(realtime.TypeError, nil); rtctest.Field(e, "code") != "room.ended" {
		t.Fatalf("a token from before the case ended: %s, want room.ended", e.Data)
	}
}

// Medium 7 (issue 16): a remote visit's room ends with its booking.
func TestSecurityRoomEndsWithItsBooking(t *testing.T) {
	a, _, box := dispatchApp(t, nil)
	visit := approveRemoteVisit(t, a, box)
	expect(t, do(t, a, "POST", "/api/v1/rooms/"+visit.room+"/join-token", visit.family, nil), 409, "room.not_yet_open") // tomorrow
	expect(t, do(t, a, "POST", path("/api/v1/visit-bookings/%d/cancel", visit.booking), visit.family, map[string]any{"reason": "临时有事"}), 200, "")
	expect(t, do(t, a, "POST", "/api/v1/rooms/"+visit.room+"/join-token", visit.family, nil), 409, "room.ended")
}

// Medium 13 (issue 16): a removed person and an ended room stay so: the
// kicked family gets no token (room.removed) and, once the host ends the
// room, nobody does (room.ended) — the refusal comes from the stored room,
// so it holds after a restart and on another instance — and a token issued
// before the end does not reopen the room on the SFU.
func TestSecurityEndedRoomAndRemovalsAreRemembered(t *testing.T) {
	if testing.Short() {
		t.Skip("signalling over loopback")
	}
	c := openCaseRoom(t)
	host, _ := c.join(t, c.lawyer)
	host.WaitMsg(realtime.TypeWelcome, nil)
	family, familyID := c.join(t, c.citizen)
	family.WaitMsg(realtime.TypeWelcome, nil)
	host.WaitMsg(realtime.TypeLobby, nil)
	host.Send(realtime.TypeKick, realtime.TargetData{Participant: familyID})
	family.WaitMsg(realtime.TypeKicked, nil)
	eventually(t, "the kicked family's token", func() reply { return c.token(t, c.citizen) }, 403, "room.removed")
	stored, err := c.a.svc.mediation.Room(t.Context(), c.room)
	if err != nil || len(stored.Removed) != 1 {
		t.Fatalf("the removal is not stored: %+v %v", stored, err)
	}

	officerEarly := c.token(t, c.officer)
	expect(t, officerEarly, 200, "")
	host.Send(realtime.TypeEnd, nil)
	host.WaitMsg(realtime.TypeEnded, nil)
	eventually(t, "a token after the end", func() reply { return c.token(t, c.lawyer) }, 409, "room.ended")
	expect(t, c.token(t, c.citizen), 409, "room.ended")
	if stored, err = c.a.svc.mediation.Room(t.Context(), c.room); err != nil || stored.EndedAt == nil {
		t.Fatalf("the end is not stored: %+v %v", stored, err)
	}
	late := rtctest.Join(t, rtctest.NewAPI(t), officerEarly.str("participant_id"), rtctest.DialWS(t, "ws"+strings.TrimPrefix(c.base, "http")+"/api/v1/rooms/"+c.room+"/signal"), officerEarly.str("token"))
	if e := late.WaitMsg(realtime.TypeError, nil); rtctest.Field(e, "code") != "room.ended" {
		t.Fatalf("a token from before the end: %s, want room.ended", e.Data)
	}
}
