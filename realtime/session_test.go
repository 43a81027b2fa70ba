package realtime_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/webrtc/v4"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// wsServer serves the hub's signalling over a real loopback WebSocket, the
// way api/ does with Fiber: read limit, then Serve.
func wsServer(t *testing.T, f *fixture) string {
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c.SetReadLimit(realtime.MaxMessageBytes)
		_ = f.hub.Serve(f.ctx, strings.TrimPrefix(r.URL.Path, "/rooms/"), &rtctest.LockedSocket{Conn: c})
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func (f *fixture) joinWS(url string) func(string, realtime.Role) *rtctest.Client {
	return func(pid string, role realtime.Role) *rtctest.Client {
		f.t.Helper()
		return rtctest.Join(f.t, f.api, pid, rtctest.DialWS(f.t, url+"/rooms/"+f.room.ID()), f.token(pid, role))
	}
}

func TestThreePartiesOverALoopbackWebSocket(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	runThreeParties(t, f, f.joinWS(wsServer(t, f)))
}

// A phone that loses its network comes back within the grace period: no
// lobby again, media flows again, and the first connection's recordings
// were finalised when it dropped.
func TestRejoinWithinTheGracePeriodSkipsTheLobby(t *testing.T) {
	f := newFixture(t, realtime.Config{ReconnectGrace: time.Minute})
	host := f.join("host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	family := f.join("family-1", realtime.RoleFamily)
	family.WaitMsg(realtime.TypeWelcome, nil)
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: "family-1"})
	host.ReceivesFrom("family-1")

	family.Close()
	host.WaitMsg(realtime.TypeLeft, func(e realtime.Envelope) bool { return rtctest.Field(e, "reason") == realtime.ReasonDropped })
	recs := f.finishedRecordings(2)
	for _, r := range recs {
		if r.ParticipantID != "family-1" || r.EndReason != realtime.ReasonDropped {
			t.Fatalf("after the drop, only the family's recordings should be finished, with reason dropped: %+v", r)
		}
	}
	before, _ := host.From("family-1", "video")

	back := f.join("family-1", realtime.RoleFamily)
	w := back.WaitMsg(realtime.TypeWelcome, nil)
	if rtctest.Field(w, "state") != "admitted" {
		t.Fatalf("a rejoin within the grace period should skip the lobby, got %s", w.Data)
	}
	back.WaitMsg(realtime.TypeOffer, nil)
	host.WaitFor("the family's media after the rejoin", func() bool {
		v, _ := host.From("family-1", "video")
		return v > before+20
	})
	back.ReceivesFrom("host-1")
	waitEvent(t, f, realtime.EventJoined, "family-1", "rejoined")
	if !f.hub.EndRoom(f.room.ID(), "test") {
		t.Fatal("room should still be open")
	}
	checkRecordings(t, f, f.finishedRecordings(6))
}

// After the grace period a dropped family member waits in the lobby again.
func TestRejoinAfterTheGracePeriodWaitsInTheLobby(t *testing.T) {
	f := newFixture(t, realtime.Config{ReconnectGrace: 50 * time.Millisecond})
	host := f.join("host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	family := f.join("family-1", realtime.RoleFamily)
	family.WaitMsg(realtime.TypeWelcome, nil)
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: "family-1"})
	family.WaitMsg(realtime.TypeAdmitted, nil)
	family.Close()
	host.WaitMsg(realtime.TypeLeft, nil)
	host.WaitFor("the grace period to pass", func() bool {
		return f.room.GracePending() == 0
	})
	back := f.join("family-1", realtime.RoleFamily)
	if w := back.WaitMsg(realtime.TypeWelcome, nil); rtctest.Field(w, "state") != "lobby" {
		t.Fatalf("after the grace period the family should wait in the lobby, got %s", w.Data)
	}
}

// A second join with the same identity (Wi-Fi to cellular) replaces the
// older connection: it is told and closed; the new one carries the media.
func TestASecondJoinReplacesTheOlderConnection(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	host := f.join("host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	family := f.join("family-1", realtime.RoleFamily)
	family.WaitMsg(realtime.TypeWelcome, nil) // in the lobby before the host admits
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: "family-1"})
	family.ReceivesFrom("host-1")

	host2 := f.join("host-1", realtime.RoleHost)
	if w := host2.WaitMsg(realtime.TypeWelcome, nil); rtctest.Field(w, "state") != "admitted" {
		t.Fatalf("the new connection should be admitted, got %s", w.Data)
	}
	host.WaitMsg(realtime.TypeReplaced, nil)
	host.WaitMsg("closed", nil)
	host2.ReceivesFrom("family-1")
	family.WaitFor("media from the new host connection", func() bool {
		// The family now has two host video streams counted together; the
		// new one must keep it growing after the old one stopped.
		v0, _ := family.From("host-1", "video")
		time.Sleep(200 * time.Millisecond)
		v1, _ := family.From("host-1", "video")
		return v1 > v0+3
	})
	if got := len(f.room.Participants()); got != 2 {
		t.Fatalf("the room should have 2 participants, has %d", got)
	}
	if f.events.has(realtime.EventLeft, "host-1", "") {
		t.Fatal("a replaced connection is not a departure")
	}
}

// Shutdown tells every client, closes the media and finalises recordings.
func TestHubCloseFinalisesRecordings(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	host := f.join("host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	obs := f.join("observer-1", realtime.RoleObserver)
	obs.ReceivesFrom("host-1")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := f.hub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	host.WaitMsg(realtime.TypeEnded, func(e realtime.Envelope) bool { return rtctest.Field(e, "reason") == "server_shutdown" })
	recs := f.finishedRecordings(2) // the observer publishes nothing
	checkRecordings(t, f, recs)
	for _, r := range recs {
		if r.ParticipantID != "host-1" {
			t.Errorf("an observer's media must not be recorded or forwarded: %+v", r)
		}
	}
	// A closed hub refuses new rooms.
	if _, err := f.hub.OpenRoom(realtime.RoomSpec{ID: "late"}); err == nil {
		t.Fatal("OpenRoom after Close should fail")
	}
}

// Refusals at the door: uninvited, wrong role, outside the window, full,
// a token for another room.
func TestJoinRefusals(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	now := time.Now()
	if _, err := f.hub.OpenRoom(realtime.RoomSpec{ID: "later", NotBefore: now.Add(time.Hour), NotAfter: now.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.hub.OpenRoom(realtime.RoomSpec{ID: "tiny", MaxParticipants: 1}); err != nil {
		t.Fatal(err)
	}
	try := func(t *testing.T, room, pid string, role realtime.Role, urlRoom string) realtime.Envelope {
		t.Helper()
		tok, _, err := f.tokens.Issue(realtime.RoomGrant{RoomID: room, ParticipantID: pid, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return f.joinWith(t, urlRoom, pid, tok).WaitMsg(realtime.TypeError, nil)
	}
	for _, tc := range []struct {
		name, room, pid string
		role            realtime.Role
		urlRoom, code   string
	}{
		{"someone not invited", "case-42", "stranger", realtime.RoleFamily, "", "room.not_invited"},
		{"an invitee in another role", "case-42", "family-1", realtime.RoleHost, "", "room.not_invited"},
		{"before the window opens", "later", "x", realtime.RoleHost, "", "room.not_open"},
		{"a room that does not exist", "nope", "x", realtime.RoleHost, "", "room.not_found"},
		{"a token for another room than the URL's", "case-42", "host-1", realtime.RoleHost, "other", "room.token_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := rtctest.Field(try(t, tc.room, tc.pid, tc.role, tc.urlRoom), "code"); got != tc.code {
				t.Fatalf("want %s, got %s", tc.code, got)
			}
		})
	}
	t.Run("a full room", func(t *testing.T) {
		tok, _, _ := f.tokens.Issue(realtime.RoomGrant{RoomID: "tiny", ParticipantID: "a", Role: realtime.RoleHost})
		first := f.joinWith(t, "", "a", tok)
		first.WaitMsg(realtime.TypeWelcome, nil)
		if got := rtctest.Field(try(t, "tiny", "b", realtime.RoleHost, ""), "code"); got != "room.full" {
			t.Fatalf("want room.full, got %s", got)
		}
	})
}

// The connectivity self-test: a client's probe offer is answered on the
// SFU's own ports and the connection succeeds directly over loopback.
func TestProbeReportsAReachableMediaPort(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	pc, err := f.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	dc, err := pc.CreateDataChannel("probe", nil)
	if err != nil {
		t.Fatal(err)
	}
	opened := make(chan struct{})
	dc.OnOpen(func() { close(opened) })
	offer, _ := pc.CreateOffer(nil)
	gathered := webrtc.GatheringCompletePromise(pc)
	_ = pc.SetLocalDescription(offer)
	<-gathered
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	rep, connected, err := f.hub.Probe(ctx, pc.LocalDescription().SDP)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.ServerCandidateTypes) == 0 || rep.ServerCandidateTypes[0] != "host" {
		t.Fatalf("the server should offer host candidates: %+v", rep.ServerCandidateTypes)
	}
	if err := pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeAnswer, SDP: rep.SDP}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-opened:
	case <-ctx.Done():
		t.Fatal("the probe's data channel never opened")
	}
	select {
	case pair := <-connected:
		if !strings.HasPrefix(pair, "host/") {
			t.Fatalf("a loopback probe should connect host to host, got %s", pair)
		}
	case <-ctx.Done():
		t.Fatal("the server never saw the probe connect")
	}
	if _, _, err := f.hub.Probe(ctx, "not sdp"); !domain.IsKind(err, domain.KindInvalid) {
		t.Fatalf("a bad probe offer should be invalid, got %v", err)
	}
}

// An ICE restart on request: a new offer with new ICE credentials, answered
// on the same socket, and media goes on.
func TestICERestartOnRequest(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	host := f.join("host-1", realtime.RoleHost)
	obs := f.join("observer-1", realtime.RoleObserver)
	obs.ReceivesFrom("host-1")
	ufrag := func() string {
		f := ""
		for _, e := range obs.Messages(realtime.TypeOffer) {
			f = string(e.Data)
		}
		i := strings.Index(f, "a=ice-ufrag:")
		return f[i : i+20]
	}
	before := ufrag()
	offers := len(obs.Messages(realtime.TypeOffer))
	obs.Send(realtime.TypeICERestart, nil)
	obs.WaitFor("the restart offer", func() bool {
		return len(obs.Messages(realtime.TypeOffer)) > offers
	})
	if ufrag() == before {
		t.Fatal("an ICE restart offer must carry new ICE credentials")
	}
	v0, _ := obs.From("host-1", "video")
	obs.WaitFor("video after the restart", func() bool { v, _ := obs.From("host-1", "video"); return v > v0+20 })
	_ = host
}
