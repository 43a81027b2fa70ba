package push

import (
	"context"
	"time"
)

// Entry is one message read from a work-order stream.
type Entry struct {
	Stream   string // without the deployment's key prefix, e.g. wo:unit:3
	ID       string // the stream entry ID
	OutboxID int64
	Payload  []byte // a workorder.Message; nil when the entry was trimmed away
}

// Queue is the streams the staff hub reads, one consumer group per staff
// app kind and one consumer per staff member (infra/redis.Streams).
type Queue interface {
	EnsureGroup(ctx context.Context, stream, group string) error
	// Read returns the consumer's own unacknowledged entries when pending
	// is true (resume after a reconnect), else new ones, waiting up to block.
	Read(ctx context.Context, group, consumer string, streams []string, pending bool, block time.Duration, count int) ([]Entry, error)
	// Claim takes over entries delivered more than minIdle ago and never
	// acknowledged (XAUTOCLAIM), the consumer's own included.
	Claim(ctx context.Context, stream, group, consumer string, minIdle time.Duration, count int) ([]Entry, error)
	Ack(ctx context.Context, stream, group string, ids ...string) error
}
