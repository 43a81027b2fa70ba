package mysql

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/tiaojie/tiaojie/domain"
)

// GroupCommit commits concurrent writes of one kind together: callers queue
// their item and wait; a flusher takes everything queued (up to maxBatch)
// and writes it in one transaction, with one statement per table. Items
// arriving while flushers are busy wait for the next batch, so under load
// batches grow and each costs the database a handful of round trips and one
// commit; a lone caller is flushed at once, adding no delay.
//
// A batch that fails is retried item by item, each in a transaction of its
// own, so that one bad item (a repeated idempotency key, say) fails alone —
// except when the error leaves the batch's outcome unknown (the connection
// was lost around the commit): then every caller is told, and none is
// written twice.
type GroupCommit[T any] struct {
	db       *DB
	write    func(ctx context.Context, items []T) error
	flushers int
	maxBatch int

	// Observe, if set before the first Commit, hears of every batch written
	// (for the metrics).
	Observe func(size int, took time.Duration, err error)

	mu      sync.Mutex
	queue   []*groupItem[T]
	running int // flushers at work
}

type groupItem[T any] struct {
	ctx  context.Context
	item T
	done chan error
}

// NewGroupCommit returns a committer calling write (inside a transaction)
// for each batch, with at most flushers batches in flight at once.
func NewGroupCommit[T any](db *DB, flushers, maxBatch int, write func(ctx context.Context, items []T) error) *GroupCommit[T] {
	return &GroupCommit[T]{db: db, write: write, flushers: max(flushers, 1), maxBatch: max(maxBatch, 1)}
}

// Commit queues item and returns once the batch holding it has committed
// (nil) or it has failed on its own (its error). A caller whose ctx ends
// while the item still waits is answered ctx's error and the item dropped;
// once its batch is being written the caller waits for the outcome.
func (g *GroupCommit[T]) Commit(ctx context.Context, item T) error {
	it := &groupItem[T]{ctx: ctx, item: item, done: make(chan error, 1)}
	g.mu.Lock()
	g.queue = append(g.queue, it)
	if g.running < g.flushers {
		g.running++
		go g.flush()
	}
	g.mu.Unlock()
	return <-it.done
}

// Queued is how many callers wait for a batch to take them.
func (g *GroupCommit[T]) Queued() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.queue)
}

// flush writes batches until the queue is empty.
func (g *GroupCommit[T]) flush() {
	for {
		batch := g.take()
		if batch == nil {
			return
		}
		g.writeBatch(batch)
	}
}

// take removes the next batch from the queue, answering callers that gave
// up; nil (and one flusher fewer) when nothing waits.
func (g *GroupCommit[T]) take() []*groupItem[T] {
	g.mu.Lock()
	defer g.mu.Unlock()
	for {
		if len(g.queue) == 0 {
			g.running--
			return nil
		}
		n := min(len(g.queue), g.maxBatch)
		var batch []*groupItem[T]
		for _, it := range g.queue[:n] {
			if err := it.ctx.Err(); err != nil {
				it.done <- err
				continue
			}
			batch = append(batch, it)
		}
		clear(g.queue[:n])
		g.queue = g.queue[n:]
		if len(batch) > 0 {
			return batch
		}
	}
}

func (g *GroupCommit[T]) writeBatch(batch []*groupItem[T]) {
	err := g.writeItems(batch)
	if err == nil || len(batch) == 1 || domain.IsKind(err, domain.KindUnavailable) {
		for _, it := range batch {
			it.done <- err
		}
		return
	}
	for _, it := range batch {
		it.done <- g.writeItems([]*groupItem[T]{it})
	}
}

// writeItems writes items in one transaction under the first caller's
// context values (request ID for the logs) but none of its deadlines: the
// batch belongs to all of them.
func (g *GroupCommit[T]) writeItems(batch []*groupItem[T]) (err error) {
	start := time.Now()
	defer func() {
		if r := recover(); r != nil { // a panic must not leave the callers waiting forever
			err = domain.Wrap(fmt.Errorf("panic in a batch write: %v", r), domain.KindInternal, "internal", "Something went wrong on our side.")
		}
		if g.Observe != nil {
			g.Observe(len(batch), time.Since(start), err)
		}
	}()
	items := make([]T, len(batch))
	for i, it := range batch {
		items[i] = it.item
	}
	return g.db.WithTx(context.WithoutCancel(batch[0].ctx), func(ctx context.Context) error { return g.write(ctx, items) })
}
