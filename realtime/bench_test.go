package realtime_test

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// BenchmarkThreePartyRooms runs N concurrent 3-party rooms, every publisher
// sending 500 kbit/s of VP8 (2083-byte samples at 30 fps, two RTP packets
// each) and 32 kbit/s of Opus (80 bytes every 20 ms), for a fixed window,
// and reports the packet loss between the SFU's ingress and the subscribers
// and the CPU spent per forwarded Mbit/s.
//
//	go test ./realtime -run '^$' -bench ThreePartyRooms -benchtime 1x
//	REALTIME_BENCH_ROOMS=1,4,8,12,16 REALTIME_BENCH_SECONDS=10 go test ...
//
// The clients (SRTP, pacing, RTP parsing: as much work as the SFU) run in
// the same process on the same cores, so the CPU figure is an upper bound
// for the SFU alone and the room count a lower bound.
func BenchmarkThreePartyRooms(b *testing.B) {
	rooms := []int{1, 2, 4, 8}
	if s := os.Getenv("REALTIME_BENCH_ROOMS"); s != "" {
		rooms = nil
		for _, f := range strings.Split(s, ",") {
			n, err := strconv.Atoi(f)
			if err != nil {
				b.Fatal(err)
			}
			rooms = append(rooms, n)
		}
	}
	window := 5 * time.Second
	if s := os.Getenv("REALTIME_BENCH_SECONDS"); s != "" {
		n, _ := strconv.Atoi(s)
		window = time.Duration(n) * time.Second
	}
	for _, n := range rooms {
		b.Run(fmt.Sprintf("rooms=%d", n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				benchRooms(b, n, window)
			}
		})
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func benchRooms(b *testing.B, n int, window time.Duration) {
	f := newFixture(b, realtime.Config{SendQueue: 1024, MaxParticipants: 3})
	rate := rtctest.Publish(2083, time.Second/30, 80)
	var clients []*rtctest.Client
	for r := 0; r < n; r++ {
		room := fmt.Sprintf("bench-%d", r)
		if _, err := f.hub.OpenRoom(realtime.RoomSpec{ID: room}); err != nil {
			b.Fatal(err)
		}
		for _, pid := range []string{"host", "a", "b"} {
			tok, _, err := f.tokens.Issue(realtime.RoomGrant{RoomID: room, ParticipantID: pid, Role: realtime.RoleHost})
			if err != nil {
				b.Fatal(err)
			}
			clients = append(clients, f.joinWith(b, room, room+"-"+pid, tok, rate))
		}
	}
	for i, c := range clients {
		base := i - i%3
		for j := base; j < base+3; j++ {
			if j != i {
				c.ReceivesFrom(strings.TrimPrefix(clients[j].Name, fmt.Sprintf("bench-%d-", i/3)))
			}
		}
	}
	received := func() (n int64) {
		for _, c := range clients {
			n += c.Received()
		}
		return n
	}
	st := f.hub.Stats()
	in0, out0, bytes0, recv0, cpu0, t0 := st.PacketsIn.Load(), st.PacketsOut.Load(), st.BytesOut.Load(), received(), cpuTime(), time.Now()
	time.Sleep(window)
	in1, out1, bytes1, recv1, cpu1, t1 := st.PacketsIn.Load(), st.PacketsOut.Load(), st.BytesOut.Load(), received(), cpuTime(), time.Now()
	b.StopTimer()
	secs := t1.Sub(t0).Seconds()
	expected := 2 * (in1 - in0) // each packet in goes to the two others
	loss := 100 * (1 - float64(recv1-recv0)/float64(expected))
	// BytesOut counts a packet once per track write; TrackLocalStaticRTP
	// fans it out to both subscribers.
	fwdMbps := float64(2*(bytes1-bytes0)) * 8 / secs / 1e6
	cores := (cpu1 - cpu0).Seconds() / secs
	b.ReportMetric(float64(n), "rooms")
	b.ReportMetric(loss, "loss%")
	b.ReportMetric(fwdMbps, "fwd-Mbit/s")
	b.ReportMetric(cores, "cpu-cores")
	b.ReportMetric(100*cores/fwdMbps, "%core-per-fwd-Mbit/s")
	b.ReportMetric(float64(out1-out0)/secs, "track-writes/s")
	// Each room should take in 3 × (60 video + 50 audio) packets a second;
	// below 100% the publishers (same process) could not keep their pace.
	b.ReportMetric(100*float64(in1-in0)/secs/float64(n*330), "ingress%-of-nominal")
	for _, c := range clients {
		c.Close()
	}
}
