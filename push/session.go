package push

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
)

// session is one connected staff app: a Redis reader (this goroutine), a
// socket reader for acknowledgements, and one writer with a bounded queue.
type session struct {
	hub      *Hub
	conn     Conn
	actor    domain.Actor
	app      string
	streams  []string
	consumer string
	token    string // re-checked every heartbeat

	out      chan ServerMessage
	wmu      sync.Mutex // one writer at a time: the write loop, or stop's last word
	sentMu   sync.Mutex
	sent     map[string]int64 // delivery ID → order ID, for acknowledgements
	cancel   context.CancelFunc
	done     chan struct{}
	stopOnce sync.Once
	lastSeen atomic.Int64 // unix nanos of the client's last message
	acks     chan string  // delivery IDs to acknowledge
	ackedMu  sync.Mutex
	acked    map[int64]bool // orders whose acknowledgement this app was sent
}

const ackWorkers = 4

func (s *session) run(ctx context.Context) error {
	s.lastSeen.Store(time.Now().UnixNano())
	// Serve must not return while a loop still touches the socket: the
	// server recycles the connection once it does.
	var loops sync.WaitGroup
	loops.Add(2)
	go func() { defer loops.Done(); s.writeLoop(ctx) }()
	go func() { defer loops.Done(); s.readLoop(ctx) }()
	// Acknowledgements are written by a few workers, so that database
	// latency does not serialise a busy app's acks.
	for range ackWorkers {
		loops.Add(1)
		go func() {
			defer loops.Done()
			for {
				select {
				case <-s.done:
					return
				case id := <-s.acks:
					s.ack(ctx, id)
				}
			}
		}()
	}
	defer loops.Wait()
	s.send(ServerMessage{Type: MsgReady, App: s.app, Streams: s.streams})

	// Resume: whatever this consumer was given and never acknowledged.
	pending, err := s.hub.Queue.Read(ctx, s.app, s.consumer, s.streams, true, 0, 1000)
	if err == nil {
		s.deliver(ctx, pending, true)
	}
	claimEvery := max(s.hub.Visibility/4, 50*time.Millisecond)
	nextClaim := time.Now().Add(claimEvery)
	heartbeat := time.NewTicker(s.hub.Heartbeat)
	defer heartbeat.Stop()
	for ctx.Err() == nil {
		select {
		case <-heartbeat.C:
			if time.Since(time.Unix(0, s.lastSeen.Load())) > 3*s.hub.Heartbeat {
				s.stop(ServerMessage{Type: MsgError, Code: "stream.timeout", Message: "No heartbeat from the app."})
				continue
			}
			// The socket outlives a request: a token that expired, a session
			// logged out or an account disabled ends it within a heartbeat.
			if _, err := s.hub.Auth(ctx, s.token); err != nil && ctx.Err() == nil {
				s.stop(ServerMessage{Type: MsgError, Code: "auth.session_ended", Message: "The session has ended; sign in again and reconnect."})
				continue
			}
			s.send(ServerMessage{Type: MsgPing})
		default:
		}
		entries, err := s.hub.Queue.Read(ctx, s.app, s.consumer, s.streams, false, min(s.hub.Block, claimEvery), 100)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			s.hub.Log.Warn("staff stream: read failed; retrying", "err", err, "consumer", s.consumer)
			sleep(ctx, time.Second)
			continue
		}
		s.deliver(ctx, entries, false)
		if time.Now().After(nextClaim) {
			nextClaim = time.Now().Add(claimEvery)
			for _, st := range s.streams {
				claimed, err := s.hub.Queue.Claim(ctx, st, s.app, s.consumer, s.hub.Visibility, 100)
				if err == nil {
					s.deliver(ctx, claimed, true)
				}
			}
		}
	}
	s.stop(ServerMessage{})
	return nil
}

// deliver sends what is still deliverable and acknowledges the rest at
// once: entries trimmed away, orders already acknowledged or moved to
// another stream, kinds this app does not handle.
func (s *session) deliver(ctx context.Context, entries []Entry, redelivery bool) {
	byStream := map[string][]Entry{}
	for _, e := range entries {
		byStream[e.Stream] = append(byStream[e.Stream], e)
	}
	for stream, list := range byStream {
		var ids []int64
		msgs := make([]workorder.Message, len(list))
		var drop []string
		for i, e := range list {
			if e.Payload == nil || json.Unmarshal(e.Payload, &msgs[i]) != nil {
				drop = append(drop, e.ID)
				continue
			}
			if msgs[i].Type == "order" {
				ids = append(ids, msgs[i].OrderID)
			}
		}
		orders, err := s.hub.Orders.Deliverable(ctx, s.app, stream, ids)
		if err != nil {
			s.hub.Log.Warn("staff stream: load orders failed; will be redelivered", "err", err)
			continue
		}
		for i, e := range list {
			m := msgs[i]
			switch {
			case slices.Contains(drop, e.ID):
			case m.Type == "notice":
				s.send(ServerMessage{Type: MsgNotice, DeliveryID: DeliveryID(stream, e.ID), OrderID: m.OrderID, Notice: m.Notice, Text: m.Text})
				drop = append(drop, e.ID) // shown once, nothing to acknowledge
			case orders[m.OrderID] != nil && s.sendOrder(DeliveryID(stream, e.ID), orders[m.OrderID], redelivery):
				s.hub.Metrics.delivered(orders[m.OrderID], redelivery)
			default:
				drop = append(drop, e.ID)
			}
		}
		if err := s.hub.Queue.Ack(ctx, stream, s.app, drop...); err != nil {
			s.hub.Log.Warn("staff stream: ack of stale entries failed", "err", err)
		}
	}
}

func view(o *workorder.Order) *OrderView {
	return &OrderView{ID: o.ID, Kind: o.Kind, UnitID: o.UnitID, PersonID: o.PersonID, Priority: o.Priority, State: string(o.State),
		Title: o.Title, ResourceType: o.ResourceType, ResourceID: o.ResourceID, DueAt: o.DueAt, CreatedAt: o.CreatedAt}
}

// readLoop handles the app's messages: acknowledgements and pings. Bad
// messages are answered; the fifth closes the socket.
func (s *session) readLoop(ctx context.Context) {
	bad := 0
	for {
		_, b, err := s.conn.ReadMessage()
		if err != nil {
			s.stop(ServerMessage{})
			return
		}
		s.lastSeen.Store(time.Now().UnixNano())
		m, err := DecodeClientMessage(b)
		var pe *ProtocolError
		if errors.As(err, &pe) {
			s.send(ServerMessage{Type: MsgError, Code: pe.Code, Message: pe.Message})
			if bad++; bad >= 5 {
				s.stop(ServerMessage{Type: MsgError, Code: "stream.bad_messages", Message: "Too many bad messages."})
				return
			}
			continue
		}
		switch m.Type {
		case MsgPing:
			s.send(ServerMessage{Type: MsgPong})
		case MsgAck:
			select {
			case s.acks <- m.DeliveryID:
			case <-s.done:
				return
			}
		}
	}
}

// ack records the acknowledgement in the database first, then in the
// stream: a crash between the two redelivers an order whose state already
// says delivered, and the redelivery is dropped as stale.
func (s *session) ack(ctx context.Context, deliveryID string) {
	stream, entryID, _ := SplitDeliveryID(deliveryID)
	if !slices.Contains(s.streams, stream) {
		s.send(ServerMessage{Type: MsgError, Code: "ack.bad_delivery_id", Message: "Unknown delivery ID."})
		return
	}
	s.sentMu.Lock()
	orderID, known := s.sent[deliveryID]
	delete(s.sent, deliveryID)
	s.sentMu.Unlock()
	var err error
	if !known {
		orderID, err = s.orderOf(ctx, stream, entryID)
	}
	if err == nil && orderID != 0 {
		err = s.hub.Orders.Acknowledge(ctx, s.actor, orderID)
	}
	if err == nil {
		err = s.hub.Queue.Ack(ctx, stream, s.app, entryID)
	}
	if err != nil {
		s.send(ServerMessage{Type: MsgError, DeliveryID: deliveryID, Code: "ack.failed", Message: "Not recorded; send the acknowledgement again."})
		return
	}
	// The confirmation and the note that the order is done go together
	// under the lock deliveries take, so an order read as deliverable just
	// before this ack either goes out before the confirmation or not at all.
	s.ackedMu.Lock()
	if orderID != 0 {
		if len(s.acked) > 10_000 {
			s.acked = map[int64]bool{}
		}
		s.acked[orderID] = true
	}
	s.send(ServerMessage{Type: MsgAcked, DeliveryID: deliveryID})
	s.ackedMu.Unlock()
}

// sendOrder sends an order unless this app confirmed its acknowledgement
// meanwhile; false when it did not send.
func (s *session) sendOrder(deliveryID string, o *workorder.Order, redelivery bool) bool {
	s.ackedMu.Lock()
	defer s.ackedMu.Unlock()
	if s.acked[o.ID] {
		return false
	}
	s.remember(deliveryID, o.ID)
	s.send(ServerMessage{Type: MsgOrder, DeliveryID: deliveryID, Order: view(o), Redelivery: redelivery})
	return true
}

func (s *session) remember(deliveryID string, orderID int64) {
	s.sentMu.Lock()
	if s.sent == nil {
		s.sent = map[string]int64{}
	}
	s.sent[deliveryID] = orderID
	s.sentMu.Unlock()
}

// orderOf finds the order of a delivery this session did not send (one of
// an earlier connection) among the consumer's pending entries.
func (s *session) orderOf(ctx context.Context, stream, entryID string) (int64, error) {
	entries, err := s.hub.Queue.Read(ctx, s.app, s.consumer, []string{stream}, true, 0, 1000)
	if err != nil {
		return 0, err
	}
	for _, e := range entries {
		if e.ID == entryID {
			var m workorder.Message
			if json.Unmarshal(e.Payload, &m) == nil && m.Type == "order" {
				return m.OrderID, nil
			}
			return 0, nil
		}
	}
	return 0, nil // not pending for this consumer (already acknowledged, or claimed by another): nothing to record
}

// send queues a message. The queue applies back-pressure to the stream
// reader (a burst of orders waits in Redis, not in memory); a socket that
// drains nothing for a whole heartbeat interval is cut off, and its orders
// go to the others after the acknowledgement timeout.
func (s *session) send(m ServerMessage) {
	select {
	case <-s.done:
		return
	case s.out <- m:
		return
	default:
	}
	t := time.NewTimer(s.hub.Heartbeat)
	defer t.Stop()
	select {
	case <-s.done:
	case s.out <- m:
	case <-t.C:
		s.stop(ServerMessage{})
	}
}

func (s *session) writeLoop(ctx context.Context) {
	for {
		select {
		case <-s.done:
			return
		case <-ctx.Done():
			s.stop(ServerMessage{})
			return
		case m := <-s.out:
			s.wmu.Lock()
			err := s.conn.WriteMessage(TextMessage, encode(m))
			s.wmu.Unlock()
			if err != nil {
				s.stop(ServerMessage{})
				return
			}
		}
	}
}

// stop ends the session once, with a last message if given.
func (s *session) stop(last ServerMessage) {
	s.stopOnce.Do(func() {
		if last.Type != "" {
			s.wmu.Lock()
			_ = s.conn.WriteMessage(TextMessage, encode(last))
			s.wmu.Unlock()
		}
		_ = s.conn.Close()
		close(s.done)
		s.cancel()
	})
}

func encode(m ServerMessage) []byte {
	b, _ := json.Marshal(m)
	return b
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
