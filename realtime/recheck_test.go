package realtime_test

import (
	"context"
	"crypto/ed25519"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// A room whose case closed through another instance ends here too: the
// hub rechecks its open rooms against the scheduler and ends those that
// ended, telling their participants (issue 16: rooms outlive their case).
// EndRoomsOf ends an owner's rooms at once, and only that owner's.
func TestRoomsEndWhenTheSchedulerSaysSo(t *testing.T) {
	_, priv, _ := ed25519.GenerateKey(nil)
	tokens, err := realtime.NewRoomTokens(priv, "tiaojie-test", time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	src := &specSource{specs: map[string]realtime.RoomSpec{}}
	hub, err := realtime.NewHub(realtime.Config{IncludeLoopback: true, TempDir: t.TempDir(), RecheckInterval: 50 * time.Millisecond},
		realtime.Deps{Tokens: tokens, Rooms: src, Storage: &memStorage{}, Recordings: &realtime.MemoryRecordings{}, Log: testLogger(t)})
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
	invited := []realtime.Invite{{ParticipantID: "host-1", Role: realtime.RoleHost}}
	for _, id := range []string{"case-1", "case-2", "visit-7"} {
		owner := realtime.Owner{Type: "case", ID: map[string]int64{"case-1": 1, "case-2": 2}[id]}
		if id == "visit-7" {
			owner = realtime.Owner{Type: "visit", ID: 7}
		}
		src.set(realtime.RoomSpec{ID: id, Owner: owner, Invited: invited})
	}
	one, two, visit := join("case-1", "host-1", realtime.RoleHost), join("case-2", "host-1", realtime.RoleHost), join("visit-7", "host-1", realtime.RoleHost)
	for _, c := range []*rtctest.Client{one, two, visit} {
		c.WaitMsg(realtime.TypeWelcome, nil)
	}

	// Closed elsewhere: only the stored word changes.
	src.set(realtime.RoomSpec{ID: "case-1", Owner: realtime.Owner{Type: "case", ID: 1}, Invited: invited, Ended: true})
	one.WaitMsg(realtime.TypeEnded, nil)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if _, open := hub.Room("case-1"); !open {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the rechecked room is still open")
		}
	}

	// Closed here: at once, by owner.
	if n := hub.EndRoomsOf(realtime.Owner{Type: "visit", ID: 7}, "booking_ended"); n != 1 {
		t.Fatalf("EndRoomsOf ended %d rooms, want 1", n)
	}
	if e := visit.WaitMsg(realtime.TypeEnded, nil); rtctest.Field(e, "reason") != "booking_ended" {
		t.Fatalf("ended %s, want booking_ended", e.Data)
	}
	if _, open := hub.Room("case-2"); !open {
		t.Fatal("another owner's room ended too")
	}
}
