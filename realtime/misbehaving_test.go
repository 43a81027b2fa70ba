package realtime_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/realtime"
	"github.com/tiaojie/tiaojie/realtime/rtctest"
)

// Malformed messages are answered with an error and the connection stays,
// until the limit; then the socket is closed.
func TestBadMessagesAreAnsweredThenCutOff(t *testing.T) {
	f := newFixture(t, realtime.Config{MaxBadMessages: 3})
	host := f.join("host-1", realtime.RoleHost)
	host.WaitMsg(realtime.TypeWelcome, nil)
	host.SendRaw([]byte("nonsense"))
	host.WaitMsg(realtime.TypeError, func(e realtime.Envelope) bool { return rtctest.Field(e, "code") == "message.malformed" })
	host.Send(realtime.TypePing, nil)
	host.WaitMsg(realtime.TypePong, nil) // still connected
	host.SendRaw([]byte(`{"v":1,"type":"bogus"}`))
	host.SendRaw([]byte(`{"v":1,"type":"answer","data":{"sdp":"x"}}`))
	host.WaitMsg("closed", nil)
	if got := host.Types(); !strings.Contains(got, "message.too_many_bad") {
		t.Fatalf("the last error should say too many bad messages: %s", got)
	}
}

// blockedConn never completes a write, like a client that stopped reading.
type blockedConn struct {
	rtctest.Socket
	release chan struct{}
}

func (b *blockedConn) WriteMessage(int, []byte) error {
	<-b.release
	return errors.New("closed")
}

func (b *blockedConn) Close() error {
	select {
	case <-b.release:
	default:
		close(b.release)
	}
	return b.Socket.Close()
}

// A client too slow to drain its queue is disconnected; nothing in the
// server waits for it.
func TestASlowClientIsDisconnected(t *testing.T) {
	f := newFixture(t, realtime.Config{SendQueue: 4})
	server, client := rtctest.NewPipe()
	conn := &blockedConn{Socket: server, release: make(chan struct{})}
	tok := f.token("host-1", realtime.RoleHost)
	done := make(chan error, 1)
	go func() { done <- f.hub.Serve(f.ctx, "", conn) }()
	_ = client.WriteMessage(realtime.TextMessage, rtctest.Message(realtime.TypeJoin, realtime.JoinData{Token: tok}))
	for i := 0; i < 50; i++ {
		if client.WriteMessage(realtime.TextMessage, rtctest.Message(realtime.TypePing, nil)) != nil {
			break
		}
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("Serve did not return for a client that never reads")
	}
	if f.hub.Stats().SlowConsumers.Load() != 1 {
		t.Fatalf("want one slow consumer, got %d", f.hub.Stats().SlowConsumers.Load())
	}
	if len(f.room.Participants()) != 0 {
		t.Fatal("the slow client should be out of the room")
	}
}
