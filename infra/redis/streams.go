package redis

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/push"
)

var _ push.Queue = (*Streams)(nil)

// Streams are the work-order queues: one Redis Stream per unit or person,
// read by one consumer group per staff app kind. Names given and returned
// are without the deployment's key prefix.
type Streams struct {
	c      *goredis.Client
	prefix string
	maxLen int64
}

// NewStreams returns the queues on c. Each stream is trimmed to about
// maxLen entries: the database is the source of truth, and an order whose
// entry was trimmed before anyone acknowledged it is re-sent by the
// reconciler.
func NewStreams(c *goredis.Client, prefix string, maxLen int64) *Streams {
	if maxLen <= 0 {
		maxLen = 100_000
	}
	return &Streams{c: c, prefix: prefix, maxLen: maxLen}
}

// StreamEntry is one message to add.
type StreamEntry struct {
	Stream   string
	OutboxID int64
	Payload  []byte
}

// AddBatch appends entries in one pipelined round trip.
func (s *Streams) AddBatch(ctx context.Context, entries []StreamEntry) error {
	if len(entries) == 0 {
		return nil
	}
	pipe := s.c.Pipeline()
	for _, e := range entries {
		pipe.XAdd(ctx, &goredis.XAddArgs{Stream: s.prefix + e.Stream, MaxLen: s.maxLen, Approx: true,
			Values: []any{"outbox_id", e.OutboxID, "payload", e.Payload}})
	}
	_, err := pipe.Exec(ctx)
	if err != nil {
		return fmt.Errorf("redis: publish %d stream entries: %w", len(entries), err)
	}
	return nil
}

// EnsureGroup creates group on stream (and the stream) if missing. A new
// group starts at the stream's beginning, so nothing already queued is
// missed; what was already handled is recognised by the order's state.
func (s *Streams) EnsureGroup(ctx context.Context, stream, group string) error {
	err := s.c.XGroupCreateMkStream(ctx, s.prefix+stream, group, "0").Err()
	if err != nil && !strings.HasPrefix(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("redis: create group %s on %s: %w", group, stream, err)
	}
	return nil
}

// Read reads for consumer: with pending, the entries already delivered to
// it and not acknowledged (a reconnect's resume); otherwise new entries,
// waiting up to block. A group lost with a Redis restart is recreated.
func (s *Streams) Read(ctx context.Context, group, consumer string, streams []string, pending bool, block time.Duration, count int) ([]push.Entry, error) {
	args := make([]string, 0, 2*len(streams))
	for _, st := range streams {
		args = append(args, s.prefix+st)
	}
	id := ">"
	if pending {
		id = "0"
	}
	for range streams {
		args = append(args, id)
	}
	if pending {
		block = -1 // XREADGROUP with an explicit ID never blocks
	}
	var res []goredis.XStream
	var err error
	for attempt := 0; attempt < 2; attempt++ {
		res, err = s.c.XReadGroup(ctx, &goredis.XReadGroupArgs{Group: group, Consumer: consumer, Streams: args, Count: int64(count), Block: block}).Result()
		if err == nil || !strings.HasPrefix(err.Error(), "NOGROUP") {
			break
		}
		for _, st := range streams {
			if gerr := s.EnsureGroup(ctx, st, group); gerr != nil {
				return nil, gerr
			}
		}
	}
	if errors.Is(err, goredis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redis: read streams: %w", err)
	}
	var out []push.Entry
	for _, st := range res {
		for _, m := range st.Messages {
			out = append(out, s.delivery(st.Stream, m))
		}
	}
	return out, nil
}

func (s *Streams) delivery(stream string, m goredis.XMessage) push.Entry {
	d := push.Entry{Stream: strings.TrimPrefix(stream, s.prefix), ID: m.ID}
	if v, ok := m.Values["outbox_id"].(string); ok {
		d.OutboxID, _ = strconv.ParseInt(v, 10, 64)
	}
	if v, ok := m.Values["payload"].(string); ok {
		d.Payload = []byte(v)
	}
	return d
}

// Claim takes over, for consumer, entries of stream that another consumer
// of group (or this one) was given more than minIdle ago and never
// acknowledged: a crashed app's orders, or a delivery nobody confirmed.
func (s *Streams) Claim(ctx context.Context, stream, group, consumer string, minIdle time.Duration, count int) ([]push.Entry, error) {
	msgs, _, err := s.c.XAutoClaim(ctx, &goredis.XAutoClaimArgs{Stream: s.prefix + stream, Group: group, Consumer: consumer,
		MinIdle: minIdle, Start: "0-0", Count: int64(count)}).Result()
	if err != nil {
		if errors.Is(err, goredis.Nil) || strings.HasPrefix(err.Error(), "NOGROUP") {
			return nil, nil
		}
		return nil, fmt.Errorf("redis: claim from %s: %w", stream, err)
	}
	out := make([]push.Entry, 0, len(msgs))
	for _, m := range msgs {
		if m.Values == nil { // deleted by trimming; XAUTOCLAIM dropped it from the PEL
			continue
		}
		out = append(out, s.delivery(s.prefix+stream, m))
	}
	return out, nil
}

// Waiting reads a stream waitingPage entries at a time, at most
// waitingPages pages: an order whose entries lie further back than that
// behind a backlog counts as gone (and is sent again).
const waitingPage, waitingPages = 256, 64

// waitingSkew is how far Redis's clock, which stamps entry IDs, may be
// behind ours.
const waitingSkew = time.Minute

// Waiting implements workorder.StreamCheck: stream still holds an entry for
// the order (its newest, read from since on) that no consumer group has had
// pending for ackTimeout or longer.
func (s *Streams) Waiting(ctx context.Context, stream string, orderID int64, since time.Time, ackTimeout time.Duration) (bool, error) {
	key := s.prefix + stream
	start, id := "-", ""
	if !since.IsZero() {
		start = strconv.FormatInt(since.Add(-waitingSkew).UnixMilli(), 10)
	}
	for page := 0; ; page++ {
		if page == waitingPages {
			return false, nil
		}
		msgs, err := s.c.XRangeN(ctx, key, start, "+", waitingPage).Result()
		if err != nil {
			return false, fmt.Errorf("redis: range %s: %w", stream, err)
		}
		for _, m := range msgs {
			var msg struct {
				Type    string `json:"type"`
				OrderID int64  `json:"order_id"`
			}
			if p, ok := m.Values["payload"].(string); ok && json.Unmarshal([]byte(p), &msg) == nil && msg.Type == "order" && msg.OrderID == orderID {
				id = m.ID // the newest wins
			}
		}
		if len(msgs) < waitingPage {
			break
		}
		if start, err = nextEntryID(msgs[len(msgs)-1].ID); err != nil {
			return false, err
		}
	}
	if id == "" {
		return false, nil
	}
	groups, err := s.c.XInfoGroups(ctx, key).Result()
	if err != nil {
		return false, fmt.Errorf("redis: groups of %s: %w", stream, err)
	}
	for _, g := range groups {
		pending, err := s.c.XPendingExt(ctx, &goredis.XPendingExtArgs{Stream: key, Group: g.Name, Start: id, End: id, Count: 1}).Result()
		if err != nil {
			return false, fmt.Errorf("redis: pending of %s on %s: %w", g.Name, stream, err)
		}
		if len(pending) > 0 && pending[0].Idle >= ackTimeout {
			return false, nil // delivered, never acknowledged, and nobody claims it
		}
	}
	return true, nil
}

// nextEntryID is the smallest stream entry ID after id ("ms-seq"), to page
// on without the exclusive ranges older servers lack.
func nextEntryID(id string) (string, error) {
	ms, seq, ok := strings.Cut(id, "-")
	n, err := strconv.ParseUint(seq, 10, 64)
	if !ok || err != nil {
		return "", fmt.Errorf("redis: stream entry ID %q", id)
	}
	return ms + "-" + strconv.FormatUint(n+1, 10), nil
}

// Ack acknowledges entries of stream for group.
func (s *Streams) Ack(ctx context.Context, stream, group string, ids ...string) error {
	if len(ids) == 0 {
		return nil
	}
	if err := s.c.XAck(ctx, s.prefix+stream, group, ids...).Err(); err != nil {
		return fmt.Errorf("redis: ack on %s: %w", stream, err)
	}
	return nil
}

// Depth is the number of entries of stream that group has not yet been
// given plus those given and not acknowledged (for the queue-depth metric).
func (s *Streams) Depth(ctx context.Context, stream, group string) (int64, error) {
	groups, err := s.c.XInfoGroups(ctx, s.prefix+stream).Result()
	if err != nil {
		return 0, nil // no stream yet
	}
	for _, g := range groups {
		if g.Name == group {
			return g.Lag + g.Pending, nil
		}
	}
	return 0, nil
}

// CheckNoEviction warns when the queue Redis may evict keys under memory
// pressure, which would silently drop queued orders (the reconciler would
// re-send them, late). It returns the policy found.
func CheckNoEviction(ctx context.Context, c *goredis.Client) (string, error) {
	res, err := c.ConfigGet(ctx, "maxmemory-policy").Result()
	if err != nil {
		return "", err
	}
	return res["maxmemory-policy"], nil
}
