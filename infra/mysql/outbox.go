package mysql

import (
	"context"
	"database/sql"
	"log/slog"
	"time"

	"gorm.io/gorm/clause"
)

// OutboxEntry is one outbox row on its way to a stream.
type OutboxEntry struct {
	ID      int64
	Topic   string
	Payload []byte
}

// Relay moves committed outbox rows to the streams and marks them sent. It
// takes unsent rows with SELECT … FOR UPDATE SKIP LOCKED, so several server
// instances relay side by side without sending a row twice, and a row
// whose auto-increment ID committed out of order is still found (a "last
// ID seen" cursor would skip it). A crash between publishing and marking
// re-publishes the batch: the consumers recognise repeats by order state.
type Relay struct {
	DB      *DB
	Publish func(ctx context.Context, batch []OutboxEntry) error
	Batch   int
	Log     *slog.Logger
	wake    chan struct{}
}

// NewRelay returns a relay publishing with publish.
func NewRelay(db *DB, publish func(ctx context.Context, batch []OutboxEntry) error, log *slog.Logger) *Relay {
	return &Relay{DB: db, Publish: publish, Batch: 500, Log: log, wake: make(chan struct{}, 1)}
}

// Wake asks for a pass now (called after a commit that wrote outbox rows).
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// RunOnce relays one batch and reports how many rows it sent.
//
// The rows are marked sent before they are published, inside the same
// transaction: if marking fails (a deadlock with a writer or another relay)
// nothing has been published yet, and if publishing fails the mark rolls
// back with it. Only a failed COMMIT after a good publish repeats a batch.
// On MariaDB the pass runs in READ COMMITTED so the relays' locking reads
// take no gap locks to deadlock on with each other and with writers.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	var n int
	var opts *sql.TxOptions
	if r.DB.Dialect == DialectMySQL {
		opts = &sql.TxOptions{Isolation: sql.LevelReadCommitted}
	}
	err := r.DB.withTx(ctx, opts, func(ctx context.Context) error {
		q := r.DB.Conn(ctx).Model(&outboxRow{}).Where("sent_at IS NULL").Order("id").Limit(r.Batch)
		if r.DB.Dialect == DialectMySQL {
			q = q.Clauses(clause.Locking{Strength: "UPDATE", Options: "SKIP LOCKED"})
		}
		var rows []outboxRow
		if err := q.Find(&rows).Error; err != nil {
			return Translate(err, "read outbox")
		}
		if len(rows) == 0 {
			return nil
		}
		batch := make([]OutboxEntry, len(rows))
		ids := make([]int64, len(rows))
		for i, row := range rows {
			batch[i] = OutboxEntry{ID: row.ID, Topic: row.Topic, Payload: []byte(row.Payload)}
			ids[i] = row.ID
		}
		if err := r.DB.Conn(ctx).Model(&outboxRow{}).Where("id IN ?", ids).Update("sent_at", time.Now().UTC()).Error; err != nil {
			return Translate(err, "mark outbox sent")
		}
		if err := r.Publish(ctx, batch); err != nil {
			return err // the mark rolls back; the next pass tries again
		}
		n = len(rows)
		return nil
	})
	if err != nil {
		n = 0
	}
	return n, err
}

// Run relays until ctx ends: at once when woken, every idle interval
// otherwise (rows committed by another instance), and straight on while
// batches come back full. Errors (Redis down) back off up to five seconds.
func (r *Relay) Run(ctx context.Context, idle time.Duration) {
	backoff := idle
	for {
		n, err := r.RunOnce(ctx)
		wait := idle
		switch {
		case err != nil && ctx.Err() == nil:
			r.Log.Warn("outbox relay failed; retrying", "err", err, "retry_in", backoff)
			wait, backoff = backoff, min(backoff*2, 5*time.Second)
		case n == r.Batch:
			wait, backoff = 0, idle
		default:
			backoff = idle
		}
		if wait == 0 {
			continue
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-r.wake:
			t.Stop()
		case <-t.C:
		}
	}
}

// PruneOutbox deletes rows sent before cutoff, in bounded batches.
func (db *DB) PruneOutbox(ctx context.Context, cutoff time.Time) (int64, error) {
	var total int64
	for range 1000 {
		var ids []int64
		if err := db.Conn(ctx).Model(&outboxRow{}).Where("sent_at IS NOT NULL AND sent_at < ?", cutoff.UTC()).Limit(1000).Pluck("id", &ids).Error; err != nil {
			return total, Translate(err, "find sent outbox rows")
		}
		if len(ids) == 0 {
			break
		}
		res := db.Conn(ctx).Where("id IN ?", ids).Delete(&outboxRow{})
		if res.Error != nil {
			return total, Translate(res.Error, "prune outbox")
		}
		total += res.RowsAffected
	}
	return total, nil
}
