package rtctest

import (
	"io"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/tiaojie/tiaojie/realtime"
)

// Socket is the client's end of the signalling WebSocket. It has the
// methods of realtime.Conn, so either end of a pipe can be served.
type Socket interface {
	ReadMessage() (int, []byte, error)
	WriteMessage(int, []byte) error
	Close() error
}

// LockedSocket lets pion callbacks and the reader write to one gorilla
// connection.
type LockedSocket struct {
	mu sync.Mutex
	*websocket.Conn
}

// WriteMessage writes under the lock with a deadline.
func (c *LockedSocket) WriteMessage(t int, b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	_ = c.SetWriteDeadline(time.Now().Add(5 * time.Second))
	return c.Conn.WriteMessage(t, b)
}

// DialWS opens the signalling socket at url.
func DialWS(t testing.TB, url string) *LockedSocket {
	t.Helper()
	c, _, err := websocket.DefaultDialer.Dial(url, nil)
	if err != nil {
		t.Fatalf("rtctest: dial %s: %v", url, err)
	}
	return &LockedSocket{Conn: c}
}

// NewPipe is an in-memory signalling socket, for tests that hand the server
// end to Hub.Serve without a network: what one end writes the other reads,
// in order, up to 64 messages ahead. Closing either end closes both; what
// was written before is still read.
func NewPipe() (server, client Socket) {
	a, b := make(chan []byte, 64), make(chan []byte, 64)
	closed, once := make(chan struct{}), &sync.Once{}
	return &pipe{in: a, out: b, closed: closed, once: once}, &pipe{in: b, out: a, closed: closed, once: once}
}

type pipe struct {
	in, out chan []byte
	closed  chan struct{}
	once    *sync.Once
}

func (p *pipe) ReadMessage() (int, []byte, error) {
	select {
	case b := <-p.in:
		return realtime.TextMessage, b, nil
	case <-p.closed:
		select {
		case b := <-p.in:
			return realtime.TextMessage, b, nil
		default:
			return 0, nil, io.EOF
		}
	}
}

func (p *pipe) WriteMessage(_ int, b []byte) error {
	select { // a closed pipe refuses even when the buffer has room
	case <-p.closed:
		return io.ErrClosedPipe
	default:
	}
	select {
	case p.out <- b:
		return nil
	case <-p.closed:
		return io.ErrClosedPipe
	}
}

func (p *pipe) Close() error {
	p.once.Do(func() { close(p.closed) })
	return nil
}
