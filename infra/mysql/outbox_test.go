package mysql_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/domain/workorder"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// Three relays (three server instances) drain one outbox at once while
// writers keep committing: every row is published exactly once, none is
// skipped, and a relay whose publish fails leaves its rows for the next
// pass. Rows whose IDs commit out of order are found too, since unsent rows
// are selected by state, not by "ID greater than the last seen".
func TestRelaysOnSeveralInstancesPublishEachRowOnce(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		ctx := context.Background()
		store := mysql.NewOrderStore(db, nil)
		var mu sync.Mutex
		seen := map[int64]int{}
		failOnce := true
		publish := func(_ context.Context, batch []mysql.OutboxEntry) error {
			mu.Lock()
			defer mu.Unlock()
			if failOnce {
				failOnce = false
				return errors.New("redis down")
			}
			for _, e := range batch {
				seen[e.ID]++
			}
			return nil
		}
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		const writers, each = 4, 100
		var wg sync.WaitGroup
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; i < each; i++ {
					err := db.WithTx(ctx, func(ctx context.Context) error {
						if i%10 == 0 {
							time.Sleep(3 * time.Millisecond) // hold an ID while later ones commit
						}
						return store.Publish(ctx, workorder.Message{Stream: workorder.UnitStream(1), Type: "order", OrderID: int64(w*each + i)})
					})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}()
		}
		stop := make(chan struct{})
		var relays sync.WaitGroup
		for r := 0; r < 3; r++ {
			relays.Add(1)
			go func() {
				defer relays.Done()
				relay := mysql.NewRelay(db, publish, log)
				relay.Batch = 25
				for {
					select {
					case <-stop:
						return
					default:
					}
					// A pass that fails (Redis down, or a deadlock on the
					// mark, which Run retries) must have published nothing.
					if _, err := relay.RunOnce(ctx); err != nil && !strings.Contains(err.Error(), "redis down") && !domain.IsKind(err, domain.KindConflict) {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		deadline := time.Now().Add(20 * time.Second)
		for {
			mu.Lock()
			n := len(seen)
			mu.Unlock()
			if n == writers*each || time.Now().After(deadline) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		close(stop)
		relays.Wait()
		if len(seen) != writers*each {
			t.Fatalf("%d of %d outbox rows published", len(seen), writers*each)
		}
		for id, n := range seen {
			if n != 1 {
				t.Fatalf("outbox row %d published %d times", id, n)
			}
		}
	})
}
