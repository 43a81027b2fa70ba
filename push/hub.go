package push

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// Conn is the hub's end of a staff app's WebSocket, so that push neither
// imports Fiber nor needs a network in tests.
type Conn interface {
	ReadMessage() (messageType int, p []byte, err error)
	WriteMessage(messageType int, data []byte) error
	Close() error
}

// TextMessage is the WebSocket text frame type.
const TextMessage = 1

// Orders is what the hub asks the dispatch service.
type Orders interface {
	// Deliverable filters the orders read from stream down to those the
	// app should be shown now (see workorder.Service.Deliverable).
	Deliverable(ctx context.Context, app, stream string, ids []int64) (map[int64]*workorder.Order, error)
	Acknowledge(ctx context.Context, a domain.Actor, id int64) error
	// StreamsOf are the streams a staff member reads: their units' and
	// their own.
	StreamsOf(ctx context.Context, a domain.Actor) ([]string, error)
}

// Authenticator verifies an access token.
type Authenticator func(ctx context.Context, token string) (domain.Actor, error)

// Hub delivers work orders live to connected staff apps. Each app reads its
// units' streams in the consumer group of its kind as the consumer named by
// its user, so a reconnect resumes with whatever it had not acknowledged.
type Hub struct {
	Queue   Queue
	Orders  Orders
	Auth    Authenticator
	Log     *slog.Logger
	Metrics *StreamMetrics

	Visibility time.Duration // an unacknowledged delivery is redelivered after this; default 30 s
	Heartbeat  time.Duration // ping interval; three missed and the socket is closed; default 20 s
	Block      time.Duration // longest wait for new entries in one read; default 2 s
	SendQueue  int           // messages waiting for a slow socket before it is cut off; default 256

	mu       sync.Mutex
	sessions map[string]*session // by app and user: a second connection replaces the first
}

func (h *Hub) defaults() {
	if h.Visibility <= 0 {
		h.Visibility = 30 * time.Second
	}
	if h.Heartbeat <= 0 {
		h.Heartbeat = 20 * time.Second
	}
	if h.Block <= 0 {
		h.Block = 2 * time.Second
	}
	if h.SendQueue <= 0 {
		h.SendQueue = 256
	}
	if h.Log == nil {
		h.Log = slog.Default()
	}
}

// Serve runs one staff app's connection until it closes or ctx ends. token
// is the access token from the Sec-WebSocket-Protocol header, or "" when
// the app sends it in its first message.
func (h *Hub) Serve(ctx context.Context, conn Conn, token string) error {
	h.defaults()
	defer conn.Close()
	if token == "" {
		var err error
		if token, err = readAuth(conn); err != nil {
			writeNow(conn, ServerMessage{Type: MsgError, Code: "auth.token_missing", Message: err.Error()})
			return err
		}
	}
	actor, err := h.Auth(ctx, token)
	if err != nil {
		writeNow(conn, ServerMessage{Type: MsgError, Code: "auth.invalid_token", Message: "The access token is not valid."})
		return err
	}
	app := workorder.AppFor(actor.Roles)
	if app == "" {
		writeNow(conn, ServerMessage{Type: MsgError, Code: "stream.not_staff", Message: "Only staff apps receive work orders."})
		return domain.Errorf(domain.KindForbidden, "stream.not_staff", "not staff")
	}
	streams, err := h.Orders.StreamsOf(ctx, actor)
	if err != nil {
		return err
	}
	for _, st := range streams {
		if err := h.Queue.EnsureGroup(ctx, st, app); err != nil {
			writeNow(conn, ServerMessage{Type: MsgError, Code: "service.unavailable", Message: "The queue is not available; reconnect later."})
			return err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := &session{hub: h, conn: conn, actor: actor, app: app, streams: streams, consumer: "u" + strconv.FormatInt(actor.UserID, 10), token: token,
		out: make(chan ServerMessage, h.SendQueue), acks: make(chan string, 64), acked: map[int64]bool{}, cancel: cancel, done: make(chan struct{})}
	h.replace(s)
	defer h.remove(s)
	h.Metrics.connected(1)
	defer h.Metrics.connected(-1)
	return s.run(ctx)
}

// replace registers s, closing an older connection of the same app and
// user on this instance (a phone that switched networks).
func (h *Hub) replace(s *session) {
	key := s.app + "/" + s.consumer
	h.mu.Lock()
	if h.sessions == nil {
		h.sessions = map[string]*session{}
	}
	old := h.sessions[key]
	h.sessions[key] = s
	h.mu.Unlock()
	if old != nil {
		old.stop(ServerMessage{Type: MsgError, Code: "stream.replaced", Message: "The same account connected again elsewhere."})
	}
}

func (h *Hub) remove(s *session) {
	key := s.app + "/" + s.consumer
	h.mu.Lock()
	if h.sessions[key] == s {
		delete(h.sessions, key)
	}
	h.mu.Unlock()
}

// Connected is how many staff apps this instance serves.
func (h *Hub) Connected() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sessions)
}

// readAuth waits for the first message, which must carry the token.
func readAuth(conn Conn) (string, error) {
	type result struct {
		token string
		err   error
	}
	ch := make(chan result, 1)
	go func() {
		_, b, err := conn.ReadMessage()
		if err != nil {
			ch <- result{err: err}
			return
		}
		m, err := DecodeClientMessage(b)
		if err == nil && m.Type != MsgAuth {
			err = errProtocol("auth.token_missing", "Send the access token first.")
		}
		ch <- result{m.Token, err}
	}()
	select {
	case r := <-ch:
		return r.token, r.err
	case <-time.After(10 * time.Second):
		return "", errProtocol("auth.timeout", "No token within 10 seconds.")
	}
}

func writeNow(conn Conn, m ServerMessage) {
	_ = conn.WriteMessage(TextMessage, encode(m))
}
