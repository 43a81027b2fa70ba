package realtime

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/pion/webrtc/v4"

	"github.com/tiaojie/tiaojie/domain"
)

// lockedConn lets the test client write from pion callbacks and its reader.
type lockedConn struct {
	mu sync.Mutex
	*websocket.Conn
}

func (c *lockedConn) WriteMessage(t int, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.Conn.WriteMessage(t, b)
}

// wsServer serves the hub's signalling over a real loopback WebSocket, the
// way api/ does with Fiber: read limit, then Serve.
func wsServer(t *testing.T, f *fixture) string {
	up := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		c.SetReadLimit(MaxMessageBytes)
		_ = f.hub.Serve(f.ctx, strings.TrimPrefix(r.URL.Path, "/rooms/"), &lockedConn{Conn: c})
	}))
	t.Cleanup(srv.Close)
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

func (f *fixture) joinWS(url string) func(string, Role) *testClient {
	return func(pid string, role Role) *testClient {
		f.t.Helper()
		c, _, err := websocket.DefaultDialer.Dial(url+"/rooms/"+f.room.ID(), nil)
		if err != nil {
			f.t.Fatal(err)
		}
		return dialClient(f.t, f.api, pid, &lockedConn{Conn: c}, f.token(pid, role))
	}
}

func TestThreePartiesOverALoopbackWebSocket(t *testing.T) {
	f := newFixture(t, Config{})
	runThreeParties(t, f, f.joinWS(wsServer(t, f)))
}

// A phone that loses its network comes back within the grace period: no
// lobby again, media flows again, and the first connection's recordings
// were finalised when it dropped.
func TestRejoinWithinTheGracePeriodSkipsTheLobby(t *testing.T) {
	f := newFixture(t, Config{ReconnectGrace: time.Minute})
	host := f.join("host-1", RoleHost)
	host.waitMsg(TypeWelcome, nil)
	family := f.join("family-1", RoleFamily)
	family.waitMsg(TypeWelcome, nil)
	host.sendMsg(TypeAdmit, TargetData{Participant: "family-1"})
	host.receivesFrom("family-1")

	family.drop()
	host.waitMsg(TypeLeft, func(e Envelope) bool { return dataField(e, "reason") == reasonDropped })
	recs := f.finishedRecordings(2)
	for _, r := range recs {
		if r.ParticipantID != "family-1" || r.EndReason != reasonDropped {
			t.Fatalf("after the drop, only the family's recordings should be finished, with reason dropped: %+v", r)
		}
	}
	before, _ := host.from("family-1", "video")

	back := f.join("family-1", RoleFamily)
	w := back.waitMsg(TypeWelcome, nil)
	if dataField(w, "state") != "admitted" {
		t.Fatalf("a rejoin within the grace period should skip the lobby, got %s", w.Data)
	}
	back.waitMsg(TypeOffer, nil)
	host.waitFor("the family's media after the rejoin", func() bool {
		v, _ := host.from("family-1", "video")
		return v > before+20
	})
	back.receivesFrom("host-1")
	waitEvent(t, f, EventJoined, "family-1", "rejoined")
	if !f.hub.EndRoom(f.room.ID(), "test") {
		t.Fatal("room should still be open")
	}
	checkRecordings(t, f, f.finishedRecordings(6))
}

// After the grace period a dropped family member waits in the lobby again.
func TestRejoinAfterTheGracePeriodWaitsInTheLobby(t *testing.T) {
	f := newFixture(t, Config{ReconnectGrace: 50 * time.Millisecond})
	host := f.join("host-1", RoleHost)
	host.waitMsg(TypeWelcome, nil)
	family := f.join("family-1", RoleFamily)
	family.waitMsg(TypeWelcome, nil)
	host.sendMsg(TypeAdmit, TargetData{Participant: "family-1"})
	family.waitMsg(TypeAdmitted, nil)
	family.drop()
	host.waitMsg(TypeLeft, nil)
	host.waitFor("the grace period to pass", func() bool {
		f.room.mu.Lock()
		defer f.room.mu.Unlock()
		return len(f.room.grace) == 0
	})
	back := f.join("family-1", RoleFamily)
	if w := back.waitMsg(TypeWelcome, nil); dataField(w, "state") != "lobby" {
		t.Fatalf("after the grace period the family should wait in the lobby, got %s", w.Data)
	}
}

// A second join with the same identity (Wi-Fi to cellular) replaces the
// older connection: it is told and closed; the new one carries the media.
func TestASecondJoinReplacesTheOlderConnection(t *testing.T) {
	f := newFixture(t, Config{})
	host := f.join("host-1", RoleHost)
	host.waitMsg(TypeWelcome, nil)
	family := f.join("family-1", RoleFamily)
	family.waitMsg(TypeWelcome, nil) // in the lobby before the host admits
	host.sendMsg(TypeAdmit, TargetData{Participant: "family-1"})
	family.receivesFrom("host-1")

	host2 := f.join("host-1", RoleHost)
	if w := host2.waitMsg(TypeWelcome, nil); dataField(w, "state") != "admitted" {
		t.Fatalf("the new connection should be admitted, got %s", w.Data)
	}
	host.waitMsg(TypeReplaced, nil)
	host.waitMsg("closed", nil)
	host2.receivesFrom("family-1")
	family.waitFor("media from the new host connection", func() bool {
		// The family now has two host video streams counted together; the
		// new one must keep it growing after the old one stopped.
		v0, _ := family.from("host-1", "video")
		time.Sleep(200 * time.Millisecond)
		v1, _ := family.from("host-1", "video")
		return v1 > v0+3
	})
	if got := len(f.room.Participants()); got != 2 {
		t.Fatalf("the room should have 2 participants, has %d", got)
	}
	if f.events.has(EventLeft, "host-1", "") {
		t.Fatal("a replaced connection is not a departure")
	}
}

// Shutdown tells every client, closes the media and finalises recordings.
func TestHubCloseFinalisesRecordings(t *testing.T) {
	f := newFixture(t, Config{})
	host := f.join("host-1", RoleHost)
	host.waitMsg(TypeWelcome, nil)
	obs := f.join("observer-1", RoleObserver)
	obs.receivesFrom("host-1")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := f.hub.Close(ctx); err != nil {
		t.Fatal(err)
	}
	host.waitMsg(TypeEnded, func(e Envelope) bool { return dataField(e, "reason") == "server_shutdown" })
	recs := f.finishedRecordings(2) // the observer publishes nothing
	checkRecordings(t, f, recs)
	for _, r := range recs {
		if r.ParticipantID != "host-1" {
			t.Errorf("an observer's media must not be recorded or forwarded: %+v", r)
		}
	}
	// A closed hub refuses new rooms.
	if _, err := f.hub.OpenRoom(RoomSpec{ID: "late"}); err == nil {
		t.Fatal("OpenRoom after Close should fail")
	}
}

// Refusals at the door: uninvited, wrong role, outside the window, full,
// a token for another room.
func TestJoinRefusals(t *testing.T) {
	f := newFixture(t, Config{})
	now := time.Now()
	if _, err := f.hub.OpenRoom(RoomSpec{ID: "later", NotBefore: now.Add(time.Hour), NotAfter: now.Add(2 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.hub.OpenRoom(RoomSpec{ID: "tiny", MaxParticipants: 1}); err != nil {
		t.Fatal(err)
	}
	try := func(t *testing.T, room, pid string, role Role, urlRoom string) Envelope {
		t.Helper()
		tok, _, err := f.tokens.Issue(RoomGrant{RoomID: room, ParticipantID: pid, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		server, client := newPipe()
		go func() { _ = f.hub.Serve(f.ctx, urlRoom, server) }()
		c := dialClient(t, f.api, pid, client, tok)
		return c.waitMsg(TypeError, nil)
	}
	for _, tc := range []struct {
		name, room, pid string
		role            Role
		urlRoom, code   string
	}{
		{"someone not invited", "case-42", "stranger", RoleFamily, "", "room.not_invited"},
		{"an invitee in another role", "case-42", "family-1", RoleHost, "", "room.not_invited"},
		{"before the window opens", "later", "x", RoleHost, "", "room.not_open"},
		{"a room that does not exist", "nope", "x", RoleHost, "", "room.not_found"},
		{"a token for another room than the URL's", "case-42", "host-1", RoleHost, "other", "room.token_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := dataField(try(t, tc.room, tc.pid, tc.role, tc.urlRoom), "code"); got != tc.code {
				t.Fatalf("want %s, got %s", tc.code, got)
			}
		})
	}
	t.Run("a full room", func(t *testing.T) {
		tok, _, _ := f.tokens.Issue(RoomGrant{RoomID: "tiny", ParticipantID: "a", Role: RoleHost})
		server, client := newPipe()
		go func() { _ = f.hub.Serve(f.ctx, "", server) }()
		first := dialClient(t, f.api, "a", client, tok)
		first.waitMsg(TypeWelcome, nil)
		if got := dataField(try(t, "tiny", "b", RoleHost, ""), "code"); got != "room.full" {
			t.Fatalf("want room.full, got %s", got)
		}
	})
}

// The connectivity self-test: a client's probe offer is answered on the
// SFU's own ports and the connection succeeds directly over loopback.
func TestProbeReportsAReachableMediaPort(t *testing.T) {
	f := newFixture(t, Config{})
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
	f := newFixture(t, Config{})
	host := f.join("host-1", RoleHost)
	obs := f.join("observer-1", RoleObserver)
	obs.receivesFrom("host-1")
	ufrag := func() string {
		f := ""
		obs.mu.Lock()
		defer obs.mu.Unlock()
		for _, e := range obs.log {
			if e.Type == TypeOffer {
				f = string(e.Data)
			}
		}
		i := strings.Index(f, "a=ice-ufrag:")
		return f[i : i+20]
	}
	before := ufrag()
	obs.mu.Lock()
	offers := obs.offers
	obs.mu.Unlock()
	obs.sendMsg(TypeICERestart, nil)
	obs.waitFor("the restart offer", func() bool {
		obs.mu.Lock()
		defer obs.mu.Unlock()
		return obs.offers > offers
	})
	if ufrag() == before {
		t.Fatal("an ICE restart offer must carry new ICE credentials")
	}
	v0, _ := obs.from("host-1", "video")
	obs.waitFor("video after the restart", func() bool { v, _ := obs.from("host-1", "video"); return v > v0+20 })
	_ = host
}
