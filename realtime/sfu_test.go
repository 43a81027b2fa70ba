package realtime_test

import (
	"bytes"
	"context"
	"io"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// The main scenario: the family arrives before the host and waits in the
// lobby with no media at all; the host admits family and detainee terminal;
// each of the three receives the other two's audio and video; a kicked
// participant's media stops; the host ends the room and every track's
// recording is a well-formed file with its metadata stored.
func TestThreePartiesMediateThroughTheLobby(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	runThreeParties(t, f, f.join)
}

func runThreeParties(t *testing.T, f *fixture, join func(string, realtime.Role) *rtctest.Client) {
	family := join("family-1", realtime.RoleFamily)
	w := family.WaitMsg(realtime.TypeWelcome, nil)
	if rtctest.Field(w, "state") != "lobby" {
		t.Fatalf("family joining first should wait in the lobby, got welcome %s", w.Data)
	}
	host := join("host-1", realtime.RoleHost)
	w = host.WaitMsg(realtime.TypeWelcome, nil)
	if rtctest.Field(w, "state") != "admitted" || !bytes.Contains(w.Data, []byte(`"family-1"`)) {
		t.Fatalf("the host should be admitted and see the family in the lobby, got %s", w.Data)
	}
	terminal := join("terminal-1", realtime.RoleDetaineeTerminal)
	terminal.WaitMsg(realtime.TypeWelcome, nil)
	host.WaitMsg(realtime.TypeLobby, func(e realtime.Envelope) bool { return bytes.Contains(e.Data, []byte("terminal-1")) })
	host.WaitFor("the host publishing", func() bool { return f.hub.Stats().PacketsIn.Load() > 50 })

	// Before admission nothing flows either way: no offer to the family,
	// nothing from them anywhere.
	if family.IndexOf(realtime.TypeOffer) >= 0 || terminal.IndexOf(realtime.TypeOffer) >= 0 {
		t.Fatalf("a lobby participant got an offer before being admitted: family %s / terminal %s", family.Types(), terminal.Types())
	}
	if p, _ := host.From("family-1", "audio"); p != 0 {
		t.Fatalf("the host received %d packets from the family before admitting them", p)
	}
	// A lobby participant cannot start media on their own.
	family.Send(realtime.TypeICERestart, nil)
	family.WaitMsg(realtime.TypeError, func(e realtime.Envelope) bool { return rtctest.Field(e, "code") == "lobby.waiting" })
	// Nor can a non-host admit.
	terminal.Send(realtime.TypeAdmit, realtime.TargetData{Participant: "family-1"})
	terminal.WaitMsg(realtime.TypeError, func(e realtime.Envelope) bool { return rtctest.Field(e, "code") == "lobby.waiting" })

	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: "family-1"})
	host.Send(realtime.TypeAdmit, realtime.TargetData{Participant: "terminal-1"})
	family.WaitMsg(realtime.TypeAdmitted, nil)
	terminal.WaitMsg(realtime.TypeAdmitted, nil)
	if a, o := family.IndexOf(realtime.TypeAdmitted), family.IndexOf(realtime.TypeOffer); o >= 0 && o < a {
		t.Fatalf("the family's first offer came before admission: %s", family.Types())
	}

	host.ReceivesFrom("family-1", "terminal-1")
	family.ReceivesFrom("host-1", "terminal-1")
	terminal.ReceivesFrom("host-1", "family-1")

	// Kick the terminal: it is told, the others see it leave, its media stops.
	host.Send(realtime.TypeKick, realtime.TargetData{Participant: "terminal-1"})
	terminal.WaitMsg(realtime.TypeKicked, nil)
	host.WaitMsg(realtime.TypeLeft, func(e realtime.Envelope) bool { return rtctest.Field(e, "participant") == "terminal-1" })
	family.WaitMsg(realtime.TypeLeft, func(e realtime.Envelope) bool { return rtctest.Field(e, "participant") == "terminal-1" })
	settled := func(c *rtctest.Client) {
		// Wait until two readings a while apart agree: nothing more arrives.
		var last int64 = -1
		c.WaitFor("the kicked terminal's media to stop", func() bool {
			p, _ := c.From("terminal-1", "video")
			a, _ := c.From("terminal-1", "audio")
			stopped := p+a == last
			last = p + a
			time.Sleep(300 * time.Millisecond)
			return stopped
		})
	}
	settled(host)
	settled(family)
	// The others still hear each other.
	hp, _ := family.From("host-1", "audio")
	family.WaitFor("host audio after the kick", func() bool { p, _ := family.From("host-1", "audio"); return p > hp+10 })
	// A kicked participant cannot come back with a fresh token.
	again := join("terminal-1", realtime.RoleDetaineeTerminal)
	again.WaitMsg(realtime.TypeError, func(e realtime.Envelope) bool { return rtctest.Field(e, "code") == "room.removed" })

	// A host mutes the family's audio: forwarding stops, everyone is told.
	host.Send(realtime.TypeMute, realtime.MuteData{Participant: "family-1", Kind: "audio", Muted: true})
	family.WaitMsg(realtime.TypeMute, func(e realtime.Envelope) bool { return rtctest.Field(e, "participant") == "family-1" })
	var last int64 = -1
	host.WaitFor("the muted family's audio to stop", func() bool {
		p, _ := host.From("family-1", "audio")
		stopped := p == last
		last = p
		time.Sleep(300 * time.Millisecond)
		return stopped
	})
	if v0, _ := host.From("family-1", "video"); true {
		host.WaitFor("family video while audio is muted", func() bool { v, _ := host.From("family-1", "video"); return v > v0+5 })
	}
	// Only the participant may unmute.
	host.Send(realtime.TypeMute, realtime.MuteData{Participant: "family-1", Kind: "audio", Muted: false})
	host.WaitMsg(realtime.TypeError, func(e realtime.Envelope) bool { return rtctest.Field(e, "code") == "mute.remote_unmute" })

	host.Send(realtime.TypeEnd, nil)
	family.WaitMsg(realtime.TypeEnded, nil)
	host.WaitMsg(realtime.TypeEnded, nil)
	family.WaitMsg("closed", nil)

	// Six tracks were published (three participants × audio + video); all
	// are finalised, stored and parse.
	recs := f.finishedRecordings(6)
	checkRecordings(t, f, recs)
	for _, ev := range []struct{ kind, who, detail string }{
		{realtime.EventJoined, "family-1", "lobby"}, {realtime.EventAdmitted, "family-1", ""}, {realtime.EventRemoved, "terminal-1", ""},
		{realtime.EventMuted, "family-1", "audio"}, {realtime.EventEnded, "", "host_ended"}, {realtime.EventRecordingStopped, "host-1", "video"},
	} {
		waitEvent(t, f, ev.kind, ev.who, ev.detail)
	}
}

func waitEvent(t *testing.T, f *fixture, kind, who, detail string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !f.events.has(kind, who, detail) {
		if time.Now().After(deadline) {
			t.Fatalf("no %s event for %q (%s); events: %+v", kind, who, detail, f.events.events)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func checkRecordings(t *testing.T, f *fixture, recs []realtime.Recording) {
	t.Helper()
	for _, r := range recs {
		if r.Owner != (realtime.Owner{Type: "case", ID: 42}) || r.StartedAt.IsZero() || r.EndedAt.Before(r.StartedAt) {
			t.Errorf("recording %s: bad metadata %+v", r.ID, r)
		}
		rc, err := f.storage.Open(context.Background(), r.StorageKey)
		if err != nil {
			t.Fatalf("recording %s not in storage: %v", r.StorageKey, err)
		}
		b, _ := io.ReadAll(rc)
		if int64(len(b)) != r.Bytes || r.Bytes == 0 {
			t.Errorf("recording %s: metadata says %d bytes, storage has %d", r.StorageKey, r.Bytes, len(b))
		}
		frames, err := rtctest.CountFrames(r.Container, b)
		if err != nil {
			t.Errorf("recording %s: %v", r.StorageKey, err)
		}
		if frames < 10 || r.Frames < 10 {
			t.Errorf("recording %s (%s of %s): %d frames in the file, %d in metadata; want at least 10", r.StorageKey, r.Kind, r.ParticipantID, frames, r.Frames)
		}
	}
}
