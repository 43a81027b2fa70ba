package redis

import (
	"context"
	"fmt"
	"strconv"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/warning"
)

// WarningCounter keeps the exact sliding-window logs of the warning rules:
// one sorted set per (rule, subject) whose members are the events' own IDs
// scored by their time. A retried event re-adds the same member, so it can
// never count twice; keys expire a day after their window.
//
// All the logs an event touches are updated in one pipelined round trip
// (ZADD, PEXPIRE, ZCARD per key). A log is trimmed only when its raw size
// reaches the threshold — below it, stale members can only make the count too
// high, which decides nothing — and then a second round trip trims it,
// counts it exactly and reads the newest members. That is rare, so most
// events cost one round trip and three plain commands per key. (A Lua script
// doing the same was measured at half this rate: see docs/PERFORMANCE.md.)
type WarningCounter struct {
	client *goredis.Client
	prefix string
}

var _ warning.Counter = (*WarningCounter)(nil)

// NewWarningCounter returns a counter whose keys start with prefix+"warn:".
func NewWarningCounter(client *goredis.Client, prefix string) *WarningCounter {
	return &WarningCounter{client: client, prefix: prefix + "warn:"}
}

// Observe implements warning.Counter.
func (c *WarningCounter) Observe(ctx context.Context, at time.Time, ops []warning.CountOp) ([]warning.CountResult, error) {
	score := float64(at.UnixMilli())
	cards := make([]*goredis.IntCmd, len(ops))
	_, err := c.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for i, op := range ops {
			key := c.prefix + op.Key
			p.ZAdd(ctx, key, goredis.Z{Score: score, Member: op.Member})
			p.PExpire(ctx, key, op.Window+24*time.Hour)
			cards[i] = p.ZCard(ctx, key)
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("count warning events", err)
	}
	out := make([]warning.CountResult, len(ops))
	var near []int
	for i, card := range cards {
		out[i].Count = int(card.Val())
		if out[i].Count >= ops[i].Threshold {
			near = append(near, i)
		}
	}
	if len(near) == 0 {
		return out, nil
	}
	// Near a threshold: trim, count exactly and read the newest members.
	exact := make([]*goredis.IntCmd, len(near))
	newest := make([]*goredis.StringSliceCmd, len(near))
	_, err = c.client.Pipelined(ctx, func(p goredis.Pipeliner) error {
		for j, i := range near {
			key, op := c.prefix+ops[i].Key, ops[i]
			p.ZRemRangeByScore(ctx, key, "-inf", strconv.FormatInt(at.Add(-op.Window).UnixMilli(), 10))
			exact[j] = p.ZCard(ctx, key)
			newest[j] = p.ZRange(ctx, key, -int64(min(op.Threshold, 100)), -1)
		}
		return nil
	})
	if err != nil {
		return nil, unavailable("trim warning events", err)
	}
	for j, i := range near {
		out[i].Count = int(exact[j].Val())
		if out[i].Count >= ops[i].Threshold {
			out[i].Members = newest[j].Val()
		}
	}
	return out, nil
}

// Built reports whether the counters are intact: the marker disappears with
// everything else when Redis is flushed or replaced.
func (c *WarningCounter) Built(ctx context.Context) (bool, error) {
	n, err := c.client.Exists(ctx, c.prefix+"built").Result()
	if err != nil {
		return false, unavailable("check warning counters", err)
	}
	return n == 1, nil
}

// MarkBuilt records that the counters hold every event of the windows.
func (c *WarningCounter) MarkBuilt(ctx context.Context) error {
	if err := c.client.Set(ctx, c.prefix+"built", strconv.FormatInt(time.Now().Unix(), 10), 0).Err(); err != nil {
		return unavailable("mark warning counters built", err)
	}
	return nil
}

// unavailable wraps a Redis failure as a domain error the caller may retry.
func unavailable(op string, err error) error {
	return fmt.Errorf("redis: %s: %w", op, domain.Wrap(err, domain.KindUnavailable, "service.unavailable", "The queue service did not answer."))
}
