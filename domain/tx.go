package domain

import "context"

// TxRunner runs fn in one database transaction. Every store method called
// with the ctx that fn receives joins that transaction, so a service can write
// a change, its timeline event, its audit record and its outbox rows together
// whatever area each belongs to. fn's error (or a failed commit) rolls back
// everything and is returned; nothing may be sent to Redis or a device inside
// fn — the outbox relay does that after commit.
type TxRunner interface {
	WithTx(ctx context.Context, fn func(ctx context.Context) error) error
}
