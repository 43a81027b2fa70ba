package realtime_test

import (
	"context"
	"crypto/ed25519"
	"sync"
	"testing"
	"time"

	"github.com/pion/webrtc/v4"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// specSource is the scheduler's word on rooms, as another instance or a
// restarted one reads it from the database.
type specSource struct {
	mu    sync.Mutex
	specs map[string]realtime.RoomSpec
}

func (s *specSource) RoomSpec(_ context.Context, id string) (realtime.RoomSpec, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.specs[id], nil
}

func (s *specSource) set(spec realtime.RoomSpec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.specs[spec.ID] = spec
}

// A room's stored end and removals bind every hub that loads it (issue 16,
// medium 13), and a room that ended on this hub is never reopened, even
// while the store has not heard of the end yet.
func TestEndedRoomsAndRemovalsStay(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	tokens, err := realtime.NewRoomTokens(priv, "tiaojie-test", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := &specSource{specs: map[string]realtime.RoomSpec{}}
	hub, err := realtime.NewHub(realtime.Config{IncludeLoopback: true, TempDir: t.TempDir()}, realtime.Deps{Tokens: tokens, Rooms: src,
		Storage: &memStorage{}, Recordings: &realtime.MemoryRecordings{}, Log: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(func() {
		stop, done := context.WithTimeout(context.Background(), 20*time.Second)
		defer done()
		_ = hub.Close(stop)
		cancel()
	})
	api := rtctest.NewAPI(t)
	invited := []realtime.Invite{{ParticipantID: "host-1", Role: realtime.RoleHost}, {ParticipantID: "family-1", Role: realtime.RoleFamily}}
	join := func(room, pid string, role realtime.Role) *rtctest.Client {
		t.Helper()
		tok, _, err := tokens.Issue(realtime.RoomGrant{RoomID: room, ParticipantID: pid, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		server, client := rtctest.NewPipe()
		go func() { _ = hub.Serve(ctx, room, server) }()
		return rtctest.Join(t, api, pid, client, tok)
	}
	refused := func(c *rtctest.Client, code string) {
		t.Helper()
		if got := rtctest.Field(c.WaitMsg(realtime.TypeError, nil), "code"); got != code {
			t.Fatalf("got %s, want %s", got, code)
		}
	}

	src.set(realtime.RoomSpec{ID: "stored-ended", Invited: invited, Ended: true})
	refused(join("stored-ended", "host-1", realtime.RoleHost), "room.ended")

	src.set(realtime.RoomSpec{ID: "stored-removal", Invited: invited, Removed: []string{"family-1"}})
	refused(join("stored-removal", "family-1", realtime.RoleFamily), "room.removed")
	join("stored-removal", "host-1", realtime.RoleHost).WaitMsg(realtime.TypeWelcome, nil)

	// Removed on another instance while the room is open here.
	src.set(realtime.RoomSpec{ID: "live", Invited: invited})
	host := join("live", "host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	src.set(realtime.RoomSpec{ID: "live", Invited: invited, Removed: []string{"family-1"}})
	refused(join("live", "family-1", realtime.RoleFamily), "room.removed")

	// Ended here: the store has not heard yet, the hub remembers.
	host.Send(realtime.TypeEnd, nil)
	host.WaitMsg(realtime.TypeEnded, nil)
	src.set(realtime.RoomSpec{ID: "live", Invited: invited})
	refused(join("live", "host-1", realtime.RoleHost), "room.ended")

	// Ended elsewhere while open here: the next join ends it here too.
	src.set(realtime.RoomSpec{ID: "elsewhere", Invited: invited})
	other := join("elsewhere", "host-1", realtime.RoleHost)
	other.WaitMsg(realtime.TypeWelcome, nil)
	src.set(realtime.RoomSpec{ID: "elsewhere", Invited: invited, Ended: true})
	refused(join("elsewhere", "family-1", realtime.RoleFamily), "room.ended")
	other.WaitMsg(realtime.TypeEnded, nil)
}

// A room token is good for one join (issue 16, low): a copy of it neither
// enters nor replaces the connection of the person it was issued to.
func TestARoomTokenWorksOnce(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	tok := f.token("family-1", realtime.RoleFamily)
	first := f.joinWith(t, f.room.ID(), "family-1", tok)
	first.WaitMsg(realtime.TypeWelcome, nil)
	second := f.joinWith(t, f.room.ID(), "family-1", tok)
	if got := rtctest.Field(second.WaitMsg(realtime.TypeError, nil), "code"); got != "room.token_used" {
		t.Fatalf("a second use of the token: %s, want room.token_used", got)
	}
	if first.IndexOf(realtime.TypeReplaced) >= 0 {
		t.Fatal("the copy replaced the first holder")
	}
	if got := len(f.room.Participants()); got != 1 {
		t.Fatalf("%d participants, want the first holder only", got)
	}
}

// One person holds at most two connection-check slots (issue 16, low: one
// citizen held all 32); others still get theirs.
func TestProbeSlotsPerPerson(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	offer := func() string {
		pc, err := f.api.NewPeerConnection(webrtc.Configuration{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = pc.Close() })
		if _, err := pc.CreateDataChannel("probe", nil); err != nil {
			t.Fatal(err)
		}
		o, _ := pc.CreateOffer(nil)
		gathered := webrtc.GatheringCompletePromise(pc)
		_ = pc.SetLocalDescription(o)
		<-gathered
		return pc.LocalDescription().SDP
	}
	ctx := t.Context()
	for i := 0; i < 2; i++ {
		if _, _, err := f.hub.ProbeFor(ctx, "u1", offer()); err != nil {
			t.Fatalf("check %d: %v", i+1, err)
		}
	}
	if _, _, err := f.hub.ProbeFor(ctx, "u1", offer()); !domain.IsKind(err, domain.KindRateLimited) {
		t.Fatalf("a third check at once: %v, want rate limited", err)
	}
	if _, _, err := f.hub.ProbeFor(ctx, "u2", offer()); err != nil {
		t.Fatalf("another person's check: %v", err)
	}
}
