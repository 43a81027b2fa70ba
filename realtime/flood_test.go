package realtime_test

import (
	"testing"

	"github.com/tiaojie/tiaojie/realtime"
)

func (l *eventLog) count(kinds ...string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, e := range l.events {
		for _, k := range kinds {
			if e.Kind == k {
				n++
			}
		}
	}
	return n
}

// Medium 8 (issue 16): someone in the lobby cannot act (a mute wrote a
// timeline row per frame), and an admitted participant cannot flood the
// timeline: mutes beyond the burst are refused, and the flood ends the
// socket.
func TestSignallingFloodsAreBounded(t *testing.T) {
	f := newFixture(t, realtime.Config{})
	host := f.join("host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	family := f.join("family-1", realtime.RoleFamily)
	family.WaitMsg(realtime.TypeWelcome, nil)
	for i := 0; i < 1000; i++ {
		family.Send(realtime.TypeMute, realtime.MuteData{Kind: "audio", Muted: i%2 == 0})
	}
	family.WaitMsg("closed", nil)
	if e := family.Messages(realtime.TypeError); len(e) == 0 {
		t.Fatal("the lobby's mutes were not refused")
	}
	for i := 0; i < 1000; i++ {
		host.Send(realtime.TypeMute, realtime.MuteData{Kind: "audio", Muted: i%2 == 0})
	}
	host.WaitMsg("closed", nil)
	host.WaitFor("the host's last events", func() bool { return f.events.has(realtime.EventLeft, "host-1", "") })
	if n := f.events.count(realtime.EventMuted, realtime.EventUnmuted); n == 0 || n > 12 {
		t.Fatalf("2,000 mute frames made %d timeline events; want a few from the host only", n)
	}
	if f.events.has(realtime.EventMuted, "family-1", "") {
		t.Fatal("a mute from the lobby reached the timeline")
	}
}
