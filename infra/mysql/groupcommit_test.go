package mysql_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tiaojie/tiaojie/domain"
	"github.com/tiaojie/tiaojie/infra/mysql"
	"github.com/tiaojie/tiaojie/infra/mysql/mysqltest"
)

// gcRow is a scratch table for the group-commit tests: a unique name makes
// one bad item of a batch easy to write.
type gcRow struct {
	ID   int64  `gorm:"primaryKey"`
	Name string `gorm:"size:64;uniqueIndex"`
}

func (gcRow) TableName() string { return "gc_test_rows" }

// gcItem is what a caller commits: a row name, and whether the write should
// stall first (to keep the flusher busy while others queue behind it).
type gcItem struct {
	name  string
	stall chan struct{}
}

type gcHarness struct {
	db *mysql.DB
	gc *mysql.GroupCommit[gcItem]

	mu      sync.Mutex
	batches []int // sizes written, failed ones included
	failed  int
	started chan struct{} // a stalled write has begun
}

func newGCHarness(t *testing.T, db *mysql.DB, write func(ctx context.Context, items []gcItem) error) *gcHarness {
	t.Helper()
	if err := db.Gorm.AutoMigrate(&gcRow{}); err != nil {
		t.Fatal(err)
	}
	h := &gcHarness{db: db, started: make(chan struct{}, 1)}
	if write == nil {
		write = func(ctx context.Context, items []gcItem) error {
			rows := make([]gcRow, len(items))
			for i, it := range items {
				if it.stall != nil {
					h.started <- struct{}{}
					<-it.stall
				}
				rows[i] = gcRow{Name: it.name}
			}
			return mysql.Translate(db.Conn(ctx).Create(&rows).Error, "insert gc rows")
		}
	}
	h.gc = mysql.NewGroupCommit(db, 1, 16, write)
	h.gc.Observe = func(n int, _ time.Duration, err error) {
		h.mu.Lock()
		defer h.mu.Unlock()
		h.batches = append(h.batches, n)
		if err != nil {
			h.failed++
		}
	}
	return h
}

func (h *gcHarness) names(t *testing.T) map[string]int {
	t.Helper()
	var rows []gcRow
	if err := h.db.Gorm.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Name]++
	}
	return out
}

// stallFlusher commits an item whose write waits until the returned func
// is called, so that items committed meanwhile queue into one batch.
func (h *gcHarness) stallFlusher(t *testing.T, name string) (release func(), done chan error) {
	t.Helper()
	stall, done := make(chan struct{}), make(chan error, 1)
	go func() { done <- h.gc.Commit(context.Background(), gcItem{name: name, stall: stall}) }()
	<-h.started
	return func() { close(stall) }, done
}

// commitAll commits each name from its own goroutine and returns each
// caller's answer.
func (h *gcHarness) commitAll(ctx context.Context, names []string) (wait func() map[string]error) {
	var mu sync.Mutex
	errs := map[string]error{}
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := h.gc.Commit(ctx, gcItem{name: n})
			mu.Lock()
			errs[n] = err
			mu.Unlock()
		}()
	}
	return func() map[string]error { wg.Wait(); return errs }
}

// waitQueued waits until n callers are queued behind the stalled write.
func waitQueued(t *testing.T, gc interface{ Queued() int }, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for gc.Queued() < n {
		if time.Now().After(deadline) {
			t.Fatalf("only %d of %d callers queued", gc.Queued(), n)
		}
		time.Sleep(time.Millisecond)
	}
}

// Many concurrent callers are written in few transactions, and every one
// of them is committed exactly once.
func TestGroupCommitBatchesConcurrentCallers(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		h := newGCHarness(t, db, nil)
		release, first := h.stallFlusher(t, "first")
		names := make([]string, 40)
		for i := range names {
			names[i] = fmt.Sprintf("row-%02d", i)
		}
		wait := h.commitAll(context.Background(), names)
		waitQueued(t, h.gc, len(names))
		release()
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		for n, err := range wait() {
			if err != nil {
				t.Errorf("%s: %v", n, err)
			}
		}
		got := h.names(t)
		for _, n := range append(names, "first") {
			if got[n] != 1 {
				t.Errorf("%s written %d times, want once", n, got[n])
			}
		}
		// 40 queued callers, at most 16 a batch: three batches after the stalled one.
		if len(h.batches) != 4 || h.batches[1] != 16 || h.batches[2] != 16 || h.batches[3] != 8 {
			t.Fatalf("batches %v, want [1 16 16 8]", h.batches)
		}
	})
}

// One bad item (a duplicate name) fails its batch; the batch is retried
// item by item, so only the bad caller hears of it and the others commit.
func TestGroupCommitFailsABadItemAlone(t *testing.T) {
	mysqltest.Each(t, func(t *testing.T, db *mysql.DB) {
		h := newGCHarness(t, db, nil)
		if err := h.gc.Commit(context.Background(), gcItem{name: "taken"}); err != nil {
			t.Fatal(err)
		}
		release, first := h.stallFlusher(t, "first")
		wait := h.commitAll(context.Background(), []string{"a", "b", "taken", "c"})
		waitQueued(t, h.gc, 4)
		release()
		if err := <-first; err != nil {
			t.Fatal(err)
		}
		errs := wait()
		for _, n := range []string{"a", "b", "c"} {
			if errs[n] != nil {
				t.Errorf("%s: %v (a good item must not fail with a bad one)", n, errs[n])
			}
		}
		if !domain.IsKind(errs["taken"], domain.KindConflict) {
			t.Errorf("the duplicate answered %v, want a conflict", errs["taken"])
		}
		got := h.names(t)
		for _, n := range []string{"taken", "first", "a", "b", "c"} {
			if got[n] != 1 {
				t.Errorf("%s written %d times, want once", n, got[n])
			}
		}
		// taken, first, the failed batch of four, then each of the four alone.
		if want := []int{1, 1, 4, 1, 1, 1, 1}; fmt.Sprint(h.batches) != fmt.Sprint(want) || h.failed != 2 {
			t.Fatalf("batches %v with %d failed, want %v with 2 failed", h.batches, h.failed, want)
		}
	})
}

// When a batch's outcome is unknown (the connection was lost around the
// commit) it is not retried: a retry could write it twice. Every caller is
// told.
func TestGroupCommitDoesNotRetryAnUnknownOutcome(t *testing.T) {
	db := mysqltest.NewSQLite(t)
	lost := domain.Errorf(domain.KindUnavailable, "service.unavailable", "The database connection was lost.")
	var mu sync.Mutex
	calls := 0
	gate, entered := make(chan struct{}), make(chan struct{}, 1)
	h := newGCHarness(t, db, func(_ context.Context, items []gcItem) error {
		mu.Lock()
		calls++
		mu.Unlock()
		if items[0].name == "first" {
			entered <- struct{}{}
			<-gate
			return nil
		}
		return lost
	})
	first := make(chan error, 1)
	go func() { first <- h.gc.Commit(context.Background(), gcItem{name: "first"}) }()
	<-entered
	wait := h.commitAll(context.Background(), []string{"a", "b", "c"})
	waitQueued(t, h.gc, 3)
	close(gate)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	for n, err := range wait() {
		if !errors.Is(err, lost) {
			t.Errorf("%s answered %v, want the lost connection", n, err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 {
		t.Fatalf("write called %d times, want 2 (no retries of the unknown batch)", calls)
	}
}

// A caller that gives up while queued is answered at once with its
// context's error, and its item is never written.
func TestGroupCommitDropsAnItemWhoseCallerGaveUp(t *testing.T) {
	db := mysqltest.NewSQLite(t)
	h := newGCHarness(t, db, nil)
	release, first := h.stallFlusher(t, "first")
	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := h.commitAll(ctx, []string{"impatient"})
	stays := h.commitAll(context.Background(), []string{"patient"})
	waitQueued(t, h.gc, 2)
	cancel()
	release()
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := gaveUp()["impatient"]; !errors.Is(err, context.Canceled) {
		t.Fatalf("the caller who gave up got %v", err)
	}
	if err := stays()["patient"]; err != nil {
		t.Fatal(err)
	}
	if got := h.names(t); got["impatient"] != 0 || got["patient"] != 1 {
		t.Fatalf("rows %v: the abandoned item must not be written, the other must", got)
	}
}

// A panic in a batch write answers its callers with an internal error
// instead of leaving them waiting forever.
func TestGroupCommitSurvivesAPanickingWrite(t *testing.T) {
	db := mysqltest.NewSQLite(t)
	h := newGCHarness(t, db, func(context.Context, []gcItem) error { panic("bug") })
	done := make(chan error, 1)
	go func() { done <- h.gc.Commit(context.Background(), gcItem{name: "x"}) }()
	select {
	case err := <-done:
		if !domain.IsKind(err, domain.KindInternal) {
			t.Fatalf("got %v, want an internal error", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the caller of a panicking write was never answered")
	}
}
