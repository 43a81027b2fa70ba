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
// never count twice; members older than the window are trimmed on every
// write; keys expire a day after their window. All the logs an event touches
// are updated by one Lua script: one round trip per event. (On Redis Cluster
// the keys of one event may live on several nodes; there the script would be
// run per key in a pipeline — still one round trip per node.)
type WarningCounter struct {
	client *goredis.Client
	prefix string
}

var _ warning.Counter = (*WarningCounter)(nil)

// NewWarningCounter returns a counter whose keys start with prefix+"warn:".
func NewWarningCounter(client *goredis.Client, prefix string) *WarningCounter {
	return &WarningCounter{client: client, prefix: prefix + "warn:"}
}

// ARGV[1] is the event time in ms; then per key: member, window ms, threshold.
var observeScript = goredis.NewScript(`
local at = tonumber(ARGV[1])
local out = {}
for i, key in ipairs(KEYS) do
  local base = 1 + (i - 1) * 3
  local member = ARGV[base + 1]
  local window = tonumber(ARGV[base + 2])
  local threshold = tonumber(ARGV[base + 3])
  redis.call('ZADD', key, at, member)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', at - window)
  redis.call('PEXPIRE', key, window + 86400000)
  local n = redis.call('ZCARD', key)
  out[#out + 1] = n
  if n >= threshold then
    out[#out + 1] = redis.call('ZRANGE', key, 0, -1)
  else
    out[#out + 1] = {}
  end
end
return out
`)

// Observe implements warning.Counter.
func (c *WarningCounter) Observe(ctx context.Context, at time.Time, ops []warning.CountOp) ([]warning.CountResult, error) {
	keys := make([]string, len(ops))
	args := make([]any, 0, 1+3*len(ops))
	args = append(args, at.UnixMilli())
	for i, op := range ops {
		keys[i] = c.prefix + op.Key
		args = append(args, op.Member, op.Window.Milliseconds(), op.Threshold)
	}
	raw, err := observeScript.Run(ctx, c.client, keys, args...).Slice()
	if err != nil {
		return nil, unavailable("count warning events", err)
	}
	if len(raw) != 2*len(ops) {
		return nil, fmt.Errorf("redis: count warning events: %d replies for %d keys", len(raw), len(ops))
	}
	out := make([]warning.CountResult, len(ops))
	for i := range ops {
		n, _ := raw[2*i].(int64)
		out[i].Count = int(n)
		if members, ok := raw[2*i+1].([]any); ok {
			for _, m := range members {
				if s, ok := m.(string); ok {
					out[i].Members = append(out[i].Members, s)
				}
			}
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
